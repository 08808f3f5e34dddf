/*
 * export_sheet.c — the directory export's workbook (see export_sheet.h).
 * Constant-memory mode writes each row to a temporary file as soon as the
 * next one starts, so rows must come in order and are never revisited;
 * strings are stored inline instead of in a shared table that would grow
 * with the file.
 */
#include "directory/export_sheet.h"
#include "http/scope.h"
#include "auth/access.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

struct export_sheet {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *head, *money, *score;
    lxw_row_t row;
};

static const struct {
    const char *title;
    double width;
} COLUMNS[] = {
    {"企业名称", 36}, {"统一社会信用代码", 22}, {"行政区划", 12}, {"行业代码", 9}, {"所属行业", 28},
    {"企业规模", 10}, {"进出口类型", 12}, {"企业特性", 26}, {"认证状态", 10}, {"信息完整度", 11},
    {"法定代表人", 12}, {"联系人", 12}, {"联系电话", 14}, {"注册资本（万元）", 16}, {"成立日期", 12},
    {"注册地址", 40}, {"注册时间", 17},
};
#define NCOLS (int)(sizeof COLUMNS / sizeof COLUMNS[0])

/* Filters as the 导出说明 sheet names them (query name, Chinese label). */
static const char *const FILTER_LABELS[][2] = {
    {"region", "行政区划"}, {"industry", "行业分类"}, {"scale", "企业规模"}, {"characteristic", "企业特性"},
    {"trade_type", "进出口类型"}, {"status", "认证状态"}, {"completeness_min", "完整度下限"},
    {"completeness_max", "完整度上限"}, {"q", "关键字"},
};

static const char *status_name(const char *code)
{
    if (!code) return NULL;
    if (strcmp(code, "approved") == 0) return "已认证";
    if (strcmp(code, "pending") == 0) return "待审核";
    if (strcmp(code, "rejected") == 0) return "已退回";
    return code;
}

static void beijing_time(int64_t unix_s, char out[64])
{
    time_t t = (time_t)(unix_s + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 64, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min);
}

static int put(export_sheet *s, int col, const char *text)
{
    if (!text || !*text) return 0;
    return worksheet_write_string(s->ws, s->row, (lxw_col_t)col, text, NULL) == LXW_NO_ERROR ? 0 : -1;
}

static int write_notes(lxw_workbook *wb, lxw_format *head, zq_req *q, int64_t total)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "导出说明");
    if (!ws) return -1;
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, 1, 40, NULL);
    char when[64];
    beijing_time(q->now, when);
    lxw_row_t r = 0;
    worksheet_write_string(ws, r++, 0, "企业库导出", head);
    worksheet_write_string(ws, r, 0, "导出时间", NULL);
    worksheet_write_string(ws, r++, 1, when, NULL);
    worksheet_write_string(ws, r, 0, "导出人", NULL);
    worksheet_write_string(ws, r++, 1, q->session && q->session->actor_name ? q->session->actor_name : "", NULL);
    worksheet_write_string(ws, r, 0, "企业数", NULL);
    worksheet_write_number(ws, r++, 1, (double)total, NULL);
    worksheet_write_string(ws, r, 0, "数据范围", NULL);
    worksheet_write_string(ws, r++, 1,
                           zq_scope_citywide(q) ? "全市" : "本区（按账号所属区县）",
                           NULL);
    for (size_t i = 0; i < sizeof FILTER_LABELS / sizeof FILTER_LABELS[0]; i++) {
        const char *v = zq_req_query(q, FILTER_LABELS[i][0]);
        if (!v || !*v) continue;
        worksheet_write_string(ws, r, 0, FILTER_LABELS[i][1], NULL);
        worksheet_write_string(ws, r++, 1, v, NULL);
    }
    worksheet_write_string(ws, r, 0, "说明", NULL);
    worksheet_write_string(ws, r, 1, "本文件含企业联系信息，仅限工作使用，请勿外传。导出操作已记入审计日志。", NULL);
    return 0;
}

export_sheet *export_sheet_open(const char *path, zq_req *q, int64_t total)
{
    export_sheet *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    if (!(s->wb = workbook_new_opt(path, &opt))) goto fail;
    if (!(s->ws = workbook_add_worksheet(s->wb, "企业库"))) goto fail;
    s->head = workbook_add_format(s->wb);
    s->money = workbook_add_format(s->wb);
    s->score = workbook_add_format(s->wb);
    if (!s->head || !s->money || !s->score) goto fail;
    format_set_bold(s->head);
    format_set_bg_color(s->head, 0xDCE6F4);
    format_set_border(s->head, LXW_BORDER_THIN);
    format_set_num_format(s->money, "#,##0.00##");
    format_set_num_format(s->score, "0\"%\"");
    for (int c = 0; c < NCOLS; c++) {
        worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, COLUMNS[c].width, NULL);
        worksheet_write_string(s->ws, 0, (lxw_col_t)c, COLUMNS[c].title, s->head);
    }
    worksheet_freeze_panes(s->ws, 1, 0);
    worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(total > 0 ? total : 1), NCOLS - 1);
    if (write_notes(s->wb, s->head, q, total) != 0) goto fail;
    s->row = 1;
    return s;
fail:
    if (s->wb) workbook_close(s->wb);
    free(s);
    return NULL;
}

int export_sheet_row(export_sheet *s, const export_row *row)
{
    int rc = 0;
    for (int c = 0; c < 7; c++) rc |= put(s, c, row->text[c]);
    rc |= put(s, 7, row->characteristics);
    rc |= put(s, 8, status_name(row->text[7]));
    rc |= worksheet_write_number(s->ws, s->row, 9, (double)row->completeness, s->score) != LXW_NO_ERROR;
    rc |= put(s, 10, row->legal_rep_name);
    rc |= put(s, 11, row->contact_name);
    rc |= put(s, 12, row->contact_phone);
    if (row->has_capital)
        rc |= worksheet_write_number(s->ws, s->row, 13, (double)row->capital_yuan / 10000.0, s->money) !=
              LXW_NO_ERROR;
    rc |= put(s, 14, row->founded_on);
    rc |= put(s, 15, row->address);
    char when[64];
    beijing_time(row->created_at, when);
    rc |= put(s, 16, when);
    s->row++;
    return rc ? -1 : 0;
}

int export_sheet_close(export_sheet *s)
{
    lxw_error e = workbook_close(s->wb);
    free(s);
    return e == LXW_NO_ERROR ? 0 : -1;
}
