/*
 * fuzz_json.c — libFuzzer target for request-body handling: jansson parsing
 * with duplicate keys refused (as the pipeline does), the checked field
 * readers handlers use, and the response writer's escaping, which must turn
 * any string back into JSON that parses to the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "core/jsonw.h"
#include "core/text.h"
#include "http/input.h"

static void roundtrip(const char *s, size_t n)
{
    zq_buf b;
    zq_buf_init(&b, 1 << 24);
    if (zq_json_escape(&b, s, n) == 0) {
        json_error_t err;
        json_t *v = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
        if (!v || !json_is_string(v) || json_string_length(v) != n || memcmp(json_string_value(v), s, n) != 0) abort();
        json_decref(v);
    }
    zq_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t err;
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    zq_arena *a = zq_arena_new(1 << 22);
    zq_req q;
    zq_resp r;
    memset(&q, 0, sizeof q);
    zq_resp_init(&r);
    q.arena = a;
    if (j && json_is_object(j)) {
        q.json = j;
        static const char *const allowed[] = {"name", "uscc", "page", "flags", "ok", NULL};
        zq_in_only(&q, &r, allowed);
        zq_in_str(&q, &r, "name", "名称", true, 100);
        zq_in_str(&q, &r, "uscc", "代码", false, 18);
        zq_in_int(&q, &r, "page", "页码", false, 1, 1000, NULL);
        zq_in_bool(&q, &r, "ok", "确认", false);
        int n = 0;
        zq_in_str_list(&q, &r, "flags", "特性", false, 20, 32, &n);
    }
    if (zq_utf8_valid((const char *)data, size)) roundtrip((const char *)data, size);
    if (j) json_decref(j);
    zq_resp_free(&r);
    zq_arena_free(a);
    return 0;
}
