/*
 * app.h — the application context: configuration, database pool, router,
 * static web root and caches. It is the only place long-lived mutable state
 * lives; every request reaches it through zq_req.app.
 */
#ifndef ZQ_APP_H
#define ZQ_APP_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "http/proxy.h"
#include "http/req.h"
#include "http/route.h"

struct db_pool;
struct zq_static;
struct dict_cache;
struct policy_cache;
struct jobs_worker;
struct wechat_client;

typedef struct zq_config {
    const char *listen;          /* "127.0.0.1:8080", "[::1]:8080" */
    const char *db_url;          /* "sqlite:var/zhengqi.db" | "postgres://…" */
    const char *web_dir;         /* built web UI, NULL = API only */
    bool dev;                    /* development conveniences (log SMS, no 2FA) */
    int threads;                 /* HTTP worker threads (0 = cores) */
    int db_conns;                /* pool size (0 = threads + 2) */
    unsigned db_wait_ms;         /* longest wait for a pooled connection before 503 */
    unsigned shutdown_timeout;   /* seconds SIGTERM waits for in-flight requests */
    uint64_t upload_quota;       /* bytes of uploads one enterprise may hold */
    unsigned idle_timeout;       /* seconds a connection may sit silent */
    unsigned request_timeout;    /* absolute seconds for one request incl. body */
    unsigned max_conns;          /* total connections */
    unsigned per_ip_conns;       /* connections from one address */
    size_t body_max;             /* default body cap for JSON routes */
    size_t query_max;            /* bytes of raw query string */
    bool access_log;             /* one line per request on stderr */
    unsigned long long pw_ops;   /* argon2id passes (0 = production default) */
    size_t pw_mem;               /* argon2id memory in bytes (0 = default) */
    const char *sms_provider;    /* "log" (default) | "http" */
    const char *sms_url;         /* http provider: gateway URL */
    const char *sms_secret;      /* http provider: shared HMAC secret */
    unsigned sms_timeout_ms;     /* http provider: whole exchange (0 = 5000) */
    zq_proxy_set trusted_proxies;/* peers whose X-Real-IP / X-Forwarded-For are believed */
    const char *wechat_api;      /* WeChat API base through the egress relay, "http://host:port"; NULL = off */
    const char *wechat_appid;    /* mini-program app id */
    const char *wechat_secret;   /* its app secret */
    unsigned wechat_timeout_ms;  /* one API exchange (0 = 5000) */
    unsigned deliver_tick_s;     /* delivery worker's longest sleep between passes (0 = 5) */
} zq_config;

/* Defaults of every knob; listen/db from the caller or environment. */
void zq_config_defaults(zq_config *c);

typedef struct zq_app {
    zq_config cfg;
    struct db_pool *pool;
    zq_router *router;
    struct zq_static *web;
    struct dict_cache *dicts;
    struct policy_cache *policies; /* public policy/notice lists (src/policy/public_cache.c) */
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

/* Opens the database (migrating it), builds the router, opens the web root.
 * On failure returns NULL and writes a reason into err. */
zq_app *zq_app_new(const zq_config *cfg, char *err, size_t errlen);
void zq_app_free(zq_app *app);

/* Request life cycle, shared by the HTTP server and in-process tests.
 * begin: arena, request id, time. The caller then fills method, path (raw,
 * still percent-encoded), raw_query, headers, client_ip (the socket peer;
 * prepare replaces it with the forwarded address when the peer is a
 * trusted proxy). */
int zq_req_begin(zq_app *app, zq_req *q, zq_resp *r);
/* Stage 1, before the body is read: decode path and query, cookies, route
 * lookup. Returns the body cap for this request (0 when the request is
 * already answered with an error in r). */
size_t zq_app_prepare(zq_req *q, zq_resp *r);
/* Stage 2, with the body in q->body: JSON, session, CSRF, access, handler,
 * error envelope, security headers. */
void zq_app_run(zq_req *q, zq_resp *r);
/* Both stages for callers that already hold the whole body (tests). */
void zq_app_dispatch(zq_req *q, zq_resp *r);
/* Gives q a database connection from the pool if it has none (routes
 * flagged ZQ_RF_NO_DB that need one after all, e.g. on a cache miss).
 * ZQ_E_UNAVAILABLE (503, Retry-After set) when the pool's deadline passed. */
zq_err zq_req_db(zq_req *q, zq_resp *r);
/* Frees what the request holds (JSON, DB connection, arena). */
void zq_req_end(zq_req *q, zq_resp *r);

#endif
