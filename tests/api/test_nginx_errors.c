/*
 * test_nginx_errors.c — docs/deploy/zhengqi-errors.conf in a real nginx in
 * front of the served app: the malformed requests nginx refuses itself
 * (request line, missing Host, Content-Length, chunk, head, target, body
 * size) answer in zhengqi's JSON envelope with nginx's status and request
 * id, store nothing, and zhengqi's own answers pass through unchanged.
 * The nginx configuration is written here around the deployed file (plain
 * HTTP on loopback, the deployed file included as it is).
 */
#include "support/zt.h"
#include "support/zt_probe.h"
#include "support/zt_sock.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define HEAD "POST /api/v1/sms/send HTTP/1.1\r\nHost: t\r\n" ZP_JSON_CT

typedef struct {
    zt_served *served;
    pid_t nginx;
    unsigned port;
    char dir[64];
} world;

/* Writes the test's nginx.conf into w->dir: one server on w->port proxying
 * to the served app, with the deployed error file included. */
static void write_conf(world *w)
{
    char errors[4096], path[128];
    if (!realpath("docs/deploy/zhengqi-errors.conf", errors)) fail_msg("docs/deploy/zhengqi-errors.conf not found");
    snprintf(path, sizeof path, "%s/nginx.conf", w->dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "worker_processes 1; daemon off; pid %s/nginx.pid; error_log %s/error.log;\n"
            "events { worker_connections 64; }\n"
            "http {\n access_log off;\n"
            " client_body_temp_path %s/body; proxy_temp_path %s/proxy; fastcgi_temp_path %s/fcgi;\n"
            " uwsgi_temp_path %s/uwsgi; scgi_temp_path %s/scgi;\n"
            " upstream zhengqi { server 127.0.0.1:%u; keepalive 4; }\n"
            " server {\n  listen 127.0.0.1:%u;\n"
            "  client_max_body_size 4k; client_header_buffer_size 1k; large_client_header_buffers 4 8k;\n"
            "  include %s;\n"
            "  location / { proxy_pass http://zhengqi; proxy_http_version 1.1; proxy_set_header Connection \"\";\n"
            "               proxy_set_header Host $host; }\n"
            " }\n}\n",
            w->dir, w->dir, w->dir, w->dir, w->dir, w->dir, w->dir, w->served->port, w->port, errors);
    fclose(f);
}

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    zp_setup((void **)&w->served);
    snprintf(w->dir, sizeof w->dir, "/tmp/zq-nginx-XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    chmod(w->dir, 0755); /* workers run as nobody when the tests run as root */
    w->port = zs_free_port();
    write_conf(w);
    char conf[128];
    snprintf(conf, sizeof conf, "%s/nginx.conf", w->dir);
    w->nginx = fork();
    assert_true(w->nginx >= 0);
    if (w->nginx == 0) {
        execlp("nginx", "nginx", "-q", "-p", w->dir, "-c", conf, (char *)NULL);
        _exit(127);
    }
    /* up when it answers */
    for (int i = 0; i < 100; i++) {
        if (zs_get(w->port, "/api/v1/health") == 200) break;
        usleep(50000);
    }
    if (zs_get(w->port, "/api/v1/health") != 200) fail_msg("nginx did not start (see %s/error.log)", w->dir);
    *st = w;
    return 0;
}

