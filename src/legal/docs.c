/*
 * docs.c — the 用户协议 (terms) and 隐私政策 (privacy), versioned:
 *   GET /api/v1/legal/:kind          public: the current version
 *   GET /api/v1/admin/legal/:kind    super/city staff: current + history
 *   PUT /api/v1/admin/legal/:kind    super/city staff: {title, body} → a new version
 * A PUT never rewrites a version: it adds the next number, effective at
 * once, with its editor; consents name the versions people saw, so old
 * texts must stay readable. Bodies are plain text or simple Markdown; any
 * HTML tag is refused rather than stored, so no page ever renders markup
 * from here (the UI renders the Markdown subset itself, as text).
 */
#include "legal/legal.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

#define TITLE_MAX_CHARS 100
#define BODY_MAX_CHARS 20000
#define HISTORY_MAX 50

static const char SQL_CURRENT_DOC[] =
    "SELECT version, title, body, effective_at, editor_name FROM legal_doc WHERE kind = $1"
    " ORDER BY version DESC LIMIT 1";
static const char SQL_HISTORY[] =
    "SELECT version, title, body, effective_at, editor_name, editor_staff_id FROM legal_doc WHERE kind = $1"
    " ORDER BY version DESC LIMIT $2";
static const char SQL_INSERT[] =
    "INSERT INTO legal_doc(kind, version, title, body, effective_at, editor_staff_id, editor_name, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $5)";

/* "terms" / "privacy" from the path, or NULL (the caller answers 404). */
static const char *path_kind(zq_req *q)
{
    const char *k = zq_req_param(q, "kind");
    if (k && (strcmp(k, "terms") == 0 || strcmp(k, "privacy") == 0)) return k;
    return NULL;
}

/* ---- GET /api/v1/legal/:kind ---- */

static zq_err legal_get(zq_req *q, zq_resp *r)
{
    const char *kind = path_kind(q);
    if (!kind) return zq_fail(r, ZQ_E_NOT_FOUND, "没有该协议");
    db_stmt *s = db_prepare(q->db, SQL_CURRENT_DOC);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, kind, -1);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? zq_fail(r, ZQ_E_NOT_FOUND, "没有该协议") : hk_fail_db(q, r, rc);
    }
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "kind", kind);
    zq_jw_kint(&w, "version", db_col_int64(s, 0));
    zq_jw_kstr(&w, "title", db_col_text(s, 1));
    zq_jw_kstr(&w, "body", db_col_text(s, 2));
    hk_jw_time(&w, "effective_at", db_col_int64(s, 3));
    zq_jw_obj_end(&w);
    db_stmt_done(s);
    return ZQ_OK;
}

/* ---- GET /api/v1/admin/legal/:kind ---- */

static int write_admin(zq_req *q, zq_resp *r, const char *kind)
{
    db_stmt *s = db_prepare(q->db, SQL_HISTORY);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, HISTORY_MAX);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "kind", kind);
    zq_jw_key(&w, "versions");
    zq_jw_arr(&w);
    int rc, n = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "version", db_col_int64(s, 0));
        zq_jw_kstr(&w, "title", db_col_text(s, 1));
        zq_jw_kstr(&w, "body", db_col_text(s, 2));
        hk_jw_time(&w, "effective_at", db_col_int64(s, 3));
        zq_jw_kstr(&w, "editor_name", db_col_text(s, 4));
        zq_jw_key(&w, "editor_staff_id");
        if (db_col_is_null(s, 5)) zq_jw_null(&w);
        else zq_jw_int(&w, db_col_int64(s, 5));
        zq_jw_kbool(&w, "current", n == 0);
        zq_jw_obj_end(&w);
        n++;
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    if (rc != DB_DONE) {
        zq_buf_reset(&r->body);
        return rc < 0 ? rc : DB_ERR;
    }
    return DB_OK;
}

static zq_err admin_legal_get(zq_req *q, zq_resp *r)
{
    const char *kind = path_kind(q);
    if (!kind) return zq_fail(r, ZQ_E_NOT_FOUND, "没有该协议");
    int rc = write_admin(q, r, kind);
    return rc == DB_OK ? ZQ_OK : hk_fail_db(q, r, rc);
}

/* ---- PUT /api/v1/admin/legal/:kind ---- */

/* True if s holds something a browser would take for an HTML tag, comment
 * or declaration: "<" followed by a letter, "/", "!" or "?". */
static bool has_html(const char *s)
{
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        char c = p[1];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!' || c == '?') return true;
    }
    return false;
}

static zq_err admin_legal_put(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"title", "body", NULL};
    const char *kind = path_kind(q);
    if (!kind) return zq_fail(r, ZQ_E_NOT_FOUND, "没有该协议");
    zq_in_only(q, r, keys);
    const char *title = zq_in_str(q, r, "title", "标题", true, TITLE_MAX_CHARS);
    const char *body = zq_in_str(q, r, "body", "正文", true, BODY_MAX_CHARS);
    if (title && strchr(title, '\n')) zq_fail_field(q, r, "title", "标题不能换行");
    if (title && has_html(title)) zq_fail_field(q, r, "title", "标题不能包含 HTML 标签");
    if (body && has_html(body))
        zq_fail_field(q, r, "body", "正文不能包含 HTML 标签，请使用纯文本或简单的 Markdown（# 标题、- 列表）");
    if (r->err) return r->err;

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    db_stmt *s = db_prepare(q->db, SQL_CURRENT_DOC);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, kind, -1);
    rc = db_step(s);
    int64_t version = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    bool same = rc == DB_ROW && strcmp(db_col_text(s, 1), title) == 0 && strcmp(db_col_text(s, 2), body) == 0;
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (same) {
        return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "内容与当前版本相同，无需发布新版本");
    }
    version++;
    if (!(s = db_prepare(q->db, SQL_INSERT))) return hk_fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, version);
    db_bind_text(s, 3, title, -1);
    db_bind_text(s, 4, body, -1);
    db_bind_int64(s, 5, q->now);
    db_bind_int64(s, 6, q->session->staff_id);
    db_bind_text(s, 7, q->session->actor_name ? q->session->actor_name : "", -1);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT) {
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "其他人刚刚发布了新版本，请刷新后再编辑");
    }
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    audit_entry a = {
        .object_type = "legal_doc", .object_id = kind,
        .detail = zq_arena_printf(q->arena, "{\"version\":%lld,\"chars\":%zu}", (long long)version,
                                  zq_utf8_len(body)),
    };
    if (audit_note(q, &a) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    rc = write_admin(q, r, kind);
    return rc == DB_OK ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

/* the 用户协议 and 隐私政策 are city-wide documents: unscoped */
static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/legal/:kind", legal_get, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_ALLOW_CONSENT, 0, NULL},
    {ZQ_GET, "/api/v1/admin/legal/:kind", admin_legal_get, ZQ_ACCESS_STAFF, "legal.edit", ZQ_RF_UNSCOPED, 0, NULL},
    /* 20,000 characters of CJK (3 bytes each) in JSON, with room for escapes */
    {ZQ_PUT, "/api/v1/admin/legal/:kind", admin_legal_put, ZQ_ACCESS_STAFF, "legal.edit", ZQ_RF_JSON | ZQ_RF_UNSCOPED, 128 * 1024, "legal.publish"},
};
const zq_route_group legal_routes = {routes, sizeof routes / sizeof routes[0]};
