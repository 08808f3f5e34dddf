/*
 * pool.c — a fixed set of connections shared by the HTTP worker threads
 * (mutex + condition variable). acquire waits for an idle one, but never
 * past the pool's deadline: a caller that cannot get a connection in time
 * gets NULL (the pipeline answers 503) instead of waiting for good on a
 * connection that only another stuck thread could give back. release
 * rolls back a transaction left open, resets statements left in use, and
 * reopens a PostgreSQL connection found broken, so a database restart heals
 * without restarting zhengqi. Reconnecting happens outside the lock.
 */
#include <assert.h>
#include "db/db_internal.h"
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct db_gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;   /* on the monotonic clock */
    bool busy;           /* a connection of the pool is in a write transaction */
};

db_gate *db_gate_new(void)
{
    db_gate *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    pthread_condattr_t ca;
    bool ok = pthread_mutex_init(&g->mu, NULL) == 0;
    if (ok && pthread_condattr_init(&ca) == 0) {
        ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&g->cv, &ca) == 0;
        pthread_condattr_destroy(&ca);
        if (ok) return g;
        pthread_mutex_destroy(&g->mu);
    } else if (ok) {
        pthread_mutex_destroy(&g->mu);
    }
    free(g);
    return NULL;
}

void db_gate_free(db_gate *g)
{
    if (!g) return;
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

int db_gate_enter(db_gate *g, unsigned ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&g->mu);
    while (g->busy) {
        if (pthread_cond_timedwait(&g->cv, &g->mu, &until) == ETIMEDOUT && g->busy) {
            pthread_mutex_unlock(&g->mu);
            return -1;
        }
    }
    g->busy = true;
    pthread_mutex_unlock(&g->mu);
    return 0;
}

void db_gate_leave(db_gate *g)
{
    pthread_mutex_lock(&g->mu);
    g->busy = false;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

struct db_pool {
    db_gate *gate;   /* SQLite: one writer of the pool at a time (db_internal.h) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *url;
    db_engine engine;
    int n, nidle;
    unsigned wait_ms; /* longest acquire wait; see db_pool_set_wait */
    uint64_t timeouts; /* acquires that gave up at the deadline */
    db_conn **all;   /* every connection the pool owns */
    db_conn **idle;  /* stack of connections ready to hand out */
    bool sync_ok;    /* mu and cv initialised */
};

db_pool *db_pool_open(const char *url, int n, char *err, size_t errlen)
{
    db_pool *p = NULL;
    if (n < 1) {
        snprintf(err, errlen, "pool size must be at least 1");
        return NULL;
    }
    if (!db_url_engine(url)) {
        snprintf(err, errlen, "unknown database URL (want sqlite:PATH or postgres://…)");
        return NULL;
    }
    p = calloc(1, sizeof *p);
    if (!p) goto oom;
    p->engine = db_url_engine(url);
    p->url = strdup(url);
    p->all = calloc((size_t)n, sizeof *p->all);
    p->idle = calloc((size_t)n, sizeof *p->idle);
    if (!p->url || !p->all || !p->idle) goto oom;
    if (pthread_mutex_init(&p->mu, NULL) != 0) goto oom;
    /* the deadline is measured on the monotonic clock: a wall-clock jump
     * must neither cut a wait short nor stretch it */
    pthread_condattr_t ca;
    if (pthread_condattr_init(&ca) != 0) {
        pthread_mutex_destroy(&p->mu);
        goto oom;
    }
    int cv_rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (cv_rc == 0) cv_rc = pthread_cond_init(&p->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (cv_rc != 0) {
        pthread_mutex_destroy(&p->mu);
        goto oom;
    }
    p->wait_ms = DB_POOL_WAIT_DEFAULT_MS;
    p->sync_ok = true;
    if (p->engine == DB_SQLITE && !(p->gate = db_gate_new())) goto oom;
    for (int i = 0; i < n; i++) {
        p->all[i] = db_open(url, err, errlen);
        if (!p->all[i]) goto fail;
        p->all[i]->gate = p->gate;
        p->n = i + 1;
        p->idle[p->nidle++] = p->all[i];
    }
    return p;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    db_pool_close(p);
    return NULL;
}

/* Returns c, or a fresh connection that replaced it in p->all if c was
 * broken and reconnecting worked. Called without the lock held. */
static db_conn *heal(db_pool *p, db_conn *c)
{
    if (!db_conn_broken(c)) return c;
    char err[256];
    db_conn *fresh = db_open(p->url, err, sizeof err);
    if (!fresh) return c; /* still down: the next user gets DB_EUNAVAIL and we try again */
    fresh->gate = p->gate;
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->n; i++)
        if (p->all[i] == c) p->all[i] = fresh;
    pthread_mutex_unlock(&p->mu);
    db_close(c);
    return fresh;
}

void db_pool_set_wait(db_pool *p, unsigned ms)
{
    pthread_mutex_lock(&p->mu);
    p->wait_ms = ms;
    pthread_mutex_unlock(&p->mu);
}

db_conn *db_pool_acquire(db_pool *p)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    pthread_mutex_lock(&p->mu);
    until.tv_sec += p->wait_ms / 1000;
    until.tv_nsec += (long)(p->wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (p->nidle == 0) {
        int rc = pthread_cond_timedwait(&p->cv, &p->mu, &until);
        if (rc == ETIMEDOUT && p->nidle == 0) {
            p->timeouts++;
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
    }
    db_conn *c = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->mu);
    return heal(p, c);
}

db_pool_stats db_pool_get_stats(db_pool *p)
{
    pthread_mutex_lock(&p->mu);
    db_pool_stats s = {.size = p->n, .idle = p->nidle, .timeouts = p->timeouts};
    pthread_mutex_unlock(&p->mu);
    return s;
}

void db_pool_release(db_pool *p, db_conn *c)
{
    if (!c) return;
    /* a handler that returned mid-transaction or mid-statement must not
     * leak either to the next request */
    db_conn_reset_all(c);
    db_set_commit_hook(c, NULL, NULL);
    if (db_in_tx(c)) db_rollback(c);
    c = heal(p, c);
    pthread_mutex_lock(&p->mu);
    assert(p->nidle < p->n); /* released more often than acquired */
    p->idle[p->nidle++] = c;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void db_pool_close(db_pool *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) db_close(p->all[i]);
    db_gate_free(p->gate);
    if (p->sync_ok) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
    }
    free(p->all);
    free(p->idle);
    free(p->url);
    free(p);
}

db_engine db_pool_engine(const db_pool *p)
{
    return p->engine;
}
