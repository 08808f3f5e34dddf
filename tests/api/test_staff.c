/*
 * test_staff.c — API tests of bureau staff: console login (with --dev and
 * with the SMS second factor), lockout, `zhengqi staff create` and the
 * forced first password change, staff management by `super` only (list
 * with masked phones, create with a one-time password, district rules,
 * duplicate usernames, edit, disable ending sessions, reset), staff phones
 * masked after creation and revealed with an audit record, and that
 * nobody can lock themselves out. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "cli/cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **st)
{
    *st = zt_start();
    return 0;
}

static void no_dev(zq_config *cfg)
{
    cfg->dev = false;
}

static int setup_prod(void **st)
{
    *st = zt_start_cfg(no_dev);
    return 0;
}

static int teardown(void **st)
{
    zt_stop(*st);
    return 0;
}

static zt_resp *admin_login(zt_env *e, zt_client *c, const char *user, const char *pw, const char *code)
{
    if (code)
        return zt_postf(e, c, "/api/v1/admin/auth/login", "{\"username\":\"%s\",\"password\":\"%s\",\"sms_code\":\"%s\"}",
                        user, pw, code);
    return zt_postf(e, c, "/api/v1/admin/auth/login", "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
}

static void test_dev_login(void **st)
{
    zt_env *e = *st;
    int64_t id = zt_make_staff(e, "gulou", "district", "350102", ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    /* the username is not case-sensitive */
    zt_resp *r = admin_login(e, &c, "GuLou", ZT_PASSWORD, NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "kind"), "staff");
    assert_int_equal(zt_int(r, "user.id"), id);
    assert_string_equal(zt_str(r, "user.kind"), "staff");
    assert_string_equal(zt_str(r, "user.username"), "gulou");
    assert_string_equal(zt_str(r, "user.role"), "district");
    assert_string_equal(zt_str(r, "user.region"), "350102");
    assert_string_equal(zt_str(r, "user.region_name"), "鼓楼区");
    assert_true(json_is_false(zt_json(r, "must_change_password")));
    assert_int_equal(json_array_size(zt_json(r, "enterprises")), 0);
    assert_true(json_is_null(zt_json(r, "current_enterprise_id")));
    assert_non_null(zt_str(r, "csrf_token"));
    zt_resp_free(r);
    r = zt_get(e, &c, "/api/v1/auth/me");
    assert_string_equal(zt_str(r, "user.username"), "gulou");
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.staff_login' AND result = 'ok'"
                                 " AND region = '350102' AND detail LIKE '%skipped%'"), 1);
    /* wrong and unknown answer alike; enterprise-user routes are not for staff */
    zt_client d;
    zt_client_init(&d);
    zt_resp *a = admin_login(e, &d, "gulou", "Wrong#Pass1", NULL);
    zt_resp *b = admin_login(e, &d, "nobody", "Wrong#Pass1", NULL);
    assert_string_equal(zt_str(a, "error.message"), zt_str(b, "error.message"));
    zt_expect(a, 401, "invalid_credentials");
    zt_expect(b, 401, "invalid_credentials");
    zt_expect(zt_post(e, &c, "/api/v1/auth/switch", "{\"enterprise_id\":1}"), 403, "forbidden");
}

static void test_staff_lockout(void **st)
{
    zt_env *e = *st;
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    for (int i = 0; i < 4; i++) zt_expect(admin_login(e, &c, "city1", "Wrong#Pass1", NULL), 401, "invalid_credentials");
    zt_resp *r = admin_login(e, &c, "city1", "Wrong#Pass1", NULL);
    assert_non_null(strstr(zt_str(r, "error.message"), "账号已锁定至"));
    zt_expect(r, 423, "account_locked");
    zt_expect(admin_login(e, &c, "city1", ZT_PASSWORD, NULL), 423, "account_locked");
    /* a user with the same phone-like name is a different login name */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM login_lock WHERE subject = 'staff:city1' AND locked_until > 0"), 1);
    zt_exec(e, "UPDATE login_lock SET locked_until = 1");
    zt_expect(admin_login(e, &c, "city1", ZT_PASSWORD, NULL), 200, NULL);
}

