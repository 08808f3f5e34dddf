/*
 * prune.h — housekeeping: deletes rows that only ever served a time window
 * (SMS codes, rate counters, login locks, ended sessions, finished export progress) once the window
 * is long past, so the tables that every login and SMS request reads stay
 * small. Run by `zhengqi serve` every few minutes (jobs_runner) and by
 * `zhengqi prune` from cron. Idempotent and safe on several instances at
 * once: each statement is an independent, bounded DELETE.
 */
#ifndef ZQ_JOBS_PRUNE_H
#define ZQ_JOBS_PRUNE_H
#include <stdint.h>

struct db_conn;
struct db_pool;

typedef struct {
    int64_t sms_codes, rate_counters, login_locks, sessions, export_progress;
} jobs_pruned;

/* Deletes what expired before `now` minus each table's keep time. Returns 0
 * (counts in *out) or a negative db_rc. */
int jobs_prune(struct db_conn *db, int64_t now, jobs_pruned *out);

/* A background thread that calls jobs_prune every `interval` seconds on a
 * connection borrowed from pool. */
typedef struct jobs_runner jobs_runner;
jobs_runner *jobs_runner_start(struct db_pool *pool, unsigned interval);
/* Wakes the thread, waits for it to finish its current pass, frees it. */
void jobs_runner_stop(jobs_runner *r);

#endif
