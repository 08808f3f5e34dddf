/*
 * test_auth.c — API tests of logging in and sessions: password and SMS
 * login, unknown phone and wrong password answering alike, lockout and its
 * expiry (unknown phones too), the per-IP throttle, session cookie, new
 * token at each login, idle and absolute expiry, CSRF on unsafe routes,
 * logout, the enterprise chooser and switching, the forced password
 * change gate, the password policy, password change and reset revoking
 * sessions, disabled accounts, and nothing stored on a refusal.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PHONE "13812345678"

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

static zt_resp *login(zt_env *e, zt_client *c, const char *phone, const char *pw)
{
    return zt_postf(e, c, "/api/v1/auth/login", "{\"phone\":\"%s\",\"password\":\"%s\"}", phone, pw);
}

static zt_resp *switch_to(zt_env *e, zt_client *c, long long id)
{
    return zt_postf(e, c, "/api/v1/auth/switch", "{\"enterprise_id\":%lld}", id);
}

static zt_resp *change_pw(zt_env *e, zt_client *c, const char *old_pw, const char *new_pw)
{
    return zt_postf(e, c, "/api/v1/auth/password", "{\"old_password\":\"%s\",\"new_password\":\"%s\"}", old_pw, new_pw);
}

static void test_login_success(void **st)
{
    zt_env *e = *st;
    int64_t uid = zt_make_user(e, PHONE, ZT_PASSWORD);
    int64_t eid = zt_make_enterprise(e, "福州闽江贸易有限公司", "350102", "approved", uid);
    zt_client c;
    zt_client_init(&c);
    zt_resp *r = login(e, &c, PHONE, ZT_PASSWORD);
    assert_int_equal(r->status, 200);
    const char *cookie = zt_header(r, "Set-Cookie");
    assert_non_null(cookie);
    assert_non_null(strstr(cookie, "zq_sid="));
    assert_non_null(strstr(cookie, "HttpOnly"));
    assert_non_null(strstr(cookie, "SameSite=Lax"));
    assert_null(strstr(cookie, "Secure"));
    assert_int_equal(strlen(zt_str(r, "csrf_token")), 43);
    assert_string_equal(zt_str(r, "kind"), "user");
    assert_int_equal(zt_int(r, "user.id"), uid);
    assert_string_equal(zt_str(r, "user.phone"), PHONE);  /* their own number, unmasked */
    assert_string_equal(zt_str(r, "user.name"), "用户5678");
    assert_true(json_is_false(zt_json(r, "must_change_password")));
    assert_int_equal(json_array_size(zt_json(r, "enterprises")), 1);
    assert_int_equal(zt_int(r, "enterprises.0.id"), eid);
    assert_string_equal(zt_str(r, "enterprises.0.status"), "approved");
    assert_true(json_is_true(zt_json(r, "enterprises.0.is_legal_rep")));
    assert_true(json_is_null(zt_json(r, "enterprises.0.reject_reason")));
    assert_non_null(zt_str(r, "enterprises.0.uscc"));
    assert_int_equal(zt_int(r, "current_enterprise_id"), eid);   /* one enterprise: selected */
    assert_true(json_array_size(zt_json(r, "perms")) > 0);         /* the legal rep may do everything */
    zt_resp_free(r);

    r = zt_get(e, &c, "/api/v1/auth/me");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "current_enterprise_id"), eid);
    assert_string_equal(zt_str(r, "csrf_token"), c.csrf);
    zt_resp_free(r);
    /* the database keeps only the token's hash */
    char *tok = strchr(c.cookie, '=') + 1;
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM session WHERE token_hash = '%s'", tok), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session WHERE LENGTH(token_hash) = 64 AND revoked_at = 0"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND result = 'ok'"
                                 " AND actor_kind = 'user' AND region = '350102'"), 1);

    /* behind the HTTPS proxy the cookie is Secure */
    zt_client d;
    zt_client_init(&d);
    r = zt_req(e, &d, "POST", "/api/v1/auth/login", "{\"phone\":\"" PHONE "\",\"password\":\"" ZT_PASSWORD "\"}",
               "X-Forwarded-Proto: https\n");
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(zt_header(r, "Set-Cookie"), "; Secure"));
    zt_resp_free(r);
}

