/*
 * test_mhd_refusals.c — the malformed requests libmicrohttpd 0.9.75 refuses
 * itself, before zhengqi's access handler ever sees them, over a real
 * socket: what the client sees is what docs/architecture.md ("What
 * libmicrohttpd answers itself") says, nothing is stored, the connection
 * is closed and the server keeps serving. Everything zhengqi can answer
 * (framing, oversized heads up to the connection memory, bodies over a
 * route's cap) is answered in the JSON envelope: test_framing.c and
 * test_server.c. If a libmicrohttpd upgrade starts passing one of these
 * cases to zhengqi, or answers it differently, this test fails and the
 * page (and maybe framing.c) must follow.
 */
#include "support/zt.h"
#include "support/zt_probe.h"
#include "support/zt_sock.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* the probe's request line and the fields every case shares */
#define POST_HEAD ZP_POST "Host: t\r\n" ZP_JSON_CT


/* Sends raw on a fresh connection and reads until the server closes it
 * (or the 5 s receive timeout passes: after an oversized head
 * libmicrohttpd answers, then waits for the idle timeout): every byte the
 * client gets, NUL-ended; its length, -1 if nothing came. */
static long exchange_all(zt_served *s, const char *raw, size_t n, char *buf, size_t cap)
{
    int fd = zs_dial(s->port, 5000);
    assert_true(fd >= 0);
    zs_send(fd, raw, n);
    size_t len = 0;
    for (;;) {
        ssize_t r = recv(fd, buf + len, cap - 1 - len, 0);
        if (r == 0) break;
        if (r < 0) break;
        len += (size_t)r;
        if (len == cap - 1) break;
    }
    buf[len] = '\0';
    close(fd);
    return len ? (long)len : -1;
}

/* The answer is libmicrohttpd's own: the status, its HTML page (none of
 * zhengqi's envelope or security headers), Connection: close, then the
 * close; nothing stored; the next request is served as usual. */
static void mhd_answers(zt_served *s, const char *raw, size_t n, int status, const char *html)
{
    static char buf[65536];
    long got = exchange_all(s, raw, n, buf, sizeof buf);
    if (got <= 0) fail_msg("no answer (%ld)", got);
    char want[64];
    snprintf(want, sizeof want, "HTTP/1.1 %d ", status);
    if (strncmp(buf, want, strlen(want)) != 0) fail_msg("want %d, got %.200s", status, buf);
    assert_non_null(strstr(buf, "\r\nConnection: close\r\n"));
    assert_non_null(strstr(buf, html));
    assert_null(strstr(buf, "\"error\""));
    assert_null(strstr(buf, "X-Request-Id"));
    assert_int_equal(zp_stored(s), 0);
    assert_int_equal(zs_get(s->port, "/api/v1/health"), 200);
}

static void test_control_request_stores(void **st)
{
    zt_served *s = *st;
    char buf[8192];
    static const char req[] = POST_HEAD "Content-Length: 44\r\n\r\n" ZP_BODY;
    assert_int_equal(zs_exchange(s->port, ZP_RAW(req), buf, sizeof buf), 200);
    assert_int_equal(zt_count(s->env, "SELECT COUNT(*) FROM sms_code"), 1);
}

/* request line: a version that is not HTTP/x.y, a third space, HTTP/2 */
static void test_bad_request_line(void **st)
{
    mhd_answers(*st, ZP_RAW("POST /api/v1/sms/send XTTP/1.1\r\nHost: t\r\nContent-Length: 44\r\n\r\n" ZP_BODY), 400,
                "Request malformed");
    mhd_answers(*st, ZP_RAW("POST /api/v1/sms/send HTTP/1.1 x\r\nHost: t\r\nContent-Length: 44\r\n\r\n" ZP_BODY), 400,
                "Request malformed");
    mhd_answers(*st, ZP_RAW("POST /api/v1/sms/send HTTP/2.0\r\nHost: t\r\nContent-Length: 44\r\n\r\n" ZP_BODY), 505,
                "HTTP version is not supported");
}

static void test_field_line_without_colon(void **st)
{
    mhd_answers(*st, ZP_RAW(POST_HEAD "NoColon\r\nContent-Length: 44\r\n\r\n" ZP_BODY), 400, "Request malformed");
}

/* Content-Length is parsed after the head is complete; 0.9.75 then sends
 * its header block twice (docs/architecture.md), so only the first line
 * and the page are checked */
