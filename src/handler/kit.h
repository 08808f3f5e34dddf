/*
 * kit.h — the handler kit: what every domain handler needs and no domain
 * module owns. It sits below the domain modules (member, profile,
 * enterprise, invite, dict, directory, audit_api, …) and above http/, db/,
 * core/ and audit/, so a domain module includes the kit, core, db and its
 * own headers, never another module's internals (docs/conventions.md).
 * It brings what every handler file needs: the request, the route table,
 * the session and access codes, and the audit stage.
 *
 *   path ids            hk_param_id
 *   failing             hk_fail_tx (roll back, then fail), hk_fail_db (the one DB-error mapping)
 *   JSON writers        hk_id_str, hk_jw_time, hk_json_str
 *   audit               hk_note (the route's record), hk_record (a refusal / a second record)
 *   SQL                 hk_filter (handler/filter.h); LIKE patterns: zq_like_pattern (core/text.h)
 */
#ifndef ZQ_HANDLER_KIT_H
#define ZQ_HANDLER_KIT_H
#include <stdbool.h>
#include <stdint.h>
#include "audit/audit.h"
#include "http/session.h"
#include "core/jsonw.h"
#include "http/req.h"
#include "http/route.h"

struct db_stmt;

/* ---- path parameters ---- */

/* Positive integer path parameter `name` (":id"), 0 when absent or malformed:
 * a handler answers 404 for 0, as for an id that does not exist. */
int64_t hk_param_id(const zq_req *q, const char *name);

/* ---- failing ---- */

/* Rolls back the request's open transaction, then fails with e (field
 * errors already on r stay and go out with it). */
zq_err hk_fail_tx(zq_req *q, zq_resp *r, zq_err e, const char *msg);
/* The same, but an error a called check already set on r (a wrong SMS
 * code's field error) is the answer, not e. */
zq_err hk_fail_tx_keep(zq_req *q, zq_resp *r, zq_err e, const char *msg);
/* The one mapping of a db_rc to an answer, after rolling back:
 * DB_EBUSY / DB_EUNAVAIL → 503 with Retry-After, DB_ECONSTRAINT → 409,
 * anything else → 500, logged with the request id and db_errmsg. */
zq_err hk_fail_db(zq_req *q, zq_resp *r, int rc);
/* Seconds a client is asked to wait after DB_EBUSY. */
#define HK_BUSY_RETRY_AFTER_S 2

/* ---- writers ---- */

/* "123" in the arena. */
const char *hk_id_str(zq_req *q, int64_t id);
/* "key": ISO 8601 time in Asia/Shanghai, or null for t <= 0. */
void hk_jw_time(zq_jw *w, const char *key, int64_t t);
/* "key": the text of column col, or null. */
void hk_jw_col_str(zq_jw *w, const char *key, struct db_stmt *s, int col);
/* "key": the integer of column col, or null. */
void hk_jw_col_int(zq_jw *w, const char *key, struct db_stmt *s, int col);
/* A JSON string literal of s (quotes included) in the arena, "null" for
 * NULL (audit details are short JSON written with printf). */
const char *hk_json_str(zq_req *q, const char *s);

/* ---- audit (audit.h's stage, for objects of an enterprise) ---- */

/* The route's audit record (audit_note) about object_type/object_id of
 * enterprise eid, with that enterprise's district filled in so the bureau's
 * scoped audit search finds it. object_id 0 = none. 0, or -1 (fail). */
int hk_note(zq_req *q, int64_t eid, const char *object_type, int64_t object_id, const char *detail);
/* An explicit record (audit_record) for what is not the route's success:
 * a refusal that must be kept (result "failed" / "denied") or the rare
 * second record of a request (action then names it). 0, or -1 (roll back). */
int hk_record(zq_req *q, int64_t eid, const char *action, const char *object_type, int64_t object_id,
              const char *detail, const char *result);

#endif
