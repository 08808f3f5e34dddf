/*
 * results.c — GET /api/v1/admin/surveys/:id/results?region=&industry=&by=&q=
 * option counts and respondents per question from survey_tally (kept on
 * submit, so a page sums options × groups rows, not responses), numbers and
 * texts from survey_answer's covering indexes (docs/survey.md): response rate overall and by district / industry,
 * per question the option counts (matrix per row), numbers' mean, median
 * and distribution, rating averages, text answers (searchable with q), and
 * a cross-tab of every choice question by region, industry, scale or
 * another single-choice question. District staff count their district
 * only. Never an identity: anonymous or not, results are aggregates.
 */
#include "survey/survey_internal.h"
#include "core/jsonw.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include "http/scope.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TEXTS_PER_Q 50
#define BUCKETS 10
/* $1 survey, $2 region ('' = all), $3 industry section ('' = all) */
#define FILTER " AND ($2 = '' OR region = $2) AND ($3 = '' OR industry = $3)"
static const char SQL_RATE_REGION[] =
    "SELECT COALESCE(region, ''), COUNT(*), SUM(CASE WHEN responded_at > 0 THEN 1 ELSE 0 END) FROM survey_audience"
    " WHERE survey_id = $1" FILTER " GROUP BY region ORDER BY region";
static const char SQL_RATE_INDUSTRY[] =
    "SELECT COALESCE(industry, ''), COUNT(*), SUM(CASE WHEN responded_at > 0 THEN 1 ELSE 0 END) FROM survey_audience"
    " WHERE survey_id = $1" FILTER " GROUP BY industry ORDER BY industry";
static const char SQL_RESPONSES[] =
    "SELECT COUNT(*) FROM survey_response WHERE survey_id = $1 AND status = 'submitted'" FILTER;
/* counts from the tally maintained on submit (survey/store.c) */
static const char SQL_CHOICES[] =
    "SELECT qkey, sub, value, SUM(n) FROM survey_tally WHERE survey_id = $1 AND sub <> '#'" FILTER
    " GROUP BY qkey, sub, value";
static const char SQL_ANSWERED[] =
    "SELECT qkey, SUM(n) FROM survey_tally WHERE survey_id = $1 AND sub = '#'" FILTER " GROUP BY qkey";
/* unfiltered: the all-groups rows ('*', store.c), one per option, not the
 * sum of every region × industry × scale row */
#define ALL_GROUPS " AND region = '*' AND $2 = '' AND $3 = ''"
static const char SQL_CHOICES_ALL[] =
    "SELECT qkey, sub, value, SUM(n) FROM survey_tally WHERE survey_id = $1 AND sub <> '#'" ALL_GROUPS
    " GROUP BY qkey, sub, value";
static const char SQL_ANSWERED_ALL[] =
    "SELECT qkey, SUM(n) FROM survey_tally WHERE survey_id = $1 AND sub = '#'" ALL_GROUPS " GROUP BY qkey";
static const char SQL_NUMBERS[] =
    "SELECT qkey, num FROM survey_answer WHERE survey_id = $1 AND kind = 'n'" FILTER " ORDER BY qkey, num";
static const char SQL_TEXTS[] =
    "SELECT qkey, sub, body FROM survey_answer WHERE survey_id = $1 AND kind = 't' AND qkey = $5" FILTER
    " AND ($4 = '' OR body LIKE $4 ESCAPE '\\') ORDER BY response_id DESC LIMIT $6";
static const char SQL_TEXTS_TOTAL[] =
    "SELECT COUNT(*) FROM survey_answer WHERE survey_id = $1 AND kind = 't' AND qkey = $5" FILTER
    " AND ($4 = '' OR body LIKE $4 ESCAPE '\\')";
/* without a search: counted in survey_answer_text alone (naming body,
 * even behind $4 = '', would read every text's row) */
static const char SQL_TEXTS_TOTAL_ALL[] =
    "SELECT COUNT(*) FROM survey_answer WHERE survey_id = $1 AND kind = 't' AND qkey = $5" FILTER " AND $4 = ''";
