/*
 * test_export.c — GET /api/v1/admin/enterprises/export: the .xlsx holds
 * exactly the firms the same filters list, district staff export their
 * district only, bad filters and tokens are refused before anything is
 * written, progress is readable by the exporter only, every export is
 * audited, and enterprise users are kept out. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "app/app.h"
#include "support/fixtures.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

typedef struct {
    zt_env *e;
    zt_client city, gulou, user;
    int64_t a, b, c;
} world;

#define NAME_A "福州闽江软件有限公司"
#define NAME_B "福州台江食品有限公司"
#define NAME_C "福州鼓楼纺织有限公司"
#define TOKEN "Ab3dEf6hIj9kLm2oPq5sTu8wXy1zAb4d"

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    zt_env *e = w->e = zt_start();
    int64_t lr = zt_make_user(e, "13900000001", ZT_PASSWORD);
    w->a = zt_make_enterprise(e, NAME_A, "350102", "approved", lr);
    w->b = zt_make_enterprise(e, NAME_B, "350103", "approved", 0);
    w->c = zt_make_enterprise(e, NAME_C, "350102", "pending", 0);
    zt_execf(e, "UPDATE enterprise SET industry = '65', scale = 'small', trade_type = 'export', completeness = 80,"
                " registered_capital = 12345678 WHERE id = %lld", (long long)w->a);
    zt_execf(e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'hightech')", (long long)w->a);
    zt_execf(e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'private')", (long long)w->a);
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

/* The text of one member of the xlsx answer (malloc'd), failing the test if absent. */
static char *xlsx_member(const zt_resp *r, const char *member)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(r->body, r->len, 0, &ze);
    assert_non_null(src);
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!z) fail_msg("answer is not a zip (%zu bytes)", r->len);
    zip_stat_t zs;
    if (zip_stat(z, member, 0, &zs) != 0) fail_msg("%s missing from the xlsx", member);
    char *out = calloc(1, zs.size + 1);
    zip_file_t *f = zip_fopen(z, member, 0);
    assert_non_null(f);
    assert_int_equal(zip_fread(f, out, zs.size), (zip_int64_t)zs.size);
    zip_fclose(f);
    zip_close(z);
    return out;
}

/* Exports path as client c, expects 200 and an xlsx; returns sheet 企业库's XML. */
static char *export_sheet(world *w, zt_client *c, const char *path)
{
    zt_resp *r = zt_get(w->e, c, path);
    if (r->status != 200) fail_msg("%s → %d %s", path, r->status, r->body);
    assert_string_equal(zt_header(r, "Content-Type"),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const char *cd = zt_header(r, "Content-Disposition");
    assert_non_null(cd);
    assert_true(strncmp(cd, "attachment;", 11) == 0);
    /* 企业库导出-…xlsx, percent-encoded in the RFC 8187 form */
    assert_non_null(strstr(cd, "filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%BA%93%E5%AF%BC%E5%87%BA-"));
    assert_non_null(strstr(cd, ".xlsx"));
    assert_non_null(strstr(zt_header(r, "Cache-Control"), "no-store"));
    assert_memory_equal(r->body, "PK", 2);
    char *sheet = xlsx_member(r, "xl/worksheets/sheet1.xml");
    char *notes = xlsx_member(r, "xl/worksheets/sheet2.xml");
    assert_non_null(strstr(notes, "企业库导出"));
    free(notes);
    zt_resp_free(r);
    return sheet;
}

static void test_city_export(void **st)
{
    world *w = *st;
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.export'");
    char *s = export_sheet(w, &w->city, "/api/v1/admin/enterprises/export");
    assert_non_null(strstr(s, NAME_A));
    assert_non_null(strstr(s, NAME_B));
    assert_non_null(strstr(s, NAME_C));
    assert_non_null(strstr(s, "统一社会信用代码")); /* the header row */
    assert_non_null(strstr(s, "高新技术企业"));     /* characteristics by name */
    assert_non_null(strstr(s, "<v>1234.5678</v>")); /* 注册资本 in 万元, exact */
    assert_non_null(strstr(s, "已认证"));
    free(s);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.export'"), audits + 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.export'"
                                    " AND detail LIKE '%\"rows\":3%'"),
                     1);

    /* the same filters as the list select the same firms */
    s = export_sheet(w, &w->city, "/api/v1/admin/enterprises/export?region=350103&status=approved");
    assert_non_null(strstr(s, NAME_B));
    assert_null(strstr(s, NAME_A));
    assert_null(strstr(s, NAME_C));
    free(s);
    s = export_sheet(w, &w->city, "/api/v1/admin/enterprises/export?characteristic=hightech");
    assert_non_null(strstr(s, NAME_A));
    assert_null(strstr(s, NAME_B));
    free(s);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.export'"
                                    " AND detail LIKE '%\"region\":\"350103\"%'"),
                     1);
}

