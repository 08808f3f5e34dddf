/*
 * db_sqlite.c — the SQLite engine behind db.h (vtable db_sqlite_ops):
 * WAL, foreign keys on, synchronous=FULL, 5 s busy timeout, parent
 * directory created on open. SQLite reads $1..$n as *named* parameters
 * numbered by first appearance, so every bind looks its index up by name
 * ("$N") instead of trusting the position.
 */
#include "db/db_internal.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define LITE_BUSY_MS 5000

static int map_rc(db_conn *c, int rc)
{
    switch (rc) {
    case SQLITE_OK: return DB_OK;
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_DONE: return DB_DONE;
    default: break;
    }
    db_set_err(c, "sqlite: %s", c->lite ? sqlite3_errmsg(c->lite) : sqlite3_errstr(rc));
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return DB_ECONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DB_EBUSY;
    case SQLITE_CANTOPEN: return DB_EUNAVAIL;
    default: return DB_ERR;
    }
}

/* mkdir -p for the directory part of path. */
static int make_parent(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    size_t n = (size_t)(slash - path);
    if (n >= sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0750) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(dir, 0750) != 0 && errno != EEXIST) return -1;
    return 0;
}

static int lite_exec(db_conn *c, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->lite, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) return DB_OK;
    int r = map_rc(c, rc);
    if (msg) db_set_err(c, "sqlite: %s", msg);
    sqlite3_free(msg);
    return r;
}

/* The journal mode SQLite actually chose ("wal" unless the filesystem refused). */
static int check_wal(db_conn *c)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->lite, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc != SQLITE_OK) goto fail;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) goto fail;
    const char *mode = (const char *)sqlite3_column_text(st, 0);
    if (!mode || strcmp(mode, "wal") != 0) {
        db_set_err(c, "sqlite: cannot switch to WAL (journal_mode=%s)", mode ? mode : "?");
        sqlite3_finalize(st);
        return DB_ERR;
    }
    sqlite3_finalize(st);
    return DB_OK;
fail:
    rc = map_rc(c, rc);
    sqlite3_finalize(st);
    return rc;
}

static int lite_open(db_conn *c, const char *path)
{
    bool memory = strcmp(path, ":memory:") == 0;
    if (!memory && make_parent(path) != 0) {
        db_set_err(c, "cannot create the directory of %s: %s", path, strerror(errno));
        return DB_EUNAVAIL;
    }
    int rc = sqlite3_open_v2(path, &c->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        db_set_err(c, "cannot open %s: %s", path, c->lite ? sqlite3_errmsg(c->lite) : sqlite3_errstr(rc));
        return DB_EUNAVAIL;
    }
    if (sqlite3_extended_result_codes(c->lite, 1) != SQLITE_OK || sqlite3_busy_timeout(c->lite, LITE_BUSY_MS) != SQLITE_OK)
        return map_rc(c, sqlite3_errcode(c->lite));
    if (!memory) {
        rc = check_wal(c);
        if (rc != DB_OK) return rc;
    }
    /* before any statement can reach enterprise_gram (migration 0014) */
    if ((rc = db_sqlite_gram_register(c->lite)) != SQLITE_OK) {
        db_set_err(c, "cannot register the zq_gram tokenizer: %s", sqlite3_errstr(rc));
        return DB_ERR;
    }
    /* cache and temp store: see docs/architecture.md "Database" */
    return lite_exec(c, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY");
}

static void lite_close(db_conn *c)
{
    if (c->lite) sqlite3_close_v2(c->lite);
    c->lite = NULL;
}

static int lite_prepare(db_stmt *s)
{
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(s->c->lite, s->sql, -1, SQLITE_PREPARE_PERSISTENT, &s->u.lt.st, &tail);
    if (rc != SQLITE_OK) return map_rc(s->c, rc);
    if (!s->u.lt.st) {
        db_set_err(s->c, "sqlite: empty statement");
        return DB_ERR;
    }
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';')) tail++;
    if (tail && *tail) {
        db_set_err(s->c, "db_prepare takes one statement (use db_exec for several)");
        return DB_ERR;
    }
    return DB_OK;
}

static void lite_finalize(db_stmt *s, bool closing)
{
    (void)closing;
    if (s->u.lt.st) sqlite3_finalize(s->u.lt.st);
    s->u.lt.st = NULL;
}

static int lite_bind(db_stmt *s, int idx, const db_val *v)
{
    char name[16];
    snprintf(name, sizeof name, "$%d", idx);
    int pos = sqlite3_bind_parameter_index(s->u.lt.st, name);
    if (pos == 0) {
        db_set_err(s->c, "no parameter %s in statement", name);
        return DB_ERR;
    }
    int rc = SQLITE_MISUSE;
    switch (v->kind) {
    case DBV_NULL: rc = sqlite3_bind_null(s->u.lt.st, pos); break;
    case DBV_INT: rc = sqlite3_bind_int64(s->u.lt.st, pos, v->i); break;
    case DBV_TEXT: rc = sqlite3_bind_text64(s->u.lt.st, pos, v->p, v->len, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case DBV_BLOB: rc = sqlite3_bind_blob64(s->u.lt.st, pos, v->p, v->len, SQLITE_TRANSIENT); break;
    }
    return map_rc(s->c, rc);
}

static int lite_step(db_stmt *s)
{
    int rc = sqlite3_step(s->u.lt.st);
    if (rc == SQLITE_DONE) s->changes = sqlite3_stmt_readonly(s->u.lt.st) ? 0 : sqlite3_changes64(s->c->lite);
    return map_rc(s->c, rc);
}

static void lite_reset(db_stmt *s)
{
    /* sqlite3_reset repeats the last step's error code; it was reported then */
    sqlite3_reset(s->u.lt.st);
    sqlite3_clear_bindings(s->u.lt.st);
}

static int lite_column_count(db_stmt *s)
{
    return sqlite3_column_count(s->u.lt.st);
}

static bool lite_col_is_null(db_stmt *s, int col)
{
    return sqlite3_column_type(s->u.lt.st, col) == SQLITE_NULL;
}

static const char *lite_col_text(db_stmt *s, int col, int *len)
{
    const char *t = (const char *)sqlite3_column_text(s->u.lt.st, col);
    *len = t ? sqlite3_column_bytes(s->u.lt.st, col) : 0;
    return t;
}

static int64_t lite_col_int64(db_stmt *s, int col)
{
    return sqlite3_column_int64(s->u.lt.st, col);
}

static const void *lite_col_blob(db_stmt *s, int col, size_t *len)
{
    if (lite_col_is_null(s, col)) return NULL;
    const void *p = sqlite3_column_blob(s->u.lt.st, col);
    *len = p ? (size_t)sqlite3_column_bytes(s->u.lt.st, col) : 0;
    return p ? p : ""; /* zero-length blob: not NULL, so callers can tell it from SQL NULL */
}

static bool lite_in_tx(db_conn *c)
{
    return c->lite && sqlite3_get_autocommit(c->lite) == 0;
}

static bool lite_broken(db_conn *c)
{
    return !c->lite;
}

const db_ops db_sqlite_ops = {
    .engine = DB_SQLITE,
    .open = lite_open,
    .close = lite_close,
    .exec = lite_exec,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .bind = lite_bind,
    .step = lite_step,
    .reset = lite_reset,
    .column_count = lite_column_count,
    .col_is_null = lite_col_is_null,
    .col_text = lite_col_text,
    .col_int64 = lite_col_int64,
    .col_blob = lite_col_blob,
    .in_tx = lite_in_tx,
    .broken = lite_broken,
};
