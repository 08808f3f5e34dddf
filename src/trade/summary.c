/*
 * summary.c — a task's picture for the bureau (manual 6: 完成情况, 数据分析):
 *   GET /api/v1/admin/trade/tasks/:id/summary?region=   (trade.review|trade.manage)
 * completeness per district and in total (reported = pending + approved,
 * returned, not reported = not_reported + draft, late = not yet reported or
 * returned once the deadline passed), and the forecast against 去年同期
 * (actual, else last year's approved forecast) in total, by district, by
 * industry section, with the top 20 firms by amount and by change. One
 * query over the task's reports, aggregated here; district staff see only
 * their district.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "http/input.h"
#include "http/scope.h"
#include <stdlib.h>
#include <string.h>

#define TOP_N 20
#define GROUPS_MAX 64

static const char SQL_ROWS[] =
    "SELECT r.enterprise_id, r.region, COALESCE(d.parent, e.industry, ''), e.name, r.status, r.month_amt,"
    /* 去年同期 only for the reported rows that take part in the amounts */
    " CASE WHEN r.status IN ('pending', 'approved') AND r.month_amt IS NOT NULL THEN"
    " COALESCE((SELECT a.amount FROM trade_actual a WHERE a.enterprise_id = r.enterprise_id AND a.direction = r.direction"
    " AND a.year = r.year - 1 AND a.month = r.month), (SELECT MAX(p.month_amt) FROM trade_report p WHERE"
    " p.enterprise_id = r.enterprise_id AND p.direction = r.direction AND p.year = r.year - 1 AND p.month = r.month"
    " AND p.status = 'approved'), 0) ELSE 0 END"
    " FROM trade_report r JOIN enterprise e ON e.id = r.enterprise_id"
    " LEFT JOIN dict_item d ON d.type = 'industry' AND d.code = e.industry"
    " WHERE r.task_id = $1 AND ($2 = '' OR r.region = $2) AND ($3 = '' OR r.region = $3)";

typedef struct {
    int64_t eid, amt, base;
    const char *region, *section, *name;
    bool has;
} row;

typedef struct {
    const char *key;
    int64_t reports, reported, approved, returned, not_reported, late;
    int64_t firms, amt, base;
} group;

static group *group_of(group *g, int *n, const char *key)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(g[i].key, key) == 0) return &g[i];
    if (*n >= GROUPS_MAX) return NULL;
    memset(&g[*n], 0, sizeof g[*n]);
    g[*n].key = key;
    return &g[(*n)++];
}

static void add(group *g, const row *r, const char *status, bool past)
{
    if (!g) return;
    g->reports++;
    bool reported = strcmp(status, "pending") == 0 || strcmp(status, "approved") == 0;
    if (reported) g->reported++;
    if (strcmp(status, "approved") == 0) g->approved++;
    if (strcmp(status, "returned") == 0) g->returned++;
    if (strcmp(status, "not_reported") == 0 || strcmp(status, "draft") == 0) g->not_reported++;
    if (past && !reported) g->late++;
    if (reported && r->has) {
        g->firms++;
        g->amt += r->amt;
        g->base += r->base;
    }
}

static void write_counts(zq_jw *w, const group *g)
{
    zq_jw_kint(w, "reports", g->reports);
    zq_jw_kint(w, "reported", g->reported);
    zq_jw_kint(w, "approved", g->approved);
    zq_jw_kint(w, "returned", g->returned);
    zq_jw_kint(w, "not_reported", g->not_reported);
    zq_jw_kint(w, "late", g->late);
}

static void write_amounts(zq_arena *a, zq_jw *w, int64_t firms, int64_t amt, int64_t base)
{
    zq_jw_kint(w, "firms", firms);
    trade_jw_wan(w, "forecast", true, amt);
    trade_jw_wan(w, "last_year", true, base);
    zq_jw_kstr(w, "yoy", trade_yoy_str(a, amt, base));
}

