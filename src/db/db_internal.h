/*
 * db_internal.h — what the files of src/db share: the connection and
 * statement structs, the engine vtable (db_ops) each engine file provides,
 * and a few helpers. Nothing outside src/db includes this.
 *
 * Layering: db.c owns the engine-neutral logic (URL dispatch, statement
 * cache with LRU eviction, statement state machine, argument checks) and
 * calls the engine only through c->ops. db_sqlite.c and db_pg.c know
 * nothing about the cache.
 */
#ifndef ZQ_DB_INTERNAL_H
#define ZQ_DB_INTERNAL_H
#include "db/db.h"
#include <sqlite3.h>
#include <libpq-fe.h>

#define DB_CACHE_SLOTS 256     /* cached statements per connection */
#define DB_CACHE_BUCKETS 512   /* hash buckets (power of two) */
#define DB_MAX_PARAMS 32766    /* highest $N accepted (SQLite's default limit) */
#define DB_ERR_LEN 512

/* A value handed to an engine's bind. */
typedef enum { DBV_NULL, DBV_INT, DBV_TEXT, DBV_BLOB } db_val_kind;
typedef struct {
    db_val_kind kind;
    int64_t i;
    const void *p;   /* text (not NUL-terminated) or blob bytes */
    size_t len;
} db_val;

/* Where a statement is between db_prepare and db_stmt_done. */
typedef enum { DBS_IDLE = 0, DBS_ROWS, DBS_DONE, DBS_FAILED } db_stmt_state;

struct db_stmt {
    db_conn *c;
    char *sql;
    uint64_t hash;
    int nparams;                 /* highest $N in the text */
    bool in_use;                 /* handed out by db_prepare, not yet db_stmt_done */
    bool bind_failed;            /* a bind was refused: the next step fails with its reason */
    char bind_err[160];
    db_stmt_state state;
    int64_t changes;
    db_stmt *lru_prev, *lru_next; /* c->lru_head is the most recently used */
    db_stmt *hnext;              /* hash bucket chain */
    union {
        struct {
            sqlite3_stmt *st;
        } lt;
        struct {
            char name[24];       /* server-side prepared statement name */
            bool prepared;       /* PQprepare done on this connection */
            char **vals;         /* nparams bound values (NULL = SQL NULL) */
            int *lens;
            int *fmts;           /* 0 text, 1 binary (blobs) */
            PGresult *res;
            int row, nrows, ncols;
            unsigned char **blobs; /* ncols decoded bytea buffers of the current row */
        } pg;
    } u;
};

typedef struct db_ops {
    db_engine engine;
    /* target: the URL without "sqlite:" for SQLite, the whole URL for PG */
    int (*open)(db_conn *c, const char *target);
    void (*close)(db_conn *c);
    int (*exec)(db_conn *c, const char *sql);
    int (*prepare)(db_stmt *s);                /* compile / name the statement */
    void (*finalize)(db_stmt *s, bool closing); /* closing: the connection goes away next */
    int (*bind)(db_stmt *s, int idx, const db_val *v);
    int (*step)(db_stmt *s);                   /* DB_ROW, DB_DONE or < 0 */
    void (*reset)(db_stmt *s);                 /* results and bindings cleared */
    int (*column_count)(db_stmt *s);
    bool (*col_is_null)(db_stmt *s, int col);
    const char *(*col_text)(db_stmt *s, int col, int *len);
    int64_t (*col_int64)(db_stmt *s, int col);
    const void *(*col_blob)(db_stmt *s, int col, size_t *len);
    bool (*in_tx)(db_conn *c);
    bool (*broken)(db_conn *c);                /* true if the connection must be reopened */
} db_ops;

struct db_conn {
    const db_ops *ops;
    sqlite3 *lite;
    PGconn *pg;
    char err[DB_ERR_LEN];
    db_stmt *buckets[DB_CACHE_BUCKETS];
    db_stmt *lru_head, *lru_tail;
    int ncache;
    unsigned next_name;          /* PG statement names zq0, zq1, … */
    int (*commit_hook)(void *ctx); /* db_set_commit_hook: runs inside the tx before COMMIT */
    void *commit_ctx;
    /* SQLite in a pool: the pool's writer gate (db_gate_*), held from
     * BEGIN IMMEDIATE to the transaction's end; NULL outside a pool */
    struct db_gate *gate;
    bool gate_held;
    /* db_set_relaxed(true) was asked and no db_set_relaxed(false) has
     * succeeded since: the pool must not hand this connection to the next
     * request (its commits would not wait for the disk) */
    bool relaxed;
};

/* The writer gate of a pool's SQLite connections: a writer waits for the
 * one before it on a mutex and is woken the moment it commits, instead
 * of SQLite's busy handler, which sleeps 1, 2, 5 … 100 ms between tries
 * whatever the lock's real hold time (a queue of 64 submits then moves
 * at the sleeps' pace, not the commits'). Other processes on the same
 * file are still met by the busy timeout. */
typedef struct db_gate db_gate;
#define DB_GATE_WAIT_MS 5000 /* as long as SQLite's own busy timeout */
db_gate *db_gate_new(void);
void db_gate_free(db_gate *g);
/* 0, or -1 when the gate did not open within ms milliseconds. */
int db_gate_enter(db_gate *g, unsigned ms);
void db_gate_leave(db_gate *g);

extern const db_ops db_sqlite_ops;
extern const db_ops db_pg_ops;

/* Writes the connection's last error (for db_errmsg). */
void db_set_err(db_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Resets every statement still marked in use on c (a handler that forgot
 * db_stmt_done); the pool calls it on release. */
void db_conn_reset_all(db_conn *c);

/* Registers the FTS5 tokenizer zq_gram (sqlite_gram.c) on db; an SQLITE_* code. */
int db_sqlite_gram_register(sqlite3 *db);

/* True if c must be reopened (PG: connection lost). */
bool db_conn_broken(db_conn *c);
/* True while db_set_relaxed(c, true) has not been undone (see struct db_conn). */
bool db_conn_relaxed(const db_conn *c);

#endif
