/*
 * clock.c — Asia/Shanghai renderings and parses of dates and unix times
 * (see clock.h). Plain calendar arithmetic (Howard Hinnant's civil-date
 * algorithms) rather than gmtime: the fixed UTC+8 needs no time-zone
 * database, and the arithmetic works for any year a form may carry.
 */
#include "core/clock.h"
#include <stdio.h>
#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

int64_t zq_days_from_civil(int y, int m, int d)
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

static char *put_hms(char *p, int secs, bool with_seconds)
{
    p = put_digits(p, secs / 3600, 2);
    *p++ = ':';
    p = put_digits(p, secs / 60 % 60, 2);
    if (with_seconds) {
        *p++ = ':';
        p = put_digits(p, secs % 60, 2);
    }
    return p;
}

/* Splits t into its Asia/Shanghai day number and second of that day. */
static int64_t local_day(int64_t t, int *secs)
{
    int64_t local = t + ZQ_CST_OFFSET;
    int64_t days = floor_div(local, 86400);
    *secs = (int)(local - days * 86400);
    return days;
}

void zq_time_iso(int64_t t, char out[26])
{
    int secs;
    char *p = put_date(out, local_day(t, &secs));
    *p++ = 'T';
    p = put_hms(p, secs, true);
    memcpy(p, "+08:00", 7);
}

void zq_time_hm(int64_t t, char out[6])
{
    int secs;
    local_day(t, &secs);
    *put_hms(out, secs, false) = '\0';
}

void zq_time_local(int64_t t, char out[20])
{
    int secs;
    char *p = put_date(out, local_day(t, &secs));
    *p++ = ' ';
    *put_hms(p, secs, true) = '\0';
}

void zq_today(int64_t now, char out[11])
{
    int secs;
    *put_date(out, local_day(now, &secs)) = '\0';
}

bool zq_date_ymd(const char *s, int *y, int *m, int *d)
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

bool zq_date_parse(const char *s, int64_t *start)
{
    int y, m, d;
    if (!zq_date_ymd(s, &y, &m, &d) || y < 1970) return false;
    *start = zq_days_from_civil(y, m, d) * 86400 - ZQ_CST_OFFSET;
    return true;
}

const char *zq_wait_text(zq_arena *a, int64_t seconds)
{
    if (seconds < 1) seconds = 1;
    if (seconds <= 60) return zq_arena_printf(a, "%lld 秒", (long long)seconds);
    int64_t minutes = (seconds + 59) / 60;
    if (minutes < 60) return zq_arena_printf(a, "%lld 分钟", (long long)minutes);
    int64_t h = minutes / 60, m = minutes % 60;
    if (!m) return zq_arena_printf(a, "%lld 小时", (long long)h);
    return zq_arena_printf(a, "%lld 小时 %lld 分钟", (long long)h, (long long)m);
}

/* n ASCII digits at s, as a number; -1 when any is not a digit (sscanf's
 * %d would take a sign or a space). */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool zq_time_parse_opt(const char *s, unsigned flags, int64_t *out)
{
    size_t len = s ? strlen(s) : 0;
    bool strict = flags & ZQ_TIME_STRICT;
    if (strict ? len != 25 : len < 16 || len > 25) return false;
    if (s[10] != 'T' || s[13] != ':') return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    int64_t day;
    if (!zq_date_parse(date, &day)) return false;
    int hh = digits(s + 11, 2), mm = digits(s + 14, 2), ss = 0;
    const char *p = s + 16;
    if (*p == ':') {
        ss = digits(p + 1, 2);
        p += 3;
    } else if (strict) {
        return false;
    }
    if (hh < 0 || mm < 0 || ss < 0 || hh > 23 || mm > 59 || ss > 59) return false;
    int64_t t = day + hh * 3600 + mm * 60 + ss;
    if (*p == 'Z' && !p[1] && !strict) t += ZQ_CST_OFFSET;
    else if ((*p || strict) && strcmp(p, "+08:00") != 0) return false;
    *out = t;
    return true;
}

bool zq_time_parse(const char *s, int64_t *out)
{
    return zq_time_parse_opt(s, 0, out);
}
