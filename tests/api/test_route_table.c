/*
 * test_route_table.c — the whole route table, walked (issue 10.3): every
 * unsafe route (POST/PUT/PATCH/DELETE) declares the audit action its
 * record carries, and no safe route declares one, so a state-changing
 * route cannot be added without its audit record being named; and twin
 * routes (one path, one method, both sides of the house) agree on what the
 * pipeline reads before it picks between them. Needs no
 * database: it reads the table the server builds its router from.
 */
#include "support/zt.h"
#include "support/zt_routes.h"
#include "app/routes.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define UNSAFE (ZQ_POST | ZQ_PUT | ZQ_PATCH | ZQ_DELETE)

/* "registration.approve", "profile.ip.create": lower-case words joined by
 * dots, at least two of them, as the audit log and its web labels spell them. */
static bool action_well_formed(const char *a)
{
    size_t n = strlen(a), dots = 0;
    if (n < 3 || n > 64 || a[0] == '.' || a[n - 1] == '.') return false;
    for (size_t i = 0; i < n; i++) {
        if (a[i] == '.') {
            if (a[i + 1] == '.') return false;
            dots++;
        } else if (!(islower((unsigned char)a[i]) || a[i] == '_')) {
            return false;
        }
    }
    return dots >= 1;
}

static void test_unsafe_routes_declare_audit(void **st)
{
    (void)st;
    int unsafe = 0, safe = 0;
    for (size_t g = 0; g < zq_all_route_groups_n; g++)
        for (size_t k = 0; k < zq_all_route_groups[g]->n; k++) {
            const zq_route *rt = &zq_all_route_groups[g]->routes[k];
            const char *m = zw_method_of(rt->methods);
            if (rt->methods & UNSAFE) {
                if (!rt->audit) fail_msg("%s %s changes state but declares no audit action", m, rt->pattern);
                if (!action_well_formed(rt->audit))
                    fail_msg("%s %s: audit action \"%s\" is not a dotted lower-case code", m, rt->pattern, rt->audit);
                unsafe++;
            } else {
                if (rt->audit) fail_msg("%s %s is safe but declares audit action %s", m, rt->pattern, rt->audit);
                safe++;
            }
        }
    /* the table is the real one, not an empty stand-in */
    assert_true(unsafe >= 60);
    assert_true(safe >= 30);
}

/* The codes the audit log has always carried for these routes stay the
 * same (the web's labels and old records depend on them). */
