/*
 * reports.c — the firm's side (manual 5.1, 5.2):
 *   GET  /api/v1/enterprise/trade/reports?direction=&year=&status=&page=   (trade.report|policy.view)
 *   GET  /api/v1/enterprise/trade/reports/:id                             the form with 去年同期, 同比, reason flags
 *   PUT  /api/v1/enterprise/trade/reports/:id                             save a draft {month, ytd, next_month, next_quarter, month_reason, ytd_reason, version}
 *   POST /api/v1/enterprise/trade/reports/:id/submit                      → pending (reasons required past the thresholds)
 *   POST /api/v1/enterprise/trade/reports/:id/withdraw                    pending → draft, before the deadline
 * Every query is scoped to the caller's enterprise: another firm's report
 * answers 404. Each transition is one conditional UPDATE on (status,
 * version), so concurrent saves are refused (409) and fifty identical
 * submits change the state once.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/text.h"
#include "http/input.h"
#include <string.h>

static const char SQL_LIST_WHERE[] =
    " FROM trade_report r JOIN trade_task t ON t.id = r.task_id WHERE r.enterprise_id = $1"
    " AND ($2 = '' OR r.direction = $2) AND ($3 = 0 OR r.year = $3)"
    " AND ($4 = '' OR r.status = $4 OR ($4 = 'overdue' AND r.status NOT IN ('pending', 'approved') AND t.deadline_at <= $5))";
static const char SQL_SAVE[] =
    "UPDATE trade_report SET month_amt = $3, ytd_amt = $4, next_month_amt = $5, next_quarter_amt = $6,"
    " month_reason = $7, ytd_reason = $8, status = 'draft', version = version + 1, updated_at = $9"
    " WHERE id = $1 AND version = $2 AND status IN ('not_reported', 'draft', 'returned')";
static const char SQL_SUBMIT[] =
    "UPDATE trade_report SET status = 'pending', version = version + 1, submitted_at = $3, submitted_by = $4,"
    " reopened = 0, return_reason = '', flags = $5, updated_at = $3 WHERE id = $1 AND version = $2"
    " AND status IN ('draft', 'returned')";
static const char SQL_WITHDRAW[] =
    "UPDATE trade_report SET status = 'draft', version = version + 1, updated_at = $3"
    " WHERE id = $1 AND version = $2 AND status = 'pending'";

static zq_err reports_list(zq_req *q, zq_resp *r)
{
    const char *dir = zq_req_query(q, "direction"), *ys = zq_req_query(q, "year");
    const char *status = zq_req_query(q, "status");
    int64_t year = 0, page, size;
    zq_in_page(q, r, &page, &size, 20, 100);
    if (dir && *dir && !trade_direction_ok(dir)) zq_fail_field(q, r, "direction", "请选择出口（export）或进口（import）");
    if (ys && *ys && !zq_parse_int64(ys, 2000, 2100, &year)) zq_fail_field(q, r, "year", "年份不正确");
    if (status && *status && !trade_status_ok(status) && strcmp(status, "overdue"))
        zq_fail_field(q, r, "status", "状态不正确");
    if (r->err) return r->err;
    int64_t eid = q->session->enterprise_id;
    const char *sql_n = zq_arena_printf(q->arena, "SELECT COUNT(*)%s", SQL_LIST_WHERE);
    const char *sql = zq_arena_printf(
        q->arena,
        "SELECT r.id, r.task_id, r.year, r.month, r.direction, t.name, t.deadline, t.deadline_at, r.status,"
        " r.reopened, r.submitted_at, r.version%s ORDER BY r.year DESC, r.month DESC, r.id DESC LIMIT $6 OFFSET $7",
        SQL_LIST_WHERE);
    int64_t total = 0;
    int rc = DB_ERR;
    for (int pass = 0; pass < 2; pass++) {
        db_stmt *s = db_prepare(q->db, pass ? sql : sql_n);
        if (!s) return trade_db_fail(q, r);
        db_bind_int64(s, 1, eid);
        db_bind_text(s, 2, dir ? dir : "", -1);
        db_bind_int64(s, 3, year);
        db_bind_text(s, 4, status ? status : "", -1);
        db_bind_int64(s, 5, q->now);
        if (!pass) {
            rc = db_step(s);
            total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
            db_stmt_done(s);
            if (rc != DB_ROW) return trade_db_fail(q, r);
            continue;
        }
        db_bind_int64(s, 6, size);
        db_bind_int64(s, 7, (page - 1) * size);
        zq_jw w;
        zq_list_begin(r, &w);
        while ((rc = db_step(s)) == DB_ROW) {
            const char *st = db_col_text(s, 8);
            bool past = q->now >= db_col_int64(s, 7), reopened = db_col_int64(s, 9) != 0;
            bool done = strcmp(st, "pending") == 0 || strcmp(st, "approved") == 0;
            zq_jw_obj(&w);
            zq_jw_kint(&w, "id", db_col_int64(s, 0));
            zq_jw_kint(&w, "task_id", db_col_int64(s, 1));
            zq_jw_kint(&w, "year", db_col_int64(s, 2));
            zq_jw_kint(&w, "month", db_col_int64(s, 3));
            zq_jw_kstr(&w, "direction", db_col_text(s, 4));
            zq_jw_kstr(&w, "task_name", db_col_text(s, 5));
            zq_jw_kstr(&w, "deadline", db_col_text(s, 6));
            zq_jw_kstr(&w, "status", st);
            zq_jw_kstr(&w, "status_name", past && !done ? "逾期" : trade_status_name(st));
            zq_jw_kbool(&w, "overdue", past && !done);
            zq_jw_kbool(&w, "locked", past && !reopened);
            zq_jw_kint(&w, "version", db_col_int64(s, 11));
            int64_t sub = db_col_int64(s, 10);
            char ts[26];
            zq_time_iso(sub, ts);
            zq_jw_kstr(&w, "submitted_at", sub ? ts : NULL);
            zq_jw_obj_end(&w);
        }
        db_stmt_done(s);
        if (rc != DB_DONE) return trade_db_fail(q, r);
        zq_list_end(&w, total, page, size);
    }
    return ZQ_OK;
}

/* The report of the caller's enterprise, or 404. */
static zq_err load_own(zq_req *q, zq_resp *r, trade_row *row)
{
    int rc = trade_row_load(q->db, q->arena, trade_path_id(q), row);
    if (rc == DB_ROW && row->enterprise_id == q->session->enterprise_id) return ZQ_OK;
    if (db_in_tx(q->db)) db_rollback(q->db);
    return rc < 0 ? zq_fail(r, ZQ_E_INTERNAL, NULL) : zq_fail(r, ZQ_E_NOT_FOUND, "申报记录不存在");
}

