/*
 * context.h — the application context every request reaches through
 * zq_req.app: configuration, database pool, router, web root, caches and
 * the password cost. It is the only place long-lived mutable state lives.
 * Handlers read it here; building it and running the pipeline belong to
 * src/app/ (app.h), which handlers never include.
 */
#ifndef ZQ_HTTP_CONTEXT_H
#define ZQ_HTTP_CONTEXT_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "http/config.h"
#include "http/req.h"
#include "http/route.h"

struct db_pool;
struct zq_static;
struct dict_cache;
struct policy_cache;
struct trade_cache;
struct jobs_worker;
struct wechat_client;

typedef struct zq_app {
    zq_config cfg;
    struct db_pool *pool;
    zq_router *router;
    struct zq_static *web;
    struct dict_cache *dicts;
    struct policy_cache *policies; /* public policy/notice lists (src/policy/public_cache.c) */
    struct trade_cache *trade;     /* rendered trade summary/analysis (src/trade/view_cache.c) */
    struct wechat_client *wechat;  /* WeChat access-token cache (wechat/wechat.h) */
    struct jobs_worker *worker;    /* delivery worker of `serve` (NULL in tests): notify_kick wakes it */
    uint32_t rid_prefix;
    atomic_uint_fast64_t rid_counter;
    atomic_int inflight;
    /* set when shutdown begins: responses then close their connection, so
     * keep-alive clients move on instead of keeping requests in flight */
    atomic_bool draining;
    atomic_int heavy_running;    /* ZQ_RF_HEAVY handlers now running */
    int heavy_max;               /* at most this many at once: threads - 1, at least 1 */
    size_t body_cap;             /* largest body any route accepts */
    char version[16];
    unsigned long long pw_ops;   /* effective argon2id cost */
    size_t pw_mem;
    /* hash verified when an account does not exist, so unknown accounts and
     * wrong passwords cost the same time */
    char pw_dummy[128];
} zq_app;

#define ZQ_VERSION "0.1.0"

/* Gives q a database connection from the pool if it has none (routes
 * flagged ZQ_RF_NO_DB that need one after all, e.g. on a cache miss).
 * ZQ_E_UNAVAILABLE (503, Retry-After set) when the pool's deadline passed. */
zq_err zq_req_db(zq_req *q, zq_resp *r);

#endif
