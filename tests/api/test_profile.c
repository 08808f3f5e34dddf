/*
 * test_profile.c — the enterprise profile (docs/profile.md): GET
 * /api/v1/enterprise with completeness and the industry prompt, the seven
 * sections' create/list/update/delete, their refusals (nothing stored), the
 * per-year uniqueness, attachments of another enterprise, and the access
 * rules (a reader without profile.edit, enterprise B on A's records).
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client a, b;
    int64_t ent_a, ent_b;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zm_enterprise(w->e, &w->a, "福州甲科技有限公司", "13900000001", NULL);
    w->ent_b = zm_enterprise(w->e, &w->b, "福州乙科技有限公司", "13900000002", NULL);
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

#define QUAL "{\"name\":\"高新技术企业\",\"issuer\":\"福建省科学技术厅\",\"cert_no\":\"GR202335000123\"," \
             "\"issued_on\":\"2023-12-01\",\"expires_on\":\"%s\"}"

static long long rows(zt_env *e, const char *table)
{
    return zt_countf(e, "SELECT COUNT(*) FROM %s", table);
}

static void test_enterprise_and_completeness(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->a, "/api/v1/enterprise");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "name"), "福州甲科技有限公司");
    long long before = zt_int(r, "completeness.score");
    assert_true(before >= 0 && before < 100);
    assert_non_null(zt_json(r, "completeness.missing"));
    zt_resp_free(r);

    zt_expect(zm_send(w->e, &w->a, "POST", "/api/v1/enterprise/operations",
                      "{\"year\":2024,\"revenue\":\"1234.5\",\"profit\":\"-12.25\",\"tax\":\"30\",\"export\":\"800\","
                      "\"import\":\"0\",\"assets\":\"5000.0001\"}"), 201, NULL);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise");
    long long after = zt_int(r, "completeness.score");
    zt_resp_free(r);
    assert_int_equal(after, before + 7); /* one of the seven sections */
    /* stored, so the bureau directory can filter on it */
    assert_int_equal(zt_countf(w->e, "SELECT completeness FROM enterprise WHERE id = %lld", (long long)w->ent_a),
                     after);

    /* the manual's 重点提示: no industry → the console asks for it first */
    zt_execf(w->e, "UPDATE enterprise SET industry = NULL WHERE id = %lld", (long long)w->ent_a);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise");
    assert_true(json_is_true(zt_json(r, "needs_industry")));
    assert_string_equal(zt_str(r, "completeness.missing.0.key"), "industry");
    zt_resp_free(r);
}

static void test_section_crud(void **st)
{
    world *w = *st;
    zt_resp *r = zm_send(w->e, &w->a, "POST", "/api/v1/enterprise/qualifications", QUAL, "2024-01-01");
    if (r->status != 201) fail_msg("%d %s", r->status, r->body);
    long long id = zt_int(r, "id");
    assert_true(json_is_true(zt_json(r, "expired")));
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "profile.qualifications.create"), 1);

    r = zt_get(w->e, &w->a, "/api/v1/enterprise/qualifications");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 1);
    zt_resp_free(r);

    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/qualifications/%lld", id);
    r = zm_send(w->e, &w->a, "PUT", path, QUAL, "2099-12-31");
    assert_int_equal(r->status, 200);
    assert_true(json_is_false(zt_json(r, "expired")));
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'profile.qualifications.update'"
                                     " AND detail LIKE '%%2024-01-01%%2099-12-31%%'"), 1);

    /* enterprise B never reaches A's record */
    zt_expect(zm_send(w->e, &w->b, "PUT", path, QUAL, "2030-01-01"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->b, "DELETE", path, "{}"), 404, "not_found");
    r = zt_get(w->e, &w->b, "/api/v1/enterprise/qualifications");
    assert_int_equal(json_array_size(zt_json(r, "items")), 0);
    zt_resp_free(r);

    zt_expect(zm_send(w->e, &w->a, "DELETE", path, "{}"), 204, NULL);
    assert_int_equal(rows(w->e, "enterprise_qualification"), 0);
    zt_expect(zm_send(w->e, &w->a, "DELETE", path, "{}"), 404, "not_found");
}

static void expect_field(zt_resp *r, const char *field)
{
    char key[64];
    snprintf(key, sizeof key, "error.fields.%s", field);
    if (!zt_str(r, key)) fail_msg("no message for %s: %s", field, r->body);
    zt_expect(r, 400, "validation_failed");
}

