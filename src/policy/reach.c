/*
 * reach.c — how far an item got (the bureau's 触达统计):
 *   GET /api/v1/admin/policies/:id/reach   (policy.publish)
 *   GET /api/v1/admin/notices/:id/reach    (notice.publish)
 * {"delivered","read","by_channel":[{channel,total,sent,read,pending,failed}],
 *  "by_district":[{region,name,delivered,read}],"failures":[…]}
 * from the inbox (firms) and notify/'s message and outbox rows (members).
 * The same scope as the item: another district's item answers 404.
 */
#include "policy/policy_internal.h"
#include "db/db.h"
#include "dict/dict.h"
#include <string.h>

#define FAILURES_MAX 100

/* the rows of the publication and of every re-delivery of an edit */
#define REF_COND                                                                                                   \
    "((x.ref_type = $2 AND x.ref_id = $1) OR (x.ref_type = $3 AND x.ref_id IN"                                   \
    " (SELECT h.id FROM content_history h WHERE h.item_id = $1)))"

static const char SQL_INBOX[] =
    "SELECT COUNT(*), SUM(CASE WHEN read_at > 0 THEN 1 ELSE 0 END) FROM policy_inbox WHERE item_id = $1";
static const char SQL_DISTRICTS[] =
    "SELECT e.region, COUNT(*), SUM(CASE WHEN i.read_at > 0 THEN 1 ELSE 0 END) FROM policy_inbox i"
    " JOIN enterprise e ON e.id = i.enterprise_id WHERE i.item_id = $1 GROUP BY e.region ORDER BY e.region";
static const char SQL_INAPP[] =
    "SELECT COUNT(*), SUM(CASE WHEN x.read_at > 0 THEN 1 ELSE 0 END) FROM message x WHERE " REF_COND;
static const char SQL_OUTBOX[] =
    "SELECT x.channel, x.status, COUNT(*) FROM notify_outbox x WHERE " REF_COND " GROUP BY x.channel, x.status";
static const char SQL_FAILURES[] =
    "SELECT x.enterprise_id, e.name, x.channel, x.last_error, x.attempts, x.created_at FROM notify_outbox x"
    " LEFT JOIN enterprise e ON e.id = x.enterprise_id WHERE " REF_COND " AND x.status = 'failed'"
    " ORDER BY x.id DESC LIMIT $4";

static void bind_ref(db_stmt *s, const pol_item *it)
{
    bool notice = strcmp(it->kind, "notice") == 0;
    db_bind_int64(s, 1, it->id);
    db_bind_text(s, 2, notice ? "notice" : "policy", -1);
    db_bind_text(s, 3, notice ? "notice_update" : "policy_update", -1);
}

typedef struct {
    int64_t total, sent, pending, failed;
} chan_counts;

static zq_err reach(zq_req *q, zq_resp *r)
{
    pol_item it;
    if (pol_admin_load(q, r, &it) != DB_ROW) return r->err;
    int64_t delivered = 0, read = 0, inapp = 0, inapp_read = 0;
    chan_counts ch[2] = {{0, 0, 0, 0}, {0, 0, 0, 0}}; /* sms, wechat */
    db_stmt *s = db_prepare(q->db, SQL_INBOX);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, it.id);
    int rc = db_step(s);
    delivered = db_col_int64(s, 0);
    read = db_col_int64(s, 1);
    db_stmt_done(s);
    if (rc != DB_ROW || !(s = db_prepare(q->db, SQL_INAPP))) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    bind_ref(s, &it);
    rc = db_step(s);
    inapp = db_col_int64(s, 0);
    inapp_read = db_col_int64(s, 1);
    db_stmt_done(s);
    if (rc != DB_ROW || !(s = db_prepare(q->db, SQL_OUTBOX))) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    bind_ref(s, &it);
    while ((rc = db_step(s)) == DB_ROW) {
        const char *c = db_col_text(s, 0), *st = db_col_text(s, 1);
        chan_counts *x = strcmp(c, "sms") == 0 ? &ch[0] : strcmp(c, "wechat") == 0 ? &ch[1] : NULL;
        if (!x) continue;
        int64_t k = db_col_int64(s, 2);
        x->total += k;
        if (strcmp(st, "sent") == 0) x->sent += k;
        else if (strcmp(st, "failed") == 0) x->failed += k;
        else if (strcmp(st, "pending") == 0 || strcmp(st, "sending") == 0) x->pending += k;
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);

    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", it.id);
    zq_jw_kstr(&w, "title", it.title);
    zq_jw_kstr(&w, "kind", it.kind);
    zq_jw_kstr(&w, "status", it.status);
    zq_jw_ktime(&w, "published_at", it.published_at);
    zq_jw_kint(&w, "delivered", delivered);
    zq_jw_kint(&w, "read", read);
    zq_jw_key(&w, "by_channel");
    zq_jw_arr(&w);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "channel", "inapp");
    zq_jw_kint(&w, "total", inapp);
    zq_jw_kint(&w, "sent", inapp);
    zq_jw_kint(&w, "read", inapp_read);
    zq_jw_kint(&w, "pending", 0);
    zq_jw_kint(&w, "failed", 0);
    zq_jw_obj_end(&w);
    static const char *const names[] = {"sms", "wechat"};
    for (int i = 0; i < 2; i++) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "channel", names[i]);
        zq_jw_kint(&w, "total", ch[i].total);
        zq_jw_kint(&w, "sent", ch[i].sent);
        zq_jw_key(&w, "read");
        zq_jw_null(&w); /* an SMS or WeChat message reports no reading */
        zq_jw_kint(&w, "pending", ch[i].pending);
        zq_jw_kint(&w, "failed", ch[i].failed);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);

    zq_jw_key(&w, "by_district");
    zq_jw_arr(&w);
    if (!(s = db_prepare(q->db, SQL_DISTRICTS))) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, it.id);
    while ((rc = db_step(s)) == DB_ROW) {
        const char *region = zq_arena_strdup(q->arena, db_col_text(s, 0));
        int64_t d = db_col_int64(s, 1), rd = db_col_int64(s, 2);
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "region", region);
        zq_jw_kstr(&w, "name", dict_name(q, "region", region));
        zq_jw_kint(&w, "delivered", d);
        zq_jw_kint(&w, "read", rd);
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);

    zq_jw_key(&w, "failures");
    zq_jw_arr(&w);
    if (!(s = db_prepare(q->db, SQL_FAILURES))) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    bind_ref(s, &it);
    db_bind_int64(s, 4, FAILURES_MAX);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "enterprise_id", db_col_int64(s, 0));
        zq_jw_kstr(&w, "enterprise_name", db_col_text(s, 1));
        zq_jw_kstr(&w, "channel", db_col_text(s, 2));
        zq_jw_kstr(&w, "error", db_col_text(s, 3));
        zq_jw_kint(&w, "attempts", db_col_int64(s, 4));
        zq_jw_ktime(&w, "created_at", db_col_int64(s, 5));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/policies/:id/reach", reach, ZQ_ACCESS_STAFF, "policy.publish", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/admin/notices/:id/reach", reach, ZQ_ACCESS_STAFF, "notice.publish", ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group policy_reach_routes = {routes, sizeof routes / sizeof routes[0]};
