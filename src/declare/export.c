/*
 * export.c — the applications of a call as an Excel workbook:
 *   GET /api/v1/admin/declarations/:id/export?region=&status=
 * one row per submitted application in the caller's scope: 申报编号, firm,
 * district, status, submission time, every form field (in the call's
 * order), the mean score and the latest decision with its reason.
 * Written with libxlsxwriter in constant-memory mode to an unlinked
 * temporary file and streamed, like the directory export.
 */
#include "declare/declare.h"
#include "declare/declare_internal.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "db/db.h"
#include "http/scope.h"
#include "upload/upload.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define EXPORT_MAX_ROWS 20000

static const char SQL_ROWS[] =
    "SELECT a.no, e.name, a.region, a.status, a.submitted_at, a.fields_json,"
    " (SELECT AVG(total) FROM decl_score sc WHERE sc.app_id = a.id),"
    /* the latest decision (a further reviewer's scores are not one) */
    " (SELECT ev.action FROM decl_event ev WHERE ev.app_id = a.id AND ev.level IS NOT NULL AND ev.action <> 'score'"
    " ORDER BY ev.id DESC LIMIT 1),"
    " (SELECT ev.reason FROM decl_event ev WHERE ev.app_id = a.id AND ev.level IS NOT NULL AND ev.action <> 'score'"
    " ORDER BY ev.id DESC LIMIT 1)"
    " FROM decl_app a JOIN enterprise e ON e.id = a.enterprise_id%s AND a.status <> 'draft'"
    " ORDER BY a.submitted_at, a.id LIMIT $%d";

static const char *status_label(const char *s)
{
    static const char *const map[][2] = {{"submitted", "已提交"},   {"district_review", "区县审核中"}, {"city_review", "市级审核中"},
                                         {"returned", "退回修改"},  {"approved", "审核通过"},      {"rejected", "未通过"},
                                         {"withdrawn", "已撤回"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(s, map[i][0]) == 0) return map[i][1];
    return s;
}

static const char *decision_label(const char *d)
{
    if (!d) return "";
    return strcmp(d, "pass") == 0 ? "通过" : strcmp(d, "return") == 0 ? "退回修改" : strcmp(d, "reject") == 0 ? "不通过" : d;
}

/* One form answer as cell text. */
static const char *cell(zq_req *q, json_t *v)
{
    if (!v) return "";
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_true(v)) return "是";
    if (json_is_false(v)) return "否";
    if (json_is_number(v)) return zq_arena_printf(q->arena, "%g", json_number_value(v));
    const char *s = "";
    size_t i;
    json_t *o;
    json_array_foreach(v, i, o) s = zq_arena_printf(q->arena, "%s%s%s", s, i ? "、" : "", json_string_value(o));
    return s;
}

