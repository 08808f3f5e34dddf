/*
 * public_cache.c — the portal's unfiltered policy and notice pages, kept
 * rendered in memory per instance (core/vcache.h) with their ETags. Every
 * publish, withdraw or edit of a published item bumps content_version in
 * its transaction; the instance that made it drops its pages at once
 * (policy_cache_saw), the others within about half a second (one version
 * read per period, by whichever request comes first), so several
 * instances on one PostgreSQL serve a change within a second.
 */
#include "policy/policy_search.h"
#include "http/context.h"
#include "core/text.h"
#include "core/vcache.h"
#include "handler/cached.h"
#include "db/db.h"
#include <stdlib.h>
#include <string.h>

static const char SQL_VERSION[] = "SELECT version FROM content_version WHERE id = 1";

/* Two sets of slots: the landing pages, and every other query (searches,
 * filters, deeper pages), so a burst of different searches can never
 * push the landing pages out. */
struct policy_cache {
    vcache *pages, *queries;
};

policy_cache *policy_cache_new(void)
{
    policy_cache *c = calloc(1, sizeof *c);
    if (c && (!(c->pages = vcache_new()) || !(c->queries = vcache_new()))) {
        vcache_free(c->pages);
        free(c);
        return NULL;
    }
    return c;
}

void policy_cache_free(policy_cache *c)
{
    if (!c) return;
    vcache_free(c->pages);
    vcache_free(c->queries);
    free(c);
}

void policy_cache_saw(policy_cache *c, int64_t version)
{
    if (!c) return;
    vcache_saw_version(c->pages, version);
    vcache_saw_version(c->queries, version);
}

static int version_read(db_conn *db, int64_t *out)
{
    db_stmt *s = db_prepare(db, SQL_VERSION);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *out = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* At most one request per period reads the version; when no connection
 * comes free in time the pages are served as they are. */
static void check_version(zq_req *q)
{
    policy_cache *c = q->app->policies;
    if (!vcache_check_due(c->pages)) return;
    bool borrowed = !q->db;
    if (borrowed && !(q->db = db_pool_acquire(q->app->pool))) return;
    int64_t v = 0;
    if (version_read(q->db, &v) == DB_OK) policy_cache_saw(c, v);
    if (borrowed) {
        db_pool_release(q->app->pool, q->db);
        q->db = NULL;
    }
}

zq_err policy_cache_serve(zq_req *q, zq_resp *r, const char *key, pol_render_fn render, const pol_filter *f)
{
    policy_cache *c = q->app->policies;
    vcache *slots = key[0] == '?' ? c->queries : c->pages;
    char etag[24];
    const char *data = NULL;
    size_t len = 0;
    check_version(q);
    vcache_blob *blob = vcache_get(slots, key, etag, &data, &len);
    if (blob) {
        hk_send_kept(r, data, len, vcache_blob_release, blob);
    } else {
        zq_err de = zq_req_db(q, r);
        if (de != ZQ_OK) return de;
        /* the version first: the rows read after it are at least that new */
        int64_t version = 0;
        if (version_read(q->db, &version) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        zq_err e = render(q, r, f);
        if (e != ZQ_OK) return e;
        vcache_etag(r->body.data, r->body.len, etag);
        vcache_put(slots, key, r->body.data, r->body.len, etag, version);
    }
    /* revalidated on every use: a publication reaches the portal at once */
    hk_etag_reply(q, r, etag, "public, no-cache");
    return ZQ_OK;
}
