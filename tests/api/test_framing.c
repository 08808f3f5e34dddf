/*
 * test_framing.c — malformed HTTP/1.1 framing over a real socket (RFC 9112
 * §2.2, §3, §5, §6): each case is an anonymous POST /api/v1/sms/send that
 * would store an SMS code, sent with one framing defect libmicrohttpd
 * 0.9.75 lets through. Each must answer 400 in zhengqi's JSON envelope with
 * the security headers, close the connection and store nothing. The 431
 * for an oversized head is checked the same way. A well-formed control
 * request proves the probe does store when nothing is wrong.
 */
#include "support/zt.h"
#include "support/zt_probe.h"
#include "support/zt_sock.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>


/* The answer is ours: envelope, request id, the usual security headers. */
static void assert_ours(const char *buf, const char *code)
{
    char want[64];
    snprintf(want, sizeof want, "{\"error\":{\"code\":\"%s\"", code);
    assert_non_null(strstr(buf, want));
    assert_non_null(strstr(buf, "\"request_id\":\""));
    assert_non_null(strstr(buf, "\r\nContent-Type: application/json; charset=utf-8\r\n"));
    assert_non_null(strstr(buf, "\r\nX-Content-Type-Options: nosniff\r\n"));
    assert_non_null(strstr(buf, "\r\nX-Frame-Options: DENY\r\n"));
    assert_non_null(strstr(buf, "\r\nContent-Security-Policy: default-src 'self'"));
    assert_non_null(strstr(buf, "\r\nCache-Control: no-store\r\n"));
    assert_non_null(strstr(buf, "\r\nX-Request-Id: "));
    assert_null(strstr(buf, "<html>"));
}

/* Sends head (may hold NULs) then body on a fresh connection: 400 in our
 * envelope, the connection closed, nothing stored; the server still serves. */
static void refused(zt_served *s, const char *head, size_t head_len, const char *body)
{
    static char buf[65536];
    int fd = zs_dial(s->port, 5000);
    assert_true(fd >= 0);
    zs_send(fd, head, head_len);
    zs_send(fd, body, 0);
    int status = zs_read_response(fd, buf, sizeof buf, NULL);
    if (status != 400) fail_msg("want 400, got %d: %.300s", status, buf);
    assert_ours(buf, "bad_request");
    assert_non_null(strstr(buf, "\r\nConnection: close\r\n"));
    char more[64];
    assert_true(recv(fd, more, sizeof more, 0) <= 0); /* nothing after: closed */
    close(fd);
    assert_int_equal(zp_stored(s), 0);
    assert_int_equal(zs_get(s->port, "/api/v1/health"), 200);
}

static void test_control_request_stores(void **st)
{
    zt_served *s = *st;
    char buf[8192];
    static const char req[] = ZP_POST "Host: t\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n" ZP_BODY;
    assert_int_equal(zs_exchange(s->port, ZP_RAW(req), buf, sizeof buf), 200);
    assert_int_equal(zt_count(s->env, "SELECT COUNT(*) FROM sms_code"), 1);
}

static void test_conflicting_content_length(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\n" ZP_JSON_CT "Content-Length: 2\r\nContent-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

/* RFC 9112 §6.3 would allow merging identical values; we refuse them as
 * nginx does, one rule being easier to trust than two */
static void test_identical_content_length(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\nContent-Length: " ZP_BODY_LEN "\r\n\r\n"),
            ZP_BODY);
}

static void test_content_length_with_chunked(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "2c\r\n" ZP_BODY "\r\n0\r\n\r\n");
}

static void test_unknown_transfer_coding(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\n" ZP_JSON_CT "Transfer-Encoding: gzip, chunked\r\n\r\n"), "2c\r\n" ZP_BODY "\r\n0\r\n\r\n");
}

