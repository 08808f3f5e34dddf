/*
 * test_proxy.c — unit tests of the trusted-proxy CIDRs and the forwarded
 * client address: strict parsing (what a typo in --trusted-proxy must not
 * silently become), matching at prefix boundaries for IPv4, IPv6 and
 * IPv4-mapped peers, and which address zq_proxy_client believes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "http/proxy.h"

static void test_cidr_parse_valid(void **st)
{
    (void)st;
    char err[200];
    zq_cidr c;
    assert_int_equal(zq_cidr_parse("10.0.0.0/8", &c, err, sizeof err), 0);
    assert_int_equal(c.prefix, 8);
    assert_int_equal(c.v6, 0);
    assert_int_equal(zq_cidr_parse("127.0.0.1", &c, err, sizeof err), 0);
    assert_int_equal(c.prefix, 32);
    assert_int_equal(zq_cidr_parse("::1", &c, err, sizeof err), 0);
    assert_int_equal(c.prefix, 128);
    assert_int_equal(c.v6, 1);
    assert_int_equal(zq_cidr_parse("fd00::/8", &c, err, sizeof err), 0);
    assert_int_equal(zq_cidr_parse("0.0.0.0/0", &c, err, sizeof err), 0);
    assert_int_equal(c.prefix, 0);
    assert_int_equal(zq_cidr_parse("192.168.4.0/22", &c, err, sizeof err), 0);
}

static void test_cidr_parse_refuses(void **st)
{
    (void)st;
    static const char *bad[] = {
        "", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/8/8",
        "10.0.0.0 /8", "10.0.0", "010.0.0.0/8", "256.0.0.0/8", "10.0.0.1/8", "fd00::1/8", "fe80::1%eth0",
        "::ffff:10.0.0.0/104", "localhost", "10.0.0.0/8x", "[::1]", "1.2.3.4:80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[200] = "";
        zq_cidr c;
        if (zq_cidr_parse(bad[i], &c, err, sizeof err) == 0) fail_msg("accepted '%s'", bad[i]);
        assert_true(strlen(err) > 0);
    }
    char err[200];
    zq_cidr c;
    assert_int_equal(zq_cidr_parse("10.0.0.1/8", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "10.0.0.0/8")); /* says what was meant */
}

