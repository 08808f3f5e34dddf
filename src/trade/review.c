/*
 * review.c — the bureau's review of a task's reports (manual 6):
 *   GET  /api/v1/admin/trade/tasks/:id/reports?region=&status=&flag=&page=   every report with values, YoY, reasons, flags
 *   GET  /api/v1/admin/trade/reports/:id                                      one report with its version trail
 *   POST /api/v1/admin/trade/reports/:id/approve                              pending → approved
 *   POST /api/v1/admin/trade/reports/:id/return    {"reason":…}               pending → returned
 *   POST /api/v1/admin/trade/reports/:id/reopen                               unlocks it past the deadline for the firm
 *   POST /api/v1/admin/trade/reports/bulk-approve  {"ids":[…]}                every pending one of them in scope
 * District staff see and decide only their district's reports (another
 * district's answers 404). Each decision notifies the firm and is audited.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "audit/audit.h"
#include "core/text.h"
#include "http/input.h"
#include "http/scope.h"
#include "notify/notify.h"
#include <string.h>

#define BULK_MAX 500

static const char SQL_LIST_WHERE[] =
    " FROM trade_report r WHERE r.task_id = $1 AND ($2 = '' OR r.region = $2) AND ($3 = '' OR r.region = $3)"
    " AND ($4 = '' OR r.status = $4) AND ($5 = '' OR ($5 = 'any' AND r.flags <> '')"
    " OR ($5 <> 'any' AND r.flags LIKE $6))";
static const char SQL_DECIDE[] =
    "UPDATE trade_report SET status = $3, return_reason = $4, reviewed_at = $5, reviewed_by = $6,"
    " version = version + 1, updated_at = $5 WHERE id = $1 AND version = $2 AND status = 'pending'";
static const char SQL_REOPEN[] =
    "UPDATE trade_report SET reopened = 1, version = version + 1, updated_at = $3"
    " WHERE id = $1 AND version = $2 AND status <> 'approved' AND reopened = 0";

static zq_err task_reports(zq_req *q, zq_resp *r)
{
    int64_t task = trade_path_id(q), page, size;
    const char *region = zq_req_query(q, "region"), *status = zq_req_query(q, "status");
    const char *flag = zq_req_query(q, "flag");
    zq_in_page(q, r, &page, &size, 20, 100);
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (status && *status && !trade_status_ok(status)) zq_fail_field(q, r, "status", "状态不正确");
    if (flag && *flag && strcmp(flag, "any") && !*trade_flag_reason(flag)) zq_fail_field(q, r, "flag", "异常标记不正确");
    if (r->err) return r->err;
    trade_task_head t;
    if (trade_task_load(q, r, task, &t)) return r->err;
    db_stmt *s;
    int rc;
    const char *like = flag && *flag && strcmp(flag, "any") ? zq_arena_printf(q->arena, "%%%s%%", flag) : "";
    int64_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *sql = pass ? zq_arena_printf(q->arena, "SELECT r.id%s ORDER BY r.region, r.id LIMIT $7 OFFSET $8",
                                                 SQL_LIST_WHERE)
                               : zq_arena_printf(q->arena, "SELECT COUNT(*)%s", SQL_LIST_WHERE);
        if (!(s = db_prepare(q->db, sql))) return trade_db_fail(q, r);
        db_bind_int64(s, 1, task);
        db_bind_text(s, 2, zq_scope_value(q), -1);
        db_bind_text(s, 3, region ? region : "", -1);
        db_bind_text(s, 4, status ? status : "", -1);
        db_bind_text(s, 5, flag ? flag : "", -1);
        db_bind_text(s, 6, like, -1);
        if (!pass) {
            rc = db_step(s);
            total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
            db_stmt_done(s);
            if (rc != DB_ROW) return trade_db_fail(q, r);
            continue;
        }
        db_bind_int64(s, 7, size);
        db_bind_int64(s, 8, (page - 1) * size);
        zq_jw w;
        zq_list_begin(r, &w);
        while ((rc = db_step(s)) == DB_ROW)
            if (trade_report_write(q->db, q->arena, &w, db_col_int64(s, 0), q->now, false) != DB_OK) {
                rc = DB_ERR;
                break;
            }
        db_stmt_done(s);
        if (rc != DB_DONE) return trade_db_fail(q, r);
        zq_list_end(&w, total, page, size);
    }
    return ZQ_OK;
}

/* A report in the caller's scope, or 404 (rolled back). */
static zq_err load_scoped(zq_req *q, zq_resp *r, int64_t id, trade_row *row)
{
    int rc = trade_row_load(q->db, q->arena, id, row);
    if (rc == DB_ROW && zq_scope_allows(q, row->region)) return ZQ_OK;
    if (db_in_tx(q->db)) db_rollback(q->db);
    return rc < 0 ? zq_fail(r, ZQ_E_INTERNAL, NULL) : zq_fail(r, ZQ_E_NOT_FOUND, "申报记录不存在");
}

