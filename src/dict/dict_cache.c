/*
 * dict_cache.c — rendered dictionary JSON with ETags, shared by worker
 * threads under a read-write lock (see dict.h).
 */
#include "dict/dict_internal.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DICT_CACHE_SLOTS 32
#define DICT_CACHE_TTL_MS 5000

typedef struct {
    char key[40];
    char *body;
    size_t len;
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
    for (int i = 0; i < c->n; i++) free(c->slots[i].body);
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

bool dict_cache_get(dict_cache *c, const char *key, zq_buf *out, char etag[24])
{
    bool hit = false;
    int64_t now = now_ms();
    pthread_rwlock_rdlock(&c->lock);
    for (int i = 0; i < c->n; i++) {
        slot *s = &c->slots[i];
        if (strcmp(s->key, key) != 0) continue;
        if (now - s->loaded_ms < DICT_CACHE_TTL_MS) {
            hit = zq_buf_append(out, s->body, s->len) == 0;
            memcpy(etag, s->etag, 24);
        }
        break;
    }
    pthread_rwlock_unlock(&c->lock);
    return hit;
}

void dict_cache_put(dict_cache *c, const char *key, const char *body, size_t len, const char etag[24])
{
    if (strlen(key) >= sizeof c->slots[0].key) return;
    char *copy = malloc(len + 1);
    if (!copy) return;
    memcpy(copy, body, len);
    copy[len] = '\0';
    pthread_rwlock_wrlock(&c->lock);
    slot *s = NULL;
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->slots[i].key, key) == 0) s = &c->slots[i];
    if (!s && c->n < DICT_CACHE_SLOTS) s = &c->slots[c->n++];
    if (s) {
        free(s->body);
        strcpy(s->key, key);
        s->body = copy;
        s->len = len;
        memcpy(s->etag, etag, 24);
        s->loaded_ms = now_ms();
        copy = NULL;
    }
    pthread_rwlock_unlock(&c->lock);
    free(copy);
}
