/*
 * zt_raw.c — raw-body requests (see zt_raw.h).
 */
#include "support/zt_raw.h"
#include <stdlib.h>
#include <string.h>

static void add_header(zq_req *q, const char *name, size_t nlen, const char *value, size_t vlen)
{
    char *k = zq_arena_strndup(q->arena, name, nlen);
    for (char *p = k; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    zq_kvs_add(q->arena, &q->headers, k, zq_arena_strndup(q->arena, value, vlen));
}

zt_resp *zt_raw(zt_env *e, zt_client *c, const char *method, const char *path, const void *body, size_t len,
                const char *extra)
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
    for (const char *p = extra ? extra : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        const char *colon = memchr(p, ':', l);
        if (colon) {
            const char *v = colon + 1;
            while (*v == ' ') v++;
            add_header(&q, p, (size_t)(colon - p), v, (size_t)(p + l - v));
        }
        p += l + (nl ? 1 : 0);
    }
    if (c) {
        if (c->cookie[0] && !zq_req_header(&q, "cookie")) add_header(&q, "Cookie", 6, c->cookie, strlen(c->cookie));
        if (c->csrf[0] && !zq_req_header(&q, "x-csrf-token")) add_header(&q, "X-CSRF-Token", 12, c->csrf, strlen(c->csrf));
        add_header(&q, "User-Agent", 10, c->user_agent, strlen(c->user_agent));
    }
    q.body = body;
    q.body_len = len;
    zq_app_dispatch(&q, &r);

    out->status = r.status;
    out->body = malloc(r.body.len + 1);
    assert_non_null(out->body);
    memcpy(out->body, r.body.data ? r.body.data : "", r.body.len);
    out->body[r.body.len] = '\0';
    out->len = r.body.len;
    size_t o = 0;
    if (r.content_type) o += (size_t)snprintf(out->headers + o, sizeof out->headers - o, "Content-Type: %s\n", r.content_type);
    for (int i = 0; i < r.headers.n && o < sizeof out->headers; i++)
        o += (size_t)snprintf(out->headers + o, sizeof out->headers - o, "%s: %s\n", r.headers.items[i].name, r.headers.items[i].value);
    if (o >= sizeof out->headers) out->headers[sizeof out->headers - 1] = '\0';
    json_error_t jerr;
    out->json = json_loadb(out->body, out->len, 0, &jerr);
    zq_req_end(&q, &r);
    return out;
}
