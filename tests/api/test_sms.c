/*
 * test_sms.c — API tests of one-time SMS codes: sending, every limit
 * (60 s resend, 5 an hour and 10 a day per phone, 20 an hour per IP) with
 * time simulated by moving rows back, the refusal message and retry_after,
 * nothing stored on a refusal, 5 wrong tries, expiry, single use, no
 * account enumeration, purposes of a login step or a logged-in flow
 * (staff_login, first_login, transfer) refused to whoever is not in it,
 * and the http provider against a gateway this test
 * runs on 127.0.0.1 (signature, failure, timeout, refused connection).
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PHONE "13812345678"
#define GW_SECRET "test-gateway-secret-0123456789"

static int setup(void **st)
{
    *st = zt_start();
    return 0;
}

static int teardown(void **st)
{
    zt_stop(*st);
    return 0;
}

static zt_resp *send_sms(zt_env *e, zt_client *c, const char *phone, const char *purpose)
{
    return zt_postf(e, c, "/api/v1/sms/send", "{\"phone\":\"%s\",\"purpose\":\"%s\"}", phone, purpose);
}

static void send_ok(zt_env *e, zt_client *c, const char *phone, const char *purpose)
{
    zt_resp *r = send_sms(e, c, phone, purpose);
    if (r->status != 200) fail_msg("sms/send %s: %d %s", phone, r->status, r->body);
    assert_true(json_is_true(zt_json(r, "sent")));
    assert_int_equal(zt_int(r, "expires_in"), 300);
    assert_int_equal(zt_int(r, "resend_after"), 60);
    zt_resp_free(r);
}

/* Moves every code of phone `seconds` into the past. */
static void age(zt_env *e, const char *phone, int seconds)
{
    zt_execf(e, "UPDATE sms_code SET created_at = created_at - %d, expires_at = expires_at - %d WHERE phone = '%s'",
             seconds, seconds, phone);
}

static void expect_limited(zt_resp *r, const char *text, long long min_wait, long long max_wait)
{
    if (r->status != 429) fail_msg("expected 429, got %d: %s", r->status, r->body);
    const char *msg = zt_str(r, "error.message");
    if (!strstr(msg, text) || !strstr(msg, "后再试")) fail_msg("message '%s' lacks '%s'", msg, text);
    long long wait = zt_int(r, "error.retry_after");
    if (wait < min_wait || wait > max_wait) fail_msg("retry_after %lld not in [%lld, %lld]", wait, min_wait, max_wait);
    char hdr[32];
    snprintf(hdr, sizeof hdr, "%lld", wait);
    assert_string_equal(zt_header(r, "Retry-After"), hdr);
    zt_expect(r, 429, "rate_limited");
}

static void test_send_stores_hash_and_outbox(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    send_ok(e, &c, PHONE, "register");
    char code[8];
    zt_last_code(e, PHONE, code);
    assert_int_equal(strlen(code), 6);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '%s' AND purpose = 'register'"
                                  " AND expires_at - created_at = 300 AND LENGTH(code_hash) = 64 AND code_hash <> '%s'",
                               PHONE, code), 1);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '%s' AND status = 'sent'"
                                  " AND provider = 'log' AND body LIKE '%%%s%%'", PHONE, code), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'sms.send' AND result = 'ok'"
                                 " AND object_id = '138****5678' AND detail NOT LIKE '%13812345678%'"), 1);
    /* the outbox is not readable over HTTP */
    zt_expect(zt_get(e, &c, "/api/v1/sms/outbox"), 404, "not_found");
}

static void test_bad_input_stores_nothing(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    zt_resp *r = send_sms(e, &c, "12812345678", "register");
    assert_non_null(zt_str(r, "error.fields.phone"));
    zt_expect(r, 400, "validation_failed");
    r = send_sms(e, &c, PHONE, "payment");
    assert_non_null(zt_str(r, "error.fields.purpose"));
    zt_expect(r, 400, "validation_failed");
    zt_expect(zt_post(e, &c, "/api/v1/sms/send", "{\"phone\":\"" PHONE "\",\"purpose\":\"register\",\"x\":1}"), 400,
              "validation_failed");
    zt_expect(zt_post(e, &c, "/api/v1/sms/send", "{}"), 400, "validation_failed");
    zt_expect(zt_post(e, &c, "/api/v1/sms/send", "{\"phone\":13812345678,\"purpose\":\"register\"}"), 400,
              "validation_failed");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox"), 0);
}

