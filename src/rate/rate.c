/*
 * rate.c — database-backed fixed-window counters (see rate.h).
 */
#include "rate/rate.h"
#include "db/db.h"

static const char SQL_HIT[] =
    "INSERT INTO rate_counter(key, window_start, count) VALUES ($1, $2, 1)"
    " ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counter.count + 1 RETURNING count";
static const char SQL_PEEK[] = "SELECT count FROM rate_counter WHERE key = $1 AND window_start = $2";
static const char SQL_CLEAR[] = "DELETE FROM rate_counter WHERE key = $1 AND window_start = $2";
static const char SQL_PRUNE[] = "DELETE FROM rate_counter WHERE window_start < $1";

static int run(db_conn *db, const char *sql, const char *key, int64_t window, int64_t now, int64_t *retry_after)
{
    int64_t start = now - now % window;
    if (retry_after) *retry_after = start + window - now;
    db_stmt *s = db_prepare(db, sql);
    if (!s) return -1;
    db_bind_text(s, 1, key, -1);
    db_bind_int64(s, 2, start);
    int rc = db_step(s);
    int count = rc == DB_ROW ? (int)db_col_int64(s, 0) : rc == DB_DONE ? 0 : -1;
    db_stmt_done(s);
    return count;
}

int rate_hit(db_conn *db, const char *key, int64_t window, int64_t now, int64_t *retry_after)
{
    return run(db, SQL_HIT, key, window, now, retry_after);
}

int rate_peek(db_conn *db, const char *key, int64_t window, int64_t now, int64_t *retry_after)
{
    return run(db, SQL_PEEK, key, window, now, retry_after);
}

int rate_clear(db_conn *db, const char *key, int64_t window, int64_t now)
{
    return run(db, SQL_CLEAR, key, window, now, NULL) < 0 ? -1 : 0;
}

int rate_prune(db_conn *db, int64_t before)
{
    db_stmt *s = db_prepare(db, SQL_PRUNE);
    if (!s) return -1;
    db_bind_int64(s, 1, before);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? 0 : -1;
}
