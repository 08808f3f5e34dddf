/*
 * test_roles.c — API tests of enterprise roles and the permission gate
 * (manual 9.3): the permission matrix over the whole route table (a member
 * whose role lacks a permission is refused on every route that declares it,
 * one holding it passes), the catalogue, default roles, role CRUD with
 * validation that stores nothing, a role in use cannot be deleted, a
 * member's permissions follow their role at once, nobody but the legal rep
 * grants what they lack, and enterprise A never reads or changes B's roles
 * (404). SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/zt_routes.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "app/routes.h"
#include "db/db.h"
#include "member/member.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client lr_a, lr_b;       /* legal reps of A and B */
    int64_t ent_a, ent_b, lr_a_id, lr_b_id;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zm_enterprise(w->e, &w->lr_a, "福州甲贸易有限公司", "13900000001", &w->lr_a_id);
    w->ent_b = zm_enterprise(w->e, &w->lr_b, "福州乙贸易有限公司", "13900000002", &w->lr_b_id);
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

static const char *role_path(int64_t id)
{
    static char buf[96];
    snprintf(buf, sizeof buf, "/api/v1/enterprise/roles/%lld", (long long)id);
    return buf;
}

/* index of the item with "name" == name in r's items, -1 if none */
static int item_named(const zt_resp *r, const char *name)
{
    json_t *items = zt_json(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        const char *n = json_string_value(json_object_get(json_array_get(items, i), "name"));
        if (n && strcmp(n, name) == 0) return (int)i;
    }
    return -1;
}

/* the permissions of JSON role object v, space-joined */
static const char *perms_of(json_t *role)
{
    static char buf[512];
    size_t o = 0;
    buf[0] = '\0';
    json_t *a = json_object_get(role, "permissions");
    for (size_t i = 0; i < json_array_size(a); i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? " " : "", json_string_value(json_array_get(a, i)));
    return buf;
}

/* ---- the matrix over the route table ---- */


/* Every catalogue permission except the alternatives in perm (static). */
static const char *all_but_any(const member_perm *cat, size_t ncat, const char *perm)
{
    static char out[1024];
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ncat; i++)
        if (!zw_names_alternative(perm, cat[i].code))
            o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? " " : "", cat[i].code);
    return out;
}

/* The gate lets c through (whatever the handler then says of the body). */
static void expect_through(world *w, zt_client *c, const char *m, const zq_route *rt, const char *body)
{
    zt_resp *r = zt_req(w->e, c, m, zw_concrete(rt->pattern, 987654321), body, NULL);
    const char *msg = zt_str(r, "error.message");
    if (r->status == 401 || (r->status == 403 && msg && strstr(msg, "没有该权限")))
        fail_msg("%s %s refused although the role holds %s: %s", m, rt->pattern, rt->perm, r->body);
    zt_resp_free(r);
}

