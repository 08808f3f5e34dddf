/*
 * test_invitations.c — invitations to join an enterprise (issue 9,
 * finding 4): adding an employee answers the same way whether or not the
 * phone has an account (status, keys, values bar the ids and times), tells
 * the person by SMS, and makes nobody a member until they accept; the
 * invitee's list, accept (once: a second is 409), decline, someone else's
 * or an expired one (404); the firm's list with 已过期, revoke, resend (gap
 * and renewal), re-inviting after expiry; the notice cap; every step
 * audited; bad input stores nothing. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    zt_env *e;
    zt_client lr_a, lr_b;
    int64_t ent_a, ent_b, lr_a_id, lr_b_id, ro_a, sales_a;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zm_enterprise(w->e, &w->lr_a, "福州甲贸易有限公司", "13900000001", &w->lr_a_id);
    w->ent_b = zm_enterprise(w->e, &w->lr_b, "福州乙贸易有限公司", "13900000002", &w->lr_b_id);
    w->ro_a = zm_default_role(w->e, w->ent_a, "只读");
    w->sales_a = zm_default_role(w->e, w->ent_a, "业务员");
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

static const char *inv_path(const char *side, int64_t id, const char *what)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "/api/v1/%s/invitations/%lld/%s", side, (long long)id, what);
    return buf;
}

static zt_resp *invite(world *w, const char *name, const char *phone, int64_t role)
{
    return zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees",
                   "{\"name\":\"%s\",\"phone\":\"%s\",\"role_id\":%lld}", name, phone, (long long)role);
}

static int64_t invite_ok(world *w, const char *phone)
{
    zt_resp *r = invite(w, "张三", phone, w->ro_a);
    if (r->status != 201) fail_msg("invite %s: %d %s", phone, r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

/* The body with the values that must differ (ids, times) blanked. */
static char *shape(const zt_resp *r)
{
    json_t *j = json_deep_copy(r->json);
    json_object_set_new(j, "id", json_integer(0));
    json_object_set_new(j, "created_at", json_null());
    json_object_set_new(j, "expires_at", json_null());
    char *s = json_dumps(j, JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

static long long outbox(world *w, const char *phone)
{
    return zt_countf(w->e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '%s' AND body LIKE '%%邀请您加入%%'", phone);
}

static void test_same_answer_existing_or_new(void **st)
{
    world *w = *st;
    zt_make_user(w->e, "13800000101", ZT_PASSWORD);   /* has an account, named 用户0101 */
    zt_resp *old = invite(w, "张三", "13800000101", w->ro_a);
    zt_resp *fresh = invite(w, "张三", "13800000102", w->ro_a);
    assert_int_equal(old->status, 201);
    assert_int_equal(fresh->status, 201);
    char *a = shape(old), *b = shape(fresh);
    /* the phones differ in their last digit only: mask them alike */
    char *p = strstr(a, "138****0101");
    assert_non_null(p);
    memcpy(p, "138****0102", 11);
    assert_string_equal(a, b);
    assert_null(strstr(old->body, "用户0101"));
    free(a);
    free(b);
    zt_resp_free(old);
    zt_resp_free(fresh);
    /* both were told by SMS, naming the enterprise */
    assert_int_equal(outbox(w, "13800000101"), 1);
    assert_int_equal(outbox(w, "13800000102"), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM sms_outbox WHERE body LIKE '%福州甲贸易有限公司%'"), 2);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'sms.send' AND detail LIKE '%%invitation%%'"
                                     " AND enterprise_id = %lld AND region IS NOT NULL", (long long)w->ent_a), 2);
    /* nobody is a member yet */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE enterprise_id = %lld", (long long)w->ent_a), 1);
}

static void test_accept_decline(void **st)
{
    world *w = *st;
    int64_t uid = zt_make_user(w->e, "13800000201", ZT_PASSWORD);
    int64_t inv = invite_ok(w, "13800000201");
    zt_client me, other;
    zm_session(w->e, &me, uid, 0);
    zm_session(w->e, &other, w->lr_b_id, w->ent_b);

    zt_resp *r = zt_get(w->e, &me, "/api/v1/me/invitations");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), inv);
    assert_string_equal(zt_str(r, "items.0.enterprise.name"), "福州甲贸易有限公司");
    assert_string_equal(zt_str(r, "items.0.role.name"), "只读");
    assert_non_null(zt_str(r, "items.0.invited_by_name"));
    zt_resp_free(r);
    /* someone else: not in their list, and 404 on both answers */
    r = zt_get(w->e, &other, "/api/v1/me/invitations");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &other, "POST", inv_path("me", inv, "accept"), "{}"), 404, "not_found");
    zt_expect(zm_send(w->e, &other, "POST", inv_path("me", inv, "decline"), "{}"), 404, "not_found");
    zt_expect(zm_send(w->e, &me, "POST", inv_path("me", 987654, "accept"), "{}"), 404, "not_found");
    zt_expect(zm_send(w->e, &me, "POST", inv_path("me", inv, "accept"), "{\"role_id\":1}"), 400, "validation_failed");
    /* staff have no invitations */
    zt_client staff;
    zt_client_init(&staff);
    zt_make_staff(w->e, "city1", "city", NULL, ZT_PASSWORD);
    zt_staff_login(w->e, &staff, "city1", ZT_PASSWORD);
    zt_expect(zt_get(w->e, &staff, "/api/v1/me/invitations"), 403, NULL);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld", (long long)uid), 0);

    r = zm_send(w->e, &me, "POST", inv_path("me", inv, "accept"), "{}");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "current_enterprise_id"), w->ent_a);
    assert_int_equal(zt_int(r, "enterprises.0.id"), w->ent_a);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE user_id = %lld AND enterprise_id = %lld"
                                     " AND status = 'active' AND is_legal_rep = 0", (long long)uid, (long long)w->ent_a),
                     w->ro_a);
    /* once: a second accept, or a decline after it, is 409 and changes nothing */
    zt_expect(zm_send(w->e, &me, "POST", inv_path("me", inv, "accept"), "{}"), 409, "conflict");
    zt_expect(zm_send(w->e, &me, "POST", inv_path("me", inv, "decline"), "{}"), 409, "conflict");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld", (long long)uid), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'employee.invite_accept'"
                                     " AND object_id = '%lld' AND actor_id = %lld AND enterprise_id = %lld",
                               (long long)inv, (long long)uid, (long long)w->ent_a),
                     1);
    /* the firm sees the member now, and no invitation */
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/invitations");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);

    /* decline: the firm sees 已拒绝 (declined); nobody joins */
    int64_t uid2 = zt_make_user(w->e, "13800000202", ZT_PASSWORD);
    int64_t inv2 = invite_ok(w, "13800000202");
    zt_client me2;
    zm_session(w->e, &me2, uid2, 0);
    r = zm_send(w->e, &me2, "POST", inv_path("me", inv2, "decline"), "{}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "declined");
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &me2, "POST", inv_path("me", inv2, "accept"), "{}"), 409, "conflict");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld", (long long)uid2), 0);
    assert_int_equal(zm_audits(w->e, "employee.invite_decline"), 1);
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/invitations");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_string_equal(zt_str(r, "items.0.status"), "declined");
    zt_resp_free(r);
    /* and may be invited again */
    int64_t inv3 = invite_ok(w, "13800000202");
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/invitations");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), inv3);
    assert_string_equal(zt_str(r, "items.0.status"), "pending");
    zt_resp_free(r);
}

