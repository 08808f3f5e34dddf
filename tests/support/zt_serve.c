/*
 * zt_serve.c — in-process HTTP server over a zt_env (see zt_serve.h).
 */
#include "support/zt_serve.h"
#include "app/server.h"
#include <stdlib.h>

zt_served *zt_serve(zt_env *env)
{
    zt_served *s = calloc(1, sizeof *s);
    char err[256];
    assert_non_null(s);
    s->env = env;
    s->srv = zq_server_start(env->app, err, sizeof err);
    if (!s->srv) fail_msg("server: %s", err);
    s->port = zq_server_port(s->srv);
    return s;
}

void zt_serve_stop(zt_served *s)
{
    if (!s) return;
    if (s->srv) zq_server_stop(s->srv, 2000);
    zt_stop(s->env);
    free(s);
}