static void test_unknown_and_wrong_answer_alike(void **st)
{
    zt_env *e = *st;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    zt_resp *a = login(e, &c, PHONE, "Wrong#Pass1");
    zt_resp *b = login(e, &c, "13900000000", "Wrong#Pass1");
    assert_int_equal(a->status, 401);
    assert_int_equal(b->status, 401);
    assert_string_equal(zt_str(a, "error.code"), "invalid_credentials");
    assert_string_equal(zt_str(a, "error.code"), zt_str(b, "error.code"));
    assert_string_equal(zt_str(a, "error.message"), zt_str(b, "error.message"));
    assert_null(zt_header(a, "Set-Cookie"));
    zt_resp_free(a);
    zt_resp_free(b);
    /* the third failure on each says how many tries are left, alike */
    zt_resp_free(login(e, &c, PHONE, "Wrong#Pass1"));
    zt_resp_free(login(e, &c, "13900000000", "Wrong#Pass1"));
    a = login(e, &c, PHONE, "Wrong#Pass1");
    b = login(e, &c, "13900000000", "Wrong#Pass1");
    assert_string_equal(zt_str(a, "error.message"), "手机号或密码错误，再失败 2 次账号将被锁定 15 分钟");
    assert_string_equal(zt_str(a, "error.message"), zt_str(b, "error.message"));
    zt_resp_free(a);
    zt_resp_free(b);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND result = 'failed'"), 6);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%13812345678%'"), 0);
    /* malformed input is a 400 and stores nothing */
    zt_expect(zt_post(e, &c, "/api/v1/auth/login", "{\"phone\":\"" PHONE "\"}"), 400, "validation_failed");
    zt_expect(zt_post(e, &c, "/api/v1/auth/login", "{\"phone\":\"123\",\"password\":\"x\"}"), 400, "validation_failed");
    zt_expect(zt_post(e, &c, "/api/v1/auth/login", "{\"phone\":\"" PHONE "\",\"password\":\"x\",\"remember\":true}"), 400,
              "validation_failed");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log"), 6);
}

static void test_lockout_and_expiry(void **st)
{
    zt_env *e = *st;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    for (int i = 0; i < 4; i++) zt_expect(login(e, &c, PHONE, "Wrong#Pass1"), 401, "invalid_credentials");
    zt_resp *r = login(e, &c, PHONE, "Wrong#Pass1");
    assert_int_equal(r->status, 423);
    const char *msg = zt_str(r, "error.message");
    assert_non_null(strstr(msg, "账号已锁定至"));
    /* HH:MM in Asia/Shanghai, 15 minutes on */
    time_t until = time(NULL) + 900 + 8 * 3600;
    struct tm tm;
    gmtime_r(&until, &tm);
    char hm[8], hm2[8];
    snprintf(hm, sizeof hm, "%02d:%02d", tm.tm_hour, tm.tm_min);
    until -= 60;
    gmtime_r(&until, &tm);
    snprintf(hm2, sizeof hm2, "%02d:%02d", tm.tm_hour, tm.tm_min);
    if (!strstr(msg, hm) && !strstr(msg, hm2)) fail_msg("lock message '%s' lacks %s", msg, hm);
    long long wait = zt_int(r, "error.retry_after");
    assert_true(wait > 890 && wait <= 900);
    zt_expect(r, 423, "account_locked");
    /* the right password does not help while locked */
    zt_expect(login(e, &c, PHONE, ZT_PASSWORD), 423, "account_locked");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session"), 0);
    /* an unknown phone locks exactly the same way */
    for (int i = 0; i < 4; i++) zt_expect(login(e, &c, "13900000000", "Wrong#Pass1"), 401, "invalid_credentials");
    zt_expect(login(e, &c, "13900000000", "Wrong#Pass1"), 423, "account_locked");
    zt_expect(login(e, &c, "13900000000", "Wrong#Pass1"), 423, "account_locked");
    /* expiry: fifteen minutes later the right password works and the count starts afresh */
    zt_exec(e, "UPDATE login_lock SET locked_until = locked_until - 901, first_failed_at = first_failed_at - 901");
    zt_expect(login(e, &c, PHONE, ZT_PASSWORD), 200, NULL);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM login_lock WHERE subject = 'user:" PHONE "'"), 0);
    zt_expect(login(e, &c, PHONE, "Wrong#Pass1"), 401, "invalid_credentials");
    assert_int_equal(zt_count(e, "SELECT failed FROM login_lock WHERE subject = 'user:" PHONE "'"), 1);
    /* failures spread wider than the window do not add up */
    zt_exec(e, "UPDATE login_lock SET first_failed_at = first_failed_at - 901");
    for (int i = 0; i < 4; i++) zt_expect(login(e, &c, PHONE, "Wrong#Pass1"), 401, "invalid_credentials");
    assert_int_equal(zt_count(e, "SELECT failed FROM login_lock WHERE subject = 'user:" PHONE "'"), 4);
}

