/*
 * db_pg.c — the PostgreSQL engine behind db.h (vtable db_pg_ops, libpq).
 * Each cached statement becomes a server-side prepared statement named
 * zqN on its connection (PQprepare on the first db_step, parameter types
 * inferred by the server). Parameters travel as text, blobs as binary;
 * results come back whole, in text format, and the getters parse them
 * strictly. Evicted statements are DEALLOCATEd so the server side stays
 * bounded too.
 */
#include "db/db_internal.h"
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_BYTEA_OID 17

static bool sqlstate_is(const char *state, const char *want)
{
    return state && strcmp(state, want) == 0;
}

static int map_result(db_conn *c, PGresult *res)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return DB_OK;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (!msg || !*msg) msg = PQerrorMessage(c->pg);
    db_set_err(c, "postgres: %s%s%s", state ? state : "", state ? " " : "", msg);
    if (PQstatus(c->pg) != CONNECTION_OK) return DB_EUNAVAIL;
    if (state && strncmp(state, "23", 2) == 0) return DB_ECONSTRAINT;
    if (sqlstate_is(state, "40001") || sqlstate_is(state, "40P01") || sqlstate_is(state, "55P03")) return DB_EBUSY;
    if (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)) return DB_EUNAVAIL;
    return DB_ERR;
}

static void quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICEs ("… does not exist, skipping") are not errors */
}

static int pg_exec(db_conn *c, const char *sql)
{
    PGresult *res = PQexec(c->pg, sql);
    int rc = map_result(c, res);
    PQclear(res);
    return rc;
}

static int pg_open(db_conn *c, const char *url)
{
    c->pg = PQconnectdb(url);
    if (!c->pg) {
        db_set_err(c, "cannot connect to PostgreSQL: out of memory");
        return DB_EUNAVAIL;
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        db_set_err(c, "cannot connect to PostgreSQL: %s", PQerrorMessage(c->pg));
        return DB_EUNAVAIL;
    }
    PQsetNoticeProcessor(c->pg, quiet_notice, NULL);
    if (PQsetClientEncoding(c->pg, "UTF8") != 0) {
        db_set_err(c, "postgres: cannot set client_encoding UTF8: %s", PQerrorMessage(c->pg));
        return DB_ERR;
    }
    return pg_exec(c, "SET TimeZone = 'UTC'; SET bytea_output = 'hex'; SET client_min_messages = warning");
}

static void pg_close(db_conn *c)
{
    if (c->pg) PQfinish(c->pg);
    c->pg = NULL;
}

static int pg_prepare(db_stmt *s)
{
    db_conn *c = s->c;
    if (PQstatus(c->pg) != CONNECTION_OK) {
        db_set_err(c, "postgres: connection lost: %s", PQerrorMessage(c->pg));
        return DB_EUNAVAIL;
    }
    if (PQtransactionStatus(c->pg) == PQTRANS_INERROR) {
        db_set_err(c, "postgres: current transaction is aborted; roll it back first");
        return DB_ERR;
    }
    snprintf(s->u.pg.name, sizeof s->u.pg.name, "zq%u", c->next_name++);
    if (s->nparams > 0) {
        size_t n = (size_t)s->nparams;
        s->u.pg.vals = calloc(n, sizeof *s->u.pg.vals);
        s->u.pg.lens = calloc(n, sizeof *s->u.pg.lens);
        s->u.pg.fmts = calloc(n, sizeof *s->u.pg.fmts);
        if (!s->u.pg.vals || !s->u.pg.lens || !s->u.pg.fmts) {
            db_set_err(c, "out of memory");
            return DB_ERR;
        }
    }
    return DB_OK;
}

static void free_blobs(db_stmt *s)
{
    if (!s->u.pg.blobs) return;
    for (int i = 0; i < s->u.pg.ncols; i++) free(s->u.pg.blobs[i]);
    free(s->u.pg.blobs);
    s->u.pg.blobs = NULL;
}

