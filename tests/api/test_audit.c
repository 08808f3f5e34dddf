/*
 * test_audit.c — API tests of the audit log: logins (success and
 * failure), logout, SMS sends, password changes and staff changes are
 * recorded with masked phones; staff search it (city: all, district: own
 * district only) with filters and paging; `zhengqi audit verify` passes on
 * an intact chain and names the record that was edited, and notices a
 * record removed from the end. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "cli/cli.h"
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

/* A little history: a user of 鼓楼区 (350102) logs in, fails once, gets an
 * SMS, changes the password, logs out; 台江区 (350103) staff log in. */
static void history(zt_env *e)
{
    int64_t uid = zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_make_enterprise(e, "甲公司", "350102", "approved", uid);
    zt_make_staff(e, "taijiang", "district", "350103", ZT_PASSWORD);
    zt_client c, s;
    zt_client_init(&c);
    zt_client_init(&s);
    zt_expect(zt_post(e, &c, "/api/v1/auth/login", "{\"phone\":\"" PHONE "\",\"password\":\"Wrong#Pass1\"}"), 401,
              "invalid_credentials");
    zt_login(e, &c, PHONE, ZT_PASSWORD);
    zt_expect(zt_post(e, &c, "/api/v1/sms/send", "{\"phone\":\"" PHONE "\",\"purpose\":\"reset\"}"), 200, NULL);
    zt_expect(zt_post(e, &c, "/api/v1/auth/password",
                      "{\"old_password\":\"" ZT_PASSWORD "\",\"new_password\":\"Xiamen#2025a\"}"), 200, NULL);
    zt_expect(zt_post(e, &c, "/api/v1/auth/logout", NULL), 200, NULL);
    zt_staff_login(e, &s, "taijiang", ZT_PASSWORD);
}

static void test_events_recorded_masked(void **st)
{
    zt_env *e = *st;
    history(e);
    static const struct {
        const char *action, *result;
        int n;
    } want[] = {
        {"auth.login", "failed", 1}, {"auth.login", "ok", 1}, {"sms.send", "ok", 1},
        {"auth.password_change", "ok", 1}, {"auth.logout", "ok", 1}, {"auth.staff_login", "ok", 1},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE action = '%s' AND result = '%s'", want[i].action,
                      want[i].result) != want[i].n)
            fail_msg("expected %d %s/%s records", want[i].n, want[i].action, want[i].result);
    /* who, where from, which district */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND result = 'ok'"
                                 " AND actor_kind = 'user' AND actor_name = '用户5678' AND ip = '127.0.0.1'"
                                 " AND region = '350102' AND enterprise_id IS NOT NULL"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND result = 'failed'"
                                 " AND actor_kind = 'anonymous' AND detail LIKE '%138****5678%'"), 1);
    /* no phone in clear, no password, no code */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%" PHONE "%' OR object_id LIKE '%"
                                 PHONE "%' OR detail LIKE '%Wrong#Pass1%' OR detail LIKE '%Xiamen%'"), 0);
    char code[8];
    zt_last_code(e, PHONE, code);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%%%s%%'", code), 0);
}

static zt_resp *search(zt_env *e, zt_client *c, const char *query)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/admin/audit%s", query);
    return zt_get(e, c, path);
}

