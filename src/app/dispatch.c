/*
 * dispatch.c — the request pipeline every request passes, in order:
 * client address → limits → decode → route → body/JSON → session → CSRF →
 * access → handler (with the audit stage around it) → error envelope →
 * security headers. The HTTP server and the in-process
 * tests both drive requests through here, so tests exercise the real path.
 */
#include <assert.h>
#include "app/app.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "core/text.h"
#include "db/db.h"
#include "http/static.h"
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <time.h>
#include <sodium.h>
#include <unistd.h>

#define REQ_ARENA_CAP (8u << 20)   /* per-request working memory */
#define PATH_MAX_BYTES 2048
#define QUERY_MAX_PAIRS 64
#define COOKIE_MAX_PAIRS 32

static const char CSP[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

int zq_req_begin(zq_app *app, zq_req *q, zq_resp *r)
{
    memset(q, 0, sizeof *q);
    zq_resp_init(r);
    q->arena = zq_arena_new(REQ_ARENA_CAP);
    if (!q->arena) return -1;
    q->app = app;
    q->now = (int64_t)time(NULL);
    q->raw_query = "";
    q->client_ip = "127.0.0.1";
    uint64_t n = atomic_fetch_add(&app->rid_counter, 1);
    snprintf(q->request_id, sizeof q->request_id, "%08x%08x", app->rid_prefix, (unsigned)(n & 0xffffffffu));
    return 0;
}

void zq_req_end(zq_req *q, zq_resp *r)
{
    if (q->json) json_decref(q->json);
    q->json = NULL;
    if (q->db) db_pool_release(q->app->pool, q->db);
    q->db = NULL;
    zq_resp_free(r);
    zq_arena_free(q->arena);
    q->arena = NULL;
}

static bool is_api_path(const char *p)
{
    return strncmp(p, "/api/", 5) == 0;
}

size_t zq_app_prepare(zq_req *q, zq_resp *r)
{
    zq_app *app = q->app;
    const char *raw = q->path ? q->path : "";
    size_t rawlen = strlen(raw);

    /* behind nginx the peer is the proxy: rate limits, login locks and the
     * audit log need the client's own address */
    q->client_ip = zq_proxy_client(&app->cfg.trusted_proxies, q->arena, q->client_ip, &q->headers);

    if (!q->method) {
        zq_fail(r, ZQ_E_METHOD, NULL);
        return 0;
    }
    if (rawlen > PATH_MAX_BYTES) {
        zq_fail(r, ZQ_E_URI_TOO_LONG, NULL);
        return 0;
    }
    if (strlen(q->raw_query) > app->cfg.query_max) {
        zq_fail(r, ZQ_E_URI_TOO_LONG, "查询参数过长");
        return 0;
    }
    char *path = zq_arena_alloc(q->arena, rawlen + 1);
    long plen = path ? zq_pct_decode(raw, rawlen, path, false) : -1;
    if (plen < 0 || path[0] != '/' || !zq_utf8_valid(path, (size_t)plen)) {
        zq_fail(r, ZQ_E_BAD_REQUEST, "请求地址不正确");
        return 0;
    }
    q->path = path;
    if (zq_parse_query(q->arena, q->raw_query, strlen(q->raw_query), &q->query, QUERY_MAX_PAIRS) != 0) {
        zq_fail(r, ZQ_E_BAD_REQUEST, "查询参数格式不正确");
        return 0;
    }
    const char *cookie = zq_req_header(q, "cookie");
    if (cookie && zq_parse_cookies(q->arena, cookie, &q->cookies, COOKIE_MAX_PAIRS) != 0) {
        zq_fail(r, ZQ_E_BAD_REQUEST, "Cookie 格式不正确");
        return 0;
    }

    if (!is_api_path(q->path)) {
        if (!(q->method & (ZQ_GET | ZQ_HEAD))) {
            zq_resp_header(q->arena, r, "Allow", "GET, HEAD");
            zq_fail(r, ZQ_E_METHOD, NULL);
            return 0;
        }
        return 1; /* static files take no body; 1 byte lets the server notice one */
    }

    unsigned allowed = 0;
    switch (zq_router_match(app->router, q, &q->route, &allowed)) {
    case ZQ_MATCH_OK:
        break;
    case ZQ_MATCH_METHOD: {
        char allow[96];
        zq_methods_str(allowed, allow, sizeof allow);
        zq_resp_header(q->arena, r, "Allow", zq_arena_strdup(q->arena, allow));
        zq_fail(r, ZQ_E_METHOD, NULL);
        return 0;
    }
    case ZQ_MATCH_NONE:
        zq_fail(r, ZQ_E_NOT_FOUND, "接口不存在");
        return 0;
    }
    return q->route->body_max ? q->route->body_max : app->cfg.body_max;
}

static zq_err parse_body(zq_req *q, zq_resp *r)
{
    if (q->body_len == 0) return ZQ_OK;
    if (!(q->route->flags & ZQ_RF_JSON)) return ZQ_OK;
    const char *ct = zq_req_header(q, "content-type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' '))
        return zq_fail(r, ZQ_E_MEDIA_TYPE, NULL);
    json_error_t jerr;
    q->json = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!q->json) {
        const char *msg = strstr(jerr.text, "UTF-8") || strstr(jerr.text, "unicode")
                              ? "请求内容包含无效的 UTF-8 字符"
                          : strstr(jerr.text, "duplicate") ? "请求内容包含重复的字段"
                                                           : NULL;
        return zq_fail(r, ZQ_E_BAD_JSON, msg);
    }
    if (!json_is_object(q->json)) return zq_fail(r, ZQ_E_BAD_JSON, "请求内容必须是 JSON 对象");
    return ZQ_OK;
}

static void write_envelope(zq_req *q, zq_resp *r)
{
    zq_jw w;
    zq_resp_drop_ext(r);
    zq_resp_json(r, &w, zq_err_status(r->err));
    zq_jw_obj(&w);
    zq_jw_key(&w, "error");
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "code", zq_err_code(r->err));
    zq_jw_kstr(&w, "message", r->err_message ? r->err_message : zq_err_message(r->err));
    if (r->err_fields.n) {
        zq_jw_key(&w, "fields");
        zq_jw_obj(&w);
        for (int i = 0; i < r->err_fields.n; i++) zq_jw_kstr(&w, r->err_fields.items[i].name, r->err_fields.items[i].value);
        zq_jw_obj_end(&w);
    }
    if (r->retry_after > 0) zq_jw_kint(&w, "retry_after", r->retry_after);
    zq_jw_kstr(&w, "request_id", q->request_id);
    zq_jw_obj_end(&w);
    zq_jw_obj_end(&w);
    if (r->retry_after > 0) zq_resp_header(q->arena, r, "Retry-After", zq_arena_printf(q->arena, "%lld", (long long)r->retry_after));
    if (r->file_fd >= 0) {
        close(r->file_fd);
        r->file_fd = -1;
    }
}

