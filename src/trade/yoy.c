/*
 * yoy.c — the calendar of a forecast (下月 and 下季度 across the year end)
 * and year-on-year change over exact integer 元. No floating point: the
 * thresholds are compared as cross-multiplied integers, so exactly −20 %
 * is not "below −20 %" whatever the amounts.
 */
#include "trade/trade_internal.h"
#include "core/text.h"
#include <stdio.h>
#include <string.h>

trade_ym trade_ym_add(trade_ym p, int months)
{
    int idx = p.y * 12 + (p.m - 1) + months;
    return (trade_ym){idx / 12, idx % 12 + 1};
}

trade_ym trade_next_quarter(trade_ym p, int *quarter)
{
    int q = (p.m - 1) / 3 + 1;           /* this month's quarter */
    trade_ym first = {p.y, q * 3 + 1};
    if (q == 4) first = (trade_ym){p.y + 1, 1};
    if (quarter) *quarter = q == 4 ? 1 : q + 1;
    return first;
}

const char *trade_quarter_label(int quarter)
{
    static const char *const labels[] = {"第一季度1-3月", "第二季度4-6月", "第三季度7-9月", "第四季度10-12月"};
    return quarter >= 1 && quarter <= 4 ? labels[quarter - 1] : "";
}

bool trade_direction_ok(const char *d)
{
    return d && (strcmp(d, "export") == 0 || strcmp(d, "import") == 0);
}

const char *trade_direction_name(const char *d)
{
    return d && strcmp(d, "import") == 0 ? "进口" : "出口";
}

bool trade_yoy_tenths(int64_t cur, int64_t base, int64_t *tenths)
{
    if (base <= 0) return false;
    __int128 num = (__int128)(cur - base) * 1000;
    __int128 q = num / base, rem = num % base;
    /* half away from zero: |rem| * 2 >= base */
    if (rem != 0 && (rem < 0 ? -rem : rem) * 2 >= base) q += num < 0 ? -1 : 1;
    *tenths = (int64_t)q;
    return true;
}

const char *trade_tenths_str(zq_arena *a, int64_t t)
{
    uint64_t m = t < 0 ? (uint64_t)(-(t + 1)) + 1 : (uint64_t)t;
    return zq_arena_printf(a, "%s%llu.%llu", t < 0 ? "-" : "", (unsigned long long)(m / 10),
                           (unsigned long long)(m % 10));
}

const char *trade_yoy_str(zq_arena *a, int64_t cur, int64_t base)
{
    int64_t t;
    return trade_yoy_tenths(cur, base, &t) ? trade_tenths_str(a, t) : NULL;
}

bool trade_beyond(int64_t cur, int64_t base, int down, int up)
{
    if (base <= 0) return false;
    __int128 d = (__int128)(cur - base) * 1000;
    return d < -(__int128)down * base || d > (__int128)up * base;
}

const char *trade_wan(zq_arena *a, int64_t yuan)
{
    uint64_t m = yuan < 0 ? (uint64_t)(-(yuan + 1)) + 1 : (uint64_t)yuan;
    return zq_arena_printf(a, "%s%llu.%04llu", yuan < 0 ? "-" : "", (unsigned long long)(m / 10000),
                           (unsigned long long)(m % 10000));
}

void trade_jw_wan(zq_jw *w, const char *key, bool has, int64_t yuan)
{
    char buf[40];
    zq_jw_key(w, key);
    if (!has) {
        zq_jw_null(w);
        return;
    }
    uint64_t m = yuan < 0 ? (uint64_t)(-(yuan + 1)) + 1 : (uint64_t)yuan;
    snprintf(buf, sizeof buf, "%s%llu.%04llu", yuan < 0 ? "-" : "", (unsigned long long)(m / 10000),
             (unsigned long long)(m % 10000));
    zq_jw_str(w, buf);
}

bool trade_parse_ym(const char *s, trade_ym *p)
{
    int64_t y, m;
    char buf[8];
    if (!s || strlen(s) != 7 || s[4] != '-') return false;
    memcpy(buf, s, 4);
    buf[4] = 0;
    if (!zq_parse_int64(buf, 2000, 2100, &y) || !zq_parse_int64(s + 5, 1, 12, &m)) return false;
    *p = (trade_ym){(int)y, (int)m};
    return true;
}
