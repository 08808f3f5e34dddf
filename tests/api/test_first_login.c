/*
 * test_first_login.c — API tests of the first login with a password
 * someone else set (the initial 888888 of an employee or a legal rep named
 * by the registrant): the password alone answers {"sms_required"} with no
 * session and texts a first_login code to the account's phone; only the
 * same call with that code logs in, and the forced password change
 * follows. Wrong, reused and expired codes, the resend limit, lockout, a
 * disabled account, SMS-code login (already proves the phone), and
 * nothing of the step for accounts that chose their password.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PHONE "13955558888"
#define INITIAL "888888"

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

/* An account as an enterprise makes it for an employee: 888888, forced change. */
static int64_t make_invited(zt_env *e)
{
    int64_t rep = zt_make_user(e, "13900000001", ZT_PASSWORD);
    int64_t eid = zt_make_enterprise(e, "福州闽江贸易有限公司", "350102", "approved", rep);
    int64_t uid = zt_make_user(e, PHONE, INITIAL);
    zt_execf(e, "UPDATE app_user SET must_change_password = 1 WHERE id = %lld", (long long)uid);
    zt_add_member(e, eid, uid, false);
    return uid;
}

static zt_resp *login(zt_env *e, zt_client *c, const char *pw, const char *code)
{
    if (code)
        return zt_postf(e, c, "/api/v1/auth/login", "{\"phone\":\"%s\",\"password\":\"%s\",\"sms_code\":\"%s\"}", PHONE, pw,
                        code);
    return zt_postf(e, c, "/api/v1/auth/login", "{\"phone\":\"%s\",\"password\":\"%s\"}", PHONE, pw);
}

static void expect_step(zt_resp *r)
{
    if (r->status != 200 || !json_is_true(zt_json(r, "sms_required")))
        fail_msg("expected the SMS step, got %d %s", r->status, r->body);
    assert_string_equal(zt_str(r, "phone"), "139****8888");
    assert_int_equal(zt_int(r, "expires_in"), 300);
    assert_int_equal(zt_int(r, "resend_after"), 60);
    assert_null(zt_json(r, "csrf_token"));
    assert_null(zt_header(r, "Set-Cookie"));
    zt_resp_free(r);
}

static void wrong_code(const char *code, char out[8])
{
    snprintf(out, 8, "%06d", (atoi(code) + 1) % 1000000);
}

static void test_initial_password_needs_the_code(void **st)
{
    zt_env *e = *st;
    make_invited(e);
    zt_client c;
    zt_client_init(&c);
    expect_step(login(e, &c, INITIAL, NULL));
    /* no session of any kind yet */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session"), 0);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 401, "unauthenticated");
    zt_expect(zt_get(e, &c, "/api/v1/enterprise/permissions"), 401, "unauthenticated");
    /* the code went to the account's phone, for this purpose */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '" PHONE "' AND purpose = 'first_login'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '" PHONE "' AND body LIKE '%首次登录验证%'"),
                     1);
    char code[8], bad[8];
    zt_last_code(e, PHONE, code);
    wrong_code(code, bad);

    /* a wrong code: refused in Chinese, counted, no session */
    zt_resp *r = login(e, &c, INITIAL, bad);
    assert_string_equal(zt_str(r, "error.fields.sms_code"), "验证码错误或已过期");
    assert_null(zt_header(r, "Set-Cookie"));
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(zt_count(e, "SELECT attempts FROM sms_code WHERE purpose = 'first_login'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND result = 'failed'"
                                 " AND detail LIKE '%bad_code%'"), 1);
    /* the right code with a wrong password gets nothing and does not use it */
    zt_expect(login(e, &c, "888889", code), 401, "invalid_credentials");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code WHERE purpose = 'first_login' AND used_at = 0"), 1);

    /* the code and the password: logged in, and the change is forced */
    r = login(e, &c, INITIAL, code);
    assert_int_equal(r->status, 200);
    assert_non_null(zt_header(r, "Set-Cookie"));
    assert_true(json_is_true(zt_json(r, "must_change_password")));
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND result = 'ok'"
                                 " AND detail LIKE '%password+sms%'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%" PHONE "%'"), 0);
    zt_expect(zt_get(e, &c, "/api/v1/enterprise/permissions"), 403, "password_change_required");

    /* single use */
    zt_client d;
    zt_client_init(&d);
    zt_expect(login(e, &d, INITIAL, code), 400, "validation_failed");

    /* the change as before; afterwards the password alone logs in */
    zt_expect(zt_post(e, &c, "/api/v1/auth/password", "{\"old_password\":\"888888\",\"new_password\":\"tide-Harbor-41-lamp\"}"),
              200, NULL);
    zt_expect(zt_get(e, &c, "/api/v1/enterprise/permissions"), 200, NULL);
    zt_client f;
    zt_client_init(&f);
    r = login(e, &f, "tide-Harbor-41-lamp", NULL);
    assert_int_equal(r->status, 200);
    assert_non_null(zt_str(r, "csrf_token"));
    assert_true(json_is_false(zt_json(r, "must_change_password")));
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code WHERE purpose = 'first_login'"), 1);
}

