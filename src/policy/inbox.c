/*
 * inbox.c — what the selected enterprise received (manual 4) and the
 * policy calculator (政策计算器):
 *   GET  /api/v1/enterprise/policies?read=&kind=&page=&page_size=  我收到的政策        (policy.view)
 *   POST /api/v1/enterprise/policies/:id/read                      marks it read       (policy.view)
 *   GET  /api/v1/enterprise/policy-matches                         published policies the firm meets,
 *                                                                  with the reason per condition, and
 *                                                                  the near misses failing exactly one
 * Only published items show; a withdrawn one vanishes from the inbox (404).
 * Reading marks the firm's inbox row (read_at, read_by the first reader);
 * each member's messages in the message centre keep their own read state
 * (docs/policy.md).
 */
#include "policy/policy_internal.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

#define MATCH_SCAN_MAX 500   /* newest published policies the calculator weighs */

static const char SQL_MARK_READ[] =
    "UPDATE policy_inbox SET read_at = $3, read_by = $4 WHERE enterprise_id = $1 AND item_id = $2 AND read_at = 0"
    " AND item_id IN (SELECT id FROM content_item WHERE id = $2 AND status = 'published')";
static const char SQL_IN_INBOX[] =
    "SELECT i.read_at FROM policy_inbox i JOIN content_item c ON c.id = i.item_id"
    " WHERE i.enterprise_id = $1 AND i.item_id = $2 AND c.status = 'published'";
static const char SQL_REGION[] = "SELECT region FROM enterprise WHERE id = $1";
static const char SQL_MATCH_SCAN[] =
    "SELECT " POL_ITEM_COLS " FROM content_item c WHERE c.status = 'published' AND c.kind = 'news'"
    " ORDER BY c.published_at DESC, c.id DESC LIMIT $1";

/* The one audit call of this file. 0 or -1. */
static int inbox_audit(zq_req *q, int64_t item_id)
{
    char region[16] = "";
    db_stmt *s = db_prepare(q->db, SQL_REGION);
    if (!s) return -1;
    db_bind_int64(s, 1, q->session->enterprise_id);
    if (db_step(s) == DB_ROW) snprintf(region, sizeof region, "%s", db_col_text(s, 0));
    db_stmt_done(s);
    return audit_record(q, &(audit_entry){.action = "policy.read",
                                          .object_type = "content",
                                          .object_id = zq_arena_printf(q->arena, "%lld", (long long)item_id),
                                          .enterprise_id = q->session->enterprise_id,
                                          .region = region});
}

