/*
 * test_changes.c — name / USCC / district changes (manual 9.1): PATCH
 * /api/v1/enterprise opens, amends or withdraws the one pending request
 * while the values in force stay; the bureau lists, approves (the values
 * change, in one transaction with the audit record) or rejects with a
 * reason the firm sees. District staff decide their district's requests
 * only; bad input and stale decisions change nothing. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client a, city, gulou, taijiang;
    int64_t ent_a, ent_c;
    char uscc_new[19], uscc_c[19];
} world;

#define NAME_A "福州甲科技有限公司"
#define NAME_NEW "福州甲智能科技有限公司"

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    zt_env *e = w->e = zt_start();
    w->ent_a = zm_enterprise(e, &w->a, NAME_A, "13900000001", NULL); /* district 350102 */
    zt_execf(e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'private')", (long long)w->ent_a);
    w->ent_c = zt_make_enterprise(e, "福州丙贸易有限公司", "350103", "approved", 0);
    zt_uscc("91350102MA2XY0001", w->uscc_new);
    zt_uscc("91350103MA2XY0002", w->uscc_c);
    zt_execf(e, "UPDATE enterprise SET uscc = '%s' WHERE id = %lld", w->uscc_c, (long long)w->ent_c);
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(e, "gulou1", "district", "350102", ZT_PASSWORD);
    zt_make_staff(e, "taijiang1", "district", "350103", ZT_PASSWORD);
    zt_staff_login(e, &w->city, "city1", ZT_PASSWORD);
    zt_staff_login(e, &w->gulou, "gulou1", ZT_PASSWORD);
    zt_staff_login(e, &w->taijiang, "taijiang1", ZT_PASSWORD);
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

/* PATCHes body as the legal rep, expects 200; returns the pending change id (0 if none). */
static long long patch_ok(world *w, const char *body)
{
    zt_resp *r = zm_send(w->e, &w->a, "PATCH", "/api/v1/enterprise", "%s", body);
    if (r->status != 200) fail_msg("PATCH %s → %d %s", body, r->status, r->body);
    assert_string_equal(zt_str(r, "name"), NAME_A); /* never changed by the firm itself */
    json_t *pc = zt_json(r, "pending_change");
    long long id = pc && json_is_object(pc) ? zt_int(r, "pending_change.id") : 0;
    zt_resp_free(r);
    return id;
}

static long long pending(world *w)
{
    return zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_change WHERE enterprise_id = %lld AND status = 'pending'",
                     (long long)w->ent_a);
}

static void test_submit_and_approve(void **st)
{
    world *w = *st;
    long long id = patch_ok(w, "{\"name\":\"" NAME_NEW "\",\"region\":\"350103\",\"address\":\"福州市台江区1号\"}");
    assert_true(id > 0);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise WHERE id = %lld AND name = '" NAME_A "'"
                                     " AND region = '350102' AND address = '福州市台江区1号'", (long long)w->ent_a), 1);
    zt_resp *r = zt_get(w->e, &w->a, "/api/v1/enterprise");
    assert_string_equal(zt_str(r, "pending_change.status"), "pending");
    assert_string_equal(zt_str(r, "pending_change.fields.name"), NAME_NEW);
    assert_string_equal(zt_str(r, "pending_change.fields.region"), "350103");
    assert_string_equal(zt_str(r, "pending_change.fields.region_name"), "台江区");
    assert_null(zt_json(r, "pending_change.fields.uscc"));
    zt_resp_free(r);

    /* the district in force decides: Taijiang sees nothing yet */
    char path[128];
    r = zt_get(w->e, &w->taijiang, "/api/v1/admin/enterprise-changes");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    snprintf(path, sizeof path, "/api/v1/admin/enterprise-changes/%lld", id);
    zt_expect(zt_get(w->e, &w->taijiang, path), 404, "not_found");
    snprintf(path, sizeof path, "/api/v1/admin/enterprise-changes/%lld/approve", id);
    zt_expect(zt_post(w->e, &w->taijiang, path, "{}"), 404, "not_found");
    assert_int_equal(pending(w), 1);

    r = zt_get(w->e, &w->gulou, "/api/v1/admin/enterprise-changes?status=pending");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), id);
    assert_string_equal(zt_str(r, "items.0.enterprise_name"), NAME_A);
    assert_string_equal(zt_str(r, "items.0.fields.name"), NAME_NEW);
    assert_string_equal(zt_str(r, "items.0.fields.region_name"), "台江区");
    assert_string_equal(zt_str(r, "items.0.old.name"), NAME_A);
    assert_string_equal(zt_str(r, "items.0.old.region_name"), "鼓楼区");
    assert_non_null(zt_str(r, "items.0.submitted_by_name"));
    zt_resp_free(r);

    r = zt_post(w->e, &w->gulou, path, "{}");
    if (r->status != 200) fail_msg("approve → %d %s", r->status, r->body);
    assert_string_equal(zt_str(r, "status"), "approved");
    assert_non_null(zt_str(r, "reviewer_name"));
    assert_non_null(zt_str(r, "reviewed_at"));
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise WHERE id = %lld AND name = '" NAME_NEW "'"
                                     " AND region = '350103'", (long long)w->ent_a), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.change.approve'"
                                     " AND region = '350102' AND detail LIKE '%%" NAME_NEW "%%'"), 1);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise");
    assert_string_equal(zt_str(r, "name"), NAME_NEW);
    assert_true(json_is_null(zt_json(r, "pending_change")));
    zt_resp_free(r);
    /* decided once */
    r = zt_post(w->e, &w->city, path, "{}");
    zt_expect(r, 409, "conflict");
    assert_int_equal(zm_audits(w->e, "enterprise.change.approve"), 1);
}