static void test_route_table_matrix(void **st)
{
    world *w = *st;
    size_t ncat;
    const member_perm *cat = member_perms(&ncat);
    zt_client *without = calloc(ncat, sizeof *without), *with = calloc(ncat, sizeof *with);
    zt_client everything;   /* every catalogue permission, but not the legal rep */
    zm_member_with(w->e, &everything, w->ent_a, "13800000099", ZM_ALL_PERMS, NULL);
    for (size_t i = 0; i < ncat; i++) {
        char phone[16];
        snprintf(phone, sizeof phone, "1380000%04zu", 100 + i);
        zm_member_with(w->e, &without[i], w->ent_a, phone, zm_all_but(cat[i].code), NULL);
        snprintf(phone, sizeof phone, "1380000%04zu", 200 + i);
        zm_member_with(w->e, &with[i], w->ent_a, phone, cat[i].code, NULL);
    }
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    long long roles = zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role");
    long long members = zt_count(w->e, "SELECT COUNT(*) FROM membership WHERE status = 'active'");
    int checked = 0, role_routes_seen = 0, employee_routes_seen = 0, legal_rep_routes_seen = 0;
    for (size_t g = 0; g < zq_all_route_groups_n; g++) {
        const zq_route_group *grp = zq_all_route_groups[g];
        for (size_t k = 0; k < grp->n; k++) {
            const zq_route *rt = &grp->routes[k];
            if (rt->access != ZQ_ACCESS_MEMBER || !rt->perm) continue;
            const char *m = zw_method_of(rt->methods);
            assert_non_null(m);
            const char *body = strcmp(m, "GET") == 0 ? NULL : "{}";
            zt_client *no, *yes;
            zt_client none_of;
            if (strchr(rt->perm, '|')) {
                /* alternatives: a member holding none of them is refused,
                 * a member holding any single one of them gets through */
                static int extra;
                char phone[16];
                snprintf(phone, sizeof phone, "1380001%04d", extra++);
                zm_member_with(w->e, &none_of, w->ent_a, phone, all_but_any(cat, ncat, rt->perm), NULL);
                zm_expect_no_perm(zt_req(w->e, &none_of, m, zw_concrete(rt->pattern, 987654321), body, NULL));
                for (size_t i = 0; i < ncat; i++) {
                    if (!zw_names_alternative(rt->perm, cat[i].code)) continue;
                    expect_through(w, &with[i], m, rt, body);
                }
                /* the member made here is not a change the requests made */
                members = zt_count(w->e, "SELECT COUNT(*) FROM membership WHERE status = 'active'");
                roles = zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE is_default = 0");
                checked++;
                continue;
            }
            if (strcmp(rt->perm, MEMBER_PERM_LEGAL_REP) == 0) {
                /* the legal rep's own routes: no role reaches them */
                no = &everything;
                yes = &w->lr_a;
                legal_rep_routes_seen++;
            } else {
                size_t i = 0;
                while (i < ncat && strcmp(cat[i].code, rt->perm) != 0) i++;
                if (i == ncat) fail_msg("route %s names unknown permission %s", rt->pattern, rt->perm);
                no = &without[i];
                yes = &with[i];
            }
            zm_expect_no_perm(zt_req(w->e, no, m, zw_concrete(rt->pattern, 987654321), body, NULL));
            expect_through(w, yes, m, rt, body);
            checked++;
            if (strcmp(rt->perm, "role.manage") == 0) role_routes_seen++;
            if (strcmp(rt->perm, "employee.manage") == 0) employee_routes_seen++;
        }
    }
    /* today: 4 role routes, 4 employee routes + role options + 3 join-request routes */
    assert_true(role_routes_seen >= 4);
    assert_true(employee_routes_seen >= 8);
    assert_true(legal_rep_routes_seen >= 1);
    assert_true(checked >= 13);
    /* refusals stored nothing (the GET of roles by a holder may seed the defaults: not counted) */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE is_default = 0"), roles);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM membership WHERE status = 'active'"), members);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action NOT IN ('role.defaults', 'access.denied')"), audits);
    /* …but each refusal is in the audit log */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND result = 'denied'"), checked);
    free(without);
    free(with);
}

/* A member's permissions are exactly their role's: the specific routes. */
static void test_role_manage_matrix(void **st)
{
    world *w = *st;
    zt_client no, yes;
    int64_t victim = zm_role(w->e, w->ent_a, "待删角色", "policy.view");
    zm_member_with(w->e, &no, w->ent_a, "13800000301", zm_all_but("role.manage"), NULL);
    zm_member_with(w->e, &yes, w->ent_a, "13800000302", "role.manage", NULL);

    zm_expect_no_perm(zt_get(w->e, &no, "/api/v1/enterprise/roles"));
    zm_expect_no_perm(zm_send(w->e, &no, "POST", "/api/v1/enterprise/roles", "{\"name\":\"新角色\",\"permissions\":[]}"));
    zm_expect_no_perm(zm_send(w->e, &no, "PUT", role_path(victim), "{\"name\":\"改名\",\"permissions\":[]}"));
    zm_expect_no_perm(zm_send(w->e, &no, "DELETE", role_path(victim), NULL));
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE name = '待删角色'"), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE name IN ('新角色', '改名')"), 0);

    zt_resp *r = zt_get(w->e, &yes, "/api/v1/enterprise/roles");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zm_send(w->e, &yes, "POST", "/api/v1/enterprise/roles", "{\"name\":\"新角色\",\"permissions\":[\"role.manage\"]}");
    assert_int_equal(r->status, 201);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    /* policy.view is not the caller's: the victim role cannot be touched */
    zt_expect(zm_send(w->e, &yes, "PUT", role_path(victim), "{\"name\":\"改名\",\"permissions\":[]}"), 403, "forbidden");
    r = zm_send(w->e, &yes, "PUT", role_path(id), "{\"name\":\"改名\",\"permissions\":[]}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zm_send(w->e, &yes, "DELETE", role_path(id), NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
}

