/*
 * db.c — the engine-neutral half of the database interface (db.h):
 * URL parsing, the per-connection statement cache, parameter binding and
 * typed getters, transactions. Engine specifics live in db_sqlite.c and
 * db_pg.c.
 */
#include "db/db_internal.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <errno.h>

void db_set_err(db_conn *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

db_engine db_url_engine(const char *url)
{
    if (!url) return 0;
    if (strncmp(url, "sqlite:", 7) == 0 && url[7]) return DB_SQLITE;
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0 ||
        strncmp(url, "postgresql:///", 14) == 0)
        return DB_POSTGRES;
    return 0;
}

const char *db_engine_name(db_engine e)
{
    return e == DB_POSTGRES ? "postgres" : "sqlite";
}

db_conn *db_open(const char *url, char *err, size_t errlen)
{
    db_engine e = db_url_engine(url);
    if (!e) {
        snprintf(err, errlen, "unknown database URL (want sqlite:PATH or postgres://…)");
        return NULL;
    }
    db_conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->engine = e;
    snprintf(c->url, sizeof c->url, "%s", url);
    int rc = e == DB_SQLITE ? dbl_open(c, url + 7) : dbp_open(c, url);
    if (rc != DB_OK) {
        snprintf(err, errlen, "%s", c->err);
        db_close(c);
        return NULL;
    }
    return c;
}

static void stmt_free(db_stmt *s)
{
    if (!s) return;
    if (s->c->engine == DB_SQLITE) dbl_finalize(s);
    else dbp_finalize(s);
    for (int i = 0; i < DB_MAX_PARAMS; i++) free(s->vals[i]);
    free(s->blob);
    free(s->sql);
    free(s);
}

void db_close(db_conn *c)
{
    if (!c) return;
    for (int i = 0; i < c->ncache; i++) stmt_free(c->cache[i]);
    if (c->engine == DB_SQLITE) dbl_close(c);
    else dbp_close(c);
    free(c);
}

db_engine db_conn_engine(const db_conn *c) { return c->engine; }
const char *db_errmsg(db_conn *c) { return c ? c->err : "no connection"; }

int db_exec(db_conn *c, const char *sql)
{
    return c->engine == DB_SQLITE ? dbl_exec(c, sql) : dbp_exec(c, sql);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Highest $N in the SQL text, skipping quoted strings. */
static int count_params(const char *sql)
{
    int max = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote) quote = 0;
            continue;
        }
        if (*p == '\'' || *p == '"') {
            quote = *p;
            continue;
        }
        if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
            int n = 0;
            const char *q = p + 1;
            while (*q >= '0' && *q <= '9') n = n * 10 + (*q++ - '0');
            if (n > max) max = n;
        }
    }
    return max;
}

db_stmt *db_prepare(db_conn *c, const char *sql)
{
    uint64_t h = fnv1a(sql);
    for (int i = 0; i < c->ncache; i++) {
        db_stmt *s = c->cache[i];
        if (s->hash == h && strcmp(s->sql, sql) == 0) return s;
    }
    db_stmt *s = calloc(1, sizeof *s);
    if (!s) goto oom;
    s->c = c;
    s->hash = h;
    s->sql = strdup(sql);
    if (!s->sql) goto oom;
    s->nparams = count_params(sql);
    if (s->nparams > DB_MAX_PARAMS) {
        db_set_err(c, "too many parameters (%d)", s->nparams);
        goto fail;
    }
    if (c->engine == DB_SQLITE) {
        if (dbl_prepare(c, s) != DB_OK) goto fail;
    } else {
        snprintf(s->name, sizeof s->name, "zq%u", c->next_name++);
    }
    if (c->ncache == DB_CACHE_SLOTS) {
        /* full: evict the oldest; handlers use a bounded set of statements */
        stmt_free(c->cache[0]);
        memmove(c->cache, c->cache + 1, sizeof c->cache[0] * (DB_CACHE_SLOTS - 1));
        c->ncache--;
    }
    c->cache[c->ncache++] = s;
    return s;
oom:
    db_set_err(c, "out of memory");
fail:
    if (s) {
        free(s->sql);
        free(s);
    }
    return NULL;
}

static int bind_pg(db_stmt *s, int idx, const void *data, size_t len, int fmt, bool is_null)
{
    if (idx < 1 || idx > DB_MAX_PARAMS) return DB_ERR;
    free(s->vals[idx - 1]);
    s->vals[idx - 1] = NULL;
    s->lens[idx - 1] = 0;
    s->fmts[idx - 1] = fmt;
    if (is_null) return DB_OK;
    char *v = malloc(len + 1);
    if (!v) return DB_ERR;
    if (len) memcpy(v, data, len);
    v[len] = '\0';
    s->vals[idx - 1] = v;
    s->lens[idx - 1] = (int)len;
    return DB_OK;
}

int db_bind_text(db_stmt *s, int idx, const char *text, int len)
{
    if (!text) return db_bind_null(s, idx);
    size_t n = len < 0 ? strlen(text) : (size_t)len;
    if (s->c->engine == DB_SQLITE) return dbl_bind(s, idx, text, (int)n, NULL, 0, false, false, 0);
    return bind_pg(s, idx, text, n, 0, false);
}

