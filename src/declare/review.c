/*
 * review.c — the bureau's review (declaration.review):
 *   GET  /api/v1/admin/declarations/:id/applications?region=&status=&industry=&q=&page=
 *        submitted applications with counts by status and district (charts),
 *        the mean of the reviewers' scores; district staff see their district's
 *   POST /api/v1/admin/applications/:id/review
 *        {"decision":"pass|return|reject","reason":…,"deadline":"YYYY-MM-DD","scores":{criterion:0..100}}
 *   POST /api/v1/admin/applications/:id/accept   受理 (accept.c)
 * Levels: a call with a district level is pre-reviewed by the firm's
 * district staff (pass sends it to the city), then decided by city staff,
 * who score it where the call has criteria; a city-only call goes to the
 * city directly. A decision at the wrong level or from another district
 * changes nothing; every decision is audited and tells the firm.
 */
#include "declare/declare.h"
#include "declare/declare_internal.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/context.h"
#include "http/input.h"
#include "http/scope.h"
#include "http/session.h"
#include "notify/notify.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REASON_MAX 500
#define RETURN_DAYS_DEFAULT 7

static const char SQL_MOVE[] =
    "UPDATE decl_app SET status = CAST($2 AS VARCHAR), updated_at = $3, return_reason = $4, return_deadline = $5,"
    " decided_at = CASE WHEN CAST($2 AS VARCHAR) IN ('approved', 'rejected') THEN $3 ELSE decided_at END"
    " WHERE id = $1 AND status = $6";
static const char SQL_STILL[] =
    "UPDATE decl_app SET updated_at = updated_at WHERE id = $1 AND status = 'approved'"
    " AND NOT EXISTS (SELECT 1 FROM decl_call c WHERE c.id = decl_app.call_id AND c.status = 'results')";
static const char SQL_SCORE[] =
    "INSERT INTO decl_score(app_id, staff_id, scores_json, total, at) VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (app_id, staff_id) DO UPDATE SET scores_json = excluded.scores_json, total = excluded.total,"
    " at = excluded.at";

/* What the route's audit record is about (the pipeline writes it at the
 * commit, docs/audit.md). 0 or -1. */
static int review_audit(zq_req *q, const decl_app *a, const char *decision, const char *level)
{
    return audit_note(q, &(audit_entry){.action = "application.review",
                                          .object_type = "application",
                                          .object_id = zq_arena_printf(q->arena, "%lld", (long long)a->id),
                                          .detail = zq_arena_printf(q->arena, "{\"decision\":\"%s\",\"level\":\"%s\"}",
                                                                    decision, level),
                                          .enterprise_id = a->enterprise_id,
                                          .region = a->region});
}

/* The submitted applications a list shows, the filter's WHERE at %s. */
#define APPS_FROM " FROM decl_app a JOIN enterprise e ON e.id = a.enterprise_id%s AND a.status <> 'draft'"

