/*
 * rate.h — fixed-window counters in the database, so every instance behind
 * the proxy sees the same counts (login throttling per IP, SMS limits, …).
 * Its own room under auth/ and sms/, which both count with it, so neither
 * reaches into the other for it.
 */
#ifndef ZQ_RATE_H
#define ZQ_RATE_H
#include <stdint.h>

struct db_conn;

/* Adds one to key's current window of `window` seconds; returns the new
 * count, or -1 on a database error. *retry_after (may be NULL) gets the
 * seconds until the window ends. */
int rate_hit(struct db_conn *db, const char *key, int64_t window, int64_t now, int64_t *retry_after);
/* Current count without adding (-1 on error). */
int rate_peek(struct db_conn *db, const char *key, int64_t window, int64_t now, int64_t *retry_after);
/* Forgets key's current window (e.g. after a successful login). */
int rate_clear(struct db_conn *db, const char *key, int64_t window, int64_t now);
/* Drops windows that ended before `before` (housekeeping). */
int rate_prune(struct db_conn *db, int64_t before);

#endif