static void test_sms_second_factor(void **st)
{
    zt_env *e = *st;
    zt_make_staff(e, "gulou", "district", "350102", ZT_PASSWORD);
    char phone[16], code[8], masked[16];
    zt_staff_phone("gulou", phone);
    snprintf(masked, sizeof masked, "%.3s****%s", phone, phone + 7);
    zt_client c;
    zt_client_init(&c);
    /* a wrong password sends nothing */
    zt_expect(admin_login(e, &c, "gulou", "Wrong#Pass1", NULL), 401, "invalid_credentials");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox"), 0);
    /* the right one: a code goes to the staff phone, no session yet */
    zt_resp *r = admin_login(e, &c, "gulou", ZT_PASSWORD, NULL);
    assert_int_equal(r->status, 202);
    assert_true(json_is_true(zt_json(r, "sms_required")));
    assert_string_equal(zt_str(r, "phone"), masked);
    assert_null(zt_header(r, "Set-Cookie"));
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session"), 0);
    zt_last_code(e, phone, code);
    /* asking again at once is the SMS resend limit */
    zt_expect(admin_login(e, &c, "gulou", ZT_PASSWORD, NULL), 429, "rate_limited");
    /* wrong code: refused, no session */
    char bad[8];
    snprintf(bad, sizeof bad, "%06d", (atoi(code) + 1) % 1000000);
    r = admin_login(e, &c, "gulou", ZT_PASSWORD, bad);
    assert_string_equal(zt_str(r, "error.fields.sms_code"), "验证码错误或已过期");
    zt_expect(r, 400, "validation_failed");
    /* a code with the wrong password is no way in */
    zt_expect(admin_login(e, &c, "gulou", "Wrong#Pass1", code), 401, "invalid_credentials");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session"), 0);
    r = admin_login(e, &c, "gulou", ZT_PASSWORD, code);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "user.username"), "gulou");
    zt_resp_free(r);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);
    /* the code was single use */
    zt_client d;
    zt_client_init(&d);
    zt_expect(admin_login(e, &d, "gulou", ZT_PASSWORD, code), 400, "validation_failed");
    /* and the fixture does the two steps */
    zt_client f;
    zt_client_init(&f);
    zt_exec(e, "UPDATE sms_code SET created_at = created_at - 61");
    zt_staff_login(e, &f, "gulou", ZT_PASSWORD);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.staff_login' AND result = 'failed'"), 4);
}

