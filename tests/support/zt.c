/*
 * zt.c — in-process API test harness (see zt.h).
 */
#include "zt.h"
#include "auth/access.h"
#include "db/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

/* An app over the database at url, configured for tests. */
static zq_app *app_over(const char *url, const char *web, void (*tweak)(zq_config *))
{
    zq_config cfg;
    zq_config_defaults(&cfg);
    cfg.db_url = url;
    cfg.web_dir = web;
    cfg.dev = true;
    cfg.threads = 1;
    cfg.db_conns = 2;
    cfg.access_log = false;
    cfg.pw_ops = 1;          /* argon2id at its minimum cost: tests check logic, not cost */
    cfg.pw_mem = 8192;
    if (tweak) tweak(&cfg);
    char err[512] = "";
    zq_app *app = zq_app_new(&cfg, err, sizeof err);
    if (!app) fail_msg("zq_app_new: %s", err);
    return app;
}

static zt_env *start(const char *web, void (*tweak)(zq_config *))
{
    zt_env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    const char *pg = getenv("ZQ_TEST_DB");
    if (pg && (strncmp(pg, "postgres", 8) == 0)) {
        char err[256];
        snprintf(e->url, sizeof e->url, "%s", pg);
        db_conn *c = db_open(pg, err, sizeof err);
        if (!c) fail_msg("cannot open %s: %s", pg, err);
        if (db_exec(c, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;") != DB_OK)
            fail_msg("cannot reset schema: %s", db_errmsg(c));
        db_close(c);
    } else {
        snprintf(e->dir, sizeof e->dir, "/tmp/zt.XXXXXX");
        if (!mkdtemp(e->dir)) fail_msg("mkdtemp failed");
        snprintf(e->url, sizeof e->url, "sqlite:%s/t.db", e->dir);
    }
    e->app = app_over(e->url, web, tweak);
    return e;
}

zq_app *zt_instance(const zt_env *e) { return app_over(e->url, NULL, NULL); }

zt_env *zt_start(void) { return start(NULL, NULL); }
zt_env *zt_start_web(const char *web_dir) { return start(web_dir, NULL); }
zt_env *zt_start_cfg(void (*tweak)(zq_config *cfg)) { return start(NULL, tweak); }

void zt_stop(zt_env *e)
{
    if (!e) return;
    zq_app_free(e->app);
    if (e->dir[0]) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
        if (system(cmd) != 0) fprintf(stderr, "warning: could not remove %s\n", e->dir);
    }
    free(e);
}

void zt_client_init(zt_client *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->ip, sizeof c->ip, "127.0.0.1");
    snprintf(c->user_agent, sizeof c->user_agent, "zt/1.0");
}

static void add_header(zq_req *q, const char *name, const char *value)
{
    char *k = zq_arena_strdup(q->arena, name);
    for (char *p = k; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    zq_kvs_add(q->arena, &q->headers, k, zq_arena_strdup(q->arena, value));
}

static void keep_cookie(zt_client *c, const char *set_cookie)
{
    const char *eq = strchr(set_cookie, '=');
    const char *semi = strchr(set_cookie, ';');
    if (!eq || !semi || strncmp(set_cookie, ZQ_SESSION_COOKIE, strlen(ZQ_SESSION_COOKIE)) != 0) return;
    if (semi == eq + 1) {
        c->cookie[0] = '\0';
        c->csrf[0] = '\0';
        return;
    }
    snprintf(c->cookie, sizeof c->cookie, "%.*s", (int)(semi - set_cookie), set_cookie);
}

zt_resp *zt_req(zt_env *e, zt_client *c, const char *method, const char *path, const char *body, const char *extra)
{
    zq_req q;
    zq_resp r;
    zt_resp *out = calloc(1, sizeof *out);
    assert_non_null(out);
    assert_int_equal(zq_req_begin(e->app, &q, &r), 0);
    q.method = zq_method_parse(method);
    q.method_name = method;
    const char *qm = strchr(path, '?');
    q.path = qm ? zq_arena_strndup(q.arena, path, (size_t)(qm - path)) : zq_arena_strdup(q.arena, path);
    q.raw_query = qm ? zq_arena_strdup(q.arena, qm + 1) : "";
    q.client_ip = c ? c->ip : "127.0.0.1";
    bool has_ct = false;
    if (extra) {
        const char *p = extra;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            const char *colon = memchr(p, ':', len);
            if (colon) {
                char *name = zq_arena_strndup(q.arena, p, (size_t)(colon - p));
                const char *v = colon + 1;
                while (*v == ' ') v++;
                char *val = zq_arena_strndup(q.arena, v, (size_t)(p + len - v));
                if (strcasecmp(name, "content-type") == 0) has_ct = true;
                add_header(&q, name, val);
            }
            p += len + (nl ? 1 : 0);
        }
    }
    if (c) {
        if (c->cookie[0] && !zq_req_header(&q, "cookie")) add_header(&q, "Cookie", c->cookie);
        if (c->csrf[0] && !zq_req_header(&q, "x-csrf-token")) add_header(&q, "X-CSRF-Token", c->csrf);
        add_header(&q, "User-Agent", c->user_agent);
    }
    if (body) {
        if (!has_ct) add_header(&q, "Content-Type", "application/json");
        q.body = body;
        q.body_len = strlen(body);
    }
    zq_app_dispatch(&q, &r);

    out->status = r.status;
    if (r.file_fd >= 0) {
        struct stat st;
        fstat(r.file_fd, &st);
        out->body = malloc((size_t)st.st_size + 1);
        ssize_t got = pread(r.file_fd, out->body, (size_t)st.st_size, 0);
        out->len = got > 0 ? (size_t)got : 0;
        out->body[out->len] = '\0';
    } else if (r.ext_body) {
        out->body = malloc(r.ext_len + 1);
        memcpy(out->body, r.ext_body, r.ext_len);
        out->body[r.ext_len] = '\0';
        out->len = r.ext_len;
    } else {
        out->body = malloc(r.body.len + 1);
        memcpy(out->body, r.body.data ? r.body.data : "", r.body.len);
        out->body[r.body.len] = '\0';
        out->len = r.body.len;
    }
    size_t o = 0;
    if (r.content_type) o += (size_t)snprintf(out->headers + o, sizeof out->headers - o, "Content-Type: %s\n", r.content_type);
    for (int i = 0; i < r.headers.n && o < sizeof out->headers; i++) {
        o += (size_t)snprintf(out->headers + o, sizeof out->headers - o, "%s: %s\n", r.headers.items[i].name, r.headers.items[i].value);
        if (c && strcasecmp(r.headers.items[i].name, "Set-Cookie") == 0) keep_cookie(c, r.headers.items[i].value);
    }
    if (o >= sizeof out->headers) out->headers[sizeof out->headers - 1] = '\0';
    json_error_t jerr;
    /* a key written twice is a bug a browser hides (the last one wins) */
    out->json = json_loadb(out->body, out->len, JSON_REJECT_DUPLICATES, &jerr);
    if (!out->json && strstr(jerr.text, "duplicate"))
        fail_msg("%s %s: the response repeats a key (%s): %.300s", method, path, jerr.text, out->body);
    if (c && out->json) {
        const char *tok = json_string_value(json_object_get(out->json, "csrf_token"));
        if (tok) snprintf(c->csrf, sizeof c->csrf, "%s", tok);
    }
    zq_req_end(&q, &r);
    return out;
}

