/*
 * store.c — writing a checked response's answer rows (survey_answer), and
 * storing one response outside a request (seed-demo, bench) through the
 * same checks the API applies, so generated data is data the API would
 * have accepted.
 */
#include "survey/survey_internal.h"
#include "db/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_ROWS_CLEAR[] = "DELETE FROM survey_answer WHERE response_id = $1";
static const char SQL_ROW_ADD[] =
    "INSERT INTO survey_answer(response_id, survey_id, kind, qkey, sub, value, num, region, industry, scale, lead, body)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
static const char SQL_OLD[] =
    "SELECT qkey, CASE WHEN kind = 'c' THEN sub ELSE '#' END, CASE WHEN kind = 'c' THEN value ELSE '' END,"
    " CASE WHEN kind = 'c' AND lead = 1 THEN 1 ELSE 0 END FROM survey_answer WHERE response_id = $1 AND (kind = 'c' OR lead = 1)";
static const char SQL_TALLY[] =
    "INSERT INTO survey_tally(survey_id, qkey, sub, value, region, industry, scale, n) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (survey_id, qkey, sub, value, region, industry, scale) DO UPDATE SET n = survey_tally.n + excluded.n";
static const char SQL_DEF[] = "SELECT definition FROM survey WHERE id = $1";
static const char SQL_AUDIENCE[] =
    "SELECT region, industry, scale FROM survey_audience WHERE survey_id = $1 AND enterprise_id = $2";
static const char SQL_INSERT[] =
    "INSERT INTO survey_response(survey_id, enterprise_id, user_id, status, region, industry, scale, updated_by,"
    " created_at, updated_at, submitted_at, answers) VALUES ($1, $2, $3, $4, $5, $6, $7, $3, $8, $8, $9, $10) RETURNING id";
static const char SQL_RESPONDED[] =
    "UPDATE survey_audience SET responded_at = $3 WHERE survey_id = $1 AND enterprise_id = $2 AND responded_at = 0";

static void bind_opt(db_stmt *s, int i, const char *v)
{
    if (v) db_bind_text(s, i, v, -1);
    else db_bind_null(s, i);
}

typedef struct {
    const char *qkey, *sub, *value;
    int delta;
} tally;

static int tally_cmp(const void *pa, const void *pb)
{
    const tally *x = pa, *y = pb;
    int c = strcmp(x->qkey, y->qkey);
    if (!c) c = strcmp(x->sub, y->sub);
    return c ? c : strcmp(x->value, y->value);
}

static void tally_add(tally *t, size_t *n, const char *qkey, const char *sub, const char *value, int delta)
{
    t[(*n)++] = (tally){qkey, sub, value, delta};
}

/* The tally change of replacing response rid's rows by ck's: -1 for each
 * old counted row, +1 for each new one, summed per key and applied in key
 * order (two transactions never wait for each other's rows crosswise). */
static int tally_apply(db_conn *db, zq_arena *a, int64_t survey_id, int64_t rid, const char *region,
                       const char *industry, const char *scale, const sv_checked *ck)
{
    size_t cap = 2 * ck->nrows + 64, n = 0;
    tally *t = zq_arena_alloc(a, cap * sizeof *t);
    if (!t) return DB_ERR;
    db_stmt *s = db_prepare(db, SQL_OLD);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, rid);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n + 2 > cap) {
            tally *nt = zq_arena_alloc(a, 2 * cap * sizeof *nt);
            if (!nt) break;
            memcpy(nt, t, n * sizeof *t);
            t = nt;
            cap *= 2;
        }
        const char *q = zq_arena_strdup(a, db_col_text(s, 0));
        tally_add(t, &n, q, zq_arena_strdup(a, db_col_text(s, 1)), zq_arena_strdup(a, db_col_text(s, 2)), -1);
        /* a choice row that leads its question also counted it answered */
        if (db_col_int64(s, 3)) tally_add(t, &n, q, "#", "", -1);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return DB_ERR;
    if (n + 2 * ck->nrows > cap) {
        tally *nt = zq_arena_alloc(a, (n + 2 * ck->nrows) * sizeof *nt);
        if (!nt) return DB_ERR;
        memcpy(nt, t, n * sizeof *t);
        t = nt;
    }
    for (size_t i = 0; i < ck->nrows; i++) {
        const sv_row *x = &ck->rows[i];
        if (x->kind == 'c') tally_add(t, &n, x->qkey, x->sub, x->value, 1);
        if (x->lead) tally_add(t, &n, x->qkey, "#", "", 1);
    }
    qsort(t, n, sizeof *t, tally_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int d = 0;
        while (j < n && tally_cmp(&t[i], &t[j]) == 0) d += t[j++].delta;
        /* the respondent's group's row, then the all-groups row ('*' in
         * each: the unfiltered results read one row per option), always in
         * this order so concurrent submits lock the shared rows alike */
        for (int all = 0; d && all < 2; all++) {
            if (!(s = db_prepare(db, SQL_TALLY))) return DB_ERR;
            db_bind_int64(s, 1, survey_id);
            db_bind_text(s, 2, t[i].qkey, -1);
            db_bind_text(s, 3, t[i].sub, -1);
            db_bind_text(s, 4, t[i].value, -1);
            db_bind_text(s, 5, all ? "*" : region ? region : "", -1);
            db_bind_text(s, 6, all ? "*" : industry ? industry : "", -1);
            db_bind_text(s, 7, all ? "*" : scale ? scale : "", -1);
            db_bind_int64(s, 8, d);
            rc = db_step(s);
            db_stmt_done(s);
            if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
        }
        i = j;
    }
    return DB_OK;
}