static void test_refusals_store_nothing(void **st)
{
    world *w = *st;
    zt_env *e = w->e;
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/qualifications", "{\"issuer\":\"x\"}"), "name");
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/qualifications",
                         "{\"name\":\"a\",\"issuer\":\"b\",\"cert_no\":\"c\",\"issued_on\":\"2023-02-30\"}"),
                 "issued_on");
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/qualifications", QUAL, "2000-01-01"), "expires_on");
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/qualifications",
                         "{\"name\":\"a\",\"issuer\":\"b\",\"cert_no\":\"c\",\"issued_on\":\"2023-02-01\",\"evil\":1}"),
                 "evil");
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/ip",
                         "{\"kind\":\"patent\",\"number\":\"ZL1\",\"title\":\"t\",\"status\":\"valid\","
                         "\"patent_type\":\"bogus\"}"), "patent_type");
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/operations",
                         "{\"year\":2024,\"revenue\":\"1.23456\",\"profit\":\"0\",\"tax\":\"0\",\"export\":\"0\","
                         "\"import\":\"0\",\"assets\":\"0\"}"), "revenue");
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/personnel",
                         "{\"year\":2024,\"total_staff\":10,\"rd_staff\":11,\"degree_staff\":1,\"new_hires\":1,"
                         "\"insured_staff\":1}"), "rd_staff");
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/projects",
                         "{\"name\":\"p\",\"type\":\"t\",\"start_on\":\"2024-05-01\",\"end_on\":\"2024-04-01\","
                         "\"status\":\"ongoing\"}"), "end_on");
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/carriers",
                         "{\"name\":\"c\",\"kind\":\"park\",\"relation\":\"resides\",\"area\":\"12.345\"}"), "area");

    /* an attachment of enterprise B */
    zt_execf(e, "INSERT INTO file_blob(sha256, size, chunk_count, created_at) VALUES ('%064d', 1, 0, 1)", 0);
    zt_execf(e, "INSERT INTO upload(enterprise_id, uploaded_by, sha256, name, size, mime, created_at)"
                " VALUES (%lld, NULL, '%064d', 'b.pdf', 1, 'application/pdf', 1)", (long long)w->ent_b, 0);
    long long fid = zt_count(e, "SELECT MAX(id) FROM upload");
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"a\",\"issuer\":\"b\",\"cert_no\":\"c\",\"issued_on\":\"2023-02-01\",\"file_id\":%lld}", fid);
    expect_field(zm_send(e, &w->a, "POST", "/api/v1/enterprise/qualifications", "%s", body), "file_id");

    const char *tables[] = {"enterprise_qualification", "enterprise_ip", "enterprise_operation", "enterprise_personnel",
                            "enterprise_project", "enterprise_carrier"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) assert_int_equal(rows(e, tables[i]), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'profile.%'"), 0);
}

static void test_one_record_per_year(void **st)
{
    world *w = *st;
    const char *p = "{\"year\":2023,\"total_staff\":50,\"rd_staff\":10,\"degree_staff\":30,\"new_hires\":5,"
                    "\"insured_staff\":48}";
    zt_expect(zm_send(w->e, &w->a, "POST", "/api/v1/enterprise/personnel", "%s", p), 201, NULL);
    zt_resp *r = zm_send(w->e, &w->a, "POST", "/api/v1/enterprise/personnel", "%s", p);
    assert_non_null(zt_str(r, "error.fields.year"));
    zt_expect(r, 409, "conflict");
    assert_int_equal(rows(w->e, "enterprise_personnel"), 1);
    /* another firm has its own years */
    zt_expect(zm_send(w->e, &w->b, "POST", "/api/v1/enterprise/personnel", "%s", p), 201, NULL);
    /* tech: only R&D input is per year; platforms are not */
    const char *rd = "{\"kind\":\"rd\",\"year\":2023,\"rd_staff\":5,\"rd_spending\":\"120\"}";
    zt_expect(zm_send(w->e, &w->a, "POST", "/api/v1/enterprise/tech", "%s", rd), 201, NULL);
    zt_expect(zm_send(w->e, &w->a, "POST", "/api/v1/enterprise/tech", "%s", rd), 409, "conflict");
    const char *pl = "{\"kind\":\"platform\",\"year\":2023,\"name\":\"市级企业技术中心\",\"level\":\"municipal\","
                     "\"approved_by\":\"福州市工信局\"}";
    zt_expect(zm_send(w->e, &w->a, "POST", "/api/v1/enterprise/tech", "%s", pl), 201, NULL);
    zt_expect(zm_send(w->e, &w->a, "POST", "/api/v1/enterprise/tech", "%s", pl), 201, NULL);
}

