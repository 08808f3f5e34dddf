/*
 * test_staff_roles.c — the bureau's 角色管理 (issue 10.1): the permission
 * catalogue, role create/edit/delete (happy path, bad input storing
 * nothing, staff.manage only, a role in use 409, built-in roles
 * protected), staff accounts with role_ids and a scope, and what a
 * session then may do (/auth/me perms). SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_reg.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client admin, city, district;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    zr_staff(w->e, &w->admin, "admin", "super", NULL);
    zr_staff(w->e, &w->city, "city", "city", NULL);
    zr_staff(w->e, &w->district, "gulou", "district", "350102");
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

#define ROLES "/api/v1/admin/staff-roles"

static long long roles(world *w)
{
    return zt_count(w->e, "SELECT COUNT(*) FROM staff_role_def");
}

static long long builtin_id(world *w, const char *b)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM staff_role_def WHERE builtin = '%s'", b);
    return zt_count(w->e, sql);
}

static void test_catalogue_and_builtins(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->admin, "/api/v1/admin/staff-permissions");
    assert_int_equal(r->status, 200);
    assert_true(json_array_size(zt_json(r, "items")) >= 20);
    assert_string_equal(zt_str(r, "items.0.code"), "registration.review");
    assert_string_equal(zt_str(r, "items.0.label"), "审核企业注册");
    assert_non_null(zt_str(r, "items.0.group"));
    zt_resp_free(r);

    r = zt_get(w->e, &w->admin, ROLES);
    assert_int_equal(r->status, 200);
    json_t *items = zt_json(r, "items");
    assert_int_equal(json_array_size(items), 5);
    assert_string_equal(zt_str(r, "items.0.name"), "系统管理员");
    assert_true(json_is_false(zt_json(r, "items.0.editable")));
    assert_true(json_is_false(zt_json(r, "items.0.deletable")));
    assert_true(json_array_size(zt_json(r, "items.0.permissions")) >= 20);
    assert_string_equal(zt_str(r, "items.4.name"), "审计员");
    assert_int_equal(json_array_size(zt_json(r, "items.4.permissions")), 1);
    assert_string_equal(zt_str(r, "items.4.permissions.0"), "audit.view");
    assert_int_equal(zt_int(r, "items.0.staff_count"), 1);
    zt_resp_free(r);

    /* /auth/me tells the console what to show */
    r = zt_get(w->e, &w->district, "/api/v1/auth/me");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "user.region"), "350102");
    json_t *perms = zt_json(r, "user.perms");
    bool has_review = false, has_staff = false;
    for (size_t i = 0; i < json_array_size(perms); i++) {
        const char *p = json_string_value(json_array_get(perms, i));
        has_review |= strcmp(p, "registration.review") == 0;
        has_staff |= strcmp(p, "staff.manage") == 0;
    }
    assert_true(has_review);
    assert_false(has_staff);
    zt_resp_free(r);
}

/* The session's perms are the union of the account's roles, each code
 * once and in order; a role granting everything wins over the others. */
static void test_perms_union(void **st)
{
    world *w = *st;
    zt_resp *r = zt_post(w->e, &w->admin, ROLES, "{\"name\":\"政策专员\",\"permissions\":[\"policy.publish\",\"notice.publish\"]}");
    assert_int_equal(r->status, 201);
    long long a = zt_int(r, "id");
    zt_resp_free(r);
    r = zt_post(w->e, &w->admin, ROLES, "{\"name\":\"公告审计\",\"permissions\":[\"notice.publish\",\"audit.view\"]}");
    assert_int_equal(r->status, 201);
    long long b = zt_int(r, "id");
    zt_resp_free(r);
    long long city = zt_count(w->e, "SELECT id FROM staff WHERE username = 'city'");
    zt_execf(w->e, "DELETE FROM staff_role_grant WHERE staff_id = %lld", city);
    zt_execf(w->e, "INSERT INTO staff_role_grant(staff_id, role_id) VALUES (%lld, %lld), (%lld, %lld)", city, a, city, b);
    r = zt_get(w->e, &w->city, "/api/v1/auth/me");
    assert_int_equal(r->status, 200);
    json_t *perms = zt_json(r, "user.perms");
    assert_int_equal(json_array_size(perms), 3);
    assert_string_equal(json_string_value(json_array_get(perms, 0)), "audit.view");
    assert_string_equal(json_string_value(json_array_get(perms, 1)), "notice.publish");
    assert_string_equal(json_string_value(json_array_get(perms, 2)), "policy.publish");
    zt_resp_free(r);
    /* with 系统管理员 among them: everything */
    zt_execf(w->e, "INSERT INTO staff_role_grant(staff_id, role_id) VALUES (%lld, %lld)", city, builtin_id(w, "super"));
    r = zt_get(w->e, &w->city, "/api/v1/auth/me");
    assert_int_equal(r->status, 200);
    assert_true(json_array_size(zt_json(r, "user.perms")) >= 20);
    zt_resp_free(r);
    /* without any role: nothing, and a bureau page refuses */
    zt_execf(w->e, "DELETE FROM staff_role_grant WHERE staff_id = %lld", city);
    r = zt_get(w->e, &w->city, "/api/v1/auth/me");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "user.perms")), 0);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises");
    assert_int_equal(r->status, 403);
    zt_resp_free(r);
}