static void test_missing_host(void **st)
{
    refused(*st, ZP_RAW(ZP_POST ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

static void test_two_hosts(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\nHost: evil.example\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

static void test_raw_nul_in_path(void **st)
{
    refused(*st, ZP_RAW("POST /api/v1/sms/send\0/x HTTP/1.1\r\nHost: t\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"),
            ZP_BODY);
}

static void test_encoded_nul_in_path(void **st)
{
    refused(*st, ZP_RAW("POST /api/v1/sms/send%00 HTTP/1.1\r\nHost: t\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"),
            ZP_BODY);
}

static void test_space_in_header_name(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\nX Forwarded: a\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

/* "Content-Length : 44" is the classic smuggling spelling: a proxy that
 * ignores the line and a server that trims it disagree on the length */
static void test_space_before_colon(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\n" ZP_JSON_CT "Content-Length : " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

static void test_separator_in_header_name(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\nX-A(b): c\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

static void test_control_char_in_value(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\nX-Note: a\x01z\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

static void test_bare_cr_in_value(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\nX-Note: a\rz\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

static void test_nul_in_value(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\nX-Note: a\0z\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

static void test_bare_lf_everywhere(void **st)
{
    refused(*st, ZP_RAW("POST /api/v1/sms/send HTTP/1.1\nHost: t\nContent-Type: application/json\nContent-Length: " ZP_BODY_LEN
                     "\n\n"),
            ZP_BODY);
}

static void test_bare_lf_one_header(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

static void test_bare_lf_ends_head(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\n"), ZP_BODY);
}

static void test_folded_header(void **st)
{
    refused(*st, ZP_RAW(ZP_POST "Host: t\r\nX-Note: a\r\n b\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n\r\n"), ZP_BODY);
}

/* a head past 16 KiB: our 431, not libmicrohttpd's HTML */
static void test_headers_too_large(void **st)
{
    zt_served *s = *st;
    static char buf[65536];
    size_t big = 20000;
    char *req = malloc(big + 512);
    int n = snprintf(req, 512, ZP_POST "Host: t\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\nX-Big: ");
    memset(req + n, 'a', big);
    strcpy(req + n + big, "\r\n\r\n" ZP_BODY);
    assert_int_equal(zs_exchange(s->port, req, strlen(req), buf, sizeof buf), 431);
    free(req);
    assert_ours(buf, "headers_too_large");
    assert_non_null(strstr(buf, "\"message\":\"请求头过大"));
    assert_int_equal(zp_stored(s), 0);

    /* too many lines, each small */
    char *many = malloc(8192), *p = many;
    p += sprintf(p, ZP_POST "Host: t\r\n" ZP_JSON_CT "Content-Length: " ZP_BODY_LEN "\r\n");
    for (int i = 0; i < 110; i++) p += sprintf(p, "X-%d: v\r\n", i);
    strcpy(p, "\r\n" ZP_BODY);
    assert_int_equal(zs_exchange(s->port, many, strlen(many), buf, sizeof buf), 431);
    free(many);
    assert_ours(buf, "headers_too_large");
    assert_int_equal(zp_stored(s), 0);
    assert_int_equal(zs_get(s->port, "/api/v1/health"), 200);
}

/* what stays allowed: HTTP/1.0 without Host, empty values, OWS, obs-text,
 * chunked alone, keep-alive after a good request */
static void test_well_formed_variants_pass(void **st)
{
    zt_served *s = *st;
    char buf[8192];
    assert_int_equal(zs_exchange(s->port, ZP_RAW("GET /api/v1/health HTTP/1.0\r\n\r\n"), buf, sizeof buf), 200);
    assert_int_equal(zs_exchange(s->port,
                                      ZP_RAW("GET /api/v1/health HTTP/1.1\r\nHost: t\r\nX-A:\r\nX-B: \t v \r\n"
                                          "X-C: caf\xc3\xa9\r\nConnection: close\r\n\r\n"),
                                      buf, sizeof buf),
                     200);
    int fd = zs_dial(s->port, 5000);
    zs_send(fd, ZP_POST "Host: t\r\n" ZP_JSON_CT "Transfer-Encoding: chunked\r\n\r\n2c\r\n" ZP_BODY "\r\n0\r\n\r\n", 0);
    assert_int_equal(zs_read_response(fd, buf, sizeof buf, NULL), 200);
    zs_send(fd, "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n", 0);
    assert_int_equal(zs_read_response(fd, buf, sizeof buf, NULL), 200);
    close(fd);
    assert_int_equal(zt_count(s->env, "SELECT COUNT(*) FROM sms_code"), 1);
    /* a head just under the cap, all cookie (libmicrohttpd copies cookies):
     * still ours to answer, and answered */
    static char big[16384];
    int n = snprintf(big, sizeof big, "GET /api/v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\nCookie: z=");
    memset(big + n, 'c', 11 * 1024);
    strcpy(big + n + 11 * 1024, "\r\n\r\n");
    assert_int_equal(zs_exchange(s->port, big, strlen(big), buf, sizeof buf), 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_control_request_stores, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_conflicting_content_length, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_identical_content_length, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_content_length_with_chunked, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_transfer_coding, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_missing_host, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_two_hosts, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_raw_nul_in_path, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_encoded_nul_in_path, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_space_in_header_name, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_space_before_colon, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_separator_in_header_name, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_control_char_in_value, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_bare_cr_in_value, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_nul_in_value, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_bare_lf_everywhere, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_bare_lf_one_header, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_bare_lf_ends_head, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_folded_header, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_headers_too_large, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_well_formed_variants_pass, zp_setup, zp_teardown),
    };
    return cmocka_run_group_tests_name("framing", tests, NULL, NULL);
}
