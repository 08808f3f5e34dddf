/*
 * test_directory.c — the bureau's enterprise directory (企业库): each filter
 * narrows, bad filter values are refused with the field and a Chinese
 * message, district staff see their district only (list and detail), the
 * detail carries every section and masked members, and enterprise users
 * are kept out. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client city, gulou, user;
    int64_t a, b, c;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    zt_env *e = w->e = zt_start();
    int64_t lr = zt_make_user(e, "13900000001", ZT_PASSWORD);
    w->a = zt_make_enterprise(e, "福州闽江软件有限公司", "350102", "approved", lr);
    w->b = zt_make_enterprise(e, "福州台江食品有限公司", "350103", "approved", 0);
    w->c = zt_make_enterprise(e, "福州鼓楼纺织有限公司", "350102", "pending", 0);
    zt_execf(e, "UPDATE enterprise SET industry = '65', scale = 'small', trade_type = 'export', completeness = 80"
                " WHERE id = %lld", (long long)w->a);
    zt_execf(e, "UPDATE enterprise SET industry = '13', scale = 'medium', trade_type = 'none', completeness = 30"
                " WHERE id = %lld", (long long)w->b);
    zt_execf(e, "UPDATE enterprise SET industry = '17', scale = 'medium', completeness = 10 WHERE id = %lld",
             (long long)w->c);
    zt_execf(e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'hightech')", (long long)w->a);
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(e, "gulou1", "district", "350102", ZT_PASSWORD);
    zt_staff_login(e, &w->city, "city1", ZT_PASSWORD);
    zt_staff_login(e, &w->gulou, "gulou1", ZT_PASSWORD);
    zt_login(e, &w->user, "13900000001", ZT_PASSWORD);
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

/* total of the list at path for client c; also checks the first item's id when want_first > 0 */
static long long total(world *w, zt_client *c, const char *path, long long want_first)
{
    zt_resp *r = zt_get(w->e, c, path);
    if (r->status != 200) fail_msg("%s → %d %s", path, r->status, r->body);
    long long t = zt_int(r, "total");
    if (want_first > 0) assert_int_equal(zt_int(r, "items.0.id"), want_first);
    zt_resp_free(r);
    return t;
}

static void test_filters(void **st)
{
    world *w = *st;
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises", 0), 3);
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?region=350103", w->b), 1);
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?status=approved", 0), 2);
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?industry=65", w->a), 1);
    /* a section letter takes every division under it: C (制造业) holds 13 and 17 */
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?industry=C", 0), 2);
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?scale=medium&status=approved", w->b), 1);
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?characteristic=hightech", w->a), 1);
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?trade_type=export", w->a), 1);
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?completeness_min=20&completeness_max=90", 0), 2);
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?q=%E5%8F%B0%E6%B1%9F", w->b), 1); /* 台江 */
    /* % in the keyword is a character, not a wildcard */
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?q=%25", 0), 0);
    char path[128], uscc[24];
    zt_resp *r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises?region=350103");
    snprintf(uscc, sizeof uscc, "%s", zt_str(r, "items.0.uscc"));
    zt_resp_free(r);
    uscc[8] = '\0'; /* a prefix, typed in lower case */
    for (char *p = uscc; *p; p++) if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    snprintf(path, sizeof path, "/api/v1/admin/enterprises?q=%s", uscc);
    assert_true(total(w, &w->city, path, 0) >= 1);
    /* three characters or more: SQLite answers from the trigram index (0010), PostgreSQL scans; same answers */
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?q=%E9%97%BD%E6%B1%9F%E8%BD%AF%E4%BB%B6", w->a), 1); /* 闽江软件 */
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?q=%E9%97%BD%E6%B1%9F%25", 0), 0); /* 闽江% */
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises?region=350103");
    snprintf(uscc, sizeof uscc, "%s", zt_str(r, "items.0.uscc"));
    zt_resp_free(r);
    /* the whole code in lower case: the fixtures' codes share long prefixes */
    for (char *p = uscc; *p; p++) if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    snprintf(path, sizeof path, "/api/v1/admin/enterprises?q=%s", uscc);
    assert_int_equal(total(w, &w->city, path, w->b), 1);
    /* a renamed firm is found by its new name only (the index follows the table) */
    zt_execf(w->e, "UPDATE enterprise SET name = '福州乌山新材料有限公司' WHERE id = %lld", (long long)w->c);
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?q=%E4%B9%8C%E5%B1%B1%E6%96%B0%E6%9D%90", w->c), 1); /* 乌山新材 */
    assert_int_equal(total(w, &w->city, "/api/v1/admin/enterprises?q=%E9%BC%93%E6%A5%BC%E7%BA%BA%E7%BB%87", 0), 0); /* 鼓楼纺织 */
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises?page_size=1&page=2");
    assert_int_equal(json_array_size(zt_json(r, "items")), 1);
    assert_int_equal(zt_int(r, "total"), 3);
    zt_resp_free(r);
}

