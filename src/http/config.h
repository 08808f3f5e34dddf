/*
 * config.h — the server's knobs (command line, environment) and their
 * defaults. Its own header, low in the tree, so a module that reads one
 * setting (the SMS provider, the upload quota) does not include the
 * application that owns it (src/app/).
 */
#ifndef ZQ_HTTP_CONFIG_H
#define ZQ_HTTP_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "http/proxy.h"

typedef struct zq_config {
    const char *listen;          /* "127.0.0.1:8080", "[::1]:8080" */
    const char *db_url;          /* "sqlite:var/zhengqi.db" | "postgres://…" */
    const char *web_dir;         /* built web UI, NULL = API only */
    bool dev;                    /* development conveniences (log SMS, no 2FA) */
    int threads;                 /* HTTP worker threads (0 = cores, twice that on PostgreSQL) */
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

#endif