static void test_ip_throttle(void **st)
{
    zt_env *e = *st;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client c, other;
    zt_client_init(&c);
    zt_client_init(&other);
    snprintf(c.ip, sizeof c.ip, "203.0.113.9");
    snprintf(other.ip, sizeof other.ip, "203.0.113.10");
    char phone[16];
    for (int i = 0; i < 30; i++) {
        snprintf(phone, sizeof phone, "1390000%04d", i);   /* fresh names: no lock gets in the way */
        zt_expect(login(e, &c, phone, "Wrong#Pass1"), 401, "invalid_credentials");
    }
    zt_resp *r = login(e, &c, PHONE, ZT_PASSWORD);
    assert_int_equal(r->status, 429);
    assert_true(zt_int(r, "error.retry_after") > 0 && zt_int(r, "error.retry_after") <= 900);
    assert_non_null(strstr(zt_str(r, "error.message"), "后再试"));
    zt_expect(r, 429, "rate_limited");
    zt_expect(zt_postf(e, &c, "/api/v1/auth/login-sms", "{\"phone\":\"%s\",\"code\":\"123456\"}", PHONE), 429, "rate_limited");
    zt_expect(zt_post(e, &c, "/api/v1/admin/auth/login", "{\"username\":\"admin\",\"password\":\"x\"}"), 429, "rate_limited");
    /* another address is not affected */
    zt_expect(login(e, &other, PHONE, ZT_PASSWORD), 200, NULL);
    /* the window passing lifts it */
    zt_exec(e, "DELETE FROM rate_counter WHERE key = 'login:ip:203.0.113.9'");
    zt_expect(login(e, &c, PHONE, ZT_PASSWORD), 200, NULL);
}

static void test_new_token_each_login_and_logout(void **st)
{
    zt_env *e = *st;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    zt_login(e, &c, PHONE, ZT_PASSWORD);
    char first[128], first_csrf[96];
    snprintf(first, sizeof first, "%s", c.cookie);
    snprintf(first_csrf, sizeof first_csrf, "%s", c.csrf);
    zt_login(e, &c, PHONE, ZT_PASSWORD);
    assert_string_not_equal(first, c.cookie);
    assert_string_not_equal(first_csrf, c.csrf);
    /* the session the browser had before is ended, not reused */
    zt_client old;
    zt_client_init(&old);
    snprintf(old.cookie, sizeof old.cookie, "%s", first);
    zt_expect(zt_get(e, &old, "/api/v1/auth/me"), 401, "unauthenticated");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session WHERE revoked_at = 0"), 1);

    /* logout needs the CSRF header like any unsafe call */
    zt_client nocsrf = c;
    nocsrf.csrf[0] = '\0';
    zt_expect(zt_post(e, &nocsrf, "/api/v1/auth/logout", NULL), 403, "csrf_failed");
    zt_resp *r = zt_post(e, &c, "/api/v1/auth/logout", NULL);
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(zt_header(r, "Set-Cookie"), "Max-Age=0"));
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session WHERE revoked_at = 0"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.logout'"), 1);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 401, "unauthenticated");
    /* logging out without a session is harmless */
    zt_expect(zt_post(e, &c, "/api/v1/auth/logout", NULL), 200, NULL);
}

