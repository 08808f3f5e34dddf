/*
 * dict_cache.c — rendered dictionary JSON with ETags, shared by worker
 * threads under a read-write lock (see dict.h).
 */
#include "dict/dict_internal.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DICT_CACHE_SLOTS 32
#define DICT_CACHE_TTL_MS 5000

/* A rendering shared by the cache and every response still sending it. */
struct dict_blob {
    atomic_int refs;
    size_t len;
    char data[];
};

typedef struct {
    char key[40];
    dict_blob *blob;
    char etag[24];
    int64_t loaded_ms;
} slot;

struct dict_cache {
    pthread_rwlock_t lock;
    slot slots[DICT_CACHE_SLOTS];
    int n;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

dict_cache *dict_cache_new(void)
{
    dict_cache *c = calloc(1, sizeof *c);
    if (c && pthread_rwlock_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

void dict_cache_invalidate(dict_cache *c)
{
    pthread_rwlock_wrlock(&c->lock);
    for (int i = 0; i < c->n; i++) dict_blob_release(c->slots[i].blob);
    c->n = 0;
    pthread_rwlock_unlock(&c->lock);
}

void dict_cache_free(dict_cache *c)
{
    if (!c) return;
    dict_cache_invalidate(c);
    pthread_rwlock_destroy(&c->lock);
    free(c);
}

void dict_blob_release(void *p)
{
    dict_blob *b = p;
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) free(b);
}

dict_blob *dict_cache_get(dict_cache *c, const char *key, char etag[24], const char **data, size_t *len)
{
    dict_blob *hit = NULL;
    int64_t now = now_ms();
    pthread_rwlock_rdlock(&c->lock);
    for (int i = 0; i < c->n; i++) {
        slot *s = &c->slots[i];
        if (strcmp(s->key, key) != 0) continue;
        if (now - s->loaded_ms < DICT_CACHE_TTL_MS) {
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

void dict_cache_put(dict_cache *c, const char *key, const char *body, size_t len, const char etag[24])
{
    if (strlen(key) >= sizeof c->slots[0].key) return;
    dict_blob *b = malloc(sizeof *b + len + 1);
    if (!b) return;
    atomic_init(&b->refs, 1);
    b->len = len;
    memcpy(b->data, body, len);
    b->data[len] = '\0';
    pthread_rwlock_wrlock(&c->lock);
    slot *s = NULL;
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->slots[i].key, key) == 0) s = &c->slots[i];
    if (!s && c->n < DICT_CACHE_SLOTS) s = &c->slots[c->n++];
    if (s) {
        dict_blob_release(s->blob);
        strcpy(s->key, key);
        s->blob = b;
        memcpy(s->etag, etag, 24);
        s->loaded_ms = now_ms();
        b = NULL;
    }
    pthread_rwlock_unlock(&c->lock);
    dict_blob_release(b);
}
