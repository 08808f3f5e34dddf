/*
 * export.c — GET /api/v1/admin/trade/tasks/:id/export?region=  (trade.review|trade.manage)
 * a task as an .xlsx attachment, streamed like the directory export
 * (libxlsxwriter in constant-memory mode, sent from an unlinked temporary
 * file by descriptor): sheet 申报明细 with the manual's columns plus
 * district, industry, status, reviewer and times, one row per report with
 * 去年同期 and 同比 of each block; sheet 完成情况 per district. District
 * staff get their district only.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "http/scope.h"
#include "upload/upload.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char SQL_ROWS[] =
    "SELECT r.id, r.enterprise_id, e.customs_code, e.name, COALESCE(rg.name, r.region), COALESCE(ind.name, e.industry),"
    " r.status, r.month_amt, r.ytd_amt, r.next_month_amt, r.next_quarter_amt, r.month_reason, r.ytd_reason, r.flags,"
    " r.submitted_at, COALESCE(s.name, ''), r.reviewed_at, r.return_reason"
    " FROM trade_report r JOIN enterprise e ON e.id = r.enterprise_id"
    " LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = r.region"
    " LEFT JOIN dict_item ind ON ind.type = 'industry' AND ind.code = e.industry"
    " LEFT JOIN staff s ON s.id = r.reviewed_by"
    " WHERE r.task_id = $1 AND ($2 = '' OR r.region = $2) AND ($3 = '' OR r.region = $3) ORDER BY r.region, r.id";
static const char SQL_BY_REGION[] =
    "SELECT COALESCE(rg.name, r.region), COUNT(*), SUM(CASE WHEN r.status IN ('pending', 'approved') THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN r.status = 'approved' THEN 1 ELSE 0 END), SUM(CASE WHEN r.status = 'returned' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN r.status IN ('not_reported', 'draft') THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN r.status IN ('pending', 'approved') THEN COALESCE(r.month_amt, 0) ELSE 0 END)"
    " FROM trade_report r LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = r.region"
    " WHERE r.task_id = $1 AND ($2 = '' OR r.region = $2) AND ($3 = '' OR r.region = $3)"
    " GROUP BY r.region, rg.name ORDER BY r.region";

static const char *const HEAD[] = {
    "年份", "申报月份", "任务名称", "海关代码", "企业名称", "区县", "行业", "状态",
    "本月预测(万元)", "去年同期(万元)", "同比(%)", "当月增减原因",
    "本年累计预测(万元)", "去年同期(万元)", "同比(%)", "累计增减原因",
    "下月预测(万元)", "去年同期(万元)", "同比(%)", "下季度预测(万元)", "去年同期(万元)", "同比(%)",
    "异常标记", "退回原因", "提交时间", "审核人", "审核时间"};
#define NHEAD (sizeof HEAD / sizeof HEAD[0])

/* The one audit call of this file. */
static int audit(zq_req *q, int64_t task, int64_t rows)
{
    audit_entry e = {.action = "trade.export", .object_type = "trade_task",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)task),
                     .detail = zq_arena_printf(q->arena, "{\"rows\":%lld}", (long long)rows)};
    if (!zq_scope_citywide(q)) e.region = q->scope_region;
    return audit_record(q, &e);
}

static void cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s)
{
    if (s && *s) worksheet_write_string(ws, r, c, s, NULL);
}

static void cell_time(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, int64_t t)
{
    char buf[20];
    if (!t) return;
    zq_time_local(t, buf);
    worksheet_write_string(ws, r, c, buf, NULL);
}

/* amount, last year, YoY in three cells */
static void block(zq_arena *a, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, db_stmt *s, int col, int64_t base)
{
    if (db_col_is_null(s, col)) return;
    int64_t v = db_col_int64(s, col);
    cell(ws, r, c, trade_wan(a, v));
    cell(ws, r, c + 1, trade_wan(a, base));
    const char *y = trade_yoy_str(a, v, base);
    cell(ws, r, c + 2, y ? y : "—");
}

