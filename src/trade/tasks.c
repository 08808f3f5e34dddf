/*
 * tasks.c — forecast tasks (bureau, manual 6):
 *   GET    /api/v1/admin/trade/tasks?direction=&year=&page=   list with report counts in the caller's scope
 *   POST   /api/v1/admin/trade/tasks                         {year, month, direction, name, deadline, targets, enterprise_ids, note}
 *   GET    /api/v1/admin/trade/tasks/:id                     one task with its counts
 *   PUT    /api/v1/admin/trade/tasks/:id                     {name, deadline, note}
 *   DELETE /api/v1/admin/trade/tasks/:id                     only while no firm has submitted
 * Reading needs trade.manage or trade.review; writing trade.manage and city
 * staff (district staff see counts of their own district only).
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/text.h"
#include "http/input.h"
#include "http/scope.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

#define TASK_IDS_MAX 2000

static const char SQL_COUNTS[] =
    "SELECT COUNT(*), SUM(CASE WHEN status = 'not_reported' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN status = 'draft' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'returned' THEN 1 ELSE 0 END)"
    " FROM trade_report WHERE task_id = $1 AND ($2 = '' OR region = $2)";
/* district staff: the tasks that reached a firm of their district */
#define TASK_IN_SCOPE " AND ($5 = '' OR EXISTS (SELECT 1 FROM trade_report r WHERE r.task_id = t.id AND r.region = $5))"
static const char SQL_LIST_N[] =
    "SELECT COUNT(*) FROM trade_task t WHERE ($1 = '' OR direction = $1) AND ($2 = 0 OR year = $2)" TASK_IN_SCOPE;
static const char SQL_LIST[] =
    "SELECT id, year, month, direction, name, deadline, deadline_at, targets_json, note, source, reports, created_at,"
    " updated_at FROM trade_task t WHERE ($1 = '' OR direction = $1) AND ($2 = 0 OR year = $2)" TASK_IN_SCOPE
    " ORDER BY year DESC, month DESC, id DESC LIMIT $3 OFFSET $4";
static const char SQL_ONE[] =
    "SELECT id, year, month, direction, name, deadline, deadline_at, targets_json, note, source, reports, created_at,"
    " updated_at FROM trade_task WHERE id = $1";
static const char SQL_UPDATE[] =
    "UPDATE trade_task SET name = $2, deadline = $3, deadline_at = $4, note = $5, updated_at = $6 WHERE id = $1";
static const char SQL_SUBMITTED[] =
    "SELECT COUNT(*) FROM trade_report WHERE task_id = $1 AND status IN ('pending', 'approved', 'returned')";
static const char SQL_DELETE_VERSIONS[] =
    "DELETE FROM trade_report_version WHERE report_id IN (SELECT id FROM trade_report WHERE task_id = $1)";
static const char SQL_DELETE_REPORTS[] = "DELETE FROM trade_report WHERE task_id = $1";
static const char SQL_DELETE[] = "DELETE FROM trade_task WHERE id = $1";

/* The one audit call of this file. */
static int audit(zq_req *q, const char *action, int64_t id, const char *detail)
{
    audit_entry e = {.action = action, .object_type = "trade_task",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)id), .detail = detail};
    return audit_emit(q, &e);
}

