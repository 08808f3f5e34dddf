/*
 * db.c — the engine-neutral half of the database interface (db.h): URL
 * dispatch to an engine vtable, the per-connection statement cache (hash
 * of the SQL text + strcmp, LRU eviction of idle statements, at most
 * DB_CACHE_SLOTS), the statement state machine, argument checks,
 * transactions and small conveniences. Engine specifics live in
 * db_sqlite.c and db_pg.c.
 */
#include <assert.h>
#include "db/db_internal.h"
#include "core/arena.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void db_set_err(db_conn *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    /* libpq messages end in a newline; logs want one line */
    size_t n = strlen(c->err);
    while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == ' ')) c->err[--n] = '\0';
}

db_engine db_url_engine(const char *url)
{
    if (!url) return 0;
    if (strncmp(url, "sqlite:", 7) == 0 && url[7]) return DB_SQLITE;
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) return DB_POSTGRES;
    return 0;
}

const char *db_engine_name(db_engine e)
{
    switch (e) {
    case DB_SQLITE: return "sqlite";
    case DB_POSTGRES: return "postgres";
    }
    return "unknown";
}

db_conn *db_open(const char *url, char *err, size_t errlen)
{
    db_conn *c = NULL;
    db_engine e = db_url_engine(url);
    if (!e) {
        snprintf(err, errlen, "unknown database URL (want sqlite:PATH, sqlite::memory: or postgres://…)");
        goto fail;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    c->ops = e == DB_SQLITE ? &db_sqlite_ops : &db_pg_ops;
    if (c->ops->open(c, e == DB_SQLITE ? url + 7 : url) != DB_OK) {
        snprintf(err, errlen, "%s", c->err);
        goto fail;
    }
    return c;
fail:
    db_close(c);
    return NULL;
}

/* ---- statement cache ---- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static size_t bucket_of(uint64_t h)
{
    return (size_t)(h & (DB_CACHE_BUCKETS - 1));
}

static void lru_unlink(db_conn *c, db_stmt *s)
{
    if (s->lru_prev) s->lru_prev->lru_next = s->lru_next;
    else c->lru_head = s->lru_next;
    if (s->lru_next) s->lru_next->lru_prev = s->lru_prev;
    else c->lru_tail = s->lru_prev;
    s->lru_prev = s->lru_next = NULL;
}

static void lru_push_front(db_conn *c, db_stmt *s)
{
    s->lru_prev = NULL;
    s->lru_next = c->lru_head;
    if (c->lru_head) c->lru_head->lru_prev = s;
    c->lru_head = s;
    if (!c->lru_tail) c->lru_tail = s;
}

static void cache_remove(db_conn *c, db_stmt *s)
{
    db_stmt **pp = &c->buckets[bucket_of(s->hash)];
    while (*pp && *pp != s) pp = &(*pp)->hnext;
    if (*pp) *pp = s->hnext;
    s->hnext = NULL;
    lru_unlink(c, s);
    c->ncache--;
}

static void stmt_free(db_stmt *s, bool closing)
{
    if (!s) return;
    s->c->ops->finalize(s, closing);
    free(s->sql);
    free(s);
}

void db_close(db_conn *c)
{
    if (!c) return;
    if (c->gate_held) db_gate_leave(c->gate);
    db_stmt *s = c->lru_head;
    while (s) {
        db_stmt *next = s->lru_next;
        stmt_free(s, true);
        s = next;
    }
    c->lru_head = c->lru_tail = NULL;
    if (c->ops) c->ops->close(c);
    free(c);
}

db_engine db_conn_engine(const db_conn *c) { return c->ops->engine; }
const char *db_errmsg(db_conn *c) { return c ? c->err : "no connection"; }

int db_exec(db_conn *c, const char *sql)
{
    if (!c || !sql) return DB_ERR;
    return c->ops->exec(c, sql);
}

/* Highest $N in the SQL text, skipping quoted strings, identifiers and comments. */
static int count_params(const char *sql)
{
    long max = 0;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p++;
            while (*p && *p != q) p++;
            if (*p) p++;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') p++;
        } else if (p[0] == '/' && p[1] == '*') {
            p += 2;
            while (*p && !(p[0] == '*' && p[1] == '/')) p++;
            if (*p) p += 2;
        } else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
            long n = 0;
            p++;
            while (*p >= '0' && *p <= '9') {
                if (n <= DB_MAX_PARAMS) n = n * 10 + (*p - '0');
                p++;
            }
            if (n > max) max = n;
        } else {
            p++;
        }
    }
    return max > DB_MAX_PARAMS ? DB_MAX_PARAMS + 1 : (int)max;
}

/* Evicts the least recently used statement not in use; false if all are in use. */
static bool cache_evict_one(db_conn *c)
{
    for (db_stmt *s = c->lru_tail; s; s = s->lru_prev) {
        if (s->in_use) continue;
        cache_remove(c, s);
        stmt_free(s, false);
        return true;
    }
    return false;
}