static void test_resend_after_60s(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    send_ok(e, &c, PHONE, "register");
    /* any purpose counts: the limit is per phone */
    zt_resp *r = send_sms(e, &c, PHONE, "register");
    assert_non_null(strstr(zt_str(r, "error.message"), "秒后再试"));
    expect_limited(r, "验证码已发送", 55, 60);
    expect_limited(send_sms(e, &c, PHONE, "reset"), "验证码已发送", 55, 60);
    /* nothing stored by the refusals */
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '%s'", PHONE), 1);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '%s'", PHONE), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'sms.send'"), 1);
    age(e, PHONE, 45);
    expect_limited(send_sms(e, &c, PHONE, "register"), "请 ", 10, 15);
    age(e, PHONE, 16);
    send_ok(e, &c, PHONE, "register");
}

static void test_hourly_limit(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    for (int i = 0; i < 5; i++) {
        send_ok(e, &c, PHONE, "register");
        age(e, PHONE, 61);
    }
    /* the oldest of the five was sent 5×61 s ago: it ages out in 3600 − 305 s */
    expect_limited(send_sms(e, &c, PHONE, "register"), "一小时内", 3290, 3295);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '%s'", PHONE), 5);
    /* another phone on the same IP is not affected */
    send_ok(e, &c, "13812345679", "register");
    age(e, PHONE, 3300);
    send_ok(e, &c, PHONE, "register");
}

static void test_daily_limit(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    for (int i = 0; i < 10; i++) {
        send_ok(e, &c, PHONE, "register");
        age(e, PHONE, 3601);   /* out of the hour, still inside the day */
    }
    zt_resp *r = send_sms(e, &c, PHONE, "register");
    assert_non_null(strstr(zt_str(r, "error.message"), "小时"));
    long long expect = 86400 - 10 * 3601;
    expect_limited(r, "今日", expect - 5, expect);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '%s'", PHONE), 10);
    age(e, PHONE, (int)expect + 1);
    send_ok(e, &c, PHONE, "register");
}

static void test_ip_limit(void **st)
{
    zt_env *e = *st;
    zt_client c, other;
    zt_client_init(&c);
    zt_client_init(&other);
    snprintf(c.ip, sizeof c.ip, "198.51.100.7");
    snprintf(other.ip, sizeof other.ip, "198.51.100.8");
    char phone[16];
    for (int i = 0; i < 20; i++) {
        snprintf(phone, sizeof phone, "1390000%04d", i);
        send_ok(e, &c, phone, "register");
    }
    expect_limited(send_sms(e, &c, "13900009999", "register"), "当前网络", 3590, 3600);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '13900009999'"), 0);
    send_ok(e, &other, "13900009999", "register");
    /* an hour later the IP may send again */
    zt_exec(e, "UPDATE sms_code SET created_at = created_at - 3601 WHERE ip = '198.51.100.7'");
    send_ok(e, &c, "13900009998", "register");
}

static zt_resp *login_sms(zt_env *e, zt_client *c, const char *phone, const char *code)
{
    return zt_postf(e, c, "/api/v1/auth/login-sms", "{\"phone\":\"%s\",\"code\":\"%s\"}", phone, code);
}

static void wrong_code(const char *code, char out[8])
{
    snprintf(out, 8, "%06d", (atoi(code) + 1) % 1000000);
}

static void test_five_wrong_tries_void_the_code(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    zt_make_user(e, PHONE, ZT_PASSWORD);
    send_ok(e, &c, PHONE, "login");
    char code[8], bad[8];
    zt_last_code(e, PHONE, code);
    wrong_code(code, bad);
    for (int i = 0; i < 5; i++) {
        zt_resp *r = login_sms(e, &c, PHONE, bad);
        assert_string_equal(zt_str(r, "error.fields.code"), "验证码错误或已过期");
        zt_expect(r, 400, "validation_failed");
    }
    assert_int_equal(zt_countf(e, "SELECT attempts FROM sms_code WHERE phone = '%s'", PHONE), 5);
    /* the right code no longer works */
    zt_expect(login_sms(e, &c, PHONE, code), 400, "validation_failed");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session"), 0);
    /* a new code does */
    age(e, PHONE, 61);
    send_ok(e, &c, PHONE, "login");
    zt_last_code(e, PHONE, code);
    zt_expect(login_sms(e, &c, PHONE, code), 200, NULL);
}

