/*
 * dict_internal.h — what the dict module's files share among themselves.
 */
#ifndef ZQ_DICT_INTERNAL_H
#define ZQ_DICT_INTERNAL_H
#include "dict/dict.h"
#include "core/buf.h"

/* Copies a fresh cached body into out and its ETag; false on miss/expiry. */
bool dict_cache_get(dict_cache *c, const char *key, zq_buf *out, char etag[24]);
void dict_cache_put(dict_cache *c, const char *key, const char *body, size_t len, const char etag[24]);

#endif
