/*
 * pool.c — a fixed set of connections shared by the HTTP worker threads.
 * acquire blocks until one is free; a PostgreSQL connection found broken
 * on release is reopened (or reopened on the next acquire), so a database
 * restart heals without restarting zhengqi.
 */
#include "db/db_internal.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char url[1024];
    db_engine engine;
    int n, nfree;
    db_conn **all;
    db_conn **free_list;
};

db_pool *db_pool_open(const char *url, int n, char *err, size_t errlen)
{
    db_pool *p = calloc(1, sizeof *p);
    if (!p || n < 1) goto oom;
    p->all = calloc((size_t)n, sizeof *p->all);
    p->free_list = calloc((size_t)n, sizeof *p->free_list);
    if (!p->all || !p->free_list) goto oom;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    snprintf(p->url, sizeof p->url, "%s", url);
    p->engine = db_url_engine(url);
    for (int i = 0; i < n; i++) {
        p->all[i] = db_open(url, err, errlen);
        if (!p->all[i]) {
            p->n = i;
            db_pool_close(p);
            return NULL;
        }
        p->free_list[p->nfree++] = p->all[i];
    }
    p->n = n;
    return p;
oom:
    snprintf(err, errlen, "out of memory");
    if (p) {
        free(p->all);
        free(p->free_list);
        free(p);
    }
    return NULL;
}

/* Replace a broken PG connection in place; keeps the old one if reconnecting fails. */
static db_conn *heal(db_pool *p, db_conn *c)
{
    if (c->engine != DB_POSTGRES || !dbp_broken(c)) return c;
    char err[256];
    db_conn *fresh = db_open(p->url, err, sizeof err);
    if (!fresh) return c;
    for (int i = 0; i < p->n; i++)
        if (p->all[i] == c) p->all[i] = fresh;
    db_close(c);
    return fresh;
}

db_conn *db_pool_acquire(db_pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->nfree == 0) pthread_cond_wait(&p->cv, &p->mu);
    db_conn *c = p->free_list[--p->nfree];
    c = heal(p, c);
    pthread_mutex_unlock(&p->mu);
    return c;
}

void db_pool_release(db_pool *p, db_conn *c)
{
    if (!c) return;
    /* a handler that returned mid-transaction must not leak it to the next request */
    if (db_in_tx(c)) db_rollback(c);
    pthread_mutex_lock(&p->mu);
    p->free_list[p->nfree++] = c;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void db_pool_close(db_pool *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) db_close(p->all[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->all);
    free(p->free_list);
    free(p);
}

db_engine db_pool_engine(const db_pool *p)
{
    return p->engine;
}
