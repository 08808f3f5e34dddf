/*
 * schedule.h — periodic tasks the delivery worker runs (monthly trade
 * schedules, publishing scheduled items, reminders). The list is fixed in
 * src/jobs/tasks.c, as routes.c lists route groups: a module adds one line
 * there. Each run is claimed through a conditional UPDATE on its
 * job_lease(name, until) row, so with several instances a task runs once
 * per period across all of them.
 */
#ifndef ZQ_JOBS_SCHEDULE_H
#define ZQ_JOBS_SCHEDULE_H
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

/* DB_OK or a db_rc. Runs on a pooled connection outside any transaction;
 * the task opens and commits its own. ctx is NULL today (room for the app). */
typedef int (*jobs_task_fn)(db_conn *c, int64_t now, void *ctx);   /* DB_OK or db_rc */
typedef struct { const char *name; jobs_task_fn fn; unsigned every_s; } jobs_task;
/* The fixed list of periodic tasks (like routes.c lists route groups): src/jobs/tasks.c. */
extern const jobs_task jobs_tasks[];
extern const size_t jobs_ntasks;

/* Runs every task whose lease has run out (claiming it for every_s
 * seconds first). *ran (may be NULL) gets how many ran. DB_OK or the
 * first db_rc (the other tasks still run). */
int jobs_run_due(db_conn *c, int64_t now, void *ctx, int *ran);

#endif
