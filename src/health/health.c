/*
 * health.c — GET /api/v1/health: answers ok only after a real query, so a
 * load balancer takes an instance whose database is gone out of rotation.
 * A staff session also gets "details": how the directory's keyword search
 * runs on this database (pg_trgm's index or the scan, docs/performance.md);
 * anonymous callers and enterprise users get nothing more.
 */
#include "http/context.h"
#include "health/health.h"
#include "auth/access.h"
#include "db/db.h"
#include "directory/filter.h"

static int write_details(zq_req *q, zq_jw *w)
{
    const char *path = dir_search_path(q->db);
    if (!path) return DB_ERR;
    zq_jw_key(w, "details");
    zq_jw_obj(w);
    /* three characters or more: "fts5_trigram" | "pg_trgm" | "scan" */
    zq_jw_kstr(w, "keyword_search", path);
    /* one or two characters: the gram index on either engine (SQLite: FTS5 of
     * migration 0014; PostgreSQL: the (gram, firm) table of 0027) */
    zq_jw_kstr(w, "short_keyword_search", db_conn_engine(q->db) == DB_SQLITE ? "fts5_gram" : "gram_table");
    zq_jw_obj_end(w);
    return DB_OK;
}

static zq_err health_get(zq_req *q, zq_resp *r)
{
    int64_t n = 0;
    if (db_query_int64(q->db, "SELECT COUNT(*) FROM dict_type", &n, 0, NULL) != DB_OK)
        return zq_fail(r, ZQ_E_UNAVAILABLE, "数据库暂时不可用");
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "status", "ok");
    zq_jw_kstr(&w, "db", db_engine_name(db_conn_engine(q->db)));
    zq_jw_kstr(&w, "version", q->app->version);
    if (q->session && q->session->staff_id && write_details(q, &w) != DB_OK)
        return zq_fail(r, ZQ_E_UNAVAILABLE, "数据库暂时不可用");
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/health", health_get, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
};
const zq_route_group health_routes = {routes, sizeof routes / sizeof routes[0]};
