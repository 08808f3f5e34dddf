/*
 * vcache.h — a small cache of rendered responses (JSON bodies with their
 * ETags) for public, read-mostly lists, shared by the worker threads of
 * one instance. Freshness follows a version number the database keeps and
 * every edit bumps: renderings of an older version are dropped at once
 * where the edit was made (vcache_saw_version) and within about half a
 * second on other instances (vcache_check_due → the caller reads the
 * version → vcache_saw_version). Used by the policy lists; the same
 * scheme as the dictionaries' cache (src/dict/dict_cache.c).
 */
#ifndef ZQ_VCACHE_H
#define ZQ_VCACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vcache vcache;
typedef struct vcache_blob vcache_blob;

/* NULL when out of memory. */
vcache *vcache_new(void);
void vcache_free(vcache *c);
/* Drop every rendering. */
void vcache_invalidate(vcache *c);
/* The version is now `version`: older renderings go. Older or equal: nothing. */
void vcache_saw_version(vcache *c, int64_t version);
/* A fresh rendering with one reference taken for the caller (data, len and
 * etag filled), or NULL on a miss. Keys are shorter than 48 bytes. */
vcache_blob *vcache_get(vcache *c, const char *key, char etag[24], const char **data, size_t *len);
/* Drops one reference (a zq_resp ext_release callback). */
void vcache_blob_release(void *blob);
/* Keeps a rendering made from data read at `version` (read before the
 * data): refused when a newer version is known already. */
void vcache_put(vcache *c, const char *key, const char *body, size_t len, const char etag[24], int64_t version);
/* The ETag of a rendering: a quoted 16-hex-digit BLAKE2b of the bytes. */
void vcache_etag(const char *data, size_t len, char etag[24]);
/* True for at most one caller per half second: that caller reads the
 * version and hands it to vcache_saw_version. */
bool vcache_check_due(vcache *c);

#endif
