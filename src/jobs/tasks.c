/*
 * tasks.c — the fixed list of periodic tasks the delivery worker runs, and
 * the lease that runs each once per period across instances. A module
 * adds its task as one line in jobs_tasks[] (as routes.c lists route
 * groups); the function lives in the module.
 */
#include "jobs/schedule.h"
#include "declare/declare.h"
#include "consult/consult.h"
#include "notify/notify_jobs.h"
#include "policy/policy.h"
#include "survey/survey.h"
#include "trade/trade.h"
#include <stdio.h>

const jobs_task jobs_tasks[] = {
    {"notify.prune", notify_prune_task, 3600},
    {"declaration.remind", decl_remind_task, 3600},
    {"policy.publish_due", policy_publish_due, 30},
    {"trade.schedule", trade_schedule_task, 300},
    {"trade.remind", trade_remind_task, 3600},
    {"survey.remind_due", survey_remind_due, 3600},
    {"consult.escalate", consult_escalate_due, 300},
};
const size_t jobs_ntasks = sizeof jobs_tasks / sizeof jobs_tasks[0];

/* The row exists once; a lost race to create it is harmless. */
static const char SQL_LEASE_ROW[] = "INSERT INTO job_lease(name, until, ran_at) VALUES ($1, 0, 0) ON CONFLICT (name) DO NOTHING";
/* The claim: only the instance whose UPDATE sees the old lease expired
 * changes the row; the others see 0 rows changed and skip the run. */
static const char SQL_LEASE_TAKE[] = "UPDATE job_lease SET until = $2, ran_at = $3 WHERE name = $1 AND until <= $3";

/* 1 when this instance holds the task's run until now + every_s, 0 when
 * another does, or a db_rc. */
static int lease_take(db_conn *c, const jobs_task *t, int64_t now)
{
    db_stmt *s = db_prepare(c, SQL_LEASE_ROW);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, t->name, -1);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if (!(s = db_prepare(c, SQL_LEASE_TAKE))) return DB_ERR;
    db_bind_text(s, 1, t->name, -1);
    db_bind_int64(s, 2, now + (int64_t)t->every_s);
    db_bind_int64(s, 3, now);
    rc = db_step(s);
    int64_t got = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    return got == 1;
}

int jobs_run_due(db_conn *c, int64_t now, void *ctx, int *ran)
{
    int first = DB_OK, n = 0;
    for (size_t i = 0; i < jobs_ntasks; i++) {
        const jobs_task *t = &jobs_tasks[i];
        int got = lease_take(c, t, now);
        if (got < 0) {
            if (first == DB_OK) first = got;
            continue;
        }
        if (!got) continue;
        int rc = t->fn(c, now, ctx);
        /* a task that failed half-way must not leave its transaction open
         * on the pooled connection */
        if (db_in_tx(c)) db_rollback(c);
        if (rc != DB_OK) {
            fprintf(stderr, "zhengqi: task %s failed (%d)\n", t->name, rc);
            if (first == DB_OK) first = rc;
        }
        n++;
    }
    if (ran) *ran = n;
    return first;
}
