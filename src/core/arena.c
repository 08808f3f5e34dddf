/*
 * arena.c — chunked bump allocator behind zq_arena (see arena.h).
 */
#include "core/arena.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <stdint.h>

#define ARENA_CHUNK 8192

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} chunk;

struct zq_arena {
    chunk *head;
    size_t cap, total;
};

zq_arena *zq_arena_new(size_t cap)
{
    zq_arena *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->cap = cap;
    return a;
}

void zq_arena_free(zq_arena *a)
{
    if (!a) return;
    chunk *c = a->head;
    while (c) {
        chunk *n = c->next;
        free(c);
        c = n;
    }
    free(a);
}

void *zq_arena_alloc(zq_arena *a, size_t n)
{
    if (!a) return NULL;
    size_t need = (n + 15u) & ~(size_t)15u;
    if (need < n || need > a->cap || a->total + need > a->cap) return NULL;
    chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t sz = need > ARENA_CHUNK ? need : ARENA_CHUNK;
        c = malloc(sizeof *c + sz);
        if (!c) return NULL;
        c->size = sz;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total += need;
    memset(p, 0, need);
    return p;
}

char *zq_arena_strndup(zq_arena *a, const char *s, size_t n)
{
    if (!s) return NULL;
    char *p = zq_arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *zq_arena_strdup(zq_arena *a, const char *s)
{
    return s ? zq_arena_strndup(a, s, strlen(s)) : NULL;
}

char *zq_arena_printf(zq_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = NULL;
    if (n >= 0 && (p = zq_arena_alloc(a, (size_t)n + 1)) != NULL)
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

size_t zq_arena_used(const zq_arena *a)
{
    return a ? a->total : 0;
}