/* ---- catalogue and defaults ---- */

static void test_permission_catalogue(void **st)
{
    world *w = *st;
    static const char *const want[][2] = {
        {"policy.view", "查看政策"},      {"subscription.manage", "管理订阅"}, {"trade.report", "外贸数据上报"},
        {"declaration.submit", "项目申报"}, {"survey.answer", "问卷填写"},     {"consult.submit", "咨询建议"},
        {"profile.edit", "编辑企业信息"}, {"employee.manage", "员工管理"},     {"role.manage", "角色管理"},
    };
    zt_resp *r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/permissions");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 9);
    for (int i = 0; i < 9; i++) {
        char p[48];
        snprintf(p, sizeof p, "items.%d.code", i);
        assert_string_equal(zt_str(r, p), want[i][0]);
        snprintf(p, sizeof p, "items.%d.name", i);
        assert_string_equal(zt_str(r, p), want[i][1]);
        snprintf(p, sizeof p, "items.%d.granted", i);
        assert_true(json_is_true(zt_json(r, p)));   /* the legal rep holds everything */
    }
    zt_resp_free(r);

    zt_client ro;
    zm_member(w->e, w->ent_a, "13800000401", zm_default_role(w->e, w->ent_a, "只读"));
    zm_session(w->e, &ro, zt_countf(w->e, "SELECT id FROM app_user WHERE phone = '13800000401'"), w->ent_a);
    r = zt_get(w->e, &ro, "/api/v1/enterprise/permissions");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "items.0.granted")));
    for (int i = 1; i < 9; i++) {
        char p[48];
        snprintf(p, sizeof p, "items.%d.granted", i);
        assert_true(json_is_false(zt_json(r, p)));
    }
    zt_resp_free(r);
    assert_true(member_perm_known("role.manage"));
    assert_false(member_perm_known("role"));
    assert_false(member_perm_known("role.manage "));
    assert_string_equal(member_perm_all(), ZM_ALL_PERMS);
}

static void test_default_roles(void **st)
{
    world *w = *st;
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE enterprise_id = %lld", (long long)w->ent_a), 0);
    /* nobody wired approval to them here: the first look creates them, once */
    zt_resp *r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/roles");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 3);
    int a = item_named(r, "管理员"), b = item_named(r, "业务员"), c = item_named(r, "只读");
    assert_true(a >= 0 && b >= 0 && c >= 0);
    json_t *items = zt_json(r, "items");
    assert_string_equal(perms_of(json_array_get(items, (size_t)a)),
                        "policy.view subscription.manage trade.report declaration.submit survey.answer consult.submit"
                        " profile.edit employee.manage");
    assert_string_equal(perms_of(json_array_get(items, (size_t)b)),
                        "policy.view trade.report declaration.submit survey.answer consult.submit");
    assert_string_equal(perms_of(json_array_get(items, (size_t)c)), "policy.view");
    assert_true(json_is_true(json_object_get(json_array_get(items, (size_t)a), "is_default")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, (size_t)a), "member_count")), 0);
    assert_int_equal(zt_int(r, "page"), 1);
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "role.defaults"), 1);

    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/roles");
    assert_int_equal(zt_int(r, "total"), 3);
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "role.defaults"), 1);

    /* what the approval handler calls: idempotent, also in its own transaction */
    db_conn *db = db_pool_acquire(w->e->app->pool);
    assert_int_equal(member_create_default_roles(db, w->ent_a, 1), 0);
    assert_int_equal(member_create_default_roles(db, w->ent_b, 1), 3);
    assert_int_equal(member_create_default_roles(db, w->ent_b, 1), 0);
    db_pool_release(w->e->app->pool, db);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE enterprise_id = %lld", (long long)w->ent_b), 3);

    /* defaults can be changed but not deleted */
    int64_t ro = zm_default_role(w->e, w->ent_a, "只读");
    r = zm_send(w->e, &w->lr_a, "PUT", role_path(ro), "{\"name\":\"访客\",\"permissions\":[\"policy.view\",\"survey.answer\"]}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "name"), "访客");
    assert_true(json_is_true(zt_json(r, "is_default")));
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", role_path(ro), NULL), 409, "conflict");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE id = %lld", (long long)ro), 1);
}

/* ---- CRUD ---- */