static void test_search_scope_and_filters(void **st)
{
    zt_env *e = *st;
    history(e);
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(e, "gulou", "district", "350102", ZT_PASSWORD);
    zt_client city, gulou, user;
    zt_client_init(&city);
    zt_client_init(&gulou);
    zt_client_init(&user);
    zt_staff_login(e, &city, "city1", ZT_PASSWORD);
    zt_staff_login(e, &gulou, "gulou", ZT_PASSWORD);
    long long all = zt_count(e, "SELECT COUNT(*) FROM audit_log");

    zt_resp *r = search(e, &city, "");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), all);
    assert_int_equal(zt_int(r, "page"), 1);
    assert_int_equal(zt_int(r, "page_size"), 20);
    /* newest first, times in Asia/Shanghai */
    assert_string_equal(zt_str(r, "items.0.action"), "auth.staff_login");
    assert_string_equal(zt_str(r, "items.0.actor_name"), "gulou");
    assert_non_null(strstr(zt_str(r, "items.0.at"), "+08:00"));
    assert_true(zt_int(r, "items.0.id") > zt_int(r, "items.1.id"));
    zt_resp_free(r);

    /* district staff: their district's records only */
    r = search(e, &gulou, "?page_size=100");
    long long n = zt_int(r, "total");
    assert_int_equal(n, zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE region = '350102'"));
    assert_true(n >= 3);
    for (long long i = 0; i < n; i++) {
        char p[48];
        snprintf(p, sizeof p, "items.%lld.region", i);
        assert_string_equal(zt_str(r, p), "350102");
    }
    zt_resp_free(r);
    r = search(e, &gulou, "?region=350103");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    r = search(e, &city, "?region=350103");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);

    /* filters */
    r = search(e, &city, "?action=auth.login");
    assert_int_equal(zt_int(r, "total"), 2);
    zt_resp_free(r);
    r = search(e, &city, "?action=auth.*");
    assert_int_equal(zt_int(r, "total"), zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'auth.%'"));
    zt_resp_free(r);
    r = search(e, &city, "?action=auth.login&result=failed");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_string_equal(zt_str(r, "items.0.detail"), "{\"phone\":\"138****5678\",\"reason\":\"bad_password\"}");
    zt_resp_free(r);
    r = search(e, &city, "?actor=%E7%94%A8%E6%88%B7");   /* 用户 */
    assert_int_equal(zt_int(r, "total"), zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE actor_name = '用户5678'"));
    zt_resp_free(r);
    char today[16], tomorrow[16], yesterday[16], q[96];
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    time_t t2 = now + 86400, t0 = now - 86400;
    gmtime_r(&t2, &tm);
    strftime(tomorrow, sizeof tomorrow, "%Y-%m-%d", &tm);
    gmtime_r(&t0, &tm);
    strftime(yesterday, sizeof yesterday, "%Y-%m-%d", &tm);
    snprintf(q, sizeof q, "?from=%s&to=%s", today, today);
    r = search(e, &city, q);
    assert_int_equal(zt_int(r, "total"), all);
    zt_resp_free(r);
    snprintf(q, sizeof q, "?to=%s", yesterday);
    r = search(e, &city, q);
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    snprintf(q, sizeof q, "?from=%s", tomorrow);
    r = search(e, &city, q);
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    /* paging */
    r = search(e, &city, "?page=2&page_size=3");
    assert_int_equal(json_array_size(zt_json(r, "items")), 3);
    assert_int_equal(zt_int(r, "page"), 2);
    zt_resp_free(r);

    /* bad filters */
    const char *bad[] = {"?from=2024-02-30", "?to=20240101", "?result=maybe", "?action=auth%27--",
                         "?page_size=1000", "?page=0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) zt_expect(search(e, &city, bad[i]), 400, "validation_failed");
    snprintf(q, sizeof q, "?from=%s&to=%s", today, yesterday);
    zt_expect(search(e, &city, q), 400, "validation_failed");
    /* not for enterprise users or anonymous callers */
    zt_login(e, &user, PHONE, "Xiamen#2025a");
    zt_expect(search(e, &user, ""), 403, "forbidden");
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(search(e, &anon, ""), 401, "unauthenticated");
}

static void test_verify_and_tamper(void **st)
{
    zt_env *e = *st;
    history(e);
    long long n = zt_count(e, "SELECT COUNT(*) FROM audit_log");
    assert_true(n >= 6);
    int rc;
    char *out = zt_cli(cli_audit, &rc, "audit", "verify", "--db", e->url, NULL);
    char want[64];
    snprintf(want, sizeof want, "audit chain intact: %lld records", n);
    if (rc != 0 || !strstr(out, want)) fail_msg("verify: rc %d, %s", rc, out);
    free(out);

    /* edit one record in the middle: verify names it */
    zt_exec(e, "UPDATE audit_log SET detail = '{}' WHERE id = 2");
    out = zt_cli(cli_audit, &rc, "audit", "verify", "--db", e->url, NULL);
    assert_int_equal(rc, 1);
    if (!strstr(out, "BROKEN at record 2 ")) fail_msg("verify output: %s", out);
    free(out);
}

static void test_verify_detects_removal(void **st)
{
    zt_env *e = *st;
    history(e);
    int rc;
    char *out;
    /* the last record removed: the head no longer matches */
    long long last = zt_count(e, "SELECT MAX(id) FROM audit_log");
    zt_execf(e, "DELETE FROM audit_log WHERE id = %lld", last);
    out = zt_cli(cli_audit, &rc, "audit", "verify", "--db", e->url, NULL);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "BROKEN"));
    free(out);
    /* usage */
    out = zt_cli(cli_audit, &rc, "audit", "check", NULL);
    assert_int_equal(rc, 2);
    free(out);
}

static void test_verify_detects_removal_inside(void **st)
{
    zt_env *e = *st;
    history(e);
    int rc;
    zt_exec(e, "DELETE FROM audit_log WHERE id = 3");
    char *out = zt_cli(cli_audit, &rc, "audit", "verify", "--db", e->url, NULL);
    assert_int_equal(rc, 1);
    if (!strstr(out, "BROKEN at record 4 ")) fail_msg("verify output: %s", out);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events_recorded_masked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_scope_and_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_and_tamper, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_detects_removal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_detects_removal_inside, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