static void test_list(void **st)
{
    (void)st;
    zq_proxy_set s = {0};
    char err[200];
    assert_int_equal(zq_proxy_add_list(&s, " 127.0.0.1, ::1  10.0.0.0/8,,", err, sizeof err), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(zq_proxy_add_list(&s, "192.168.0.0/16 nonsense", err, sizeof err), -1);
    assert_non_null(strstr(err, "nonsense"));
    zq_proxy_set full = {0};
    for (int i = 0; i < ZQ_PROXY_MAX; i++) assert_int_equal(zq_proxy_add_list(&full, "10.0.0.0/8", err, sizeof err), 0);
    assert_int_equal(zq_proxy_add_list(&full, "10.0.0.0/8", err, sizeof err), -1);
}

static void test_trusts(void **st)
{
    (void)st;
    zq_proxy_set s = {0};
    char err[200];
    assert_int_equal(zq_proxy_add_list(&s, "10.1.2.0/23 fd00:1::/32 127.0.0.1", err, sizeof err), 0);
    assert_true(zq_proxy_trusts(&s, "10.1.2.0"));
    assert_true(zq_proxy_trusts(&s, "10.1.3.255"));
    assert_false(zq_proxy_trusts(&s, "10.1.4.0"));
    assert_false(zq_proxy_trusts(&s, "10.1.1.255"));
    assert_true(zq_proxy_trusts(&s, "127.0.0.1"));
    assert_false(zq_proxy_trusts(&s, "127.0.0.2"));
    assert_true(zq_proxy_trusts(&s, "::ffff:127.0.0.1")); /* dual-stack listener */
    assert_true(zq_proxy_trusts(&s, "fd00:1:ffff::9"));
    assert_false(zq_proxy_trusts(&s, "fd00:2::1"));
    assert_false(zq_proxy_trusts(&s, "::1"));
    assert_false(zq_proxy_trusts(&s, "unknown"));
    assert_false(zq_proxy_trusts(&s, NULL));
    zq_proxy_set none = {0};
    assert_false(zq_proxy_trusts(&none, "127.0.0.1"));
}

typedef struct {
    zq_arena *a;
    zq_kvs h;
    zq_proxy_set s;
} env;

static int setup(void **st)
{
    env *e = calloc(1, sizeof *e);
    char err[200];
    e->a = zq_arena_new(1 << 16);
    assert_int_equal(zq_proxy_add_list(&e->s, "127.0.0.1 10.0.0.0/8", err, sizeof err), 0);
    *st = e;
    return 0;
}

static int teardown(void **st)
{
    env *e = *st;
    zq_arena_free(e->a);
    free(e);
    return 0;
}

static void hdr(env *e, const char *name, const char *value)
{
    zq_kvs_add(e->a, &e->h, name, value);
}

static const char *client(env *e, const char *peer)
{
    return zq_proxy_client(&e->s, e->a, peer, &e->h);
}

static void test_untrusted_peer_ignores_headers(void **st)
{
    env *e = *st;
    hdr(e, "x-real-ip", "203.0.113.9");
    hdr(e, "x-forwarded-for", "198.51.100.1");
    assert_string_equal(client(e, "192.0.2.7"), "192.0.2.7");
    zq_proxy_set none = {0};
    assert_string_equal(zq_proxy_client(&none, e->a, "127.0.0.1", &e->h), "127.0.0.1");
}

static void test_real_ip_from_trusted_peer(void **st)
{
    env *e = *st;
    hdr(e, "x-real-ip", " 203.0.113.9 ");
    hdr(e, "x-forwarded-for", "198.51.100.1");
    assert_string_equal(client(e, "127.0.0.1"), "203.0.113.9");
    assert_string_equal(client(e, "::ffff:10.9.9.9"), "203.0.113.9");
}

static void test_real_ip_canonical_and_v6(void **st)
{
    env *e = *st;
    hdr(e, "x-real-ip", "2001:DB8:0:0::1");
    assert_string_equal(client(e, "127.0.0.1"), "2001:db8::1");
    e->h.n = 0;
    hdr(e, "x-real-ip", "::ffff:203.0.113.5");
    assert_string_equal(client(e, "127.0.0.1"), "203.0.113.5");
}

static void test_real_ip_not_an_address_falls_back(void **st)
{
    env *e = *st;
    static const char *bad[] = {"", "evil", "203.0.113.9:443", "[2001:db8::1]", "203.0.113.9, 1.2.3.4", "1.2.3.4x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e->h.n = 0;
        hdr(e, "x-real-ip", bad[i]);
        hdr(e, "x-forwarded-for", "198.51.100.1");
        assert_string_equal(client(e, "127.0.0.1"), "127.0.0.1");
    }
}

static void test_two_real_ips_fall_back(void **st)
{
    env *e = *st;
    hdr(e, "x-real-ip", "203.0.113.9");
    hdr(e, "x-real-ip", "203.0.113.10");
    assert_string_equal(client(e, "127.0.0.1"), "127.0.0.1");
}

static void test_forwarded_for_rightmost_untrusted(void **st)
{
    env *e = *st;
    /* the client wrote "1.1.1.1" itself; nginx appended the real peer, then
     * an inner proxy in 10/8 appended itself */
    hdr(e, "x-forwarded-for", "1.1.1.1, 198.51.100.7 ,10.0.0.5");
    assert_string_equal(client(e, "127.0.0.1"), "198.51.100.7");
}

static void test_forwarded_for_lines_and_empty_elements(void **st)
{
    env *e = *st;
    hdr(e, "x-forwarded-for", "1.1.1.1");
    hdr(e, "x-forwarded-for", " , 198.51.100.8,, 10.0.0.5 ,");
    assert_string_equal(client(e, "127.0.0.1"), "198.51.100.8");
    e->h.n = 0;
    hdr(e, "x-forwarded-for", "198.51.100.9");
    hdr(e, "x-forwarded-for", "10.0.0.5");
    assert_string_equal(client(e, "127.0.0.1"), "198.51.100.9");
}

static void test_forwarded_for_all_trusted_or_bad(void **st)
{
    env *e = *st;
    hdr(e, "x-forwarded-for", "10.0.0.9, 10.0.0.5");
    assert_string_equal(client(e, "127.0.0.1"), "10.0.0.9");
    e->h.n = 0;
    hdr(e, "x-forwarded-for", "198.51.100.1, junk, 10.0.0.5");
    assert_string_equal(client(e, "127.0.0.1"), "127.0.0.1"); /* unknown writer: stay with the peer */
    e->h.n = 0;
    hdr(e, "x-forwarded-for", "");
    assert_string_equal(client(e, "127.0.0.1"), "127.0.0.1");
}

/* CDN → nginx → zhengqi: nginx's X-Real-IP is the CDN, a trusted proxy
 * itself, so the chain decides */
static void test_real_ip_of_a_proxy_defers_to_chain(void **st)
{
    env *e = *st;
    hdr(e, "x-real-ip", "10.0.0.5");
    hdr(e, "x-forwarded-for", "198.51.100.3, 10.0.0.5");
    assert_string_equal(client(e, "127.0.0.1"), "198.51.100.3");
    e->h.n = 0;
    hdr(e, "x-real-ip", "10.0.0.5");
    assert_string_equal(client(e, "127.0.0.1"), "10.0.0.5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cidr_parse_valid),
        cmocka_unit_test(test_cidr_parse_refuses),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_trusts),
        cmocka_unit_test_setup_teardown(test_untrusted_peer_ignores_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_ip_from_trusted_peer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_ip_canonical_and_v6, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_ip_not_an_address_falls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_real_ips_fall_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forwarded_for_rightmost_untrusted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forwarded_for_lines_and_empty_elements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forwarded_for_all_trusted_or_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_ip_of_a_proxy_defers_to_chain, setup, teardown),
    };
    return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