static void test_cli_create_and_first_login(void **st)
{
    zt_env *e = *st;
    int rc;
    char *out = zt_cli(cli_staff, &rc, "staff", "create", "--db", e->url, "--username", "Admin", "--phone", "13800001111",
                       "--role", "super", "--name", "系统管理员", NULL);
    assert_int_equal(rc, 0);
    /* the one-time password alone on the last line */
    size_t n = strlen(out);
    assert_true(n > 1 && out[n - 1] == '\n');
    out[n - 1] = '\0';
    char *last = strrchr(out, '\n');
    assert_non_null(last);
    char otp[32];
    snprintf(otp, sizeof otp, "%s", last + 1);
    free(out);
    assert_int_equal(strlen(otp), 12);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM staff WHERE username = 'admin' AND must_change_password = 1"
                                 " AND role = 'super' AND region IS NULL AND name = '系统管理员'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.create' AND actor_kind = 'system'"), 1);
    /* bad usage: 2, nothing created */
    out = zt_cli(cli_staff, &rc, "staff", "create", "--db", e->url, "--username", "gl2", "--phone", "13800001112",
                 "--role", "district", NULL);
    free(out);
    assert_int_equal(rc, 1);   /* district without a region */
    out = zt_cli(cli_staff, &rc, "staff", "create", "--db", e->url, "--username", "admin", "--phone", "13800001112",
                 "--role", "city", NULL);
    free(out);
    assert_int_equal(rc, 1);   /* taken */
    out = zt_cli(cli_staff, &rc, "staff", "create", "--db", e->url, "--username", "x", "--phone", "1", "--role", "king", NULL);
    free(out);
    assert_int_equal(rc, 2);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM staff"), 1);

    /* first login: only me, logout and the password change work */
    zt_client c;
    zt_client_init(&c);
    zt_resp *r = admin_login(e, &c, "admin", otp, NULL);
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "must_change_password")));
    zt_resp_free(r);
    zt_expect(zt_get(e, &c, "/api/v1/admin/staff"), 403, "password_change_required");
    zt_expect(zt_get(e, &c, "/api/v1/admin/audit"), 403, "password_change_required");
    r = zt_postf(e, &c, "/api/v1/auth/password", "{\"old_password\":\"%s\",\"new_password\":\"Bureau#2025x\"}", otp);
    assert_int_equal(r->status, 200);
    assert_true(json_is_false(zt_json(r, "must_change_password")));
    zt_resp_free(r);
    zt_expect(zt_get(e, &c, "/api/v1/admin/staff"), 200, NULL);
    /* the one-time password is spent */
    zt_client d;
    zt_client_init(&d);
    zt_expect(admin_login(e, &d, "admin", otp, NULL), 401, "invalid_credentials");

    /* reset-password from the command line */
    out = zt_cli(cli_staff, &rc, "staff", "reset-password", "--db", e->url, "--username", "admin", NULL);
    assert_int_equal(rc, 0);
    n = strlen(out);
    out[n - 1] = '\0';
    snprintf(otp, sizeof otp, "%s", strrchr(out, '\n') + 1);
    free(out);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 401, "unauthenticated");
    r = admin_login(e, &d, "admin", otp, NULL);
    assert_true(json_is_true(zt_json(r, "must_change_password")));
    zt_expect(r, 200, NULL);
}

static void test_management_is_super_only(void **st)
{
    zt_env *e = *st;
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(e, "gulou", "district", "350102", ZT_PASSWORD);
    int64_t uid = zt_make_user(e, "13812345678", ZT_PASSWORD);
    zt_make_enterprise(e, "甲公司", "350102", "approved", uid);
    zt_client city, dist, user, anon;
    zt_client_init(&city);
    zt_client_init(&dist);
    zt_client_init(&user);
    zt_client_init(&anon);
    zt_staff_login(e, &city, "city1", ZT_PASSWORD);
    zt_staff_login(e, &dist, "gulou", ZT_PASSWORD);
    zt_login(e, &user, "13812345678", ZT_PASSWORD);
    const char *body = "{\"username\":\"newbie\",\"phone\":\"13800002222\",\"role\":\"city\"}";
    zt_client *who[] = {&city, &dist, &user};
    for (int i = 0; i < 3; i++) {
        zt_expect(zt_get(e, who[i], "/api/v1/admin/staff"), 403, "forbidden");
        zt_expect(zt_get(e, who[i], "/api/v1/admin/staff/1"), 403, "forbidden");
        zt_expect(zt_post(e, who[i], "/api/v1/admin/staff", body), 403, "forbidden");
        zt_expect(zt_req(e, who[i], "PUT", "/api/v1/admin/staff/1", "{\"disabled\":true}", NULL), 403, "forbidden");
        zt_expect(zt_post(e, who[i], "/api/v1/admin/staff/1/reset-password", NULL), 403, "forbidden");
    }
    zt_expect(zt_get(e, &anon, "/api/v1/admin/staff"), 401, "unauthenticated");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM staff"), 2);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM staff WHERE disabled = 1 OR must_change_password = 1"), 0);
}