static zq_err report_get(zq_req *q, zq_resp *r)
{
    trade_row row;
    if (load_scoped(q, r, trade_path_id(q), &row)) return r->err;
    return trade_answer(q, r, row.id);
}

/* Inside the transaction: pending → approved/returned, its version, the
 * firm's notification, the audit. 1 when the report was not pending. */
static int decide(zq_req *q, const trade_row *row, bool approve, const char *reason)
{
    if (strcmp(row->status, "pending")) return 1;
    db_stmt *s = db_prepare(q->db, SQL_DECIDE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, row->id);
    db_bind_int64(s, 2, row->version);
    db_bind_text(s, 3, approve ? "approved" : "returned", -1);
    db_bind_text(s, 4, reason ? reason : "", -1);
    db_bind_int64(s, 5, q->now);
    db_bind_int64(s, 6, q->session->staff_id);
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if (n == 0) return 1;
    const char *action = approve ? "approve" : "return";
    if ((rc = trade_version_add(q->db, row->id, action, "staff", q->session->staff_id, q->session->actor_name,
                                q->now)) != DB_OK)
        return rc;
    notify_msg m = {.topic = "trade", .template_code = approve ? "trade.approved" : "trade.returned",
                    .ref_type = "trade_report", .ref_id = row->id,
                    .params_json = trade_dump(q->arena, json_pack("{s:s,s:s}", "name", row->task_name, "reason",
                                                                  reason ? reason : "")),
                    .link = zq_arena_printf(q->arena, "/console/trade/%s/reports/%lld", row->direction,
                                            (long long)row->id)};
    /* a report returned twice must reach the firm twice: the idempotency
     * key carries the version */
    m.ref_id = row->id * 1000 + (row->version + 1) % 1000;
    if ((rc = notify_enterprise(q->db, q->now, &m, row->enterprise_id, "trade.report", NULL)) != DB_OK) return rc;
    const char *detail = reason ? trade_dump(q->arena, json_pack("{s:s}", "reason", reason)) : NULL;
    return trade_audit_report(q, approve ? "trade.report_approve" : "trade.report_return", row, detail) == 0 ? DB_OK : DB_ERR;
}

static zq_err decide_one(zq_req *q, zq_resp *r, bool approve)
{
    static const char *const keys[] = {"reason", NULL};
    trade_row probe;
    if (load_scoped(q, r, trade_path_id(q), &probe)) return r->err;
    zq_in_only(q, r, keys);
    const char *reason = approve ? NULL : zq_in_str(q, r, "reason", "退回原因", true, TRADE_REASON_MAX);
    if (approve && zq_in_has(q, "reason")) zq_fail_field(q, r, "reason", "通过时不需要填写原因");
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    trade_row row;
    if (load_scoped(q, r, trade_path_id(q), &row)) return r->err;
    int rc = decide(q, &row, approve, reason);
    if (rc == 1) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_CONFLICT, "只有待审核的申报可以审核");
    }
    if (rc != DB_OK || db_commit(q->db) != DB_OK) return trade_db_fail(q, r);
    notify_kick(q->app);
    return trade_answer(q, r, row.id);
}

