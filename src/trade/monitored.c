/*
 * monitored.c — 重点监测企业, per direction:
 *   GET  /api/v1/admin/trade/monitored?direction=&status=monitored|dropped|all&region=&q=&page=   (trade.manage|trade.review)
 *   POST /api/v1/admin/trade/monitored {enterprise_id, direction, monitored, reason}             (trade.manage)
 * By default every approved firm whose trade type covers the direction and
 * which has a customs code is monitored; staff add or drop a firm
 * explicitly with a reason (trade_monitor), which outranks the default.
 * District staff see and change only their district's firms.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "audit/audit.h"
#include "core/text.h"
#include "http/input.h"
#include "http/scope.h"
#include <stdio.h>
#include <string.h>

const char *trade_monitored_sql(zq_arena *a, const char *e, int p)
{
    return zq_arena_printf(
        a,
        " AND %s.status = 'approved' AND (EXISTS (SELECT 1 FROM trade_monitor tm WHERE tm.enterprise_id = %s.id"
        " AND tm.direction = $%d AND tm.monitored = 1) OR (%s.customs_code IS NOT NULL AND %s.customs_code <> ''"
        " AND %s.trade_type IN ($%d, 'both') AND NOT EXISTS (SELECT 1 FROM trade_monitor tm WHERE"
        " tm.enterprise_id = %s.id AND tm.direction = $%d AND tm.monitored = 0)))",
        e, e, p, e, e, e, p, e, p);
}

/* The one audit call of this file. */
static int audit(zq_req *q, int64_t eid, const char *region, const char *detail)
{
    audit_entry ae = {.action = "trade.monitor", .object_type = "enterprise",
                      .object_id = zq_arena_printf(q->arena, "%lld", (long long)eid), .detail = detail,
                      .enterprise_id = eid, .region = region};
    return audit_record(q, &ae);
}

/* status: which firms; the monitored flag and its source come out per row */
static const char SQL_LIST_COLS[] =
    "SELECT e.id, e.name, e.uscc, e.customs_code, e.region, e.trade_type, e.industry, e.scale,"
    " tm.monitored, tm.reason, tm.updated_at";
static const char SQL_FROM[] =
    " FROM enterprise e LEFT JOIN trade_monitor tm ON tm.enterprise_id = e.id AND tm.direction = $1"
    " WHERE e.status = 'approved' AND ($2 = '' OR e.region = $2) AND ($3 = '' OR e.name %s $3 OR e.customs_code = $4)";

static const char SQL_FIRM[] = "SELECT region FROM enterprise WHERE id = $1 AND status = 'approved'";
static const char SQL_UPSERT[] =
    "INSERT INTO trade_monitor(enterprise_id, direction, monitored, reason, updated_by, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (enterprise_id, direction) DO UPDATE SET monitored = $3,"
    " reason = $4, updated_by = $5, updated_at = $6";