static void test_create_list_edit_disable_reset(void **st)
{
    zt_env *e = *st;
    int64_t me = zt_make_staff(e, "admin", "super", NULL, ZT_PASSWORD);
    zt_client su;
    zt_client_init(&su);
    zt_staff_login(e, &su, "admin", ZT_PASSWORD);

    /* create a district account */
    zt_resp *r = zt_post(e, &su, "/api/v1/admin/staff",
                         "{\"username\":\"Taijiang\",\"name\":\"台江区商务局\",\"phone\":\"13800002222\",\"role\":\"district\",\"region\":\"350103\"}");
    assert_int_equal(r->status, 201);
    long long id = zt_int(r, "staff.id");
    assert_string_equal(zt_str(r, "staff.username"), "taijiang");
    assert_string_equal(zt_str(r, "staff.region_name"), "台江区");
    assert_string_equal(zt_str(r, "staff.phone"), "13800002222");
    assert_true(json_is_true(zt_json(r, "staff.must_change_password")));
    char otp[32];
    snprintf(otp, sizeof otp, "%s", zt_str(r, "one_time_password"));
    assert_int_equal(strlen(otp), 12);
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.create' AND region = '350103'"
                                 " AND detail LIKE '%138****2222%'"), 1);

    /* validation: region rules, username, phone, role; duplicates */
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"username\":\"d1\",\"phone\":\"13800002223\",\"role\":\"district\"}", "username"},
        {"{\"username\":\"dist1\",\"phone\":\"13800002223\",\"role\":\"district\"}", "region"},
        {"{\"username\":\"dist1\",\"phone\":\"13800002223\",\"role\":\"district\",\"region\":\"350100\"}", "region"},
        {"{\"username\":\"dist1\",\"phone\":\"13800002223\",\"role\":\"district\",\"region\":\"999999\"}", "region"},
        {"{\"username\":\"city2\",\"phone\":\"13800002223\",\"role\":\"city\",\"region\":\"350102\"}", "region"},
        {"{\"username\":\"city2\",\"phone\":\"23800002223\",\"role\":\"city\"}", "phone"},
        {"{\"username\":\"city2\",\"phone\":\"13800002223\",\"role\":\"mayor\"}", "role"},
        {"{\"username\":\"city2\",\"phone\":\"13800002223\",\"role\":\"city\",\"password\":\"x\"}", "password"},
        {"{\"username\":\"9city\",\"phone\":\"13800002223\",\"role\":\"city\"}", "username"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = zt_post(e, &su, "/api/v1/admin/staff", bad[i].body);
        if (!zt_str(r, "error.fields") && !zt_json(r, "error.fields")) fail_msg("%s: %s", bad[i].body, r->body);
        if (!zt_json(r, "error.fields") || !json_object_get(zt_json(r, "error.fields"), bad[i].field))
            fail_msg("%s: expected a %s error, got %s", bad[i].body, bad[i].field, r->body);
        zt_expect(r, 400, "validation_failed");
    }
    r = zt_post(e, &su, "/api/v1/admin/staff", "{\"username\":\"TAIJIANG\",\"phone\":\"13800002223\",\"role\":\"city\"}");
    assert_non_null(zt_str(r, "error.fields.username"));
    zt_expect(r, 409, "conflict");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM staff"), 2);

    /* list: masked phones, filters, paging */
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    r = zt_get(e, &su, "/api/v1/admin/staff?page_size=2");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 3);
    assert_int_equal(json_array_size(zt_json(r, "items")), 2);
    assert_int_equal(zt_int(r, "page_size"), 2);
    assert_string_equal(zt_str(r, "items.1.phone"), "138****2222");
    assert_true(json_is_null(zt_json(r, "items.1.locked_until")));
    zt_resp_free(r);
    r = zt_get(e, &su, "/api/v1/admin/staff?role=district");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), id);
    zt_resp_free(r);
    r = zt_get(e, &su, "/api/v1/admin/staff?q=%E5%8F%B0%E6%B1%9F");   /* 台江 */
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    r = zt_get(e, &su, "/api/v1/admin/staff?q=%25");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zt_get(e, &su, "/api/v1/admin/staff?role=mayor"), 400, "validation_failed");
    zt_expect(zt_get(e, &su, "/api/v1/admin/staff/99999"), 404, "not_found");

    /* the new account logs in, must change its password first */
    zt_client tj;
    zt_client_init(&tj);
    zt_staff_login(e, &tj, "taijiang", otp);
    zt_expect(zt_postf(e, &tj, "/api/v1/auth/password", "{\"old_password\":\"%s\",\"new_password\":\"Tide-Harbor#2025\"}", otp),
              200, NULL);

    /* edit: move to another district, then make it city (the region goes) */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/admin/staff/%lld", id);
    r = zt_req(e, &su, "PUT", path, "{\"region\":\"350104\",\"name\":\"仓山区商务局\"}", NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "staff.region"), "350104");
    assert_string_equal(zt_str(r, "staff.name"), "仓山区商务局");
    zt_resp_free(r);
    zt_expect(zt_req(e, &su, "PUT", path, "{\"region\":\"350100\"}", NULL), 400, "validation_failed");
    r = zt_req(e, &su, "PUT", path, "{\"role\":\"city\"}", NULL);
    assert_string_equal(zt_str(r, "staff.role"), "city");
    assert_true(json_is_null(zt_json(r, "staff.region")));
    zt_expect(r, 200, NULL);
    /* back to district needs a region */
    zt_expect(zt_req(e, &su, "PUT", path, "{\"role\":\"district\"}", NULL), 400, "validation_failed");
    zt_expect(zt_req(e, &su, "PUT", path, "{\"role\":\"district\",\"region\":\"350103\"}", NULL), 200, NULL);
    zt_expect(zt_req(e, &su, "PUT", path, "{\"phone\":\"123\"}", NULL), 400, "validation_failed");
    zt_expect(zt_req(e, &su, "PUT", path, "{\"username\":\"other\"}", NULL), 400, "validation_failed");
    zt_expect(zt_req(e, &su, "PUT", "/api/v1/admin/staff/99999", "{\"name\":\"x\"}", NULL), 404, "not_found");
    /* the session sees the new role at once */
    r = zt_get(e, &tj, "/api/v1/auth/me");
    assert_string_equal(zt_str(r, "user.region"), "350103");
    zt_resp_free(r);

    /* disable: its sessions end, it cannot log in */
    r = zt_req(e, &su, "PUT", path, "{\"disabled\":true}", NULL);
    assert_true(json_is_true(zt_json(r, "staff.disabled")));
    zt_expect(r, 200, NULL);
    zt_expect(zt_get(e, &tj, "/api/v1/auth/me"), 401, "unauthenticated");
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM session WHERE staff_id = %lld AND revoked_at = 0", id), 0);
    zt_client again;
    zt_client_init(&again);
    zt_expect(admin_login(e, &again, "taijiang", "Tide-Harbor#2025", NULL), 403, "forbidden");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.disable'"), 1);
    zt_expect(zt_req(e, &su, "PUT", path, "{\"disabled\":false}", NULL), 200, NULL);
    zt_staff_login(e, &again, "taijiang", "Tide-Harbor#2025");

    /* reset: a new one-time password, old sessions end, lock lifted */
    zt_exec(e, "INSERT INTO login_lock(subject, failed, first_failed_at, locked_until, updated_at)"
               " VALUES ('staff:taijiang', 5, 1, 4102444800, 1)");
    snprintf(path, sizeof path, "/api/v1/admin/staff/%lld/reset-password", id);
    r = zt_post(e, &su, path, NULL);
    assert_int_equal(r->status, 200);
    snprintf(otp, sizeof otp, "%s", zt_str(r, "one_time_password"));
    assert_true(json_is_true(zt_json(r, "staff.must_change_password")));
    zt_resp_free(r);
    zt_expect(zt_get(e, &again, "/api/v1/auth/me"), 401, "unauthenticated");
    zt_expect(admin_login(e, &again, "taijiang", "Tide-Harbor#2025", NULL), 401, "invalid_credentials");
    r = admin_login(e, &again, "taijiang", otp, NULL);
    assert_true(json_is_true(zt_json(r, "must_change_password")));
    zt_expect(r, 200, NULL);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.reset_password'"), 1);

    /* nobody locks themselves out */
    snprintf(path, sizeof path, "/api/v1/admin/staff/%lld", (long long)me);
    zt_expect(zt_req(e, &su, "PUT", path, "{\"disabled\":true}", NULL), 422, "business_rule");
    zt_expect(zt_req(e, &su, "PUT", path, "{\"role\":\"city\"}", NULL), 422, "business_rule");
    zt_expect(zt_get(e, &su, "/api/v1/auth/me"), 200, NULL);
}

