/*
 * dict_api.c — GET /api/v1/dicts and GET /api/v1/dicts/:type[?tree=1][&all=1]:
 * the public, cached dictionaries, and the look-ups validators use (dict.h).
 * Pickers read the enabled items; `all=1` adds the disabled ones, marked
 * "disabled":true, for pages that show the names of codes records hold
 * (a firm whose scale was disabled still reads 微型, not "micro"). Names
 * are public reference data, so `all` needs no session either.
 */
#include "dict/dict_internal.h"
#include "http/context.h"
#include "dict/dict.h"
#include "handler/cached.h"
#include "core/text.h"
#include "db/db.h"
#include <string.h>

typedef struct {
    const char *code, *name, *parent, *kind;
    bool disabled;
} dict_row;

#define DICT_MAX_ITEMS 5000
#define DICT_TREE_DEPTH 4

static const char SQL_TYPE[] = "SELECT hierarchical FROM dict_type WHERE type = $1";
static const char SQL_ITEMS[] =
    "SELECT code, name, parent, kind, enabled FROM dict_item WHERE type = $1 AND enabled = 1 ORDER BY sort, code";
static const char SQL_ITEMS_ALL[] =
    "SELECT code, name, parent, kind, enabled FROM dict_item WHERE type = $1 ORDER BY sort, code";
static const char SQL_HAS[] = "SELECT 1 FROM dict_item WHERE type = $1 AND code = $2";
static const char SQL_NAME[] = "SELECT name FROM dict_item WHERE type = $1 AND code = $2";
static const char SQL_LOOKUP[] = "SELECT enabled, name, parent FROM dict_item WHERE type = $1 AND code = $2";
static const char SQL_VERSION[] = "SELECT version FROM dict_version WHERE id = 1";
static const char SQL_TYPES[] = "SELECT type, name, hierarchical FROM dict_type ORDER BY type";

bool dict_has_code(db_conn *db, const char *type, const char *code)
{
    db_stmt *s = db_prepare(db, SQL_HAS);
    if (!s) return false;
    db_bind_text(s, 1, type, -1);
    db_bind_text(s, 2, code, -1);
    bool found = db_step(s) == DB_ROW;
    db_stmt_done(s);
    return found;
}

const char *dict_name(zq_req *q, const char *type, const char *code)
{
    const char *out = NULL;
    db_stmt *s = code ? db_prepare(q->db, SQL_NAME) : NULL;
    if (!s) return NULL;
    db_bind_text(s, 1, type, -1);
    db_bind_text(s, 2, code, -1);
    if (db_step(s) == DB_ROW) out = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    return out;
}