static void test_expired_code_and_resend_limit(void **st)
{
    zt_env *e = *st;
    make_invited(e);
    zt_client c;
    zt_client_init(&c);
    expect_step(login(e, &c, INITIAL, NULL));
    /* asking again at once: the SMS limits apply */
    zt_resp *r = login(e, &c, INITIAL, NULL);
    assert_non_null(strstr(zt_str(r, "error.message"), "验证码已发送"));
    zt_expect(r, 429, "rate_limited");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 1);
    char code[8];
    zt_last_code(e, PHONE, code);
    /* five minutes later the code is gone */
    zt_exec(e, "UPDATE sms_code SET created_at = created_at - 301, expires_at = expires_at - 301");
    r = login(e, &c, INITIAL, code);
    assert_string_equal(zt_str(r, "error.fields.sms_code"), "验证码错误或已过期");
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session"), 0);
    /* a new one works */
    expect_step(login(e, &c, INITIAL, NULL));
    zt_last_code(e, PHONE, code);
    r = login(e, &c, INITIAL, code);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
}

static void test_lockout_and_disabled(void **st)
{
    zt_env *e = *st;
    int64_t uid = make_invited(e);
    zt_client c;
    zt_client_init(&c);
    for (int i = 0; i < 5; i++) zt_resp_free(login(e, &c, "Wrong#Pass1", NULL));
    /* locked: the right password sends nothing */
    zt_expect(login(e, &c, INITIAL, NULL), 423, "account_locked");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 0);
    zt_exec(e, "DELETE FROM login_lock");
    /* disabled: refused after the password, nothing sent */
    zt_execf(e, "UPDATE app_user SET disabled = 1 WHERE id = %lld", (long long)uid);
    zt_expect(login(e, &c, INITIAL, NULL), 403, "forbidden");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox"), 0);
}

/* Logging in with an SMS code already proves the phone: the forced
 * change follows at once. */
static void test_sms_login_needs_no_second_code(void **st)
{
    zt_env *e = *st;
    make_invited(e);
    zt_client c;
    zt_client_init(&c);
    zt_expect(zt_post(e, &c, "/api/v1/sms/send", "{\"phone\":\"" PHONE "\",\"purpose\":\"login\"}"), 200, NULL);
    char code[8];
    zt_last_code(e, PHONE, code);
    zt_resp *r = zt_postf(e, &c, "/api/v1/auth/login-sms", "{\"phone\":\"%s\",\"code\":\"%s\"}", PHONE, code);
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "must_change_password")));
    zt_resp_free(r);
    /* a login code is not a first-login code, nor the other way round */
    zt_client d;
    zt_client_init(&d);
    zt_expect(login(e, &d, INITIAL, code), 400, "validation_failed");
}

/* An account that chose its password never sees the step; a stray
 * sms_code is ignored and its shape still checked. */
static void test_chosen_password_unchanged(void **st)
{
    zt_env *e = *st;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    zt_resp *r = login(e, &c, ZT_PASSWORD, "123456");
    assert_int_equal(r->status, 200);
    assert_non_null(zt_str(r, "csrf_token"));
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 0);
    zt_client d;
    zt_client_init(&d);
    zt_expect(zt_postf(e, &d, "/api/v1/auth/login", "{\"phone\":\"%s\",\"password\":\"%s\",\"sms_code\":\"%s\"}", PHONE,
                       ZT_PASSWORD, "12345678901234567890"),
              400, "validation_failed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_initial_password_needs_the_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired_code_and_resend_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout_and_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sms_login_needs_no_second_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chosen_password_unchanged, setup, teardown),
    };
    return cmocka_run_group_tests_name("first_login", tests, NULL, NULL);
}