/* A staff phone is masked wherever an account is shown after its creation
 * (list, detail, edit answer); POST /admin/staff/:id/reveal shows it in
 * full with an audit record, refuses bad input and unknown accounts with
 * nothing recorded, is staff.manage only, and shares the hourly reveal cap. */
static void test_staff_phone_masked_and_revealed(void **st)
{
    zt_env *e = *st;
    zt_make_staff(e, "admin", "super", NULL, ZT_PASSWORD);
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_client su, city;
    zt_client_init(&su);
    zt_client_init(&city);
    zt_staff_login(e, &su, "admin", ZT_PASSWORD);
    zt_staff_login(e, &city, "city1", ZT_PASSWORD);
    zt_resp *r = zt_post(e, &su, "/api/v1/admin/staff", "{\"username\":\"minhou\",\"phone\":\"13800003333\",\"role\":\"city\"}");
    assert_int_equal(r->status, 201);
    long long id = zt_int(r, "staff.id");
    zt_resp_free(r);
    for (int i = 0; i < 2; i++) {
        r = zt_get(e, &su, i ? "/api/v1/admin/staff?q=minhou" : zt_path("/api/v1/admin/staff/%lld", id));
        assert_int_equal(r->status, 200);
        assert_string_equal(zt_str(r, i ? "items.0.phone" : "staff.phone"), "138****3333");
        assert_null(strstr(r->body, "13800003333"));
        zt_resp_free(r);
    }
    r = zt_req(e, &su, "PUT", zt_path("/api/v1/admin/staff/%lld", id), "{\"name\":\"闽侯\"}", NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "staff.phone"), "138****3333");
    zt_resp_free(r);
    /* the edit kept the number it did not send */
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM staff WHERE id = %lld AND phone = '13800003333'", id), 1);

    char reveal[64];
    snprintf(reveal, sizeof reveal, "/api/v1/admin/staff/%lld/reveal", id);
    const char *count = "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.reveal_phone'";
    zt_expect(zt_post(e, &su, reveal, "{\"field\":\"phone\"}"), 400, "validation_failed");
    zt_expect(zt_post(e, &su, "/api/v1/admin/staff/999999/reveal", "{}"), 404, "not_found");
    zt_expect(zt_post(e, &city, reveal, "{}"), 403, "forbidden");
    assert_int_equal(zt_count(e, count), 0);
    r = zt_post(e, &su, reveal, "{}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "value"), "13800003333");
    zt_resp_free(r);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.reveal_phone' AND result = 'ok'"
                                  " AND object_id = '%lld' AND detail LIKE '%%138****3333%%'", id), 1);

    /* the hour's budget (60, the 404 above counted) is the enterprise reveals' */
    for (int i = 0; i < 58; i++) {
        r = zt_post(e, &su, reveal, "{}");
        assert_int_equal(r->status, 200);
        zt_resp_free(r);
    }
    r = zt_post(e, &su, reveal, "{}");
    zt_expect(r, 429, "rate_limited");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.reveal_phone' AND result = 'denied'"), 1);
    zt_expect(zt_post(e, &su, "/api/v1/admin/enterprises/1/reveal", "{\"field\":\"contact_phone\"}"), 429, "rate_limited");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dev_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sms_second_factor, setup_prod, teardown),
        cmocka_unit_test_setup_teardown(test_cli_create_and_first_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_management_is_super_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_list_edit_disable_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_phone_masked_and_revealed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