static void test_expiry_revoke_resend(void **st)
{
    world *w = *st;
    int64_t uid = zt_make_user(w->e, "13800000301", ZT_PASSWORD);
    int64_t inv = invite_ok(w, "13800000301");
    zt_client me;
    zm_session(w->e, &me, uid, 0);

    /* resend at once: the 60-second gap */
    zt_resp *r = zm_send(w->e, &w->lr_a, "POST", inv_path("enterprise", inv, "resend"), "{}");
    assert_int_equal(r->status, 429);
    assert_non_null(zt_header(r, "Retry-After"));
    zt_expect(r, 429, "rate_limited");
    assert_int_equal(outbox(w, "13800000301"), 1);

    /* seven days on, it is expired: gone from the person's list, 404 to accept */
    zt_execf(w->e, "UPDATE member_invitation SET expires_at = %lld, notified_at = 1 WHERE id = %lld",
             (long long)time(NULL) - 1, (long long)inv);
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/invitations");
    assert_string_equal(zt_str(r, "items.0.status"), "expired");
    assert_string_equal(zt_str(r, "items.0.phone"), "138****0301");
    zt_resp_free(r);
    r = zt_get(w->e, &me, "/api/v1/me/invitations");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &me, "POST", inv_path("me", inv, "accept"), "{}"), 404, "not_found");

    /* resending an expired one re-invites it in place, for seven more days */
    r = zm_send(w->e, &w->lr_a, "POST", inv_path("enterprise", inv, "resend"), "{}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "pending");
    zt_resp_free(r);
    assert_int_equal(outbox(w, "13800000301"), 2);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM member_invitation WHERE id = %lld AND expires_at > %lld",
                               (long long)inv, (long long)time(NULL) + 6 * 86400),
                     1);
    assert_int_equal(zm_audits(w->e, "employee.invite_resend"), 1);

    /* revoke: gone for the person (404), 409 to revoke or resend again */
    r = zm_send(w->e, &w->lr_a, "POST", inv_path("enterprise", inv, "revoke"), "{}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "revoked");
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &me, "POST", inv_path("me", inv, "accept"), "{}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", inv_path("enterprise", inv, "revoke"), "{}"), 409, "conflict");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", inv_path("enterprise", inv, "resend"), "{}"), 409, "conflict");
    assert_int_equal(zm_audits(w->e, "employee.invite_revoke"), 1);
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/invitations");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);

    /* another enterprise's invitation: 404, nothing changes */
    zt_expect(zm_send(w->e, &w->lr_b, "POST", inv_path("enterprise", inv, "revoke"), "{}"), 404, "not_found");
    int64_t inv2 = invite_ok(w, "13800000302");
    zt_expect(zm_send(w->e, &w->lr_b, "POST", inv_path("enterprise", inv2, "revoke"), "{}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_b, "POST", inv_path("enterprise", inv2, "resend"), "{}"), 404, "not_found");
    r = zt_get(w->e, &w->lr_b, "/api/v1/enterprise/invitations");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM member_invitation WHERE id = %lld AND status = 'pending'", (long long)inv2), 1);

    /* an expired invitation does not block a new one: the old row is closed as expired */
    zt_execf(w->e, "UPDATE member_invitation SET expires_at = 1 WHERE id = %lld", (long long)inv2);
    int64_t inv3 = invite_ok(w, "13800000302");
    assert_true(inv3 != inv2);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM member_invitation WHERE id = %lld AND status = 'expired'", (long long)inv2), 1);
}

static void test_notice_cap(void **st)
{
    world *w = *st;
    /* five enterprises' worth of notices a day to one phone, then none (the invitation still stands) */
    zt_execf(w->e, "INSERT INTO rate_counter(key, window_start, count) VALUES ('sms_notice:13800000401', %lld, 5)",
             (long long)(time(NULL) - time(NULL) % 86400));
    int64_t inv = invite_ok(w, "13800000401");
    assert_int_equal(outbox(w, "13800000401"), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'sms.send' AND result = 'denied'"
                                    " AND detail LIKE '%daily_cap%'"), 1);
    zt_execf(w->e, "UPDATE member_invitation SET notified_at = 1 WHERE id = %lld", (long long)inv);
    zt_resp *r = zm_send(w->e, &w->lr_a, "POST", inv_path("enterprise", inv, "resend"), "{}");
    zt_expect(r, 429, "rate_limited");
    assert_int_equal(zm_audits(w->e, "employee.invite_resend"), 0);
}