static zq_err report_get(zq_req *q, zq_resp *r)
{
    trade_row row;
    if (load_own(q, r, &row)) return r->err;
    return trade_answer(q, r, row.id);
}

static const char *const amount_keys[4] = {"month", "ytd", "next_month", "next_quarter"};
static const char *const amount_labels[4] = {"本月预测", "本年累计预测", "下月预测", "下季度预测"};

/* One amount: absent or null = not filled; else a 万元 string. */
static void read_amount(zq_req *q, zq_resp *r, int i, bool *has, int64_t *v)
{
    json_t *j = json_object_get(q->json, amount_keys[i]);
    *has = false;
    if (!j || json_is_null(j)) return;
    if (!json_is_string(j) || json_string_length(j) == 0) {
        zq_fail_field(q, r, amount_keys[i], zq_arena_printf(q->arena, "%s须为金额（万元），如 123.4500", amount_labels[i]));
        return;
    }
    zq_money_rc mrc = zq_wan_to_yuan(json_string_value(j), v);
    if (mrc != ZQ_MONEY_OK) {
        zq_fail_field(q, r, amount_keys[i], zq_arena_printf(q->arena, "%s：%s", amount_labels[i], zq_money_message(mrc)));
        return;
    }
    if (*v > TRADE_MAX_YUAN) {
        zq_fail_field(q, r, amount_keys[i], zq_arena_printf(q->arena, "%s不能超过100亿万元", amount_labels[i]));
        return;
    }
    *has = true;
}

