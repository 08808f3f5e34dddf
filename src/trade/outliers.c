/*
 * outliers.c — flags a submitted report for the reviewer: the month's
 * forecast far from the firm's own history (more than 3 median absolute
 * deviations from its last 12 months, or over 5× / under 0.2× last year's
 * same month), or the cumulative figure smaller than the sum of the months
 * it has reported this year. Integer arithmetic throughout.
 */
#include "trade/trade_internal.h"
#include <stdlib.h>
#include <string.h>

static const char SQL_MONTHS_SUM[] =
    "SELECT COALESCE(SUM(month_amt), 0) FROM trade_report WHERE enterprise_id = $1 AND direction = $2 AND year = $3"
    " AND month <= $4 AND status IN ('pending', 'approved') AND month_amt IS NOT NULL AND id <> $5";

const char *trade_flag_reason(const char *code)
{
    if (strcmp(code, "history") == 0) return "本月预测偏离企业近12个月数据超过3倍中位数绝对偏差";
    if (strcmp(code, "ratio") == 0) return "本月预测超过去年同期的5倍或不足0.2倍";
    if (strcmp(code, "ytd") == 0) return "本年累计预测小于已申报各月预测之和";
    return "";
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* median of n sorted values, times 2 (keeps halves exact) */
static int64_t median2(int64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp64);
    return n % 2 ? 2 * v[n / 2] : v[n / 2 - 1] + v[n / 2];
}

int trade_outliers(db_conn *c, zq_arena *a, const trade_row *rowp, const trade_history *h, const char **flags)
{
    const trade_row row = *rowp;
    int rc;
    const char *out = "";
    int64_t x = row.amt[0];
    int64_t v[12], d[12];
    int n = 0;
    for (int k = 1; k <= 12; k++) {
        bool has;
        int64_t val = trade_history_at(h, trade_ym_add((trade_ym){row.year, row.month}, -k), &has);
        if (has) v[n++] = val;
    }
    if (n >= 3) {
        int64_t med2 = median2(v, n);
        for (int i = 0; i < n; i++) d[i] = llabs(2 * v[i] - med2);   /* 2 × |v − median| */
        int64_t mad4 = median2(d, n);                               /* 4 × MAD */
        /* |x − median| > 3 MAD  ⇔  4|x − median| > 3 · 4MAD */
        if (mad4 > 0 && 2 * llabs(2 * x - med2) > 3 * mad4) out = "history";
    }
    bool has_base;
    int64_t base = trade_history_at(h, (trade_ym){row.year - 1, row.month}, &has_base);
    if (has_base && base > 0 && (x > 5 * base || 5 * x < base))
        out = zq_arena_printf(a, "%s%sratio", out, *out ? " " : "");
    db_stmt *s = db_prepare(c, SQL_MONTHS_SUM);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, row.enterprise_id);
    db_bind_text(s, 2, row.direction, -1);
    db_bind_int64(s, 3, row.year);
    db_bind_int64(s, 4, row.month);
    db_bind_int64(s, 5, row.id);
    rc = db_step(s);
    /* the other reported months, and this one as it is being submitted */
    int64_t sum = (rc == DB_ROW ? db_col_int64(s, 0) : 0) + x;
    db_stmt_done(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if (row.amt[1] < sum) out = zq_arena_printf(a, "%s%sytd", out, *out ? " " : "");
    *flags = out;
    return DB_OK;
}
