/*
 * upload_internal.h — what the files of src/upload/ share: the limits, file
 * name rules, content typing and blob storage. Not for other modules (they
 * use upload.h).
 */
#ifndef ZQ_UPLOAD_INTERNAL_H
#define ZQ_UPLOAD_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"

struct db_conn;

#define UP_BODY_MAX (10u << 20)       /* docs/profile.md: 10 MiB per file */
#define UP_CHUNK (256u << 10)         /* bytes per file_chunk row */
#define UP_NAME_MAX_CHARS 120
#define UP_SHA256_HEX 65              /* 64 hex digits + NUL */

/* NULL when name is an acceptable original file name, else the reason
 * (Chinese) to show under fields.name. */
const char *up_name_problem(const char *name);

/* Sets *mime to the allow-listed MIME type of body (decided by its content
 * with libmagic, refined by the container's structure and the name's
 * extension for the OOXML and Compound Document formats), or to NULL when
 * the content is not on the allow-list. Returns 0, or -1 when libmagic
 * itself failed (a server fault, not the client's). */
int up_sniff(const void *body, size_t len, const char *name, const char **mime);

/* Stores len bytes of body under their SHA-256 (hex in sha256) unless a
 * blob with that hash exists already, inside the caller's transaction.
 * Returns DB_OK or a negative db_rc. */
int up_store_blob(struct db_conn *db, const void *body, size_t len, int64_t now, char sha256[UP_SHA256_HEX]);

/* The 201 answer of a stored upload: {id, name, size, mime, sha256,
 * created_at} (answer.c), for the member and the bureau paths alike. */
struct zq_req;
struct zq_resp;
void up_answer_created(struct zq_req *q, struct zq_resp *r, int64_t id, const char *name, size_t size,
                       const char *mime, const char *sha256);

#endif