static zq_err monitored_list(zq_req *q, zq_resp *r)
{
    const char *dir = zq_req_query(q, "direction");
    const char *status = zq_req_query(q, "status");
    const char *region = zq_req_query(q, "region");
    const char *text = zq_req_query(q, "q");
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, 200);
    if (!trade_direction_ok(dir)) zq_fail_field(q, r, "direction", "请选择出口（export）或进口（import）");
    if (!status || !*status) status = "monitored";
    if (strcmp(status, "monitored") && strcmp(status, "dropped") && strcmp(status, "all"))
        zq_fail_field(q, r, "status", "状态只能是 monitored、dropped 或 all");
    if (text && zq_utf8_len(text) > 100) zq_fail_field(q, r, "q", "搜索词不能超过100个字");
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (r->err) return r->err;
    if (!zq_scope_citywide(q)) {
        if (region && *region && !zq_scope_allows(q, region)) region = "-";
        else region = zq_scope_value(q);
    }
    const char *mon = trade_monitored_sql(q->arena, "e", 1);
    const char *cond = strcmp(status, "monitored") == 0 ? mon
                       : strcmp(status, "dropped") == 0
                           ? " AND tm.monitored = 0"
                           : " AND (tm.monitored IS NOT NULL OR (e.customs_code IS NOT NULL AND e.customs_code <> ''))";
    const char *from = zq_arena_printf(q->arena, SQL_FROM, db_ilike(q->db));
    const char *like = text && *text ? zq_like_pattern(q->arena, text, 0) : "";
    const char *sql_n = zq_arena_printf(q->arena, "SELECT COUNT(*)%s%s", from, cond);
    const char *sql = zq_arena_printf(q->arena, "%s%s%s ORDER BY e.region, e.name, e.id LIMIT $5 OFFSET $6",
                                      SQL_LIST_COLS, from, cond);
    db_stmt *s = db_prepare(q->db, sql_n);
    if (!s) return trade_db_fail(q, r);
    db_bind_text(s, 1, dir, -1);
    db_bind_text(s, 2, region ? region : "", -1);
    db_bind_text(s, 3, like, -1);
    db_bind_text(s, 4, text ? text : "", -1);
    int rc = db_step(s);
    int64_t total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return trade_db_fail(q, r);
    if (!(s = db_prepare(q->db, sql))) return trade_db_fail(q, r);
    db_bind_text(s, 1, dir, -1);
    db_bind_text(s, 2, region ? region : "", -1);
    db_bind_text(s, 3, like, -1);
    db_bind_text(s, 4, text ? text : "", -1);
    db_bind_int64(s, 5, size);
    db_bind_int64(s, 6, (page - 1) * size);
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) {
        bool explicit_row = !db_col_is_null(s, 8);
        bool on = explicit_row ? db_col_int64(s, 8) == 1 : false;
        const char *tt = db_col_text(s, 5), *cc = db_col_text(s, 3);
        if (!explicit_row)
            on = cc && *cc && tt && (strcmp(tt, dir) == 0 || strcmp(tt, "both") == 0);
        zq_jw_obj(&w);
        zq_jw_kint(&w, "enterprise_id", db_col_int64(s, 0));
        zq_jw_kstr(&w, "name", db_col_text(s, 1));
        zq_jw_kstr(&w, "uscc", db_col_text(s, 2));
        zq_jw_kstr(&w, "customs_code", cc);
        zq_jw_kstr(&w, "region", db_col_text(s, 4));
        zq_jw_kstr(&w, "trade_type", tt);
        zq_jw_kstr(&w, "industry", db_col_text(s, 6));
        zq_jw_kstr(&w, "scale", db_col_text(s, 7));
        zq_jw_kbool(&w, "monitored", on);
        zq_jw_kstr(&w, "source", explicit_row ? (on ? "added" : "dropped") : "default");
        zq_jw_kstr(&w, "reason", explicit_row ? db_col_text(s, 9) : NULL);
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return trade_db_fail(q, r);
    zq_list_end(&w, total, page, size);
    return ZQ_OK;
}

static zq_err monitored_set(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"enterprise_id", "direction", "monitored", "reason", NULL};
    zq_in_only(q, r, keys);
    int64_t eid = zq_in_int(q, r, "enterprise_id", "企业", true, 1, INT64_MAX, NULL);
    const char *dir = zq_in_str(q, r, "direction", "方向", true, 8);
    json_t *mv = json_object_get(q->json, "monitored");
    const char *reason = zq_in_str(q, r, "reason", "原因", true, TRADE_REASON_MAX);
    if (dir && !trade_direction_ok(dir)) zq_fail_field(q, r, "direction", "请选择出口（export）或进口（import）");
    if (!json_is_boolean(mv)) zq_fail_field(q, r, "monitored", "请选择加入或移出监测");
    if (r->err) return r->err;
    bool on = json_is_true(mv);
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    db_stmt *s = db_prepare(q->db, SQL_FIRM);
    if (!s) return trade_db_fail(q, r);
    db_bind_int64(s, 1, eid);
    int rc = db_step(s);
    const char *region = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 0)) : NULL;
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return trade_db_fail(q, r);
    if (!region || !zq_scope_allows(q, region)) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_NOT_FOUND, "企业不存在");
    }
    if (!(s = db_prepare(q->db, SQL_UPSERT))) return trade_db_fail(q, r);
    db_bind_int64(s, 1, eid);
    db_bind_text(s, 2, dir, -1);
    db_bind_int64(s, 3, on);
    db_bind_text(s, 4, reason, -1);
    db_bind_int64(s, 5, q->session->staff_id);
    db_bind_int64(s, 6, q->now);
    rc = db_step(s);
    db_stmt_done(s);
    const char *detail = trade_dump(q->arena, json_pack("{s:s,s:b,s:s}", "direction", dir, "monitored", on, "reason", reason));
    if (rc != DB_DONE || audit(q, eid, region, detail) != 0 || db_commit(q->db) != DB_OK)
        return trade_db_fail(q, r);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "enterprise_id", eid);
    zq_jw_kstr(&w, "direction", dir);
    zq_jw_kbool(&w, "monitored", on);
    zq_jw_kstr(&w, "reason", reason);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/trade/monitored", monitored_list, ZQ_ACCESS_STAFF, "trade.manage|trade.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/trade/monitored", monitored_set, ZQ_ACCESS_STAFF, "trade.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 4096, "trade.monitor"},
};
const zq_route_group trade_monitor_routes = {routes, sizeof routes / sizeof routes[0]};
