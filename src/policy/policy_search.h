/*
 * policy_search.h — the public lists' filters and keyword search over
 * title and body (search.c), and the cache that serves the unfiltered
 * pages (public_cache.c).
 */
#ifndef ZQ_POLICY_SEARCH_H
#define ZQ_POLICY_SEARCH_H
#include "policy/policy_internal.h"

#define POL_QUERY_MAX 50

typedef struct {
    bool notices;            /* kind notice, else news + interpretation */
    const char *q, *kind, *type, *department;
    int64_t from, to;        /* published_at range [from, to), 0 = open */
    int64_t page, page_size;
} pol_filter;

/* One page of published items matching f (newest first) into items
 * (room for f->page_size), their count into *total. DB_OK or a db_rc. */
int pol_search(zq_req *q, const pol_filter *f, pol_item *items, int *n, int64_t *total);

/* The detail answer of a published item (public.c), also for the inbox. */
zq_err pol_public_detail(zq_req *q, zq_resp *r, pol_item *it, bool staff);

typedef zq_err (*pol_render_fn)(zq_req *q, zq_resp *r, const pol_filter *f);
/* Answers from the cache under key, or renders (with a connection taken
 * from the pool then) and keeps the result; ETag / If-None-Match → 304.
 * Keys starting with '?' (any query but the landing pages) have slots of
 * their own. */
zq_err policy_cache_serve(zq_req *q, zq_resp *r, const char *key, pol_render_fn render, const pol_filter *f);

#endif
