/*
 * pool.c — a fixed set of connections shared by the HTTP worker threads
 * (a mutex; waiters served in arrival order). acquire waits for an idle one, but never
 * past the pool's deadline: a caller that cannot get a connection in time
 * gets NULL (the pipeline answers 503) instead of waiting for good on a
 * connection that only another stuck thread could give back. release
 * rolls back a transaction left open, resets statements left in use,
 * undoes db_set_relaxed (or replaces a connection that stays relaxed), and
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

/* Waiters are served in arrival order: each sleeps on a condition of its
 * own, and whoever gives the resource back hands it to the head of the
 * queue. With one shared condition the woken thread is whichever the
 * scheduler picks, and under overload an unlucky one waited past its
 * deadline while later arrivals went first. */
typedef struct waiter {
    pthread_cond_t cv;   /* on the monotonic clock */
    bool granted;
    db_conn *conn;       /* the pool's hand-over; unused by the gate */
    struct waiter *next;
} waiter;

typedef struct {
    waiter *head, *tail;
} wqueue;

static void deadline_in(struct timespec *until, unsigned ms)
{
    clock_gettime(CLOCK_MONOTONIC, until);
    until->tv_sec += ms / 1000;
    until->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until->tv_nsec >= 1000000000L) {
        until->tv_sec++;
        until->tv_nsec -= 1000000000L;
    }
}

static waiter *wq_pop(wqueue *q)
{
    waiter *w = q->head;
    if (w && !(q->head = w->next)) q->tail = NULL;
    return w;
}

static void wq_unlink(wqueue *q, waiter *w)
{
    waiter **pp = &q->head, *prev = NULL;
    while (*pp && *pp != w) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp) return;
    *pp = w->next;
    if (q->tail == w) q->tail = prev;
}

/* With mu held: queue w and wait until it is granted or the deadline
 * passes (then it leaves the queue). 0 when granted, -1 on timeout or
 * when its condition cannot be made. */
static int wq_wait(pthread_mutex_t *mu, wqueue *q, waiter *w, const struct timespec *until)
{
    pthread_condattr_t ca;
    if (pthread_condattr_init(&ca) != 0) return -1;
    int rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (rc == 0) rc = pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0) return -1;
    w->granted = false;
    w->next = NULL;
    if (q->tail) q->tail->next = w;
    else q->head = w;
    q->tail = w;
    while (!w->granted)
        if (pthread_cond_timedwait(&w->cv, mu, until) == ETIMEDOUT && !w->granted) break;
    if (!w->granted) wq_unlink(q, w);
    pthread_cond_destroy(&w->cv);
    return w->granted ? 0 : -1;
}

/* With mu held: hand the resource to the longest waiter, if any. */
static waiter *wq_grant(wqueue *q, db_conn *conn)
{
    waiter *w = wq_pop(q);
    if (w) {
        w->conn = conn;
        w->granted = true;
        pthread_cond_signal(&w->cv);
    }
    return w;
}

struct db_gate {
    pthread_mutex_t mu;
    wqueue q;
    bool busy;           /* a connection of the pool is in a write transaction */
};

db_gate *db_gate_new(void)
{
    db_gate *g = calloc(1, sizeof *g);
    if (g && pthread_mutex_init(&g->mu, NULL) != 0) {
        free(g);
        return NULL;
    }
    return g;
}

void db_gate_free(db_gate *g)
{
    if (!g) return;
    pthread_mutex_destroy(&g->mu);
    free(g);
}

int db_gate_enter(db_gate *g, unsigned ms)
{
    struct timespec until;
    deadline_in(&until, ms);
    pthread_mutex_lock(&g->mu);
    int rc = 0;
    if (g->busy || g->q.head) {
        waiter w;
        rc = wq_wait(&g->mu, &g->q, &w, &until); /* granted: the gate is ours, still busy */
    } else {
        g->busy = true;
    }
    pthread_mutex_unlock(&g->mu);
    return rc;
}

void db_gate_leave(db_gate *g)
{
    pthread_mutex_lock(&g->mu);
    if (!wq_grant(&g->q, NULL)) g->busy = false;
    pthread_mutex_unlock(&g->mu);
}

struct db_pool {
    db_gate *gate;   /* SQLite: one writer of the pool at a time (db_internal.h) */
    pthread_mutex_t mu;
    wqueue waiting;  /* acquires waiting for a connection, oldest first */
    char *url;
    db_engine engine;
    int n, nidle;
    unsigned wait_ms; /* longest acquire wait; see db_pool_set_wait */
    uint64_t timeouts; /* acquires that gave up at the deadline */
    db_conn **all;   /* every connection the pool owns */
    db_conn **idle;  /* stack of connections ready to hand out */
    bool sync_ok;    /* mu initialised */
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
    /* deadlines are measured on the monotonic clock (deadline_in): a
     * wall-clock jump must neither cut a wait short nor stretch it */
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
 * broken (or still relaxed: db_set_relaxed) and reconnecting worked.
 * Called without the lock held. */
static db_conn *heal(db_pool *p, db_conn *c)
{
    if (!db_conn_broken(c) && !db_conn_relaxed(c)) return c;
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
    pthread_mutex_lock(&p->mu);
    deadline_in(&until, p->wait_ms);
    db_conn *c = NULL;
    if (p->nidle > 0 && !p->waiting.head) {
        c = p->idle[--p->nidle];
    } else {
        waiter w;
        if (wq_wait(&p->mu, &p->waiting, &w, &until) == 0) {
            c = w.conn;
        } else {
            p->timeouts++;
        }
    }
    pthread_mutex_unlock(&p->mu);
    return c ? heal(p, c) : NULL;
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
    /* a user whose db_set_relaxed(false) failed (say, inside a failed
     * transaction) left commits that skip the disk wait: undo it now the
     * transaction is gone, and if even that fails heal replaces the
     * connection, so the next request's commits are durable again */
    if (db_conn_relaxed(c)) db_set_relaxed(c, false);
    c = heal(p, c);
    pthread_mutex_lock(&p->mu);
    if (!wq_grant(&p->waiting, c)) {
        assert(p->nidle < p->n); /* released more often than acquired */
        p->idle[p->nidle++] = c;
    }
    pthread_mutex_unlock(&p->mu);
}

void db_pool_close(db_pool *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) db_close(p->all[i]);
    db_gate_free(p->gate);
    if (p->sync_ok) pthread_mutex_destroy(&p->mu);
    free(p->all);
    free(p->idle);
    free(p->url);
    free(p);
}

db_engine db_pool_engine(const db_pool *p)
{
    return p->engine;
}
