/*
 * policy_internal.h — what the policy module's files share: the content
 * item as read from the database, its JSON, the staff-side scope checks,
 * delivery, history and the one audit helper per handler file's use.
 */
#ifndef ZQ_POLICY_INTERNAL_H
#define ZQ_POLICY_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "policy/policy.h"
#include "http/req.h"
#include "targets/targets.h"
#include "handler/kit.h"

struct db_conn;
struct db_stmt;

#define POL_TITLE_MAX 200
#define POL_SUMMARY_MAX 500
#define POL_DEPT_MAX 100
#define POL_DOCNO_MAX 60
#define POL_TYPES_MAX 20
#define POL_ATTACH_MAX 20
#define POL_PAGE_MAX 100

/* The columns every read of an item selects, in this order (pol_item_read). */
#define POL_ITEM_COLS                                                                                              \
    "c.id, c.kind, c.status, c.title, c.summary, c.department, c.doc_no, c.effective_from, c.effective_to,"        \
    " c.targets_json, c.region, c.interprets_id, c.publish_at, c.published_at, c.withdrawn_at, c.created_at,"      \
    " c.updated_at, c.body_html, c.cover_file_id"
#define POL_ITEM_NCOLS 19

typedef struct {
    int64_t id, interprets_id, publish_at, published_at, withdrawn_at, created_at, updated_at, cover;
    const char *kind, *status, *title, *summary, *department, *doc_no, *effective_from, *effective_to;
    const char *targets_json, *region, *body_html;
    const char **types;
    int ntypes;
} pol_item;

/* Fills it from a statement selecting POL_ITEM_COLS first (arena copies). */
void pol_item_read(zq_req *q, struct db_stmt *s, pol_item *it);
/* One item by id into *it: DB_ROW found, DB_DONE none, or a negative db_rc.
 * The types are loaded too. */
int pol_item_load(zq_req *q, int64_t id, pol_item *it);
/* The item's policy types (arena array). DB_OK or a negative db_rc. */
int pol_item_types(zq_req *q, pol_item *it);

/* Writes the list fields (id, title, kind, status, published_at, summary,
 * department, doc_no, types with names) without closing the object. */
void pol_write_head(zq_req *q, zq_jw *w, const pol_item *it);
/* True for the types a cover image may have (bureau_file.mime as sniffed
 * at upload): the ones every browser shows in an <img>. */
bool pol_cover_mime_ok(const char *mime);
/* Opens an object and writes the whole item, leaving the object open for
 * the caller's extra keys; staff adds the bureau's fields
 * (targets, region, publish_at, history is separate). */
void pol_write_item(zq_req *q, zq_jw *w, const pol_item *it, bool staff);
/* "attachments": [{id, name, size, mime, url}] of it, url being the public
 * download (GET /api/v1/policies|notices/:id/attachments/:file_id); for
 * staff also staff_url (GET /api/v1/admin/uploads/:id), which opens a
 * draft's files too. DB_OK or a db_rc. */
int pol_write_attachments(zq_req *q, zq_jw *w, const pol_item *it, bool staff);
/* The Chinese name of a policy_type code (or the code). */
const char *pol_type_name(zq_req *q, const char *code);

/* Staff scope: true when the request may see / act on an item of region
 * (NULL = a city-wide item, only city staff). */
bool pol_scope_ok(const zq_req *q, const char *region);

/* The item of the admin route's path (:id) in the route's family
 * (policies or notices, told by the route's permission) and the staff
 * scope: DB_ROW, or the answer (404 / 503) already in r. */
int pol_admin_load(zq_req *q, zq_resp *r, pol_item *it);

/* Positive integer path parameter `name`, 0 when absent or malformed. */
int64_t pol_param_id(const zq_req *q, const char *name);

/* Replaces the set of rows owned by `owner`: clear_sql ($1 = owner), then
 * add_sql ($1 = owner, $2 = the value, $3 = its position when with_sort)
 * for each of the n values (texts when not NULL, else nums). Inside the
 * caller's transaction. DB_OK or a db_rc. */
int pol_replace_set(struct db_conn *c, const char *clear_sql, const char *add_sql, int64_t owner, const int64_t *nums,
                    const char *const *texts, int n, bool with_sort);

/* Bumps content_version (public caches everywhere refresh) and tells this
 * instance's cache at once after commit (pol_cache_saw). DB_OK or a db_rc. */
int pol_version_bump(struct db_conn *c, int64_t *version);

/* content_history row. staff_id 0 = the scheduler. DB_OK or a db_rc. */
int pol_history_add(struct db_conn *c, int64_t item_id, const char *action, int64_t staff_id, const char *staff_name,
                    const char *changes_json, int64_t now, int64_t *history_id);

/* Publication inside the caller's transaction: status published (first
 * publication time kept), inbox rows for every approved enterprise the
 * targets select that subscribes to one of the item's types (items without
 * types: every one they select), and the notifications (notify/) for those
 * firms. Idempotent: a second call adds nothing. redeliver_ref != 0 sends
 * the notifications again under that reference (an edit's history id).
 * *delivered gets the inbox rows added. DB_OK or a db_rc. */
int pol_deliver(struct db_conn *c, int64_t now, int64_t item_id, int64_t redeliver_ref, int64_t *delivered);

/* The subscribed audience of item_id under targets t (audience preview):
 * what a publication now would reach. DB_OK or a db_rc. */
int pol_audience_count(struct db_conn *c, zq_arena *a, int64_t item_id, const targets *t, int64_t *count);

/* This instance's public cache saw content version `version` (after a
 * commit that bumped it): its renderings of older data go at once. */
void policy_cache_saw(policy_cache *c, int64_t version);

#endif
