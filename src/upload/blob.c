/*
 * blob.c — reading a stored blob back (upload.h): the one place that walks
 * file_chunk rows, for member downloads, bureau files and declaration zips.
 */
#include "upload/upload.h"
#include "http/scope.h"
#include "db/db.h"

static const char SQL_CHUNKS[] = "SELECT seq, data FROM file_chunk WHERE sha256 = $1 ORDER BY seq";
static const char SQL_BUREAU[] = "SELECT f.mime FROM bureau_file f WHERE f.id = $2 AND " UPLOAD_BUREAU_IN_SCOPE;

int upload_blob_append(db_conn *db, const char *sha, int64_t size, int64_t count, zq_buf *out)
{
    db_stmt *s = db_prepare(db, SQL_CHUNKS);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, sha, -1);
    size_t start = out->len;
    int rc;
    int64_t seq = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        size_t n;
        const void *data = db_col_blob(s, 1, &n);
        if (db_col_int64(s, 0) != seq++ || zq_buf_append(out, data ? data : "", n) != 0) {
            rc = DB_ERR;
            break;
        }
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    return seq == count && (int64_t)(out->len - start) == size ? DB_OK : DB_ERR;
}

int upload_bureau_reach(zq_req *q, int64_t id, const char **mime)
{
    db_stmt *s = db_prepare(q->db, SQL_BUREAU);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, zq_scope_value(q), -1);
    db_bind_int64(s, 2, id);
    int rc = db_step(s);
    if (rc == DB_ROW && mime && !(*mime = zq_arena_strdup(q->arena, db_col_text(s, 0)))) rc = DB_ERR;
    db_stmt_done(s);
    return rc;
}
