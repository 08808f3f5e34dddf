/*
 * upload.h — the one path every attachment takes (docs/profile.md,
 * "Uploads"): content-typed by libmagic against an allow-list, stored in the
 * database in SHA-256-deduplicated chunks, downloaded as an attachment only.
 * This header is what modules that reference uploads (profile sections,
 * later declarations and consultations) call.
 */
#ifndef ZQ_UPLOAD_H
#define ZQ_UPLOAD_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/buf.h"
#include "core/jsonw.h"
#include "http/route.h"

struct db_conn;

/* True if upload file_id exists and belongs to enterprise_id: the check a
 * record makes before it stores a file_id a client sent. */
bool upload_belongs_to(struct db_conn *db, int64_t file_id, int64_t enterprise_id);

/* Writes {id, name, size, mime} of upload file_id, or null when file_id is 0
 * or unknown. Returns 0 or a negative db_rc. */
int upload_write_meta(struct db_conn *db, int64_t file_id, zq_jw *w);

/* The Content-Disposition value for downloading `name` as an attachment
 * (every download: uploads, exports): an ASCII fallback for old clients
 * plus the exact RFC 8187 UTF-8 form. Arena string, NULL when out of memory. */
const char *upload_disposition(zq_arena *a, const char *name);

/* Appends the blob sha256's chunks to out, checking they add up to the
 * size and chunk count its file_blob row promises (a gap would otherwise
 * ship a silently corrupt file). DB_OK or a db_rc. */
int upload_blob_append(struct db_conn *db, const char *sha256, int64_t size, int64_t chunk_count, zq_buf *out);

/* Bureau-owned files (bureau_file: a declaration call's templates):
 * true when file_id exists. */
bool upload_bureau_exists(struct db_conn *db, int64_t file_id);

/* A stored file as a download needs: its name, type and blob. */
typedef struct {
    const char *name, *mime, *sha256;
    int64_t size, chunk_count;
} upload_file;

/* Runs sql (binds $1 owner_id, $2 file_id; selects name, mime, size,
 * sha256, chunk_count) into *f (arena strings). The query is the
 * publisher's: it decides which file belongs to which published object.
 * DB_ROW, or DB_DONE / a db_rc with the 404 / 503 set in r (file_id ≤ 0
 * is a 404 too). (send.c) */
int upload_file_find(zq_req *q, zq_resp *r, const char *sql, int64_t owner_id, int64_t file_id, upload_file *f);

/* Answers r with f's bytes as an attachment (sandboxed, not cached);
 * ZQ_OK or the failure set in r. (send.c) */
zq_err upload_send(zq_req *q, zq_resp *r, const upload_file *f);
/* Exports and zips built in a temporary file: opens the finished file at
 * path for reading and unlinks it (the descriptor keeps the bytes until the
 * response has been sent; the path is unlinked on failure too). The
 * descriptor with *size, or -1. (send.c) */
int upload_temp_take(const char *path, uint64_t *size);
/* Answers 200 with the open file fd (r owns it from here) as a private,
 * uncached download named download_name. (send.c) */
void upload_send_fd(zq_req *q, zq_resp *r, int fd, uint64_t size, const char *content_type, const char *download_name);

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group upload_routes;          /* upload_api.c */
extern const zq_route_group bureau_upload_routes;   /* bureau.c */

#endif