static zq_err export_get(zq_req *q, zq_resp *r)
{
    int64_t cid = hk_param_id(q, "id");
    decl_call c;
    int rc = cid ? decl_call_load(q, cid, &c) : DB_DONE;
    if (rc == DB_ROW && (strcmp(c.status, "draft") == 0 || (c.region && !zq_scope_allows(q, c.region)))) rc = DB_DONE;
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, rc == DB_DONE ? "申报通知不存在" : NULL);
    const char *region = zq_req_query(q, "region"), *status = zq_req_query(q, "status");
    if (region && *region && !zq_scope_allows(q, region)) zq_fail_field(q, r, "region", "只能导出本区县的申报");
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (status && strlen(status) > 16) zq_fail_field(q, r, "status", "状态不正确");
    if (r->err) return r->err;
    hk_filter f;
    decl_app_filter(q, &f, c.id, region, status, NULL);
    const char *where = hk_filter_where(&f, q->arena);
    const char *sql = where ? zq_arena_printf(q->arena, SQL_ROWS, where, hk_filter_next(&f)) : NULL;
    if (!sql) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    json_t *defs = json_loads(c.fields_json ? c.fields_json : "[]", 0, NULL);
    if (!defs) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    char path[] = "/tmp/zq-decl-xlsx-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        json_decref(defs);
        return zq_fail(r, ZQ_E_INTERNAL, "导出失败，请稍后重试");
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "申报") : NULL;
    db_stmt *s = ws ? db_prepare(q->db, sql) : NULL;
    int64_t rows = 0;
    if (!s) goto fail;
    lxw_row_t row = 0;
    lxw_col_t col = 0;
    static const char *const head[] = {"申报编号", "企业名称", "区县", "状态", "提交时间"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++) worksheet_write_string(ws, row, col++, head[i], NULL);
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d) worksheet_write_string(ws, row, col++, json_string_value(json_object_get(d, "label")), NULL);
    worksheet_write_string(ws, row, col++, "评分均值", NULL);
    worksheet_write_string(ws, row, col++, "最近审核结论", NULL);
    worksheet_write_string(ws, row, col++, "审核意见", NULL);
    if (hk_filter_bind(&f, s) != DB_OK || db_bind_int64(s, hk_filter_next(&f), EXPORT_MAX_ROWS) != DB_OK) goto fail;
    while ((rc = db_step(s)) == DB_ROW) {
        row++;
        col = 0;
        char when[20] = "";
        if (db_col_int64(s, 4) > 0) zq_time_local(db_col_int64(s, 4), when);
        worksheet_write_string(ws, row, col++, db_col_is_null(s, 0) ? "" : db_col_text(s, 0), NULL);
        worksheet_write_string(ws, row, col++, db_col_text(s, 1), NULL);
        worksheet_write_string(ws, row, col++, db_col_is_null(s, 2) ? "" : db_col_text(s, 2), NULL);
        worksheet_write_string(ws, row, col++, status_label(db_col_text(s, 3)), NULL);
        worksheet_write_string(ws, row, col++, when, NULL);
        json_t *vals = json_loads(db_col_text(s, 5), 0, NULL);
        json_array_foreach(defs, i, d)
            worksheet_write_string(ws, row, col++, cell(q, json_object_get(vals, json_string_value(json_object_get(d, "key")))), NULL);
        json_decref(vals);
        if (db_col_is_null(s, 6)) col++;
        else worksheet_write_number(ws, row, col++, atof(db_col_text(s, 6)) / 100.0, NULL);
        worksheet_write_string(ws, row, col++, decision_label(db_col_is_null(s, 7) ? NULL : db_col_text(s, 7)), NULL);
        worksheet_write_string(ws, row, col++, db_col_is_null(s, 8) ? "" : db_col_text(s, 8), NULL);
        rows++;
    }
    db_stmt_done(s);
    s = NULL;
    if (rc != DB_DONE) goto fail;
    lxw_error le = workbook_close(wb);
    wb = NULL;
    if (le != LXW_NO_ERROR) goto fail;
    json_decref(defs);
    defs = NULL;
    uint64_t size = 0;
    int out = upload_temp_take(path, &size);
    if (out < 0) return zq_fail(r, ZQ_E_INTERNAL, "导出失败，请稍后重试");
    if (audit_record(q, &(audit_entry){.action = "declaration.export", .object_type = "declaration",
                                       .object_id = zq_arena_printf(q->arena, "%lld", (long long)c.id),
                                       .detail = zq_arena_printf(q->arena, "{\"rows\":%lld}", (long long)rows),
                                       .region = c.region}) != 0) {
        close(out);
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    upload_send_fd(q, r, out, size, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   zq_arena_printf(q->arena, "申报汇总-%lld.xlsx", (long long)c.id));
    return ZQ_OK;
fail:
    if (s) db_stmt_done(s);
    if (wb) workbook_close(wb);
    json_decref(defs);
    unlink(path);
    return zq_fail(r, ZQ_E_INTERNAL, "导出失败，请稍后重试");
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/declarations/:id/export", export_get, ZQ_ACCESS_STAFF, "declaration.manage",
     ZQ_RF_HEAVY | ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group decl_export_routes = {routes, sizeof routes / sizeof routes[0]};
