/*
 * db.h — the one small database interface zhengqi speaks, over SQLite
 * (embedded default) and PostgreSQL (libpq, several instances).
 *
 * Handlers write SQL with $1..$n placeholders; the same text runs on both
 * engines. Values travel as text or int64 (and blobs), so the caller never
 * sees sqlite3_* or PG* types. Dialect differences live only in this folder
 * (db_for_update in db.c) and in the migration token substitution (migrate.c).
 *
 * Threading: a db_conn is used by one thread at a time. db_pool hands out
 * connections to worker threads; tests use one connection directly.
 */
#ifndef ZQ_DB_H
#define ZQ_DB_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef enum { DB_SQLITE = 1, DB_POSTGRES = 2 } db_engine;

/* Result codes. DB_ROW/DB_DONE come only from db_step. */
typedef enum {
    DB_OK = 0,
    DB_ROW = 100,
    DB_DONE = 101,
    DB_ERR = -1,        /* generic failure; db_errmsg() says why (never shown to users) */
    DB_ECONSTRAINT = -2,/* unique / foreign-key / check violation */
    DB_EBUSY = -3,      /* lock not obtained within the busy timeout / serialization failure */
    DB_EUNAVAIL = -4,   /* server gone / cannot connect */
} db_rc;

typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;
typedef struct db_pool db_pool;

/* Parse a URL: "sqlite:path/to/file.db", "sqlite::memory:", "postgres://…",
 * "postgresql://…". Returns the engine or 0 for an unknown scheme. */
db_engine db_url_engine(const char *url);

/* Open one connection. On failure returns NULL and writes a reason into
 * err (errlen bytes, always NUL-terminated). SQLite: WAL, foreign_keys=ON,
 * synchronous=FULL, busy_timeout 5 s; creates parent dir of the file. */
db_conn *db_open(const char *url, char *err, size_t errlen);
void db_close(db_conn *c);
db_engine db_conn_engine(const db_conn *c);
const char *db_engine_name(db_engine e); /* "sqlite" / "postgres" */
const char *db_errmsg(db_conn *c);       /* last error text, for logs only */

/* Run SQL without parameters (may hold several statements separated by ';'). */
int db_exec(db_conn *c, const char *sql);

/* Prepared statements. sql uses $1..$n. Statements are cached per
 * connection by the sql pointer's text, so handlers pass string literals;
 * db_stmt_done() resets the statement for reuse (never free it yourself).
 * A statement is "in use" from db_prepare until db_stmt_done: preparing the
 * same text again meanwhile (nested loops) gives a second statement, and
 * in-use statements are never evicted. The cache holds at most 256 per
 * connection (least recently used idle ones are evicted; on PostgreSQL also
 * DEALLOCATEd); if all 256 are in use the call fails. PostgreSQL prepares on
 * the server at the first db_step, so SQL errors may show only there.
 * Returns NULL on failure (db_errmsg tells why). */
db_stmt *db_prepare(db_conn *c, const char *sql);

/* Bind parameter number idx (1-based, as in $idx). Text is copied.
 * len < 0 means strlen. NULL text binds SQL NULL. Returns DB_OK, or DB_ERR
 * when the SQL has no $idx or the statement was already stepped (call
 * db_stmt_done first). Unbound parameters are NULL. */
int db_bind_text(db_stmt *s, int idx, const char *text, int len);
int db_bind_int64(db_stmt *s, int idx, int64_t v);
int db_bind_null(db_stmt *s, int idx);
int db_bind_blob(db_stmt *s, int idx, const void *data, size_t len);

/* Execute / advance: DB_ROW while rows remain, then DB_DONE, or a negative db_rc.
 * After DB_DONE it keeps returning DB_DONE, after an error DB_ERR, until
 * db_stmt_done. PostgreSQL executes on the first call and holds the whole
 * result, so paginate big queries with LIMIT. */
int db_step(db_stmt *s);

/* Column getters for the current row (0-based col). Pointers are valid
 * until the next db_step or db_stmt_done. NULL column (or no current row,
 * or col out of range): text → NULL, int → 0, blob → NULL with *len 0; an
 * empty blob is a non-NULL pointer with *len 0. On PostgreSQL the int
 * getter parses strictly ([-]digits, a fractional part is truncated,
 * booleans t/f are 1/0; anything else is 0 and noted in db_errmsg) and the
 * blob getter decodes bytea into a buffer the statement owns. */