static void test_reader_without_profile_edit(void **st)
{
    world *w = *st;
    zt_client m;
    zm_member_with(w->e, &m, w->ent_a, "13900000011", "policy.view", NULL);
    zt_expect(zt_get(w->e, &m, "/api/v1/enterprise"), 200, NULL);
    zt_expect(zt_get(w->e, &m, "/api/v1/enterprise/carriers"), 200, NULL);
    zm_expect_no_perm(zm_send(w->e, &m, "POST", "/api/v1/enterprise/carriers",
                              "{\"name\":\"c\",\"kind\":\"park\",\"relation\":\"resides\"}"));
    assert_int_equal(rows(w->e, "enterprise_carrier"), 0);
    zt_client with;
    zm_member_with(w->e, &with, w->ent_a, "13900000012", "profile.edit", NULL);
    zt_expect(zm_send(w->e, &with, "POST", "/api/v1/enterprise/carriers",
                      "{\"name\":\"软件园\",\"kind\":\"park\",\"relation\":\"resides\",\"level\":\"provincial\","
                      "\"area\":\"1200.5\",\"address\":\"福州市鼓楼区\"}"), 201, NULL);
    /* anonymous */
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_get(w->e, &anon, "/api/v1/enterprise"), 401, NULL);
}

static void test_patch_basic(void **st)
{
    world *w = *st;
    zt_env *e = w->e;
    zt_execf(e, "UPDATE enterprise SET industry = NULL, address = NULL WHERE id = %lld", (long long)w->ent_a);
    /* registration requires a characteristic; the fixtures insert firms directly */
    zt_execf(e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'foreign_trade'), (%lld, 'foreign_trade')",
             (long long)w->ent_a, (long long)w->ent_b);
    zt_resp *r = zm_send(e, &w->a, "PATCH", "/api/v1/enterprise", "{\"industry\":\"65\",\"address\":\"福州市鼓楼区五四路1号\"}");
    if (r->status != 200) fail_msg("%d %s", r->status, r->body);
    assert_string_equal(zt_str(r, "industry"), "65");
    assert_true(json_is_false(zt_json(r, "needs_industry")));
    zt_resp_free(r);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.update'"
                                  " AND detail LIKE '%%\"industry\":[null,\"65\"]%%'"), 1);
    /* the same values again change nothing and write nothing */
    zt_expect(zm_send(e, &w->a, "PATCH", "/api/v1/enterprise", "{\"industry\":\"65\"}"), 200, NULL);
    assert_int_equal(zm_audits(e, "enterprise.update"), 1);

    /* bad values: the registration's own checks, nothing stored */
    r = zm_send(e, &w->a, "PATCH", "/api/v1/enterprise", "{\"email\":\"not-an-email\",\"industry\":\"66\"}");
    assert_non_null(zt_str(r, "error.fields.email"));
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM enterprise WHERE id = %lld AND industry = '65'",
                               (long long)w->ent_a), 1);
    zt_expect(zm_send(e, &w->a, "PATCH", "/api/v1/enterprise", "{\"status\":\"approved\"}"), 400, "validation_failed");

    /* name, USCC and district go to the bureau (test_changes.c); the rest applies at once */
    r = zm_send(e, &w->a, "PATCH", "/api/v1/enterprise", "{\"name\":\"福州丙科技有限公司\",\"address\":\"别处\"}");
    if (r->status != 200) fail_msg("%d %s", r->status, r->body);
    assert_string_equal(zt_str(r, "name"), "福州甲科技有限公司");
    assert_string_equal(zt_str(r, "pending_change.fields.name"), "福州丙科技有限公司");
    zt_resp_free(r);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM enterprise WHERE name = '福州甲科技有限公司'"
                                  " AND address = '别处'"), 1);
    assert_int_equal(zm_audits(e, "enterprise.update"), 2);
    assert_int_equal(zm_audits(e, "enterprise.change.submit"), 1);
    /* enterprise B's PATCH touches only B */
    zt_expect(zm_send(e, &w->b, "PATCH", "/api/v1/enterprise", "{\"address\":\"乙地址\"}"), 200, NULL);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM enterprise WHERE address = '乙地址' AND id = %lld",
                               (long long)w->ent_b), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_enterprise_and_completeness, setup, teardown),
        cmocka_unit_test_setup_teardown(test_section_crud, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_store_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_record_per_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_without_profile_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_patch_basic, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
