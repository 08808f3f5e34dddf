/*
 * clock.h — times as people read them. Stored times are unix seconds
 * (UTC); the platform shows them in Asia/Shanghai, which is UTC+8 all year
 * (no daylight saving), so no time-zone database is needed.
 */
#ifndef ZQ_CLOCK_H
#define ZQ_CLOCK_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"

#define ZQ_CST_OFFSET 28800   /* Asia/Shanghai − UTC, seconds */

/* "2024-05-01T10:00:00+08:00" (26 bytes with NUL). */
void zq_time_iso(int64_t t, char out[26]);
/* "10:00" in Asia/Shanghai (6 bytes). */
void zq_time_hm(int64_t t, char out[6]);
/* "2024-05-01 10:00:00" in Asia/Shanghai (20 bytes), for CLI output. */
void zq_time_local(int64_t t, char out[20]);
/* True if s is exactly "YYYY-MM-DD" naming a real Gregorian date with the
 * year in 1000..9999 (what forms accept: founding dates, certificates).
 * Fills y/m/d when non-NULL. Because the format is fixed, strcmp() orders
 * two valid dates correctly. */
bool zq_date_ymd(const char *s, int *y, int *m, int *d);
/* Strict "YYYY-MM-DD" (a real date, 1970–9999): *start gets the unix time
 * of that day's 00:00 in Asia/Shanghai. False on anything else. */
bool zq_date_parse(const char *s, int64_t *start);
/* "2026-12-08T09:00" with optional ":SS" and "+08:00" or "Z" (UTC) →
 * unix seconds; a time without an offset is Asia/Shanghai. False otherwise. */
bool zq_time_parse(const char *s, int64_t *out);
/* zq_time_parse with flags. ZQ_TIME_STRICT: exactly
 * "YYYY-MM-DDTHH:MM:SS+08:00", the form an API contract fixes (declaration
 * open and close times), nothing shorter, no "Z". */
#define ZQ_TIME_STRICT 1u
bool zq_time_parse_opt(const char *s, unsigned flags, int64_t *out);
/* Days since 1970-01-01 of a valid civil date (proleptic Gregorian). */
int64_t zq_days_from_civil(int y, int m, int d);
/* Today's date in Asia/Shanghai at unix time now, "YYYY-MM-DD" (11 bytes). */
void zq_today(int64_t now, char out[11]);
/* A wait for people: "45 秒" (up to 60), "3 分钟", "2 小时 5 分钟" (arena string;
 * minutes are rounded up so the wait is never understated). */
const char *zq_wait_text(zq_arena *a, int64_t seconds);

#endif