static void test_crud(void **st)
{
    world *w = *st;
    long long n = roles(w), audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'staff_role.%'");
    zt_resp *r = zt_post(w->e, &w->admin, ROLES, "{\"name\":\"政策专员\",\"permissions\":[\"policy.publish\",\"notice.publish\"]}");
    assert_int_equal(r->status, 201);
    long long id = zt_int(r, "id");
    zt_resp_free(r);
    assert_int_equal(roles(w), n + 1);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM staff_role_perm WHERE role_id = %lld", id), 2);

    char path[64];
    snprintf(path, sizeof path, ROLES "/%lld", id);
    r = zt_req(w->e, &w->admin, "PUT", path, "{\"name\":\"政策与公告\",\"permissions\":[\"policy.publish\"]}", NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM staff_role_perm WHERE role_id = %lld", id), 1);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM staff_role_def WHERE id = %lld AND name = '政策与公告'", id), 1);

    r = zt_req(w->e, &w->admin, "DELETE", path, NULL, NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(roles(w), n);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM staff_role_perm WHERE role_id = %lld", id), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'staff_role.%'"), audits + 3);
}

static void test_bad_input_stores_nothing(void **st)
{
    world *w = *st;
    long long n = roles(w), perms = zt_count(w->e, "SELECT COUNT(*) FROM staff_role_perm");
    zt_resp *r = zt_post(w->e, &w->admin, ROLES, "{\"name\":\"\",\"permissions\":[]}");
    zt_expect(r, 400, "validation_failed");
    r = zt_post(w->e, &w->admin, ROLES, "{\"name\":\"甲\",\"permissions\":[\"nope.nope\"]}");
    assert_int_equal(r->status, 400);
    assert_non_null(strstr(zt_str(r, "error.fields.permissions"), "未知的权限"));
    zt_resp_free(r);
    r = zt_post(w->e, &w->admin, ROLES, "{\"name\":\"甲\",\"permissions\":[\"audit.view\"],\"extra\":1}");
    zt_expect(r, 400, "validation_failed");
    r = zt_post(w->e, &w->admin, ROLES, "{\"name\":\"审计员\",\"permissions\":[\"audit.view\"]}");
    assert_int_equal(r->status, 409);
    assert_string_equal(zt_str(r, "error.fields.name"), "该角色名称已存在");
    zt_resp_free(r);
    r = zt_post(w->e, &w->admin, ROLES,
                "{\"name\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\",\"permissions\":[\"audit.view\"]}");
    zt_expect(r, 400, "validation_failed");
    zt_expect(zt_req(w->e, &w->admin, "PUT", ROLES "/999999", "{\"name\":\"乙\",\"permissions\":[\"audit.view\"]}", NULL), 404,
              "not_found");
    assert_int_equal(roles(w), n);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM staff_role_perm"), perms);
}

static void test_manage_only_and_protected(void **st)
{
    world *w = *st;
    long long n = roles(w);
    /* city staff hold no staff.manage: refused and audited */
    long long denied = zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'");
    zt_expect(zt_post(w->e, &w->city, ROLES, "{\"name\":\"甲\",\"permissions\":[\"audit.view\"]}"), 403, "forbidden");
    zt_expect(zt_get(w->e, &w->district, ROLES), 403, "forbidden");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"), denied + 2);
    assert_int_equal(roles(w), n);

    char path[64];
    snprintf(path, sizeof path, ROLES "/%lld", builtin_id(w, "super"));
    zt_expect(zt_req(w->e, &w->admin, "PUT", path, "{\"name\":\"管理员\",\"permissions\":[\"audit.view\"]}", NULL), 422,
              "business_rule");
    zt_expect(zt_req(w->e, &w->admin, "DELETE", path, NULL, NULL), 422, "business_rule");
    snprintf(path, sizeof path, ROLES "/%lld", builtin_id(w, "auditor"));
    zt_expect(zt_req(w->e, &w->admin, "DELETE", path, NULL, NULL), 422, "business_rule");
    assert_int_equal(roles(w), n);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM staff_role_def WHERE builtin = 'super' AND name = '系统管理员'"), 1);

    /* a role in use cannot be deleted */
    zt_resp *r = zt_post(w->e, &w->admin, ROLES, "{\"name\":\"外贸专员\",\"permissions\":[\"trade.manage\"]}");
    long long id = zt_int(r, "id");
    zt_resp_free(r);
    char body[256];
    snprintf(body, sizeof body, "{\"username\":\"trade1\",\"phone\":\"13700009001\",\"role_ids\":[%lld],\"region\":\"\"}", id);
    r = zt_post(w->e, &w->admin, "/api/v1/admin/staff", body);
    assert_int_equal(r->status, 201);
    zt_resp_free(r);
    snprintf(path, sizeof path, ROLES "/%lld", id);
    r = zt_req(w->e, &w->admin, "DELETE", path, NULL, NULL);
    assert_int_equal(r->status, 409);
    assert_non_null(strstr(zt_str(r, "error.message"), "1 个账号"));
    zt_resp_free(r);
    assert_int_equal(roles(w), n + 1);
}

