/*
 * test_dashboard.c — the home pages' figures: GET /api/v1/public/stats
 * (anyone: certified firms) and GET /api/v1/admin/dashboard (staff: queues,
 * firms by status, registrations per day over 30 days). A district clerk
 * sees their district's figures only; enterprise users and anonymous
 * callers are refused. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    zt_env *e;
    zt_client a, city, gulou, taijiang;
    int64_t ent_a;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    zt_env *e = w->e = zt_start();
    /* 鼓楼 350102: A approved (legal rep logged in), two pending — one of
     * them submitted 40 days ago, outside the chart — and one rejected;
     * 台江 350103: one pending, one approved */
    w->ent_a = zm_enterprise(e, &w->a, "福州甲科技有限公司", "13900000001", NULL);
    /* the PATCH checks the whole record, which needs a characteristic */
    zt_execf(e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'private')", (long long)w->ent_a);
    zt_make_enterprise(e, "福州乙贸易有限公司", "350102", "pending", 0);
    int64_t old = zt_make_enterprise(e, "福州丙食品有限公司", "350102", "pending", 0);
    zt_execf(e, "UPDATE enterprise SET submitted_at = %lld WHERE id = %lld", (long long)time(NULL) - 40 * 86400,
             (long long)old);
    zt_make_enterprise(e, "福州丁电子有限公司", "350102", "rejected", 0);
    zt_make_enterprise(e, "福州戊物流有限公司", "350103", "pending", 0);
    zt_make_enterprise(e, "福州己服饰有限公司", "350103", "approved", 0);
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(e, "gulou1", "district", "350102", ZT_PASSWORD);
    zt_make_staff(e, "taijiang1", "district", "350103", ZT_PASSWORD);
    zt_staff_login(e, &w->city, "city1", ZT_PASSWORD);
    zt_staff_login(e, &w->gulou, "gulou1", ZT_PASSWORD);
    zt_staff_login(e, &w->taijiang, "taijiang1", ZT_PASSWORD);
    /* a pending change request of A (鼓楼) */
    zt_resp *r = zm_send(e, &w->a, "PATCH", "/api/v1/enterprise", "{\"name\":\"福州甲智能科技有限公司\"}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
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

/* Sum of daily[].count; checks there are 30 days ending today (CST). */
static long long daily_sum(zt_resp *r)
{
    json_t *d = zt_json(r, "daily");
    assert_non_null(d);
    assert_int_equal(json_array_size(d), 30);
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    char today[16];
    snprintf(today, sizeof today, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 29), "date")), today);
    long long sum = 0;
    for (size_t i = 0; i < json_array_size(d); i++) sum += json_integer_value(json_object_get(json_array_get(d, i), "count"));
    return sum;
}

static void test_city_sees_all(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->city, "/api/v1/admin/dashboard");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "scope_region"), "");
    assert_int_equal(zt_int(r, "pending_registrations"), 3);
    assert_int_equal(zt_int(r, "pending_changes"), 1);
    assert_int_equal(zt_int(r, "by_status.pending"), 3);
    assert_int_equal(zt_int(r, "by_status.approved"), 2);
    assert_int_equal(zt_int(r, "by_status.rejected"), 1);
    /* every firm but the one submitted 40 days ago */
    assert_int_equal(daily_sum(r), zt_count(w->e, "SELECT COUNT(*) FROM enterprise") - 1);
    zt_resp_free(r);
}

static void test_district_scope(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->gulou, "/api/v1/admin/dashboard");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "scope_region"), "350102");
    assert_int_equal(zt_int(r, "pending_registrations"), 2);
    assert_int_equal(zt_int(r, "pending_changes"), 1);
    assert_int_equal(zt_int(r, "by_status.approved"), 1);
    assert_int_equal(zt_int(r, "by_status.rejected"), 1);
    assert_int_equal(daily_sum(r), 3); /* A, 乙, 丁 */
    zt_resp_free(r);

    r = zt_get(w->e, &w->taijiang, "/api/v1/admin/dashboard");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "scope_region"), "350103");
    assert_int_equal(zt_int(r, "pending_registrations"), 1);
    assert_int_equal(zt_int(r, "pending_changes"), 0); /* 鼓楼's request is not counted */
    assert_int_equal(zt_int(r, "by_status.approved"), 1);
    assert_int_equal(zt_int(r, "by_status.rejected"), 0);
    assert_int_equal(daily_sum(r), 2);
    zt_resp_free(r);
}

static void test_access(void **st)
{
    world *w = *st;
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_get(w->e, &anon, "/api/v1/admin/dashboard"), 401, "unauthenticated");
    zt_expect(zt_get(w->e, &w->a, "/api/v1/admin/dashboard"), 403, "forbidden");
    /* the public count: certified firms only, to anyone */
    zt_resp *r = zt_get(w->e, &anon, "/api/v1/public/stats");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "approved_enterprises"), 2);
    zt_resp_free(r);
    /* it follows the firms' status */
    zt_exec(w->e, "UPDATE enterprise SET status = 'approved' WHERE name = '福州戊物流有限公司'");
    r = zt_get(w->e, &anon, "/api/v1/public/stats");
    assert_int_equal(zt_int(r, "approved_enterprises"), 3);
    zt_resp_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_city_sees_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_district_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
