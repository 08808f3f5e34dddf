/*
 * arena.h — per-request bump allocator. Everything a handler allocates for
 * one request comes from here and is released at once when the request ends,
 * so handlers cannot leak. The arena refuses to grow past its cap, which
 * bounds the memory one request can take.
 */
#ifndef ZQ_ARENA_H
#define ZQ_ARENA_H
#include <stddef.h>
#include <stdarg.h>

typedef struct zq_arena zq_arena;

/* New arena that refuses allocations once `cap` bytes are in use. NULL on OOM. */
zq_arena *zq_arena_new(size_t cap);
/* Frees every allocation and the arena itself. NULL is fine. */
void zq_arena_free(zq_arena *a);
/* Zeroed, 16-byte aligned memory, or NULL when the cap is reached. */
void *zq_arena_alloc(zq_arena *a, size_t n);
char *zq_arena_strdup(zq_arena *a, const char *s);
char *zq_arena_strndup(zq_arena *a, const char *s, size_t n);
char *zq_arena_printf(zq_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for tests and limits). */
size_t zq_arena_used(const zq_arena *a);

#endif