static void test_session_expiry(void **st)
{
    zt_env *e = *st;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    zt_login(e, &c, PHONE, ZT_PASSWORD);
    /* activity refreshes the idle window (at most once a minute) */
    zt_exec(e, "UPDATE session SET last_seen_at = last_seen_at - 600, idle_expires_at = idle_expires_at - 600");
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);
    long long now = (long long)time(NULL);
    assert_true(zt_count(e, "SELECT idle_expires_at FROM session") >= now + 1790);
    /* 30 minutes idle: gone */
    zt_exec(e, "UPDATE session SET idle_expires_at = last_seen_at - 1");
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 401, "unauthenticated");

    /* 12 hours after login: gone, however active */
    zt_login(e, &c, PHONE, ZT_PASSWORD);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);
    zt_execf(e, "UPDATE session SET expires_at = %lld WHERE revoked_at = 0", now - 1);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 401, "unauthenticated");
    /* the idle refresh never reaches past the absolute end */
    zt_login(e, &c, PHONE, ZT_PASSWORD);
    zt_execf(e, "UPDATE session SET last_seen_at = last_seen_at - 120, expires_at = %lld WHERE revoked_at = 0", now + 100);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);
    assert_true(zt_count(e, "SELECT idle_expires_at FROM session WHERE revoked_at = 0") <= now + 100);
    /* a garbage cookie is simply anonymous */
    zt_client g;
    zt_client_init(&g);
    snprintf(g.cookie, sizeof g.cookie, "zq_sid=not-a-token");
    zt_expect(zt_get(e, &g, "/api/v1/auth/me"), 401, "unauthenticated");
}

static void test_csrf_required_on_unsafe_routes(void **st)
{
    zt_env *e = *st;
    int64_t uid = zt_make_user(e, PHONE, ZT_PASSWORD);
    int64_t e1 = zt_make_enterprise(e, "甲公司", "350102", "approved", uid);
    zt_client c;
    zt_client_init(&c);
    zt_login(e, &c, PHONE, ZT_PASSWORD);
    char good[96];
    snprintf(good, sizeof good, "%s", c.csrf);
    c.csrf[0] = '\0';
    zt_expect(switch_to(e, &c, e1), 403, "csrf_failed");
    snprintf(c.csrf, sizeof c.csrf, "%.42sX", good);
    zt_expect(switch_to(e, &c, e1), 403, "csrf_failed");
    snprintf(c.csrf, sizeof c.csrf, "%s", good);
    zt_expect(switch_to(e, &c, e1), 200, NULL);
    /* another session's token is no good either */
    zt_client d;
    zt_client_init(&d);
    zt_login(e, &d, PHONE, ZT_PASSWORD);
    snprintf(c.csrf, sizeof c.csrf, "%s", d.csrf);
    zt_expect(zt_post(e, &c, "/api/v1/auth/password", "{\"old_password\":\"" ZT_PASSWORD "\",\"new_password\":\"Xiamen#2025a\"}"),
              403, "csrf_failed");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.password_change'"), 0);
    /* GET needs none */
    c.csrf[0] = '\0';
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);
}

