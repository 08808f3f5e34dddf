/*
 * accuracy.c — 预测准确度 once actuals are imported (GET
 * /api/v1/admin/trade/accuracy?direction=&from=YYYY-MM&to=YYYY-MM&region=&group=firm|region|month&page=):
 * every reported month forecast (pending or approved) that has a customs
 * actual, grouped per firm, district or month, with MAPE (mean of
 * |forecast − actual| / actual over actuals above 0) and the signed bias
 * (Σforecast − Σactual) / Σactual, both in percent with one place, integer
 * arithmetic. Firms sorted best first. District staff see only theirs.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "core/clock.h"
#include "core/text.h"
#include "http/input.h"
#include "http/scope.h"
#include <stdlib.h>
#include <string.h>

static const char SQL_ROWS[] =
    "SELECT r.enterprise_id, e.name, r.region, r.year, r.month, r.month_amt, a.amount FROM trade_report r"
    " JOIN trade_actual a ON a.enterprise_id = r.enterprise_id AND a.direction = r.direction AND a.year = r.year"
    " AND a.month = r.month JOIN enterprise e ON e.id = r.enterprise_id"
    " WHERE r.direction = $1 AND r.year * 100 + r.month >= $2 AND r.year * 100 + r.month <= $3"
    " AND r.status IN ('pending', 'approved') AND r.month_amt IS NOT NULL AND ($4 = '' OR r.region = $4)"
    " AND ($5 = '' OR r.region = $5) ORDER BY r.enterprise_id, r.year, r.month";

typedef struct {
    const char *key, *name;
    int64_t n, npct, pct_sum, f, a;   /* pct_sum: Σ tenths of |f−a|/a */
} acc;

static int by_mape(const void *x, const void *y)
{
    const acc *p = x, *b = y;
    int64_t mp = p->npct ? p->pct_sum / p->npct : INT64_MAX, mb = b->npct ? b->pct_sum / b->npct : INT64_MAX;
    if (mp != mb) return (mp > mb) - (mp < mb);
    return strcmp(p->key, b->key);
}

static int by_key(const void *x, const void *y)
{
    return strcmp(((const acc *)x)->key, ((const acc *)y)->key);
}

static void write_acc(zq_arena *a, zq_jw *w, const acc *g)
{
    trade_jw_wan(w, "forecast", true, g->f);
    trade_jw_wan(w, "actual", true, g->a);
    zq_jw_kint(w, "months", g->n);
    zq_jw_kstr(w, "mape", g->npct ? trade_tenths_str(a, (g->pct_sum + g->npct / 2) / g->npct) : NULL);
    zq_jw_kstr(w, "bias", trade_yoy_str(a, g->f, g->a));
}

static bool parse_ym(const char *s, int *out)
{
    trade_ym p;
    if (!trade_parse_ym(s, &p)) return false;
    *out = p.y * 100 + p.m;
    return true;
}

zq_err trade_accuracy(zq_req *q, zq_resp *r)
{
    const char *dir = zq_req_query(q, "direction"), *from = zq_req_query(q, "from"), *to = zq_req_query(q, "to");
    const char *region = zq_req_query(q, "region"), *grp = zq_req_query(q, "group");
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, 200);
    int lo = 200001, hi = 210012;
    if (!dir || !*dir) dir = "export";
    if (!grp || !*grp) grp = "firm";
    if (!trade_direction_ok(dir)) zq_fail_field(q, r, "direction", "请选择出口（export）或进口（import）");
    if (strcmp(grp, "firm") && strcmp(grp, "region") && strcmp(grp, "month"))
        zq_fail_field(q, r, "group", "分组只能是 firm、region 或 month");
    if (from && *from && !parse_ym(from, &lo)) zq_fail_field(q, r, "from", "开始月份格式应为 YYYY-MM");
    if (to && *to && !parse_ym(to, &hi)) zq_fail_field(q, r, "to", "结束月份格式应为 YYYY-MM");
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (r->err) return r->err;
    db_stmt *s = db_prepare(q->db, SQL_ROWS);
    if (!s) return trade_db_fail(q, r);
    db_bind_text(s, 1, dir, -1);
    db_bind_int64(s, 2, lo);
    db_bind_int64(s, 3, hi);
    db_bind_text(s, 4, zq_scope_value(q), -1);
    db_bind_text(s, 5, region ? region : "", -1);
    size_t cap = 256;
    int ng = 0;
    acc *g = malloc(cap * sizeof *g), all = {.key = ""};
    int rc;
    while (g && (rc = db_step(s)) == DB_ROW) {
        const char *key = strcmp(grp, "firm") == 0     ? db_col_text(s, 0)
                          : strcmp(grp, "region") == 0 ? db_col_text(s, 2)
                                                       : zq_arena_printf(q->arena, "%04lld-%02lld",
                                                                         (long long)db_col_int64(s, 3),
                                                                         (long long)db_col_int64(s, 4));
        acc *x = NULL;
        /* rows come per firm; other groupings look the key up */
        for (int i = strcmp(grp, "firm") == 0 ? (ng ? ng - 1 : 0) : 0; i < ng; i++)
            if (strcmp(g[i].key, key) == 0) x = &g[i];
        if (!x) {
            if ((size_t)ng == cap) {
                acc *grown = realloc(g, (cap *= 2) * sizeof *g);
                if (!grown) break;
                g = grown;
            }
            x = &g[ng++];
            memset(x, 0, sizeof *x);
            x->key = zq_arena_strdup(q->arena, key);
            x->name = strcmp(grp, "firm") == 0 ? zq_arena_strdup(q->arena, db_col_text(s, 1)) : NULL;
        }
        int64_t f = db_col_int64(s, 5), a = db_col_int64(s, 6);
        acc *both[2] = {x, &all};
        for (int k = 0; k < 2; k++) {
            both[k]->n++;
            both[k]->f += f;
            both[k]->a += a;
            if (a > 0) {
                both[k]->npct++;
                both[k]->pct_sum += (int64_t)(((__int128)llabs(f - a) * 1000 + a / 2) / a);
            }
        }
    }
    db_stmt_done(s);
    if (!g || rc != DB_DONE) {
        free(g);
        return trade_db_fail(q, r);
    }
    qsort(g, (size_t)ng, sizeof *g, strcmp(grp, "firm") == 0 ? by_mape : by_key);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "group", grp);
    zq_jw_key(&w, "overall");
    zq_jw_obj(&w);
    write_acc(q->arena, &w, &all);
    zq_jw_obj_end(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (int64_t i = (page - 1) * size; i < ng && i < page * size; i++) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "key", g[i].key);
        if (g[i].name) zq_jw_kstr(&w, "name", g[i].name);
        write_acc(q->arena, &w, &g[i]);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_kint(&w, "total", ng);
    zq_jw_kint(&w, "page", page);
    zq_jw_kint(&w, "page_size", size);
    zq_jw_obj_end(&w);
    free(g);
    return ZQ_OK;
}
