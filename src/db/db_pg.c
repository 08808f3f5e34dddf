/*
 * db_pg.c — the PostgreSQL engine behind db.h (libpq). Statements are
 * prepared on the server once per connection under generated names and
 * executed with text parameters (bytea in binary); results come back as
 * text and db.c's getters parse them strictly.
 */
#include "db/db_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int map_result(db_conn *c, PGresult *res)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return DB_OK;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    db_set_err(c, "postgres: %s", res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
    if (PQstatus(c->pg) != CONNECTION_OK) return DB_EUNAVAIL;
    if (state && strncmp(state, "23", 2) == 0) return DB_ECONSTRAINT;
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0))
        return DB_EBUSY;
    if (state && strncmp(state, "08", 2) == 0) return DB_EUNAVAIL;
    return DB_ERR;
}

static void quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICEs (e.g. "schema does not exist, skipping") are not errors */
}

int dbp_open(db_conn *c, const char *url)
{
    c->pg = PQconnectdb(url);
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        db_set_err(c, "cannot connect to PostgreSQL: %s", c->pg ? PQerrorMessage(c->pg) : "out of memory");
        return DB_EUNAVAIL;
    }
    PQsetNoticeProcessor(c->pg, quiet_notice, NULL);
    return dbp_exec(c, "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET client_min_messages = warning");
}

void dbp_close(db_conn *c)
{
    if (c->pg) PQfinish(c->pg);
    c->pg = NULL;
}

int dbp_exec(db_conn *c, const char *sql)
{
    PGresult *res = PQexec(c->pg, sql);
    int rc = map_result(c, res);
    PQclear(res);
    return rc;
}

static int execute(db_stmt *s)
{
    db_conn *c = s->c;
    if (!s->prepared) {
        PGresult *p = PQprepare(c->pg, s->name, s->sql, s->nparams, NULL);
        int rc = map_result(c, p);
        PQclear(p);
        if (rc != DB_OK) return rc;
        s->prepared = true;
    }
    const char *vals[DB_MAX_PARAMS];
    for (int i = 0; i < s->nparams; i++) vals[i] = s->vals[i];
    s->res = PQexecPrepared(c->pg, s->name, s->nparams, vals, s->lens, s->fmts, 0);
    int rc = map_result(c, s->res);
    if (rc != DB_OK) {
        PQclear(s->res);
        s->res = NULL;
        return rc;
    }
    s->executed = true;
    s->nrows = PQntuples(s->res);
    s->row = -1;
    const char *ct = PQcmdTuples(s->res);
    s->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
    return DB_OK;
}

int dbp_step(db_stmt *s)
{
    if (!s->executed) {
        int rc = execute(s);
        if (rc != DB_OK) return rc;
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return DB_ROW;
    }
    s->row = s->nrows;
    return DB_DONE;
}

void dbp_reset(db_stmt *s)
{
    if (s->res) PQclear(s->res);
    s->res = NULL;
    s->executed = false;
    s->row = s->nrows = 0;
}

void dbp_finalize(db_stmt *s)
{
    dbp_reset(s);
    /* server-side statements die with the connection */
}

bool dbp_in_tx(db_conn *c)
{
    PGTransactionStatusType t = PQtransactionStatus(c->pg);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

bool dbp_broken(db_conn *c)
{
    return !c->pg || PQstatus(c->pg) != CONNECTION_OK;
}
