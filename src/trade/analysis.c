/*
 * analysis.c — the city's trade over time (manual 6 数据分析):
 *   GET /api/v1/admin/trade/analysis?direction=&from=YYYY-MM&to=YYYY-MM&region=   (trade.review|trade.manage)
 * per month of the range (at most 24, default the 24 months to this one):
 * the firms' forecasts (pending and approved reports) and the customs
 * actuals, with YoY of each against the same month a year earlier; and
 * per district the range's totals. District staff see only theirs.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "core/clock.h"
#include "core/text.h"
#include "http/scope.h"
#include <stdlib.h>
#include <string.h>

#define MONTHS_MAX 24

/* both over the range and the 12 months before it (for YoY) */
static const char SQL_FORECAST[] =
    "SELECT year, month, SUM(month_amt), COUNT(*) FROM trade_report WHERE direction = $1 AND year >= $2 AND year <= $3"
    " AND status IN ('pending', 'approved') AND month_amt IS NOT NULL AND ($4 = '' OR region = $4)"
    " AND ($5 = '' OR region = $5) GROUP BY year, month";
static const char SQL_ACTUAL[] =
    "SELECT year, month, SUM(amount), COUNT(*) FROM trade_actual"
    " WHERE direction = $1 AND year >= $2 AND year <= $3 AND ($4 = '' OR region = $4)"
    " AND ($5 = '' OR region = $5) GROUP BY year, month";
static const char SQL_BY_REGION[] =
    "SELECT region, SUM(month_amt), COUNT(DISTINCT enterprise_id) FROM trade_report WHERE direction = $1"
    " AND year >= $2 / 100 AND year <= $3 / 100 AND year * 100 + month >= $2 AND year * 100 + month <= $3"
    " AND status IN ('pending', 'approved')"
    " AND month_amt IS NOT NULL AND ($4 = '' OR region = $4) AND ($5 = '' OR region = $5) GROUP BY region ORDER BY region";

static bool parse_ym(const char *s, int *out)
{
    trade_ym p;
    if (!trade_parse_ym(s, &p)) return false;
    *out = p.y * 12 + p.m - 1;
    return true;
}

typedef struct { int64_t v[MONTHS_MAX + 12], n[MONTHS_MAX + 12]; bool has[MONTHS_MAX + 12]; } series;

static int load(zq_req *q, const char *sql, const char *dir, int first, int last, const char *region, series *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, dir, -1);
    db_bind_int64(s, 2, first / 12);
    db_bind_int64(s, 3, last / 12);
    db_bind_text(s, 4, zq_scope_value(q), -1);
    db_bind_text(s, 5, region, -1);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int ym = (int)(db_col_int64(s, 0) * 12 + db_col_int64(s, 1) - 1);
        if (ym < first || ym > last) continue;
        out->v[ym - first] = db_col_int64(s, 2);
        out->n[ym - first] = db_col_int64(s, 3);
        out->has[ym - first] = true;
    }
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

static void point(zq_arena *a, zq_jw *w, const char *key, const series *sr, int i)
{
    zq_jw_key(w, key);
    zq_jw_obj(w);
    trade_jw_wan(w, "amount", sr->has[i], sr->v[i]);
    zq_jw_kint(w, "firms", sr->n[i]);
    zq_jw_kstr(w, "yoy", sr->has[i] && sr->has[i - 12] ? trade_yoy_str(a, sr->v[i], sr->v[i - 12]) : NULL);
    zq_jw_obj_end(w);
}

typedef struct {
    const char *dir, *region;
    int first, last;
} analysis_ctx;

static zq_err render_analysis(zq_req *q, zq_resp *r, void *ctxp);

static zq_err analysis(zq_req *q, zq_resp *r)
{
    const char *dir = zq_req_query(q, "direction"), *from = zq_req_query(q, "from"), *to = zq_req_query(q, "to");
    const char *region = zq_req_query(q, "region");
    char today[11];
    zq_today(q->now, today);
    int last = (atoi(today) * 12) + atoi(today + 5) - 1, first;
    if (!dir || !*dir) dir = "export";
    if (!trade_direction_ok(dir)) zq_fail_field(q, r, "direction", "请选择出口（export）或进口（import）");
    if (to && *to && !parse_ym(to, &last)) zq_fail_field(q, r, "to", "结束月份格式应为 YYYY-MM");
    first = last - (MONTHS_MAX - 1);
    if (from && *from && !parse_ym(from, &first)) zq_fail_field(q, r, "from", "开始月份格式应为 YYYY-MM");
    if (!r->err && (first > last || last - first >= MONTHS_MAX))
        zq_fail_field(q, r, "from", "时间范围须在24个月以内且开始不晚于结束");
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (r->err) return r->err;
    analysis_ctx cx = {dir, region ? region : "", first, last};
    /* rendered once per change of the trade data (view_cache.c) */
    const char *key = zq_arena_printf(q->arena, "a%s|%d|%d|%s|%s", dir, first, last, cx.region, zq_scope_value(q));
    return trade_cache_serve(q, r, key, render_analysis, &cx);
}

static zq_err render_analysis(zq_req *q, zq_resp *r, void *ctxp)
{
    const analysis_ctx *cx = ctxp;
    const char *dir = cx->dir, *region = cx->region;
    int first = cx->first, last = cx->last;
    series f, act;
    int lo = first - 12;
    if (load(q, SQL_FORECAST, dir, lo, last, region, &f) != DB_OK ||
        load(q, SQL_ACTUAL, dir, lo, last, region, &act) != DB_OK)
        return trade_db_fail(q, r);
    db_stmt *s = db_prepare(q->db, SQL_BY_REGION);
    if (!s) return trade_db_fail(q, r);
    db_bind_text(s, 1, dir, -1);
    db_bind_int64(s, 2, (first / 12) * 100 + first % 12 + 1);
    db_bind_int64(s, 3, (last / 12) * 100 + last % 12 + 1);
    db_bind_text(s, 4, zq_scope_value(q), -1);
    db_bind_text(s, 5, region, -1);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "direction", dir);
    zq_jw_kstr(&w, "from", zq_arena_printf(q->arena, "%04d-%02d", first / 12, first % 12 + 1));
    zq_jw_kstr(&w, "to", zq_arena_printf(q->arena, "%04d-%02d", last / 12, last % 12 + 1));
    zq_jw_key(&w, "months");
    zq_jw_arr(&w);
    for (int ym = first; ym <= last; ym++) {
        int i = ym - lo;
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "month", zq_arena_printf(q->arena, "%04d-%02d", ym / 12, ym % 12 + 1));
        point(q->arena, &w, "forecast", &f, i);
        point(q->arena, &w, "actual", &act, i);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_key(&w, "by_region");
    zq_jw_arr(&w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "region", db_col_text(s, 0));
        trade_jw_wan(&w, "forecast", true, db_col_int64(s, 1));
        zq_jw_kint(&w, "firms", db_col_int64(s, 2));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    if (rc != DB_DONE) return trade_db_fail(q, r);
    return ZQ_OK;
}


static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/trade/analysis", analysis, ZQ_ACCESS_STAFF, "trade.review|trade.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/admin/trade/accuracy", trade_accuracy, ZQ_ACCESS_STAFF, "trade.review|trade.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group trade_analysis_routes = {routes, sizeof routes / sizeof routes[0]};
