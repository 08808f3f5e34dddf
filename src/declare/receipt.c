/*
 * receipt.c — the submission receipt (申报回执):
 *   GET /api/v1/enterprise/applications/:id/receipt
 * A printable HTML page (no script; a CSP that allows none) with the
 * 申报编号, the submission time, the call, the firm, every form answer and
 * the SHA-256 of each material exactly as the last submitted version
 * recorded them, so the firm can later prove what it handed in.
 */
#include "declare/declare.h"
#include "declare/declare_internal.h"
#include "core/buf.h"
#include "core/clock.h"
#include "db/db.h"
#include "http/session.h"
#include <stdlib.h>
#include <string.h>

static const char SQL_VERSION[] =
    "SELECT fields_json, materials_json, submitted_at, version FROM decl_version WHERE app_id = $1"
    " ORDER BY version DESC LIMIT 1";

static void esc(zq_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': zq_buf_puts(b, "&amp;"); break;
        case '<': zq_buf_puts(b, "&lt;"); break;
        case '>': zq_buf_puts(b, "&gt;"); break;
        case '"': zq_buf_puts(b, "&quot;"); break;
        case '\'': zq_buf_puts(b, "&#39;"); break;
        default: zq_buf_append(b, s, 1);
        }
    }
}

static void row(zq_buf *b, const char *k, const char *v)
{
    zq_buf_puts(b, "<tr><th>");
    esc(b, k);
    zq_buf_puts(b, "</th><td>");
    esc(b, v);
    zq_buf_puts(b, "</td></tr>\n");
}

/* A form answer as text: strings as they are, lists joined, 是/否. */
static const char *answer_text(zq_req *q, json_t *v)
{
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_true(v)) return "是";
    if (json_is_false(v)) return "否";
    if (json_is_number(v)) return zq_arena_printf(q->arena, "%g", json_number_value(v));
    if (json_is_array(v)) {
        const char *s = "";
        size_t i;
        json_t *o;
        json_array_foreach(v, i, o) s = zq_arena_printf(q->arena, "%s%s%s", s, i ? "、" : "", json_string_value(o));
        return s;
    }
    return "";
}

static zq_err receipt(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    decl_app a;
    decl_call c;
    int rc = id ? decl_app_load(q, id, &a) : DB_DONE;
    if (rc == DB_ROW && a.enterprise_id != q->session->enterprise_id) rc = DB_DONE;
    if (rc == DB_ROW) rc = decl_call_load(q, a.call_id, &c);
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, rc == DB_DONE ? "申报不存在" : NULL);
    db_stmt *s = db_prepare(q->db, SQL_VERSION);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, a.id);
    rc = db_step(s);
    json_t *fields = NULL, *mats = NULL, *defs = NULL;
    int64_t at = 0, version = 0;
    if (rc == DB_ROW) {
        fields = json_loads(db_col_text(s, 0), 0, NULL);
        mats = json_loads(db_col_text(s, 1), 0, NULL);
        at = db_col_int64(s, 2);
        version = db_col_int64(s, 3);
    }
    db_stmt_done(s);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "申报尚未提交，没有回执");
    defs = json_loads(c.fields_json ? c.fields_json : "[]", 0, NULL);
    if (rc != DB_ROW || !fields || !mats || !defs) {
        json_decref(fields);
        json_decref(mats);
        json_decref(defs);
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    char when[20];
    zq_time_local(at, when);
    zq_buf *b = &r->body;
    zq_buf_reset(b);
    zq_buf_puts(b, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>申报回执 ");
    esc(b, a.no);
    zq_buf_puts(b, "</title><style>body{font-family:sans-serif;max-width:800px;margin:2em auto;color:#222}"
                   "h1{text-align:center;font-size:22px}table{border-collapse:collapse;width:100%;margin:1em 0}"
                   "th,td{border:1px solid #999;padding:6px 8px;text-align:left;vertical-align:top;font-size:14px}"
                   "th{background:#f3f3f3;width:28%}code{font-size:12px;word-break:break-all}"
                   "@media print{body{margin:0}}</style></head><body>\n<h1>项目申报回执</h1>\n<table>\n");
    row(b, "申报编号", a.no);
    row(b, "提交时间", when);
    row(b, "申报项目", c.title);
    row(b, "申报企业", a.ent_name);
    row(b, "提交版本", zq_arena_printf(q->arena, "第 %lld 次提交", (long long)version));
    zq_buf_puts(b, "</table>\n<h2>申报表单</h2>\n<table>\n");
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d)
    {
        json_t *v = json_object_get(fields, json_string_value(json_object_get(d, "key")));
        row(b, json_string_value(json_object_get(d, "label")), v ? answer_text(q, v) : "");
    }
    zq_buf_puts(b, "</table>\n<h2>申报材料</h2>\n<table>\n<tr><th>材料</th><td>文件名 / 大小 / SHA-256</td></tr>\n");
    json_array_foreach(mats, i, d)
    {
        zq_buf_puts(b, "<tr><th>");
        esc(b, json_string_value(json_object_get(d, "slot")));
        zq_buf_puts(b, "</th><td>");
        esc(b, json_string_value(json_object_get(d, "name")));
        zq_buf_printf(b, "（%lld 字节）<br><code>", (long long)json_integer_value(json_object_get(d, "size")));
        esc(b, json_string_value(json_object_get(d, "sha256")));
        zq_buf_puts(b, "</code></td></tr>\n");
    }
    zq_buf_puts(b, "</table>\n<p>项目申报提交后将不能更改。本回执由政企互动平台生成，可打印留存。</p>\n</body></html>\n");
    json_decref(fields);
    json_decref(mats);
    json_decref(defs);
    r->status = 200;
    r->content_type = "text/html; charset=utf-8";
    /* on top of the pipeline's policy: no script, no fetch, nothing but this page's own styles */
    zq_resp_header(q->arena, r, "Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    zq_resp_header(q->arena, r, "Cache-Control", "private, no-store");
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/applications/:id/receipt", receipt, ZQ_ACCESS_MEMBER, "policy.view|declaration.submit",
     0, 0, NULL},
};
const zq_route_group decl_receipt_routes = {routes, sizeof routes / sizeof routes[0]};