static void test_staff_with_role_ids(void **st)
{
    world *w = *st;
    long long city_role = builtin_id(w, "city"), auditor = builtin_id(w, "auditor");
    char body[256];
    /* roles and a district scope */
    snprintf(body, sizeof body,
             "{\"username\":\"mixed\",\"name\":\"王五\",\"phone\":\"13700009002\",\"role_ids\":[%lld,%lld],\"region\":\"350102\"}",
             city_role, auditor);
    zt_resp *r = zt_post(w->e, &w->admin, "/api/v1/admin/staff", body);
    assert_int_equal(r->status, 201);
    long long id = zt_int(r, "staff.id");
    assert_string_equal(zt_str(r, "staff.region"), "350102");
    assert_string_equal(zt_str(r, "staff.role"), "district");
    assert_int_equal(json_array_size(zt_json(r, "staff.roles")), 2);
    zt_resp_free(r);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM staff_role_grant WHERE staff_id = %lld", id), 2);

    /* bad input stores nothing */
    long long staff = zt_count(w->e, "SELECT COUNT(*) FROM staff"), grants = zt_count(w->e, "SELECT COUNT(*) FROM staff_role_grant");
    r = zt_post(w->e, &w->admin, "/api/v1/admin/staff", "{\"username\":\"bad1\",\"phone\":\"13700009003\",\"role_ids\":[999999]}");
    assert_int_equal(r->status, 400);
    assert_string_equal(zt_str(r, "error.fields.role_ids"), "所选角色不存在");
    zt_resp_free(r);
    r = zt_post(w->e, &w->admin, "/api/v1/admin/staff", "{\"username\":\"bad2\",\"phone\":\"13700009004\",\"role_ids\":[]}");
    assert_int_equal(r->status, 400);
    assert_string_equal(zt_str(r, "error.fields.role_ids"), "请至少选择一个角色");
    zt_resp_free(r);
    snprintf(body, sizeof body, "{\"username\":\"bad3\",\"phone\":\"13700009005\",\"role_ids\":[%lld],\"region\":\"999999\"}", auditor);
    r = zt_post(w->e, &w->admin, "/api/v1/admin/staff", body);
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.region"));
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM staff"), staff);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM staff_role_grant"), grants);

    /* update: one role, city-wide */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/admin/staff/%lld", id);
    snprintf(body, sizeof body, "{\"role_ids\":[%lld],\"region\":\"\"}", auditor);
    r = zt_req(w->e, &w->admin, "PUT", path, body, NULL);
    assert_int_equal(r->status, 200);
    assert_null(zt_str(r, "staff.region"));
    assert_string_equal(zt_str(r, "staff.role"), "city");
    assert_string_equal(zt_str(r, "staff.roles.0.name"), "审计员");
    zt_resp_free(r);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM staff_role_grant WHERE staff_id = %lld", id), 1);
    r = zt_req(w->e, &w->admin, "PUT", path, "{\"role_ids\":[0]}", NULL);
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM staff_role_grant WHERE staff_id = %lld", id), 1);

    /* the legacy role field still maps to the built-in roles */
    r = zt_req(w->e, &w->admin, "PUT", path, "{\"role\":\"district\",\"region\":\"350103\"}", NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "staff.roles.0.name"), "区级业务员");
    assert_int_equal(json_array_size(zt_json(r, "staff.roles")), 1);
    zt_resp_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_catalogue_and_builtins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crud, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manage_only_and_protected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_with_role_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_perms_union, setup, teardown),
    };
    return cmocka_run_group_tests_name("staff_roles", tests, NULL, NULL);
}
