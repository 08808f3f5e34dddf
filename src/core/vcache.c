/*
 * vcache.c — rendered responses with ETags, shared by worker threads under
 * a read-write lock, dropped by a version the database keeps (vcache.h).
 *
 * Freshness: every edit bumps a version row in its transaction. The
 * cache remembers the version its renderings were built at. The instance
 * that made an edit tells the cache at once (vcache_saw_version); every
 * other instance learns it from one cheap version read that at most one
 * request per VCACHE_CHECK_MS performs (vcache_check_due), so a hot cache
 * hit costs a clock read and an atomic load more than before, and another
 * instance serves the edit within about half a second.
 */
#include "core/vcache.h"
#include "core/text.h"
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VCACHE_SLOTS 32
/* Renderings are dropped by version, not by age; the age limit only bounds
 * how long an edit made behind the API's back (SQL by hand) stays unseen. */
#define VCACHE_TTL_MS 60000
#define VCACHE_CHECK_MS 500

/* A rendering shared by the cache and every response still sending it. */
struct vcache_blob {
    atomic_int refs;
    size_t len;
    char data[];
};

typedef struct {
    char key[48];
    vcache_blob *blob;
    char etag[24];
    int64_t loaded_ms;
} slot;

struct vcache {
    pthread_rwlock_t lock;
    slot slots[VCACHE_SLOTS];
    int n;
    int64_t version;              /* under lock: what the slots were built at */
    atomic_int_fast64_t next_check_ms;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

vcache *vcache_new(void)
{
    vcache *c = calloc(1, sizeof *c);
    if (c && pthread_rwlock_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    if (c) atomic_init(&c->next_check_ms, 0);
    return c;
}

/* Caller holds the write lock. */
static void drop_all(vcache *c)
{
    for (int i = 0; i < c->n; i++) {
        vcache_blob_release(c->slots[i].blob);
        c->slots[i].blob = NULL;
    }
    c->n = 0;
}

void vcache_invalidate(vcache *c)
{
    pthread_rwlock_wrlock(&c->lock);
    drop_all(c);
    pthread_rwlock_unlock(&c->lock);
}

void vcache_free(vcache *c)
{
    if (!c) return;
    vcache_invalidate(c);
    pthread_rwlock_destroy(&c->lock);
    free(c);
}

void vcache_blob_release(void *p)
{
    vcache_blob *b = p;
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) free(b);
}

bool vcache_check_due(vcache *c)
{
    int64_t now = now_ms();
    int_fast64_t next = atomic_load_explicit(&c->next_check_ms, memory_order_relaxed);
    if (now < next) return false;
    /* one winner per period; the others keep serving what they have */
    return atomic_compare_exchange_strong(&c->next_check_ms, &next, now + VCACHE_CHECK_MS);
}

void vcache_saw_version(vcache *c, int64_t version)
{
    pthread_rwlock_wrlock(&c->lock);
    /* versions only grow: a smaller one is a read that raced an edit */
    if (version > c->version) {
        drop_all(c);
        c->version = version;
    }
    pthread_rwlock_unlock(&c->lock);
}

vcache_blob *vcache_get(vcache *c, const char *key, char etag[24], const char **data, size_t *len)
{
    vcache_blob *hit = NULL;
    int64_t now = now_ms();
    pthread_rwlock_rdlock(&c->lock);
    for (int i = 0; i < c->n; i++) {
        slot *s = &c->slots[i];
        if (strcmp(s->key, key) != 0) continue;
        if (now - s->loaded_ms < VCACHE_TTL_MS) {
            hit = s->blob;
            atomic_fetch_add(&hit->refs, 1);
            memcpy(etag, s->etag, 24);
            *data = hit->data;
            *len = hit->len;
        }
        break;
    }
    pthread_rwlock_unlock(&c->lock);
    return hit;
}

void vcache_put(vcache *c, const char *key, const char *body, size_t len, const char etag[24], int64_t version)
{
    if (strlen(key) >= sizeof c->slots[0].key) return;
    vcache_blob *b = malloc(sizeof *b + len + 1);
    if (!b) return;
    atomic_init(&b->refs, 1);
    b->len = len;
    memcpy(b->data, body, len);
    b->data[len] = '\0';
    pthread_rwlock_wrlock(&c->lock);
    if (version > c->version) {
        /* this rendering read a newer version than the cache knew */
        drop_all(c);
        c->version = version;
    }
    slot *s = NULL;
    if (version == c->version) {
        for (int i = 0; i < c->n; i++)
            if (strcmp(c->slots[i].key, key) == 0) s = &c->slots[i];
        if (!s && c->n < VCACHE_SLOTS) s = &c->slots[c->n++];
    } /* else rendered from data older than an edit already seen: not kept */
    if (s) {
        vcache_blob_release(s->blob);
        strcpy(s->key, key);
        s->blob = b;
        memcpy(s->etag, etag, 24);
        s->loaded_ms = now_ms();
        b = NULL;
    }
    pthread_rwlock_unlock(&c->lock);
    vcache_blob_release(b);
}

void vcache_etag(const char *data, size_t len, char etag[24])
{
    unsigned char h[8];
    char hex[17];
    crypto_generichash(h, sizeof h, (const unsigned char *)data, len, NULL, 0);
    zq_hex(h, sizeof h, hex);
    etag[0] = '"';
    memcpy(etag + 1, hex, 16);
    etag[17] = '"';
    etag[18] = '\0';
}
