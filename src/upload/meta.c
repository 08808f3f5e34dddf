/*
 * meta.c — what other modules ask about an upload: does it belong to this
 * enterprise (before a record stores a client-sent file_id), and its short
 * description {id, name, size, mime} for the records that name it.
 */
#include "upload/upload.h"
#include "db/db.h"

static const char SQL_BELONGS[] = "SELECT 1 FROM upload WHERE id = $1 AND enterprise_id = $2";
static const char SQL_META[] = "SELECT id, name, size, mime FROM upload WHERE id = $1";

bool upload_belongs_to(struct db_conn *db, int64_t file_id, int64_t enterprise_id)
{
    if (file_id <= 0 || enterprise_id <= 0) return false;
    db_stmt *s = db_prepare(db, SQL_BELONGS);
    if (!s) return false;
    db_bind_int64(s, 1, file_id);
    db_bind_int64(s, 2, enterprise_id);
    bool found = db_step(s) == DB_ROW;
    db_stmt_done(s);
    return found;
}

int upload_write_meta(struct db_conn *db, int64_t file_id, zq_jw *w)
{
    if (file_id <= 0) {
        zq_jw_null(w);
        return DB_OK;
    }
    db_stmt *s = db_prepare(db, SQL_META);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, file_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        zq_jw_obj(w);
        zq_jw_kint(w, "id", db_col_int64(s, 0));
        zq_jw_kstr(w, "name", db_col_text(s, 1));
        zq_jw_kint(w, "size", db_col_int64(s, 2));
        zq_jw_kstr(w, "mime", db_col_text(s, 3));
        zq_jw_obj_end(w);
    } else if (rc == DB_DONE) {
        zq_jw_null(w);
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}
