/*
 * req.c — request/response helpers: lists, query and cookie parsing, errors.
 */
#include "http/req.h"
#include "core/text.h"
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

int zq_kvs_add(zq_arena *a, zq_kvs *l, const char *name, const char *value)
{
    if (l->n == l->cap) {
        int nc = l->cap ? l->cap * 2 : 8;
        zq_kv *ni = zq_arena_alloc(a, sizeof *ni * (size_t)nc);
        if (!ni) return -1;
        if (l->n) memcpy(ni, l->items, sizeof *ni * (size_t)l->n);
        l->items = ni;
        l->cap = nc;
    }
    l->items[l->n].name = name;
    l->items[l->n].value = value;
    l->n++;
    return 0;
}

const char *zq_kvs_get(const zq_kvs *l, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0) return l->items[i].value;
    return NULL;
}

const char *zq_req_query(const zq_req *r, const char *name) { return zq_kvs_get(&r->query, name); }
const char *zq_req_param(const zq_req *r, const char *name) { return zq_kvs_get(&r->params, name); }
const char *zq_req_cookie(const zq_req *r, const char *name) { return zq_kvs_get(&r->cookies, name); }
const char *zq_req_header(const zq_req *r, const char *name) { return zq_kvs_get(&r->headers, name); }

int zq_parse_query(zq_arena *a, const char *q, size_t n, zq_kvs *l, int max_pairs)
{
    size_t i = 0;
    int pairs = 0;
    while (i < n) {
        size_t start = i;
        while (i < n && q[i] != '&') i++;
        size_t end = i;
        if (i < n) i++; /* skip & */
        if (end == start) continue;
        if (++pairs > max_pairs) return -1;
        const char *eq = memchr(q + start, '=', end - start);
        size_t klen = eq ? (size_t)(eq - (q + start)) : end - start;
        const char *vs = eq ? eq + 1 : q + end;
        size_t vlen = eq ? (size_t)((q + end) - vs) : 0;
        char *k = zq_arena_alloc(a, klen + 1);
        char *v = zq_arena_alloc(a, vlen + 1);
        if (!k || !v) return -1;
        long kl = zq_pct_decode(q + start, klen, k, true);
        long vl = zq_pct_decode(vs, vlen, v, true);
        if (kl <= 0 || vl < 0) return -1;
        if (!zq_utf8_valid(k, (size_t)kl) || !zq_utf8_valid(v, (size_t)vl)) return -1;
        if (zq_kvs_add(a, l, k, v) != 0) return -1;
    }
    return 0;
}

int zq_parse_cookies(zq_arena *a, const char *h, zq_kvs *l, int max_pairs)
{
    const char *p = h;
    int pairs = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ';') p++;
        if (!*p) break;
        const char *start = p;
        while (*p && *p != ';') p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
        const char *eq = memchr(start, '=', (size_t)(end - start));
        if (!eq || eq == start) continue; /* junk crumbs are ignored, as browsers do */
        if (++pairs > max_pairs) return -1;
        const char *vs = eq + 1;
        size_t vlen = (size_t)(end - vs);
        if (vlen >= 2 && vs[0] == '"' && vs[vlen - 1] == '"') {
            vs++;
            vlen -= 2;
        }
        char *k = zq_arena_strndup(a, start, (size_t)(eq - start));
        char *v = zq_arena_strndup(a, vs, vlen);
        if (!k || !v || zq_kvs_add(a, l, k, v) != 0) return -1;
    }
    return 0;
}

void zq_resp_init(zq_resp *r)
{
    memset(r, 0, sizeof *r);
    r->file_fd = -1;
    zq_buf_init(&r->body, ZQ_RESP_BODY_MAX);
}

void zq_resp_drop_ext(zq_resp *r)
{
    if (r->ext_release) r->ext_release(r->ext_ctx);
    r->ext_release = NULL;
    r->ext_ctx = NULL;
    r->ext_body = NULL;
    r->ext_len = 0;
}

void zq_resp_free(zq_resp *r)
{
    zq_resp_drop_ext(r);
    zq_buf_free(&r->body);
    if (r->file_fd >= 0) close(r->file_fd);
    r->file_fd = -1;
}

int zq_resp_header(zq_arena *a, zq_resp *r, const char *name, const char *value)
{
    return zq_kvs_add(a, &r->headers, name, value);
}

void zq_resp_json(zq_resp *r, zq_jw *w, int status)
{
    r->status = status ? status : 200;
    r->content_type = "application/json; charset=utf-8";
    zq_resp_drop_ext(r);
    zq_buf_reset(&r->body);
    zq_jw_init(w, &r->body);
}

void zq_list_begin(zq_resp *r, zq_jw *w)
{
    zq_resp_json(r, w, 200);
    zq_jw_obj(w);
    zq_jw_key(w, "items");
    zq_jw_arr(w);
}

static void list_paging(zq_jw *w, int64_t page, int64_t page_size)
{
    zq_jw_kint(w, "page", page);
    zq_jw_kint(w, "page_size", page_size);
    zq_jw_obj_end(w);
}

void zq_list_end(zq_jw *w, int64_t total, int64_t page, int64_t page_size)
{
    zq_jw_arr_end(w);
    zq_jw_kint(w, "total", total);
    list_paging(w, page, page_size);
}

void zq_list_end_capped(zq_jw *w, int64_t total, bool capped, int64_t page, int64_t page_size)
{
    zq_jw_arr_end(w);
    zq_jw_kint(w, "total", total);
    zq_jw_kbool(w, "total_capped", capped);
    list_paging(w, page, page_size);
}

zq_err zq_fail(zq_resp *r, zq_err e, const char *message)
{
    r->err = e;
    r->err_message = message;
    return e;
}

void zq_fail_field(zq_req *q, zq_resp *r, const char *field, const char *why)
{
    if (r->err == ZQ_OK) r->err = ZQ_E_VALIDATION;
    if (!zq_kvs_get(&r->err_fields, field)) zq_kvs_add(q->arena, &r->err_fields, field, why);
}