static void expect_bad(world *w, const char *query, const char *field)
{
    char path[200], key[64];
    snprintf(path, sizeof path, "/api/v1/admin/enterprises?%s", query);
    zt_resp *r = zt_get(w->e, &w->city, path);
    snprintf(key, sizeof key, "error.fields.%s", field);
    if (!zt_str(r, key)) fail_msg("%s: no message for %s: %s", query, field, r->body);
    zt_expect(r, 400, "validation_failed");
}

static void test_bad_filters(void **st)
{
    world *w = *st;
    expect_bad(w, "region=999999", "region");
    expect_bad(w, "industry=ZZ", "industry");
    expect_bad(w, "scale=huge", "scale");
    expect_bad(w, "characteristic=x", "characteristic");
    expect_bad(w, "trade_type=x", "trade_type");
    expect_bad(w, "status=deleted", "status");
    expect_bad(w, "completeness_min=101", "completeness_min");
    expect_bad(w, "completeness_min=60&completeness_max=50", "completeness_max");
}

static void test_district_scope(void **st)
{
    world *w = *st;
    assert_int_equal(total(w, &w->gulou, "/api/v1/admin/enterprises", 0), 2);
    /* asking for another district gives nothing, never its firms */
    assert_int_equal(total(w, &w->gulou, "/api/v1/admin/enterprises?region=350103", 0), 0);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/admin/enterprises/%lld", (long long)w->b);
    zt_expect(zt_get(w->e, &w->gulou, path), 404, "not_found");
    zt_expect(zt_get(w->e, &w->city, path), 200, NULL);
    /* enterprise users and guests are kept out */
    zt_expect(zt_get(w->e, &w->user, "/api/v1/admin/enterprises"), 403, NULL);
    zt_expect(zt_get(w->e, &w->user, path), 403, NULL);
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_get(w->e, &anon, "/api/v1/admin/enterprises"), 401, NULL);
}

static void test_detail(void **st)
{
    world *w = *st;
    zt_execf(w->e, "INSERT INTO enterprise_operation(enterprise_id, year, revenue, profit, tax, export, import, assets,"
                   " created_at, updated_at) VALUES (%lld, 2024, 12345000, -5000, 100, 0, 0, 1, 1, 1)",
             (long long)w->a);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/admin/enterprises/%lld", (long long)w->a);
    zt_resp *r = zt_get(w->e, &w->gulou, path);
    if (r->status != 200) fail_msg("%d %s", r->status, r->body);
    assert_string_equal(zt_str(r, "name"), "福州闽江软件有限公司");
    assert_string_equal(zt_str(r, "sections.operations.0.revenue"), "1234.5");
    assert_string_equal(zt_str(r, "sections.operations.0.profit"), "-0.5");
    assert_int_equal(json_array_size(zt_json(r, "sections.qualifications")), 0);
    assert_non_null(zt_json(r, "completeness.score"));
    assert_string_equal(zt_str(r, "members.0.phone"), "139****0001");
    assert_true(json_is_true(zt_json(r, "members.0.is_legal_rep")));
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/enterprises/987654321"), 404, "not_found");
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/enterprises/abc"), 404, "not_found");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_district_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detail, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
