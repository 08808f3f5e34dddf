/*
 * test_framing_rules.c — unit tests of the framing policy (framing.c) on
 * hand-built requests: what passes, each refusal with its status, and the
 * exact size and count limits. The same rules over a real socket are in
 * tests/api/test_framing.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "http/framing.h"

#define H(n, v) {n, sizeof(n) - 1, v, sizeof(v) - 1}

static zq_err check(const zq_wire_header *h, int n, const char *version, const char *target)
{
    zq_wire_req w = {version, target, strlen(target), h, n, 200, ZQ_WIRE_OK};
    const char *why = NULL;
    zq_err e = zq_framing_check(&w, &why);
    if (e != ZQ_OK) assert_non_null(why);
    return e;
}

static void test_passes(void **st)
{
    (void)st;
    zq_wire_header h[] = {H("Host", "t"), H("Content-Length", "44"), H("X-Empty", ""), H("X-Tab", "a\tb"),
                          H("X-Utf8", "caf\xc3\xa9"), H("x~odd_but!legal#", "v")};
    assert_int_equal(check(h, 6, "HTTP/1.1", "/api/v1/x?a=%E4%B8%AD"), ZQ_OK);
    zq_wire_header te[] = {H("Host", "t"), H("Transfer-Encoding", "Chunked")};
    assert_int_equal(check(te, 2, "HTTP/1.1", "/"), ZQ_OK);
    assert_int_equal(check(NULL, 0, "HTTP/1.0", "/"), ZQ_OK); /* Host is HTTP/1.1's rule */
}

static void test_lengths(void **st)
{
    (void)st;
    zq_wire_header two[] = {H("Host", "t"), H("Content-Length", "4"), H("content-length", "4")};
    assert_int_equal(check(two, 3, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    zq_wire_header list[] = {H("Host", "t"), H("Content-Length", "4, 4")};
    assert_int_equal(check(list, 2, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    zq_wire_header both[] = {H("Host", "t"), H("Transfer-Encoding", "chunked"), H("Content-Length", "4")};
    assert_int_equal(check(both, 3, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    zq_wire_header gz[] = {H("Host", "t"), H("Transfer-Encoding", "gzip, chunked")};
    assert_int_equal(check(gz, 2, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    zq_wire_header sp[] = {H("Host", "t"), H("Transfer-Encoding", "chunked ")};
    assert_int_equal(check(sp, 2, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    zq_wire_header te2[] = {H("Host", "t"), H("Transfer-Encoding", "chunked"), H("Transfer-Encoding", "chunked")};
    assert_int_equal(check(te2, 3, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    zq_wire_header te10[] = {H("Transfer-Encoding", "chunked")};
    assert_int_equal(check(te10, 1, "HTTP/1.0", "/"), ZQ_E_BAD_REQUEST);
}

static void test_host(void **st)
{
    (void)st;
    zq_wire_header none[] = {H("Content-Length", "0")};
    assert_int_equal(check(none, 1, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    zq_wire_header two[] = {H("Host", "a"), H("HOST", "a")};
    assert_int_equal(check(two, 2, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    assert_int_equal(check(two, 2, "HTTP/1.0", "/"), ZQ_E_BAD_REQUEST);
}

static void test_names_values_target(void **st)
{
    (void)st;
    static const char *bad_names[] = {"X A", "X-A ", "X(A)", "X:A", "", "X\xc3\xa9", "X\"A", "X/A", "X@A"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        zq_wire_header h[] = {H("Host", "t"), {bad_names[i], strlen(bad_names[i]), "v", 1}};
        if (check(h, 2, "HTTP/1.1", "/") != ZQ_E_BAD_REQUEST) fail_msg("name '%s' passed", bad_names[i]);
    }
    static const char *bad_values[] = {"a\rb", "a\x01", "\x7f", "a\x1b[31m"};
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
        zq_wire_header h[] = {H("Host", "t"), {"X-A", 3, bad_values[i], strlen(bad_values[i])}};
        assert_int_equal(check(h, 2, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    }
    zq_wire_header nul[] = {H("Host", "t"), {"X-A", 3, "a\0b", 3}};
    assert_int_equal(check(nul, 2, "HTTP/1.1", "/"), ZQ_E_BAD_REQUEST);
    zq_wire_header host[] = {H("Host", "t")};
    assert_int_equal(check(host, 1, "HTTP/1.1", "/a%00b"), ZQ_E_BAD_REQUEST);
    assert_int_equal(check(host, 1, "HTTP/1.1", "/a b"), ZQ_E_BAD_REQUEST);
    assert_int_equal(check(host, 1, "HTTP/1.1", "/a\tb"), ZQ_E_BAD_REQUEST);
    assert_int_equal(check(host, 1, "HTTP/1.1", "/a\x7f"), ZQ_E_BAD_REQUEST);
    assert_int_equal(check(host, 1, "HTTP/1.1", "/a%2500"), ZQ_OK); /* "%2500" decodes to "%00", text */
}

static void test_wire_faults(void **st)
{
    (void)st;
    zq_wire_header h[] = {H("Host", "t")};
    for (int f = ZQ_WIRE_BARE_LF; f <= ZQ_WIRE_LAYOUT; f++) {
        zq_wire_req w = {"HTTP/1.1", "/", 1, h, 1, 100, (zq_wire_fault)f};
        const char *why;
        assert_int_equal(zq_framing_check(&w, &why), ZQ_E_BAD_REQUEST);
        assert_non_null(why);
    }
}

static void test_size_limits(void **st)
{
    (void)st;
    static zq_wire_header many[ZQ_HEADER_COUNT_MAX + 1];
    many[0] = (zq_wire_header)H("Host", "t");
    for (int i = 1; i <= ZQ_HEADER_COUNT_MAX; i++) many[i] = (zq_wire_header)H("X-A", "v");
    const char *why;
    zq_wire_req w = {"HTTP/1.1", "/", 1, many, ZQ_HEADER_COUNT_MAX, ZQ_HEADER_BYTES_MAX, ZQ_WIRE_OK};
    assert_int_equal(zq_framing_check(&w, &why), ZQ_OK);
    w.n_headers++;
    assert_int_equal(zq_framing_check(&w, &why), ZQ_E_HEADERS_TOO_LARGE);
    w.n_headers--;
    w.header_bytes++;
    assert_int_equal(zq_framing_check(&w, &why), ZQ_E_HEADERS_TOO_LARGE);
    assert_int_equal(zq_err_status(ZQ_E_HEADERS_TOO_LARGE), 431);
    assert_string_equal(zq_err_code(ZQ_E_HEADERS_TOO_LARGE), "headers_too_large");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passes),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_names_values_target),
        cmocka_unit_test(test_wire_faults),
        cmocka_unit_test(test_size_limits),
    };
    return cmocka_run_group_tests_name("framing_rules", tests, NULL, NULL);
}