static void pg_reset(db_stmt *s)
{
    free_blobs(s);
    PQclear(s->u.pg.res);
    s->u.pg.res = NULL;
    s->u.pg.row = s->u.pg.nrows = s->u.pg.ncols = 0;
    for (int i = 0; s->u.pg.vals && i < s->nparams; i++) {
        free(s->u.pg.vals[i]);
        s->u.pg.vals[i] = NULL;
        s->u.pg.lens[i] = 0;
        s->u.pg.fmts[i] = 0;
    }
}

static void pg_finalize(db_stmt *s, bool closing)
{
    db_conn *c = s->c;
    pg_reset(s);
    if (s->u.pg.prepared && !closing && c->pg && PQstatus(c->pg) == CONNECTION_OK &&
        PQtransactionStatus(c->pg) != PQTRANS_INERROR) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->u.pg.name);
        /* best effort: a failure only leaves the statement until the connection ends */
        PQclear(PQexec(c->pg, sql));
    }
    free(s->u.pg.vals);
    free(s->u.pg.lens);
    free(s->u.pg.fmts);
    s->u.pg.vals = NULL;
    s->u.pg.lens = s->u.pg.fmts = NULL;
}

static int pg_bind(db_stmt *s, int idx, const db_val *v)
{
    int i = idx - 1;
    char num[24];
    const void *src = v->p;
    size_t len = v->len;
    free(s->u.pg.vals[i]);
    s->u.pg.vals[i] = NULL;
    s->u.pg.lens[i] = 0;
    s->u.pg.fmts[i] = v->kind == DBV_BLOB ? 1 : 0;
    if (v->kind == DBV_NULL) return DB_OK;
    if (v->kind == DBV_INT) {
        int n = snprintf(num, sizeof num, "%" PRId64, v->i);
        src = num;
        len = (size_t)n;
    }
    if (len >= INT_MAX) {
        db_set_err(s->c, "parameter $%d too large", idx);
        return DB_ERR;
    }
    if (v->kind == DBV_TEXT && memchr(src, '\0', len)) {
        db_set_err(s->c, "parameter $%d: text contains a NUL byte", idx);
        return DB_ERR;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        db_set_err(s->c, "out of memory");
        return DB_ERR;
    }
    if (len) memcpy(copy, src, len);
    copy[len] = '\0';
    s->u.pg.vals[i] = copy;
    s->u.pg.lens[i] = (int)len;
    return DB_OK;
}

static int execute(db_stmt *s)
{
    db_conn *c = s->c;
    if (!s->u.pg.prepared) {
        PGresult *p = PQprepare(c->pg, s->u.pg.name, s->sql, s->nparams, NULL);
        int rc = map_result(c, p);
        PQclear(p);
        if (rc != DB_OK) return rc;
        s->u.pg.prepared = true;
    }
    PGresult *res = PQexecPrepared(c->pg, s->u.pg.name, s->nparams, (const char *const *)s->u.pg.vals,
                                   s->u.pg.lens, s->u.pg.fmts, 0);
    int rc = map_result(c, res);
    if (rc != DB_OK) {
        PQclear(res);
        return rc;
    }
    s->u.pg.res = res;
    s->u.pg.nrows = PQntuples(res);
    s->u.pg.ncols = PQnfields(res);
    s->u.pg.row = -1;
    const char *status = PQcmdStatus(res);
    const char *ct = PQcmdTuples(res);
    s->changes = 0;
    if (ct && *ct && status && strncmp(status, "SELECT", 6) != 0) s->changes = strtoll(ct, NULL, 10);
    return DB_OK;
}

static int pg_step(db_stmt *s)
{
    if (!s->u.pg.res) {
        int rc = execute(s);
        if (rc != DB_OK) return rc;
    }
    free_blobs(s);
    if (s->u.pg.row + 1 < s->u.pg.nrows) {
        s->u.pg.row++;
        return DB_ROW;
    }
    s->u.pg.row = s->u.pg.nrows;
    return DB_DONE;
}

static int pg_column_count(db_stmt *s)
{
    return s->u.pg.res ? s->u.pg.ncols : 0;
}

static bool pg_col_is_null(db_stmt *s, int col)
{
    return PQgetisnull(s->u.pg.res, s->u.pg.row, col) != 0;
}

