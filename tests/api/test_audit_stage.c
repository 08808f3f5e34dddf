/*
 * test_audit_stage.c — the pipeline writes an unsafe route's audit record
 * (docs/audit.md): one record with the route's action in the handler's
 * transaction on success; none when the request fails; the change does not
 * stand when its record cannot be written; refusals are still recorded; a
 * success that changed nothing writes none. Runs on SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures_reg.h"
#include <stdlib.h>
#include <string.h>

#define HOST "Host: zq.fuzhou.example\n"

typedef struct {
    zt_env *e;
    zt_client staff; /* a district clerk of 350102 */
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    zr_staff(w->e, &w->staff, "gulou", "district", "350102");
    *st = w;
    return 0;
}

static int teardown(void **st)
{
    world *w = *st;
    zt_stop(w->e);
    free(w);
    return 0;
}

static void test_success_writes_the_routes_record(void **st)
{
    world *w = *st;
    zt_env *e = w->e;
    zt_client staff = w->staff;
    long long all = zt_count(e, "SELECT COUNT(*) FROM audit_log");
    zt_resp *r = zt_req(e, &staff, "POST", "/api/v1/admin/invites", "{\"note\":\"园区\"}", HOST);
    assert_int_equal(r->status, 201);
    long long id = zt_int(r, "id");
    zt_resp_free(r);
    /* exactly one record, the route's action, about the new invite, in its district */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log"), all + 1);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit_log WHERE action = 'invite.create' AND object_type = 'invite'"
             " AND object_id = '%lld' AND region = '350102' AND actor_kind = 'staff' AND result = 'ok'",
             id);
    assert_int_equal(zt_count(e, sql), 1);
}

static void test_failure_writes_nothing(void **st)
{
    world *w = *st;
    zt_env *e = w->e;
    zt_client staff = w->staff;
    long long all = zt_count(e, "SELECT COUNT(*) FROM audit_log");
    zt_resp *r = zt_req(e, &staff, "POST", "/api/v1/admin/invites", "{\"channel\":\"fax\"}", HOST);
    assert_non_null(strstr(zt_str(r, "error.fields.channel"), "渠道"));
    zt_expect(r, 400, "validation_failed"); /* frees r */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log"), all);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM invite"), 0);
}

/* The record is part of the change's transaction: when it cannot be
 * written (the chain head is gone), the change is rolled back too. */
static void test_no_change_without_its_record(void **st)
{
    world *w = *st;
    zt_env *e = w->e;
    zt_client staff = w->staff;
    zt_exec(e, "DELETE FROM audit_head");
    zt_resp *r = zt_req(e, &staff, "POST", "/api/v1/admin/invites", "{}", HOST);
    zt_expect(r, 500, "internal_error"); /* frees r */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM invite"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'invite.create'"), 0);
}

static void test_refusal_recorded_and_none(void **st)
{
    world *w = *st;
    zt_env *e = w->e;
    zt_client anon, staff = w->staff;
    zt_client_init(&anon);
    /* a wrong password: the refusal is recorded, no success record */
    long long ok_before = zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.staff_login' AND result = 'ok'");
    zt_resp *r = zt_req(e, &anon, "POST", "/api/v1/admin/auth/login", "{\"username\":\"gulou\",\"password\":\"wrong-Pass-123\"}",
                        HOST);
    assert_int_equal(r->status, 401);
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.staff_login' AND result = 'failed'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.staff_login' AND result = 'ok'"),
                     ok_before);
    /* logout without a session changes nothing: no record */
    long long all = zt_count(e, "SELECT COUNT(*) FROM audit_log");
    r = zt_req(e, &anon, "POST", "/api/v1/auth/logout", "{}", HOST);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log"), all);
    /* logout with one: its record */
    r = zt_req(e, &staff, "POST", "/api/v1/auth/logout", "{}", HOST);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.logout' AND actor_kind = 'staff'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_success_writes_the_routes_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_change_without_its_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusal_recorded_and_none, setup, teardown),
    };
    return cmocka_run_group_tests_name("audit_stage", tests, NULL, NULL);
}
