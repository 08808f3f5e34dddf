/*
 * test_route_table.c — the whole route table, walked (issue 10.3): every
 * unsafe route (POST/PUT/PATCH/DELETE) declares the audit action its
 * record carries, and no safe route declares one, so a state-changing
 * route cannot be added without its audit record being named. Needs no
 * database: it reads the table the server builds its router from.
 */
#include "support/zt.h"
#include "support/zt_routes.h"
#include "app/routes.h"
#include <ctype.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unsafe_routes_declare_audit),
        cmocka_unit_test(test_known_actions_kept),
    };
    return cmocka_run_group_tests_name("route_table", tests, NULL, NULL);
}
