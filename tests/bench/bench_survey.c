/*
 * bench_survey.c — questionnaire measurements (issue 14 "Measure"), on a
 * database of its own (argv[1], SQLite or PostgreSQL URL):
 *   1. 10,000 responses (argv[2]) to a 30-question questionnaire stored by 64
 *      concurrent clients through survey_prepare_response (the API's checks,
 *      before the write lock) and survey_write_response (its writes, one
 *      transaction each), responses/s and p99, against a
 *      plain C loop inserting the same rows (one transaction per response)
 *      in the same run;
 *   2. the results handler (sv_results, computed on request) over them:
 *      p50/p99 of 200 calls, unfiltered and by region.
 * Prints key=value lines for scripts/bench.d/50-surveys.sh.
 */
#include "bench_stats.h"
#include "db/db.h"
#include "demo/demo.h"
#include "http/req.h"
#include "survey/survey.h"
#include "survey/survey_internal.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLIENTS 64
#define NQ 30
#define CALLS 100

/* q1–q10 single (5 options), q11–q15 multiple, q16–q20 rating, q21–q23
 * number, q24–q25 matrix (3 rows), q26–q27 amount, q28–q30 text */
static char *definition(void)
{
    static char b[32768];
    size_t n = 0;
    n += (size_t)snprintf(b + n, sizeof b - n, "[");
    const char *opts = "[{\"key\":\"a\",\"label\":\"很好\"},{\"key\":\"b\",\"label\":\"较好\"},{\"key\":\"c\",\"label\":\"一般\"},"
                       "{\"key\":\"d\",\"label\":\"较差\"},{\"key\":\"e\",\"label\":\"很差\"}]";
    for (int i = 1; i <= NQ; i++) {
        const char *t = i <= 10 ? "single" : i <= 15 ? "multiple" : i <= 20 ? "rating" : i <= 23 ? "number"
                        : i <= 25 ? "matrix" : i <= 27 ? "amount" : "text";
        n += (size_t)snprintf(b + n, sizeof b - n, "%s{\"key\":\"q%d\",\"type\":\"%s\",\"title\":\"第%d题\",\"required\":%s",
                              i > 1 ? "," : "", i, t, i, i <= 20 ? "true" : "false");
        if (i <= 15 || (i >= 24 && i <= 25)) n += (size_t)snprintf(b + n, sizeof b - n, ",\"options\":%s", opts);
        if (i >= 24 && i <= 25)
            n += (size_t)snprintf(b + n, sizeof b - n,
                                  ",\"rows\":[{\"key\":\"r1\",\"label\":\"甲\"},{\"key\":\"r2\",\"label\":\"乙\"},{\"key\":\"r3\",\"label\":\"丙\"}]");
        if (i >= 21 && i <= 23) n += (size_t)snprintf(b + n, sizeof b - n, ",\"min\":0,\"max\":1000");
        n += (size_t)snprintf(b + n, sizeof b - n, "}");
    }
    snprintf(b + n, sizeof b - n, "]");
    return b;
}

static void answer(unsigned *seed, char *b, size_t cap)
{
    size_t n = 0;
    n += (size_t)snprintf(b + n, cap - n, "{\"answers\":{");
    for (int i = 1; i <= NQ; i++) {
        char k = (char)('a' + rand_r(seed) % 5), k2 = (char)('a' + (k - 'a' + 1) % 5);
        n += (size_t)snprintf(b + n, cap - n, "%s\"q%d\":", i > 1 ? "," : "", i);
        if (i <= 10) n += (size_t)snprintf(b + n, cap - n, "\"%c\"", k);
        else if (i <= 15) n += (size_t)snprintf(b + n, cap - n, "[\"%c\",\"%c\"]", k, k2);
        else if (i <= 20) n += (size_t)snprintf(b + n, cap - n, "%d", 1 + rand_r(seed) % 5);
        else if (i <= 23) n += (size_t)snprintf(b + n, cap - n, "%d", rand_r(seed) % 1000);
        else if (i <= 25) n += (size_t)snprintf(b + n, cap - n, "{\"r1\":\"%c\",\"r2\":\"%c\",\"r3\":\"a\"}", k, k2);
        else if (i <= 27) n += (size_t)snprintf(b + n, cap - n, "\"%d.5\"", rand_r(seed) % 10000);
        else n += (size_t)snprintf(b + n, cap - n, "\"希望简化报关流程%d\"", rand_r(seed) % 100);
    }
    snprintf(b + n, cap - n, "}}");
}

