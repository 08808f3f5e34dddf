/*
 * send.c — answering a request with one stored bureau file as a download
 * (upload.h): the lookup by the publishing module's own query and the
 * streaming with the download headers, shared by a declaration call's
 * templates and the attachments of policies and notices so both stay
 * equally strict (attachment disposition, sandbox, no caching); and the
 * hand-over of a finished temporary file (exports, zips) to the response.
 */
#include "upload/upload.h"
#include "db/db.h"
#include "http/req.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int upload_file_take(zq_req *q, zq_resp *r, db_stmt *s, upload_file *f)
{
    int rc = db_step(s);
    if (rc == DB_ROW) {
        f->name = zq_arena_strdup(q->arena, db_col_text(s, 0));
        f->mime = zq_arena_strdup(q->arena, db_col_text(s, 1));
        f->size = db_col_int64(s, 2);
        f->sha256 = zq_arena_strdup(q->arena, db_col_text(s, 3));
        f->chunk_count = db_col_int64(s, 4);
        if (!f->name || !f->mime || !f->sha256) rc = DB_ERR;
    }
    db_stmt_done(s);
    if (rc == DB_DONE) zq_fail(r, ZQ_E_NOT_FOUND, "附件不存在");
    else if (rc != DB_ROW) zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return rc;
}

int upload_file_find(zq_req *q, zq_resp *r, const char *sql, int64_t owner_id, int64_t file_id, upload_file *f)
{
    db_stmt *s = file_id > 0 ? db_prepare(q->db, sql) : NULL;
    if (file_id <= 0) return zq_fail(r, ZQ_E_NOT_FOUND, "附件不存在"), DB_DONE;
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL), DB_ERR;
    db_bind_int64(s, 1, owner_id);
    db_bind_int64(s, 2, file_id);
    return upload_file_take(q, r, s, f);
}

zq_err upload_send(zq_req *q, zq_resp *r, const upload_file *f)
{
    const char *disp = upload_disposition(q->arena, f->name);
    if (!disp) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    zq_buf_reset(&r->body);
    if (upload_blob_append(q->db, f->sha256, f->size, f->chunk_count, &r->body) != DB_OK) {
        zq_buf_reset(&r->body);
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    r->status = 200;
    r->content_type = f->mime;
    zq_resp_header(q->arena, r, "Content-Disposition", disp);
    zq_resp_header(q->arena, r, "Content-Security-Policy", "sandbox");
    zq_resp_header(q->arena, r, "Cache-Control", "private, no-store");
    return ZQ_OK;
}

int upload_temp_take(const char *path, uint64_t *size)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, &st) != 0) {
        close(fd);
        fd = -1;
    }
    unlink(path);
    if (fd >= 0) *size = (uint64_t)st.st_size;
    return fd;
}

void upload_send_fd(zq_req *q, zq_resp *r, int fd, uint64_t size, const char *content_type, const char *download_name)
{
    r->status = 200;
    r->content_type = content_type;
    r->file_fd = fd;
    r->file_size = size;
    zq_resp_header(q->arena, r, "Content-Disposition", upload_disposition(q->arena, download_name));
    zq_resp_header(q->arena, r, "Cache-Control", "private, no-store");
}
