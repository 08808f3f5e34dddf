/*
 * public.c — the portal's 项目申报 (anyone, no login):
 *   GET /api/v1/declarations?status=upcoming|open|closed&from=&to=&q=&page=
 *   GET /api/v1/declarations/:id
 *   GET /api/v1/declarations/:id/templates/:file_id   (a logged-in member's
 *       download is recorded for the firm: the 申报 button opens after it)
 *   GET /api/v1/declarations/:id/results              (公示)
 * Drafts are nobody's business: 404. The keyword matches the title and
 * the body's text as a substring (calls are few; two-character Chinese
 * such as 外贸 matches exactly).
 */
#include "declare/declare.h"
#include "declare/declare_internal.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include "http/session.h"
#include "upload/upload.h"
#include <string.h>

#define Q_MAX 50

static const char SQL_FILE[] =
    "SELECT f.name, f.mime, f.size, f.sha256, b.chunk_count FROM decl_template t JOIN bureau_file f ON f.id = t.file_id"
    " JOIN file_blob b ON b.sha256 = f.sha256 WHERE t.call_id = $1 AND t.file_id = $2";
static const char SQL_RECORD[] =
    "INSERT INTO decl_download(call_id, enterprise_id, user_id, at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (call_id, enterprise_id) DO NOTHING";
static const char SQL_RESULTS[] =
    "SELECT a.no, e.name, a.region, a.decided_at FROM decl_app a JOIN enterprise e ON e.id = a.enterprise_id"
    " WHERE a.call_id = $1 AND a.status = 'approved' ORDER BY a.no";

/* The calls the portal lists (never drafts), the filter's WHERE at %s. */
#define PUBLIC_FROM " FROM decl_call c%s AND c.status <> 'draft'"

/* The portal's state words as conditions on the clock (decl_phase's
 * meaning); "" adds none. */
static void filter_state(hk_filter *f, const char *status, int64_t now)
{
    if (strcmp(status, "upcoming") == 0) hk_filter_num(f, "c.status = 'published' AND c.open_at > $%d", now);
    else if (strcmp(status, "open") == 0) {
        hk_filter_num(f, "c.status = 'published' AND c.open_at <= $%d", now);
        hk_filter_num(f, "c.close_at > $%d", now);
    } else if (strcmp(status, "closed") == 0)
        hk_filter_num(f, "(c.status IN ('closed', 'results') OR c.close_at <= $%d)", now);
}

static zq_err pub_list(zq_req *q, zq_resp *r)
{
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 10, 50);
    const char *status = zq_req_query(q, "status"), *kw = zq_req_query(q, "q"), *f = zq_req_query(q, "from"),
               *t = zq_req_query(q, "to");
    if (!status) status = "";
    if (*status && strcmp(status, "upcoming") && strcmp(status, "open") && strcmp(status, "closed"))
        zq_fail_field(q, r, "status", "状态只能是 upcoming（未开始）、open（申报中）或 closed（已截止）");
    int64_t from = 0, to = 0;
    if (f && *f && !zq_date_parse(f, &from)) zq_fail_field(q, r, "from", "日期格式须为 YYYY-MM-DD");
    if (t && *t) {
        if (!zq_date_parse(t, &to)) zq_fail_field(q, r, "to", "日期格式须为 YYYY-MM-DD");
        else to += 86400;
    }
    if (kw && zq_utf8_len(kw) > Q_MAX) zq_fail_field(q, r, "q", "关键词不能超过 50 个字符");
    if (r->err) return r->err;
    hk_filter flt;
    hk_filter_init(&flt, 1);
    filter_state(&flt, status, q->now);
    if (from) hk_filter_num(&flt, "c.close_at >= $%d", from);
    if (to) hk_filter_num(&flt, "c.open_at < $%d", to);
    hk_filter_contains(&flt, q->arena, "(c.title LIKE $%d ESCAPE '\\' OR c.body_text LIKE $%d ESCAPE '\\')", kw);
    int64_t total = 0;
    db_stmt *s;
    if (hk_filter_page(q, r, &flt, "SELECT COUNT(*)" PUBLIC_FROM,
                       "SELECT " DECL_CALL_COLS PUBLIC_FROM " ORDER BY c.published_at DESC, c.id DESC",
                       page, size, &total, &s) != ZQ_OK)
        return r->err;
    zq_jw w;
    zq_list_begin(r, &w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        decl_call c;
        decl_call_read(q, s, &c);
        zq_jw_obj(&w);
        decl_write_call(q, &w, &c, false);
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_list_end(&w, total, page, size);
    return ZQ_OK;
}

static int load_public(zq_req *q, zq_resp *r, decl_call *c)
{
    int64_t id = hk_param_id(q, "id");
    int rc = id ? decl_call_load(q, id, c) : DB_DONE;
    if (rc == DB_ROW && strcmp(c->status, "draft") == 0) rc = DB_DONE;
    if (rc == DB_DONE) zq_fail(r, ZQ_E_NOT_FOUND, "申报通知不存在");
    else if (rc != DB_ROW) zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return rc;
}

static zq_err pub_detail(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_public(q, r, &c) != DB_ROW) return r->err;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    if (decl_write_call(q, &w, &c, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err pub_template(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_public(q, r, &c) != DB_ROW) return r->err;
    upload_file f;
    if (upload_file_find(q, r, SQL_FILE, c.id, hk_param_id(q, "file_id"), &f) != DB_ROW) return r->err;
    const zq_session *ss = q->session;
    /* the firm's first download opens its 申报 button (manual 7) */
    if (ss && ss->user_id && ss->enterprise_id && ss->enterprise_status && strcmp(ss->enterprise_status, "approved") == 0) {
        db_stmt *s = db_prepare(q->db, SQL_RECORD);
        if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_int64(s, 1, c.id);
        db_bind_int64(s, 2, ss->enterprise_id);
        db_bind_int64(s, 3, ss->user_id);
        db_bind_int64(s, 4, q->now);
        int rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    return upload_send(q, r, &f);
}

static zq_err pub_results(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_public(q, r, &c) != DB_ROW) return r->err;
    if (strcmp(c.status, "results") != 0) return zq_fail(r, ZQ_E_NOT_FOUND, "该申报的结果尚未公示");
    db_stmt *s = db_prepare(q->db, SQL_RESULTS);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.id);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", c.id);
    zq_jw_kstr(&w, "title", c.title);
    zq_jw_ktime(&w, "results_at", c.results_at);
    zq_jw_ktime(&w, "objection_until", c.objection_until);
    zq_jw_kbool(&w, "objection_open", q->now < c.objection_until);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "no", db_col_text(s, 0));
        zq_jw_kstr(&w, "enterprise_name", db_col_text(s, 1));
        zq_jw_kstr(&w, "region", db_col_is_null(s, 2) ? NULL : db_col_text(s, 2));
        zq_jw_ktime(&w, "decided_at", db_col_int64(s, 3));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/declarations", pub_list, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/declarations/:id", pub_detail, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/declarations/:id/templates/:file_id", pub_template, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/declarations/:id/results", pub_results, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
};
const zq_route_group decl_public_routes = {routes, sizeof routes / sizeof routes[0]};
