/*
 * pool.c — a fixed set of connections shared by the HTTP worker threads
 * (mutex + condition variable). acquire blocks until one is idle; release
 * rolls back a transaction left open, resets statements left in use, and
 * reopens a PostgreSQL connection found broken, so a database restart heals
 * without restarting zhengqi. Reconnecting happens outside the lock.
 */
#include "db/db_internal.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *url;
    db_engine engine;
    int n, nidle;
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
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        goto oom;
    }
    p->sync_ok = true;
    for (int i = 0; i < n; i++) {
        p->all[i] = db_open(url, err, errlen);
        if (!p->all[i]) goto fail;
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
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->n; i++)
        if (p->all[i] == c) p->all[i] = fresh;
    pthread_mutex_unlock(&p->mu);
    db_close(c);
    return fresh;
}

db_conn *db_pool_acquire(db_pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->nidle == 0) pthread_cond_wait(&p->cv, &p->mu);
    db_conn *c = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->mu);
    return heal(p, c);
}

void db_pool_release(db_pool *p, db_conn *c)
{
    if (!c) return;
    /* a handler that returned mid-transaction or mid-statement must not
     * leak either to the next request */
    db_conn_reset_all(c);
    if (db_in_tx(c)) db_rollback(c);
    c = heal(p, c);
    pthread_mutex_lock(&p->mu);
    p->idle[p->nidle++] = c;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void db_pool_close(db_pool *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) db_close(p->all[i]);
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
