/*
 * legal.h — the 用户协议 (terms) and 隐私政策 (privacy) and the consents
 * given to them (个人信息保护法 art. 13–17, GB/T 35273 §5.4).
 *
 * Documents are versioned per kind: a staff edit adds version N+1 and the
 * highest version is current; old versions are kept. An enterprise-side
 * account must have agreed to the current version of both before it may
 * use the API (auth_gate refuses with 403 consent_required, except routes
 * flagged ZQ_RF_ALLOW_CONSENT or ZQ_RF_ALLOW_PWCHANGE). Bureau staff are
 * not asked (docs/privacy.md says why).
 */
#ifndef ZQ_LEGAL_H
#define ZQ_LEGAL_H
#include <stdbool.h>
#include <stdint.h>
#include "core/jsonw.h"
#include "http/req.h"
#include "http/route.h"

struct db_conn;

/* The versions an agreement names (both > 0 once read). */
typedef struct {
    int64_t terms_version;
    int64_t privacy_version;
} legal_agree;

/* Current (highest) versions of both documents. DB_OK or a db_rc. */
int legal_current(struct db_conn *db, legal_agree *cur);

/* *required = true when user_id's newest consent is missing or names a
 * version older than a current one. DB_OK or a db_rc (then *required is
 * true: fail closed). */
int legal_consent_required(struct db_conn *db, int64_t user_id, bool *required);

/* Reads {"terms_version":N,"privacy_version":M} at `field` of the body
 * (field error with a Chinese message when missing or malformed). */
void legal_read_agree(zq_req *q, zq_resp *r, const char *field, legal_agree *out);

/* Inside the caller's write transaction: refuses (409 conflict, field
 * error on `field`) when a versions is not the current one, else stores
 * the consent of user_id (channel web|mobile|link|qr, the request's IP and
 * user agent) and audits it as consent.give. ZQ_OK or the error written
 * into r (the caller rolls back). */
zq_err legal_record_consent(zq_req *q, zq_resp *r, int64_t user_id, const legal_agree *a, const char *channel,
                            const char *field);

/* Writes "consent_required": bool and "consent": {"terms_version",
 * "privacy_version"} (the current ones) into the me document. */
int legal_jw_me(zq_req *q, zq_jw *w);

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group legal_routes;           /* docs.c */
extern const zq_route_group consent_routes;         /* consent.c */

#endif