static void test_role_crud(void **st)
{
    world *w = *st;
    zt_resp *r = zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/roles",
                         "{\"name\":\" 外贸专员 \",\"permissions\":[\"trade.report\",\"policy.view\",\"trade.report\"]}");
    assert_int_equal(r->status, 201);
    int64_t id = zt_int(r, "id");
    assert_string_equal(zt_str(r, "name"), "外贸专员");
    assert_string_equal(perms_of(r->json), "policy.view trade.report");   /* catalogue order, once */
    assert_true(json_is_false(zt_json(r, "is_default")));
    assert_int_equal(zt_int(r, "member_count"), 0);
    assert_non_null(strstr(zt_str(r, "created_at"), "+08:00"));
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "role.create"), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'role.create' AND object_id = '%lld'"
                                     " AND enterprise_id = %lld AND region = '350102'", (long long)id, (long long)w->ent_a),
                     1);

    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/roles");
    assert_int_equal(zt_int(r, "total"), 4);   /* with the three defaults */
    assert_true(item_named(r, "外贸专员") >= 0);
    zt_resp_free(r);

    r = zm_send(w->e, &w->lr_a, "PUT", role_path(id), "{\"name\":\"外贸主管\",\"permissions\":[\"trade.report\",\"employee.manage\"]}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "name"), "外贸主管");
    assert_string_equal(perms_of(r->json), "trade.report employee.manage");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role_perm WHERE role_id = %lld", (long long)id), 2);
    assert_int_equal(zm_audits(w->e, "role.update"), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'role.update'"
                                    " AND detail LIKE '%\"before\":{\"name\":\"外贸专员\"%'"), 1);

    /* an empty set is a valid role */
    r = zm_send(w->e, &w->lr_a, "PUT", role_path(id), "{\"name\":\"外贸主管\",\"permissions\":[]}");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "permissions")), 0);
    zt_resp_free(r);

    /* renaming onto another role's name */
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", role_path(id), "{\"name\":\"管理员\",\"permissions\":[]}"), 409, "conflict");

    r = zm_send(w->e, &w->lr_a, "DELETE", role_path(id), NULL);
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "deleted")));
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE id = %lld", (long long)id), 0);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role_perm WHERE role_id = %lld", (long long)id), 0);
    assert_int_equal(zm_audits(w->e, "role.delete"), 1);
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", role_path(id), NULL), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", role_path(id), "{\"name\":\"x\",\"permissions\":[]}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", "/api/v1/enterprise/roles/abc", NULL), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", "/api/v1/enterprise/roles/0", NULL), 404, "not_found");
}

static void test_role_bad_input_stores_nothing(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/roles"); /* defaults in place first */
    zt_resp_free(r);
    int64_t id = zm_default_role(w->e, w->ent_a, "业务员");
    long long roles = zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role");
    long long perms = zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role_perm");
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    static const char *const bad[][2] = {
        {"{\"permissions\":[]}", "name"},
        {"{\"name\":\"  \",\"permissions\":[]}", "name"},
        {"{\"name\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\",\"permissions\":[]}", "name"},
        {"{\"name\":\"a\\u0001b\",\"permissions\":[]}", "name"},
        {"{\"name\":42,\"permissions\":[]}", "name"},
        {"{\"name\":\"新角色\"}", "permissions"},
        {"{\"name\":\"新角色\",\"permissions\":\"policy.view\"}", "permissions"},
        {"{\"name\":\"新角色\",\"permissions\":[\"policy.view\",\"root\"]}", "permissions"},
        {"{\"name\":\"新角色\",\"permissions\":[1]}", "permissions"},
        {"{\"name\":\"新角色\",\"permissions\":[\"POLICY.VIEW\"]}", "permissions"},
        {"{\"name\":\"新角色\",\"permissions\":[],\"is_default\":true}", "is_default"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/roles", "%s", bad[i][0]);
        char f[64];
        snprintf(f, sizeof f, "error.fields.%s", bad[i][1]);
        if (!zt_str(r, f)) fail_msg("POST %s: no field error %s: %s", bad[i][0], bad[i][1], r->body);
        zt_expect(r, 400, "validation_failed");
        r = zm_send(w->e, &w->lr_a, "PUT", role_path(id), "%s", bad[i][0]);
        if (!zt_str(r, f)) fail_msg("PUT %s: no field error %s: %s", bad[i][0], bad[i][1], r->body);
        zt_expect(r, 400, "validation_failed");
    }
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/roles", "[]"), 400, "invalid_json");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/roles", "{\"name\":\"a\",\"name\":\"b\",\"permissions\":[]}"), 400,
              "invalid_json");
    /* a name a default role already has */
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/roles", "{\"name\":\"只读\",\"permissions\":[]}"), 409, "conflict");
    /* without the CSRF header */
    zt_client nocsrf = w->lr_a;
    nocsrf.csrf[0] = '\0';
    zt_expect(zm_send(w->e, &nocsrf, "POST", "/api/v1/enterprise/roles", "{\"name\":\"新角色\",\"permissions\":[]}"), 403, "csrf_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role"), roles);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role_perm"), perms);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log"), audits);
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/roles?page_size=0");
    zt_expect(r, 400, "validation_failed");
}