static int teardown(void **st)
{
    world *w = *st;
    if (w->nginx > 0) {
        kill(w->nginx, SIGQUIT);
        waitpid(w->nginx, NULL, 0);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", w->dir);
    assert_int_equal(system(cmd), 0);
    zp_teardown((void **)&w->served);
    free(w);
    return 0;
}

/* Sends raw through nginx; the answer must be status in the envelope with
 * code, and nothing stored. */
static void enveloped(world *w, const char *raw, size_t n, int status, const char *code)
{
    static char buf[65536];
    int got = zs_exchange(w->port, raw, n, buf, sizeof buf);
    if (got != status) fail_msg("want %d, got %d: %.300s", status, got, buf);
    assert_non_null(strstr(buf, "\r\nContent-Type: application/json; charset=utf-8\r\n"));
    assert_non_null(strstr(buf, "\r\nX-Content-Type-Options: nosniff\r\n"));
    char want[96];
    snprintf(want, sizeof want, "{\"error\":{\"code\":\"%s\",\"message\":\"", code);
    assert_non_null(strstr(buf, want));
    assert_non_null(strstr(buf, "\"request_id\":\""));
    assert_null(strstr(buf, "<html>"));
    assert_int_equal(zp_stored(w->served), 0);
}

static void test_request_line(void **st)
{
    enveloped(*st, ZP_RAW("GARBAGE\r\n\r\n"), 400, "bad_request");
    enveloped(*st, ZP_RAW("POST /api/v1/sms/send XTTP/1.1\r\nHost: t\r\n\r\n"), 400, "bad_request");
    enveloped(*st, ZP_RAW("POST /api/v1/sms/send HTTP/2.0\r\nHost: t\r\n\r\n"), 505, "bad_request");
    enveloped(*st, ZP_RAW("POST /api/v1/sms/send HTTP/1.1\r\n" ZP_JSON_CT "Content-Length: 44\r\n\r\n" ZP_BODY), 400,
              "bad_request");
}

static void test_body_framing(void **st)
{
    enveloped(*st, ZP_RAW(HEAD "Content-Length: 4x\r\n\r\n" ZP_BODY), 400, "bad_request");
    enveloped(*st, ZP_RAW(HEAD "Content-Length: 99999999999999999999999\r\n\r\n" ZP_BODY), 400, "bad_request");
    enveloped(*st, ZP_RAW(HEAD "Transfer-Encoding: chunked\r\n\r\nzz\r\n" ZP_BODY "\r\n0\r\n\r\n"), 400, "bad_request");
    enveloped(*st, ZP_RAW(HEAD "Transfer-Encoding: gzip\r\n\r\n"), 501, "bad_request");
    enveloped(*st, ZP_RAW(HEAD "Content-Length: 100000\r\n\r\n"), 413, "payload_too_large");
}

static void test_sizes(void **st)
{
    static char req[32 * 1024];
    int n = snprintf(req, sizeof req, HEAD "X-Big: ");
    memset(req + n, 'a', 20000);
    strcpy(req + n + 20000, "\r\nContent-Length: 44\r\n\r\n" ZP_BODY);
    enveloped(*st, req, strlen(req), 400, "bad_request");
    n = snprintf(req, sizeof req, "GET /api/v1/health?q=");
    memset(req + n, 'a', 20000);
    strcpy(req + n + 20000, " HTTP/1.1\r\nHost: t\r\n\r\n");
    enveloped(*st, req, strlen(req), 414, "uri_too_long");
}

/* zhengqi's own answers, errors included, are not nginx's to replace */
static void test_zhengqi_answers_pass(void **st)
{
    world *w = *st;
    char buf[8192];
    assert_int_equal(zs_exchange(w->port, ZP_RAW(HEAD "Content-Length: 2\r\n\r\n{}"), buf, sizeof buf), 400);
    assert_non_null(strstr(buf, "{\"error\":{\"code\":\"validation_failed\""));
    assert_non_null(strstr(buf, "\r\nX-Request-Id: "));
    assert_int_equal(zs_exchange(w->port, ZP_RAW(HEAD "Content-Length: " ZP_BODY_LEN "\r\n\r\n" ZP_BODY), buf, sizeof buf),
                     200);
    assert_int_equal(zt_count(w->served->env, "SELECT COUNT(*) FROM sms_code"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_request_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_framing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zhengqi_answers_pass, setup, teardown),
    };
    return cmocka_run_group_tests_name("nginx_errors", tests, NULL, NULL);
}