static void test_amend_and_withdraw(void **st)
{
    world *w = *st;
    char body[128];
    long long id = patch_ok(w, "{\"name\":\"" NAME_NEW "\"}");
    snprintf(body, sizeof body, "{\"uscc\":\"%s\"}", w->uscc_new);
    assert_int_equal(patch_ok(w, body), id); /* the same request, amended */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_change WHERE id = %lld AND new_name = '" NAME_NEW
                                     "' AND new_uscc = '%s' AND new_region IS NULL", id, w->uscc_new), 1);
    /* sending the value in force drops that field from the request */
    assert_int_equal(patch_ok(w, "{\"name\":\"" NAME_A "\"}"), id);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_change WHERE id = %lld AND new_name IS NULL", id), 1);
    /* nothing left: withdrawn */
    zt_resp *r = zt_get(w->e, &w->a, "/api/v1/enterprise");
    const char *uscc_now = zt_str(r, "uscc");
    snprintf(body, sizeof body, "{\"uscc\":\"%s\"}", uscc_now);
    zt_resp_free(r);
    assert_int_equal(patch_ok(w, body), 0);
    assert_int_equal(pending(w), 0);
    assert_int_equal(zm_audits(w->e, "enterprise.change.submit"), 1);
    assert_int_equal(zm_audits(w->e, "enterprise.change.update"), 2);
    assert_int_equal(zm_audits(w->e, "enterprise.change.withdraw"), 1);
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprise-changes");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
}

static void test_reject(void **st)
{
    world *w = *st;
    long long id = patch_ok(w, "{\"name\":\"" NAME_NEW "\"}");
    char path[128];
    snprintf(path, sizeof path, "/api/v1/admin/enterprise-changes/%lld/reject", id);
    zt_resp *r = zt_post(w->e, &w->city, path, "{}");
    assert_non_null(strstr(zt_str(r, "error.fields.reason"), "驳回原因"));
    zt_expect(r, 400, "validation_failed");
    zt_expect(zt_post(w->e, &w->city, path, "{\"reason\":\"   \"}"), 400, "validation_failed");
    zt_expect(zt_post(w->e, &w->city, path, "{\"reason\":\"x\",\"status\":\"approved\"}"), 400, "validation_failed");
    assert_int_equal(pending(w), 1);
    assert_int_equal(zm_audits(w->e, "enterprise.change.reject"), 0);

    r = zt_post(w->e, &w->city, path, "{\"reason\":\"新名称与营业执照不一致\"}");
    if (r->status != 200) fail_msg("reject → %d %s", r->status, r->body);
    assert_string_equal(zt_str(r, "status"), "rejected");
    assert_string_equal(zt_str(r, "reject_reason"), "新名称与营业执照不一致");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise WHERE name = '" NAME_A "'"), 1);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise");
    assert_string_equal(zt_str(r, "pending_change.status"), "rejected");
    assert_string_equal(zt_str(r, "pending_change.reject_reason"), "新名称与营业执照不一致");
    zt_resp_free(r);
    r = zt_get(w->e, &w->gulou, "/api/v1/admin/enterprise-changes?status=rejected");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->gulou, "/api/v1/admin/enterprise-changes?status=bogus");
    assert_non_null(zt_str(r, "error.fields.status"));
    zt_expect(r, 400, "validation_failed");
    /* a rejected firm may ask again */
    assert_true(patch_ok(w, "{\"name\":\"福州甲新能源科技有限公司\"}") > id);
}

