/*
 * deliver.h — the delivery side of notify/: sending the outbox (SMS
 * through the provider interface, WeChat subscription messages through the
 * WeChat client), with exponential back-off and a give-up limit, and the
 * worker thread of `zhengqi serve` that does it continuously and runs the
 * periodic tasks of schedule.h.
 */
#ifndef ZQ_JOBS_DELIVER_H
#define ZQ_JOBS_DELIVER_H
#include <stdint.h>
#include "http/context.h"
#include "db/db.h"

/* Attempts before a delivery is given up (status failed, last_error kept). */
#define JOBS_DELIVER_MAX_ATTEMPTS 5
/* Back-off after the k-th failed attempt: BASE * 2^(k-1) seconds. */
#define JOBS_DELIVER_BACKOFF_S 30

/* One pass, no thread (tests, bench): claims up to max due outbox rows
 * (FOR UPDATE SKIP LOCKED on PostgreSQL, one UPDATE … RETURNING on
 * SQLite), sends each, records the outcome. *sent (may be NULL) gets the
 * number delivered. DB_OK or a db_rc. A WeChat access token is fetched once
 * for the pass (the worker keeps it in the app context instead). */
int jobs_deliver_batch(db_conn *c, const zq_config *cfg, int64_t now, int max, int *sent);

/* The worker thread: delivers, runs due periodic tasks, then waits for
 * notify_kick or its tick (bounded). start returns NULL on failure. */
typedef struct jobs_worker jobs_worker;
jobs_worker *jobs_worker_start(zq_app *app, unsigned tick_s);
/* Wakes the thread (notify_kick calls this); NULL-safe, never blocks long. */
void jobs_worker_kick(jobs_worker *w);
/* Stops the thread after its current step (a send is bounded by its
 * timeout) and frees it. NULL-safe. */
void jobs_worker_stop(jobs_worker *w);

#endif