static void test_bad_input_and_access(void **st)
{
    world *w = *st;
    long long inv_rows = zt_count(w->e, "SELECT COUNT(*) FROM member_invitation");
    zt_expect(invite(w, "张三", "1380000050", w->ro_a), 400, "validation_failed");
    zt_expect(invite(w, "", "13800000501", w->ro_a), 400, "validation_failed");
    zt_expect(invite(w, "张三", "13800000501", 987654), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", inv_path("enterprise", 1, "revoke"), "{\"x\":1}"), 400, "validation_failed");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/invitations/abc/revoke", "{}"), 404, "not_found");
    zt_expect(zt_get(w->e, &w->lr_a, "/api/v1/enterprise/invitations?page_size=101"), 400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM member_invitation"), inv_rows);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM app_user WHERE phone = '13800000501'"), 0);

    /* a member without employee.manage: every firm-side route refused */
    zt_client no;
    zm_member_with(w->e, &no, w->ent_a, "13800000502", zm_all_but("employee.manage"), NULL);
    int64_t inv = invite_ok(w, "13800000503");
    zm_expect_no_perm(zt_get(w->e, &no, "/api/v1/enterprise/invitations"));
    zm_expect_no_perm(zm_send(w->e, &no, "POST", inv_path("enterprise", inv, "revoke"), "{}"));
    zm_expect_no_perm(zm_send(w->e, &no, "POST", inv_path("enterprise", inv, "resend"), "{}"));
    /* a manager whose permissions do not cover the invited role cannot touch it */
    zt_client mgr;
    zm_member_with(w->e, &mgr, w->ent_a, "13800000504", "employee.manage", NULL);
    zt_expect(zm_send(w->e, &mgr, "POST", inv_path("enterprise", inv, "revoke"), "{}"), 403, "forbidden");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM member_invitation WHERE id = %lld AND status = 'pending'", (long long)inv), 1);
    /* guests */
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_get(w->e, &anon, "/api/v1/me/invitations"), 401, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_answer_existing_or_new, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_decline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry_revoke_resend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notice_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_and_access, setup, teardown),
    };
    return cmocka_run_group_tests_name("invitations", tests, NULL, NULL);
}