static void security_headers(zq_req *q, zq_resp *r)
{
    zq_arena *a = q->arena;
    zq_resp_header(a, r, "X-Request-Id", q->request_id);
    zq_resp_header(a, r, "X-Content-Type-Options", "nosniff");
    zq_resp_header(a, r, "X-Frame-Options", "DENY");
    zq_resp_header(a, r, "Referrer-Policy", "strict-origin-when-cross-origin");
    zq_resp_header(a, r, "Content-Security-Policy", CSP);
    zq_resp_header(a, r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    zq_resp_header(a, r, "Cross-Origin-Opener-Policy", "same-origin");
    if (!zq_kvs_get(&r->headers, "Cache-Control"))
        zq_resp_header(a, r, "Cache-Control", "no-store");
}

/* The connection goes back to the pool as soon as the handler is done, not
 * when the response has been sent: the worker thread that sends it is the
 * same one that may next wait in db_pool_acquire, and a connection held
 * until after the send is one only that thread could free (issue 9: every
 * worker waited for a connection the others' unsent responses held).
 * Responses therefore never read the database while they are sent. */
static void release_db(zq_req *q)
{
    if (!q->db) return;
    db_pool_release(q->app->pool, q->db);
    q->db = NULL;
}

/* Seconds a client is asked to wait when every heavy slot is taken. */
#define HEAVY_RETRY_AFTER_S 5

static bool heavy_take(zq_app *app)
{
    int n = atomic_load(&app->heavy_running);
    do {
        if (n >= app->heavy_max) return false;
    } while (!atomic_compare_exchange_weak(&app->heavy_running, &n, n + 1));
    return true;
}

static zq_err run_handler(zq_req *q, zq_resp *r)
{
    if (!(q->route->flags & ZQ_RF_HEAVY)) return q->route->handler(q, r);
    if (!heavy_take(q->app)) {
        r->retry_after = HEAVY_RETRY_AFTER_S;
        return zq_fail(r, ZQ_E_UNAVAILABLE, "当前导出任务较多，请稍后重试");
    }
    zq_err e = q->route->handler(q, r);
    atomic_fetch_sub(&q->app->heavy_running, 1);
    return e;
}

static zq_err run_api(zq_req *q, zq_resp *r)
{
    assert(q->route && q->route->handler);
    zq_err e;
    if (q->body_len > (q->route->body_max ? q->route->body_max : q->app->cfg.body_max))
        return zq_fail(r, ZQ_E_TOO_LARGE, NULL);
    if ((e = parse_body(q, r)) != ZQ_OK) return e;
    if (!(q->route->flags & ZQ_RF_NO_DB)) {
        if ((e = zq_req_db(q, r)) != ZQ_OK) return e;
        auth_session_load(q);
    }
    /* a path both sides use is answered by the route of the caller's side */
    bool staff = q->session && q->session->staff_id;
    if ((q->route->access == ZQ_ACCESS_STAFF) != staff) {
        const zq_route *twin = zq_router_twin(q->app->router, q->route, staff);
        if (twin) q->route = twin;
    }
    if ((e = auth_gate(q, r)) != ZQ_OK) return e;
    /* the audit stage: an unsafe route's record is written in the
     * handler's transaction when it commits (src/audit/stage.c) */
    audit_stage_open(q);
    e = run_handler(q, r);
    /* a few handlers write their own error body (409 uscc_registered): the status decides */
    bool ok = e == ZQ_OK && r->err == ZQ_OK && r->status < 400;
    if (audit_stage_close(q, ok) != 0 && ok) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return e;
}

void zq_app_run(zq_req *q, zq_resp *r)
{
    if (r->err == ZQ_OK) {
        if (q->route) {
            zq_err e = run_api(q, r);
            release_db(q);
            if (e != ZQ_OK && r->err == ZQ_OK) r->err = e;
        } else if (q->body_len > 0) {
            zq_fail(r, ZQ_E_TOO_LARGE, NULL);
        } else if (q->app->web) {
            zq_static_serve(q->app->web, q, r);
        } else {
            zq_fail(r, ZQ_E_NOT_FOUND, NULL);
        }
    }
    if (r->err != ZQ_OK) write_envelope(q, r);
    if (!r->status) r->status = 200;
    security_headers(q, r);
    if (atomic_load(&q->app->draining)) zq_resp_header(q->arena, r, "Connection", "close");
}

void zq_app_dispatch(zq_req *q, zq_resp *r)
{
    size_t cap = zq_app_prepare(q, r);
    if (cap && q->body_len > cap) zq_fail(r, ZQ_E_TOO_LARGE, NULL);
    zq_app_run(q, r);
}