db_stmt *db_prepare(db_conn *c, const char *sql)
{
    db_stmt *s = NULL;
    if (!c || !sql) return NULL;
    uint64_t h = fnv1a(sql);
    size_t b = bucket_of(h);
    for (db_stmt *it = c->buckets[b]; it; it = it->hnext) {
        /* a statement still in use (nested use of the same SQL) is not
         * handed out twice: a second copy is prepared below */
        if (it->hash == h && !it->in_use && strcmp(it->sql, sql) == 0) {
            lru_unlink(c, it);
            lru_push_front(c, it);
            it->in_use = true;
            it->state = DBS_IDLE;
            return it;
        }
    }
    s = calloc(1, sizeof *s);
    if (!s) goto oom;
    s->c = c;
    s->hash = h;
    s->sql = strdup(sql);
    if (!s->sql) goto oom;
    s->nparams = count_params(sql);
    if (s->nparams > DB_MAX_PARAMS) {
        db_set_err(c, "too many parameters (more than %d)", DB_MAX_PARAMS);
        goto fail;
    }
    /* prepare before evicting: on PG an aborted transaction refuses both */
    if (c->ops->prepare(s) != DB_OK) goto fail;
    if (c->ncache >= DB_CACHE_SLOTS && !cache_evict_one(c)) {
        db_set_err(c, "statement cache full: %d statements in use (missing db_stmt_done?)", c->ncache);
        goto fail;
    }
    s->hnext = c->buckets[b];
    c->buckets[b] = s;
    lru_push_front(c, s);
    c->ncache++;
    s->in_use = true;
    return s;
oom:
    db_set_err(c, "out of memory");
fail:
    if (s) stmt_free(s, false);
    return NULL;
}

/* ---- binding ---- */

/* A refused bind is sticky: callers rarely check each bind's result, and a
 * statement run with one value missing would quietly bind NULL in its place
 * (an UPDATE … WHERE id = NULL changes nothing and reports success). The
 * next db_step fails with the bind's reason instead, until db_stmt_done. */
static int bind_refused(db_stmt *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bind_refused(db_stmt *s, const char *fmt, ...)
{
    if (!s->bind_failed) { /* the first reason is the one worth reading */
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->bind_err, sizeof s->bind_err, fmt, ap);
        va_end(ap);
        s->bind_failed = true;
    }
    db_set_err(s->c, "%s", s->bind_err);
    return DB_ERR;
}

static int bind_value(db_stmt *s, int idx, const db_val *v)
{
    if (!s) return DB_ERR;
    assert(s->in_use); /* binding a statement after db_stmt_done gave it back */
    if (idx < 1 || idx > s->nparams)
        return bind_refused(s, "no parameter $%d in statement (it has %d)", idx, s->nparams);
    if (s->state != DBS_IDLE) return bind_refused(s, "bind of $%d after step: call db_stmt_done first", idx);
    int rc = s->c->ops->bind(s, idx, v);
    if (rc != DB_OK) return bind_refused(s, "binding $%d failed (%d)", idx, rc);
    return DB_OK;
}

int db_bind_text(db_stmt *s, int idx, const char *text, int len)
{
    if (!text) return db_bind_null(s, idx);
    db_val v = {.kind = DBV_TEXT, .p = text, .len = len < 0 ? strlen(text) : (size_t)len};
    return bind_value(s, idx, &v);
}

int db_bind_int64(db_stmt *s, int idx, int64_t i)
{
    db_val v = {.kind = DBV_INT, .i = i};
    return bind_value(s, idx, &v);
}

int db_bind_null(db_stmt *s, int idx)
{
    db_val v = {.kind = DBV_NULL};
    return bind_value(s, idx, &v);
}

int db_bind_blob(db_stmt *s, int idx, const void *data, size_t len)
{
    if (!s) return DB_ERR;
    if (!data && len) return bind_refused(s, "blob $%d: NULL data with length %zu", idx, len);
    db_val v = {.kind = DBV_BLOB, .p = data ? data : "", .len = len};
    return bind_value(s, idx, &v);
}

/* ---- stepping and getters ---- */

int db_step(db_stmt *s)
{
    if (!s) return DB_ERR;
    switch (s->state) {
    case DBS_DONE: return DB_DONE;
    case DBS_FAILED:
        db_set_err(s->c, "step after a failed step: call db_stmt_done first");
        return DB_ERR;
    case DBS_IDLE:
    case DBS_ROWS: break;
    }
    if (s->bind_failed) {
        db_set_err(s->c, "%s", s->bind_err);
        s->state = DBS_FAILED;
        return DB_ERR;
    }
    int rc = s->c->ops->step(s);
    if (rc == DB_ROW) s->state = DBS_ROWS;
    else if (rc == DB_DONE) s->state = DBS_DONE;
    else s->state = DBS_FAILED;
    return rc;
}

int db_column_count(db_stmt *s)
{
    return s ? s->c->ops->column_count(s) : 0;
}

static bool on_row(db_stmt *s, int col)
{
    return s && s->state == DBS_ROWS && col >= 0 && col < s->c->ops->column_count(s);
}

bool db_col_is_null(db_stmt *s, int col)
{
    return !on_row(s, col) || s->c->ops->col_is_null(s, col);
}