static zq_err inbox_list(zq_req *q, zq_resp *r)
{
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, POL_PAGE_MAX);
    const char *read = zq_req_query(q, "read"), *kind = zq_req_query(q, "kind");
    int rf = -1;
    if (read && *read) {
        if (strcmp(read, "1") == 0 || strcmp(read, "true") == 0) rf = 1;
        else if (strcmp(read, "0") == 0 || strcmp(read, "false") == 0) rf = 0;
        else zq_fail_field(q, r, "read", "read 只能是 true 或 false");
    }
    if (kind && *kind && strcmp(kind, "news") && strcmp(kind, "interpretation") && strcmp(kind, "notice"))
        zq_fail_field(q, r, "kind", "类别只能是 news、interpretation 或 notice");
    if (r->err) return r->err;
    const char *where = zq_arena_printf(q->arena, " FROM policy_inbox i JOIN content_item c ON c.id = i.item_id"
                                                  " WHERE i.enterprise_id = $1 AND c.status = 'published'"
                                                  " AND ($2 = '' OR c.kind = $2)%s",
                                        rf == 1 ? " AND i.read_at > 0" : rf == 0 ? " AND i.read_at = 0" : "");
    const char *count_sql = zq_arena_printf(q->arena, "SELECT COUNT(*), SUM(CASE WHEN i.read_at = 0 THEN 1 ELSE 0 END)%s", where);
    const char *list_sql = zq_arena_printf(q->arena,
                                           "SELECT " POL_ITEM_COLS ", i.delivered_at, i.read_at%s"
                                           " ORDER BY i.delivered_at DESC, c.id DESC LIMIT $3 OFFSET $4",
                                           where);
    if (!count_sql || !list_sql) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_stmt *s = db_prepare(q->db, count_sql);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_text(s, 2, kind ? kind : "", -1);
    int rc = db_step(s);
    int64_t total = db_col_int64(s, 0), unread = db_col_int64(s, 1);
    db_stmt_done(s);
    if (rc != DB_ROW || !(s = db_prepare(q->db, list_sql))) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_text(s, 2, kind ? kind : "", -1);
    db_bind_int64(s, 3, size);
    db_bind_int64(s, 4, (page - 1) * size);
    pol_item *items = zq_arena_alloc(q->arena, sizeof *items * (size_t)size);
    int64_t *delivered = zq_arena_alloc(q->arena, sizeof *delivered * (size_t)size * 2);
    int n = 0;
    if (!items || !delivered) {
        db_stmt_done(s);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    while ((rc = db_step(s)) == DB_ROW && n < size) {
        pol_item_read(q, s, &items[n]);
        delivered[2 * n] = db_col_int64(s, 19);
        delivered[2 * n + 1] = db_col_int64(s, 20);
        n++;
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_list_begin(r, &w);
    for (int i = 0; i < n; i++) {
        if (pol_item_types(q, &items[i]) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        zq_jw_obj(&w);
        pol_write_head(q, &w, &items[i]);
        zq_jw_kbool(&w, "read", delivered[2 * i + 1] != 0);
        zq_jw_ktime(&w, "read_at", delivered[2 * i + 1]);
        zq_jw_ktime(&w, "delivered_at", delivered[2 * i]);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_kint(&w, "unread", rf == 1 ? 0 : unread);
    zq_jw_kint(&w, "total", total);
    zq_jw_kint(&w, "page", page);
    zq_jw_kint(&w, "page_size", size);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err inbox_read(zq_req *q, zq_resp *r)
{
    int64_t id = pol_param_id(q, "id");
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    int64_t eid = q->session->enterprise_id;
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, "政策不存在或已撤回");
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_IN_INBOX);
    if (!s) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, id);
    int rc = db_step(s);
    int64_t read_at = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc == DB_DONE) return pol_fail_tx(q, r, ZQ_E_NOT_FOUND, "政策不存在或已撤回");
    if (rc != DB_ROW) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (!read_at) {
        if (!(s = db_prepare(q->db, SQL_MARK_READ))) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_int64(s, 1, eid);
        db_bind_int64(s, 2, id);
        db_bind_int64(s, 3, q->now);
        db_bind_int64(s, 4, q->session->user_id);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE || inbox_audit(q, id) != 0) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        read_at = q->now;
    }
    if (db_commit(q->db) != DB_OK) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", id);
    zq_jw_kbool(&w, "read", true);
    zq_jw_ktime(&w, "read_at", read_at);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static void write_conditions(zq_jw *w, const targets_verdict *v)
{
    zq_jw_key(w, "conditions");
    zq_jw_arr(w);
    for (int k = 0; k < 5; k++) {
        const targets_check_item *c = &v->items[k];
        zq_jw_obj(w);
        zq_jw_kstr(w, "condition", c->condition);
        zq_jw_kbool(w, "applies", c->applies);
        zq_jw_kbool(w, "met", c->met);
        zq_jw_kstr(w, "reason", c->reason);
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
}

static zq_err matches(zq_req *q, zq_resp *r)
{
    db_stmt *s = db_prepare(q->db, SQL_MATCH_SCAN);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, MATCH_SCAN_MAX);
    pol_item *items = zq_arena_alloc(q->arena, sizeof *items * MATCH_SCAN_MAX);
    int n = 0, rc;
    if (!items) {
        db_stmt_done(s);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    while ((rc = db_step(s)) == DB_ROW && n < MATCH_SCAN_MAX) pol_item_read(q, s, &items[n++]);
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    targets_verdict *v = zq_arena_alloc(q->arena, sizeof *v * (size_t)(n ? n : 1));
    if (!v) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    for (int i = 0; i < n; i++) {
        targets t;
        if (targets_from_json(q->arena, items[i].targets_json, &t) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        rc = targets_check(q->db, q->arena, &t, q->session->enterprise_id, &v[i]);
        if (rc != DB_OK) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, NULL);
        if ((v[i].met || v[i].failed == 1) && pol_item_types(q, &items[i]) != DB_OK)
            return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    for (int pass = 0; pass < 2; pass++) {
        zq_jw_key(&w, pass ? "near_misses" : "matches");
        zq_jw_arr(&w);
        for (int i = 0; i < n; i++) {
            if (pass ? v[i].met || v[i].failed != 1 : !v[i].met) continue;
            zq_jw_obj(&w);
            pol_write_head(q, &w, &items[i]);
            if (pass)
                for (int k = 0; k < 5; k++)
                    if (v[i].items[k].applies && !v[i].items[k].met) {
                        zq_jw_key(&w, "failed");
                        zq_jw_obj(&w);
                        zq_jw_kstr(&w, "condition", v[i].items[k].condition);
                        zq_jw_kstr(&w, "reason", v[i].items[k].reason);
                        zq_jw_obj_end(&w);
                    }
            write_conditions(&w, &v[i]);
            zq_jw_obj_end(&w);
        }
        zq_jw_arr_end(&w);
    }
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/policies", inbox_list, ZQ_ACCESS_MEMBER, "policy.view", 0, 0, NULL},
    {ZQ_POST, "/api/v1/enterprise/policies/:id/read", inbox_read, ZQ_ACCESS_MEMBER, "policy.view", ZQ_RF_JSON, 0, "policy.read"},
    {ZQ_GET, "/api/v1/enterprise/policy-matches", matches, ZQ_ACCESS_MEMBER, "policy.view", 0, 0, NULL},
};
const zq_route_group inbox_routes = {routes, sizeof routes / sizeof routes[0]};