static void test_enterprise_chooser_and_switch(void **st)
{
    zt_env *e = *st;
    int64_t uid = zt_make_user(e, PHONE, ZT_PASSWORD);
    int64_t a = zt_make_enterprise(e, "甲公司", "350102", "approved", uid);
    int64_t b = zt_make_enterprise(e, "乙公司", "350103", "pending", 0);
    zt_add_member(e, b, uid, false);
    int64_t other_user = zt_make_user(e, "13912345678", ZT_PASSWORD);
    int64_t foreign = zt_make_enterprise(e, "丙公司", "350104", "approved", other_user);
    zt_client c;
    zt_client_init(&c);
    zt_resp *r = login(e, &c, PHONE, ZT_PASSWORD);
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "enterprises")), 2);
    assert_true(json_is_null(zt_json(r, "current_enterprise_id")));   /* several: the UI asks */
    assert_int_equal(json_array_size(zt_json(r, "perms")), 0);
    assert_true(json_is_false(zt_json(r, "enterprises.1.is_legal_rep")));
    zt_resp_free(r);
    r = switch_to(e, &c, b);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "current_enterprise_id"), b);
    zt_resp_free(r);
    r = zt_get(e, &c, "/api/v1/auth/me");
    assert_int_equal(zt_int(r, "current_enterprise_id"), b);
    zt_resp_free(r);
    /* not a member, or no such enterprise: 404 alike, nothing changes */
    zt_expect(switch_to(e, &c, foreign), 404, "not_found");
    zt_expect(switch_to(e, &c, 999999), 404, "not_found");
    zt_expect(zt_post(e, &c, "/api/v1/auth/switch", "{\"enterprise_id\":\"x\"}"), 400, "validation_failed");
    r = zt_get(e, &c, "/api/v1/auth/me");
    assert_int_equal(zt_int(r, "current_enterprise_id"), b);
    zt_resp_free(r);
    /* the next login starts on the last one used */
    zt_client d;
    zt_client_init(&d);
    r = login(e, &d, PHONE, ZT_PASSWORD);
    assert_int_equal(zt_int(r, "current_enterprise_id"), b);
    zt_resp_free(r);
    zt_expect(switch_to(e, &d, a), 200, NULL);
    /* a membership removed meanwhile is not the current one any more */
    zt_execf(e, "UPDATE membership SET status = 'removed' WHERE enterprise_id = %lld", (long long)a);
    r = zt_get(e, &d, "/api/v1/auth/me");
    assert_true(json_is_null(zt_json(r, "current_enterprise_id")));
    assert_int_equal(json_array_size(zt_json(r, "enterprises")), 1);
    zt_resp_free(r);
    /* staff have no enterprises to switch to */
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_client s;
    zt_client_init(&s);
    zt_staff_login(e, &s, "city1", ZT_PASSWORD);
    zt_expect(switch_to(e, &s, a), 403, "forbidden");
}

static void test_must_change_password_gate(void **st)
{
    zt_env *e = *st;
    int64_t uid = zt_make_user(e, PHONE, "888888");
    zt_make_enterprise(e, "甲公司", "350102", "approved", uid);
    zt_execf(e, "UPDATE app_user SET must_change_password = 1 WHERE id = %lld", (long long)uid);
    zt_client c;
    zt_client_init(&c);
    /* the first login proves the phone (test_first_login.c), then: */
    zt_login(e, &c, PHONE, "888888");
    zt_resp *r = zt_get(e, &c, "/api/v1/auth/me");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "must_change_password")));
    long long eid = zt_int(r, "current_enterprise_id");
    zt_resp_free(r);
    /* every route but me, logout and password refuses */
    zt_expect(switch_to(e, &c, eid), 403, "password_change_required");
    zt_expect(zt_get(e, &c, "/api/v1/registration"), 403, "password_change_required");
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);
    /* the initial password is not acceptable as the new one */
    r = change_pw(e, &c, "888888", "888888");
    assert_string_equal(zt_str(r, "error.fields.new_password"), "密码至少 8 位");
    zt_expect(r, 400, "validation_failed");
    r = change_pw(e, &c, "888888", "Xiamen#2025a");
    assert_int_equal(r->status, 200);
    assert_true(json_is_false(zt_json(r, "must_change_password")));
    zt_resp_free(r);
    zt_expect(switch_to(e, &c, eid), 200, NULL);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.password_change'"
                                 " AND detail LIKE '%initial%'"), 1);
}

