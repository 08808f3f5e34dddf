/*
 * notify_jobs.h — notify/'s periodic task for the list in jobs/tasks.c.
 */
#ifndef ZQ_NOTIFY_JOBS_H
#define ZQ_NOTIFY_JOBS_H
#include <stdint.h>
#include "db/db.h"

/* Days finished deliveries (sent, failed, skipped) stay visible to staff. */
#define NOTIFY_OUTBOX_KEEP_DAYS 180

/* Deletes finished outbox rows older than the keep time, in bounded
 * batches. DB_OK or a db_rc. */
int notify_prune_task(db_conn *c, int64_t now, void *ctx);

#endif