static const char SQL_CROSS_COL[] =
    "SELECT qkey, value, %s, SUM(n) FROM survey_tally WHERE survey_id = $1 AND sub = '' AND scale <> '*'" FILTER
    " GROUP BY qkey, value, %s";
static const char SQL_CROSS_Q[] =
    "SELECT a.qkey, a.value, COALESCE(b.value, ''), COUNT(*) FROM survey_answer a LEFT JOIN survey_answer b"
    " ON b.response_id = a.response_id AND b.qkey = $4 AND b.kind = 'c' AND b.sub = ''"
    " WHERE a.survey_id = $1 AND a.kind = 'c' AND a.sub = '' AND ($2 = '' OR a.region = $2)"
    " AND ($3 = '' OR a.industry = $3) GROUP BY a.qkey, a.value, b.value";

typedef struct {
    zq_req *q;
    int64_t id;
    const char *region, *industry, *like;
} flt;

static db_stmt *prep(const flt *f, const char *sql)
{
    db_stmt *s = db_prepare(f->q->db, sql);
    if (!s) return NULL;
    db_bind_int64(s, 1, f->id);
    db_bind_text(s, 2, f->region, -1);
    db_bind_text(s, 3, f->industry, -1);
    return s;
}

static int rates(const flt *f, zq_jw *w, const char *key, const char *sql, int64_t *aud, int64_t *resp)
{
    db_stmt *s = prep(f, sql);
    if (!s) return DB_ERR;
    zq_jw_key(w, key);
    zq_jw_arr(w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t a = db_col_int64(s, 1), r = db_col_int64(s, 2);
        if (aud) *aud += a, *resp += r;
        zq_jw_obj(w);
        zq_jw_kstr(w, "code", db_col_text(s, 0));
        zq_jw_kint(w, "audience", a);
        zq_jw_kint(w, "responded", r);
        zq_jw_kint(w, "rate_permille", a ? r * 1000 / a : 0);
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

typedef struct {
    const char *qkey, *sub, *value;
    int64_t n;
} cnt;

static void knum(zq_jw *w, const char *k, double v)
{
    char b[40];
    snprintf(b, sizeof b, "%.4f", v);
    zq_jw_key(w, k);
    zq_jw_raw(w, b, strlen(b));
}

/* All rows of a 4-column count query. */
static cnt *counts(const flt *f, db_stmt *s, size_t *n)
{
    size_t cap = 256, k = 0;
    cnt *v = zq_arena_alloc(f->q->arena, cap * sizeof *v);
    int rc;
    while (s && (rc = db_step(s)) == DB_ROW) {
        if (k == cap) {
            cnt *nv = zq_arena_alloc(f->q->arena, 2 * cap * sizeof *nv);
            memcpy(nv, v, k * sizeof *v);
            v = nv;
            cap *= 2;
        }
        v[k++] = (cnt){zq_arena_strdup(f->q->arena, db_col_text(s, 0)), zq_arena_strdup(f->q->arena, db_col_text(s, 1)),
                       zq_arena_strdup(f->q->arena, db_col_text(s, 2)), db_col_int64(s, 3)};
    }
    if (s) db_stmt_done(s);
    *n = k;
    return s ? v : NULL;
}

static int64_t find(const cnt *v, size_t n, const char *qkey, const char *sub, const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].qkey, qkey) == 0 && strcmp(v[i].sub, sub) == 0 && strcmp(v[i].value, value) == 0) return v[i].n;
    return 0;
}

