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
struct db_stmt;

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


/* The bureau files a staff request may use (attach, make a cover of,
 * download), as a condition on bureau_file aliased `f` with $1 bound to
 * zq_scope_value(q). bureau_file has no region of its own: a district
 * account reaches what its district's staff uploaded and what an object of
 * its district uses (content attachment or cover, declaration template),
 * so it can open everything its editors show and nothing another district
 * keeps in draft; the city ('') reaches every file. */
#define UPLOAD_BUREAU_IN_SCOPE                                                                        \
    "($1 = '' OR EXISTS (SELECT 1 FROM staff s WHERE s.id = f.staff_id AND s.region = $1)"            \
    " OR EXISTS (SELECT 1 FROM content_attachment a JOIN content_item c ON c.id = a.item_id"           \
    "   WHERE a.file_id = f.id AND c.region = $1)"                                                     \
    " OR EXISTS (SELECT 1 FROM content_item c WHERE c.cover_file_id = f.id AND c.region = $1)"         \
    " OR EXISTS (SELECT 1 FROM decl_template t JOIN decl_call d ON d.id = t.call_id"                   \
    "   WHERE t.file_id = f.id AND d.region = $1))"

/* Bureau file file_id if this staff request's scope reaches it (the check
 * before a record stores a bureau file id a client sent: attachments,
 * covers, templates): DB_ROW with *mime (arena, may be NULL to skip),
 * DB_DONE when unknown or out of reach, or a db_rc. (blob.c) */
int upload_bureau_reach(zq_req *q, int64_t file_id, const char **mime);

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
/* The same for a statement the caller prepared and bound (same columns);
 * steps it once and finishes it. (send.c) */
int upload_file_take(zq_req *q, zq_resp *r, struct db_stmt *s, upload_file *f);

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