static void test_district_scope(void **st)
{
    world *w = *st;
    char *s = export_sheet(w, &w->gulou, "/api/v1/admin/enterprises/export");
    assert_non_null(strstr(s, NAME_A));
    assert_non_null(strstr(s, NAME_C));
    assert_null(strstr(s, NAME_B));
    free(s);
    /* asking for another district exports nothing of it */
    s = export_sheet(w, &w->gulou, "/api/v1/admin/enterprises/export?region=350103");
    assert_null(strstr(s, NAME_A));
    assert_null(strstr(s, NAME_B));
    assert_null(strstr(s, NAME_C));
    free(s);
}

static void test_bad_input(void **st)
{
    world *w = *st;
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.export'");
    zt_resp *r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises/export?region=999999");
    assert_non_null(strstr(zt_str(r, "error.fields.region"), "行政区划"));
    zt_expect(r, 400, "validation_failed");
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises/export?completeness_min=90&completeness_max=10");
    assert_non_null(zt_str(r, "error.fields.completeness_max"));
    zt_expect(r, 400, "validation_failed");
    const char *tokens[] = {"short", "Ab3dEf6hIj9kLm2oPq5sTu8wXy1zAb4-", "Ab3dEf6hIj9kLm2oPq5sTu8wXy1zAb4dX"};
    for (size_t i = 0; i < 3; i++) {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/admin/enterprises/export?progress=%s", tokens[i]);
        r = zt_get(w->e, &w->city, path);
        assert_non_null(strstr(zt_str(r, "error.fields.progress"), "32"));
        zt_expect(r, 400, "validation_failed");
    }
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.export'"), audits);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM export_progress"), 0);
}

static void test_progress(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises/export-progress/" TOKEN);
    zt_expect(r, 404, "not_found"); /* not started */
    free(export_sheet(w, &w->city, "/api/v1/admin/enterprises/export?status=approved&progress=" TOKEN));
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises/export-progress/" TOKEN);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 2);
    assert_int_equal(zt_int(r, "done"), 2);
    assert_string_equal(zt_str(r, "status"), "done");
    zt_resp_free(r);
    /* another staff member's poll learns nothing */
    r = zt_get(w->e, &w->gulou, "/api/v1/admin/enterprises/export-progress/" TOKEN);
    zt_expect(r, 404, "not_found");
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises/export-progress/bad-token");
    zt_expect(r, 404, "not_found");
    /* a token is used once */
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises/export?progress=" TOKEN);
    zt_expect(r, 409, "conflict");
}

/* Exports take one of the instance's few heavy slots; when all are taken
 * the next export is told to come back later, and nothing is audited. */
static void test_heavy_slots_full(void **st)
{
    world *w = *st;
    zq_app *app = w->e->app;
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.export'");
    atomic_store(&app->heavy_running, app->heavy_max);
    zt_resp *r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises/export");
    assert_int_equal(r->status, 503);
    assert_string_equal(zt_str(r, "error.code"), "service_unavailable");
    assert_non_null(zt_header(r, "Retry-After"));
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.export'"), audits);
    /* other requests are not affected, and a freed slot serves the export */
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises?page=1");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    atomic_store(&app->heavy_running, 0);
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises/export");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(atomic_load(&app->heavy_running), 0);
}

static void test_access(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->user, "/api/v1/admin/enterprises/export");
    zt_expect(r, 403, "forbidden");
    r = zt_get(w->e, &w->user, "/api/v1/admin/enterprises/export-progress/" TOKEN);
    zt_expect(r, 403, "forbidden");
    zt_client anon;
    zt_client_init(&anon);
    r = zt_get(w->e, &anon, "/api/v1/admin/enterprises/export");
    zt_expect(r, 401, "unauthenticated");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.export'"
                                    " AND result = 'ok' AND actor_kind = 'user'"),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_city_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_district_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heavy_slots_full, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