int db_bind_int64(db_stmt *s, int idx, int64_t v)
{
    if (s->c->engine == DB_SQLITE) return dbl_bind(s, idx, NULL, 0, NULL, 0, false, true, v);
    char b[24];
    int n = snprintf(b, sizeof b, "%" PRId64, v);
    return bind_pg(s, idx, b, (size_t)n, 0, false);
}

int db_bind_null(db_stmt *s, int idx)
{
    if (s->c->engine == DB_SQLITE) return dbl_bind(s, idx, NULL, 0, NULL, 0, true, false, 0);
    return bind_pg(s, idx, NULL, 0, 0, true);
}

int db_bind_blob(db_stmt *s, int idx, const void *data, size_t len)
{
    if (s->c->engine == DB_SQLITE) return dbl_bind(s, idx, NULL, 0, data ? data : "", len, false, false, 0);
    return bind_pg(s, idx, data, len, 1, false);
}

int db_step(db_stmt *s)
{
    return s->c->engine == DB_SQLITE ? dbl_step(s) : dbp_step(s);
}

int db_column_count(db_stmt *s)
{
    if (s->c->engine == DB_SQLITE) return sqlite3_column_count(s->ls);
    return s->res ? PQnfields(s->res) : 0;
}

bool db_col_is_null(db_stmt *s, int col)
{
    if (s->c->engine == DB_SQLITE) return sqlite3_column_type(s->ls, col) == SQLITE_NULL;
    return !s->res || s->row >= s->nrows || PQgetisnull(s->res, s->row, col);
}

const char *db_col_text(db_stmt *s, int col)
{
    if (s->c->engine == DB_SQLITE) return (const char *)sqlite3_column_text(s->ls, col);
    if (db_col_is_null(s, col)) return NULL;
    return PQgetvalue(s->res, s->row, col);
}

int db_col_text_len(db_stmt *s, int col)
{
    if (s->c->engine == DB_SQLITE) {
        sqlite3_column_text(s->ls, col);
        return sqlite3_column_bytes(s->ls, col);
    }
    if (db_col_is_null(s, col)) return 0;
    return PQgetlength(s->res, s->row, col);
}

int64_t db_col_int64(db_stmt *s, int col)
{
    if (s->c->engine == DB_SQLITE) return sqlite3_column_int64(s->ls, col);
    const char *t = db_col_text(s, col);
    if (!t) return 0;
    if (t[0] == 't' && t[1] == '\0') return 1; /* boolean expressions */
    if (t[0] == 'f' && t[1] == '\0') return 0;
    errno = 0;
    char *end;
    long long v = strtoll(t, &end, 10);
    if (errno || (*end && *end != '.')) return 0;
    return (int64_t)v;
}

static int hexv(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

const void *db_col_blob(db_stmt *s, int col, size_t *len)
{
    *len = 0;
    if (s->c->engine == DB_SQLITE) {
        const void *p = sqlite3_column_blob(s->ls, col);
        *len = (size_t)sqlite3_column_bytes(s->ls, col);
        return p ? p : "";
    }
    const char *t = db_col_text(s, col);
    if (!t) return NULL;
    size_t n = strlen(t);
    if (n < 2 || t[0] != '\\' || t[1] != 'x') return NULL;
    free(s->blob);
    s->blob = malloc((n - 2) / 2 + 1);
    if (!s->blob) return NULL;
    size_t o = 0;
    for (size_t i = 2; i + 1 < n; i += 2) {
        int h = hexv(t[i]), l = hexv(t[i + 1]);
        if (h < 0 || l < 0) return NULL;
        s->blob[o++] = (unsigned char)(h * 16 + l);
    }
    *len = o;
    return s->blob;
}

int64_t db_changes(db_stmt *s)
{
    return s->changes;
}

void db_stmt_done(db_stmt *s)
{
    if (!s) return;
    if (s->c->engine == DB_SQLITE) {
        dbl_reset(s);
        return;
    }
    dbp_reset(s);
    for (int i = 0; i < DB_MAX_PARAMS; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->lens[i] = 0;
        s->fmts[i] = 0;
    }
    free(s->blob);
    s->blob = NULL;
}

int db_begin(db_conn *c, bool immediate)
{
    if (c->engine == DB_SQLITE) return db_exec(c, immediate ? "BEGIN IMMEDIATE" : "BEGIN");
    return db_exec(c, "BEGIN");
}

int db_commit(db_conn *c) { return db_exec(c, "COMMIT"); }

int db_rollback(db_conn *c)
{
    if (!db_in_tx(c)) return DB_OK;
    return db_exec(c, "ROLLBACK");
}

bool db_in_tx(db_conn *c)
{
    return c->engine == DB_SQLITE ? dbl_in_tx(c) : dbp_in_tx(c);
}

int db_query_int64(db_conn *c, const char *sql, int64_t *out, int nparams, const char *const *params)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    for (int i = 0; i < nparams; i++) db_bind_text(s, i + 1, params[i], -1);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *out = db_col_int64(s, 0);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        db_set_err(c, "query returned no row");
        rc = DB_ERR;
    }
    db_stmt_done(s);
    return rc;
}

const char *db_ilike(const db_conn *c)
{
    return c->engine == DB_POSTGRES ? "ILIKE" : "LIKE";
}