/* Writes one task row of s (columns of SQL_ONE) with its counts. */
static int write_task(zq_req *q, zq_jw *w, db_stmt *s)
{
    int64_t id = db_col_int64(s, 0);
    zq_jw_obj(w);
    zq_jw_kint(w, "id", id);
    zq_jw_kint(w, "year", db_col_int64(s, 1));
    zq_jw_kint(w, "month", db_col_int64(s, 2));
    zq_jw_kstr(w, "direction", db_col_text(s, 3));
    zq_jw_kstr(w, "name", db_col_text(s, 4));
    zq_jw_kstr(w, "deadline", db_col_text(s, 5));
    zq_jw_kbool(w, "past_deadline", q->now >= db_col_int64(s, 6));
    targets t;
    zq_jw_key(w, "targets");
    if (!db_col_is_null(s, 7) && targets_from_json(q->arena, db_col_text(s, 7), &t) == 0) targets_write(w, &t);
    else zq_jw_null(w);
    zq_jw_kstr(w, "note", db_col_text(s, 8));
    zq_jw_kstr(w, "source", db_col_text(s, 9));
    char ts[26];
    zq_time_iso(db_col_int64(s, 11), ts);
    zq_jw_kstr(w, "created_at", ts);
    db_stmt *c = db_prepare(q->db, SQL_COUNTS);
    if (!c) return DB_ERR;
    db_bind_int64(c, 1, id);
    db_bind_text(c, 2, zq_scope_value(q), -1);
    int rc = db_step(c);
    if (rc == DB_ROW) {
        static const char *const keys[] = {"reports", "not_reported", "draft", "pending", "approved", "returned"};
        zq_jw_key(w, "counts");
        zq_jw_obj(w);
        for (int i = 0; i < 6; i++) zq_jw_kint(w, keys[i], db_col_int64(c, i));
        zq_jw_obj_end(w);
    }
    db_stmt_done(c);
    zq_jw_obj_end(w);
    return rc == DB_ROW ? DB_OK : DB_ERR;
}

static zq_err tasks_list(zq_req *q, zq_resp *r)
{
    const char *dir = zq_req_query(q, "direction");
    const char *ys = zq_req_query(q, "year");
    int64_t year = 0, page, size;
    zq_in_page(q, r, &page, &size, 20, 100);
    if (dir && *dir && !trade_direction_ok(dir)) zq_fail_field(q, r, "direction", "请选择出口（export）或进口（import）");
    if (ys && *ys && !zq_parse_int64(ys, 2000, 2100, &year)) zq_fail_field(q, r, "year", "年份不正确");
    if (r->err) return r->err;
    db_stmt *s = db_prepare(q->db, SQL_LIST_N);
    if (!s) return trade_db_fail(q, r);
    db_bind_text(s, 1, dir ? dir : "", -1);
    db_bind_int64(s, 2, year);
    db_bind_text(s, 5, zq_scope_value(q), -1);
    int rc = db_step(s);
    int64_t total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW || !(s = db_prepare(q->db, SQL_LIST))) return trade_db_fail(q, r);
    db_bind_text(s, 1, dir ? dir : "", -1);
    db_bind_int64(s, 2, year);
    db_bind_int64(s, 3, size);
    db_bind_int64(s, 4, (page - 1) * size);
    db_bind_text(s, 5, zq_scope_value(q), -1);
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW)
        if (write_task(q, &w, s) != DB_OK) {
            rc = DB_ERR;
            break;
        }
    db_stmt_done(s);
    if (rc != DB_DONE) return trade_db_fail(q, r);
    zq_list_end(&w, total, page, size);
    return ZQ_OK;
}

static zq_err render_task(zq_req *q, zq_resp *r, void *ctx)
{
    int64_t id = *(const int64_t *)ctx;
    db_stmt *s = db_prepare(q->db, SQL_ONE);
    if (!s) return trade_db_fail(q, r);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? zq_fail(r, ZQ_E_NOT_FOUND, "任务不存在") : trade_db_fail(q, r);
    }
    zq_jw w;
    zq_resp_json(r, &w, 200);
    rc = write_task(q, &w, s);
    db_stmt_done(s);
    return rc == DB_OK ? ZQ_OK : trade_db_fail(q, r);
}

/* The counts read every report of the task: rendered once per change of
 * the trade data (view_cache.c), keyed by scope and the deadline's side. */
static zq_err task_get(zq_req *q, zq_resp *r)
{
    int64_t id = trade_path_id(q);
    trade_task_head t;
    if (trade_task_load(q, r, id, &t)) return r->err;
    const char *key = zq_arena_printf(q->arena, "t%lld|%s|%d", (long long)id, zq_scope_value(q),
                                      q->now >= t.deadline_at ? 1 : 0);
    return trade_cache_serve(q, r, key, render_task, &id);
}

static const char *default_name(zq_arena *a, int64_t y, int64_t m, const char *dir)
{
    return zq_arena_printf(a, "%lld年%lld月重点监测外贸企业%s预测申报表", (long long)y, (long long)m,
                           trade_direction_name(dir));
}

