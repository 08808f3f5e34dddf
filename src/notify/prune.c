/*
 * prune.c — keeps the outbox small: finished deliveries older than
 * NOTIFY_OUTBOX_KEEP_DAYS are deleted, a bounded batch per statement so the
 * write lock is never held long. Pending ones are never touched.
 */
#include "notify/notify_jobs.h"

#define PRUNE_BATCH 5000
#define PRUNE_ROUNDS 20

static const char SQL_PRUNE[] =
    "DELETE FROM notify_outbox WHERE id IN (SELECT id FROM notify_outbox WHERE status IN ('sent','failed','skipped')"
    " AND created_at < $1 ORDER BY id LIMIT $2)";

int notify_prune_task(db_conn *c, int64_t now, void *ctx)
{
    (void)ctx;
    for (int round = 0; round < PRUNE_ROUNDS; round++) {
        db_stmt *s = db_prepare(c, SQL_PRUNE);
        if (!s) return DB_ERR;
        db_bind_int64(s, 1, now - (int64_t)NOTIFY_OUTBOX_KEEP_DAYS * 86400);
        db_bind_int64(s, 2, PRUNE_BATCH);
        int rc = db_step(s);
        int64_t n = rc == DB_DONE ? db_changes(s) : 0;
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
        if (n < PRUNE_BATCH) break;
    }
    return DB_OK;
}