static void write_groups(zq_arena *a, zq_jw *w, const char *key, const char *name, group *g, int n, bool counts)
{
    zq_jw_key(w, key);
    zq_jw_arr(w);
    for (int i = 0; i < n; i++) {
        zq_jw_obj(w);
        zq_jw_kstr(w, name, g[i].key);
        if (counts) write_counts(w, &g[i]);
        write_amounts(a, w, g[i].firms, g[i].amt, g[i].base);
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
}

static int by_amount(const void *x, const void *y)
{
    const row *a = x, *b = y;
    return (b->amt > a->amt) - (b->amt < a->amt);
}

static int by_change(const void *x, const void *y)
{
    const row *a = x, *b = y;
    int64_t ca = llabs(a->amt - a->base), cb = llabs(b->amt - b->base);
    return (cb > ca) - (cb < ca);
}

static int by_key(const void *x, const void *y)
{
    return strcmp(((const group *)x)->key, ((const group *)y)->key);
}

static void write_top(zq_arena *a, zq_jw *w, const char *key, row *rows, int n, int (*cmp)(const void *, const void *))
{
    qsort(rows, (size_t)n, sizeof *rows, cmp);
    zq_jw_key(w, key);
    zq_jw_arr(w);
    for (int i = 0; i < n && i < TOP_N; i++) {
        zq_jw_obj(w);
        zq_jw_kint(w, "enterprise_id", rows[i].eid);
        zq_jw_kstr(w, "name", rows[i].name);
        zq_jw_kstr(w, "region", rows[i].region);
        trade_jw_wan(w, "forecast", true, rows[i].amt);
        trade_jw_wan(w, "last_year", true, rows[i].base);
        trade_jw_wan(w, "change", true, rows[i].amt - rows[i].base);
        zq_jw_kstr(w, "yoy", trade_yoy_str(a, rows[i].amt, rows[i].base));
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
}

typedef struct {
    int64_t task;
    const char *region;
    trade_task_head t;
    bool past;
} summary_ctx;

static zq_err render_summary(zq_req *q, zq_resp *r, void *ctxp)
{
    summary_ctx *cx = ctxp;
    int64_t task = cx->task;
    const char *region = cx->region;
    int year = cx->t.year, month = cx->t.month;
    const char *dir = cx->t.direction, *name = cx->t.name, *deadline = cx->t.deadline;
    bool past = cx->past;
    int rc;
    db_stmt *s;
    if (!(s = db_prepare(q->db, SQL_ROWS))) return trade_db_fail(q, r);
    db_bind_int64(s, 1, task);
    db_bind_text(s, 2, zq_scope_value(q), -1);
    db_bind_text(s, 3, region, -1);
    size_t cap = 1024;
    int n = 0, nreg = 0, nsec = 0;
    row *rows = malloc(cap * sizeof *rows);
    group total = {.key = ""}, regs[GROUPS_MAX], secs[GROUPS_MAX];
    while (rows && (rc = db_step(s)) == DB_ROW) {
        if ((size_t)n == cap) {
            row *grown = realloc(rows, (cap *= 2) * sizeof *rows);
            if (!grown) break;
            rows = grown;
        }
        row *x = &rows[n];
        x->eid = db_col_int64(s, 0);
        x->region = zq_arena_strdup(q->arena, db_col_text(s, 1));
        x->section = zq_arena_strdup(q->arena, db_col_text(s, 2));
        x->name = zq_arena_strdup(q->arena, db_col_text(s, 3));
        const char *status = db_col_text(s, 4);
        x->has = !db_col_is_null(s, 5);
        x->amt = x->has ? db_col_int64(s, 5) : 0;
        x->base = db_col_int64(s, 6);
        add(&total, x, status, past);
        add(group_of(regs, &nreg, x->region), x, status, past);
        /* only reported firms take part in amounts, sections and tops */
        if ((strcmp(status, "pending") == 0 || strcmp(status, "approved") == 0) && x->has) {
            add(group_of(secs, &nsec, x->section), x, status, past);
            n++;
        }
    }
    db_stmt_done(s);
    if (!rows || rc != DB_DONE) {
        free(rows);
        return trade_db_fail(q, r);
    }
    qsort(regs, (size_t)nreg, sizeof *regs, by_key);
    qsort(secs, (size_t)nsec, sizeof *secs, by_key);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "task");
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", task);
    zq_jw_kint(&w, "year", year);
    zq_jw_kint(&w, "month", month);
    zq_jw_kstr(&w, "direction", dir);
    zq_jw_kstr(&w, "name", name);
    zq_jw_kstr(&w, "deadline", deadline);
    zq_jw_kbool(&w, "past_deadline", past);
    zq_jw_obj_end(&w);
    zq_jw_key(&w, "completeness");
    zq_jw_obj(&w);
    zq_jw_key(&w, "total");
    zq_jw_obj(&w);
    write_counts(&w, &total);
    zq_jw_obj_end(&w);
    write_groups(q->arena, &w, "by_region", "region", regs, nreg, true);
    zq_jw_obj_end(&w);
    zq_jw_key(&w, "totals");
    zq_jw_obj(&w);
    write_amounts(q->arena, &w, total.firms, total.amt, total.base);
    zq_jw_obj_end(&w);
    write_groups(q->arena, &w, "by_region", "region", regs, nreg, false);
    write_groups(q->arena, &w, "by_industry", "section", secs, nsec, false);
    write_top(q->arena, &w, "top_amount", rows, n, by_amount);
    write_top(q->arena, &w, "top_change", rows, n, by_change);
    zq_jw_obj_end(&w);
    free(rows);
    return ZQ_OK;
}

/* Rendered once per change of the task's data (view_cache.c); the key
 * holds what else the rendering depends on: the district filter, the
 * caller's scope, and whether the deadline has passed (the late counts). */
static zq_err task_summary(zq_req *q, zq_resp *r)
{
    summary_ctx cx = {.task = trade_path_id(q), .region = zq_req_query(q, "region")};
    if (cx.region && strlen(cx.region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (r->err) return r->err;
    if (!cx.region) cx.region = "";
    if (trade_task_load(q, r, cx.task, &cx.t)) return r->err;
    cx.past = q->now >= cx.t.deadline_at;
    const char *key = zq_arena_printf(q->arena, "s%lld|%s|%s|%d", (long long)cx.task, cx.region, zq_scope_value(q),
                                      cx.past ? 1 : 0);
    return trade_cache_serve(q, r, key, render_summary, &cx);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/trade/tasks/:id/summary", task_summary, ZQ_ACCESS_STAFF, "trade.review|trade.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group trade_summary_routes = {routes, sizeof routes / sizeof routes[0]};