/* deadline: a real date, today or later */
static void check_deadline(zq_req *q, zq_resp *r, const char *deadline)
{
    int64_t at;
    if (!deadline) return;
    if (!trade_deadline_at(deadline, &at)) zq_fail_field(q, r, "deadline", "截止日期格式应为 YYYY-MM-DD");
    else if (at <= q->now) zq_fail_field(q, r, "deadline", "截止日期不能早于今天");
}

static zq_err task_create(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"year", "month", "direction", "name", "deadline", "targets", "enterprise_ids",
                                       "note", NULL};
    if (!zq_scope_citywide(q)) return zq_fail(r, ZQ_E_FORBIDDEN, "只有市级工作人员可以创建预测任务");
    zq_in_only(q, r, keys);
    trade_task_spec sp = {.source = "manual", .created_by = q->session->staff_id};
    sp.year = (int)zq_in_int(q, r, "year", "年份", true, 2000, 2100, NULL);
    sp.month = (int)zq_in_int(q, r, "month", "申报月份", true, 1, 12, NULL);
    sp.direction = zq_in_str(q, r, "direction", "方向", true, 8);
    sp.name = zq_in_str(q, r, "name", "任务名称", false, 100);
    sp.deadline = zq_in_str(q, r, "deadline", "申报截止日期", true, 10);
    sp.note = zq_in_str(q, r, "note", "备注", false, 500);
    if (sp.direction && !trade_direction_ok(sp.direction))
        zq_fail_field(q, r, "direction", "请选择出口（export）或进口（import）");
    check_deadline(q, r, sp.deadline);
    targets t;
    memset(&t, 0, sizeof t);
    json_t *tj = json_object_get(q->json, "targets");
    if (tj && !json_is_null(tj) && targets_read(q, r, tj, &t) == ZQ_OK) sp.targets = &t;
    json_t *ids = json_object_get(q->json, "enterprise_ids");
    if (ids && !json_is_null(ids)) {
        if (!json_is_array(ids) || json_array_size(ids) > TASK_IDS_MAX) {
            zq_fail_field(q, r, "enterprise_ids", "企业名单格式不正确（最多2000家）");
        } else {
            int64_t *v = zq_arena_alloc(q->arena, (json_array_size(ids) + 1) * sizeof *v);
            size_t i;
            json_t *x;
            json_array_foreach(ids, i, x) {
                if (!json_is_integer(x) || json_integer_value(x) < 1) {
                    zq_fail_field(q, r, "enterprise_ids", "企业名单中有无效的企业编号");
                    break;
                }
                bool dup = false;
                for (int k = 0; k < sp.nids; k++) dup |= v[k] == json_integer_value(x);
                if (!dup) v[sp.nids++] = json_integer_value(x);
            }
            sp.ids = v;
            if (!r->err && sp.nids == 0) zq_fail_field(q, r, "enterprise_ids", "请至少选择一家企业");
        }
    }
    if (r->err) return r->err;
    if (!sp.name) sp.name = default_name(q->arena, sp.year, sp.month, sp.direction);
    int64_t id = 0, n = 0;
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    int rc = trade_task_create(q->db, q->arena, q->now, &sp, &id, &n);
    if (rc == TRADE_NOT_MONITORED) {
        db_rollback(q->db);
        zq_fail_field(q, r, "enterprise_ids",
                      zq_arena_printf(q->arena, "企业 %lld 不在%s监测名单中", (long long)n,
                                      trade_direction_name(sp.direction)));
        return r->err;
    }
    if (rc == DB_OK && n == 0) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_UNPROCESSABLE, "没有符合条件的监测企业，任务未创建");
    }
    const char *detail = trade_dump(q->arena, json_pack("{s:i,s:i,s:s,s:s,s:I}", "year", sp.year, "month", sp.month,
                                                        "direction", sp.direction, "deadline", sp.deadline, "reports",
                                                        (json_int_t)n));
    if (rc != DB_OK || audit(q, "trade.task_create", id, detail) != 0 || db_commit(q->db) != DB_OK)
        return trade_db_fail(q, r);
    notify_kick(q->app);
    zq_jw w;
    zq_resp_json(r, &w, 201);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", id);
    zq_jw_kint(&w, "reports", n);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err task_put(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"name", "deadline", "note", NULL};
    int64_t id = trade_path_id(q);
    trade_task_head t;
    if (trade_task_load(q, r, id, &t)) return r->err;   /* another district's: 404 first */
    if (!zq_scope_citywide(q)) return zq_fail(r, ZQ_E_FORBIDDEN, "只有市级工作人员可以修改预测任务");
    zq_in_only(q, r, keys);
    const char *name = zq_in_str(q, r, "name", "任务名称", true, 100);
    const char *deadline = zq_in_str(q, r, "deadline", "申报截止日期", true, 10);
    const char *note = zq_in_str(q, r, "note", "备注", false, 500);
    check_deadline(q, r, deadline);
    if (r->err) return r->err;
    int64_t at = 0;
    trade_deadline_at(deadline, &at);
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    db_stmt *s = db_prepare(q->db, SQL_UPDATE);
    if (!s) return trade_db_fail(q, r);
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, name, -1);
    db_bind_text(s, 3, deadline, -1);
    db_bind_int64(s, 4, at);
    db_bind_text(s, 5, note ? note : "", -1);
    db_bind_int64(s, 6, q->now);
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return trade_db_fail(q, r);
    if (n == 0) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_NOT_FOUND, "任务不存在");
    }
    const char *detail = trade_dump(q->arena, json_pack("{s:s,s:s}", "name", name, "deadline", deadline));
    if (trade_rev_bump(q->db) != DB_OK || audit(q, "trade.task_update", id, detail) != 0 || db_commit(q->db) != DB_OK)
        return trade_db_fail(q, r);
    return task_get(q, r);
}

