/*
 * test_prune.c — housekeeping (src/jobs/prune.c, `zhengqi prune`): rows
 * whose window is long past go, rows that still decide an answer stay, and
 * a live session keeps working. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "cli/cli.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PHONE "13900000001"

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

static void test_prunes_only_what_expired(void **st)
{
    zt_env *e = *st;
    long long now = (long long)time(NULL), old = now - 3 * 86400;
    zt_make_user(e, PHONE, ZT_PASSWORD);
    zt_client c;
    zt_client_init(&c);
    zt_login(e, &c, PHONE, ZT_PASSWORD);

    zt_execf(e, "INSERT INTO sms_code(phone, purpose, code_hash, ip, created_at, expires_at)"
                " VALUES ('13900000002', 'login', 'x', '198.51.100.1', %lld, %lld),"
                " ('13900000003', 'login', 'y', '198.51.100.1', %lld, %lld)",
             old, old + 300, now - 3600, now - 3300);
    zt_execf(e, "INSERT INTO rate_counter(key, window_start, count) VALUES ('ip:a', %lld, 3), ('ip:b', %lld, 1)",
             old, now - 60);
    zt_execf(e, "INSERT INTO login_lock(subject, failed, first_failed_at, locked_until, updated_at)"
                " VALUES ('user:13900000009', 5, %lld, %lld, %lld), ('user:13900000008', 5, %lld, %lld, %lld)",
             old, old + 900, old, now - 60, now + 840, now - 60);
    zt_execf(e, "INSERT INTO session(token_hash, user_id, csrf_token, created_at, last_seen_at, idle_expires_at, expires_at)"
                " SELECT 'old', id, 'c', %lld, %lld, %lld, %lld FROM app_user WHERE phone = '%s'",
             old, old, old + 1800, old + 43200, PHONE);

    int rc = 0;
    char *out = zt_cli(cli_prune, &rc, "prune", "--db", e->url, NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "removed 1 sms codes, 1 rate counters, 1 login locks, 1 sessions"));
    free(out);

    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '13900000003'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM rate_counter WHERE key = 'ip:b'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM rate_counter"), 1);
    /* the running lock still locks */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM login_lock WHERE subject = 'user:13900000008'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM login_lock"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM session WHERE token_hash = 'old'"), 0);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);

    /* a second pass finds nothing more */
    out = zt_cli(cli_prune, &rc, "prune", "--db", e->url, NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "removed 0 sms codes, 0 rate counters, 0 login locks, 0 sessions"));
    free(out);
}

static void test_bad_usage(void **st)
{
    (void)st;
    int rc = 0;
    free(zt_cli(cli_prune, &rc, "prune", "--bogus", NULL));
    assert_int_equal(rc, 2);
    free(zt_cli(cli_prune, &rc, "prune", "--db", "mysql://x", NULL));
    assert_int_equal(rc, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prunes_only_what_expired, setup, teardown),
        cmocka_unit_test(test_bad_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