static const char *state_refusal(const trade_row *row, int64_t now, const char *action)
{
    if (trade_row_locked(row, now)) return "已过申报截止日期，如需修改请联系商务局重新开放";
    if (strcmp(row->status, "approved") == 0) return "申报已审核通过，不能再修改";
    if (strcmp(action, "withdraw") == 0) return strcmp(row->status, "pending") ? "只有待审核的申报可以撤回" : NULL;
    if (strcmp(row->status, "pending") == 0) return "申报待审核，请先撤回再修改";
    return NULL;
}

static zq_err report_put(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"month", "ytd", "next_month", "next_quarter", "month_reason", "ytd_reason",
                                       "version", NULL};
    zq_in_only(q, r, keys);
    bool has[4];
    int64_t v[4] = {0};
    for (int i = 0; i < 4; i++) read_amount(q, r, i, &has[i], &v[i]);
    const char *mr = zq_in_str(q, r, "month_reason", "当月增减原因", false, TRADE_REASON_MAX);
    const char *yr = zq_in_str(q, r, "ytd_reason", "累计增减原因", false, TRADE_REASON_MAX);
    int64_t version = zq_in_int(q, r, "version", "版本", true, 1, INT32_MAX, NULL);
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    trade_row row;
    if (load_own(q, r, &row)) return r->err;
    const char *why = state_refusal(&row, q->now, "save");
    if (why) return hk_fail_tx(q, r, ZQ_E_CONFLICT, why);
    if (row.version != version) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "申报已被他人修改，请刷新后再试");
    db_stmt *s = db_prepare(q->db, SQL_SAVE);
    if (!s) return trade_db_fail(q, r);
    db_bind_int64(s, 1, row.id);
    db_bind_int64(s, 2, version);
    for (int i = 0; i < 4; i++) {
        if (has[i]) db_bind_int64(s, 3 + i, v[i]);
        else db_bind_null(s, 3 + i);
    }
    db_bind_text(s, 7, mr ? mr : "", -1);
    db_bind_text(s, 8, yr ? yr : "", -1);
    db_bind_int64(s, 9, q->now);
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return trade_db_fail(q, r);
    if (n == 0) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "申报已被他人修改，请刷新后再试");
    if (trade_version_add(q->db, row.id, "save", "user", q->session->user_id, q->session->actor_name, q->now) != DB_OK ||
        trade_audit_report(q, "trade.report_save", &row, NULL) != 0 || db_commit(q->db) != DB_OK)
        return trade_db_fail(q, r);
    return trade_answer(q, r, row.id);
}

/* Fields missing before a submit: amounts, and reasons past the thresholds.
 * h gets the firm's history (the outlier flags use it too). */
static void check_complete(zq_req *q, zq_resp *r, const trade_row *row, trade_history *hp)
{
    for (int i = 0; i < 4; i++)
        if (!row->has[i]) zq_fail_field(q, r, amount_keys[i], zq_arena_printf(q->arena, "请填写%s", amount_labels[i]));
    if (r->err) return;
    trade_history *h = hp;
    trade_thresholds th;
    trade_bases b;
    if (trade_history_load(q->db, row->enterprise_id, row->direction, row->year, h) != DB_OK ||
        trade_thresholds_get(q->db, row->year, &th) != DB_OK) {
        zq_fail(r, ZQ_E_INTERNAL, NULL);
        return;
    }
    trade_bases_compute(h, (trade_ym){row->year, row->month}, &b);
    if (trade_beyond(row->amt[0], b.base_month, th.month_down, th.month_up) && !*row->month_reason)
        zq_fail_field(q, r, "month_reason",
                      zq_arena_printf(q->arena, "当月同比下降超过%s%%或增长超过%s%%，请填写原因",
                                      trade_tenths_str(q->arena, th.month_down), trade_tenths_str(q->arena, th.month_up)));
    if (trade_beyond(row->amt[1], b.base_ytd, th.ytd_down, th.ytd_up) && !*row->ytd_reason)
        zq_fail_field(q, r, "ytd_reason",
                      zq_arena_printf(q->arena, "累计同比下降超过%s%%或增长超过%s%%，请填写原因",
                                      trade_tenths_str(q->arena, th.ytd_down), trade_tenths_str(q->arena, th.ytd_up)));
}