typedef struct {
    db_pool *pool;
    int64_t survey;
    const int64_t *firms;
    atomic_int *next;
    int total;
    double *lat;
    int failed;
} worker;

static void *submit_worker(void *arg)
{
    worker *w = arg;
    char body[8192];
    unsigned seed = 7;
    for (int i; (i = atomic_fetch_add(w->next, 1)) < w->total;) {
        seed = (unsigned)i * 2654435761u;
        answer(&seed, body, sizeof body);
        double t0 = bench_now_ms();
        /* as a request does: a pooled connection for the transaction */
        db_conn *c = db_pool_acquire(w->pool);
        /* checked before the write lock, written inside it, as the API does */
        int rc = DB_ERR;
        survey_prepared *p =
            c ? survey_prepare_response(c, w->survey, w->firms[i], 0, body, true, (int64_t)time(NULL), &rc) : NULL;
        rc = p ? db_begin(c, true) : rc;
        if (p && rc == DB_OK) rc = survey_write_response(c, p);
        if (p && rc == DB_OK) rc = db_commit(c);
        else if (c && db_in_tx(c)) db_rollback(c);
        survey_prepared_free(p);
        if (c) db_pool_release(w->pool, c);
        w->lat[i] = bench_now_ms() - t0;
        if (rc != DB_OK) w->failed++;
    }
    return NULL;
}

static const char SQL_SURVEY[] =
    "INSERT INTO survey(status, per, anonymous, allow_edit, open_at, close_at, published_at, created_by, created_at,"
    " updated_at, title, definition) VALUES ('published', 'enterprise', 0, 0, $1, $2, $1, 1, $1, $1, $3, $4) RETURNING id";
static const char SQL_AUD[] =
    "INSERT INTO survey_audience(survey_id, enterprise_id, region, industry, scale) SELECT CAST($1 AS BIGINT), e.id,"
    " e.region, (SELECT d.parent FROM dict_item d WHERE d.type = 'industry' AND d.code = e.industry), e.scale"
    " FROM enterprise e ORDER BY e.id LIMIT $2";

static int64_t make_survey(db_conn *c, const char *title, int n)
{
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(c, SQL_SURVEY);
    db_bind_int64(s, 1, now - 60);
    db_bind_int64(s, 2, now + 86400);
    db_bind_text(s, 3, title, -1);
    db_bind_text(s, 4, definition(), -1);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    s = db_prepare(c, SQL_AUD);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, n);
    if (db_step(s) != DB_DONE) id = 0;
    db_stmt_done(s);
    return id;
}

/* The plain loop: the same response and answer rows, pre-built, one
 * transaction each, no checks. */
static double baseline(db_conn *c, int64_t survey, const int64_t *firms, int n)
{
    db_exec(c, "DELETE FROM survey_response WHERE survey_id = 0");
    double t0 = bench_now_ms();
    for (int i = 0; i < n; i++) {
        db_begin(c, true);
        db_stmt *s = db_prepare(c, "INSERT INTO survey_response(survey_id, enterprise_id, user_id, status, region, updated_by,"
                                   " created_at, updated_at, submitted_at, answers) VALUES ($1, $2, 0, 'submitted', '350102',"
                                   " 0, 1, 1, 1, '{}') RETURNING id");
        db_bind_int64(s, 1, survey);
        db_bind_int64(s, 2, firms[i]);
        int64_t rid = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
        db_stmt_done(s);
        /* 10 single + 10 multiple + 5 rating + 3 number + 6 matrix + 2 amount + 3 text rows */
        for (int k = 0; k < 39; k++) {
            s = db_prepare(c, "INSERT INTO survey_answer(response_id, survey_id, kind, qkey, sub, value, num, region, industry,"
                              " scale) VALUES ($1, $2, 'c', 'q1', '', 'a', NULL, '350102', 'C', 'small')");
            db_bind_int64(s, 1, rid);
            db_bind_int64(s, 2, survey);
            db_step(s);
            db_stmt_done(s);
        }
        db_stmt_done(s);
        s = db_prepare(c, "UPDATE survey_audience SET responded_at = 1 WHERE survey_id = $1 AND enterprise_id = $2");
        db_bind_int64(s, 1, survey);
        db_bind_int64(s, 2, firms[i]);
        db_step(s);
        db_stmt_done(s);
        db_commit(c);
    }
    return (bench_now_ms() - t0) / 1e3;
}

