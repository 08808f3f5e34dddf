/*
 * zipper.c — streams stored blobs into a zip file (zipper.h). libzip reads
 * each entry's data only while writing the archive at zip_close(), through
 * a source callback that walks the blob's file_chunk rows one at a time:
 * one chunk in memory, whatever the size of the archive.
 */
#include "declare/zipper.h"
#include "core/text.h"
#include "db/db.h"
#include "upload/upload.h"
#include <string.h>
#include <unistd.h>
#include <zip.h>

static const char SQL_CHUNKS[] = "SELECT data FROM file_chunk WHERE sha256 = $1 ORDER BY seq";

typedef struct {
    zq_req *q;
    const decl_zip_entry *e;
    int index, *opened;
    decl_zip_progress cb;
    void *ctx;
    db_stmt *s;
    const unsigned char *chunk;
    size_t chunk_len, chunk_pos;
    int64_t read;
    zip_error_t err;
} blob_src;

static zip_int64_t blob_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    blob_src *b = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        if (b->cb) b->cb(b->q, (*b->opened)++, b->ctx);
        if (!(b->s = db_prepare(b->q->db, SQL_CHUNKS))) {
            zip_error_set(&b->err, ZIP_ER_READ, 0);
            return -1;
        }
        db_bind_text(b->s, 1, b->e->sha256, -1);
        b->chunk = NULL;
        b->chunk_len = b->chunk_pos = 0;
        b->read = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        zip_uint64_t done = 0;
        while (done < len) {
            if (b->chunk_pos == b->chunk_len) {
                int rc = db_step(b->s);
                if (rc == DB_DONE) break;
                if (rc != DB_ROW) {
                    zip_error_set(&b->err, ZIP_ER_READ, 0);
                    return -1;
                }
                b->chunk = db_col_blob(b->s, 0, &b->chunk_len);
                b->chunk_pos = 0;
                continue;
            }
            size_t n = b->chunk_len - b->chunk_pos;
            if (n > len - done) n = (size_t)(len - done);
            memcpy((char *)data + done, b->chunk + b->chunk_pos, n);
            b->chunk_pos += n;
            done += n;
        }
        b->read += (int64_t)done;
        return (zip_int64_t)done;
    }
    case ZIP_SOURCE_CLOSE:
        if (b->s) db_stmt_done(b->s);
        b->s = NULL;
        /* a blob shorter or longer than its row says is a broken store */
        if (b->read != b->e->size) {
            zip_error_set(&b->err, ZIP_ER_READ, 0);
            return -1;
        }
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = (zip_uint64_t)b->e->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&b->err, data, len);
    case ZIP_SOURCE_FREE:
        if (b->s) db_stmt_done(b->s);
        b->s = NULL;
        zip_error_fini(&b->err);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                              ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        zip_error_set(&b->err, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

int decl_zip_write(zq_req *q, const char *path, const decl_zip_entry *e, int n, decl_zip_progress cb, void *ctx)
{
    int err = 0, opened = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) return -1;
    blob_src *srcs = zq_arena_alloc(q->arena, sizeof *srcs * (size_t)(n ? n : 1));
    if (!srcs) goto fail;
    for (int i = 0; i < n; i++) {
        blob_src *b = &srcs[i];
        *b = (blob_src){.q = q, .e = &e[i], .index = i, .opened = &opened, .cb = cb, .ctx = ctx};
        zip_error_init(&b->err);
        zip_source_t *s = zip_source_function(z, blob_cb, b);
        if (!s) goto fail;
        zip_int64_t idx = zip_file_add(z, e[i].name, s, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            /* same name twice in one folder: keep both, the later numbered */
            const char *alt = zq_arena_printf(q->arena, "%s (%d)", e[i].name, i + 1);
            idx = alt ? zip_file_add(z, alt, s, ZIP_FL_ENC_UTF_8) : -1;
            if (idx < 0) {
                zip_source_free(s);
                goto fail;
            }
        }
        if (zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) != 0) goto fail;
    }
    if (zip_close(z) != 0) goto fail;
    if (cb) cb(q, n, ctx);
    return 0;
fail:
    zip_discard(z);
    unlink(path);
    return -1;
}

const char *decl_zip_name(zq_req *q, const char *name)
{
    zq_buf b;
    zq_buf_init(&b, 1024);
    const char *p = name ? name : "";
    int chars = 0;
    while (*p && chars < 80) {
        const char *st = p;
        uint32_t cp = zq_utf8_next(&p);
        if (cp < 0x20 || cp == 0x7f || strchr("/\\:*?\"<>|", (int)(cp < 0x80 ? cp : 'a')) != NULL)
            zq_buf_append(&b, "_", 1);
        else if (cp == '.' && b.len == 0)
            continue; /* no leading dots: no hidden files */
        else if (cp == '.' && b.data[b.len - 1] == '.')
            zq_buf_append(&b, "_", 1); /* never "..", anywhere */
        else zq_buf_append(&b, st, (size_t)(p - st));
        chars++;
    }
    const char *out = b.len ? zq_arena_strndup(q->arena, b.data, b.len) : "未命名";
    zq_buf_free(&b);
    return out;
}

zq_err decl_zip_send(zq_req *q, zq_resp *r, const char *path, const char *download_name)
{
    uint64_t size = 0;
    int fd = upload_temp_take(path, &size);
    if (fd < 0) return zq_fail(r, ZQ_E_INTERNAL, "打包失败，请稍后重试");
    upload_send_fd(q, r, fd, size, "application/zip", download_name);
    return ZQ_OK;
}