static zq_err report_approve(zq_req *q, zq_resp *r)
{
    return decide_one(q, r, true);
}

static zq_err report_return(zq_req *q, zq_resp *r)
{
    return decide_one(q, r, false);
}

static zq_err report_reopen(zq_req *q, zq_resp *r)
{
    if (zq_in_none(q, r)) return r->err;
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    trade_row row;
    if (load_scoped(q, r, trade_path_id(q), &row)) return r->err;
    if (strcmp(row.status, "approved") == 0 || row.reopened) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_CONFLICT, row.reopened ? "该申报已重新开放" : "已通过的申报不能重新开放");
    }
    db_stmt *s = db_prepare(q->db, SQL_REOPEN);
    if (!s) return trade_db_fail(q, r);
    db_bind_int64(s, 1, row.id);
    db_bind_int64(s, 2, row.version);
    db_bind_int64(s, 3, q->now);
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return trade_db_fail(q, r);
    if (n == 0) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_CONFLICT, "申报状态已变化，请刷新后再试");
    }
    if (trade_version_add(q->db, row.id, "reopen", "staff", q->session->staff_id, q->session->actor_name, q->now) !=
            DB_OK ||
        trade_audit_report(q, "trade.report_reopen", &row, NULL) != 0 || db_commit(q->db) != DB_OK)
        return trade_db_fail(q, r);
    return trade_answer(q, r, row.id);
}

static zq_err bulk_approve(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"ids", NULL};
    zq_in_only(q, r, keys);
    json_t *ids = json_object_get(q->json, "ids");
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > BULK_MAX)
        zq_fail_field(q, r, "ids", "请选择要通过的申报（一次最多500条）");
    size_t i;
    json_t *x;
    if (!r->err) json_array_foreach(ids, i, x) if (!json_is_integer(x) || json_integer_value(x) < 1) {
            zq_fail_field(q, r, "ids", "申报编号不正确");
            break;
        }
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    int64_t approved = 0, *skipped = zq_arena_alloc(q->arena, json_array_size(ids) * sizeof *skipped);
    size_t nskipped = 0;
    json_array_foreach(ids, i, x) {
        trade_row row;
        int rc = trade_row_load(q->db, q->arena, json_integer_value(x), &row);
        if (rc < 0) return trade_db_fail(q, r);
        if (rc == DB_DONE || !zq_scope_allows(q, row.region)) rc = 1;
        else rc = decide(q, &row, true, NULL);
        if (rc < 0) return trade_db_fail(q, r);
        if (rc == 1) skipped[nskipped++] = json_integer_value(x);
        else approved++;
    }
    if (db_commit(q->db) != DB_OK) return trade_db_fail(q, r);
    notify_kick(q->app);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "approved", approved);
    zq_jw_key(&w, "skipped");
    zq_jw_arr(&w);
    for (size_t k = 0; k < nskipped; k++) zq_jw_int(&w, skipped[k]);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/trade/tasks/:id/reports", task_reports, ZQ_ACCESS_STAFF, "trade.review|trade.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/trade/reports/bulk-approve", bulk_approve, ZQ_ACCESS_STAFF, "trade.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 16384, "trade.report_approve"},
    {ZQ_GET, "/api/v1/admin/trade/reports/:id", report_get, ZQ_ACCESS_STAFF, "trade.review|trade.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/trade/reports/:id/approve", report_approve, ZQ_ACCESS_STAFF, "trade.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 1024, "trade.report_approve"},
    {ZQ_POST, "/api/v1/admin/trade/reports/:id/return", report_return, ZQ_ACCESS_STAFF, "trade.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 4096, "trade.report_return"},
    {ZQ_POST, "/api/v1/admin/trade/reports/:id/reopen", report_reopen, ZQ_ACCESS_STAFF, "trade.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 1024, "trade.report_reopen"},
};
const zq_route_group trade_review_routes = {routes, sizeof routes / sizeof routes[0]};
