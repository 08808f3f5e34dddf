/*
 * upload_api.c — the one upload path (docs/profile.md "Uploads"):
 *   POST /api/v1/uploads?name=<file name>   raw body ≤ 10 MiB, a member of the
 *                                           selected enterprise holding a permission
 *                                           of a feature that takes attachments
 *                                           (UPLOAD_PERMS) → 201 meta; the firm's
 *                                           uploads together stay under its quota
 *                                           (--upload-quota-mb, default 2 GiB) → 413
 *   GET  /api/v1/files/:id                  the bytes, as an attachment only
 * Downloads: an enterprise user sees uploads of the enterprise selected in
 * the session only (not of every enterprise they belong to — the session's
 * enterprise is the one whose data the person is acting on); city and super
 * staff see all, district staff their district's enterprises. Everyone else
 * gets 404, so an id never tells whether the file exists.
 */
#include "upload/upload.h"
#include "http/scope.h"
#include "handler/kit.h"
#include "upload/upload_internal.h"
#include "http/context.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include <string.h>

static const char SQL_REGION[] = "SELECT region FROM enterprise WHERE id = $1";
static const char SQL_UPLOAD_INSERT[] =
    "INSERT INTO upload(enterprise_id, uploaded_by, sha256, name, size, mime, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
#define DL_COLS "SELECT up.name, up.mime, up.size, up.sha256, b.chunk_count FROM upload up" \
                " JOIN file_blob b ON b.sha256 = up.sha256"
static const char SQL_DL_MEMBER[] = DL_COLS
    " JOIN membership m ON m.enterprise_id = up.enterprise_id AND m.user_id = $2 AND m.status = 'active'"
    " WHERE up.id = $1 AND up.enterprise_id = $3";
static const char SQL_DL_STAFF[] = DL_COLS
    " JOIN enterprise e ON e.id = up.enterprise_id WHERE up.id = $1 AND ($2 = '' OR e.region = $2)";
/* The firm's row is locked first on PostgreSQL so that two uploads at once
 * cannot both fit under the quota (SQLite's write transaction is already
 * exclusive). */
static const char SQL_LOCK_FIRM[] = "SELECT id FROM enterprise WHERE id = $1";
static const char SQL_USED[] = "SELECT COALESCE(SUM(size), 0) FROM upload WHERE enterprise_id = $1";

static const char MSG_TYPE[] = "仅支持上传 PDF、JPG、PNG、Word（doc/docx）、Excel（xls/xlsx）或 ZIP 文件";
static const char MSG_EMPTY[] = "上传的文件是空的，请重新选择";
static const char MSG_TOO_LARGE[] = "文件不能超过 10 MB";

/* {"name":…,"size":…,"mime":…} for the audit record. */
static const char *audit_detail(zq_req *q, const char *name, size_t size, const char *mime)
{
    zq_buf b;
    zq_buf_init(&b, 4096);
    zq_buf_puts(&b, "{\"name\":");
    zq_json_escape(&b, name, strlen(name));
    zq_buf_printf(&b, ",\"size\":%zu,\"mime\":\"%s\"}", size, mime);
    const char *out = b.data ? zq_arena_strndup(q->arena, b.data, b.len) : NULL;
    zq_buf_free(&b);
    return out;
}

static int audit_upload(zq_req *q, int64_t id, const char *detail)
{
    const char *region = NULL;
    db_stmt *s = db_prepare(q->db, SQL_REGION);
    if (!s) return -1;
    db_bind_int64(s, 1, q->session->enterprise_id);
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0)) region = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    audit_entry a = {
        .object_type = "upload",
        .object_id = zq_arena_printf(q->arena, "%lld", (long long)id),
        .detail = detail,
        .enterprise_id = q->session->enterprise_id,
        .region = region,
    };
    return detail ? audit_note(q, &a) : -1;
}

static double mib(uint64_t bytes)
{
    return (double)bytes / (1024.0 * 1024.0);
}

/* Whether len more bytes fit the enterprise's quota, inside the caller's
 * transaction: ZQ_OK, or the refusal (413 with the figures) in r. */
static zq_err check_quota(zq_req *q, zq_resp *r, size_t len)
{
    int64_t eid = q->session->enterprise_id;
    {
        /* the firm's row serialises uploads of one firm on PostgreSQL */
        db_stmt *l = db_for_update(q->db, SQL_LOCK_FIRM, NULL);
        if (!l) return hk_fail_db(q, r, DB_ERR);
        db_bind_int64(l, 1, eid);
        int rc = db_step(l);
        db_stmt_done(l);
        if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    }
    db_stmt *s = db_prepare(q->db, SQL_USED);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, eid);
    int rc = db_step(s);
    int64_t used = rc == DB_ROW ? db_col_int64(s, 0) : -1;
    db_stmt_done(s);
    if (used < 0) return hk_fail_db(q, r, rc);
    uint64_t quota = q->app->cfg.upload_quota;
    if ((uint64_t)used + len <= quota) return ZQ_OK;
    return hk_fail_tx(q, r, ZQ_E_TOO_LARGE,
                   zq_arena_printf(q->arena,
                                   "企业附件存储空间不足：已使用 %.1f MB，上限 %.0f MB，本文件 %.1f MB。"
                                   "请联系商务局扩大空间",
                                   mib((uint64_t)used), mib(quota), mib(len)));
}