dict_state dict_lookup(zq_req *q, const char *type, const char *code, bool leaf_only, const char **name)
{
    db_stmt *s = db_prepare(q->db, SQL_LOOKUP);
    if (!s) return DICT_ERROR;
    db_bind_text(s, 1, type, -1);
    db_bind_text(s, 2, code, -1);
    int rc = db_step(s);
    dict_state st = DICT_ABSENT;
    if (rc == DB_ROW && (!leaf_only || !db_col_is_null(s, 2))) {
        st = db_col_int64(s, 0) ? DICT_ENABLED : DICT_DISABLED;
        if (name) *name = zq_arena_strdup(q->arena, db_col_text(s, 1));
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? st : DICT_ERROR;
}

int dict_version_read(db_conn *db, int64_t *out)
{
    db_stmt *s = db_prepare(db, SQL_VERSION);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *out = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static void write_item(zq_jw *w, const dict_row *it, bool with_parent)
{
    zq_jw_kstr(w, "code", it->code);
    zq_jw_kstr(w, "name", it->name);
    if (with_parent && it->parent) zq_jw_kstr(w, "parent", it->parent);
    if (it->kind) zq_jw_kstr(w, "kind", it->kind);
    if (it->disabled) zq_jw_kbool(w, "disabled", true);
}

static void write_children(zq_jw *w, const dict_row *rows, int n, const char *parent, int depth)
{
    for (int i = 0; i < n; i++) {
        if (!rows[i].parent || strcmp(rows[i].parent, parent) != 0) continue;
        zq_jw_obj(w);
        write_item(w, &rows[i], false);
        bool has_kids = false;
        for (int k = 0; k < n && !has_kids; k++) has_kids = rows[k].parent && strcmp(rows[k].parent, rows[i].code) == 0;
        if (has_kids && depth < DICT_TREE_DEPTH) {
            zq_jw_key(w, "children");
            zq_jw_arr(w);
            write_children(w, rows, n, rows[i].code, depth + 1);
            zq_jw_arr_end(w);
        }
        zq_jw_obj_end(w);
    }
}

static bool is_root(const dict_row *rows, int n, int i)
{
    if (!rows[i].parent) return true;
    for (int k = 0; k < n; k++)
        if (strcmp(rows[k].code, rows[i].parent) == 0) return false;
    return true;
}

/* Renders the dictionary into r->body. ZQ_E_NOT_FOUND for an unknown type. */
static zq_err render(zq_req *q, zq_resp *r, const char *type, bool tree, bool all)
{
    zq_err e = ZQ_E_INTERNAL;
    dict_row *rows = NULL;
    int n = 0, cap = 0;
    db_stmt *s = db_prepare(q->db, SQL_TYPE);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_text(s, 1, type, -1);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);

    s = db_prepare(q->db, all ? SQL_ITEMS_ALL : SQL_ITEMS);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_text(s, 1, type, -1);
    while ((rc = db_step(s)) == DB_ROW && n < DICT_MAX_ITEMS) {
        if (n == cap) {
            int nc = cap ? cap * 2 : 64;
            dict_row *nr = zq_arena_alloc(q->arena, sizeof *nr * (size_t)nc);
            if (!nr) goto fail;
            if (n) memcpy(nr, rows, sizeof *nr * (size_t)n);
            rows = nr;
            cap = nc;
        }
        rows[n].code = zq_arena_strdup(q->arena, db_col_text(s, 0));
        rows[n].name = zq_arena_strdup(q->arena, db_col_text(s, 1));
        rows[n].parent = zq_arena_strdup(q->arena, db_col_text(s, 2));
        rows[n].kind = zq_arena_strdup(q->arena, db_col_text(s, 3));
        rows[n].disabled = db_col_int64(s, 4) == 0;
        if (!rows[n].code || !rows[n].name) goto fail;
        n++;
    }
    if (rc != DB_ROW && rc != DB_DONE) goto fail;

    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (int i = 0; i < n; i++) {
        if (tree && !is_root(rows, n, i)) continue;
        if (!tree) {
            zq_jw_obj(&w);
            write_item(&w, &rows[i], true);
            zq_jw_obj_end(&w);
            continue;
        }
        zq_jw_obj(&w);
        write_item(&w, &rows[i], false);
        zq_jw_key(&w, "children");
        zq_jw_arr(&w);
        write_children(&w, rows, n, rows[i].code, 1);
        zq_jw_arr_end(&w);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    e = zq_jw_ok(&w) ? ZQ_OK : ZQ_E_INTERNAL;
fail:
    db_stmt_done(s);
    return e == ZQ_OK ? ZQ_OK : zq_fail(r, e, NULL);
}

/* At most one request per half second asks the database for the dictionary
 * version, so an edit made on another instance shows here within about
 * that. When no pooled connection comes free in time the cached renderings
 * are served as they are and a later request asks. */
static void check_version(zq_req *q)
{
    if (!dict_cache_check_due(q->app->dicts)) return;
    bool borrowed = !q->db;
    if (borrowed && !(q->db = db_pool_acquire(q->app->pool))) return;
    int64_t v = 0;
    if (dict_version_read(q->db, &v) == DB_OK) dict_cache_saw_version(q->app->dicts, v);
    if (borrowed) {
        db_pool_release(q->app->pool, q->db);
        q->db = NULL;
    }
}

static zq_err dict_get(zq_req *q, zq_resp *r)
{
    const char *type = zq_req_param(q, "type");
    const char *treeq = zq_req_query(q, "tree");
    const char *allq = zq_req_query(q, "all");
    bool tree = treeq && (strcmp(treeq, "1") == 0 || strcmp(treeq, "true") == 0);
    bool all = allq && (strcmp(allq, "1") == 0 || strcmp(allq, "true") == 0);
    char key[48], etag[24];
    if (strlen(type) > 32) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    snprintf(key, sizeof key, "%s%s%s", type, tree ? "?tree" : "", all ? "&all" : "");

    check_version(q);
    const char *data = NULL;
    size_t len = 0;
    dict_blob *blob = dict_cache_get(q->app->dicts, key, etag, &data, &len);
    if (blob) {
        hk_send_kept(r, data, len, dict_blob_release, blob);
    } else {
        /* the route runs without a connection so cache hits never touch the pool */
        zq_err de = zq_req_db(q, r);
        if (de != ZQ_OK) return de;
        /* the version first: items read after it are at least that new */
        int64_t version = 0;
        if (dict_version_read(q->db, &version) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        zq_err e = render(q, r, type, tree, all);
        if (e != ZQ_OK) return e;
        vcache_etag(r->body.data, r->body.len, etag);
        dict_cache_put(q->app->dicts, key, r->body.data, r->body.len, etag, version);
    }
    r->status = 200;
    r->content_type = "application/json; charset=utf-8";
    /* revalidated on every use (a 304 when unchanged): an edit reaches the
     * pickers at once instead of after a browser-side max-age */
    hk_etag_reply(q, r, etag, "public, no-cache");
    return ZQ_OK;
}

static zq_err dict_types(zq_req *q, zq_resp *r)
{
    db_stmt *s = db_prepare(q->db, SQL_TYPES);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    int rc;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "type", db_col_text(s, 0));
        zq_jw_kstr(&w, "name", db_col_text(s, 1));
        zq_jw_kbool(&w, "hierarchical", db_col_int64(s, 2) != 0);
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/dicts", dict_types, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/dicts/:type", dict_get, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_NO_DB, 0, NULL},
};
const zq_route_group dict_routes = {routes, sizeof routes / sizeof routes[0]};
