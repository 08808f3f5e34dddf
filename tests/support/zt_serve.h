/*
 * zt_serve.h — the real HTTP server in-process over a zt_env, for
 * socket-level tests that also look into the database (zt_count) and
 * configure the app directly rather than through `zhengqi serve` flags.
 */
#ifndef ZT_SERVE_H
#define ZT_SERVE_H
#include "support/zt.h"

struct zq_server;

typedef struct {
    zt_env *env;
    struct zq_server *srv;
    unsigned port;
} zt_served;

/* Serves env (from zt_start_cfg with cfg->listen = "127.0.0.1:0"); aborts
 * the test on failure. stop stops the server and env and frees both. */
zt_served *zt_serve(zt_env *env);
void zt_serve_stop(zt_served *s);

#endif
