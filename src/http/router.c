/*
 * router.c — matches method + path against the route table. Patterns are
 * split into segments once at start-up; matching walks segments without
 * allocating, except for :param captures (in the request arena).
 */
#include "http/route.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define ROUTE_MAX_SEGS 12

typedef struct {
    const zq_route *route;
    int nseg;
    const char *seg[ROUTE_MAX_SEGS];
    unsigned char seglen[ROUTE_MAX_SEGS];
} compiled_route;

struct zq_router {
    compiled_route *r;
    size_t n;
};

static int compile(const zq_route *src, compiled_route *c)
{
    const char *p = src->pattern;
    if (*p != '/') return -1;
    c->route = src;
    c->nseg = 0;
    while (*p == '/') {
        p++;
        const char *s = p;
        while (*p && *p != '/') p++;
        if (p == s) {
            if (*p == '\0') break; /* trailing slash */
            return -1;
        }
        if (c->nseg == ROUTE_MAX_SEGS || p - s > 255) return -1;
        c->seg[c->nseg] = s;
        c->seglen[c->nseg] = (unsigned char)(p - s);
        c->nseg++;
    }
    return *p ? -1 : 0;
}

static bool twins(const zq_route *a, const zq_route *b)
{
    return (a->access == ZQ_ACCESS_STAFF) != (b->access == ZQ_ACCESS_STAFF) && (a->methods & b->methods) &&
           strcmp(a->pattern, b->pattern) == 0;
}

/* What of a twin pair is read before the pipeline switches between them
 * (src/app/dispatch.c: zq_app_prepare, run_api up to the switch); NULL
 * when they agree. */
static const char *twin_difference(const zq_route *a, const zq_route *b)
{
    if (a->methods != b->methods) return "methods";
    if (a->body_max != b->body_max) return "body_max";
    if ((a->flags & ZQ_RF_JSON) != (b->flags & ZQ_RF_JSON)) return "ZQ_RF_JSON";
    if ((a->flags & ZQ_RF_NO_DB) != (b->flags & ZQ_RF_NO_DB)) return "ZQ_RF_NO_DB";
    return NULL;
}

int zq_route_twins_check(const zq_route_group *groups, size_t ngroups, char *why, size_t whylen)
{
    int bad = 0;
    if (whylen) why[0] = '\0';
    for (size_t g = 0; g < ngroups; g++)
        for (size_t i = 0; i < groups[g].n; i++) {
            const zq_route *a = &groups[g].routes[i];
            /* each pair once: b comes after a in table order */
            for (size_t h = g; h < ngroups; h++)
                for (size_t k = h == g ? i + 1 : 0; k < groups[h].n; k++) {
                    const zq_route *b = &groups[h].routes[k];
                    const char *d = twins(a, b) ? twin_difference(a, b) : NULL;
                    if (!d) continue;
                    if (!bad++ && whylen) {
                        char m[96];
                        zq_methods_str(a->methods | b->methods, m, sizeof m);
                        snprintf(why, whylen, "%s %s: twins differ in %s", m, a->pattern, d);
                    }
                }
        }
    return bad;
}

zq_router *zq_router_new(const zq_route_group *groups, size_t ngroups)
{
    char why[256];
    if (zq_route_twins_check(groups, ngroups, why, sizeof why) != 0) {
        fprintf(stderr, "zhengqi: %s (src/http/route.h, zq_router_twin)\n", why);
        return NULL;
    }
    size_t total = 0;
    for (size_t g = 0; g < ngroups; g++) total += groups[g].n;
    zq_router *rt = calloc(1, sizeof *rt);
    if (!rt) return NULL;
    rt->r = calloc(total ? total : 1, sizeof *rt->r);
    if (!rt->r) goto fail;
    for (size_t g = 0; g < ngroups; g++)
        for (size_t i = 0; i < groups[g].n; i++) {
            if (compile(&groups[g].routes[i], &rt->r[rt->n]) != 0) {
                fprintf(stderr, "zhengqi: bad route pattern %s\n", groups[g].routes[i].pattern);
                goto fail;
            }
            rt->n++;
        }
    return rt;
fail:
    zq_router_free(rt);
    return NULL;
}

