/*
 * test_core.c — unit tests for the core helpers and HTTP parsing: arena,
 * bounded buffer, JSON writer, strict number/UTF-8/percent parsing, query
 * and cookie parsing, and the router.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/arena.h"
#include "core/buf.h"
#include "core/jsonw.h"
#include "core/text.h"
#include "core/err.h"
#include "http/req.h"
#include "http/route.h"

static void test_arena_cap(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(10000);
    assert_non_null(zq_arena_alloc(a, 5000));
    assert_null(zq_arena_alloc(a, 6000));
    assert_string_equal(zq_arena_printf(a, "%d-%s", 7, "x"), "7-x");
    assert_true(zq_arena_used(a) <= 10000);
    zq_arena_free(a);
}

static void test_buf_cap(void **st)
{
    (void)st;
    zq_buf b;
    zq_buf_init(&b, 16);
    assert_int_equal(zq_buf_puts(&b, "0123456789"), 0);
    assert_int_equal(zq_buf_puts(&b, "0123456789"), -1);
    assert_true(b.overflow);
    assert_int_equal(b.len, 10);
    zq_buf_free(&b);
}

static void test_jsonw(void **st)
{
    (void)st;
    zq_buf b;
    zq_jw w;
    zq_buf_init(&b, 1 << 20);
    zq_jw_init(&w, &b);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "a", "x\"<y>\n\x01中");
    zq_jw_key(&w, "l");
    zq_jw_arr(&w);
    zq_jw_int(&w, -5);
    zq_jw_bool(&w, true);
    zq_jw_null(&w);
    zq_jw_str(&w, "\xe2\x80\xa8");
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    assert_true(zq_jw_ok(&w));
    assert_string_equal(b.data, "{\"a\":\"x\\\"\\u003cy\\u003e\\n\\u0001中\",\"l\":[-5,true,null,\"\\u2028\"]}");
    zq_buf_free(&b);
}

static void test_jsonw_misuse(void **st)
{
    (void)st;
    zq_buf b;
    zq_jw w;
    zq_buf_init(&b, 1024);
    zq_jw_init(&w, &b);
    zq_jw_obj(&w);
    zq_jw_key(&w, "k");
    zq_jw_obj_end(&w); /* key without value */
    assert_false(zq_jw_ok(&w));
    zq_buf_free(&b);
}

static void test_parse_int(void **st)
{
    (void)st;
    int64_t v;
    assert_true(zq_parse_int64("42", 0, 100, &v));
    assert_int_equal(v, 42);
    assert_true(zq_parse_int64("-9223372036854775808", INT64_MIN, 0, &v));
    assert_false(zq_parse_int64("9223372036854775808", 0, INT64_MAX, &v));
    assert_false(zq_parse_int64("", 0, 10, &v));
    assert_false(zq_parse_int64("1x", 0, 10, &v));
    assert_false(zq_parse_int64(" 1", 0, 10, &v));
    assert_false(zq_parse_int64("+1", 0, 10, &v));
    assert_false(zq_parse_int64("11", 0, 10, &v));
}

