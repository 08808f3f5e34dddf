/*
 * test_proxy.c — the client address behind a reverse proxy, both ways.
 * With 127.0.0.1 trusted (--trusted-proxy), X-Real-IP is who the audit
 * log, the SMS records and the per-address login throttle see, so two
 * clients behind one nginx get separate buckets. Without trust, a spoofed
 * X-Real-IP / X-Forwarded-For changes nothing: the throttle still hits the
 * socket address. In-process first (the pipeline), then over real sockets.
 */
#include "support/zt.h"
#include "support/zt_serve.h"
#include "support/zt_sock.h"
#include "auth/login.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void trust_loopback(zq_config *c)
{
    char err[200];
    c->listen = "127.0.0.1:0";
    c->threads = 2;
    if (zq_proxy_add_list(&c->trusted_proxies, "127.0.0.1", err, sizeof err) != 0) fail_msg("%s", err);
}

static void trust_nobody(zq_config *c)
{
    c->listen = "127.0.0.1:0";
    c->threads = 2;
}

static zt_resp *bad_login(zt_env *e, zt_client *c, int n, const char *headers)
{
    char body[128];
    snprintf(body, sizeof body, "{\"phone\":\"139%08d\",\"password\":\"Wrong-pass-1\"}", n);
    return zt_req(e, c, "POST", "/api/v1/auth/login", body, headers);
}

static long long audited_from(zt_env *e, const char *ip)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND ip = '%s'", ip);
    return zt_count(e, sql);
}

/* ---- in-process: the pipeline resolves the address before anything else ---- */

static void test_trusted_peer_real_ip_is_the_client(void **st)
{
    (void)st;
    zt_env *e = zt_start_cfg(trust_loopback);
    zt_client c;
    zt_client_init(&c); /* peer 127.0.0.1, the trusted proxy */
    zt_expect(bad_login(e, &c, 1, "X-Real-IP: 203.0.113.7\n"), 401, "invalid_credentials");
    assert_int_equal(audited_from(e, "203.0.113.7"), 1);
    assert_int_equal(audited_from(e, "127.0.0.1"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM rate_counter WHERE key = 'login:ip:203.0.113.7'"), 1);
    /* right-most X-Forwarded-For entry when there is no X-Real-IP */
    zt_expect(bad_login(e, &c, 2, "X-Forwarded-For: 1.1.1.1, 198.51.100.4\n"), 401, "invalid_credentials");
    assert_int_equal(audited_from(e, "198.51.100.4"), 1);
    assert_int_equal(audited_from(e, "1.1.1.1"), 0);
    /* the SMS limits key on it too */
    zt_expect(zt_req(e, &c, "POST", "/api/v1/sms/send", "{\"phone\":\"13800000002\",\"purpose\":\"register\"}",
                     "X-Real-IP: 2001:db8::7\n"),
              200, NULL);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code WHERE ip = '2001:db8::7'"), 1);
    /* a value that is not an address is not believed */
    zt_expect(bad_login(e, &c, 3, "X-Real-IP: <script>\n"), 401, "invalid_credentials");
    assert_int_equal(audited_from(e, "127.0.0.1"), 1);
    zt_stop(e);
}

static void test_untrusted_peer_headers_ignored(void **st)
{
    (void)st;
    zt_env *e = zt_start_cfg(trust_loopback);
    zt_client c;
    zt_client_init(&c);
    snprintf(c.ip, sizeof c.ip, "192.0.2.44"); /* a client straight on the socket */
    zt_expect(bad_login(e, &c, 1, "X-Real-IP: 203.0.113.7\nX-Forwarded-For: 203.0.113.8\n"), 401,
              "invalid_credentials");
    assert_int_equal(audited_from(e, "192.0.2.44"), 1);
    assert_int_equal(audited_from(e, "203.0.113.7") + audited_from(e, "203.0.113.8"), 0);
    zt_stop(e);
}

/* ---- over sockets ---- */

static int login_over(int fd, int n, const char *real_ip)
{
    char body[128], req[512], buf[8192];
    int len = snprintf(body, sizeof body, "{\"phone\":\"139%08d\",\"password\":\"Wrong-pass-1\"}", n);
    snprintf(req, sizeof req,
             "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
             "X-Real-IP: %s\r\nContent-Length: %d\r\n\r\n%s",
             real_ip, len, body);
    zs_send(fd, req, 0);
    return zs_read_response(fd, buf, sizeof buf, NULL);
}

static void test_socket_trusted_separate_buckets(void **st)
{
    (void)st;
    zt_served *s = zt_serve(zt_start_cfg(trust_loopback));
    int fd = zs_dial(s->port, 5000);
    assert_true(fd >= 0);
    for (int i = 0; i < AUTH_IP_FAILS; i++) assert_int_equal(login_over(fd, i, "203.0.113.10"), 401);
    assert_int_equal(login_over(fd, 100, "203.0.113.10"), 429); /* A's bucket is full */
    assert_int_equal(login_over(fd, 101, "203.0.113.11"), 401); /* B, same proxy, still logs in */
    close(fd);
    assert_int_equal(audited_from(s->env, "203.0.113.11"), 1);
    assert_int_equal(audited_from(s->env, "127.0.0.1"), 0);
    zt_serve_stop(s);
}

static void test_socket_spoofed_header_ignored(void **st)
{
    (void)st;
    zt_served *s = zt_serve(zt_start_cfg(trust_nobody));
    int fd = zs_dial(s->port, 5000);
    assert_true(fd >= 0);
    char ip[32];
    for (int i = 0; i < AUTH_IP_FAILS; i++) {
        snprintf(ip, sizeof ip, "198.51.100.%d", i + 1); /* a new "address" every time */
        assert_int_equal(login_over(fd, i, ip), 401);
    }
    assert_int_equal(login_over(fd, 100, "198.51.100.200"), 429); /* the socket address's bucket */
    close(fd);
    assert_int_equal(audited_from(s->env, "127.0.0.1"), AUTH_IP_FAILS);
    assert_int_equal(zt_count(s->env, "SELECT COUNT(*) FROM audit_log WHERE ip LIKE '198.51.100.%'"), 0);
    zt_serve_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trusted_peer_real_ip_is_the_client),
        cmocka_unit_test(test_untrusted_peer_headers_ignored),
        cmocka_unit_test(test_socket_trusted_separate_buckets),
        cmocka_unit_test(test_socket_spoofed_header_ignored),
    };
    return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
