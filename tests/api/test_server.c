/*
 * test_server.c — the libmicrohttpd front over real loopback sockets:
 * keep-alive, headers, body caps on the wire (declared, chunked), the idle
 * timeout against slowloris clients, the absolute request deadline against
 * slow bodies, the per-IP connection limit, an oversize chunked upload
 * refused on the wire with nothing stored, and graceful shutdown letting an
 * in-flight request finish. Other clients keep being served throughout.
 */
#include "support/zt.h"
#include "support/fixtures_roles.h"
#include "support/zt_sock.h"
#include "app/server.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    zt_env *env;
    zq_server *srv;
    unsigned port;
} fixture;

static void tweak(zq_config *c)
{
    c->listen = "127.0.0.1:0";
    c->idle_timeout = 1;
    c->request_timeout = 2;
    c->per_ip_conns = 6;
    c->threads = 2;
}

static int setup(void **st)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256];
    f->env = zt_start_cfg(tweak);
    f->srv = zq_server_start(f->env->app, err, sizeof err);
    if (!f->srv) fail_msg("server: %s", err);
    f->port = zq_server_port(f->srv);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fixture *f = *st;
    if (f->srv) zq_server_stop(f->srv, 2000);
    zt_stop(f->env);
    free(f);
    return 0;
}

static bool peer_closed(int fd)
{
    char b[256];
    ssize_t r = recv(fd, b, sizeof b, 0);
    return r == 0 || (r < 0 && errno == ECONNRESET);
}

static void test_keepalive_and_headers(void **st)
{
    fixture *f = *st;
    char buf[32768];
    int fd = zs_dial(f->port, 5000);
    assert_true(fd >= 0);
    for (int i = 0; i < 3; i++) {
        zs_send(fd, "GET /api/v1/dicts/scale HTTP/1.1\r\nHost: t\r\n\r\n", 0);
        assert_int_equal(zs_read_response(fd, buf, sizeof buf, NULL), 200);
        assert_non_null(strstr(buf, "Content-Type: application/json; charset=utf-8"));
        assert_non_null(strstr(buf, "X-Content-Type-Options: nosniff"));
        assert_non_null(strstr(buf, "Content-Security-Policy: "));
        assert_non_null(strstr(buf, "X-Request-Id: "));
        assert_non_null(strstr(buf, "\"code\":\"large\""));
    }
    close(fd);
}

