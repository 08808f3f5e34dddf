/*
 * test_reveal.c — masking of other people's phones (issue 9, finding 7):
 * the directory detail, the registration review (list and detail) and the
 * enterprise's own record for a member without profile.edit show
 * 139****0001; staff reveal one number at a time through
 * POST /api/v1/admin/enterprises/:id/reveal, every reveal audited (who,
 * whose enterprise, which field), district scope (another district → 404),
 * bad input refused with nothing recorded, and a per-staff hourly cap (429,
 * itself audited). SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client city, gulou, taijiang, lr;
    int64_t a, b, lr_id, clerk_id, city_id;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    zt_env *e = w->e = zt_start();
    w->lr_id = zt_make_user(e, "13900000001", ZT_PASSWORD);
    w->a = zt_make_enterprise(e, "福州闽江软件有限公司", "350102", "approved", w->lr_id);
    /* a registrant who is not the legal rep: two people, two phones */
    zt_execf(e, "UPDATE enterprise SET applicant_role = 'staff', contact_name = '王联系', contact_phone = '13700000002'"
                " WHERE id = %lld", (long long)w->a);
    zt_execf(e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'private')", (long long)w->a);
    w->clerk_id = zm_member(e, w->a, "13800000003", 0);
    w->b = zt_make_enterprise(e, "福州台江食品有限公司", "350103", "approved", 0);
    w->city_id = zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(e, "gulou1", "district", "350102", ZT_PASSWORD);
    zt_make_staff(e, "taijiang1", "district", "350103", ZT_PASSWORD);
    zt_staff_login(e, &w->city, "city1", ZT_PASSWORD);
    zt_staff_login(e, &w->gulou, "gulou1", ZT_PASSWORD);
    zt_staff_login(e, &w->taijiang, "taijiang1", ZT_PASSWORD);
    zm_session(e, &w->lr, w->lr_id, w->a);
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

static const char *reveal_path(int64_t id)
{
    static char buf[96];
    snprintf(buf, sizeof buf, "/api/v1/admin/enterprises/%lld/reveal", (long long)id);
    return buf;
}

/* Asserts that no full number of enterprise A appears in the body. */
static void assert_masked(const zt_resp *r)
{
    if (strstr(r->body, "13900000001") || strstr(r->body, "13700000002") || strstr(r->body, "13800000003"))
        fail_msg("a full number in: %s", r->body);
}

static void test_masked_by_default(void **st)
{
    world *w = *st;
    char p[96];
    snprintf(p, sizeof p, "/api/v1/admin/enterprises/%lld", (long long)w->a);
    zt_resp *r = zt_get(w->e, &w->city, p);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "legal_rep_phone"), "139****0001");
    assert_string_equal(zt_str(r, "contact_phone"), "137****0002");
    assert_string_equal(zt_str(r, "applicant.phone"), "139****0001");
    assert_string_equal(zt_str(r, "members.1.phone"), "138****0003");
    assert_masked(r);
    zt_resp_free(r);
    /* the registration review shows the same record, masked the same way */
    snprintf(p, sizeof p, "/api/v1/admin/registrations/%lld", (long long)w->a);
    r = zt_get(w->e, &w->city, p);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "legal_rep_phone"), "139****0001");
    assert_masked(r);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/admin/registrations?status=approved");
    assert_masked(r);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/admin/enterprises");
    assert_masked(r);
    zt_resp_free(r);

    /* the firm's own record: in full for whoever edits it (the legal rep),
     * masked for a member without profile.edit */
    r = zt_get(w->e, &w->lr, "/api/v1/enterprise");
    assert_string_equal(zt_str(r, "contact_phone"), "13700000002");
    zt_resp_free(r);
    /* the legal rep edits it; the audit record of the edit keeps both numbers masked */
    r = zm_send(w->e, &w->lr, "PATCH", "/api/v1/enterprise", "{\"contact_phone\":\"13700000005\"}");
    if (r->status != 200) fail_msg("PATCH: %d %s", r->status, r->body);
    assert_string_equal(zt_str(r, "contact_phone"), "13700000005");
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.update'"
                                    " AND detail LIKE '%137****0002%' AND detail LIKE '%137****0005%'"), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%1370000000%'"), 0);
    zt_execf(w->e, "UPDATE enterprise SET contact_phone = '13700000002' WHERE id = %lld", (long long)w->a);
    zt_client clerk;
    int64_t ro = zm_role(w->e, w->a, "只看", "policy.view");
    zt_execf(w->e, "UPDATE membership SET role_id = %lld WHERE user_id = %lld", (long long)ro, (long long)w->clerk_id);
    zm_session(w->e, &clerk, w->clerk_id, w->a);
    r = zt_get(w->e, &clerk, "/api/v1/enterprise");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "legal_rep_phone"), "139****0001");
    assert_string_equal(zt_str(r, "contact_phone"), "137****0002");
    zt_resp_free(r);
}