static void test_password_policy_messages(void **st)
{
    zt_env *e = *st;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    zt_login(e, &c, PHONE, ZT_PASSWORD);
    static const struct {
        const char *pw, *why;
    } cases[] = {
        {"Ab1#", "密码至少 8 位"},
        {"abcdefgh", "密码太容易被猜到：避免连续的字母或数字"},
        {"Password123", "密码太容易被猜到：避免常见单词和常用密码"},
        {"Aa13812345678", "密码不能包含手机号"},
        {"Aa#12345678", "密码不能包含手机号"},
        {ZT_PASSWORD, "新密码不能与原密码相同"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zt_resp *r = change_pw(e, &c, ZT_PASSWORD, cases[i].pw);
        const char *why = zt_str(r, "error.fields.new_password");
        if (!why || strncmp(why, cases[i].why, strlen(cases[i].why)) != 0)
            fail_msg("%s: expected '%s', got %s", cases[i].pw, cases[i].why, r->body);
        zt_expect(r, 400, "validation_failed");
    }
    zt_expect(zt_post(e, &c, "/api/v1/auth/password", "{\"old_password\":\"" ZT_PASSWORD "\"}"), 400, "validation_failed");
    /* a wrong old password is refused and counted */
    zt_resp *r = change_pw(e, &c, "Wrong#Pass1", "Xiamen#2025a");
    assert_string_equal(zt_str(r, "error.fields.old_password"), "原密码不正确");
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(zt_count(e, "SELECT failed FROM login_lock WHERE subject = 'user:" PHONE "'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.password_change' AND result = 'failed'"), 1);
    /* nothing changed */
    zt_client d;
    zt_client_init(&d);
    zt_login(e, &d, PHONE, ZT_PASSWORD);
}

static void test_password_change_revokes_other_sessions(void **st)
{
    zt_env *e = *st;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client a, b;
    zt_client_init(&a);
    zt_client_init(&b);
    zt_login(e, &a, PHONE, ZT_PASSWORD);
    zt_login(e, &b, PHONE, ZT_PASSWORD);
    zt_resp *r = change_pw(e, &a, ZT_PASSWORD, "Xiamen#2025a");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    zt_expect(zt_get(e, &a, "/api/v1/auth/me"), 200, NULL);        /* this one stays */
    zt_expect(zt_get(e, &b, "/api/v1/auth/me"), 401, "unauthenticated");
    zt_client c;
    zt_client_init(&c);
    zt_expect(login(e, &c, PHONE, ZT_PASSWORD), 401, "invalid_credentials");
    zt_expect(login(e, &c, PHONE, "Xiamen#2025a"), 200, NULL);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM app_user WHERE password_changed_at > 0 AND must_change_password = 0"), 1);
}

static void test_login_by_sms(void **st)
{
    zt_env *e = *st;
    int64_t uid = zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_make_enterprise(e, "甲公司", "350102", "approved", uid);
    zt_client c;
    zt_client_init(&c);
    zt_expect(zt_post(e, &c, "/api/v1/sms/send", "{\"phone\":\"" PHONE "\",\"purpose\":\"login\"}"), 200, NULL);
    char code[8];
    zt_last_code(e, PHONE, code);
    zt_resp *r = zt_postf(e, &c, "/api/v1/auth/login-sms", "{\"phone\":\"%s\",\"code\":\"%s\"}", PHONE, code);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "user.id"), uid);
    assert_non_null(zt_str(r, "csrf_token"));
    assert_int_equal(json_array_size(zt_json(r, "enterprises")), 1);
    zt_resp_free(r);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND detail LIKE '%\"sms\"%'"), 1);
    /* an unknown phone gets the same refusal as a wrong code */
    zt_client d;
    zt_client_init(&d);
    r = zt_post(e, &d, "/api/v1/auth/login-sms", "{\"phone\":\"13900000000\",\"code\":\"123456\"}");
    assert_string_equal(zt_str(r, "error.fields.code"), "验证码错误或已过期");
    zt_expect(r, 400, "validation_failed");
}

