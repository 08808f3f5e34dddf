/*
 * test_staff_routes.c — the bureau's route table, walked (issue 10.1/10.2):
 * every staff route names a permission from the staff catalogue and
 * declares its data scope; a staff member whose roles lack a route's
 * permission is refused (403, audited, nothing stored) on every one; and a
 * district-B clerk gets 404 on district-A's objects on every ID-taking
 * scoped bureau route. Runs on SQLite and PostgreSQL (ZQ_TEST_DB).
 */
#include "support/zt.h"
#include "support/zt_routes.h"
#include "support/fixtures.h"
#include "support/fixtures_reg.h"
#include "support/zt_raw.h"
#include "app/routes.h"
#include "auth/staff_perm.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOST "Host: zq.fuzhou.example\n"

typedef struct {
    zt_env *e;
    zt_client admin, staff_a, staff_b, app_a;
    int64_t ent_a, invite_a, change_a, policy_a, notice_a, call_a, app_a_id;
    int64_t survey_a; /* a draft questionnaire of district A */
    int64_t trade_task_a, trade_report_a; /* a trade task that reached only district A, and its report */
    int64_t consult_a; /* a consultation of a district-A firm */
    int64_t file_a;    /* a bureau file a district-A clerk uploaded */
} world;

/* POST path body as c; the new object's id (201 expected). */
static int64_t created(world *w, zt_client *c, const char *path, const char *body)
{
    zt_resp *r = zt_req(w->e, c, "POST", path, body, HOST);
    if (r->status != 201) fail_msg("POST %s: %d %s", path, r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zr_register_ok(w->e, &w->app_a, 1, "350102");
    zr_staff(w->e, &w->admin, "admin", "super", NULL);
    /* district clerks who may also run their district's own calls */
    zt_exec(w->e, "INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'declaration.manage' FROM staff_role_def"
                  " WHERE builtin = 'district'");
    zr_staff(w->e, &w->staff_a, "gulou", "district", "350102");
    zr_staff(w->e, &w->staff_b, "taijiang", "district", "350103");
    zt_resp *r = zt_req(w->e, &w->staff_a, "POST", "/api/v1/admin/invites", "{}", HOST);
    assert_int_equal(r->status, 201);
    w->invite_a = zt_int(r, "id");
    zt_resp_free(r);
    zt_execf(w->e,
             "INSERT INTO enterprise_change(enterprise_id, new_name, old_name, old_uscc, old_region, submitted_by,"
             " submitted_at) SELECT id, 'x', name, uscc, region, 1, 1 FROM enterprise WHERE id = %lld",
             (long long)w->ent_a);
    w->change_a = zt_count(w->e, "SELECT MAX(id) FROM enterprise_change");
    /* district A's policy and notice (district staff publish their district's) */
    w->policy_a = created(w, &w->staff_a, "/api/v1/admin/policies",
                          "{\"kind\":\"news\",\"title\":\"鼓楼区政策\",\"body_html\":\"<p>正文</p>\"}");
    w->notice_a = created(w, &w->staff_a, "/api/v1/admin/notices", "{\"title\":\"鼓楼区公告\",\"body_html\":\"<p>正文</p>\"}");
    /* district A's published call and a submitted application of its firm */
    zt_execf(w->e, "INSERT INTO decl_call(status, title, body_html, body_text, region, open_at, close_at, created_at,"
                   " updated_at) VALUES ('published', '鼓楼区申报', '<p>x</p>', 'x', '350102', 1, 4000000000, 1, 1)");
    w->call_a = zt_count(w->e, "SELECT MAX(id) FROM decl_call");
    zt_execf(w->e, "INSERT INTO decl_app(call_id, enterprise_id, region, status, no, created_at, updated_at)"
                   " VALUES (%lld, %lld, '350102', 'submitted', 'SB-A', 1, 1)", (long long)w->call_a, (long long)w->ent_a);
    w->app_a_id = zt_count(w->e, "SELECT MAX(id) FROM decl_app");
    /* district clerks who also hold 外贸处 (trade.manage), so the trade routes
     * reach their scope check; a trade task that reached only district A's
     * firm, and its report */
    zt_exec(w->e, "INSERT INTO staff_role_grant(staff_id, role_id) SELECT s.id, d.id FROM staff s, staff_role_def d"
                  " WHERE s.username IN ('gulou', 'taijiang') AND d.builtin = 'trade'");
    zt_exec(w->e, "INSERT INTO trade_task(year, month, direction, name, deadline, deadline_at, created_at, updated_at)"
                  " VALUES (2026, 12, 'export', 't', '2099-12-28', 4102444800, 1, 1)");
    w->trade_task_a = zt_count(w->e, "SELECT MAX(id) FROM trade_task");
    zt_execf(w->e,
             "INSERT INTO trade_report(task_id, enterprise_id, region, year, month, direction, created_at, updated_at)"
             " VALUES (%lld, %lld, '350102', 2026, 12, 'export', 1, 1)",
             (long long)w->trade_task_a, (long long)w->ent_a);
    w->trade_report_a = zt_count(w->e, "SELECT MAX(id) FROM trade_report");
    /* district A's draft questionnaire, closing a month from now (a fixed
     * date would rot once it passed) */
    char close_at[40], body[256];
    time_t t = time(NULL) + 30 * 86400 + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(close_at, sizeof close_at, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    snprintf(body, sizeof body,
             "{\"title\":\"鼓楼区问卷\",\"close_at\":\"%s\",\"questions\":"
             "[{\"key\":\"q1\",\"type\":\"text\",\"title\":\"意见\"}]}", close_at);
    w->survey_a = created(w, &w->staff_a, "/api/v1/admin/surveys", body);
    zt_execf(w->e,
             "INSERT INTO consultation(enterprise_id, region, kind, category, title, content, status, due_at, ack_due_at,"
             " created_at, updated_at) VALUES (%lld, '350102', 'question', 'trade', '鼓楼区咨询', '内容', 'submitted',"
             " 1, 1, 1, 1)",
             (long long)w->ent_a);
    w->consult_a = zt_count(w->e, "SELECT MAX(id) FROM consultation");
    static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    r = zt_raw(w->e, &w->staff_a, "POST", "/api/v1/admin/uploads?name=a.pdf", pdf, sizeof pdf - 1,
               "Content-Type: application/octet-stream\n" HOST);
    assert_int_equal(r->status, 201);
    w->file_a = zt_int(r, "id");
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



/* ---- the table itself ---- */

static void test_every_staff_route_declares(void **st)
{
    (void)st;
    int n = 0, scoped = 0, unscoped = 0;
    for (size_t g = 0; g < zq_all_route_groups_n; g++)
        for (size_t k = 0; k < zq_all_route_groups[g]->n; k++) {
            const zq_route *rt = &zq_all_route_groups[g]->routes[k];
            bool s = rt->flags & ZQ_RF_SCOPED, u = rt->flags & ZQ_RF_UNSCOPED;
            if (s && u) fail_msg("%s declares both scoped and unscoped", rt->pattern);
            if (rt->access != ZQ_ACCESS_STAFF) continue;
            n++;
            if (!rt->perm) fail_msg("staff route %s names no permission", rt->pattern);
            /* every alternative is a catalogue code */
            char buf[128];
            snprintf(buf, sizeof buf, "%s", rt->perm);
            for (char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
                if (!staff_perm_known(t)) fail_msg("staff route %s names unknown permission %s", rt->pattern, t);
            if (!s && !u) fail_msg("staff route %s declares no data scope", rt->pattern);
            scoped += s;
            unscoped += u;
        }
    assert_true(n >= 35);
    assert_true(scoped >= 15);
    assert_true(unscoped >= 10);
    /* the all-permissions set and the catalogue agree */
    size_t len = 0;
    for (size_t i = 0; i < staff_perms_n; i++) {
        const char *all = staff_perm_all(), *p = strstr(all, staff_perms[i].code);
        size_t cl = strlen(staff_perms[i].code);
        assert_non_null(p);
        assert_true((p == all || p[-1] == ' ') && (p[cl] == ' ' || p[cl] == '\0'));
        len += cl + 1;
    }
    assert_int_equal(strlen(staff_perm_all()) + 1, len);
    assert_true(staff_perms_n >= 20);
}

/* ---- refused without the permission ---- */

/* A city-wide staff client whose only role holds every permission but the
 * alternatives in perm (a role made through the API). */
static long long staff_without(world *w, zt_client *c, const char *perm, int i)
{
    json_t *body = json_object(), *perms = json_array();
    for (size_t k = 0; k < staff_perms_n; k++)
        if (!zw_names_alternative(perm, staff_perms[k].code)) json_array_append_new(perms, json_string(staff_perms[k].code));
    char name[32], user[32];
    snprintf(name, sizeof name, "无权限%d", i);
    json_object_set_new(body, "name", json_string(name));
    json_object_set_new(body, "permissions", perms);
    zt_resp *r = zr_send(w->e, &w->admin, "POST", "/api/v1/admin/staff-roles", body);
    json_decref(body);
    assert_int_equal(r->status, 201);
    long long role = zt_int(r, "id");
    zt_resp_free(r);
    snprintf(user, sizeof user, "noperm%d", i);
    int64_t id = zr_staff(w->e, c, user, "city", NULL);
    zt_execf(w->e, "DELETE FROM staff_role_grant WHERE staff_id = %lld", (long long)id);
    zt_execf(w->e, "INSERT INTO staff_role_grant(staff_id, role_id) VALUES (%lld, %lld)", (long long)id, role);
    return role;
}

/* The role's gone after its route is checked: roles are capped at 100,
 * and the table has more staff routes than that. */
static void role_drop(world *w, long long role)
{
    zt_execf(w->e, "DELETE FROM staff_role_grant WHERE role_id = %lld", role);
    zt_execf(w->e, "DELETE FROM staff_role_perm WHERE role_id = %lld", role);
    zt_execf(w->e, "DELETE FROM staff_role_def WHERE id = %lld", role);
}

static long long stored(zt_env *e)
{
    return zt_count(e, "SELECT (SELECT COUNT(*) FROM staff) + (SELECT COUNT(*) FROM staff_role_def)"
                       " + (SELECT COUNT(*) FROM staff_role_grant) + (SELECT COUNT(*) FROM invite WHERE revoked_at > 0)"
                       " + (SELECT COUNT(*) FROM enterprise WHERE status <> 'pending')"
                       " + (SELECT COUNT(*) FROM enterprise_change WHERE status <> 'pending')"
                       " + (SELECT COUNT(*) FROM dict_item) + (SELECT COUNT(*) FROM audit_log WHERE action <> 'access.denied')");
}

static void test_without_permission_refused(void **st)
{
    world *w = *st;
    int checked = 0;
    for (size_t g = 0; g < zq_all_route_groups_n; g++)
        for (size_t k = 0; k < zq_all_route_groups[g]->n; k++) {
            const zq_route *rt = &zq_all_route_groups[g]->routes[k];
            if (rt->access != ZQ_ACCESS_STAFF) continue;
            zt_client c;
            long long role = staff_without(w, &c, rt->perm, checked);
            long long before = stored(w->e);
            long long denied = zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'");
            const char *m = zw_method_of(rt->methods);
            zt_resp *r = zt_req(w->e, &c, m, zw_concrete(rt->pattern, w->ent_a), strcmp(m, "GET") ? "{}" : NULL, HOST);
            const char *msg = zt_str(r, "error.message");
            if (r->status != 403 || !msg || !strstr(msg, "权限"))
                fail_msg("%s %s without %s: expected 403, got %d %s", m, rt->pattern, rt->perm, r->status, r->body);
            zt_expect(r, 403, "forbidden");
            assert_int_equal(stored(w->e), before);
            assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"), denied + 1);
            role_drop(w, role);
            checked++;
        }
    assert_true(checked >= 35);
}

/* ---- another district's objects ---- */

/* The district-A object a scoped :id route is about, 0 when it takes no id. */
static long long fixture_for(world *w, const char *pattern)
{
    if (!strchr(pattern, ':')) return 0;
    if (strstr(pattern, "/admin/invites/")) return w->invite_a;
    if (strstr(pattern, "/admin/enterprise-changes/")) return w->change_a;
    if (strstr(pattern, "/admin/registrations/") || strstr(pattern, "/admin/enterprises/:id")) return w->ent_a;
    if (strstr(pattern, "/admin/policies/:id")) return w->policy_a;
    if (strstr(pattern, "/admin/notices/:id")) return w->notice_a;
    if (strstr(pattern, "/admin/trade/tasks/")) return w->trade_task_a;
    if (strstr(pattern, "/admin/trade/reports/")) return w->trade_report_a;
    if (strstr(pattern, "/admin/declarations/:id")) return w->call_a;
    if (strstr(pattern, "/admin/applications/:id")) return w->app_a_id;
    if (strstr(pattern, "/admin/surveys/:id")) return w->survey_a;
    if (strstr(pattern, "/admin/consultations/:id")) return w->consult_a;
    if (strstr(pattern, "/admin/uploads/:id")) return w->file_a;
    return -1;
}

static void test_other_district_not_found(void **st)
{
    world *w = *st;
    int checked = 0;
    for (size_t g = 0; g < zq_all_route_groups_n; g++)
        for (size_t k = 0; k < zq_all_route_groups[g]->n; k++) {
            const zq_route *rt = &zq_all_route_groups[g]->routes[k];
            if (rt->access != ZQ_ACCESS_STAFF || !(rt->flags & ZQ_RF_SCOPED)) continue;
            long long id = fixture_for(w, rt->pattern);
            if (id == 0) continue;
            if (id < 0) fail_msg("scoped route %s takes an id this test has no fixture for", rt->pattern);
            const char *m = zw_method_of(rt->methods);
            const char *body = strcmp(m, "GET") ? "{}" : NULL;
            if (strstr(rt->pattern, "/reject")) body = "{\"reason\":\"资料不全\"}";
            if (strstr(rt->pattern, "/reveal")) body = "{\"field\":\"contact_phone\"}";
            long long before = stored(w->e);
            zt_resp *r = zt_req(w->e, &w->staff_b, m, zw_concrete(rt->pattern, id), body, HOST);
            if (r->status != 404) fail_msg("%s %s: district B got %d %s", m, rt->pattern, r->status, r->body);
            zt_expect(r, 404, "not_found");
            assert_int_equal(stored(w->e), before);
            /* the fixture is real: district A itself reaches it (reads only) */
            if (strcmp(m, "GET") == 0) {
                r = zt_req(w->e, &w->staff_a, m, zw_concrete(rt->pattern, id), NULL, HOST);
                /* the fixture application has no materials to zip */
                int want = strstr(rt->pattern, ".zip") ? 422 : 200;
                if (r->status != want) fail_msg("GET %s: district A got %d %s", rt->pattern, r->status, r->body);
                zt_resp_free(r);
            }
            checked++;
        }
    assert_true(checked >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_staff_route_declares),
        cmocka_unit_test_setup_teardown(test_without_permission_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_district_not_found, setup, teardown),
    };
    return cmocka_run_group_tests_name("staff_routes", tests, NULL, NULL);
}
