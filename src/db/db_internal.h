/*
 * db_internal.h — what the engine files of src/db share: the connection
 * and statement structs, and each engine's entry points. Nothing outside
 * src/db includes this.
 */
#ifndef ZQ_DB_INTERNAL_H
#define ZQ_DB_INTERNAL_H
#include "db/db.h"
#include <sqlite3.h>
#include <libpq-fe.h>

#define DB_CACHE_SLOTS 256
#define DB_MAX_PARAMS 64

struct db_stmt {
    db_conn *c;
    char *sql;
    uint64_t hash;
    int nparams;                 /* highest $N in the text */
    /* SQLite */
    sqlite3_stmt *ls;
    /* PostgreSQL */
    char name[24];
    bool prepared;
    char *vals[DB_MAX_PARAMS];
    int lens[DB_MAX_PARAMS];
    int fmts[DB_MAX_PARAMS];
    PGresult *res;
    int row, nrows;
    bool executed;
    unsigned char *blob;         /* decoded bytea of the last blob getter */
    int64_t changes;
};

struct db_conn {
    db_engine engine;
    char url[1024];
    sqlite3 *lite;
    PGconn *pg;
    char err[512];
    db_stmt *cache[DB_CACHE_SLOTS];
    int ncache;
    unsigned next_name;
};

void db_set_err(db_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* SQLite engine (db_sqlite.c) */
int dbl_open(db_conn *c, const char *path);
void dbl_close(db_conn *c);
int dbl_exec(db_conn *c, const char *sql);
int dbl_prepare(db_conn *c, db_stmt *s);
int dbl_bind(db_stmt *s, int idx, const char *text, int len, const void *blob, size_t bloblen, bool is_null, bool is_int, int64_t iv);
int dbl_step(db_stmt *s);
void dbl_reset(db_stmt *s);
void dbl_finalize(db_stmt *s);
bool dbl_in_tx(db_conn *c);

/* PostgreSQL engine (db_pg.c) */
int dbp_open(db_conn *c, const char *url);
void dbp_close(db_conn *c);
int dbp_exec(db_conn *c, const char *sql);
int dbp_step(db_stmt *s);
void dbp_reset(db_stmt *s);
void dbp_finalize(db_stmt *s);
bool dbp_in_tx(db_conn *c);
bool dbp_broken(db_conn *c);

#endif
