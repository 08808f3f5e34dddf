/*
 * base.c — 去年同期 for a firm: per month the customs actual imported by the
 * bureau, else the firm's own approved forecast of that month, else
 * nothing (then the base is 0 and YoY shows 「—」). 本年累计 and 下季度 sum
 * the months. The same months are the firm's history for outlier flags.
 */
#include "trade/trade_internal.h"
#include <string.h>

static const char SQL_ACTUALS[] =
    "SELECT year, month, amount FROM trade_actual WHERE enterprise_id = $1 AND direction = $2"
    " AND year >= $3 AND year <= $4";
static const char SQL_APPROVED[] =
    "SELECT year, month, month_amt FROM trade_report WHERE enterprise_id = $1 AND direction = $2"
    " AND year >= $3 AND year <= $4 AND status = 'approved' AND month_amt IS NOT NULL ORDER BY id";

static int load(db_conn *c, const char *sql, int64_t eid, const char *dir, trade_history *h, bool actual)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, eid);
    db_bind_text(s, 2, dir, -1);
    db_bind_int64(s, 3, h->y0);
    db_bind_int64(s, 4, h->y0 + 3);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t y = db_col_int64(s, 0), m = db_col_int64(s, 1);
        if (m < 1 || m > 12 || y < h->y0 || y > h->y0 + 3) continue;
        int i = (int)((y - h->y0) * 12 + m - 1);
        if (!actual && h->actual[i]) continue;   /* an actual outranks a forecast */
        h->v[i] = db_col_int64(s, 2);
        h->has[i] = true;
        h->actual[i] = actual;
    }
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

int trade_history_load(db_conn *c, int64_t enterprise_id, const char *direction, int year, trade_history *h)
{
    memset(h, 0, sizeof *h);
    h->y0 = year - 2;
    int rc = load(c, SQL_ACTUALS, enterprise_id, direction, h, true);
    if (rc == DB_OK) rc = load(c, SQL_APPROVED, enterprise_id, direction, h, false);
    return rc;
}

int64_t trade_history_at(const trade_history *h, trade_ym p, bool *has)
{
    int i = (p.y - h->y0) * 12 + p.m - 1;
    bool ok = i >= 0 && i < 48 && h->has[i];
    if (has) *has = ok;
    return ok ? h->v[i] : 0;
}

void trade_bases_compute(const trade_history *h, trade_ym p, trade_bases *out)
{
    memset(out, 0, sizeof *out);
    out->period = p;
    out->base_month = trade_history_at(h, (trade_ym){p.y - 1, p.m}, NULL);
    for (int m = 1; m <= p.m; m++) out->base_ytd += trade_history_at(h, (trade_ym){p.y - 1, m}, NULL);
    out->next_month = trade_ym_add(p, 1);
    out->base_next_month = trade_history_at(h, (trade_ym){out->next_month.y - 1, out->next_month.m}, NULL);
    out->nq_first = trade_next_quarter(p, &out->quarter);
    for (int k = 0; k < 3; k++) {
        trade_ym q = trade_ym_add(out->nq_first, k);
        out->base_next_quarter += trade_history_at(h, (trade_ym){q.y - 1, q.m}, NULL);
    }
}