zt_resp *zt_get(zt_env *e, zt_client *c, const char *path) { return zt_req(e, c, "GET", path, NULL, NULL); }
zt_resp *zt_post(zt_env *e, zt_client *c, const char *path, const char *body) { return zt_req(e, c, "POST", path, body ? body : "{}", NULL); }

zt_resp *zt_postf(zt_env *e, zt_client *c, const char *path, const char *fmt, ...)
{
    char *body = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&body, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    zt_resp *r = zt_post(e, c, path, body);
    free(body);
    return r;
}

void zt_resp_free(zt_resp *r)
{
    if (!r) return;
    if (r->json) json_decref(r->json);
    free(r->body);
    free(r);
}

const char *zt_header(const zt_resp *r, const char *name)
{
    static __thread char val[1024];
    size_t n = strlen(name);
    for (const char *p = r->headers; *p;) {
        const char *nl = strchr(p, '\n');
        if (!nl) break;
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ') v++;
            snprintf(val, sizeof val, "%.*s", (int)(nl - v), v);
            return val;
        }
        p = nl + 1;
    }
    return NULL;
}

json_t *zt_json(const zt_resp *r, const char *path)
{
    json_t *cur = r->json;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, ".")) {
        if (json_is_array(cur)) cur = json_array_get(cur, (size_t)strtoul(tok, NULL, 10));
        else cur = json_object_get(cur, tok);
    }
    return cur;
}

const char *zt_str(const zt_resp *r, const char *path)
{
    return json_string_value(zt_json(r, path));
}

long long zt_int(const zt_resp *r, const char *path)
{
    json_t *v = zt_json(r, path);
    if (!v) fail_msg("no JSON value at %s in %s", path, r->body);
    return (long long)json_integer_value(v);
}

long long zt_count(zt_env *e, const char *sql)
{
    db_conn *c = db_pool_acquire(e->app->pool);
    int64_t n = -1;
    if (db_query_int64(c, sql, &n, 0, NULL) != DB_OK) fail_msg("query failed: %s: %s", sql, db_errmsg(c));
    db_pool_release(e->app->pool, c);
    return (long long)n;
}

void zt_exec(zt_env *e, const char *sql)
{
    db_conn *c = db_pool_acquire(e->app->pool);
    if (db_exec(c, sql) != DB_OK) fail_msg("exec failed: %s: %s", sql, db_errmsg(c));
    db_pool_release(e->app->pool, c);
}

void zt_expect(zt_resp *r, int status, const char *code)
{
    if (r->status != status) fail_msg("expected status %d, got %d: %s", status, r->status, r->body);
    if (code) {
        const char *got = zt_str(r, "error.code");
        if (!got || strcmp(got, code) != 0) fail_msg("expected error code %s, got %s", code, r->body);
        if (!zt_str(r, "error.message") || !zt_str(r, "error.request_id")) fail_msg("envelope incomplete: %s", r->body);
    }
    zt_resp_free(r);
}

void zt_uscc(const char *body17, char out[19])
{
    static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        const char *p = strchr(alpha, body17[i]);
        sum += (int)(p - alpha) * w[i];
    }
    memcpy(out, body17, 17);
    out[17] = alpha[(31 - sum % 31) % 31];
    out[18] = '\0';
}

const char *zt_path(const char *fmt, long long id)
{
    static char buf[8][256];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], fmt, id);
    return buf[k];
}