static void options(zq_jw *w, const sv_question *x, const cnt *c, size_t nc, const char *sub, int64_t base)
{
    zq_jw_key(w, "options");
    zq_jw_arr(w);
    size_t n = x->type == SV_RATING ? 5 : x->noptions;
    for (size_t i = 0; i < n; i++) {
        char rk[2] = {(char)('1' + i), 0};
        const char *key = x->type == SV_RATING ? rk : x->options[i].key;
        int64_t k = find(c, nc, x->key, sub, key);
        zq_jw_obj(w);
        zq_jw_kstr(w, "key", key);
        zq_jw_kstr(w, "label", x->type == SV_RATING ? key : x->options[i].label);
        zq_jw_kint(w, "count", k);
        knum(w, "percent", base ? 100.0 * (double)k / (double)base : 0);
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
}

static void numbers(zq_jw *w, const double *v, size_t n)
{
    zq_jw_kint(w, "count", (int64_t)n);
    if (!n) return;
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += v[i];
    knum(w, "mean", sum / (double)n);
    knum(w, "median", n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
    knum(w, "min", v[0]);
    knum(w, "max", v[n - 1]);
    zq_jw_key(w, "distribution");
    zq_jw_arr(w);
    double lo = v[0], span = v[n - 1] - v[0];
    size_t nb = span > 0 ? BUCKETS : 1, at = 0;
    for (size_t b = 0; b < nb; b++) {
        double hi = b + 1 == nb ? v[n - 1] : lo + span * (double)(b + 1) / (double)nb;
        int64_t k = 0;
        while (at < n && (v[at] < hi || b + 1 == nb)) at++, k++;
        zq_jw_obj(w);
        knum(w, "from", lo + span * (double)b / (double)nb);
        knum(w, "to", hi);
        zq_jw_kint(w, "count", k);
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
}

#define NON_RESPONDENTS_MAX 200
static const char SQL_PENDING[] =
    "SELECT e.id, e.name, a.region, a.reminded_on FROM survey_audience a JOIN enterprise e ON e.id = a.enterprise_id"
    " WHERE a.survey_id = $1 AND a.responded_at = 0 AND ($2 = '' OR a.region = $2) AND ($3 = '' OR a.industry = $3)"
    " ORDER BY e.id LIMIT $4";

/* The firms that have not submitted (the first NON_RESPONDENTS_MAX; the
 * count is audience − responded). Not for an anonymous questionnaire: who
 * has not answered tells who has. */
static int non_respondents(const flt *f, zq_jw *w)
{
    db_stmt *s = prep(f, SQL_PENDING);
    if (!s) return DB_ERR;
    db_bind_int64(s, 4, NON_RESPONDENTS_MAX);
    zq_jw_key(w, "non_respondents");
    zq_jw_arr(w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(w);
        zq_jw_kint(w, "enterprise_id", db_col_int64(s, 0));
        zq_jw_kstr(w, "name", db_col_text(s, 1));
        zq_jw_kstr(w, "region", db_col_is_null(s, 2) ? NULL : db_col_text(s, 2));
        zq_jw_kstr(w, "reminded_on", *db_col_text(s, 3) ? db_col_text(s, 3) : NULL);
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

static db_stmt *prep_text(const flt *f, const char *sql, const char *qkey)
{
    db_stmt *s = prep(f, sql);
    if (!s) return NULL;
    db_bind_text(s, 4, f->like, -1);
    db_bind_text(s, 5, qkey, -1);
    return s;
}

/* The newest TEXTS_PER_Q texts of question qkey (and its 「其他」 texts)
 * matching the search, and how many match. */
static int texts(const flt *f, zq_jw *w, const char *qkey)
{
    db_stmt *s = prep_text(f, SQL_TEXTS, qkey);
    if (!s) return DB_ERR;
    db_bind_int64(s, 6, TEXTS_PER_Q);
    zq_jw_key(w, "texts");
    zq_jw_arr(w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(w);
        zq_jw_kstr(w, "text", db_col_text(s, 2));
        zq_jw_kbool(w, "other", strcmp(db_col_text(s, 1), "other") == 0);
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    if (rc != DB_DONE || !(s = prep_text(f, *f->like ? SQL_TEXTS_TOTAL : SQL_TEXTS_TOTAL_ALL, qkey))) return DB_ERR;
    rc = db_step(s);
    if (rc == DB_ROW) zq_jw_kint(w, "texts_total", db_col_int64(s, 0));
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : DB_ERR;
}

zq_err sv_results(zq_req *q, zq_resp *r)
{
    sv_survey v;
    if (sv_admin_load(q, r, false, &v) != DB_ROW) return r->err;
    sv_def d;
    if (sv_def_parse(q->arena, v.definition, &d) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    const char *region = zq_req_query(q, "region"), *industry = zq_req_query(q, "industry");
    const char *by = zq_req_query(q, "by"), *text = zq_req_query(q, "q");
    const char *scope = zq_scope_value(q);
    /* codes only: '*' names the tally's all-groups rows */
    if (region && (strlen(region) > 12 || strchr(region, '*'))) zq_fail_field(q, r, "region", "地区编码不正确");
    if (industry && (strlen(industry) > 8 || strchr(industry, '*'))) zq_fail_field(q, r, "industry", "行业门类不正确");
    if (text && zq_utf8_len(text) > 50) zq_fail_field(q, r, "q", "搜索词不超过 50 个字符");
    int byq = -1;
    bool by_col = by && (strcmp(by, "region") == 0 || strcmp(by, "industry") == 0 || strcmp(by, "scale") == 0);
    if (by && *by && !by_col) {
        byq = sv_def_find(&d, by);
        if (byq < 0 || d.q[byq].type != SV_SINGLE)
            zq_fail_field(q, r, "by", "交叉分析维度应为 region、industry、scale 或一道单选题的编码");
    }
    if (r->err) return r->err;
    /* district staff: their district, whatever was asked */
    if (*scope) region = scope;
    flt f = {q, v.id, region ? region : "", industry ? industry : "",
             text && *text ? zq_like_pattern(q->arena, text, ZQ_LIKE_CONTAINS) : ""};
    zq_jw w;
    zq_resp_json(r, &w, 200);
    sv_write_survey(q, &w, &v, false);
    int64_t aud = 0, resp = 0;
    if (rates(&f, &w, "by_region", SQL_RATE_REGION, &aud, &resp) != DB_OK ||
        rates(&f, &w, "by_industry", SQL_RATE_INDUSTRY, NULL, NULL) != DB_OK)
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    int64_t responses = 0;
    db_stmt *s = prep(&f, SQL_RESPONSES);
    if (!s || db_step(s) != DB_ROW) {
        if (s) db_stmt_done(s);
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    responses = db_col_int64(s, 0);
    db_stmt_done(s);
    zq_jw_kint(&w, "audience", aud);
    zq_jw_kint(&w, "responded", resp);
    zq_jw_kint(&w, "responses", responses);
    zq_jw_kint(&w, "rate_permille", aud ? resp * 1000 / aud : 0);
    if (!v.anonymous && non_respondents(&f, &w) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);

    size_t nc = 0, na = 0;
    bool all = !*f.region && !*f.industry;
    cnt *c = counts(&f, prep(&f, all ? SQL_CHOICES_ALL : SQL_CHOICES), &nc);
    /* answered: reuse cnt with sub/value empty */
    db_stmt *sa = prep(&f, all ? SQL_ANSWERED_ALL : SQL_ANSWERED);
    cnt *an = zq_arena_alloc(q->arena, (d.n + 1) * sizeof *an);
    int rc;
    while (sa && (rc = db_step(sa)) == DB_ROW && na < d.n)
        an[na++] = (cnt){zq_arena_strdup(q->arena, db_col_text(sa, 0)), "", "", db_col_int64(sa, 1)};
    if (sa) db_stmt_done(sa);
    if (!c || !sa) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    /* numbers, ordered by question then value */
    db_stmt *sn = prep(&f, SQL_NUMBERS);
    if (!sn) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    size_t ncap = 1024, nn = 0;
    double *nums = malloc(ncap * sizeof *nums);
    const char **nkeys = malloc(ncap * sizeof *nkeys);
    while (nums && nkeys && (rc = db_step(sn)) == DB_ROW) {
        if (nn == ncap) {
            ncap *= 2;
            double *a = realloc(nums, ncap * sizeof *nums);
            const char **b = a ? realloc(nkeys, ncap * sizeof *nkeys) : NULL;
            if (a) nums = a;
            if (b) nkeys = b;
            if (!a || !b) break;
        }
        nkeys[nn] = zq_arena_strdup(q->arena, db_col_text(sn, 0));
        nums[nn++] = strtod(db_col_text(sn, 1), NULL);
    }
    db_stmt_done(sn);

    zq_jw_key(&w, "questions");
    zq_jw_arr(&w);
    for (size_t i = 0; i < d.n; i++) {
        const sv_question *x = &d.q[i];
        int64_t answered = find(an, na, x->key, "", "");
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "key", x->key);
        zq_jw_kstr(&w, "type", sv_type_name(x->type));
        zq_jw_kstr(&w, "title", x->title);
        zq_jw_kint(&w, "answered", answered);
        if (x->type == SV_SINGLE || x->type == SV_MULTIPLE || x->type == SV_RATING) options(&w, x, c, nc, "", answered);
        if (x->type == SV_RATING) {
            int64_t tot = 0, sum = 0;
            for (int k = 1; k <= 5; k++) {
                char rk[2] = {(char)('0' + k), 0};
                int64_t m = find(c, nc, x->key, "", rk);
                tot += m, sum += m * k;
            }
            knum(&w, "average", tot ? (double)sum / (double)tot : 0);
        }
        if (x->type == SV_MATRIX) {
            zq_jw_key(&w, "rows");
            zq_jw_arr(&w);
            for (size_t k = 0; k < x->nrows; k++) {
                zq_jw_obj(&w);
                zq_jw_kstr(&w, "key", x->rows[k].key);
                zq_jw_kstr(&w, "label", x->rows[k].label);
                options(&w, x, c, nc, x->rows[k].key, answered);
                zq_jw_obj_end(&w);
            }
            zq_jw_arr_end(&w);
        }
        if (x->type == SV_NUMBER || x->type == SV_AMOUNT) {
            size_t a = 0;
            while (a < nn && strcmp(nkeys[a], x->key) != 0) a++;
            size_t b = a;
            while (b < nn && strcmp(nkeys[b], x->key) == 0) b++;
            numbers(&w, nums + a, b - a);
        }
        bool has_other = false;
        for (size_t k = 0; k < x->noptions; k++) has_other |= x->options[k].other;
        if (x->type == SV_TEXT || x->type == SV_TEXTAREA || x->type == SV_DATE || has_other) {
            if (texts(&f, &w, x->key) != DB_OK) {
                free(nums);
                free(nkeys);
                return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
            }
        }
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    free(nums);
    free(nkeys);

    if (by && *by) {
        db_stmt *sc = by_col ? prep(&f, zq_arena_printf(q->arena, SQL_CROSS_COL, by, by)) : prep(&f, SQL_CROSS_Q);
        if (sc && byq >= 0) db_bind_text(sc, 4, d.q[byq].key, -1);
        size_t nx = 0;
        cnt *x = counts(&f, sc, &nx);
        if (!x) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        zq_jw_key(&w, "crosstab");
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "by", by);
        zq_jw_key(&w, "cells");
        zq_jw_arr(&w);
        for (size_t k = 0; k < nx; k++) {
            zq_jw_obj(&w);
            zq_jw_kstr(&w, "q", x[k].qkey);
            /* counts() reads the columns as qkey, sub, value: here option, then the by value */
            zq_jw_kstr(&w, "value", x[k].sub);
            zq_jw_kstr(&w, "by", x[k].value);
            zq_jw_kint(&w, "count", x[k].n);
            zq_jw_obj_end(&w);
        }
        zq_jw_arr_end(&w);
        zq_jw_obj_end(&w);
    }
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/surveys/:id/results", sv_results, ZQ_ACCESS_STAFF, "survey.manage", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/admin/surveys/:id/responses", sv_responses, ZQ_ACCESS_STAFF, "survey.manage", ZQ_RF_SCOPED, 0,
     NULL},
    {ZQ_GET, "/api/v1/admin/surveys/:id/export", sv_export, ZQ_ACCESS_STAFF, "survey.manage",
     ZQ_RF_SCOPED | ZQ_RF_HEAVY, 0, NULL},
};
const zq_route_group survey_results_routes = {routes, sizeof routes / sizeof routes[0]};