static void test_bad_input(void **st)
{
    world *w = *st;
    zt_resp *r = zm_send(w->e, &w->a, "PATCH", "/api/v1/enterprise", "{\"uscc\":\"123\",\"address\":\"别处\"}");
    assert_non_null(zt_str(r, "error.fields.uscc"));
    zt_expect(r, 400, "validation_failed");
    r = zm_send(w->e, &w->a, "PATCH", "/api/v1/enterprise", "{\"region\":\"999999\"}");
    assert_non_null(zt_str(r, "error.fields.region"));
    zt_expect(r, 400, "validation_failed");
    r = zm_send(w->e, &w->a, "PATCH", "/api/v1/enterprise", "{\"name\":\"\"}");
    zt_expect(r, 400, "validation_failed");
    /* another live firm's USCC: refused now, with the field */
    r = zm_send(w->e, &w->a, "PATCH", "/api/v1/enterprise", "{\"uscc\":\"%s\",\"address\":\"别处\"}", w->uscc_c);
    assert_non_null(zt_str(r, "error.fields.uscc"));
    zt_expect(r, 409, "uscc_registered");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_change"), 0);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise WHERE address = '别处'"), 0);
    assert_int_equal(zm_audits(w->e, "enterprise.update"), 0);

    /* approval re-checks: the USCC was taken in the meantime */
    char body[64];
    snprintf(body, sizeof body, "{\"uscc\":\"%s\"}", w->uscc_new);
    long long id = patch_ok(w, body);
    zt_execf(w->e, "UPDATE enterprise SET uscc = '%s' WHERE id = %lld", w->uscc_new, (long long)w->ent_c);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/admin/enterprise-changes/%lld/approve", id);
    zt_expect(zt_post(w->e, &w->city, path, "{\"x\":1}"), 400, "validation_failed");
    r = zt_post(w->e, &w->city, path, "{}");
    zt_expect(r, 409, "uscc_registered");
    assert_int_equal(pending(w), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise WHERE id = %lld AND uscc = '%s'",
                               (long long)w->ent_a, w->uscc_new), 0);
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/enterprise-changes/999999"), 404, "not_found");
    zt_expect(zt_post(w->e, &w->city, "/api/v1/admin/enterprise-changes/abc/approve", "{}"), 404, "not_found");
}

static void test_access(void **st)
{
    world *w = *st;
    long long id = patch_ok(w, "{\"name\":\"" NAME_NEW "\"}");
    char path[128];
    snprintf(path, sizeof path, "/api/v1/admin/enterprise-changes/%lld/approve", id);
    /* enterprise users are not the bureau */
    zt_expect(zt_get(w->e, &w->a, "/api/v1/admin/enterprise-changes"), 403, "forbidden");
    zt_expect(zt_post(w->e, &w->a, path, "{}"), 403, "forbidden");
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_get(w->e, &anon, "/api/v1/admin/enterprise-changes"), 401, "unauthenticated");
    /* a member without profile.edit cannot ask */
    zt_client reader;
    zm_member_with(w->e, &reader, w->ent_a, "13900000009", "policy.view", NULL);
    zm_expect_no_perm(zm_send(w->e, &reader, "PATCH", "/api/v1/enterprise", "{\"name\":\"福州甲乙科技有限公司\"}"));
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_change WHERE new_name = '福州甲乙科技有限公司'"), 0);
    assert_int_equal(pending(w), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_submit_and_approve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amend_and_withdraw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reject, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