static void test_code_expires_after_5_minutes(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    zt_make_user(e, PHONE, ZT_PASSWORD);
    send_ok(e, &c, PHONE, "login");
    char code[8];
    zt_last_code(e, PHONE, code);
    /* times are stored in whole seconds, so a send late in one second and a
     * check early in the next are a second apart: leave a margin so the test
     * does not race the clock on a slow runner */
    age(e, PHONE, 290);
    zt_client probe = c;
    /* still valid just before 5 min: prove it on a copy, then expire the original */
    zt_expect(login_sms(e, &probe, PHONE, code), 200, NULL);
    age(e, PHONE, 61);
    send_ok(e, &c, PHONE, "login");
    zt_last_code(e, PHONE, code);
    age(e, PHONE, 300);
    zt_expect(login_sms(e, &c, PHONE, code), 400, "validation_failed");
}

static void test_code_single_use_and_purpose_bound(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    zt_make_user(e, PHONE, ZT_PASSWORD);
    send_ok(e, &c, PHONE, "reset");
    char code[8];
    zt_last_code(e, PHONE, code);
    /* a reset code does not log in */
    zt_expect(login_sms(e, &c, PHONE, code), 400, "validation_failed");
    age(e, PHONE, 61);
    send_ok(e, &c, PHONE, "login");
    zt_last_code(e, PHONE, code);
    zt_expect(login_sms(e, &c, PHONE, code), 200, NULL);
    zt_client d;
    zt_client_init(&d);
    zt_expect(login_sms(e, &d, PHONE, code), 400, "validation_failed");
    /* an older code is void once a newer one was sent */
    age(e, PHONE, 61);
    send_ok(e, &c, PHONE, "login");
    char older[8];
    zt_last_code(e, PHONE, older);
    age(e, PHONE, 61);
    send_ok(e, &c, PHONE, "login");
    zt_last_code(e, PHONE, code);
    if (strcmp(older, code) != 0) zt_expect(login_sms(e, &d, PHONE, older), 400, "validation_failed");
    zt_expect(login_sms(e, &d, PHONE, code), 200, NULL);
}

static void test_no_account_answers_alike(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    zt_make_user(e, PHONE, ZT_PASSWORD);
    const char *ghost = "13987654321";
    const char *purposes[] = {"login", "reset"};
    for (int i = 0; i < 2; i++) {
        zt_resp *a = send_sms(e, &c, PHONE, purposes[i]);
        zt_resp *b = send_sms(e, &c, ghost, purposes[i]);
        assert_int_equal(b->status, 200);
        assert_string_equal(a->body, b->body);
        zt_resp_free(a);
        zt_resp_free(b);
        /* the limits behave the same too */
        zt_expect(send_sms(e, &c, ghost, purposes[i]), 429, "rate_limited");
        age(e, ghost, 61);
        age(e, PHONE, 61);
    }
    /* nothing was sent to the phone without an account */
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '%s'", ghost), 0);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '%s'", PHONE), 2);
    /* …and the code row that was stored cannot be used */
    zt_expect(login_sms(e, &c, ghost, "000000"), 400, "validation_failed");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'sms.send' AND result = 'denied'"), 2);
}

/* staff_login and first_login codes go out only from their login step,
 * once the password checked out: asking for one directly is refused. */
static void test_login_step_purposes_not_sendable(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    zt_make_staff(e, "gulou", "district", "350102", ZT_PASSWORD);
    zt_make_user(e, PHONE, ZT_PASSWORD);
    char phone[16];
    zt_staff_phone("gulou", phone);
    const char *cases[][2] = {{phone, "staff_login"}, {PHONE, "first_login"}};
    for (int i = 0; i < 2; i++) {
        zt_resp *r = send_sms(e, &c, cases[i][0], cases[i][1]);
        assert_string_equal(zt_str(r, "error.fields.purpose"), "该验证码在登录时自动发送，无需单独获取");
        zt_expect(r, 400, "validation_failed");
    }
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox"), 0);
}

/* A transfer code belongs to the legal rep's logged-in flow: only that
 * session (with its CSRF token) may ask, and only for its own phone. */