static void test_declared_body_too_large(void **st)
{
    fixture *f = *st;
    char buf[8192];
    int fd = zs_dial(f->port, 5000);
    zs_send(fd, "POST /api/v1/register HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                 "Content-Length: 5000000\r\n\r\n{\"name\":", 0);
    assert_int_equal(zs_read_response(fd, buf, sizeof buf, NULL), 413);
    assert_non_null(strstr(buf, "\"payload_too_large\""));
    assert_non_null(strstr(buf, "\"request_id\""));
    close(fd);
    assert_int_equal(zs_get(f->port, "/api/v1/health"), 200);
}

static void test_chunked_body_too_large(void **st)
{
    fixture *f = *st;
    char buf[8192], chunk[70000];
    int fd = zs_dial(f->port, 5000);
    zs_send(fd, "POST /api/v1/register HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n", 0);
    memset(chunk, 'a', sizeof chunk);
    int status = -1;
    for (int i = 0; i < 20 && status < 0; i++) { /* 20 × 64 KiB > 1 MiB */
        char head[16];
        snprintf(head, sizeof head, "%x\r\n", 65536);
        zs_send(fd, head, 0);
        chunk[65536] = '\0';
        zs_send(fd, chunk, 0);
        zs_send(fd, "\r\n", 0);
    }
    zs_send(fd, "0\r\n\r\n", 0);
    status = zs_read_response(fd, buf, sizeof buf, NULL);
    assert_int_equal(status, 413);
    assert_non_null(strstr(buf, "\"payload_too_large\""));
    close(fd);
    assert_int_equal(zt_count(f->env, "SELECT COUNT(*) FROM enterprise"), 0);
}

/* An upload has no Content-Length to refuse up front when it is chunked:
 * the server must stop at the 10 MiB cap as the bytes arrive, answer 413
 * and store nothing. */
static void test_chunked_upload_too_large(void **st)
{
    fixture *f = *st;
    zt_client c;
    zm_enterprise(f->env, &c, "福州上传测试有限公司", "13900000031", NULL);
    char buf[8192], head[512];
    static char chunk[65536 + 1];
    int fd = zs_dial(f->port, 5000);
    snprintf(head, sizeof head,
             "POST /api/v1/uploads?name=big.pdf HTTP/1.1\r\nHost: t\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
             "Content-Type: application/pdf\r\nTransfer-Encoding: chunked\r\n\r\n",
             c.cookie, c.csrf);
    zs_send(fd, head, 0);
    memset(chunk, 'a', sizeof chunk - 1);
    memcpy(chunk, "%PDF-1.4\n", 9); /* a real type, so only the size can refuse it */
    for (int i = 0; i < 11 * 16; i++) { /* 11 MiB in 64 KiB chunks */
        zs_send(fd, "10000\r\n", 0);
        zs_send(fd, chunk, 0);
        zs_send(fd, "\r\n", 0);
        if (i == 0) chunk[0] = 'a';
    }
    zs_send(fd, "0\r\n\r\n", 0);
    assert_int_equal(zs_read_response(fd, buf, sizeof buf, NULL), 413);
    assert_non_null(strstr(buf, "\"payload_too_large\""));
    close(fd);
    assert_int_equal(zt_count(f->env, "SELECT COUNT(*) FROM upload"), 0);
    assert_int_equal(zt_count(f->env, "SELECT COUNT(*) FROM file_chunk"), 0);
    assert_int_equal(zs_get(f->port, "/api/v1/health"), 200);
}

static void test_slowloris_cut_others_served(void **st)
{
    fixture *f = *st;
    int slow = zs_dial(f->port, 5000);
    assert_true(slow >= 0);
    zs_send(slow, "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n", 0); /* never finishes its headers */
    for (int i = 0; i < 4; i++) assert_int_equal(zs_get(f->port, "/api/v1/health"), 200);
    sleep(3); /* idle timeout is 1 s */
    assert_true(peer_closed(slow));
    close(slow);
    assert_int_equal(zs_get(f->port, "/api/v1/health"), 200);
}

static void test_slow_body_hits_deadline(void **st)
{
    fixture *f = *st;
    int slow = zs_dial(f->port, 5000);
    zs_send(slow, "POST /api/v1/register HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   "Content-Length: 200\r\n\r\n", 0);
    /* one byte every 0.4 s: never idle for the 1 s idle timeout, but past the 2 s deadline */
    bool closed = false;
    for (int i = 0; i < 15 && !closed; i++) {
        if (send(slow, " ", 1, MSG_NOSIGNAL) != 1) closed = true;
        usleep(400000);
        if (i % 3 == 0) assert_int_equal(zs_get(f->port, "/api/v1/health"), 200);
    }
    struct timeval tv = {1, 0};
    setsockopt(slow, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char b[512];
    ssize_t r = recv(slow, b, sizeof b, 0);
    assert_true(closed || r == 0 || (r < 0 && errno == ECONNRESET));
    close(slow);
    assert_int_equal(zt_count(f->env, "SELECT COUNT(*) FROM enterprise"), 0);
}

static void test_per_ip_limit(void **st)
{
    fixture *f = *st;
    int fds[6];
    for (int i = 0; i < 6; i++) {
        fds[i] = zs_dial(f->port, 5000);
        assert_true(fds[i] >= 0);
    }
    usleep(100000);
    int extra = zs_dial(f->port, 5000);
    if (extra >= 0) {
        zs_send(extra, "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n", 0);
        char buf[4096];
        assert_int_equal(zs_read_response(extra, buf, sizeof buf, NULL), -1); /* refused: closed without answer */
        close(extra);
    }
    for (int i = 0; i < 6; i++) close(fds[i]);
    usleep(200000);
    assert_int_equal(zs_get(f->port, "/api/v1/health"), 200);
}

static void test_huge_query_over_socket(void **st)
{
    fixture *f = *st;
    char *path = malloc(9000);
    strcpy(path, "/api/v1/dicts/region?q=");
    memset(path + strlen(path), 'x', 8000);
    path[8023] = '\0';
    assert_int_equal(zs_get(f->port, path), 414);
    free(path);
    assert_int_equal(zs_get(f->port, "/api/v1/dicts/..%2f..%2fetc%2fpasswd"), 404);
}

typedef struct {
    zq_server *srv;
} stop_arg;

static void *stopper(void *p)
{
    stop_arg *a = p;
    zq_server_stop(a->srv, 5000);
    return NULL;
}

static void test_graceful_shutdown(void **st)
{
    fixture *f = *st;
    char buf[8192];
    int fd = zs_dial(f->port, 5000);
    zs_send(fd, "POST /api/v1/register HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                 "Content-Length: 2\r\n\r\n", 0);
    usleep(200000); /* the request is now in flight, waiting for its body */
    stop_arg a = {f->srv};
    pthread_t th;
    pthread_create(&th, NULL, stopper, &a);
    usleep(300000);
    assert_int_equal(zs_dial(f->port, 5000), -1); /* no longer accepting */
    zs_send(fd, "{}", 0);
    int status = zs_read_response(fd, buf, sizeof buf, NULL);
    assert_true(status >= 200 && status < 500); /* the in-flight request was answered */
    close(fd);
    pthread_join(th, NULL);
    f->srv = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_keepalive_and_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declared_body_too_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chunked_body_too_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chunked_upload_too_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slowloris_cut_others_served, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slow_body_hits_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_per_ip_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_query_over_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graceful_shutdown, setup, teardown),
    };
    return cmocka_run_group_tests_name("server", tests, NULL, NULL);
}