void zq_router_free(zq_router *rt)
{
    if (!rt) return;
    free(rt->r);
    free(rt);
}

/* Split path into segments (pointers into path). -1 if too many / empty inner segment. */
static int split_path(const char *path, const char **seg, size_t *len, int max)
{
    int n = 0;
    const char *p = path;
    if (*p != '/') return -1;
    while (*p == '/') {
        p++;
        const char *s = p;
        while (*p && *p != '/') p++;
        if (p == s) {
            if (*p == '\0') break;
            return -1; /* "//" */
        }
        if (n == max) return -1;
        seg[n] = s;
        len[n] = (size_t)(p - s);
        n++;
    }
    return n;
}

static int seg_match(const compiled_route *c, const char **seg, const size_t *len, int n)
{
    if (c->nseg != n) return 0;
    for (int i = 0; i < n; i++) {
        if (c->seg[i][0] == ':') continue;
        if (c->seglen[i] != len[i] || memcmp(c->seg[i], seg[i], len[i]) != 0) return 0;
    }
    return 1;
}

zq_match zq_router_match(const zq_router *rt, zq_req *q, const zq_route **out, unsigned *allowed)
{
    const char *seg[ROUTE_MAX_SEGS];
    size_t len[ROUTE_MAX_SEGS];
    int n = split_path(q->path, seg, len, ROUTE_MAX_SEGS);
    unsigned mask = 0;
    if (n < 0) return ZQ_MATCH_NONE;
    for (size_t i = 0; i < rt->n; i++) {
        const compiled_route *c = &rt->r[i];
        if (!seg_match(c, seg, len, n)) continue;
        unsigned m = c->route->methods;
        if (m & ZQ_GET) m |= ZQ_HEAD;
        mask |= m;
        if (!(m & q->method)) continue;
        for (int k = 0; k < n; k++) {
            if (c->seg[k][0] != ':') continue;
            char *name = zq_arena_strndup(q->arena, c->seg[k] + 1, c->seglen[k] - 1u);
            char *val = zq_arena_strndup(q->arena, seg[k], len[k]);
            if (!name || !val || zq_kvs_add(q->arena, &q->params, name, val) != 0) return ZQ_MATCH_NONE;
        }
        *out = c->route;
        return ZQ_MATCH_OK;
    }
    if (mask) {
        *allowed = mask;
        return ZQ_MATCH_METHOD;
    }
    return ZQ_MATCH_NONE;
}

/* Twins must agree on all that is read before the switch (the rule and
 * its fields at the declaration in route.h); zq_router_new refuses a table
 * where they do not, so the switch never changes how a body was read. */
const zq_route *zq_router_twin(const zq_router *rt, const zq_route *route, bool staff)
{
    for (size_t i = 0; i < rt->n; i++) {
        const zq_route *t = rt->r[i].route;
        if (t == route || (t->access == ZQ_ACCESS_STAFF) != staff) continue;
        if ((t->methods & route->methods) && strcmp(t->pattern, route->pattern) == 0) return t;
    }
    return NULL;
}

static const struct {
    zq_method m;
    const char *name;
} method_names[] = {
    {ZQ_GET, "GET"}, {ZQ_HEAD, "HEAD"}, {ZQ_POST, "POST"}, {ZQ_PUT, "PUT"},
    {ZQ_PATCH, "PATCH"}, {ZQ_DELETE, "DELETE"}, {ZQ_OPTIONS, "OPTIONS"},
};

void zq_methods_str(unsigned mask, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++) {
        if (!(mask & method_names[i].m)) continue;
        int w = snprintf(buf + o, len - o, "%s%s", o ? ", " : "", method_names[i].name);
        if (w < 0 || (size_t)w >= len - o) break;
        o += (size_t)w;
    }
}

zq_method zq_method_parse(const char *s)
{
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++)
        if (strcmp(s, method_names[i].name) == 0) return method_names[i].m;
    return 0;
}
