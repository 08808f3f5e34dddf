/*
 * dict_cache.c — the dictionaries' rendered JSON with ETags (see dict.h):
 * a core/vcache.h cache whose version is dict_version.version. Every edit
 * bumps that version in its transaction; the instance that made it tells
 * the cache at once (dict_cache_saw_version), the others learn it from one
 * cheap version read per half second (dict_cache_check_due).
 */
#include "dict/dict_internal.h"
#include <stdlib.h>

struct dict_cache {
    vcache *v;
};

dict_cache *dict_cache_new(void)
{
    dict_cache *c = calloc(1, sizeof *c);
    if (c && !(c->v = vcache_new())) {
        free(c);
        return NULL;
    }
    return c;
}

void dict_cache_free(dict_cache *c)
{
    if (!c) return;
    vcache_free(c->v);
    free(c);
}

void dict_cache_invalidate(dict_cache *c) { vcache_invalidate(c->v); }
void dict_cache_saw_version(dict_cache *c, int64_t version) { vcache_saw_version(c->v, version); }
bool dict_cache_check_due(dict_cache *c) { return vcache_check_due(c->v); }
void dict_blob_release(void *blob) { vcache_blob_release(blob); }

dict_blob *dict_cache_get(dict_cache *c, const char *key, char etag[24], const char **data, size_t *len)
{
    return vcache_get(c->v, key, etag, data, len);
}

void dict_cache_put(dict_cache *c, const char *key, const char *body, size_t len, const char etag[24], int64_t version)
{
    vcache_put(c->v, key, body, len, etag, version);
}