static const char *pg_col_text(db_stmt *s, int col, int *len)
{
    *len = 0;
    if (pg_col_is_null(s, col)) return NULL;
    *len = PQgetlength(s->u.pg.res, s->u.pg.row, col);
    return PQgetvalue(s->u.pg.res, s->u.pg.row, col);
}

/* Strict: [-]digits, optionally ".digits" (numeric results are truncated,
 * as SQLite does), or a boolean t/f. Anything else reads as 0 and leaves a
 * note in db_errmsg. */
static int64_t pg_col_int64(db_stmt *s, int col)
{
    int len;
    const char *t = pg_col_text(s, col, &len);
    if (!t) return 0;
    if (strcmp(t, "t") == 0) return 1;
    if (strcmp(t, "f") == 0) return 0;
    const char *p = t;
    if (*p == '-') p++;
    if (*p < '0' || *p > '9') goto bad;
    errno = 0;
    char *end;
    long long v = strtoll(t, &end, 10);
    if (errno == ERANGE) goto bad;
    if (*end == '.') {
        end++;
        while (*end >= '0' && *end <= '9') end++;
    }
    if (*end) goto bad;
    return (int64_t)v;
bad:
    db_set_err(s->c, "column %d is not an integer: %.40s", col, t);
    return 0;
}

static int hexv(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static const void *pg_col_blob(db_stmt *s, int col, size_t *len)
{
    int tlen;
    const char *t = pg_col_text(s, col, &tlen);
    *len = 0;
    if (!t) return NULL;
    if (PQftype(s->u.pg.res, col) != PG_BYTEA_OID) {
        *len = (size_t)tlen; /* a text column read as bytes, as SQLite does */
        return t;
    }
    if (tlen < 2 || t[0] != '\\' || t[1] != 'x' || (tlen % 2) != 0) {
        db_set_err(s->c, "column %d: bytea not in hex format", col);
        return NULL;
    }
    if (!s->u.pg.blobs) {
        s->u.pg.blobs = calloc((size_t)s->u.pg.ncols, sizeof *s->u.pg.blobs);
        if (!s->u.pg.blobs) goto oom;
    }
    size_t n = (size_t)(tlen - 2) / 2;
    if (!s->u.pg.blobs[col]) {
        unsigned char *b = malloc(n + 1);
        if (!b) goto oom;
        for (size_t i = 0; i < n; i++) {
            int h = hexv(t[2 + 2 * i]), l = hexv(t[3 + 2 * i]);
            if (h < 0 || l < 0) {
                free(b);
                db_set_err(s->c, "column %d: bad bytea hex", col);
                return NULL;
            }
            b[i] = (unsigned char)(h * 16 + l);
        }
        s->u.pg.blobs[col] = b;
    }
    *len = n;
    return s->u.pg.blobs[col];
oom:
    db_set_err(s->c, "out of memory");
    return NULL;
}

static bool pg_in_tx(db_conn *c)
{
    if (!c->pg) return false;
    PGTransactionStatusType t = PQtransactionStatus(c->pg);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* Lost connections are noticed without a round trip: when the server ends
 * a session (restart, pg_terminate_backend) it sends an error and closes
 * the socket; PQconsumeInput (non-blocking) reads that and marks it BAD. */
static bool pg_broken(db_conn *c)
{
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) return true;
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE) return false;
    /* the first read may return the server's goodbye message, the next one
     * sees the end of the stream; PQisBusy parses what arrived in between */
    for (int i = 0; i < 2; i++) {
        if (!PQconsumeInput(c->pg)) return true;
        (void)PQisBusy(c->pg);
    }
    return PQstatus(c->pg) != CONNECTION_OK;
}

const db_ops db_pg_ops = {
    .engine = DB_POSTGRES,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind = pg_bind,
    .step = pg_step,
    .reset = pg_reset,
    .column_count = pg_column_count,
    .col_is_null = pg_col_is_null,
    .col_text = pg_col_text,
    .col_int64 = pg_col_int64,
    .col_blob = pg_col_blob,
    .in_tx = pg_in_tx,
    .broken = pg_broken,
};