static void test_bad_content_length(void **st)
{
    mhd_answers(*st, ZP_RAW(POST_HEAD "Content-Length: 4x\r\n\r\n" ZP_BODY), 400, "wrong value for <b>Content-Length</b>");
    mhd_answers(*st, ZP_RAW(POST_HEAD "Content-Length: -44\r\n\r\n" ZP_BODY), 400, "wrong value for <b>Content-Length</b>");
    mhd_answers(*st, ZP_RAW(POST_HEAD "Content-Length: 99999999999999999999999\r\n\r\n" ZP_BODY), 413,
                "too large value for <b>Content-Length</b>");
}

static void test_bad_chunked_body(void **st)
{
    mhd_answers(*st, ZP_RAW(POST_HEAD "Transfer-Encoding: chunked\r\n\r\nzz\r\n" ZP_BODY "\r\n0\r\n\r\n"), 400,
                "chunked encoding was syntactically incorrect");
    mhd_answers(*st, ZP_RAW(POST_HEAD "Transfer-Encoding: chunked\r\n\r\n2c\r\n" ZP_BODY "XX0\r\n\r\n"), 400,
                "chunked encoding was syntactically incorrect");
    mhd_answers(*st, ZP_RAW(POST_HEAD "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n" ZP_BODY), 413,
                "chunk size used in your HTTP chunked encoded request is too large");
    mhd_answers(*st, ZP_RAW(POST_HEAD "Transfer-Encoding: chunked\r\n\r\n2c\r\n" ZP_BODY "\r\n0\r\nNoColon\r\n\r\n"), 400,
                "Request malformed");
}

/* past the 32 KiB connection memory (server.c CONN_MEMORY): a long field,
 * a long target, a long Cookie (libmicrohttpd copies it to parse it) */
static void test_head_past_connection_memory(void **st)
{
    static char req[48 * 1024];
    int n = snprintf(req, sizeof req, POST_HEAD "X-Big: ");
    memset(req + n, 'a', 40000);
    strcpy(req + n + 40000, "\r\nContent-Length: 44\r\n\r\n" ZP_BODY);
    mhd_answers(*st, req, strlen(req), 431, "too big for the memory constraints");

    n = snprintf(req, sizeof req, "GET /api/v1/health?q=");
    memset(req + n, 'a', 40000);
    strcpy(req + n + 40000, " HTTP/1.1\r\nHost: t\r\n\r\n");
    mhd_answers(*st, req, strlen(req), 414, "too big for the memory constraints");

    n = snprintf(req, sizeof req, POST_HEAD "Cookie: z=");
    memset(req + n, 'c', 20000);
    strcpy(req + n + 20000, "\r\nContent-Length: 44\r\n\r\n" ZP_BODY);
    mhd_answers(*st, req, strlen(req), 431, "too big for the memory constraints");
}

/* A chunked body over the route's cap is read and dropped (libmicrohttpd
 * cannot queue an answer mid-body) and answered 413 in the envelope at
 * its end, unless it runs on 8 MiB past the cap: then the connection is
 * cut without an answer (server.c DISCARD_MAX). */
static void test_endless_chunked_body_cut(void **st)
{
    zt_served *s = *st;
    int fd = zs_dial(s->port, 5000);
    assert_true(fd >= 0);
    zs_send(fd, POST_HEAD "Transfer-Encoding: chunked\r\n\r\n", 0);
    size_t chunk = 1u << 20;
    char *c = malloc(chunk + 32);
    int h = sprintf(c, "%zx\r\n", chunk);
    memset(c + h, 'a', chunk);
    memcpy(c + h + chunk, "\r\n", 2);
    bool cut = false;
    for (int i = 0; i < 64 && !cut; i++) cut = !zs_send(fd, c, (size_t)h + chunk + 2);
    free(c);
    char buf[4096];
    ssize_t r = recv(fd, buf, sizeof buf, 0);
    close(fd);
    assert_true(cut || r <= 0); /* no answer, the connection gone */
    assert_int_equal(zp_stored(s), 0);
    assert_int_equal(zs_get(s->port, "/api/v1/health"), 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_control_request_stores, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_bad_request_line, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_field_line_without_colon, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_bad_content_length, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_bad_chunked_body, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_head_past_connection_memory, zp_setup, zp_teardown),
        cmocka_unit_test_setup_teardown(test_endless_chunked_body_cut, zp_setup, zp_teardown),
    };
    return cmocka_run_group_tests_name("mhd_refusals", tests, NULL, NULL);
}