static double time_results(db_conn *c, int64_t survey, const char *region, const char *by, double *p50)
{
    double lat[CALLS];
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)survey);
    for (int k = 0; k < CALLS; k++) {
        zq_arena *a = zq_arena_new(8 << 20);
        zq_req q = {.arena = a, .db = c, .now = (int64_t)time(NULL), .scope_region = ""};
        zq_kvs_add(a, &q.params, "id", id);
        if (region) zq_kvs_add(a, &q.query, "region", region);
        if (by) zq_kvs_add(a, &q.query, "by", by);
        zq_resp r;
        zq_resp_init(&r);
        double t0 = bench_now_ms();
        zq_err e = sv_results(&q, &r);
        lat[k] = bench_now_ms() - t0;
        if (e != ZQ_OK || r.status != 200) {
            fprintf(stderr, "results failed: %d\n", (int)e);
            exit(1);
        }
        zq_resp_free(&r);
        zq_arena_free(a);
    }
    *p50 = bench_pct(lat, CALLS, 0.5);
    return bench_pct(lat, CALLS, 0.99);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_survey DB_URL RESPONSES\n");
        return 2;
    }
    int n = atoi(argv[2]);
    char err[256];
    db_conn *c = db_open(argv[1], err, sizeof err);
    int applied = 0;
    if (!c || db_migrate(c, &applied, err, sizeof err) != DB_OK) {
        fprintf(stderr, "db: %s\n", err);
        return 1;
    }
    int64_t inserted = 0;
    if (demo_bulk(c, 2 * n, (int64_t)time(NULL), &inserted, err, sizeof err) != 0) {
        fprintf(stderr, "bulk: %s\n", err);
        return 1;
    }
    int64_t sv = make_survey(c, "基准问卷", n), base_sv = make_survey(c, "基准对照", 2 * n);
    int64_t *firms = malloc((size_t)(2 * n) * sizeof *firms);
    db_stmt *s = db_prepare(c, "SELECT enterprise_id FROM survey_audience WHERE survey_id = $1 ORDER BY enterprise_id");
    db_bind_int64(s, 1, base_sv);
    int nf = 0;
    while (db_step(s) == DB_ROW && nf < 2 * n) firms[nf++] = db_col_int64(s, 0);
    db_stmt_done(s);
    if (!sv || nf < 2 * n) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    double *lat = calloc((size_t)n, sizeof *lat);
    atomic_int next = 0;
    /* the server's pool size (zhengqi serve's default) */
    db_pool *pool = db_pool_open(argv[1], 8, err, sizeof err);
    if (!pool) {
        fprintf(stderr, "pool: %s\n", err);
        return 1;
    }
    worker w[CLIENTS];
    pthread_t t[CLIENTS];
    double t0 = bench_now_ms();
    for (int i = 0; i < CLIENTS; i++) {
        w[i] = (worker){pool, sv, firms, &next, n, lat, 0};
        pthread_create(&t[i], NULL, submit_worker, &w[i]);
    }
    int failed = 0;
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(t[i], NULL);
        failed += w[i].failed;
    }
    double secs = (bench_now_ms() - t0) / 1e3;
    db_pool_close(pool);
    double base = baseline(c, base_sv, firms + n, n);
    double p50u, p50r, p50x;
    double p99u = time_results(c, sv, NULL, NULL, &p50u);
    double p99r = time_results(c, sv, "350102", NULL, &p50r);
    double p99x = time_results(c, sv, NULL, "region", &p50x);
    printf("responses=%d\nfailed=%d\nsubmit_s=%.3f\nsubmit_per_s=%.0f\nsubmit_p99_ms=%.2f\n", n, failed, secs, n / secs,
           bench_pct(lat, (size_t)n, 0.99));
    printf("baseline_s=%.3f\nbaseline_per_s=%.0f\nspeed_ratio=%.2f\n", base, n / base, base / secs);
    printf("results_p50_ms=%.2f\nresults_p99_ms=%.2f\nresults_region_p50_ms=%.2f\nresults_region_p99_ms=%.2f\n", p50u, p99u,
           p50r, p99r);
    printf("results_crosstab_region_p50_ms=%.2f\nresults_crosstab_region_p99_ms=%.2f\n", p50x, p99x);
    free(lat);
    free(firms);
    db_close(c);
    return failed ? 1 : 0;
}
