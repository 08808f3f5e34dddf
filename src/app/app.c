/*
 * app.c — builds and tears down the application context (see app.h).
 */
#include "app/app.h"
#include "wechat/wechat.h"
#include "app/routes.h"
#include "auth/password.h"
#include "core/text.h"
#include "db/db.h"
#include "dict/dict.h"
#include "http/static.h"
#include "policy/policy.h"
#include "profile/profile.h"
#include "trade/trade.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

int zq_app_upgrade_data(db_conn *c, char *err, size_t errlen)
{
    int64_t n = 0;
    int rc = profile_completeness_upgrade(c, &n);
    if (rc != DB_OK) {
        snprintf(err, errlen, "recomputing completeness: %s", db_errmsg(c));
        return rc;
    }
    if (n) fprintf(stderr, "zhengqi: completeness recomputed for %lld firms (the score's rule changed)\n", (long long)n);
    return DB_OK;
}

zq_app *zq_app_new(const zq_config *cfg, char *err, size_t errlen)
{
    zq_app *app = NULL;
    db_conn *c = NULL;
    zq_route_group groups[128]; /* room for every capability the issues bring (72 with issue 14) */
    int applied = 0;

    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to initialise");
        goto fail;
    }
    app = calloc(1, sizeof *app);
    if (!app) goto oom;
    app->cfg = *cfg;
    if (app->cfg.threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        int cores = n > 0 ? (int)n : 2;
        /* On PostgreSQL a request thread waits on each statement's round
         * trip to a server process, and libmicrohttpd pins a connection to
         * one thread: with one thread per core, 8 bureau clients at 300,000
         * firms left the cores 15-20 % idle and, when the connections
         * landed unevenly, answered half as fast (500 against 1,200 req/s
         * for the same page). A second thread per core fills the waits
         * (docs/performance.md); SQLite answers in-process, where a
         * thread per core is all the cores can run. */
        app->cfg.threads = db_url_engine(cfg->db_url) == DB_POSTGRES ? 2 * cores : cores;
    }
    if (app->cfg.db_conns <= 0) app->cfg.db_conns = app->cfg.threads + 2;
    app->heavy_max = app->cfg.threads > 1 ? app->cfg.threads - 1 : 1;
    snprintf(app->version, sizeof app->version, "%s", ZQ_VERSION);
    app->rid_prefix = randombytes_random();
    {
        auth_pw_cost pc = auth_pw_cost_default();
        app->pw_ops = cfg->pw_ops ? cfg->pw_ops : pc.ops;
        app->pw_mem = cfg->pw_mem ? cfg->pw_mem : pc.mem;
        unsigned char raw[16];
        char rnd[33];
        randombytes_buf(raw, sizeof raw);
        zq_hex(raw, sizeof raw, rnd);
        pc.ops = app->pw_ops;
        pc.mem = app->pw_mem;
        if (auth_pw_hash(rnd, pc, app->pw_dummy) != 0) goto oom;
    }

    c = db_open(cfg->db_url, err, errlen);
    if (!c) goto fail;
    if (db_migrate(c, &applied, err, errlen) != DB_OK) goto fail;
    if (zq_app_upgrade_data(c, err, errlen) != DB_OK) goto fail;
    db_close(c);
    c = NULL;

    app->pool = db_pool_open(cfg->db_url, app->cfg.db_conns, err, errlen);
    if (!app->pool) goto fail;
    if (app->cfg.db_wait_ms) db_pool_set_wait(app->pool, app->cfg.db_wait_ms);

    if (zq_all_route_groups_n > sizeof groups / sizeof groups[0]) {
        snprintf(err, errlen, "too many route groups");
        goto fail;
    }
    for (size_t i = 0; i < zq_all_route_groups_n; i++) groups[i] = *zq_all_route_groups[i];
    app->router = zq_router_new(groups, zq_all_route_groups_n);
    if (!app->router) {
        snprintf(err, errlen, "invalid route table");
        goto fail;
    }
    app->body_cap = app->cfg.body_max;
    for (size_t g = 0; g < zq_all_route_groups_n; g++)
        for (size_t i = 0; i < groups[g].n; i++)
            if (groups[g].routes[i].body_max > app->body_cap) app->body_cap = groups[g].routes[i].body_max;

    if (cfg->web_dir && *cfg->web_dir) {
        app->web = zq_static_open(cfg->web_dir, err, errlen);
        if (!app->web) goto fail;
    }
    app->dicts = dict_cache_new();
    if (!app->dicts) goto oom;
    app->policies = policy_cache_new();
    if (!app->policies) goto oom;
    app->trade = trade_cache_new();
    if (!app->trade) goto oom;
    app->wechat = wechat_client_new();
    if (!app->wechat) goto oom;
    return app;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    if (c) db_close(c);
    zq_app_free(app);
    return NULL;
}

void zq_app_free(zq_app *app)
{
    if (!app) return;
    dict_cache_free(app->dicts);
    policy_cache_free(app->policies);
    trade_cache_free(app->trade);
    wechat_client_free(app->wechat);
    zq_static_free(app->web);
    zq_router_free(app->router);
    if (app->pool) db_pool_close(app->pool);
    free(app);
}
