/*
 * clock.c — Asia/Shanghai renderings of unix times (see clock.h).
 */
#include "core/clock.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static void cst_tm(int64_t t, struct tm *tm)
{
    time_t local = (time_t)(t + ZQ_CST_OFFSET);
    if (!gmtime_r(&local, tm)) memset(tm, 0, sizeof *tm);
}

/* Copies a rendering into out (cap bytes, always terminated). */
static void put(char *out, size_t cap, const char *s)
{
    size_t n = strnlen(s, cap - 1);
    memcpy(out, s, n);
    out[n] = '\0';
}

void zq_time_iso(int64_t t, char out[26])
{
    struct tm tm;
    char buf[96];
    cst_tm(t, &tm);
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    put(out, 26, buf);
}

void zq_time_hm(int64_t t, char out[6])
{
    struct tm tm;
    char buf[32];
    cst_tm(t, &tm);
    snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
    put(out, 6, buf);
}

void zq_time_local(int64_t t, char out[20])
{
    struct tm tm;
    char buf[96];
    cst_tm(t, &tm);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    put(out, 20, buf);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool zq_date_parse(const char *s, int64_t *start)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap)) return false;
    *start = days_from_civil(y, m, d) * 86400 - ZQ_CST_OFFSET;
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
