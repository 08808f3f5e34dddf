/*
 * worker.c — the delivery worker thread of `zhengqi serve`: outbox passes
 * until nothing is due, the periodic tasks whose lease ran out, then a
 * sleep on a condition variable until notify_kick or the tick. Every wait
 * has a deadline (pool acquire, condition wait, each send's timeout), and
 * stop is checked between sends, so shutdown never waits out a backlog.
 */
#include "jobs/deliver.h"
#include "jobs/deliver_internal.h"
#include "jobs/schedule.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Passes per wake-up before the tasks get their turn. */
#define PASSES_PER_WAKE 200

struct jobs_worker {
    zq_app *app;
    unsigned tick_s;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool kicked;
    atomic_bool stop;
};

static void work(jobs_worker *w)
{
    db_conn *c = db_pool_acquire(w->app->pool);
    if (!c) return; /* the pool's own deadline passed: try at the next tick */
    for (int i = 0; i < PASSES_PER_WAKE && !atomic_load(&w->stop); i++) {
        int64_t now = (int64_t)time(NULL);
        int sent = 0;
        int rc = jobs_deliver_pass(c, &w->app->cfg, w->app->wechat, now, JOBS_DELIVER_PASS_MAX, &w->stop, &sent);
        if (rc != DB_OK) {
            fprintf(stderr, "zhengqi: delivery pass failed (%d): %s\n", rc, db_errmsg(c));
            break;
        }
        /* nothing went out (every due row is held by another instance, or
         * failed into its back-off) or nothing is left: wait for the tick */
        if (sent == 0 || jobs_deliver_due(c, now) <= 0) break;
    }
    if (!atomic_load(&w->stop)) jobs_run_due(c, (int64_t)time(NULL), w->app, NULL);
    db_pool_release(w->app->pool, c);
}

static void *loop(void *arg)
{
    jobs_worker *w = arg;
    while (!atomic_load(&w->stop)) {
        work(w);
        pthread_mutex_lock(&w->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += w->tick_s;
        while (!w->kicked && !atomic_load(&w->stop) && pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0) {
        }
        w->kicked = false;
        pthread_mutex_unlock(&w->mu);
    }
    return NULL;
}

jobs_worker *jobs_worker_start(zq_app *app, unsigned tick_s)
{
    jobs_worker *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->app = app;
    w->tick_s = tick_s ? tick_s : 5;
    atomic_init(&w->stop, false);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, loop, w) != 0) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    return w;
}

void jobs_worker_kick(jobs_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->kicked = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void jobs_worker_stop(jobs_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    atomic_store(&w->stop, true);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}