static void test_transfer_code_needs_the_legal_reps_session(void **st)
{
    zt_env *e = *st;
    const char *rep_phone = "13900000001", *member_phone = "13900000002";
    int64_t rep = zt_make_user(e, rep_phone, ZT_PASSWORD);
    int64_t member = zt_make_user(e, member_phone, ZT_PASSWORD);
    int64_t eid = zt_make_enterprise(e, "甲公司", "350102", "approved", rep);
    zt_add_member(e, eid, member, false);
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);

    /* anonymous: to anyone's phone, the legal rep's included */
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(send_sms(e, &anon, "13911112222", "transfer"), 401, "unauthenticated");
    zt_expect(send_sms(e, &anon, rep_phone, "transfer"), 401, "unauthenticated");
    /* a member who is not the legal rep, even for their own phone */
    zt_client m;
    zt_client_init(&m);
    zt_login(e, &m, member_phone, ZT_PASSWORD);
    zt_expect(send_sms(e, &m, member_phone, "transfer"), 403, "forbidden");
    /* staff */
    zt_client s;
    zt_client_init(&s);
    zt_staff_login(e, &s, "city1", ZT_PASSWORD);
    zt_expect(send_sms(e, &s, "13911112222", "transfer"), 403, "forbidden");
    /* the legal rep: not to another phone, not without the CSRF token */
    zt_client lr;
    zt_client_init(&lr);
    zt_login(e, &lr, rep_phone, ZT_PASSWORD);
    zt_resp *r = send_sms(e, &lr, member_phone, "transfer");
    assert_string_equal(zt_str(r, "error.message"), "验证码只能发送到您本人的手机号");
    zt_expect(r, 403, "forbidden");
    zt_client forged = lr;
    forged.csrf[0] = '\0';
    zt_expect(send_sms(e, &forged, rep_phone, "transfer"), 403, "csrf_failed");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox"), 0);
    /* own phone, own session: sent */
    send_ok(e, &lr, rep_phone, "transfer");
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '%s'", rep_phone), 1);
    /* a session still owing its password change may not */
    zt_execf(e, "UPDATE app_user SET must_change_password = 1 WHERE id = %lld", (long long)rep);
    age(e, rep_phone, 61);
    zt_expect(send_sms(e, &lr, rep_phone, "transfer"), 403, "password_change_required");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 1);
    /* register, login and reset stay public */
    send_ok(e, &anon, "13911112222", "register");
}

/* ---- the http provider against a local gateway ---- */

typedef enum { GW_OK, GW_FAIL, GW_HANG } gw_mode;

typedef struct {
    int lfd, port;
    gw_mode mode;
    pthread_t th;
    char req[16384];
    size_t len;
    int requests;
} gateway;

static gateway *gw_current;       /* the tweak callback has no user pointer */
static char gw_url[128];

static void *gw_run(void *arg)
{
    gateway *g = arg;
    for (;;) {
        struct pollfd p = {g->lfd, POLLIN, 0};
        if (poll(&p, 1, 10000) <= 0) break;
        int fd = accept(g->lfd, NULL, NULL);
        if (fd < 0) break;
        g->requests++;
        g->len = 0;
        size_t want = 0;
        for (;;) {
            struct pollfd q = {fd, POLLIN, 0};
            if (poll(&q, 1, 3000) <= 0) break;
            ssize_t n = read(fd, g->req + g->len, sizeof g->req - 1 - g->len);
            if (n <= 0) break;
            g->len += (size_t)n;
            g->req[g->len] = '\0';
            char *end = strstr(g->req, "\r\n\r\n");
            if (end && !want) {
                char *cl = strstr(g->req, "Content-Length: ");
                want = (size_t)(end + 4 - g->req) + (cl ? strtoul(cl + 16, NULL, 10) : 0);
            }
            if (want && g->len >= want) break;
        }
        if (g->mode == GW_HANG) {
            char buf[64];
            struct pollfd q = {fd, POLLIN, 0};
            while (poll(&q, 1, 5000) > 0 && read(fd, buf, sizeof buf) > 0) {}
        } else {
            const char *ans = g->mode == GW_OK
                                  ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"
                                  : "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
            if (write(fd, ans, strlen(ans)) < 0) {}
        }
        close(fd);
    }
    return NULL;
}

static gateway *gw_start(gw_mode mode)
{
    gateway *g = calloc(1, sizeof *g);
    assert_non_null(g);
    g->mode = mode;
    g->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(g->lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(g->lfd, 8), 0);
    socklen_t sl = sizeof a;
    getsockname(g->lfd, (struct sockaddr *)&a, &sl);
    g->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&g->th, NULL, gw_run, g), 0);
    return g;
}

static void gw_stop(gateway *g)
{
    shutdown(g->lfd, SHUT_RDWR);
    pthread_join(g->th, NULL);
    close(g->lfd);
}

static void http_cfg(zq_config *cfg)
{
    snprintf(gw_url, sizeof gw_url, "http://127.0.0.1:%d/v1/sms?tenant=zq", gw_current ? gw_current->port : 9);
    cfg->dev = false;
    cfg->sms_provider = "http";
    cfg->sms_url = gw_url;
    cfg->sms_secret = GW_SECRET;
    cfg->sms_timeout_ms = 400;
}