static zq_err apps_list(zq_req *q, zq_resp *r)
{
    int64_t cid = hk_param_id(q, "id");
    decl_call c;
    int rc = cid ? decl_call_load(q, cid, &c) : DB_DONE;
    if (rc == DB_ROW && (strcmp(c.status, "draft") == 0 || (c.region && !zq_scope_allows(q, c.region)))) rc = DB_DONE;
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, rc == DB_DONE ? "申报通知不存在" : NULL);
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, DECL_PAGE_MAX);
    const char *region = zq_req_query(q, "region"), *status = zq_req_query(q, "status"),
               *industry = zq_req_query(q, "industry"), *kw = zq_req_query(q, "q");
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (industry && strlen(industry) > 8) zq_fail_field(q, r, "industry", "行业代码不正确");
    if (status && strlen(status) > 16) zq_fail_field(q, r, "status", "状态不正确");
    if (kw && zq_utf8_len(kw) > 50) zq_fail_field(q, r, "q", "关键词不能超过 50 个字符");
    if (r->err) return r->err;
    hk_filter f;
    decl_app_filter(q, &f, c.id, region, status, kw);
    if (industry && *industry) /* a division, or a section and its divisions */
        hk_filter_texts(&f, "(e.industry = $%d OR e.industry IN (SELECT d.code FROM dict_item d WHERE d.type = 'industry'"
                            " AND d.parent = $%d))", (const char *[]){industry, industry, NULL});
    const char *where = hk_filter_where(&f, q->arena);
    if (!where) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    const char *from = zq_arena_printf(q->arena, APPS_FROM, where);
    if (!from) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    for (int pass = 0; pass < 2; pass++) {
        const char *col = pass ? "COALESCE(a.region, '')" : "a.status";
        zq_jw_key(&w, pass ? "by_region" : "by_status");
        zq_jw_obj(&w);
        db_stmt *s = db_prepare(q->db, zq_arena_printf(q->arena, "SELECT %s, COUNT(*)%s GROUP BY %s", col, from, col));
        if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        hk_filter_bind(&f, s);
        while (db_step(s) == DB_ROW) zq_jw_kint(&w, db_col_text(s, 0), db_col_int64(s, 1));
        db_stmt_done(s);
        zq_jw_obj_end(&w);
    }
    int64_t total = 0;
    db_stmt *s;
    if (hk_filter_page(q, r, &f, "SELECT COUNT(*)" APPS_FROM,
                       "SELECT " DECL_APP_COLS ", e.industry, (SELECT AVG(total) FROM decl_score sc WHERE sc.app_id = a.id),"
                       " (SELECT COUNT(*) FROM decl_score sc WHERE sc.app_id = a.id)" APPS_FROM
                       " ORDER BY a.submitted_at, a.id",
                       page, size, &total, &s) != ZQ_OK)
        return r->err;
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    while ((rc = db_step(s)) == DB_ROW) {
        decl_app a;
        decl_app_read(q, s, &a);
        zq_jw_obj(&w);
        decl_write_app(q, &w, &a);
        zq_jw_kstr(&w, "industry", db_col_is_null(s, 15) ? NULL : db_col_text(s, 15));
        zq_jw_key(&w, "score_mean");
        /* totals are stored in hundredths: the mean to two decimals */
        if (db_col_int64(s, 17) > 0) {
            char buf[32];
            snprintf(buf, sizeof buf, "%.2f", db_col_is_null(s, 16) ? 0.0 : atof(db_col_text(s, 16)) / 100.0);
            zq_jw_raw(&w, buf, strlen(buf));
        } else zq_jw_null(&w);
        zq_jw_kint(&w, "score_count", db_col_int64(s, 17));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    zq_jw_kint(&w, "total", total);
    zq_jw_kint(&w, "page", page);
    zq_jw_kint(&w, "page_size", size);
    zq_jw_obj_end(&w);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

/* Reads and checks scores against the call's criteria: the weighted total
 * in hundredths into *total, canonical JSON into *json. */
static void read_scores(zq_req *q, zq_resp *r, const decl_call *c, json_t *in, int64_t *total, const char **json)
{
    json_t *crit = json_loads(c->criteria_json ? c->criteria_json : "[]", 0, NULL), *out = json_object();
    size_t i;
    json_t *d;
    *total = 0;
    if (!json_is_object(in)) zq_fail_field(q, r, "scores", "请为每个评分项打分（0–100）");
    else {
        const char *k;
        json_t *v;
        json_object_foreach(in, k, v)
        {
            bool known = false;
            json_array_foreach(crit, i, d) known |= strcmp(json_string_value(json_object_get(d, "name")), k) == 0;
            if (!known) zq_fail_field(q, r, zq_arena_printf(q->arena, "scores.%.60s", k), "没有这个评分项");
        }
        json_array_foreach(crit, i, d)
        {
            const char *name = json_string_value(json_object_get(d, "name"));
            json_t *sv = json_object_get(in, name);
            if (!json_is_integer(sv) || json_integer_value(sv) < 0 || json_integer_value(sv) > 100) {
                zq_fail_field(q, r, zq_arena_printf(q->arena, "scores.%s", name),
                              zq_arena_printf(q->arena, "「%s」须为 0–100 的整数分", name));
                continue;
            }
            json_object_set(out, name, sv);
            *total += json_integer_value(sv) * json_integer_value(json_object_get(d, "weight"));
        }
    }
    char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    *json = s ? zq_arena_strdup(q->arena, s) : NULL;
    free(s);
    json_decref(out);
    json_decref(crit);
}

static const char *decision_text(const char *to)
{
    return strcmp(to, "city_review") == 0 ? "已通过区县初审，进入市级审核"
           : strcmp(to, "approved") == 0  ? "审核通过"
           : strcmp(to, "rejected") == 0  ? "未通过审核"
                                          : "被退回修改";
}

static zq_err review(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    decl_app a;
    decl_call c;
    int rc = id ? decl_app_load(q, id, &a) : DB_DONE;
    if (rc == DB_ROW && !zq_scope_allows(q, a.region)) rc = DB_DONE;
    if (rc == DB_ROW) rc = decl_call_load(q, a.call_id, &c);
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, rc == DB_DONE ? "申报不存在" : NULL);
    static const char *const allowed[] = {"decision", "reason", "deadline", "scores", NULL};
    zq_in_only(q, r, allowed);
    const char *decision = zq_in_str(q, r, "decision", "审核结论", true, 10);
    const char *reason = zq_in_str(q, r, "reason", "意见", false, REASON_MAX);
    const char *deadline = zq_in_str(q, r, "deadline", "修改期限", false, 10);
    if (decision && strcmp(decision, "pass") && strcmp(decision, "return") && strcmp(decision, "reject"))
        zq_fail_field(q, r, "decision", "审核结论只能是 pass（通过）、return（退回修改）或 reject（不通过）");
    if (decision && strcmp(decision, "pass") && (!reason || !*reason))
        zq_fail_field(q, r, "reason", "退回或不通过时请填写意见");
    int64_t dl = 0;
    if (deadline && *deadline) {
        if (!zq_date_parse(deadline, &dl)) zq_fail_field(q, r, "deadline", "日期格式须为 YYYY-MM-DD");
        else if ((dl += 86400 - 1) < q->now) zq_fail_field(q, r, "deadline", "修改期限不能早于今天");
    }
    if (r->err) return r->err;

    /* which level the application waits at, and whether this account is it */
    const char *level;
    bool criteria = c.criteria_json && strcmp(c.criteria_json, "[]") != 0;
    /* a further city reviewer adds their scores to what the city approved,
     * until 公示: each reviewer's scores are kept, the lists show the mean */
    bool rescore = strcmp(a.status, "approved") == 0 && strcmp(decision, "pass") == 0 && criteria &&
                   strcmp(c.status, "results") != 0;
    if (strcmp(a.status, "submitted") == 0 || strcmp(a.status, "district_review") == 0)
        level = decl_has_district(&c) ? "district" : "city";
    else if (strcmp(a.status, "city_review") == 0 || rescore) level = "city";
    else return zq_fail(r, ZQ_E_CONFLICT, "该申报当前不在审核中");
    bool citywide = zq_scope_citywide(q);
    if (strcmp(level, "district") == 0 && citywide)
        return zq_fail(r, ZQ_E_UNPROCESSABLE, "该申报须先由所在区县初审，市级人员不能代为初审");
    if (strcmp(level, "city") == 0 && !citywide)
        return zq_fail(r, ZQ_E_UNPROCESSABLE, "该申报处于市级审核，区县人员不能审核");

    bool scoring = strcmp(level, "city") == 0 && strcmp(decision, "pass") == 0 && criteria;
    int64_t total = 0;
    const char *scores = NULL;
    json_t *sin = json_object_get(q->json, "scores");
    if (scoring || (sin && strcmp(level, "city") == 0 && criteria))
        read_scores(q, r, &c, sin, &total, &scores);
    else if (sin) zq_fail_field(q, r, "scores", "该申报当前无需评分");
    if (r->err) return r->err;
    if (scores == NULL && (scoring)) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    const char *to = strcmp(decision, "pass") == 0 ? (strcmp(level, "district") == 0 ? "city_review" : "approved")
                     : strcmp(decision, "reject") == 0 ? "rejected"
                                                        : "returned";
    if (strcmp(to, "returned") == 0 && !dl) dl = q->now + RETURN_DAYS_DEFAULT * 86400;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    /* a decision on a submitted application is its 受理 too: both events */
    if (strcmp(a.status, "submitted") == 0) {
        rc = decl_accept_move(q, &a, &c);
        if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该申报刚被其他人处理过，请刷新后再看");
        if (rc != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    }
    /* a rescore changes no status: it only re-checks it (still approved, not yet 公示) */
    db_stmt *s = db_prepare(q->db, rescore ? SQL_STILL : SQL_MOVE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, a.id);
    if (!rescore) {
        db_bind_text(s, 2, to, -1);
        db_bind_int64(s, 3, q->now);
        if (strcmp(to, "returned") == 0) db_bind_text(s, 4, reason, -1);
        else db_bind_null(s, 4);
        db_bind_int64(s, 5, strcmp(to, "returned") == 0 ? dl : 0);
        db_bind_text(s, 6, a.status, -1);
    }
    rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (n != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该申报刚被其他人审核过，请刷新后再看");
    if (scores) {
        if (!(s = db_prepare(q->db, SQL_SCORE))) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_int64(s, 1, a.id);
        db_bind_int64(s, 2, q->session->staff_id);
        db_bind_text(s, 3, scores, -1);
        db_bind_int64(s, 4, total);
        db_bind_int64(s, 5, q->now);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    }
    if (decl_event_add(q, a.id, rescore ? "score" : decision, level, reason) != DB_OK ||
        review_audit(q, &a, rescore ? "score" : decision, level) != 0)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (rescore) {
        if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        return decl_answer_app(q, r, a.id);
    }
    /* the firm hears of every decision */
    if (decl_tell_firm(q, &a, &c, decision_text(to)) != DB_OK || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    notify_kick(q->app);
    return decl_answer_app(q, r, a.id);
}

static zq_err app_get(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    decl_app a;
    int rc = id ? decl_app_load(q, id, &a) : DB_DONE;
    if (rc == DB_ROW && (!zq_scope_allows(q, a.region) || strcmp(a.status, "draft") == 0)) rc = DB_DONE;
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, rc == DB_DONE ? "申报不存在" : NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    decl_write_app(q, &w, &a);
    zq_jw_key(&w, "fields");
    zq_jw_raw(&w, a.fields_json, strlen(a.fields_json));
    if (decl_write_materials(q, &w, a.id) != DB_OK || decl_write_timeline(q, &w, a.id) != DB_OK)
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw_key(&w, "scores");
    zq_jw_arr(&w);
    db_stmt *s = db_prepare(q->db, "SELECT sc.staff_id, st.name, sc.scores_json, sc.total, sc.at FROM decl_score sc"
                                   " LEFT JOIN staff st ON st.id = sc.staff_id WHERE sc.app_id = $1 ORDER BY sc.at");
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, a.id);
    while (db_step(s) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "staff_id", db_col_int64(s, 0));
        zq_jw_kstr(&w, "staff_name", db_col_is_null(s, 1) ? NULL : db_col_text(s, 1));
        zq_jw_key(&w, "scores");
        zq_jw_raw(&w, db_col_text(s, 2), (size_t)db_col_text_len(s, 2));
        char buf[32];
        snprintf(buf, sizeof buf, "%.2f", (double)db_col_int64(s, 3) / 100.0);
        zq_jw_key(&w, "total");
        zq_jw_raw(&w, buf, strlen(buf));
        zq_jw_ktime(&w, "at", db_col_int64(s, 4));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

#define R "declaration.review|declaration.manage"
static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/declarations/:id/applications", apps_list, ZQ_ACCESS_STAFF, R, ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/admin/applications/:id", app_get, ZQ_ACCESS_STAFF, R, ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/applications/:id/review", review, ZQ_ACCESS_STAFF, "declaration.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, "application.review"},
    {ZQ_POST, "/api/v1/admin/applications/:id/accept", decl_accept, ZQ_ACCESS_STAFF, "declaration.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, "declaration.accept"},
};
#undef R
const zq_route_group decl_review_routes = {routes, sizeof routes / sizeof routes[0]};