static void test_role_cap(void **st)
{
    world *w = *st;
    zm_default_role(w->e, w->ent_a, "只读");
    for (int i = 3; i < 50; i++) {
        char name[16];
        snprintf(name, sizeof name, "角色%02d", i);
        zm_role(w->e, w->ent_a, name, "");
    }
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/roles", "{\"name\":\"第五十一\",\"permissions\":[]}"), 422,
              "business_rule");
    zt_resp *r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/roles?page=2&page_size=20");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 50);
    assert_int_equal(json_array_size(zt_json(r, "items")), 20);
    zt_resp_free(r);
}

static void test_role_in_use_cannot_be_deleted(void **st)
{
    world *w = *st;
    int64_t id = zm_role(w->e, w->ent_a, "报关员", "trade.report");
    int64_t uid = zm_member(w->e, w->ent_a, "13800000501", id);
    zt_resp *r = zm_send(w->e, &w->lr_a, "DELETE", role_path(id), NULL);
    assert_int_equal(r->status, 409);
    assert_non_null(strstr(zt_str(r, "error.message"), "1 名员工"));
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE id = %lld", (long long)id), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role_perm WHERE role_id = %lld", (long long)id), 1);
    assert_int_equal(zm_audits(w->e, "role.delete"), 0);

    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/roles");
    int i = item_named(r, "报关员");
    assert_true(i >= 0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(zt_json(r, "items"), (size_t)i), "member_count")), 1);
    zt_resp_free(r);

    /* once the employee is removed the role is free */
    char p[96];
    snprintf(p, sizeof p, "/api/v1/enterprise/employees/%lld", (long long)uid);
    r = zm_send(w->e, &w->lr_a, "DELETE", p, NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zm_send(w->e, &w->lr_a, "DELETE", role_path(id), NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
}

/* ---- permissions follow the role ---- */

static void test_session_perms_follow_role(void **st)
{
    world *w = *st;
    zt_client m;
    int64_t rid = 0;
    zm_member_with(w->e, &m, w->ent_a, "13800000601", "policy.view", &rid);
    zm_expect_no_perm(zt_get(w->e, &m, "/api/v1/enterprise/employees"));

    char body[160];
    snprintf(body, sizeof body, "{\"name\":\"角色0601\",\"permissions\":[\"policy.view\",\"employee.manage\"]}");
    zt_resp *r = zm_send(w->e, &w->lr_a, "PUT", role_path(rid), "%s", body);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zt_get(w->e, &m, "/api/v1/enterprise/employees");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);

    /* a role of another enterprise on the membership grants nothing */
    int64_t foreign = zm_role(w->e, w->ent_b, "乙的管理员", ZM_ALL_PERMS);
    zt_execf(w->e, "UPDATE membership SET role_id = %lld WHERE enterprise_id = %lld AND user_id ="
                   " (SELECT id FROM app_user WHERE phone = '13800000601')", (long long)foreign, (long long)w->ent_a);
    zm_expect_no_perm(zt_get(w->e, &m, "/api/v1/enterprise/employees"));
    r = zt_get(w->e, &m, "/api/v1/enterprise/permissions");
    assert_int_equal(r->status, 200);
    assert_true(json_is_false(zt_json(r, "items.0.granted")));
    zt_resp_free(r);

    /* no role at all: nothing */
    zt_exec(w->e, "UPDATE membership SET role_id = NULL WHERE user_id = (SELECT id FROM app_user WHERE phone = '13800000601')");
    zm_expect_no_perm(zt_get(w->e, &m, "/api/v1/enterprise/employees"));
}