const char *db_col_text(db_stmt *s, int col)
{
    int len;
    return on_row(s, col) ? s->c->ops->col_text(s, col, &len) : NULL;
}

const char *db_col_dup(struct zq_arena *a, db_stmt *s, int col)
{
    return db_col_is_null(s, col) ? NULL : zq_arena_strdup(a, db_col_text(s, col));
}

int db_col_text_len(db_stmt *s, int col)
{
    int len = 0;
    if (on_row(s, col) && !s->c->ops->col_text(s, col, &len)) len = 0;
    return len;
}

int64_t db_col_int64(db_stmt *s, int col)
{
    return on_row(s, col) ? s->c->ops->col_int64(s, col) : 0;
}

const void *db_col_blob(db_stmt *s, int col, size_t *len)
{
    *len = 0;
    return on_row(s, col) ? s->c->ops->col_blob(s, col, len) : NULL;
}

int64_t db_changes(db_stmt *s)
{
    return s ? s->changes : 0;
}

void db_stmt_done(db_stmt *s)
{
    if (!s) return;
    s->c->ops->reset(s);
    s->state = DBS_IDLE;
    s->in_use = false;
    s->bind_failed = false;
    s->bind_err[0] = '\0';
}

void db_conn_reset_all(db_conn *c)
{
    for (db_stmt *s = c->lru_head; s; s = s->lru_next)
        if (s->in_use) db_stmt_done(s);
}

bool db_conn_broken(db_conn *c)
{
    return c->ops->broken(c);
}

/* ---- transactions ---- */

/* The gate is left once the transaction is over, however it ended
 * (COMMIT, ROLLBACK, or SQLite rolling back by itself after an error). */
static void gate_settle(db_conn *c)
{
    if (c->gate_held && !db_in_tx(c)) {
        c->gate_held = false;
        db_gate_leave(c->gate);
    }
}

int db_begin(db_conn *c, bool immediate)
{
    if (c->ops->engine == DB_SQLITE && immediate) {
        gate_settle(c);
        if (c->gate && !c->gate_held) {
            if (db_gate_enter(c->gate, DB_GATE_WAIT_MS) != 0) {
                db_set_err(c, "sqlite: another writer of this process held the database for %d ms", DB_GATE_WAIT_MS);
                return DB_EBUSY;
            }
            c->gate_held = true;
        }
        int rc = db_exec(c, "BEGIN IMMEDIATE");
        gate_settle(c);
        return rc;
    }
    return db_exec(c, "BEGIN");
}

int db_commit(db_conn *c)
{
    /* the hook's writes join the transaction; if it fails, nothing of the
     * transaction stands */
    if (c->commit_hook && db_in_tx(c) && c->commit_hook(c->commit_ctx) != 0) {
        db_rollback(c);
        return DB_ERR;
    }
    int rc = db_exec(c, "COMMIT");
    gate_settle(c);
    return rc;
}

void db_set_commit_hook(db_conn *c, int (*hook)(void *ctx), void *ctx)
{
    c->commit_hook = hook;
    c->commit_ctx = ctx;
}

int db_rollback(db_conn *c)
{
    int rc = db_in_tx(c) ? db_exec(c, "ROLLBACK") : DB_OK;
    gate_settle(c);
    return rc;
}

bool db_in_tx(db_conn *c)
{
    return c && c->ops->in_tx(c);
}

/* ---- conveniences ---- */

int db_query_int64(db_conn *c, const char *sql, int64_t *out, int nparams, const char *const *params)
{
    int rc;
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    for (int i = 0; i < nparams; i++) {
        rc = db_bind_text(s, i + 1, params[i], -1);
        if (rc != DB_OK) goto done;
    }
    rc = db_step(s);
    if (rc == DB_ROW) {
        *out = db_col_int64(s, 0);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        db_set_err(c, "query returned no row");
        rc = DB_ERR;
    }
done:
    db_stmt_done(s);
    return rc;
}

int db_set_relaxed(db_conn *c, bool on)
{
    if (!c) return DB_ERR;
    /* marked before asking: a failed "on" may still have taken effect */
    if (on) c->relaxed = true;
    int rc = c->ops->engine == DB_POSTGRES
                 ? db_exec(c, on ? "SET synchronous_commit = off" : "SET synchronous_commit = on")
                 : db_exec(c, on ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
    if (!on && rc == DB_OK) c->relaxed = false;
    return rc;
}

bool db_conn_relaxed(const db_conn *c)
{
    return c->relaxed;
}

db_stmt *db_for_update(db_conn *c, const char *sql, const char *of)
{
    if (!c || !sql) return NULL;
    if (c->ops->engine != DB_POSTGRES) return db_prepare(c, sql);
    size_t n = strlen(sql) + (of ? strlen(of) : 0) + 16;
    char *text = malloc(n);
    if (!text) {
        db_set_err(c, "out of memory");
        return NULL;
    }
    snprintf(text, n, "%s FOR UPDATE%s%s", sql, of ? " OF " : "", of ? of : "");
    /* the cache keys on the text, so the built statement is prepared once */
    db_stmt *s = db_prepare(c, text);
    free(text);
    return s;
}
