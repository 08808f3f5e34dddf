/*
 * store.c — content-addressed blob storage in the database. Bytes are cut
 * into UP_CHUNK rows so no single row, bind or PostgreSQL bytea escape grows
 * with the file, and identical files (the same licence uploaded for several
 * records) are kept once.
 */
#include "upload/upload_internal.h"
#include "core/text.h"
#include "db/db.h"
#include <sodium.h>

/* ON CONFLICT DO NOTHING rather than look-then-insert: two uploads of the
 * same new file racing on PostgreSQL both get through, one of them simply
 * finds the blob written by the other once that one commits. */
static const char SQL_BLOB_INSERT[] =
    "INSERT INTO file_blob(sha256, size, chunk_count, created_at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (sha256) DO NOTHING";
static const char SQL_CHUNK_INSERT[] = "INSERT INTO file_chunk(sha256, seq, data) VALUES ($1, $2, $3)";

int up_store_blob(struct db_conn *db, const void *body, size_t len, int64_t now, char sha256[UP_SHA256_HEX])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, body, len);
    zq_hex(digest, sizeof digest, sha256);

    int64_t chunks = (int64_t)((len + UP_CHUNK - 1) / UP_CHUNK);
    db_stmt *s = db_prepare(db, SQL_BLOB_INSERT);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, sha256, -1);
    db_bind_int64(s, 2, (int64_t)len);
    db_bind_int64(s, 3, chunks);
    db_bind_int64(s, 4, now);
    int rc = db_step(s);
    int64_t added = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if (added == 0) return DB_OK; /* deduplicated: the chunks are there */

    const unsigned char *p = body;
    for (int64_t seq = 0; seq < chunks; seq++) {
        size_t off = (size_t)seq * UP_CHUNK;
        size_t n = len - off < UP_CHUNK ? len - off : UP_CHUNK;
        if (!(s = db_prepare(db, SQL_CHUNK_INSERT))) return DB_ERR;
        db_bind_text(s, 1, sha256, -1);
        db_bind_int64(s, 2, seq);
        db_bind_blob(s, 3, p + off, n);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    return DB_OK;
}
