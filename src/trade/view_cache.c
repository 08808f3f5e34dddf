/*
 * view_cache.c — the bureau's heavy trade views (a task's summary, the
 * 24-month analysis) rendered once per change of the data they show and
 * served from memory (core/vcache.h) with an ETag until the next change.
 * Computing them reads every report of a task or of two years (10,000 to
 * 240,000 rows: 30 ms to half a second), while staff open them far more
 * often than the data moves.
 *
 * Freshness: the version is trade_rev.rev (bumped by trade_rev_bump in the
 * transaction of every change these views show) plus the latest
 * enterprise.updated_at (names, districts and industries of the firms).
 * Both only grow, so their sum does. It is read on every request (two
 * index lookups), so every instance serves a change at once; nothing
 * waits for a timer.
 */
#include "trade/trade_internal.h"
#include "trade/trade.h"
#include "http/context.h"
#include "core/vcache.h"
#include "handler/cached.h"
#include <stdlib.h>
#include <string.h>

static const char SQL_VERSION[] =
    "SELECT (SELECT rev FROM trade_rev WHERE id = 1) + COALESCE((SELECT MAX(updated_at) FROM enterprise), 0)";
static const char SQL_BUMP[] = "UPDATE trade_rev SET rev = rev + 1 WHERE id = 1";

struct trade_cache {
    vcache *views;
};

trade_cache *trade_cache_new(void)
{
    trade_cache *c = calloc(1, sizeof *c);
    if (c && !(c->views = vcache_new())) {
        free(c);
        return NULL;
    }
    return c;
}

void trade_cache_free(trade_cache *c)
{
    if (!c) return;
    vcache_free(c->views);
    free(c);
}

int trade_rev_bump(db_conn *c)
{
    db_stmt *s = db_prepare(c, SQL_BUMP);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int version_read(db_conn *c, int64_t *out)
{
    db_stmt *s = db_prepare(c, SQL_VERSION);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *out = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

zq_err trade_cache_serve(zq_req *q, zq_resp *r, const char *key, trade_render_fn render, void *ctx)
{
    trade_cache *c = q->app->trade;
    char etag[24];
    const char *data = NULL;
    size_t len = 0;
    /* the version before the data: rows read after it are at least as new */
    int64_t version = 0;
    if (version_read(q->db, &version) != DB_OK) return trade_db_fail(q, r);
    vcache_saw_version(c->views, version);
    vcache_blob *blob = vcache_get(c->views, key, etag, &data, &len);
    if (blob) {
        hk_send_kept(r, data, len, vcache_blob_release, blob);
    } else {
        zq_err e = render(q, r, ctx);
        if (e != ZQ_OK || r->status != 200) return e;
        vcache_etag(r->body.data, r->body.len, etag);
        vcache_put(c->views, key, r->body.data, r->body.len, etag, version);
    }
    /* staff data: kept by no shared cache, revalidated on every use */
    hk_etag_reply(q, r, etag, "private, no-cache");
    return ZQ_OK;
}
