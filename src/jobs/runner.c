/*
 * runner.c — the housekeeping thread of `zhengqi serve` (see prune.h). It
 * sleeps on a condition variable rather than sleep() so that shutdown does
 * not wait out the interval.
 */
#include "jobs/prune.h"
#include "db/db.h"
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct jobs_runner {
    db_pool *pool;
    unsigned interval;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
};

static void pass(jobs_runner *r)
{
    db_conn *c = db_pool_acquire(r->pool);
    if (!c) return;
    jobs_pruned p;
    int rc = jobs_prune(c, (int64_t)time(NULL), &p);
    db_pool_release(r->pool, c);
    if (rc != DB_OK)
        fprintf(stderr, "zhengqi: housekeeping failed (%d)\n", rc);
    else if (p.sms_codes + p.rate_counters + p.login_locks + p.sessions + p.export_progress)
        fprintf(stderr, "zhengqi: housekeeping removed %" PRId64 " sms codes, %" PRId64 " rate counters, %" PRId64
                        " login locks, %" PRId64 " sessions, %" PRId64 " export progress rows\n", p.sms_codes, p.rate_counters,
                        p.login_locks, p.sessions, p.export_progress);
}

static void *loop(void *arg)
{
    jobs_runner *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        pthread_mutex_unlock(&r->mu);
        pass(r);
        pthread_mutex_lock(&r->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += r->interval;
        while (!r->stop && pthread_cond_timedwait(&r->cv, &r->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

jobs_runner *jobs_runner_start(db_pool *pool, unsigned interval)
{
    jobs_runner *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->pool = pool;
    r->interval = interval ? interval : 600;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (pthread_create(&r->thread, NULL, loop, r) != 0) {
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->mu);
        free(r);
        return NULL;
    }
    return r;
}

void jobs_runner_stop(jobs_runner *r)
{
    if (!r) return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
}