static void test_utf8(void **st)
{
    (void)st;
    assert_true(zq_utf8_valid("中文abc", strlen("中文abc")));
    assert_false(zq_utf8_valid("\xc0\xaf", 2));       /* overlong '/' */
    assert_false(zq_utf8_valid("\xed\xa0\x80", 3));   /* surrogate */
    assert_false(zq_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(zq_utf8_valid("\xe4\xb8", 2));       /* truncated */
    assert_int_equal(zq_utf8_len("中文ab"), 4);
}

static void test_pct(void **st)
{
    (void)st;
    char out[64];
    assert_int_equal(zq_pct_decode("a%2Fb+c", 7, out, true), 5);
    assert_string_equal(out, "a/b c");
    assert_int_equal(zq_pct_decode("%2e%2E", 6, out, false), 2);
    assert_string_equal(out, "..");
    assert_int_equal(zq_pct_decode("%00", 3, out, false), -1);
    assert_int_equal(zq_pct_decode("%4", 2, out, false), -1);
    assert_int_equal(zq_pct_decode("%zz", 3, out, false), -1);
}

static void test_query(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(1 << 20);
    zq_kvs l = {0};
    const char *q = "a=1&b=%E4%B8%AD&&c&d=x+y";
    assert_int_equal(zq_parse_query(a, q, strlen(q), &l, 10), 0);
    assert_string_equal(zq_kvs_get(&l, "a"), "1");
    assert_string_equal(zq_kvs_get(&l, "b"), "中");
    assert_string_equal(zq_kvs_get(&l, "c"), "");
    assert_string_equal(zq_kvs_get(&l, "d"), "x y");
    zq_kvs l2 = {0};
    assert_int_equal(zq_parse_query(a, "a=%ff", 5, &l2, 10), -1); /* bad UTF-8 */
    zq_kvs l3 = {0};
    assert_int_equal(zq_parse_query(a, "a=1&b=2&c=3", 11, &l3, 2), -1); /* too many */
    zq_kvs l4 = {0};
    assert_int_equal(zq_parse_query(a, "=1", 2, &l4, 2), -1); /* empty name */
    zq_arena_free(a);
}

static void test_cookies(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(1 << 20);
    zq_kvs l = {0};
    assert_int_equal(zq_parse_cookies(a, " zq_sid=abc ; theme=\"dark\";junk; =x", &l, 10), 0);
    assert_string_equal(zq_kvs_get(&l, "zq_sid"), "abc");
    assert_string_equal(zq_kvs_get(&l, "theme"), "dark");
    assert_null(zq_kvs_get(&l, "junk"));
    zq_arena_free(a);
}

static zq_err h_dummy(zq_req *q, zq_resp *r)
{
    (void)q;
    (void)r;
    return ZQ_OK;
}

static void test_router(void **st)
{
    (void)st;
    static const zq_route rs[] = {
        {ZQ_GET, "/api/v1/dicts", h_dummy, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
        {ZQ_GET, "/api/v1/dicts/:type", h_dummy, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
        {ZQ_POST, "/api/v1/things/:id/approve", h_dummy, ZQ_ACCESS_STAFF, NULL, 0, 0, "thing.approve"},
        {ZQ_PUT | ZQ_DELETE, "/api/v1/things/:id", h_dummy, ZQ_ACCESS_STAFF, NULL, 0, 0, "thing.change"},
    };
    zq_route_group g = {rs, 4};
    zq_router *rt = zq_router_new(&g, 1);
    assert_non_null(rt);
    zq_arena *a = zq_arena_new(1 << 20);
    zq_req q;
    const zq_route *out;
    unsigned allowed = 0;

    memset(&q, 0, sizeof q);
    q.arena = a;
    q.method = ZQ_GET;
    q.path = "/api/v1/dicts/region";
    assert_int_equal(zq_router_match(rt, &q, &out, &allowed), ZQ_MATCH_OK);
    assert_ptr_equal(out, &rs[1]);
    assert_string_equal(zq_req_param(&q, "type"), "region");

    memset(&q, 0, sizeof q);
    q.arena = a;
    q.method = ZQ_HEAD;
    q.path = "/api/v1/dicts/";
    assert_int_equal(zq_router_match(rt, &q, &out, &allowed), ZQ_MATCH_OK);
    assert_ptr_equal(out, &rs[0]);

    memset(&q, 0, sizeof q);
    q.arena = a;
    q.method = ZQ_GET;
    q.path = "/api/v1/things/7";
    assert_int_equal(zq_router_match(rt, &q, &out, &allowed), ZQ_MATCH_METHOD);
    char buf[64];
    zq_methods_str(allowed, buf, sizeof buf);
    assert_string_equal(buf, "PUT, DELETE");

    memset(&q, 0, sizeof q);
    q.arena = a;
    q.method = ZQ_GET;
    q.path = "/api/v1//dicts";
    assert_int_equal(zq_router_match(rt, &q, &out, &allowed), ZQ_MATCH_NONE);
    q.path = "/api/v1/nothing";
    assert_int_equal(zq_router_match(rt, &q, &out, &allowed), ZQ_MATCH_NONE);
    q.path = "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o";
    assert_int_equal(zq_router_match(rt, &q, &out, &allowed), ZQ_MATCH_NONE);

    zq_arena_free(a);
    zq_router_free(rt);
}

static void test_err_table(void **st)
{
    (void)st;
    for (int e = 1; e < ZQ_E__COUNT; e++) {
        assert_true(zq_err_status((zq_err)e) >= 400);
        assert_non_null(zq_err_code((zq_err)e));
        assert_true(strlen(zq_err_message((zq_err)e)) > 0);
    }
    assert_int_equal(zq_err_status(ZQ_E_NOT_FOUND), 404);
    assert_string_equal(zq_err_code(ZQ_E_TOO_LARGE), "payload_too_large");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_cap), cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_jsonw), cmocka_unit_test(test_jsonw_misuse),
        cmocka_unit_test(test_parse_int), cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_pct), cmocka_unit_test(test_query),
        cmocka_unit_test(test_cookies), cmocka_unit_test(test_router),
        cmocka_unit_test(test_err_table),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
