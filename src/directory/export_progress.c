/*
 * export_progress.c — the rows behind GET …/export-progress/:token. The
 * export writes them between batches, on its own connection but outside
 * any transaction, so a poll from another thread or instance sees each
 * batch as soon as it is written.
 */
#include "directory/export_progress.h"
#include "directory/directory.h"
#include "handler/kit.h"
#include "auth/access.h"
#include "http/input.h"
#include <string.h>

bool export_token_ok(const char *t)
{
    if (!t || strlen(t) != EXPORT_TOKEN_LEN) return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) return false;
    return true;
}

int export_progress_start(db_conn *db, const char *token, int64_t staff_id, int64_t total, int64_t now)
{
    db_stmt *s = db_prepare(db, "INSERT INTO export_progress (token, staff_id, total, done, status, updated_at)"
                                " VALUES ($1, $2, $3, 0, 'running', $4)");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, token, -1);
    db_bind_int64(s, 2, staff_id);
    db_bind_int64(s, 3, total);
    db_bind_int64(s, 4, now);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int export_progress_update(db_conn *db, const char *token, int64_t done, const char *status, int64_t now)
{
    db_stmt *s = db_prepare(db, "UPDATE export_progress SET done = $1, status = $2, updated_at = $3 WHERE token = $4");
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, done);
    db_bind_text(s, 2, status, -1);
    db_bind_int64(s, 3, now);
    db_bind_text(s, 4, token, -1);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Someone else's token answers exactly like one never used: 404. */
static zq_err progress_get(zq_req *q, zq_resp *r)
{
    const char *token = zq_req_param(q, "token");
    if (!export_token_ok(token)) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    db_stmt *s = db_prepare(q->db, "SELECT total, done, status FROM export_progress WHERE token = $1 AND staff_id = $2");
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, token, -1);
    db_bind_int64(s, 2, q->session->staff_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        zq_jw w;
        zq_resp_json(r, &w, 200);
        zq_jw_obj(&w);
        zq_jw_kint(&w, "total", db_col_int64(s, 0));
        zq_jw_kint(&w, "done", db_col_int64(s, 1));
        zq_jw_kstr(&w, "status", db_col_text(s, 2));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "导出尚未开始或已结束");
    return rc == DB_ROW ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

/* unscoped: a progress token belongs to the staff member who started the
 * export (checked in the handler), not to a district; the export itself is scoped */
static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/enterprises/export-progress/:token", progress_get, ZQ_ACCESS_STAFF, "enterprise.export",
     ZQ_RF_UNSCOPED, 0, NULL},
};
const zq_route_group export_progress_routes = {routes, sizeof routes / sizeof routes[0]};
