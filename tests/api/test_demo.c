/*
 * test_demo.c — `zhengqi seed-demo` on the database under test (SQLite and
 * PostgreSQL): it fills the demo city, approved firms carry profile records
 * that the API serves and whose completeness is stored, a second run leaves
 * the data alone, and a demo firm's legal rep can read the profile.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "cli/cli.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int setup(void **st)
{
    *st = zt_start();
    return *st ? 0 : -1;
}

static int teardown(void **st)
{
    zt_stop(*st);
    return 0;
}

static void test_seed_demo(void **st)
{
    zt_env *e = *st;
    int rc = 0;
    char logins[600];
    snprintf(logins, sizeof logins, "/tmp/zq-demo-logins-%d.txt", (int)getpid());
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--enterprises", "40", "--logins-file", logins, NULL));
    assert_int_equal(rc, 0);
    unlink(logins);
    long long approved = zt_count(e, "SELECT COUNT(*) FROM enterprise WHERE status = 'approved'");
    assert_true(approved > 0);
    /* every approved firm has its real score stored, most have records */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise WHERE status = 'approved' AND completeness = 0"), 0);
    assert_true(zt_count(e, "SELECT COUNT(DISTINCT enterprise_id) FROM enterprise_operation") >= approved / 2);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise_operation o JOIN enterprise e ON e.id = o.enterprise_id"
                                 " WHERE e.status <> 'approved'"), 0);
    long long ops = zt_count(e, "SELECT COUNT(*) FROM enterprise_operation");
    /* work waiting for the bureau and for the first printed firm's legal rep */
    assert_true(zt_count(e, "SELECT COUNT(*) FROM enterprise_change c JOIN enterprise e ON e.id = c.enterprise_id"
                            " WHERE c.status = 'pending' AND e.status = 'approved' AND c.old_name = e.name") >= 2);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM join_request j JOIN membership m ON m.enterprise_id = j.enterprise_id"
                                 " JOIN app_user u ON u.id = m.user_id WHERE u.phone = '13900000004' AND m.is_legal_rep = 1"
                                 " AND j.status = 'pending'"),
                     2);

    /* --bulk adds generated firms with valid, distinct USCCs; a second run continues the numbering */
    long long before = zt_count(e, "SELECT COUNT(*) FROM enterprise");
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--bulk", "300", NULL));
    assert_int_equal(rc, 0);
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--bulk", "200", NULL));
    assert_int_equal(rc, 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise"), before + 500);
    assert_int_equal(zt_count(e, "SELECT COUNT(DISTINCT uscc) FROM enterprise WHERE channel = 'seed'"), 500);
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--bulk", "0", NULL));
    assert_int_not_equal(rc, 0);
    zt_execf(e, "DELETE FROM enterprise_characteristic WHERE enterprise_id IN (SELECT id FROM enterprise WHERE channel = 'seed')");
    zt_execf(e, "DELETE FROM enterprise WHERE channel = 'seed'");

    /* a second run sees the demo city and adds nothing */
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--enterprises", "40", NULL));
    assert_int_equal(rc, 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise_operation"), ops);

    /* the records read back through the API as the sections' spec says */
    long long eid = zt_count(e, "SELECT MIN(enterprise_id) FROM enterprise_operation");
    long long uid = zt_countf(e, "SELECT user_id FROM membership WHERE enterprise_id = %lld AND is_legal_rep = 1", eid);
    char phone[32];
    long long n = zt_countf(e, "SELECT COUNT(*) FROM app_user WHERE id = %lld", uid);
    assert_int_equal(n, 1);
    zt_execf(e, "UPDATE app_user SET must_change_password = 0 WHERE id = %lld", uid);
    /* the seeded password is the documented demo one */
    zt_client c;
    zt_client_init(&c);
    long long ph = zt_countf(e, "SELECT CAST(phone AS BIGINT) FROM app_user WHERE id = %lld", uid);
    snprintf(phone, sizeof phone, "%lld", ph);
    zt_login(e, &c, phone, "Demo@2026");
    zt_resp *r = zt_get(e, &c, "/api/v1/enterprise/operations");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 3);
    zt_resp_free(r);
    r = zt_get(e, &c, "/api/v1/enterprise");
    assert_true(zt_int(r, "completeness.score") > 0);
    zt_resp_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seed_demo, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
