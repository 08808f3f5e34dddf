/*
 * fuzz_input.h — splitting a fuzz input into newline-separated parts, for
 * targets whose input is several strings.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H
#include <string.h>
#include "core/arena.h"

/* The next part of [*p, end) up to a newline (arena copy, "" when out of
 * memory); *p moves past it. */
static inline const char *fuzz_part(zq_arena *a, const char **p, const char *end)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    const char *stop = nl ? nl : end;
    char *s = zq_arena_strndup(a, *p, (size_t)(stop - *p));
    *p = nl ? nl + 1 : end;
    return s ? s : "";
}

#endif