static int run_id(db_conn *c, const char *sql, int64_t id, int64_t *out)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (out) *out = rc == DB_ROW ? db_col_int64(s, 0) : db_changes(s);
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

static zq_err task_delete(zq_req *q, zq_resp *r)
{
    int64_t id = trade_path_id(q), submitted = 0, gone = 0;
    trade_task_head t;
    if (trade_task_load(q, r, id, &t)) return r->err;   /* another district's: 404 first */
    if (!zq_scope_citywide(q)) return zq_fail(r, ZQ_E_FORBIDDEN, "只有市级工作人员可以删除预测任务");
    if (zq_in_none(q, r)) return r->err;
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    if (run_id(q->db, SQL_SUBMITTED, id, &submitted) != DB_OK) return trade_db_fail(q, r);
    if (submitted > 0) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_CONFLICT, "已有企业提交申报，任务不能删除");
    }
    if (run_id(q->db, SQL_DELETE_VERSIONS, id, NULL) != DB_OK || run_id(q->db, SQL_DELETE_REPORTS, id, NULL) != DB_OK ||
        run_id(q->db, SQL_DELETE, id, &gone) != DB_OK)
        return trade_db_fail(q, r);
    if (gone == 0) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_NOT_FOUND, "任务不存在");
    }
    if (trade_rev_bump(q->db) != DB_OK || audit(q, "trade.task_delete", id, NULL) != 0 || db_commit(q->db) != DB_OK)
        return trade_db_fail(q, r);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", id);
    zq_jw_kbool(&w, "deleted", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/trade/tasks", tasks_list, ZQ_ACCESS_STAFF, "trade.manage|trade.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/trade/tasks", task_create, ZQ_ACCESS_STAFF, "trade.manage", ZQ_RF_JSON | ZQ_RF_SCOPED,
     262144, "trade.task_create"},
    {ZQ_GET, "/api/v1/admin/trade/tasks/:id", task_get, ZQ_ACCESS_STAFF, "trade.manage|trade.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
    {ZQ_PUT, "/api/v1/admin/trade/tasks/:id", task_put, ZQ_ACCESS_STAFF, "trade.manage", ZQ_RF_JSON | ZQ_RF_SCOPED,
     4096, "trade.task_update"},
    {ZQ_DELETE, "/api/v1/admin/trade/tasks/:id", task_delete, ZQ_ACCESS_STAFF, "trade.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 1024, "trade.task_delete"},
};
const zq_route_group trade_task_routes = {routes, sizeof routes / sizeof routes[0]};
