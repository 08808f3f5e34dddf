/*
 * dict_internal.h — what the dict module's files share among themselves.
 */
#ifndef ZQ_DICT_INTERNAL_H
#define ZQ_DICT_INTERNAL_H
#include <stdint.h>
#include "dict/dict.h"
#include "core/buf.h"
#include "core/vcache.h"

typedef vcache_blob dict_blob;
/* A fresh cached rendering with one reference taken for the caller (data,
 * len and etag filled), or NULL on miss/expiry. */
dict_blob *dict_cache_get(dict_cache *c, const char *key, char etag[24], const char **data, size_t *len);
/* Drops one reference (a zq_resp ext_release callback). */
void dict_blob_release(void *blob);
/* Keeps a rendering made from data read at dict version `version` (read
 * before the items): refused when the cache already knows a newer version,
 * and a newer one drops every other rendering first. */
void dict_cache_put(dict_cache *c, const char *key, const char *body, size_t len, const char etag[24], int64_t version);
/* True for at most one caller per half second: that caller reads the
 * version (dict_version_read) and hands it to dict_cache_saw_version. */
bool dict_cache_check_due(dict_cache *c);

/* dict_version.version into *out. DB_OK or a negative db_rc. */
int dict_version_read(struct db_conn *db, int64_t *out);

/* dict_usage.c. Where item (type, code) is referenced, as Chinese text
 * ("12 家企业、1 个商务局账号") into *text, or NULL when nowhere. DB_OK or a
 * negative db_rc. */
int dict_usage_text(zq_req *q, const char *type, const char *code, const char **text);
/* Live references (history excluded) of each of the n codes into counts.
 * DB_OK or a negative db_rc. */
int dict_usage_counts(zq_req *q, const char *type, const char *const *codes, int64_t *counts, int n);

#endif