static zq_err upload_create(zq_req *q, zq_resp *r)
{
    const char *name = zq_req_query(q, "name");
    const char *why = up_name_problem(name);
    if (why) {
        zq_fail_field(q, r, "name", why);
        return r->err;
    }
    if (q->body_len == 0) return zq_fail(r, ZQ_E_BAD_REQUEST, MSG_EMPTY);
    /* the pipeline enforces the route's cap; this guards the constant */
    if (q->body_len > UP_BODY_MAX) return zq_fail(r, ZQ_E_TOO_LARGE, MSG_TOO_LARGE);
    const char *mime;
    if (up_sniff(q->body, q->body_len, name, &mime) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (!mime) return zq_fail(r, ZQ_E_MEDIA_TYPE, MSG_TYPE);

    char sha[UP_SHA256_HEX];
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    zq_err qe = check_quota(q, r, q->body_len);
    if (qe != ZQ_OK) return qe;
    if ((rc = up_store_blob(q->db, q->body, q->body_len, q->now, sha)) != DB_OK) return hk_fail_db(q, r, rc);
    db_stmt *s = db_prepare(q->db, SQL_UPLOAD_INSERT);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, q->session->user_id);
    db_bind_text(s, 3, sha, -1);
    db_bind_text(s, 4, name, -1);
    db_bind_int64(s, 5, (int64_t)q->body_len);
    db_bind_text(s, 6, mime, -1);
    db_bind_int64(s, 7, q->now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (audit_upload(q, id, audit_detail(q, name, q->body_len, mime)) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);

    up_answer_created(q, r, id, name, q->body_len, mime, sha);
    return ZQ_OK;
}

/* The download query for this session, bound; NULL on error or when the
 * session can see no upload at all. */
static db_stmt *visible_upload(zq_req *q, int64_t id, bool *none)
{
    const zq_session *ss = q->session;
    *none = false;
    db_stmt *s;
    if (ss->staff_id) {
        if (!(s = db_prepare(q->db, SQL_DL_STAFF))) return NULL;
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, zq_scope_value(q), -1);
        return s;
    }
    if (!ss->user_id || !ss->enterprise_id) {
        *none = true;
        return NULL;
    }
    if (!(s = db_prepare(q->db, SQL_DL_MEMBER))) return NULL;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, ss->user_id);
    db_bind_int64(s, 3, ss->enterprise_id);
    return s;
}

static zq_err file_download(zq_req *q, zq_resp *r)
{
    int64_t id;
    if (!zq_parse_int64(zq_req_param(q, "id"), 1, INT64_MAX, &id)) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    bool none;
    db_stmt *s = visible_upload(q, id, &none);
    if (!s) return none ? zq_fail(r, ZQ_E_NOT_FOUND, NULL) : hk_fail_db(q, r, DB_ERR);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? zq_fail(r, ZQ_E_NOT_FOUND, NULL) : hk_fail_db(q, r, rc);
    }
    const char *name = zq_arena_strdup(q->arena, db_col_text(s, 0));
    const char *mime = zq_arena_strdup(q->arena, db_col_text(s, 1));
    int64_t size = db_col_int64(s, 2);
    const char *sha = zq_arena_strdup(q->arena, db_col_text(s, 3));
    int64_t count = db_col_int64(s, 4);
    db_stmt_done(s);
    const char *disp = name ? upload_disposition(q->arena, name) : NULL;
    if (!name || !mime || !sha || !disp) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    zq_buf_reset(&r->body);
    if ((rc = upload_blob_append(q->db, sha, size, count, &r->body)) != DB_OK) {
        zq_buf_reset(&r->body);
        return hk_fail_db(q, r, rc);
    }
    r->status = 200;
    /* stored types come from the allow-list only, so this is never html or
     * script; nosniff (added by the pipeline for every answer) stops the
     * browser from second-guessing it, and the sandbox CSP disarms the
     * document should it be opened inline anyway */
    r->content_type = mime;
    zq_resp_header(q->arena, r, "Content-Disposition", disp);
    zq_resp_header(q->arena, r, "Content-Security-Policy", "sandbox");
    zq_resp_header(q->arena, r, "Cache-Control", "private, no-store");
    return ZQ_OK;
}

/* Attachments feed the profile, declarations, questionnaires and
 * consultations: a member who can write none of them has nothing to attach
 * a file to (a read-only member could otherwise fill the firm's quota). */
#define UPLOAD_PERMS "profile.edit|declaration.submit|survey.answer|consult.submit"

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/uploads", upload_create, ZQ_ACCESS_MEMBER, UPLOAD_PERMS, 0, UP_BODY_MAX, "upload.create"},
    /* members see their enterprise's files; staff those of firms in their scope */
    {ZQ_GET, "/api/v1/files/:id", file_download, ZQ_ACCESS_SESSION, NULL, ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group upload_routes = {routes, sizeof routes / sizeof routes[0]};