static int write_reports(zq_req *q, lxw_worksheet *ws, int64_t task, int year, int month, const char *dir,
                         const char *name, const char *region, int64_t *rows)
{
    for (lxw_col_t c = 0; c < NHEAD; c++) worksheet_write_string(ws, 0, c, HEAD[c], NULL);
    db_stmt *s = db_prepare(q->db, SQL_ROWS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, task);
    db_bind_text(s, 2, zq_scope_value(q), -1);
    db_bind_text(s, 3, region, -1);
    int rc;
    lxw_row_t row = 1;
    zq_arena *a = zq_arena_new(64 * 1024);
    if (!a) {
        db_stmt_done(s);
        return DB_ERR;
    }
    while ((rc = db_step(s)) == DB_ROW) {
        trade_history h;
        trade_bases b;
        if (trade_history_load(q->db, db_col_int64(s, 1), dir, year, &h) != DB_OK) {
            rc = DB_ERR;
            break;
        }
        trade_bases_compute(&h, (trade_ym){year, month}, &b);
        char ym[8];
        snprintf(ym, sizeof ym, "%d月", month);
        worksheet_write_number(ws, row, 0, year, NULL);
        cell(ws, row, 1, ym);
        cell(ws, row, 2, name);
        for (int k = 0; k < 4; k++) cell(ws, row, (lxw_col_t)(3 + k), db_col_text(s, 2 + k));
        cell(ws, row, 7, trade_status_name(db_col_text(s, 6)));
        block(a, ws, row, 8, s, 7, b.base_month);
        cell(ws, row, 11, db_col_text(s, 11));
        block(a, ws, row, 12, s, 8, b.base_ytd);
        cell(ws, row, 15, db_col_text(s, 12));
        block(a, ws, row, 16, s, 9, b.base_next_month);
        block(a, ws, row, 19, s, 10, b.base_next_quarter);
        const char *flags = db_col_text(s, 13);
        if (flags && *flags) {
            char *copy = zq_arena_strdup(a, flags), *save = NULL;
            const char *text = "";
            for (char *f = strtok_r(copy, " ", &save); f; f = strtok_r(NULL, " ", &save))
                text = zq_arena_printf(a, "%s%s%s", text, *text ? "；" : "", trade_flag_reason(f));
            cell(ws, row, 22, text);
        }
        cell(ws, row, 23, db_col_text(s, 17));
        cell_time(ws, row, 24, db_col_int64(s, 14));
        cell(ws, row, 25, db_col_text(s, 15));
        cell_time(ws, row, 26, db_col_int64(s, 16));
        row++;
        if (zq_arena_used(a) > 48 * 1024) {
            zq_arena_free(a);
            if (!(a = zq_arena_new(64 * 1024))) {
                rc = DB_ERR;
                break;
            }
        }
    }
    db_stmt_done(s);
    if (a) zq_arena_free(a);
    *rows = row - 1;
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

static int write_regions(zq_req *q, lxw_worksheet *ws, int64_t task, const char *region)
{
    static const char *const head[] = {"区县", "企业数", "已上报", "已通过", "已退回", "未上报", "本月预测合计(万元)"};
    for (lxw_col_t c = 0; c < 7; c++) worksheet_write_string(ws, 0, c, head[c], NULL);
    db_stmt *s = db_prepare(q->db, SQL_BY_REGION);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, task);
    db_bind_text(s, 2, zq_scope_value(q), -1);
    db_bind_text(s, 3, region, -1);
    int rc;
    lxw_row_t row = 1;
    while ((rc = db_step(s)) == DB_ROW) {
        cell(ws, row, 0, db_col_text(s, 0));
        for (int k = 1; k <= 5; k++) worksheet_write_number(ws, row, (lxw_col_t)k, (double)db_col_int64(s, k), NULL);
        cell(ws, row, 6, trade_wan(q->arena, db_col_int64(s, 6)));
        row++;
    }
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

static zq_err task_export(zq_req *q, zq_resp *r)
{
    int64_t task = trade_path_id(q);
    const char *region = zq_req_query(q, "region");
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (r->err) return r->err;
    if (!region) region = "";
    trade_task_head t;
    if (trade_task_load(q, r, task, &t)) return r->err;
    int year = t.year, month = t.month;
    const char *dir = t.direction, *name = t.name;

    char path[] = "/tmp/zq-trade-export-XXXXXX";
    int fd = mkstemp(path), out = -1;
    if (fd < 0) return zq_fail(r, ZQ_E_INTERNAL, "导出失败，请稍后重试");
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *detail = wb ? workbook_add_worksheet(wb, "申报明细") : NULL;
    lxw_worksheet *regions = wb ? workbook_add_worksheet(wb, "完成情况") : NULL;
    int64_t rows = 0;
    bool ok = detail && regions && write_reports(q, detail, task, year, month, dir, name, region, &rows) == DB_OK &&
              write_regions(q, regions, task, region) == DB_OK;
    if (wb && workbook_close(wb) != LXW_NO_ERROR) ok = false;
    uint64_t size = 0;
    if (ok) out = upload_temp_take(path, &size);
    else unlink(path);
    if (out < 0 || audit(q, task, rows) != 0) {
        if (out >= 0) close(out);
        return zq_fail(r, ZQ_E_INTERNAL, "导出失败，请稍后重试");
    }
    upload_send_fd(q, r, out, size, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", zq_arena_printf(q->arena, "%s.xlsx", name));
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/trade/tasks/:id/export", task_export, ZQ_ACCESS_STAFF, "trade.review|trade.manage",
     ZQ_RF_HEAVY | ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group trade_export_routes = {routes, sizeof routes / sizeof routes[0]};