static void test_known_actions_kept(void **st)
{
    (void)st;
    static const struct {
        const char *method, *pattern, *action;
    } want[] = {
        {"POST", "/api/v1/auth/login", "auth.login"},
        {"POST", "/api/v1/auth/logout", "auth.logout"},
        {"POST", "/api/v1/admin/auth/login", "auth.staff_login"},
        {"POST", "/api/v1/sms/send", "sms.send"},
        {"POST", "/api/v1/register", "registration.submit"},
        {"POST", "/api/v1/admin/registrations/:id/approve", "registration.approve"},
        {"POST", "/api/v1/admin/staff", "staff.create"},
        {"PUT", "/api/v1/enterprise/ip/:id", "profile.ip.update"},
        {"DELETE", "/api/v1/admin/dicts/:type/items/:code", "dict.item.delete"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const zq_route *found = NULL;
        for (size_t g = 0; g < zq_all_route_groups_n && !found; g++)
            for (size_t k = 0; k < zq_all_route_groups[g]->n; k++) {
                const zq_route *rt = &zq_all_route_groups[g]->routes[k];
                if (strcmp(rt->pattern, want[i].pattern) == 0 && strcmp(zw_method_of(rt->methods), want[i].method) == 0) {
                    found = rt;
                    break;
                }
            }
        if (!found) fail_msg("no route %s %s", want[i].method, want[i].pattern);
        assert_non_null(found->audit);
        assert_string_equal(found->audit, want[i].action);
    }
}

/* Twins (src/http/route.h, zq_router_twin): the real table's agree on
 * all the pipeline reads before it switches between them, and there is at
 * least the one the issue asks for (POST /api/v1/uploads). */
static void test_twins_agree(void **st)
{
    (void)st;
    char why[256];
    zq_route_group *groups = calloc(zq_all_route_groups_n, sizeof *groups);
    assert_non_null(groups);
    for (size_t g = 0; g < zq_all_route_groups_n; g++) groups[g] = *zq_all_route_groups[g];
    if (zq_route_twins_check(groups, zq_all_route_groups_n, why, sizeof why) != 0) fail_msg("%s", why);
    int pairs = 0;
    for (size_t g = 0; g < zq_all_route_groups_n; g++)
        for (size_t k = 0; k < groups[g].n; k++) {
            const zq_route *a = &groups[g].routes[k];
            if (a->access != ZQ_ACCESS_STAFF) continue;
            for (size_t h = 0; h < zq_all_route_groups_n; h++)
                for (size_t j = 0; j < groups[h].n; j++) {
                    const zq_route *b = &groups[h].routes[j];
                    if (b->access != ZQ_ACCESS_STAFF && (a->methods & b->methods) && strcmp(a->pattern, b->pattern) == 0)
                        pairs++;
                }
        }
    free(groups);
    assert_true(pairs >= 1);
}

static zq_err nop(zq_req *q, zq_resp *r)
{
    (void)q;
    (void)r;
    return ZQ_OK;
}

/* The check can fail: a pair that differs in any field read before the
 * switch is named, and the router refuses to be built over it. */
static void test_twins_that_differ_refused(void **st)
{
    (void)st;
    static const struct {
        zq_route staff;
        const char *what;
    } bad[] = {
        {{ZQ_POST, "/api/v1/x", nop, ZQ_ACCESS_STAFF, "p", ZQ_RF_UNSCOPED, 4096, "x.staff"}, "body_max"},
        {{ZQ_POST, "/api/v1/x", nop, ZQ_ACCESS_STAFF, "p", ZQ_RF_UNSCOPED, 0, "x.staff"}, "body_max"},
        {{ZQ_POST, "/api/v1/x", nop, ZQ_ACCESS_STAFF, "p", ZQ_RF_UNSCOPED | ZQ_RF_JSON, 8192, "x.staff"}, "ZQ_RF_JSON"},
        {{ZQ_POST, "/api/v1/x", nop, ZQ_ACCESS_STAFF, "p", ZQ_RF_UNSCOPED | ZQ_RF_NO_DB, 8192, "x.staff"}, "ZQ_RF_NO_DB"},
        {{ZQ_POST | ZQ_PUT, "/api/v1/x", nop, ZQ_ACCESS_STAFF, "p", ZQ_RF_UNSCOPED, 8192, "x.staff"}, "methods"},
    };
    const zq_route member = {ZQ_POST, "/api/v1/x", nop, ZQ_ACCESS_MEMBER, "p", 0, 8192, "x.member"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const zq_route pair[2] = {member, bad[i].staff};
        const zq_route_group g = {pair, 2};
        char why[256];
        assert_int_equal(zq_route_twins_check(&g, 1, why, sizeof why), 1);
        assert_non_null(strstr(why, bad[i].what));
        assert_non_null(strstr(why, "/api/v1/x"));
        assert_null(zq_router_new(&g, 1));
    }
    /* what may differ after the switch (access, perm, scope, HEAVY, CSRF,
     * audit) does not count, nor does another path's route */
    const zq_route fine[3] = {
        member,
        {ZQ_POST, "/api/v1/x", nop, ZQ_ACCESS_STAFF, "q", ZQ_RF_SCOPED | ZQ_RF_HEAVY | ZQ_RF_NO_CSRF, 8192, "x.other"},
        {ZQ_POST, "/api/v1/y", nop, ZQ_ACCESS_STAFF, "q", ZQ_RF_UNSCOPED | ZQ_RF_JSON, 0, "y.staff"},
    };
    const zq_route_group g = {fine, 3};
    assert_int_equal(zq_route_twins_check(&g, 1, NULL, 0), 0);
    zq_router *rt = zq_router_new(&g, 1);
    assert_non_null(rt);
    assert_ptr_equal(zq_router_twin(rt, &fine[0], true), &fine[1]);
    assert_ptr_equal(zq_router_twin(rt, &fine[1], false), &fine[0]);
    zq_router_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unsafe_routes_declare_audit),
        cmocka_unit_test(test_known_actions_kept),
        cmocka_unit_test(test_twins_agree),
        cmocka_unit_test(test_twins_that_differ_refused),
    };
    return cmocka_run_group_tests_name("route_table", tests, NULL, NULL);
}
