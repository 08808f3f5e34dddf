/*
 * fuzz_request.c — libFuzzer target for everything that reads the request
 * line and headers before a handler runs: strict percent-decoding of the
 * path, query-string and cookie parsing, UTF-8 checks and route matching
 * against the real route table.
 *
 * Input layout: method \n path \n query \n cookie (missing parts are empty).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "app/routes.h"
#include "core/text.h"
#include "http/req.h"
#include "http/route.h"

static zq_router *router(void)
{
    static zq_router *rt; /* built once per fuzzing process; read-only after */
    if (!rt) {
        zq_route_group g[32];
        for (size_t i = 0; i < zq_all_route_groups_n && i < 32; i++) g[i] = *zq_all_route_groups[i];
        rt = zq_router_new(g, zq_all_route_groups_n);
        if (!rt) abort();
    }
    return rt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zq_arena *a = zq_arena_new(1 << 22);
    const char *p = (const char *)data, *end = p + size;
    const char *method = fuzz_part(a, &p, end), *path = fuzz_part(a, &p, end);
    const char *query = fuzz_part(a, &p, end), *cookie = fuzz_part(a, &p, end);

    char *dec = zq_arena_alloc(a, strlen(path) + 1);
    long n = dec ? zq_pct_decode(path, strlen(path), dec, false) : -1;
    if (n >= 0) {
        if (memchr(dec, '\0', (size_t)n) != NULL && strlen(dec) != (size_t)n) abort(); /* decoder let a NUL through */
        zq_req q;
        memset(&q, 0, sizeof q);
        q.arena = a;
        q.method = zq_method_parse(method);
        q.path = dec;
        const zq_route *rt = NULL;
        unsigned allowed = 0;
        if (dec[0] == '/' && zq_utf8_valid(dec, (size_t)n)) {
            zq_match m = zq_router_match(router(), &q, &rt, &allowed);
            if (m == ZQ_MATCH_OK && !rt) abort();
            for (int i = 0; i < q.params.n; i++)
                if (strchr(q.params.items[i].value, '/')) abort(); /* a :param never spans segments */
        }
    }
    zq_kvs ql = {0}, cl = {0};
    if (zq_parse_query(a, query, strlen(query), &ql, 64) == 0)
        for (int i = 0; i < ql.n; i++)
            if (!zq_utf8_valid(ql.items[i].value, strlen(ql.items[i].value))) abort();
    zq_parse_cookies(a, cookie, &cl, 32);
    int64_t v;
    zq_parse_int64(query, INT64_MIN, INT64_MAX, &v);
    zq_arena_free(a);
    return 0;
}