int db_column_count(db_stmt *s);
bool db_col_is_null(db_stmt *s, int col);
const char *db_col_text(db_stmt *s, int col);
int db_col_text_len(db_stmt *s, int col);
int64_t db_col_int64(db_stmt *s, int col);
const void *db_col_blob(db_stmt *s, int col, size_t *len);
/* The column's text copied into arena a (it outlives the next step);
 * NULL for SQL NULL or when out of memory. */
struct zq_arena;
const char *db_col_dup(struct zq_arena *a, db_stmt *s, int col);

/* Number of rows changed by the last DONE step of this statement (0 for queries). */
int64_t db_changes(db_stmt *s);

/* Reset bindings and results so the cached statement can be reused. Always call. */
void db_stmt_done(db_stmt *s);

/* Transactions. immediate=true takes the write lock at once on SQLite
 * (BEGIN IMMEDIATE) for check-then-act; on PostgreSQL it is a plain BEGIN
 * (use SELECT … FOR UPDATE there). */
int db_begin(db_conn *c, bool immediate);
int db_commit(db_conn *c);
int db_rollback(db_conn *c);
/* True while a transaction is open on the connection. */
bool db_in_tx(db_conn *c);
/* hook(ctx) runs at every db_commit of an open transaction, inside it,
 * just before COMMIT; non-zero rolls the transaction back and db_commit
 * returns DB_ERR. One hook per connection (NULL removes it); the pool
 * removes it on release. The request pipeline uses it to write a route's
 * audit record in the handler's own transaction (src/audit/stage.c). */
void db_set_commit_hook(db_conn *c, int (*hook)(void *ctx), void *ctx);

/* Convenience: run a one-row query returning one int64 (e.g. COUNT(*)).
 * Parameters: nparams text values (NULL = SQL NULL). */
int db_query_int64(db_conn *c, const char *sql, int64_t *out, int nparams, const char *const *params);

/* Migrations: apply every numbered migration not yet recorded in
 * schema_migrations, each in its own transaction. Writes a reason to err on
 * failure. *applied gets the number applied (may be NULL). */
int db_migrate(db_conn *c, int *applied, char *err, size_t errlen);

/* Prepares sql, a SELECT whose rows the open transaction goes on to
 * change (check-then-act): on PostgreSQL the rows are locked (sql + " FOR
 * UPDATE", or " FOR UPDATE OF <of>" when only one table of a join is to be
 * locked); on SQLite, where BEGIN IMMEDIATE already holds the one write
 * lock, sql runs as it is. One statement text for both engines. NULL on
 * failure, as db_prepare. */
db_stmt *db_for_update(db_conn *c, const char *sql, const char *of);

/* Commits that need not wait for the disk: on (true) until set off again,
 * a commit returns before its log reaches the disk (SQLite WAL:
 * synchronous=NORMAL, the next full commit flushes it; PostgreSQL:
 * synchronous_commit=off). A power cut may lose such a commit, never
 * corrupt the database. Only for writes whose loss costs nothing (a
 * session's last-seen time). DB_OK or a db_rc. */
int db_set_relaxed(db_conn *c, bool on);

/* SQLite online backup of the connection's database to a file path. */
int db_backup_sqlite(db_conn *c, const char *out_path, char *err, size_t errlen);

/* Pool: n connections opened up front; acquire blocks until one is free.
 * release rolls back a transaction left open and resets statements left in
 * use. A PG connection found broken on release or acquire (status BAD, or
 * the server closed it while idle) is reopened; if that fails the old one
 * is kept and its next use returns DB_EUNAVAIL. */
db_pool *db_pool_open(const char *url, int n, char *err, size_t errlen);
/* Waits at most the pool's deadline (db_pool_set_wait; default
 * DB_POOL_WAIT_DEFAULT_MS) for an idle connection. NULL when none came free
 * in time: the caller answers 503, it never waits without end. */
db_conn *db_pool_acquire(db_pool *p);
#define DB_POOL_WAIT_DEFAULT_MS 5000u
void db_pool_set_wait(db_pool *p, unsigned ms);
typedef struct {
    int size, idle;
    unsigned long long timeouts; /* acquires that gave up since start */
} db_pool_stats;
db_pool_stats db_pool_get_stats(db_pool *p);
void db_pool_release(db_pool *p, db_conn *c);
void db_pool_close(db_pool *p);
db_engine db_pool_engine(const db_pool *p);

#endif
