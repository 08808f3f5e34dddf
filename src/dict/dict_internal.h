/*
 * dict_internal.h — what the dict module's files share among themselves.
 */
#ifndef ZQ_DICT_INTERNAL_H
#define ZQ_DICT_INTERNAL_H
#include "dict/dict.h"
#include "core/buf.h"

typedef struct dict_blob dict_blob;
/* A fresh cached rendering with one reference taken for the caller (data,
 * len and etag filled), or NULL on miss/expiry. */
dict_blob *dict_cache_get(dict_cache *c, const char *key, char etag[24], const char **data, size_t *len);
/* Drops one reference (a zq_resp ext_release callback). */
void dict_blob_release(void *blob);
void dict_cache_put(dict_cache *c, const char *key, const char *body, size_t len, const char etag[24]);

#endif
