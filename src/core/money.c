/*
 * money.c — 万元 decimal strings to and from integer 元 (see money.h).
 */
#include "core/money.h"
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#define MONEY_MAX_INT_DIGITS 12

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

zq_money_rc zq_wan_to_yuan(const char *s, int64_t *yuan)
{
    if (!s || !*s) return ZQ_MONEY_FORMAT;
    if (s[0] == '-') return ZQ_MONEY_NEGATIVE;
    const char *p = s;
    int64_t whole = 0;
    int int_digits = 0, sig_digits = 0;
    while (is_digit(*p)) {
        if (sig_digits || *p != '0') sig_digits++;
        if (sig_digits > MONEY_MAX_INT_DIGITS) return ZQ_MONEY_RANGE;
        whole = whole * 10 + (*p - '0');
        int_digits++;
        p++;
    }
    if (int_digits == 0) return ZQ_MONEY_FORMAT;
    int64_t frac = 0;
    int frac_digits = 0;
    if (*p == '.') {
        p++;
        while (is_digit(*p)) {
            if (++frac_digits > 4) {
                /* keep scanning so "1.2x" still reads as a format error */
                while (is_digit(*p)) p++;
                return *p ? ZQ_MONEY_FORMAT : ZQ_MONEY_DECIMALS;
            }
            frac = frac * 10 + (*p - '0');
            p++;
        }
        if (frac_digits == 0) return ZQ_MONEY_FORMAT;
    }
    if (*p) return ZQ_MONEY_FORMAT;
    for (int i = frac_digits; i < 4; i++) frac *= 10;
    /* ≤ 12 digits of 万元: whole * 10^4 + frac < 10^16, far inside int64 */
    *yuan = whole * 10000 + frac;
    return ZQ_MONEY_OK;
}

void zq_yuan_to_wan(int64_t yuan, char out[32])
{
    /* |INT64_MIN| does not fit; work in unsigned */
    uint64_t v = yuan < 0 ? (uint64_t)0 - (uint64_t)yuan : (uint64_t)yuan;
    uint64_t whole = v / 10000, frac = v % 10000;
    int n = snprintf(out, 32, "%s%" PRIu64, yuan < 0 ? "-" : "", whole);
    if (frac) {
        char f[8];
        snprintf(f, sizeof f, "%04" PRIu64, frac);
        size_t len = 4;
        while (len > 0 && f[len - 1] == '0') len--;
        f[len] = '\0';
        snprintf(out + n, 32 - (size_t)n, ".%s", f);
    }
}

const char *zq_money_message(zq_money_rc rc)
{
    switch (rc) {
    case ZQ_MONEY_OK: return NULL;
    case ZQ_MONEY_FORMAT: return "请输入数字金额（单位：万元），如 100 或 12.5";
    case ZQ_MONEY_NEGATIVE: return "金额不能为负数";
    case ZQ_MONEY_DECIMALS: return "金额最多保留 4 位小数";
    case ZQ_MONEY_RANGE: return "金额超出允许范围";
    }
    return "金额格式不正确";
}