int sv_write_rows(db_conn *db, zq_arena *a, int64_t survey_id, int64_t rid, const char *region, const char *industry,
                  const char *scale, const sv_checked *ck)
{
    if (tally_apply(db, a, survey_id, rid, region, industry, scale, ck) != DB_OK) return DB_ERR;
    db_stmt *s = db_prepare(db, SQL_ROWS_CLEAR);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, rid);
    int rc = db_step(s);
    db_stmt_done(s);
    for (size_t i = 0; rc == DB_DONE && i < ck->nrows; i++) {
        const sv_row *x = &ck->rows[i];
        if (!(s = db_prepare(db, SQL_ROW_ADD))) return DB_ERR;
        char kind[2] = {x->kind, 0};
        db_bind_int64(s, 1, rid);
        db_bind_int64(s, 2, survey_id);
        db_bind_text(s, 3, kind, 1);
        db_bind_text(s, 4, x->qkey, -1);
        db_bind_text(s, 5, x->sub, -1);
        /* texts live in body, out of the indexes (a long one would not fit a PostgreSQL index row) */
        db_bind_text(s, 6, x->kind == 't' ? "" : x->value, -1);
        /* numbers and ratings carry their value for averages */
        if (x->kind == 'n' || x->num != 0) db_bind_text(s, 7, zq_arena_printf(a, "%.10g", x->num), -1);
        else db_bind_null(s, 7);
        bind_opt(s, 8, region);
        bind_opt(s, 9, industry);
        bind_opt(s, 10, scale);
        db_bind_int64(s, 11, x->lead);
        bind_opt(s, 12, x->kind == 't' ? x->value : NULL);
        rc = db_step(s);
        db_stmt_done(s);
    }
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

struct survey_prepared {
    zq_arena *a;
    int64_t survey_id, enterprise_id, user_id, now;
    bool submit;
    const char *region, *industry, *scale;
    sv_checked ck;
};

void survey_prepared_free(survey_prepared *p)
{
    if (p) zq_arena_free(p->a);
}

survey_prepared *survey_prepare_response(db_conn *db, int64_t survey_id, int64_t enterprise_id, int64_t user_id,
                                         const char *body_json, bool submit, int64_t now, int *rcp)
{
    *rcp = DB_ERR;
    zq_arena *a = zq_arena_new(1 << 20);
    survey_prepared *p = a ? zq_arena_alloc(a, sizeof *p) : NULL;
    json_t *body = json_loads(body_json, 0, NULL);
    if (!p || !body) goto fail;
    *p = (survey_prepared){.a = a, .survey_id = survey_id, .enterprise_id = enterprise_id, .user_id = user_id,
                           .now = now, .submit = submit};
    const char *def_text = NULL;
    db_stmt *s = db_prepare(db, SQL_DEF);
    if (!s) goto fail;
    db_bind_int64(s, 1, survey_id);
    if (db_step(s) == DB_ROW) def_text = db_col_dup(a, s, 0);
    db_stmt_done(s);
    if (!(s = db_prepare(db, SQL_AUDIENCE))) goto fail;
    db_bind_int64(s, 1, survey_id);
    db_bind_int64(s, 2, enterprise_id);
    int found = db_step(s);
    if (found == DB_ROW) p->region = db_col_dup(a, s, 0), p->industry = db_col_dup(a, s, 1), p->scale = db_col_dup(a, s, 2);
    db_stmt_done(s);
    sv_def d;
    if (!def_text || found != DB_ROW || sv_def_parse(a, def_text, &d) != 0) goto fail;
    zq_req q = {.arena = a, .db = db, .now = now};
    zq_resp r;
    zq_resp_init(&r);
    zq_err e = sv_answers_check(&q, &r, &d, json_object_get(body, "answers"), json_object_get(body, "other"), submit,
                                enterprise_id, &p->ck);
    zq_resp_free(&r);
    json_decref(body);
    if (e == ZQ_OK) return p;
    *rcp = 1;
    zq_arena_free(a);
    return NULL;
fail:
    json_decref(body);
    if (a) zq_arena_free(a);
    return NULL;
}

int survey_write_response(db_conn *db, survey_prepared *p)
{
    db_stmt *s = db_prepare(db, SQL_INSERT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, p->survey_id);
    db_bind_int64(s, 2, p->enterprise_id);
    db_bind_int64(s, 3, p->user_id);
    db_bind_text(s, 4, p->submit ? "submitted" : "draft", -1);
    bind_opt(s, 5, p->region);
    bind_opt(s, 6, p->industry);
    bind_opt(s, 7, p->scale);
    db_bind_int64(s, 8, p->now);
    db_bind_int64(s, 9, p->submit ? p->now : 0);
    db_bind_text(s, 10, p->ck.json, -1);
    int rc = db_step(s);
    int64_t rid = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!rid) return rc < 0 ? rc : DB_ERR;
    if (!p->submit) return DB_OK;
    if ((rc = sv_write_rows(db, p->a, p->survey_id, rid, p->region, p->industry, p->scale, &p->ck)) != DB_OK) return rc;
    if (!(s = db_prepare(db, SQL_RESPONDED))) return DB_ERR;
    db_bind_int64(s, 1, p->survey_id);
    db_bind_int64(s, 2, p->enterprise_id);
    db_bind_int64(s, 3, p->now);
    rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int survey_store_response(db_conn *db, int64_t survey_id, int64_t enterprise_id, int64_t user_id,
                          const char *body_json, bool submit, int64_t now)
{
    int rc;
    survey_prepared *p = survey_prepare_response(db, survey_id, enterprise_id, user_id, body_json, submit, now, &rc);
    if (!p) return rc;
    rc = survey_write_response(db, p);
    survey_prepared_free(p);
    return rc;
}