/* Everything a submit reads (the row, the firm's history, the thresholds,
 * the outlier flags) is read before the write lock: SQLite has one writer,
 * and 64 firms submitting at once queue on it. The conditional UPDATE on
 * (id, version, status) then proves nothing of the row changed since it
 * was read, so the checks made on it still hold; only the flags, which
 * are a hint for the reviewer, may miss a month approved in between. */
static zq_err transition(zq_req *q, zq_resp *r, bool submit)
{
    static const char *const keys[] = {"version", NULL};
    zq_in_only(q, r, keys);
    bool given = false;
    int64_t version = zq_in_int(q, r, "version", "版本", false, 1, INT32_MAX, &given);
    if (r->err) return r->err;
    trade_row row;
    if (load_own(q, r, &row)) return r->err;
    if (!given) version = row.version;
    const char *why = state_refusal(&row, q->now, submit ? "submit" : "withdraw");
    if (why) return zq_fail(r, ZQ_E_CONFLICT, why);
    if (row.version != version) return zq_fail(r, ZQ_E_CONFLICT, "申报已被他人修改，请刷新后再试");
    const char *flags = "";
    if (submit) {
        trade_history h;
        check_complete(q, r, &row, &h);
        if (r->err) return r->err;
        if (trade_outliers(q->db, q->arena, &row, &h, &flags) != DB_OK) return trade_db_fail(q, r);
    }
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    db_stmt *s = db_prepare(q->db, submit ? SQL_SUBMIT : SQL_WITHDRAW);
    if (!s) return trade_db_fail(q, r);
    db_bind_int64(s, 1, row.id);
    db_bind_int64(s, 2, version);
    db_bind_int64(s, 3, q->now);
    if (submit) {
        db_bind_int64(s, 4, q->session->user_id);
        db_bind_text(s, 5, flags, -1);
    }
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return trade_db_fail(q, r);
    if (n == 0) return hk_fail_tx(q, r, ZQ_E_CONFLICT, submit ? "申报状态已变化，不能提交" : "申报状态已变化，不能撤回");
    const char *action = submit ? "submit" : "withdraw";
    if (trade_version_add(q->db, row.id, action, "user", q->session->user_id, q->session->actor_name, q->now) !=
            DB_OK ||
        trade_audit_report(q, submit ? "trade.report_submit" : "trade.report_withdraw", &row, NULL) != 0 ||
        db_commit(q->db) != DB_OK)
        return trade_db_fail(q, r);
    return trade_answer(q, r, row.id);
}

static zq_err report_submit(zq_req *q, zq_resp *r)
{
    return transition(q, r, true);
}

static zq_err report_withdraw(zq_req *q, zq_resp *r)
{
    return transition(q, r, false);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/trade/reports", reports_list, ZQ_ACCESS_MEMBER, "trade.report|policy.view",
     ZQ_RF_JSON, 0, NULL},
    {ZQ_GET, "/api/v1/enterprise/trade/reports/:id", report_get, ZQ_ACCESS_MEMBER, "trade.report|policy.view",
     ZQ_RF_JSON, 0, NULL},
    {ZQ_PUT, "/api/v1/enterprise/trade/reports/:id", report_put, ZQ_ACCESS_MEMBER, "trade.report", ZQ_RF_JSON, 8192,
     "trade.report_save"},
    {ZQ_POST, "/api/v1/enterprise/trade/reports/:id/submit", report_submit, ZQ_ACCESS_MEMBER, "trade.report",
     ZQ_RF_JSON, 1024, "trade.report_submit"},
    {ZQ_POST, "/api/v1/enterprise/trade/reports/:id/withdraw", report_withdraw, ZQ_ACCESS_MEMBER, "trade.report",
     ZQ_RF_JSON, 1024, "trade.report_withdraw"},
};
const zq_route_group trade_report_routes = {routes, sizeof routes / sizeof routes[0]};
