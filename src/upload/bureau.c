/*
 * bureau.c — files that belong to the bureau rather than to an enterprise
 * (a declaration call's 申报附件 templates, a policy's or notice's
 * attachments: anyone may download them once the owner is published):
 *   POST /api/v1/admin/uploads?name=<file name>   raw body ≤ 10 MiB → 201 meta
 *   GET  /api/v1/admin/uploads/:id                 the file, for staff
 * Same checks and blob store as the member path (upload_api.c); the row
 * goes to bureau_file, outside every enterprise's quota. The public
 * downloads go through the module that publishes the file
 * (src/declare/public.c, src/policy/public.c); the staff download opens a
 * draft's or withdrawn item's files in the editors.
 */
#include "upload/upload.h"
#include "upload/upload_internal.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "db/db.h"
#include "handler/kit.h"
#include "http/scope.h"
#include "http/session.h"
#include "core/text.h"

static const char SQL_INSERT[] =
    "INSERT INTO bureau_file(sha256, name, size, mime, staff_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

static const char SQL_FILE[] =
    "SELECT f.name, f.mime, f.size, f.sha256, b.chunk_count FROM bureau_file f"
    " JOIN file_blob b ON b.sha256 = f.sha256 WHERE f.id = $2 AND " UPLOAD_BUREAU_IN_SCOPE;

static zq_err bureau_upload(zq_req *q, zq_resp *r)
{
    const char *name = zq_req_query(q, "name");
    const char *why = up_name_problem(name);
    if (why) {
        zq_fail_field(q, r, "name", why);
        return r->err;
    }
    if (q->body_len == 0) return zq_fail(r, ZQ_E_BAD_REQUEST, "上传的文件是空的，请重新选择");
    if (q->body_len > UP_BODY_MAX) return zq_fail(r, ZQ_E_TOO_LARGE, "文件不能超过 10 MB");
    const char *mime;
    if (up_sniff(q->body, q->body_len, name, &mime) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (!mime)
        return zq_fail(r, ZQ_E_MEDIA_TYPE, "仅支持上传 PDF、JPG、PNG、Word（doc/docx）、Excel（xls/xlsx）或 ZIP 文件");
    char sha[UP_SHA256_HEX];
    if (db_begin(q->db, true) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (up_store_blob(q->db, q->body, q->body_len, q->now, sha) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_text(s, 1, sha, -1);
    db_bind_text(s, 2, name, -1);
    db_bind_int64(s, 3, (int64_t)q->body_len);
    db_bind_text(s, 4, mime, -1);
    db_bind_int64(s, 5, q->session->staff_id);
    db_bind_int64(s, 6, q->now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!id) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    audit_entry a = {.action = "upload.bureau_create", .object_type = "bureau_file",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)id), .detail = NULL};
    if (audit_note(q, &a) != 0 || db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    up_answer_created(q, r, id, name, q->body_len, mime, sha);
    return ZQ_OK;
}

static zq_err bureau_download(zq_req *q, zq_resp *r)
{
    const char *v = zq_req_param(q, "id");
    int64_t id;
    if (!v || !zq_parse_int64(v, 1, INT64_MAX, &id)) return zq_fail(r, ZQ_E_NOT_FOUND, "附件不存在");
    db_stmt *s = db_prepare(q->db, SQL_FILE);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_text(s, 1, zq_scope_value(q), -1);
    db_bind_int64(s, 2, id);
    upload_file f;
    if (upload_file_take(q, r, s, &f) != DB_ROW) return r->err;
    return upload_send(q, r, &f);
}

static const zq_route routes[] = {
    /* unscoped: a bureau file belongs to no district's firm */
    {ZQ_POST, "/api/v1/admin/uploads", bureau_upload, ZQ_ACCESS_STAFF,
     "declaration.manage|policy.publish|notice.publish", ZQ_RF_UNSCOPED,
     UP_BODY_MAX, "upload.bureau_create"},
    /* the path for staff uploads (issue 13: templates go up "through
     * the same POST /api/v1/uploads?name= path"): the member route's twin,
     * picked by the pipeline for a staff session (zq_router_twin) */
    {ZQ_POST, "/api/v1/uploads", bureau_upload, ZQ_ACCESS_STAFF,
     "declaration.manage|policy.publish|notice.publish", ZQ_RF_UNSCOPED,
     UP_BODY_MAX, "upload.bureau_create"},
    {ZQ_GET, "/api/v1/admin/uploads/:id", bureau_download, ZQ_ACCESS_STAFF,
     "declaration.manage|policy.publish|notice.publish", ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group bureau_upload_routes = {routes, sizeof routes / sizeof routes[0]};