static void test_reset_password(void **st)
{
    zt_env *e = *st;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client a, c;
    zt_client_init(&a);
    zt_client_init(&c);
    zt_login(e, &a, PHONE, ZT_PASSWORD);
    /* locked out by failures: the reset is the way back */
    for (int i = 0; i < 5; i++) zt_resp_free(login(e, &c, PHONE, "Wrong#Pass1"));
    zt_expect(login(e, &c, PHONE, ZT_PASSWORD), 423, "account_locked");
    zt_expect(zt_post(e, &c, "/api/v1/sms/send", "{\"phone\":\"" PHONE "\",\"purpose\":\"reset\"}"), 200, NULL);
    char code[8], bad[8];
    zt_last_code(e, PHONE, code);
    snprintf(bad, sizeof bad, "%06d", (atoi(code) + 1) % 1000000);
    zt_resp *r = zt_postf(e, &c, "/api/v1/auth/reset", "{\"phone\":\"%s\",\"code\":\"%s\",\"new_password\":\"Xiamen#2025a\"}",
                          PHONE, bad);
    assert_non_null(zt_str(r, "error.fields.code"));
    zt_expect(r, 400, "validation_failed");
    /* the policy holds here too, and a refused reset does not use the code */
    r = zt_postf(e, &c, "/api/v1/auth/reset", "{\"phone\":\"%s\",\"code\":\"%s\",\"new_password\":\"short\"}", PHONE, code);
    assert_string_equal(zt_str(r, "error.fields.new_password"), "密码至少 8 位");
    zt_expect(r, 400, "validation_failed");
    r = zt_postf(e, &c, "/api/v1/auth/reset", "{\"phone\":\"%s\",\"code\":\"%s\",\"new_password\":\"Xiamen#2025a\"}", PHONE, code);
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "ok")));
    assert_null(zt_header(r, "Set-Cookie"));   /* a reset does not log in */
    zt_resp_free(r);
    /* every session ended, the lock lifted, the new password works */
    zt_expect(zt_get(e, &a, "/api/v1/auth/me"), 401, "unauthenticated");
    zt_expect(login(e, &c, PHONE, ZT_PASSWORD), 401, "invalid_credentials");
    zt_expect(login(e, &c, PHONE, "Xiamen#2025a"), 200, NULL);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.password_reset' AND result = 'ok'"), 1);
    /* the code was single use */
    zt_client d;
    zt_client_init(&d);
    zt_expect(zt_postf(e, &d, "/api/v1/auth/reset", "{\"phone\":\"%s\",\"code\":\"%s\",\"new_password\":\"Fuzhou#2026b\"}",
                       PHONE, code), 400, "validation_failed");
}

static void test_disabled_account(void **st)
{
    zt_env *e = *st;
    int64_t uid = zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    zt_login(e, &c, PHONE, ZT_PASSWORD);
    zt_execf(e, "UPDATE app_user SET disabled = 1 WHERE id = %lld", (long long)uid);
    /* the open session stops working at once */
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 401, "unauthenticated");
    zt_resp *r = login(e, &c, PHONE, ZT_PASSWORD);
    assert_string_equal(zt_str(r, "error.message"), "该账号已停用，请联系商务局");
    zt_expect(r, 403, "forbidden");
    /* a wrong password still answers like any other */
    zt_expect(login(e, &c, PHONE, "Wrong#Pass1"), 401, "invalid_credentials");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session WHERE revoked_at = 0"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_login_success, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_wrong_answer_alike, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout_and_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ip_throttle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_token_each_login_and_logout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csrf_required_on_unsafe_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enterprise_chooser_and_switch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_must_change_password_gate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_policy_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_change_revokes_other_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_by_sms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_password, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled_account, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