static void test_no_escalation(void **st)
{
    world *w = *st;
    zt_client rm;
    int64_t own = 0;
    zm_member_with(w->e, &rm, w->ent_a, "13800000701", "policy.view role.manage", &own);
    long long roles = zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role");
    zt_expect(zm_send(w->e, &rm, "POST", "/api/v1/enterprise/roles", "{\"name\":\"超级\",\"permissions\":[\"employee.manage\"]}"),
              403, "forbidden");
    zt_expect(zm_send(w->e, &rm, "PUT", role_path(own),
                      "{\"name\":\"角色0701\",\"permissions\":[\"policy.view\",\"role.manage\",\"profile.edit\"]}"),
              403, "forbidden");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role"), roles);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role_perm WHERE role_id = %lld", (long long)own), 2);
    /* within their own set it works */
    zt_resp *r = zm_send(w->e, &rm, "POST", "/api/v1/enterprise/roles", "{\"name\":\"浏览\",\"permissions\":[\"policy.view\"]}");
    assert_int_equal(r->status, 201);
    zt_resp_free(r);
    /* a role holding more than they do can be neither changed nor deleted by them */
    int64_t admin = zm_default_role(w->e, w->ent_a, "管理员");
    zt_expect(zm_send(w->e, &rm, "PUT", role_path(admin), "{\"name\":\"管理员\",\"permissions\":[]}"), 403, "forbidden");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role_perm WHERE role_id = %lld", (long long)admin), 8);
}

/* ---- enterprise A never reaches B ---- */

static void test_other_enterprise_404(void **st)
{
    world *w = *st;
    int64_t b_role = zm_role(w->e, w->ent_b, "乙的角色", "policy.view");
    zt_resp *r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/roles");
    assert_int_equal(r->status, 200);
    assert_int_equal(item_named(r, "乙的角色"), -1);
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", role_path(b_role), "{\"name\":\"抢来的\",\"permissions\":[]}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", role_path(b_role), NULL), 404, "not_found");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE id = %lld AND name = '乙的角色'", (long long)b_role), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role_perm WHERE role_id = %lld", (long long)b_role), 1);
    /* nor assigns it */
    int64_t uid = zm_member(w->e, w->ent_a, "13800000801", 0);
    char p[96];
    snprintf(p, sizeof p, "/api/v1/enterprise/employees/%lld", (long long)uid);
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", p, "{\"role_id\":%lld}", (long long)b_role), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees",
                      "{\"name\":\"张三\",\"phone\":\"13800000802\",\"role_id\":%lld}", (long long)b_role),
              404, "not_found");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE role_id = %lld", (long long)b_role), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM app_user WHERE phone = '13800000802'"), 0);
    r = zt_get(w->e, &w->lr_b, "/api/v1/enterprise/roles");
    assert_true(item_named(r, "乙的角色") >= 0);
    zt_resp_free(r);
}

static void test_member_access_levels(void **st)
{
    world *w = *st;
    /* a pending enterprise's legal rep, an account with no enterprise, staff, anonymous */
    zt_client pend, none, anon;
    int64_t uid = zt_make_user(w->e, "13800000901", ZT_PASSWORD);
    int64_t pe = zt_make_enterprise(w->e, "待审核公司", "350102", "pending", uid);
    zm_session(w->e, &pend, uid, pe);
    zt_expect(zt_get(w->e, &pend, "/api/v1/enterprise/roles"), 403, "forbidden");
    zt_expect(zt_get(w->e, &pend, "/api/v1/enterprise/permissions"), 403, "forbidden");
    zm_session(w->e, &none, zt_make_user(w->e, "13800000902", ZT_PASSWORD), 0);
    zt_expect(zt_get(w->e, &none, "/api/v1/enterprise/roles"), 403, "forbidden");
    zt_client_init(&anon);
    zt_expect(zt_get(w->e, &anon, "/api/v1/enterprise/roles"), 401, "unauthenticated");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE enterprise_id = %lld", (long long)pe), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_route_table_matrix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_manage_matrix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permission_catalogue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_crud, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_bad_input_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_in_use_cannot_be_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_perms_follow_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_escalation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_enterprise_404, setup, teardown),
        cmocka_unit_test_setup_teardown(test_member_access_levels, setup, teardown),
    };
    return cmocka_run_group_tests_name("roles", tests, NULL, NULL);
}
