/*
 * test_completeness.c — one completeness score: the bureau's list (企业库,
 * the stored enterprise.completeness) and the firm's detail (computed from
 * the record) agree for a pending firm and after every kind of change — a
 * registration, its correction, the approval, a section record, an edit of
 * the basic record and an approved name change; a database whose scores an
 * older rule computed is recomputed at the next start. SQLite and
 * PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_reg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client a, city;
    int64_t id;
    char uscc[19];
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->id = zr_register_ok(w->e, &w->a, 7, "350102");
    zr_uscc(7, w->uscc);
    zr_staff(w->e, &w->city, "city1", "city", NULL);
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

/* The score the list shows and the one the detail shows; they must agree. */
static long long agreed_score(world *w, const char *after)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/admin/enterprises?q=%s&page_size=10", w->uscc);
    zt_resp *r = zt_get(w->e, &w->city, path);
    assert_int_equal(r->status, 200);
    json_t *items = zt_json(r, "items");
    assert_int_equal(json_array_size(items), 1);
    long long listed = json_integer_value(json_object_get(json_array_get(items, 0), "completeness"));
    zt_resp_free(r);
    snprintf(path, sizeof path, "/api/v1/admin/enterprises/%lld", (long long)w->id);
    r = zt_get(w->e, &w->city, path);
    assert_int_equal(r->status, 200);
    long long shown = zt_int(r, "completeness.score");
    zt_resp_free(r);
    if (listed != shown) fail_msg("after %s: the list says %lld %%, the detail %lld %%", after, listed, shown);
    return shown;
}

static void expect_status(zt_resp *r, int status)
{
    if (r->status != status) fail_msg("%d expected, got %d %s", status, r->status, r->body);
    zt_resp_free(r);
}

static void test_list_and_detail_agree(void **st)
{
    world *w = *st;
    /* pending, just registered: industry and a characteristic count already */
    long long s0 = agreed_score(w, "registration");
    assert_true(s0 > 0);

    /* the applicant corrects the registration with every optional field */
    json_t *f = zr_form_full(w->uscc, "13900000007");
    zr_set(f, "region", "350102");
    zr_set(f, "agree", NULL);
    zr_set(f, "password", NULL);
    expect_status(zr_send(w->e, &w->a, "PUT", "/api/v1/registration", f), 200);
    json_decref(f);
    long long s1 = agreed_score(w, "the correction");
    assert_true(s1 > s0);

    /* approved */
    char path[128];
    snprintf(path, sizeof path, "/api/v1/admin/registrations/%lld/approve", (long long)w->id);
    expect_status(zt_post(w->e, &w->city, path, "{}"), 200);
    assert_int_equal(agreed_score(w, "the approval"), s1);

    /* a section record adds its share */
    expect_status(zt_post(w->e, &w->a, "/api/v1/enterprise/personnel",
                          "{\"year\":2025,\"total_staff\":80,\"rd_staff\":12,\"degree_staff\":40,\"new_hires\":6,"
                          "\"insured_staff\":78}"),
                  201);
    long long s2 = agreed_score(w, "a personnel record");
    assert_true(s2 > s1);

    /* the basic record loses its introduction */
    expect_status(zt_req(w->e, &w->a, "PATCH", "/api/v1/enterprise", "{\"intro\":\"\"}", NULL), 200);
    long long s3 = agreed_score(w, "an edit of the basic record");
    assert_true(s3 < s2);

    /* a name change, approved by the bureau */
    expect_status(zt_req(w->e, &w->a, "PATCH", "/api/v1/enterprise", "{\"name\":\"福州更名科技有限公司\"}", NULL), 200);
    long long change = zt_countf(w->e, "SELECT id FROM enterprise_change WHERE enterprise_id = %lld AND status = 'pending'",
                                 (long long)w->id);
    assert_true(change > 0);
    snprintf(path, sizeof path, "/api/v1/admin/enterprise-changes/%lld/approve", change);
    expect_status(zt_post(w->e, &w->city, path, "{}"), 200);
    assert_int_equal(agreed_score(w, "the approved name change"), s3);
    /* and the stored value is what the directory reads */
    assert_int_equal(zt_countf(w->e, "SELECT completeness FROM enterprise WHERE id = %lld", (long long)w->id), s3);
}

/* A database from before the score was kept current: its firms hold 0 and
 * its rule stamp is older. The next start recomputes every firm with the
 * program's own computation and stamps the rule; a start after that leaves
 * stored scores alone. */
static void test_older_rule_recomputed_at_start(void **st)
{
    world *w = *st;
    long long score = agreed_score(w, "registration");
    assert_true(score > 0);
    zt_exec(w->e, "UPDATE enterprise SET completeness = 0");
    zt_exec(w->e, "UPDATE derived_rule SET version = 0 WHERE name = 'completeness'");
    zq_app *restarted = zt_instance(w->e);
    zq_app_free(restarted);
    assert_int_equal(agreed_score(w, "a start on an older rule"), score);
    long long rule = zt_count(w->e, "SELECT version FROM derived_rule WHERE name = 'completeness'");
    assert_true(rule >= 1);

    /* current rule: a start recomputes nothing */
    zt_exec(w->e, "UPDATE enterprise SET completeness = 3");
    zq_app_free(zt_instance(w->e));
    assert_int_equal(zt_countf(w->e, "SELECT completeness FROM enterprise WHERE id = %lld", (long long)w->id), 3);
    assert_int_equal(zt_count(w->e, "SELECT version FROM derived_rule WHERE name = 'completeness'"), rule);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_and_detail_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_older_rule_recomputed_at_start, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
