/*
 * profile.h — the enterprise's own record (manual 9.1): basic fields, the
 * seven sections, the completeness score and the name/USCC/district change
 * review. The HTTP side lives in src/profile/profile_api.c; this header is what
 * other modules (the bureau directory) call. Contract: docs/profile.md.
 */
#ifndef ZQ_PROFILE_H
#define ZQ_PROFILE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/jsonw.h"
#include "http/req.h"
#include "http/route.h"

struct db_conn;

/* Writes the enterprise as one JSON object — the body of
 * GET /api/v1/enterprise — into w. With with_sections, adds
 * "sections": {qualifications:[…], tech:[…], personnel:[…], operations:[…],
 * ip:[…], projects:[…], carriers:[…]} (the bureau's detail page).
 * q->now decides "expired" flags. Returns DB_OK, DB_DONE when no such
 * enterprise, or a negative db_rc. The caller has already checked that the
 * reader may see it. */
int profile_write_enterprise(zq_req *q, int64_t enterprise_id, bool with_sections, zq_jw *w);
/* The same, but leaves the object open so the caller can add its own keys
 * (the bureau's detail adds "members") and close it. */
int profile_write_enterprise_open(zq_req *q, int64_t enterprise_id, bool with_sections, zq_jw *w);

/* Recomputes enterprise.completeness from the record and its sections and
 * stores it. Runs in the caller's transaction. Returns the score (0..100) or
 * a negative db_rc. */
int profile_completeness_refresh(struct db_conn *db, int64_t enterprise_id);
/* Recomputes every firm's stored score when the database's was computed by
 * an older rule than this program's (derived_rule, migration 0029), then
 * stamps the new rule; nothing when it is current. Run after db_migrate by
 * the server's start and `zhengqi migrate`, outside a transaction.
 * *recomputed gets the number of firms. DB_OK or a negative db_rc. */
int profile_completeness_upgrade(struct db_conn *db, int64_t *recomputed);

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group profile_routes;         /* profile_api.c */
extern const zq_route_group profile_patch_routes;   /* profile_patch.c */
extern const zq_route_group change_review_routes;   /* change_api.c */

#endif