static void test_http_provider_signs_and_delivers(void **st)
{
    (void)st;
    gateway *g = gw_current = gw_start(GW_OK);
    zt_env *e = zt_start_cfg(http_cfg);
    zt_client c;
    zt_client_init(&c);
    send_ok(e, &c, PHONE, "register");
    gw_stop(g);
    gw_current = NULL;
    assert_int_equal(g->requests, 1);
    /* the request: POST to the path, JSON body, signature over the body */
    assert_non_null(strstr(g->req, "POST /v1/sms?tenant=zq HTTP/1.1\r\n"));
    char *body = strstr(g->req, "\r\n\r\n");
    assert_non_null(body);
    body += 4;
    json_error_t jerr;
    json_t *j = json_loads(body, 0, &jerr);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "phone")), PHONE);
    const char *text = json_string_value(json_object_get(j, "text"));
    assert_non_null(strstr(text, "验证码"));
    long long ts = json_integer_value(json_object_get(j, "ts"));
    assert_true(llabs(ts - (long long)time(NULL)) < 5);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * sizeof mac + 1];
    crypto_auth_hmacsha256_state hs;
    crypto_auth_hmacsha256_init(&hs, (const unsigned char *)GW_SECRET, strlen(GW_SECRET));
    crypto_auth_hmacsha256_update(&hs, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&hs, mac);
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    char want[160];
    snprintf(want, sizeof want, "X-Signature: %s\r\n", hex);
    assert_non_null(strstr(g->req, want));
    /* the outbox records the delivery but not the code; the code works */
    char code[8] = "";
    for (const char *p = text; *p; p++)
        if (strspn(p, "0123456789") == 6) {
            memcpy(code, p, 6);
            code[6] = '\0';
            break;
        }
    assert_int_equal(strlen(code), 6);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '%s' AND status = 'sent'"
                                  " AND provider = 'http' AND body LIKE '%%******%%' AND body NOT LIKE '%%%s%%'", PHONE, code), 1);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '%s'", PHONE), 1);
    json_decref(j);
    free(g);
    zt_stop(e);
}

static void test_http_provider_failure_is_503(void **st)
{
    (void)st;
    gateway *g = gw_current = gw_start(GW_FAIL);
    zt_env *e = zt_start_cfg(http_cfg);
    zt_client c;
    zt_client_init(&c);
    zt_resp *r = send_sms(e, &c, PHONE, "register");
    assert_string_equal(zt_str(r, "error.message"), "发送失败，请稍后重试");
    zt_expect(r, 503, "service_unavailable");
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '%s' AND status = 'failed'"
                                  " AND error LIKE '%%HTTP 500%%'", PHONE), 1);
    /* an undelivered code neither works nor counts: a retry may follow at once */
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '%s'", PHONE), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'sms.send' AND result = 'failed'"), 1);
    zt_expect(send_sms(e, &c, PHONE, "register"), 503, "service_unavailable");
    gw_stop(g);
    gw_current = NULL;
    assert_int_equal(g->requests, 2);
    free(g);
    zt_stop(e);
}

static void test_http_provider_timeout_and_refused(void **st)
{
    (void)st;
    gateway *g = gw_current = gw_start(GW_HANG);
    zt_env *e = zt_start_cfg(http_cfg);
    zt_client c;
    zt_client_init(&c);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    zt_expect(send_sms(e, &c, PHONE, "register"), 503, "service_unavailable");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(took >= 0.3 && took < 3.0);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM sms_outbox WHERE status = 'failed' AND error LIKE '%%timed out%%'"), 1);
    gw_stop(g);
    gw_current = NULL;
    free(g);
    zt_stop(e);

    /* nobody listening: refused at once */
    gw_current = NULL;
    e = zt_start_cfg(http_cfg);    /* port 9 (discard): closed here */
    zt_expect(send_sms(e, &c, PHONE, "register"), 503, "service_unavailable");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox WHERE status = 'failed'"), 1);
    zt_stop(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_send_stores_hash_and_outbox, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resend_after_60s, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hourly_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_daily_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ip_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_five_wrong_tries_void_the_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_expires_after_5_minutes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_single_use_and_purpose_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_account_answers_alike, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_step_purposes_not_sendable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_code_needs_the_legal_reps_session, setup, teardown),
        cmocka_unit_test(test_http_provider_signs_and_delivers),
        cmocka_unit_test(test_http_provider_failure_is_503),
        cmocka_unit_test(test_http_provider_timeout_and_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