static void test_reveal_each_field(void **st)
{
    world *w = *st;
    static const struct {
        const char *body, *want, *field;
    } cases[] = {
        {"{\"field\":\"legal_rep_phone\"}", "13900000001", "legal_rep_phone"},
        {"{\"field\":\"contact_phone\"}", "13700000002", "contact_phone"},
        {"{\"field\":\"applicant_phone\"}", "13900000001", "applicant_phone"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zt_resp *r = zm_send(w->e, &w->gulou, "POST", reveal_path(w->a), "%s", cases[i].body);
        if (r->status != 200) fail_msg("%s: %d %s", cases[i].body, r->status, r->body);
        assert_string_equal(zt_str(r, "value"), cases[i].want);
        assert_string_equal(zt_str(r, "field"), cases[i].field);
        zt_resp_free(r);
    }
    zt_resp *r = zm_send(w->e, &w->city, "POST", reveal_path(w->a), "{\"field\":\"member_phone\",\"member_id\":%lld}",
                         (long long)w->clerk_id);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "value"), "13800000003");
    zt_resp_free(r);

    /* every reveal is one audit record: who, whose, which field, masked */
    assert_int_equal(zm_audits(w->e, "enterprise.reveal_phone"), 4);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.reveal_phone'"
                                     " AND actor_kind = 'staff' AND actor_id = %lld AND object_id = '%lld' AND enterprise_id = %lld"
                                     " AND region = '350102' AND result = 'ok' AND detail LIKE '%%member_phone%%'"
                                     " AND detail LIKE '%%138****0003%%'",
                               (long long)w->city_id, (long long)w->a, (long long)w->a),
                     1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%13800000003%'"
                                    " OR detail LIKE '%13700000002%'"), 0);
    /* the bureau's audit search lists it (a district account: its district's) */
    r = zt_get(w->e, &w->gulou, "/api/v1/admin/audit?action=enterprise.reveal_phone");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 4);
    zt_resp_free(r);
}

static void test_reveal_scope_and_bad_input(void **st)
{
    world *w = *st;
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    /* another district's firm, no such firm, no such member, no applicant: 404 */
    zt_expect(zm_send(w->e, &w->taijiang, "POST", reveal_path(w->a), "{\"field\":\"contact_phone\"}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->city, "POST", reveal_path(987654), "{\"field\":\"contact_phone\"}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->city, "POST", reveal_path(w->a), "{\"field\":\"member_phone\",\"member_id\":987654}"),
              404, "not_found");
    int64_t outsider = zt_make_user(w->e, "13800000009", ZT_PASSWORD);
    zt_expect(zm_send(w->e, &w->city, "POST", reveal_path(w->a), "{\"field\":\"member_phone\",\"member_id\":%lld}",
                      (long long)outsider), 404, "not_found");
    zt_expect(zm_send(w->e, &w->city, "POST", reveal_path(w->b), "{\"field\":\"applicant_phone\"}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->city, "POST", "/api/v1/admin/enterprises/abc/reveal", "{\"field\":\"contact_phone\"}"),
              404, "not_found");

    static const char *const bad[][2] = {
        {"{}", "field"},
        {"{\"field\":\"password_hash\"}", "field"},
        {"{\"field\":\"member_phone\"}", "member_id"},
        {"{\"field\":\"member_phone\",\"member_id\":0}", "member_id"},
        {"{\"field\":\"member_phone\",\"member_id\":\"3\"}", "member_id"},
        {"{\"field\":\"contact_phone\",\"member_id\":3}", "member_id"},
        {"{\"field\":\"contact_phone\",\"all\":true}", "all"},
        {"{\"field\":7}", "field"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zt_resp *r = zm_send(w->e, &w->city, "POST", reveal_path(w->a), "%s", bad[i][0]);
        char f[64];
        snprintf(f, sizeof f, "error.fields.%s", bad[i][1]);
        if (r->status != 400 || !zt_str(r, f)) fail_msg("%s: %d %s", bad[i][0], r->status, r->body);
        assert_non_null(strstr(zt_str(r, "error.message"), "")); /* the envelope */
        zt_expect(r, 400, "validation_failed");
    }
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action <> 'access.denied'"), audits);

    /* enterprise users, guests and a missing CSRF token are kept out */
    zt_expect(zm_send(w->e, &w->lr, "POST", reveal_path(w->a), "{\"field\":\"contact_phone\"}"), 403, NULL);
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_post(w->e, &anon, reveal_path(w->a), "{\"field\":\"contact_phone\"}"), 401, NULL);
    zt_client nocsrf = w->city;
    nocsrf.csrf[0] = '\0';
    zt_expect(zt_post(w->e, &nocsrf, reveal_path(w->a), "{\"field\":\"contact_phone\"}"), 403, "csrf_failed");
    assert_int_equal(zm_audits(w->e, "enterprise.reveal_phone"), 0);
}

static void test_reveal_rate_limited(void **st)
{
    world *w = *st;
    for (int i = 0; i < 60; i++) {
        zt_resp *r = zm_send(w->e, &w->gulou, "POST", reveal_path(w->a), "{\"field\":\"contact_phone\"}");
        if (r->status != 200) fail_msg("reveal %d: %d %s", i, r->status, r->body);
        zt_resp_free(r);
    }
    zt_resp *r = zm_send(w->e, &w->gulou, "POST", reveal_path(w->a), "{\"field\":\"legal_rep_phone\"}");
    assert_int_equal(r->status, 429);
    assert_null(strstr(r->body, "13900000001"));
    assert_non_null(zt_header(r, "Retry-After"));
    zt_expect(r, 429, "rate_limited");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.reveal_phone' AND result = 'denied'"), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.reveal_phone' AND result = 'ok'"), 60);
    /* the cap is per staff member */
    r = zm_send(w->e, &w->city, "POST", reveal_path(w->a), "{\"field\":\"legal_rep_phone\"}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_masked_by_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reveal_each_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reveal_scope_and_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reveal_rate_limited, setup, teardown),
    };
    return cmocka_run_group_tests_name("reveal", tests, NULL, NULL);
}
