/*
 * validate.c — value checks for enterprise forms (see validate.h).
 */
#include "enterprise/validate.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* GB 32100-2015: 31 characters, I O S V Z left out to avoid misreading. */
static const char USCC_ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/* 3^(i-1) mod 31 for positions 1..17 */
static const int USCC_WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int uscc_value(char c)
{
    for (int i = 0; i < 31; i++)
        if (USCC_ALPHABET[i] == c) return i;
    return -1;
}

static char ascii_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char ent_uscc_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(first17[i]);
        if (v < 0) return '\0';
        sum += v * USCC_WEIGHTS[i];
    }
    return USCC_ALPHABET[(31 - sum % 31) % 31];
}

ent_uscc_rc ent_uscc_normalize(const char *in, char out[19])
{
    char tmp[19];
    if (!in || strlen(in) != 18) return ENT_USCC_LENGTH;
    for (int i = 0; i < 18; i++) {
        tmp[i] = ascii_upper(in[i]);
        if (uscc_value(tmp[i]) < 0) return ENT_USCC_CHAR;
    }
    tmp[18] = '\0';
    if (ent_uscc_check_char(tmp) != tmp[17]) return ENT_USCC_CHECK;
    memcpy(out, tmp, sizeof tmp);
    return ENT_USCC_OK;
}

const char *ent_uscc_message(ent_uscc_rc rc)
{
    switch (rc) {
    case ENT_USCC_OK: return NULL;
    case ENT_USCC_LENGTH: return "统一社会信用代码应为 18 位";
    case ENT_USCC_CHAR: return "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）";
    case ENT_USCC_CHECK: return "统一社会信用代码校验位不正确，请核对后重新输入";
    }
    return "统一社会信用代码不正确";
}

bool ent_mobile_valid(const char *s)
{
    if (!s || strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9') return false;
    for (int i = 2; i < 11; i++)
        if (!is_digit(s[i])) return false;
    return true;
}

static bool email_local_char(char c)
{
    return is_alpha(c) || is_digit(c) || (c && strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

bool ent_email_valid(const char *s)
{
    if (!s) return false;
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n > 120 || !at || strchr(at + 1, '@')) return false;
    size_t local = (size_t)(at - s);
    if (local == 0 || local > 64 || s[0] == '.' || at[-1] == '.') return false;
    for (size_t i = 0; i < local; i++) {
        if (!email_local_char(s[i])) return false;
        if (s[i] == '.' && s[i + 1] == '.') return false;
    }
    const char *d = at + 1;
    int labels = 0;
    const char *label = d;
    for (const char *p = d;; p++) {
        if (*p == '.' || *p == '\0') {
            size_t len = (size_t)(p - label);
            if (len == 0 || len > 63 || label[0] == '-' || p[-1] == '-') return false;
            labels++;
            if (*p == '\0') break;
            label = p + 1;
        } else if (!is_alpha(*p) && !is_digit(*p) && *p != '-') {
            return false;
        }
    }
    if (labels < 2) return false;
    size_t tld = strlen(label);
    if (tld < 2) return false;
    for (size_t i = 0; i < tld; i++)
        if (!is_alpha(label[i])) return false;
    return true;
}

bool ent_customs_code_normalize(const char *s, char out[11])
{
    if (!s || strlen(s) != 10) return false;
    for (int i = 0; i < 10; i++)
        if (!is_alpha(s[i]) && !is_digit(s[i])) return false;
    for (int i = 0; i < 10; i++) out[i] = ascii_upper(s[i]);
    out[10] = '\0';
    return true;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool ent_date_parse(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i])) return false;
    int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int mm = (s[5] - '0') * 10 + (s[6] - '0');
    int dd = (s[8] - '0') * 10 + (s[9] - '0');
    if (yy < 1000 || mm < 1 || mm > 12 || dd < 1 || dd > month_days(yy, mm)) return false;
    if (y) *y = yy;
    if (m) *m = mm;
    if (d) *d = dd;
    return true;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t ent_days_from_civil(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

#define SHANGHAI_OFFSET (8 * 3600)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Fixed-width decimal digits (the value is clamped into range first). */
static char *put_digits(char *p, int v, int width)
{
    int max = width == 4 ? 9999 : 99;
    if (v < 0) v = 0;
    if (v > max) v = max;
    for (int i = width - 1; i >= 0; i--, v /= 10) p[i] = (char)('0' + v % 10);
    return p + width;
}

static char *put_date(char *p, int64_t days)
{
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    p = put_digits(p, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    return put_digits(p, d, 2);
}

void ent_today_shanghai(int64_t now, char out[11])
{
    *put_date(out, floor_div(now + SHANGHAI_OFFSET, 86400)) = '\0';
}

void ent_time_iso(int64_t t, char out[26])
{
    int64_t local = t + SHANGHAI_OFFSET;
    int64_t days = floor_div(local, 86400);
    int secs = (int)(local - days * 86400);
    char *p = put_date(out, days);
    *p++ = 'T';
    p = put_digits(p, secs / 3600, 2);
    *p++ = ':';
    p = put_digits(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, secs % 60, 2);
    memcpy(p, "+08:00", 7);
}

#define MONEY_MAX_INT_DIGITS 12

ent_money_rc ent_money_wan_to_yuan(const char *s, int64_t *yuan)
{
    if (!s || !*s) return ENT_MONEY_FORMAT;
    if (s[0] == '-') return ENT_MONEY_NEGATIVE;
    const char *p = s;
    int64_t whole = 0;
    int int_digits = 0, sig_digits = 0;
    while (is_digit(*p)) {
        if (sig_digits || *p != '0') sig_digits++;
        if (sig_digits > MONEY_MAX_INT_DIGITS) return ENT_MONEY_RANGE;
        whole = whole * 10 + (*p - '0');
        int_digits++;
        p++;
    }
    if (int_digits == 0) return ENT_MONEY_FORMAT;
    int64_t frac = 0;
    int frac_digits = 0;
    if (*p == '.') {
        p++;
        while (is_digit(*p)) {
            if (++frac_digits > 4) {
                /* keep scanning so "1.2x" still reads as a format error */
                while (is_digit(*p)) p++;
                return *p ? ENT_MONEY_FORMAT : ENT_MONEY_DECIMALS;
            }
            frac = frac * 10 + (*p - '0');
            p++;
        }
        if (frac_digits == 0) return ENT_MONEY_FORMAT;
    }
    if (*p) return ENT_MONEY_FORMAT;
    for (int i = frac_digits; i < 4; i++) frac *= 10;
    /* ≤ 12 digits of 万元: whole * 10^4 + frac < 10^16, far inside int64 */
    *yuan = whole * 10000 + frac;
    return ENT_MONEY_OK;
}

void ent_money_yuan_to_wan(int64_t yuan, char out[32])
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

const char *ent_money_message(ent_money_rc rc)
{
    switch (rc) {
    case ENT_MONEY_OK: return NULL;
    case ENT_MONEY_FORMAT: return "请输入数字金额（单位：万元），如 100 或 12.5";
    case ENT_MONEY_NEGATIVE: return "金额不能为负数";
    case ENT_MONEY_DECIMALS: return "金额最多保留 4 位小数";
    case ENT_MONEY_RANGE: return "金额超出允许范围";
    }
    return "金额格式不正确";
}
