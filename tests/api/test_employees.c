/*
 * test_employees.c — API tests of an enterprise's employees and join
 * requests (manual 9.2): employee.manage refused and granted on every
 * route, adding a new account (initial password 888888, forced change
 * before anything else) or inviting an existing one — both only members
 * once they accept the invitation (test_invitations.c has the rest),
 * bad input stores nothing, role changes, removal ends the person's open
 * sessions in that enterprise at once, the legal rep and oneself are out of
 * reach, nobody hands out more than they hold, join requests approved and
 * rejected, and enterprise A never reads or changes anything of B (404).
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "db/db.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client lr_a, lr_b;
    int64_t ent_a, ent_b, lr_a_id, lr_b_id;
    int64_t sales_a, admin_a, ro_a, sales_b;   /* default roles */
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zm_enterprise(w->e, &w->lr_a, "福州甲贸易有限公司", "13900000001", &w->lr_a_id);
    w->ent_b = zm_enterprise(w->e, &w->lr_b, "福州乙贸易有限公司", "13900000002", &w->lr_b_id);
    w->sales_a = zm_default_role(w->e, w->ent_a, "业务员");
    w->admin_a = zm_default_role(w->e, w->ent_a, "管理员");
    w->ro_a = zm_default_role(w->e, w->ent_a, "只读");
    w->sales_b = zm_default_role(w->e, w->ent_b, "业务员");
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

static const char *emp_path(int64_t uid)
{
    static char buf[96];
    snprintf(buf, sizeof buf, "/api/v1/enterprise/employees/%lld", (long long)uid);
    return buf;
}

static const char *jr_path(int64_t id, const char *what)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "/api/v1/enterprise/join-requests/%lld/%s", (long long)id, what);
    return buf;
}

/* Invites phone to the enterprise of c with role_id; returns the invitation id. */
static int64_t invite(zt_env *e, zt_client *c, const char *name, const char *phone, int64_t role_id)
{
    zt_resp *r = zm_send(e, c, "POST", "/api/v1/enterprise/employees", "{\"name\":\"%s\",\"phone\":\"%s\",\"role_id\":%lld}",
                         name, phone, (long long)role_id);
    if (r->status != 201) fail_msg("invite %s: %d %s", phone, r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

/* The invitee (user uid, a session of their own) accepts invitation id. */
static void accept_as(zt_env *e, int64_t uid, int64_t id)
{
    zt_client c;
    zm_session(e, &c, uid, 0);
    char p[96];
    snprintf(p, sizeof p, "/api/v1/me/invitations/%lld/accept", (long long)id);
    zt_resp *r = zm_send(e, &c, "POST", p, "{}");
    if (r->status != 200) fail_msg("accept %lld: %d %s", (long long)id, r->status, r->body);
    zt_resp_free(r);
}

static int64_t join_request(zt_env *e, int64_t eid, int64_t uid)
{
    zt_execf(e, "INSERT INTO join_request(enterprise_id, user_id, status, message, created_at)"
                " VALUES (%lld, %lld, 'pending', '我是新来的外贸业务员', 1700000000)", (long long)eid, (long long)uid);
    return zt_countf(e, "SELECT MAX(id) FROM join_request WHERE enterprise_id = %lld AND user_id = %lld", (long long)eid,
                     (long long)uid);
}

/* ---- permission matrix ---- */

static void test_employee_manage_matrix(void **st)
{
    world *w = *st;
    zt_client no, yes;
    zm_member_with(w->e, &no, w->ent_a, "13800000101", zm_all_but("employee.manage"), NULL);
    int64_t yes_role;
    int64_t yes_id = zm_member_with(w->e, &yes, w->ent_a, "13800000102", "employee.manage policy.view", &yes_role);
    int64_t target = zm_member(w->e, w->ent_a, "13800000103", w->ro_a);
    int64_t asker = zt_make_user(w->e, "13800000104", ZT_PASSWORD);
    int64_t asker2 = zt_make_user(w->e, "13800000105", ZT_PASSWORD);
    int64_t jr1 = join_request(w->e, w->ent_a, asker), jr2 = join_request(w->e, w->ent_a, asker2);
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");

    zm_expect_no_perm(zt_get(w->e, &no, "/api/v1/enterprise/employees"));
    zm_expect_no_perm(zm_send(w->e, &no, "POST", "/api/v1/enterprise/employees",
                              "{\"name\":\"赵六\",\"phone\":\"13800000106\",\"role_id\":%lld}", (long long)w->ro_a));
    zm_expect_no_perm(zm_send(w->e, &no, "PUT", emp_path(target), "{\"role_id\":%lld}", (long long)w->sales_a));
    zm_expect_no_perm(zm_send(w->e, &no, "DELETE", emp_path(target), NULL));
    zm_expect_no_perm(zt_get(w->e, &no, "/api/v1/enterprise/join-requests"));
    zm_expect_no_perm(zm_send(w->e, &no, "POST", jr_path(jr1, "approve"), "{}"));
    zm_expect_no_perm(zm_send(w->e, &no, "POST", jr_path(jr2, "reject"), "{\"reason\":\"不认识\"}"));
    zm_expect_no_perm(zt_get(w->e, &no, "/api/v1/enterprise/role-options"));
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action <> 'access.denied'"), audits);
    /* every refusal is audited: 8 routes were refused */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"), 8);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM app_user WHERE phone = '13800000106'"), 0);
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE user_id = %lld", (long long)target), w->ro_a);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld AND status = 'active'", (long long)target), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM join_request WHERE status = 'pending'"), 2);

    /* the holder of employee.manage (and policy.view): every route works
     * within their own permissions (只读 = policy.view) */
    zt_resp *r = zt_get(w->e, &yes, "/api/v1/enterprise/employees");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zm_send(w->e, &yes, "POST", "/api/v1/enterprise/employees", "{\"name\":\"赵六\",\"phone\":\"13800000106\",\"role_id\":%lld}",
                (long long)w->ro_a);
    assert_int_equal(r->status, 201);
    zt_resp_free(r);
    r = zm_send(w->e, &yes, "PUT", emp_path(target), "{\"role_id\":%lld}", (long long)yes_role);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zm_send(w->e, &yes, "DELETE", emp_path(target), NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zt_get(w->e, &yes, "/api/v1/enterprise/join-requests");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zm_send(w->e, &yes, "POST", jr_path(jr1, "approve"), "{\"role_id\":%lld}", (long long)w->ro_a);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zm_send(w->e, &yes, "POST", jr_path(jr2, "reject"), "{\"reason\":\"不认识\"}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zt_get(w->e, &yes, "/api/v1/enterprise/role-options");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    (void)yes_id;
}

/* ---- adding ---- */

static void test_add_new_account_888888(void **st)
{
    world *w = *st;
    zt_resp *r = zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees",
                         "{\"name\":\" 王五 \",\"phone\":\"13800000201\",\"role_id\":%lld}", (long long)w->sales_a);
    assert_int_equal(r->status, 201);
    int64_t inv = zt_int(r, "id");
    assert_string_equal(zt_str(r, "name"), "王五");
    assert_string_equal(zt_str(r, "phone"), "138****0201");
    assert_string_equal(zt_str(r, "status"), "pending");
    assert_int_equal(zt_int(r, "role.id"), w->sales_a);
    assert_string_equal(zt_str(r, "role.name"), "业务员");
    assert_null(zt_json(r, "account"));
    assert_null(zt_json(r, "user_id"));
    assert_non_null(strstr(zt_str(r, "expires_at"), "+08:00"));
    zt_resp_free(r);
    int64_t uid = zt_count(w->e, "SELECT id FROM app_user WHERE phone = '13800000201'");
    assert_true(uid > 0);
    assert_int_equal(zt_countf(w->e, "SELECT must_change_password FROM app_user WHERE id = %lld", (long long)uid), 1);
    /* not a member until they accept */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld", (long long)uid), 0);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'employee.invite' AND object_id = '%lld'"
                                     " AND detail LIKE '%%138****0201%%' AND detail LIKE '%%created%%' AND enterprise_id = %lld",
                               (long long)inv, (long long)w->ent_a),
                     1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%13800000201%'"), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%888888%'"), 0);

    /* the employee's first session can do nothing before the password
     * change (the login itself, with its SMS step, is test_auth's) */
    zt_client emp;
    zt_client_init(&emp);
    /* whoever guesses phone and 888888 gets no session: the phone must prove itself */
    r = zt_post(w->e, &emp, "/api/v1/auth/login", "{\"phone\":\"13800000201\",\"password\":\"888888\"}");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "sms_required")));
    assert_null(zt_header(r, "Set-Cookie"));
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &emp, "/api/v1/enterprise/permissions"), 401, "unauthenticated");
    char code[8];
    zt_last_code(w->e, "13800000201", code);
    r = zt_postf(w->e, &emp, "/api/v1/auth/login", "{\"phone\":\"13800000201\",\"password\":\"888888\",\"sms_code\":\"%s\"}",
                 code);
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "must_change_password")));
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &emp, "/api/v1/me/invitations"), 403, "password_change_required");
    r = zm_send(w->e, &emp, "POST", "/api/v1/auth/password", "{\"old_password\":\"888888\",\"new_password\":\"Wuyi-Shan#2024\"}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    /* made by the invitation, so the 用户协议/隐私政策 are agreed to next */
    zt_expect(zt_get(w->e, &emp, "/api/v1/me/invitations"), 403, "consent_required");
    zt_expect(zt_post(w->e, &emp, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":1,\"channel\":\"web\"}"), 201,
              NULL);
    r = zt_get(w->e, &emp, "/api/v1/me/invitations");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), inv);
    assert_string_equal(zt_str(r, "items.0.enterprise.name"), "福州甲贸易有限公司");
    zt_resp_free(r);
    char p[96];
    snprintf(p, sizeof p, "/api/v1/me/invitations/%lld/accept", (long long)inv);
    r = zm_send(w->e, &emp, "POST", p, "{}");
    assert_int_equal(r->status, 200);
    /* their one enterprise is selected at once */
    assert_int_equal(zt_int(r, "current_enterprise_id"), w->ent_a);
    zt_resp_free(r);
    /* they hold exactly 业务员's permissions */
    r = zt_get(w->e, &emp, "/api/v1/enterprise/permissions");
    assert_int_equal(r->status, 200);
    static const bool want[9] = {true, false, true, true, true, true, false, false, false};
    for (int i = 0; i < 9; i++) {
        char k[32];
        snprintf(k, sizeof k, "items.%d.granted", i);
        if (json_is_true(zt_json(r, k)) != want[i]) fail_msg("permission %d: %s", i, r->body);
    }
    zt_resp_free(r);
    zm_expect_no_perm(zt_get(w->e, &emp, "/api/v1/enterprise/employees"));
    zm_expect_no_perm(zt_get(w->e, &emp, "/api/v1/enterprise/roles"));

    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees");
    assert_int_equal(zt_int(r, "total"), 2);
    assert_string_equal(zt_str(r, "items.1.name"), "王五");
    assert_true(json_is_false(zt_json(r, "items.1.password_change_pending")));
    zt_resp_free(r);
}

static void test_add_existing_account(void **st)
{
    world *w = *st;
    /* the legal rep of B is invited to A: nothing about the account is
     * told, and nothing is linked before they accept */
    long long users = zt_count(w->e, "SELECT COUNT(*) FROM app_user");
    zt_resp *r = zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees",
                         "{\"name\":\"别的名字\",\"phone\":\"13900000002\",\"role_id\":%lld}", (long long)w->ro_a);
    assert_int_equal(r->status, 201);
    int64_t inv = zt_int(r, "id");
    assert_string_equal(zt_str(r, "name"), "别的名字");     /* what the inviter typed, never the account's */
    assert_null(strstr(r->body, "用户0002"));
    assert_null(zt_json(r, "account"));
    assert_null(zt_json(r, "user_id"));
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM app_user"), users);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE enterprise_id = %lld AND user_id = %lld",
                               (long long)w->ent_a, (long long)w->lr_b_id), 0);
    /* twice: conflict, a clear one */
    r = zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees", "{\"name\":\"x\",\"phone\":\"13900000002\",\"role_id\":%lld}",
                (long long)w->ro_a);
    zt_expect(r, 409, "conflict");

    accept_as(w->e, w->lr_b_id, inv);
    assert_int_equal(zt_countf(w->e, "SELECT must_change_password FROM app_user WHERE id = %lld", (long long)w->lr_b_id), 0);
    zt_client again;
    zt_client_init(&again);
    zt_login(w->e, &again, "13900000002", ZT_PASSWORD);   /* own password still works */

    /* still B's legal rep, and a plain 只读 member of A */
    assert_int_equal(zt_countf(w->e, "SELECT is_legal_rep FROM membership WHERE enterprise_id = %lld AND user_id = %lld",
                               (long long)w->ent_b, (long long)w->lr_b_id), 1);
    assert_int_equal(zt_countf(w->e, "SELECT is_legal_rep FROM membership WHERE enterprise_id = %lld AND user_id = %lld",
                               (long long)w->ent_a, (long long)w->lr_b_id), 0);
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE enterprise_id = %lld AND user_id = %lld",
                               (long long)w->ent_a, (long long)w->lr_b_id), w->ro_a);

    /* now a member: conflict; the legal rep's own phone: conflict */
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees",
                      "{\"name\":\"x\",\"phone\":\"13900000002\",\"role_id\":%lld}", (long long)w->ro_a), 409, "conflict");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees",
                      "{\"name\":\"x\",\"phone\":\"13900000001\",\"role_id\":%lld}", (long long)w->ro_a), 409, "conflict");
    assert_int_equal(zt_countf(w->e, "SELECT is_legal_rep FROM membership WHERE enterprise_id = %lld AND user_id = %lld",
                               (long long)w->ent_a, (long long)w->lr_a_id), 1);
    assert_int_equal(zm_audits(w->e, "employee.invite"), 1);
    assert_int_equal(zm_audits(w->e, "employee.invite_accept"), 1);

    /* a pending join request of the person is settled when they accept */
    int64_t asker = zt_make_user(w->e, "13800000202", ZT_PASSWORD);
    int64_t jr = join_request(w->e, w->ent_a, asker);
    inv = invite(w->e, &w->lr_a, "x", "13800000202", w->ro_a);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM join_request WHERE id = %lld AND status = 'pending'", (long long)jr), 1);
    accept_as(w->e, asker, inv);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM join_request WHERE id = %lld AND status = 'approved'"
                                     " AND decided_by = %lld", (long long)jr, (long long)w->lr_a_id), 1);
}

static void test_add_bad_input_stores_nothing(void **st)
{
    world *w = *st;
    long long users = zt_count(w->e, "SELECT COUNT(*) FROM app_user");
    long long members = zt_count(w->e, "SELECT COUNT(*) FROM membership");
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    char ok_role[32];
    snprintf(ok_role, sizeof ok_role, "%lld", (long long)w->sales_a);
    static const char *const bad[][3] = {
        {"{\"phone\":\"13800000301\",\"role_id\":%s}", "name", NULL},
        {"{\"name\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\",\"phone\":\"13800000301\",\"role_id\":%s}", "name", NULL},
        {"{\"name\":\"王\\u0007五\",\"phone\":\"13800000301\",\"role_id\":%s}", "name", NULL},
        {"{\"name\":\"王五\",\"role_id\":%s}", "phone", NULL},
        {"{\"name\":\"王五\",\"phone\":\"1380000030\",\"role_id\":%s}", "phone", NULL},
        {"{\"name\":\"王五\",\"phone\":\"23800000301\",\"role_id\":%s}", "phone", NULL},
        {"{\"name\":\"王五\",\"phone\":\"1380000030a\",\"role_id\":%s}", "phone", NULL},
        {"{\"name\":\"王五\",\"phone\":13800000301,\"role_id\":%s}", "phone", NULL},
        {"{\"name\":\"王五\",\"phone\":\"13800000301\"}", "role_id", NULL},
        {"{\"name\":\"王五\",\"phone\":\"13800000301\",\"role_id\":\"%s\"}", "role_id", NULL},
        {"{\"name\":\"王五\",\"phone\":\"13800000301\",\"role_id\":0}", "role_id", NULL},
        {"{\"name\":\"王五\",\"phone\":\"13800000301\",\"role_id\":-%s}", "role_id", NULL},
        {"{\"name\":\"王五\",\"phone\":\"13800000301\",\"role_id\":%s,\"is_legal_rep\":true}", "is_legal_rep", NULL},
        {"{\"name\":\"王五\",\"phone\":\"13800000301\",\"role_id\":%s,\"password\":\"Abc#12345678\"}", "password", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[512], f[64];
        snprintf(body, sizeof body, bad[i][0], ok_role);
        zt_resp *r = zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees", "%s", body);
        snprintf(f, sizeof f, "error.fields.%s", bad[i][1]);
        if (r->status != 400 || !zt_str(r, f)) fail_msg("%s: expected a field error on %s: %d %s", body, bad[i][1], r->status, r->body);
        zt_expect(r, 400, "validation_failed");
    }
    /* a role that does not exist */
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees",
                      "{\"name\":\"王五\",\"phone\":\"13800000301\",\"role_id\":987654}"), 404, "not_found");
    /* not JSON (jansson refuses \u0000 too), wrong content type */
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees",
                      "{\"name\":\"王\\u0000五\",\"phone\":\"13800000301\",\"role_id\":%lld}", (long long)w->sales_a),
              400, "invalid_json");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees", "{\"name\":"), 400, "invalid_json");
    zt_expect(zt_req(w->e, &w->lr_a, "POST", "/api/v1/enterprise/employees", "name=x", "Content-Type: application/x-www-form-urlencoded\n"),
              415, "unsupported_media_type");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM app_user"), users);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM membership"), members);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log"), audits);
}

/* ---- list ---- */

static void test_list(void **st)
{
    world *w = *st;
    zm_member(w->e, w->ent_a, "13800000401", w->sales_a);
    zm_member(w->e, w->ent_a, "13800000402", w->ro_a);
    int64_t gone = zm_member(w->e, w->ent_a, "13800000403", w->ro_a);
    zt_execf(w->e, "UPDATE membership SET status = 'removed' WHERE user_id = %lld", (long long)gone);
    zm_member(w->e, w->ent_b, "13800000404", w->sales_b);

    zt_resp *r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 3);
    assert_int_equal(zt_int(r, "page"), 1);
    assert_int_equal(zt_int(r, "page_size"), 20);
    assert_int_equal(zt_int(r, "items.0.user_id"), w->lr_a_id);       /* the legal rep first */
    assert_true(json_is_true(zt_json(r, "items.0.is_legal_rep")));
    assert_true(json_is_true(zt_json(r, "items.0.is_self")));
    assert_true(json_is_null(zt_json(r, "items.0.role")));
    assert_string_equal(zt_str(r, "items.0.phone"), "13900000001");    /* one's own in full */
    assert_string_equal(zt_str(r, "items.1.phone"), "138****0401");    /* another person's masked */
    assert_string_equal(zt_str(r, "items.1.role.name"), "业务员");
    assert_true(json_is_false(zt_json(r, "items.1.is_self")));
    assert_string_equal(zt_str(r, "items.2.role.name"), "只读");
    zt_resp_free(r);

    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees?q=0402");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_string_equal(zt_str(r, "items.0.phone"), "138****0402");
    zt_resp_free(r);
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees?q=13800000402");   /* the whole number finds it */
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees?q=%25");   /* LIKE wildcards are literal */
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    char p[96];
    snprintf(p, sizeof p, "/api/v1/enterprise/employees?role_id=%lld", (long long)w->sales_a);
    r = zt_get(w->e, &w->lr_a, p);
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees?page=2&page_size=2");
    assert_int_equal(zt_int(r, "total"), 3);
    assert_int_equal(json_array_size(zt_json(r, "items")), 1);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees?page_size=101"), 400, "validation_failed");
    zt_expect(zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees?role_id=x"), 400, "validation_failed");

    r = zt_get(w->e, &w->lr_b, "/api/v1/enterprise/employees");
    assert_int_equal(zt_int(r, "total"), 2);
    zt_resp_free(r);
}

/* ---- changing the role ---- */

static void test_change_role(void **st)
{
    world *w = *st;
    int64_t uid = zm_member(w->e, w->ent_a, "13800000501", w->ro_a);
    zt_resp *r = zm_send(w->e, &w->lr_a, "PUT", emp_path(uid), "{\"role_id\":%lld}", (long long)w->sales_a);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "role.name"), "业务员");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE user_id = %lld", (long long)uid), w->sales_a);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'employee.role' AND object_id = '%lld'",
                               (long long)uid), 1);

    /* refusals change nothing */
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", emp_path(w->lr_a_id), "{\"role_id\":%lld}", (long long)w->ro_a), 422, "business_rule");
    zt_client mgr;
    int64_t mgr_id = zm_member(w->e, w->ent_a, "13800000502", w->admin_a);
    zm_session(w->e, &mgr, mgr_id, w->ent_a);
    zt_expect(zm_send(w->e, &mgr, "PUT", emp_path(mgr_id), "{\"role_id\":%lld}", (long long)w->ro_a), 422, "business_rule");
    zt_expect(zm_send(w->e, &mgr, "PUT", emp_path(w->lr_a_id), "{\"role_id\":%lld}", (long long)w->ro_a), 422, "business_rule");
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", emp_path(uid), "{\"role_id\":987654}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", emp_path(uid), "{}"), 400, "validation_failed");
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", emp_path(uid), "{\"role_id\":%lld,\"name\":\"x\"}", (long long)w->ro_a), 400,
              "validation_failed");
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", emp_path(987654), "{\"role_id\":%lld}", (long long)w->ro_a), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", "/api/v1/enterprise/employees/x1", "{\"role_id\":1}"), 404, "not_found");
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE user_id = %lld", (long long)uid), w->sales_a);
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE user_id = %lld", (long long)mgr_id), w->admin_a);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld AND role_id IS NULL", (long long)w->lr_a_id), 1);
    assert_int_equal(zm_audits(w->e, "employee.role"), 1);
}

/* ---- removing ---- */

static void test_remove_ends_sessions(void **st)
{
    world *w = *st;
    int64_t uid = zm_member(w->e, w->ent_a, "13800000601", w->sales_a);
    zt_add_member(w->e, w->ent_b, uid, false);
    zt_client in_a, in_a2, in_b;
    zm_session(w->e, &in_a, uid, w->ent_a);
    zm_session(w->e, &in_a2, uid, w->ent_a);
    zm_session(w->e, &in_b, uid, w->ent_b);
    zt_resp *r = zt_get(w->e, &in_a, "/api/v1/enterprise/permissions");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);

    r = zm_send(w->e, &w->lr_a, "DELETE", emp_path(uid), NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "removed");
    assert_int_equal(zt_int(r, "sessions_revoked"), 2);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE enterprise_id = %lld AND user_id = %lld"
                                     " AND status = 'removed' AND role_id IS NULL", (long long)w->ent_a, (long long)uid), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'employee.remove' AND object_id = '%lld'"
                                     " AND detail LIKE '%%138****0601%%'", (long long)uid), 1);

    /* their next request in A is refused at once */
    zt_expect(zt_get(w->e, &in_a, "/api/v1/enterprise/permissions"), 401, "unauthenticated");
    zt_expect(zm_send(w->e, &in_a2, "POST", "/api/v1/enterprise/roles", "{\"name\":\"x\",\"permissions\":[]}"), 401, "unauthenticated");
    /* their session in B is untouched */
    r = zt_get(w->e, &in_b, "/api/v1/enterprise/permissions");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    /* gone from the list; removing again is 404 */
    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", emp_path(uid), NULL), 404, "not_found");

    /* a session whose membership ended without being revoked has no access either */
    int64_t other = zm_member(w->e, w->ent_a, "13800000602", w->sales_a);
    zt_client o;
    zm_session(w->e, &o, other, w->ent_a);
    zt_execf(w->e, "UPDATE membership SET status = 'removed' WHERE user_id = %lld", (long long)other);
    zt_expect(zt_get(w->e, &o, "/api/v1/enterprise/permissions"), 403, "forbidden");

    /* and inviting the person again brings them back, once they accept, with the new role */
    int64_t inv = invite(w->e, &w->lr_a, "x", "13800000601", w->ro_a);
    accept_as(w->e, uid, inv);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE enterprise_id = %lld AND user_id = %lld",
                               (long long)w->ent_a, (long long)uid), 1);
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE enterprise_id = %lld AND user_id = %lld"
                                     " AND status = 'active'", (long long)w->ent_a, (long long)uid), w->ro_a);
}

static void test_remove_guards(void **st)
{
    world *w = *st;
    zt_client mgr;
    int64_t mgr_id = zm_member(w->e, w->ent_a, "13800000701", w->admin_a);
    zm_session(w->e, &mgr, mgr_id, w->ent_a);
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    zt_expect(zm_send(w->e, &mgr, "DELETE", emp_path(w->lr_a_id), NULL), 422, "business_rule");
    zt_expect(zm_send(w->e, &mgr, "DELETE", emp_path(mgr_id), NULL), 422, "business_rule");
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", emp_path(w->lr_a_id), NULL), 422, "business_rule");
    zt_expect(zm_send(w->e, &mgr, "DELETE", emp_path(987654), NULL), 404, "not_found");
    zt_expect(zm_send(w->e, &mgr, "DELETE", emp_path(mgr_id), "{\"force\":true}"), 400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM membership WHERE status = 'active'"), 3);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM session WHERE revoked_at <> 0"), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log"), audits);
}

/* ---- nobody hands out more than they hold ---- */

static void test_no_escalation(void **st)
{
    world *w = *st;
    zt_client mgr;   /* 管理员: everything but role.manage */
    int64_t mgr_id = zm_member(w->e, w->ent_a, "13800000801", w->admin_a);
    zm_session(w->e, &mgr, mgr_id, w->ent_a);
    int64_t top = zm_role(w->e, w->ent_a, "总管", ZM_ALL_PERMS);
    int64_t boss = zm_member(w->e, w->ent_a, "13800000802", top);
    int64_t plain = zm_member(w->e, w->ent_a, "13800000803", w->ro_a);
    int64_t asker = zt_make_user(w->e, "13800000804", ZT_PASSWORD);
    int64_t jr = join_request(w->e, w->ent_a, asker);

    zt_expect(zm_send(w->e, &mgr, "POST", "/api/v1/enterprise/employees", "{\"name\":\"x\",\"phone\":\"13800000805\",\"role_id\":%lld}",
                      (long long)top), 403, "forbidden");
    zt_expect(zm_send(w->e, &mgr, "PUT", emp_path(plain), "{\"role_id\":%lld}", (long long)top), 403, "forbidden");
    zt_expect(zm_send(w->e, &mgr, "PUT", emp_path(boss), "{\"role_id\":%lld}", (long long)w->ro_a), 403, "forbidden");
    zt_expect(zm_send(w->e, &mgr, "DELETE", emp_path(boss), NULL), 403, "forbidden");
    zt_expect(zm_send(w->e, &mgr, "POST", jr_path(jr, "approve"), "{\"role_id\":%lld}", (long long)top), 403, "forbidden");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM app_user WHERE phone = '13800000805'"), 0);
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE user_id = %lld", (long long)plain), w->ro_a);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld AND status = 'active'", (long long)boss), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM join_request WHERE id = %lld AND status = 'pending'", (long long)jr), 1);

    zt_resp *r = zt_get(w->e, &mgr, "/api/v1/enterprise/role-options");
    assert_int_equal(r->status, 200);
    json_t *items = zt_json(r, "items");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        const char *n = json_string_value(json_object_get(it, "name"));
        bool assignable = json_is_true(json_object_get(it, "assignable"));
        if (strcmp(n, "总管") == 0) assert_false(assignable), seen++;
        if (strcmp(n, "管理员") == 0 || strcmp(n, "只读") == 0) assert_true(assignable), seen++;
    }
    assert_int_equal(seen, 3);
    zt_resp_free(r);

    /* the legal rep can do all of it */
    r = zm_send(w->e, &w->lr_a, "PUT", emp_path(plain), "{\"role_id\":%lld}", (long long)top);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
}

/* ---- join requests ---- */

static void test_join_requests(void **st)
{
    world *w = *st;
    /* asked through the registration colleague's endpoint when it is there */
    int64_t asker = zt_make_user(w->e, "13800000901", ZT_PASSWORD);
    zt_client ac;
    zm_session(w->e, &ac, asker, 0);
    char *uscc = NULL;
    {
        db_conn *db = db_pool_acquire(w->e->app->pool);
        db_stmt *s = db_prepare(db, "SELECT uscc FROM enterprise WHERE id = $1");
        db_bind_int64(s, 1, w->ent_a);
        assert_int_equal(db_step(s), DB_ROW);
        uscc = strdup(db_col_text(s, 0));
        db_stmt_done(s);
        db_pool_release(w->e->app->pool, db);
    }
    zt_resp *r = zm_send(w->e, &ac, "POST", "/api/v1/join-requests", "{\"uscc\":\"%s\",\"message\":\"我是新来的外贸业务员\"}", uscc);
    free(uscc);
    assert_int_equal(r->status, 201);
    int64_t jr = zt_int(r, "id");
    zt_resp_free(r);
    int64_t asker2 = zt_make_user(w->e, "13800000902", ZT_PASSWORD);
    int64_t jr2 = join_request(w->e, w->ent_a, asker2);
    int64_t jr_b = join_request(w->e, w->ent_b, zt_make_user(w->e, "13800000903", ZT_PASSWORD));

    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/join-requests?status=pending");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 2);
    assert_int_equal(zt_int(r, "items.0.id"), jr);    /* newest first */
    assert_string_equal(zt_str(r, "items.0.user.phone"), "138****0901");
    assert_string_equal(zt_str(r, "items.0.message"), "我是新来的外贸业务员");
    assert_string_equal(zt_str(r, "items.0.status"), "pending");
    assert_true(json_is_null(zt_json(r, "items.0.decided_at")));
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->lr_a, "/api/v1/enterprise/join-requests?status=maybe"), 400, "validation_failed");

    /* B's request is out of A's reach */
    zt_expect(zm_send(w->e, &w->lr_a, "POST", jr_path(jr_b, "approve"), "{}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", jr_path(jr_b, "reject"), "{\"reason\":\"不认识\"}"), 404, "not_found");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM join_request WHERE id = %lld AND status = 'pending'", (long long)jr_b), 1);

    /* approve with a role */
    r = zm_send(w->e, &w->lr_a, "POST", jr_path(jr, "approve"), "{\"role_id\":%lld}", (long long)w->sales_a);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "approved");
    assert_non_null(zt_str(r, "decided_at"));
    assert_string_equal(zt_str(r, "decided_by_name"), "用户0001");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE enterprise_id = %lld AND user_id = %lld AND status = 'active'",
                               (long long)w->ent_a, (long long)asker), w->sales_a);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'join.approve' AND object_id = '%lld'",
                               (long long)jr), 1);
    /* the new member switches to A and works with 业务员's rights */
    zm_session(w->e, &ac, asker, w->ent_a);
    r = zt_get(w->e, &ac, "/api/v1/enterprise/permissions");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "items.2.granted")));   /* trade.report */
    zt_resp_free(r);
    /* decided once */
    zt_expect(zm_send(w->e, &w->lr_a, "POST", jr_path(jr, "approve"), "{}"), 409, "conflict");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", jr_path(jr, "reject"), "{\"reason\":\"x\"}"), 409, "conflict");

    /* reject needs a reason; a bad body stores nothing */
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", jr_path(jr2, "reject"), "{}"), 400, "validation_failed");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", jr_path(jr2, "reject"), "{\"reason\":\"  \"}"), 400, "validation_failed");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", jr_path(jr2, "approve"), "{\"role_id\":\"1\"}"), 400, "validation_failed");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", jr_path(jr2, "approve"), "{\"role\":1}"), 400, "validation_failed");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", jr_path(jr2, "approve"), "{\"role_id\":987654}"), 404, "not_found");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log"), audits);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM join_request WHERE id = %lld AND status = 'pending'", (long long)jr2), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld", (long long)asker2), 0);

    r = zm_send(w->e, &w->lr_a, "POST", jr_path(jr2, "reject"), "{\"reason\":\"本公司无此员工\"}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "rejected");
    assert_string_equal(zt_str(r, "reason"), "本公司无此员工");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld", (long long)asker2), 0);
    assert_int_equal(zm_audits(w->e, "join.reject"), 1);

    r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/join-requests");
    assert_int_equal(zt_int(r, "total"), 2);
    zt_resp_free(r);
    r = zt_get(w->e, &w->lr_b, "/api/v1/enterprise/join-requests");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), jr_b);
    zt_resp_free(r);

    /* approving without a role: a member with no permissions yet */
    int64_t asker3 = zt_make_user(w->e, "13800000904", ZT_PASSWORD);
    int64_t jr3 = join_request(w->e, w->ent_a, asker3);
    r = zm_send(w->e, &w->lr_a, "POST", jr_path(jr3, "approve"), NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld AND role_id IS NULL AND status = 'active'",
                               (long long)asker3), 1);
    (void)asker2;
}

/* ---- enterprise A never reaches B ---- */

static void test_other_enterprise_404(void **st)
{
    world *w = *st;
    int64_t b_emp = zm_member(w->e, w->ent_b, "13800001001", w->sales_b);
    zt_resp *r = zt_get(w->e, &w->lr_a, "/api/v1/enterprise/employees?q=13800001001");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", emp_path(b_emp), "{\"role_id\":%lld}", (long long)w->ro_a), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", emp_path(b_emp), NULL), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", emp_path(w->lr_b_id), NULL), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "PUT", emp_path(b_emp), "{\"role_id\":%lld}", (long long)w->sales_b), 404, "not_found");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld AND status = 'active' AND role_id = %lld",
                               (long long)b_emp, (long long)w->sales_b), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld", (long long)b_emp), 1);
    /* switching the session to B without being a member of it gives nothing */
    zt_client sneaky;
    zm_session(w->e, &sneaky, w->lr_a_id, w->ent_b);
    zt_expect(zt_get(w->e, &sneaky, "/api/v1/enterprise/employees"), 403, "forbidden");
    zt_expect(zm_send(w->e, &sneaky, "DELETE", emp_path(b_emp), NULL), 403, "forbidden");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld AND status = 'active'", (long long)b_emp), 1);
}

/* ---- handing over the legal-rep title ---- */

static void test_transfer_legal_rep(void **st)
{
    world *w = *st;
    const char *T = "/api/v1/enterprise/legal-rep/transfer";
    zt_client everything, emp;
    zm_member_with(w->e, &everything, w->ent_a, "13800001101", ZM_ALL_PERMS, NULL);
    int64_t emp_id = zm_member(w->e, w->ent_a, "13800001102", w->sales_a);
    zm_session(w->e, &emp, emp_id, w->ent_a);
    int64_t b_emp = zm_member(w->e, w->ent_b, "13800001103", w->sales_b);

    /* every permission is not enough: only the legal rep */
    zm_expect_no_perm(zm_send(w->e, &everything, "POST", T, "{\"user_id\":%lld,\"sms_code\":\"123456\"}", (long long)emp_id));

    zt_resp *r = zm_send(w->e, &w->lr_a, "POST", "/api/v1/sms/send", "{\"phone\":\"13900000001\",\"purpose\":\"transfer\"}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    char code[8], wrong[8];
    zt_last_code(w->e, "13900000001", code);
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);

    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", T, "{\"user_id\":%lld,\"sms_code\":\"%s\"}", (long long)w->lr_a_id, code), 422,
              "business_rule");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", T, "{\"user_id\":%lld,\"sms_code\":\"%s\"}", (long long)b_emp, code), 404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", T, "{\"user_id\":%lld,\"sms_code\":\"%s\"}", (long long)w->lr_b_id, code), 404,
              "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", T, "{\"user_id\":%lld,\"sms_code\":\"%s\",\"role_id\":987654}", (long long)emp_id, code),
              404, "not_found");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", T, "{\"user_id\":%lld}", (long long)emp_id), 400, "validation_failed");
    zt_expect(zm_send(w->e, &w->lr_a, "POST", T, "{\"sms_code\":\"%s\"}", code), 400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log"), audits);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM sms_code WHERE purpose = 'transfer' AND used_at = 0 AND attempts = 0"), 1);

    /* a wrong code: refused, the try counted and recorded, nothing moved */
    r = zm_send(w->e, &w->lr_a, "POST", T, "{\"user_id\":%lld,\"sms_code\":\"%s\"}", (long long)emp_id, wrong);
    assert_non_null(zt_str(r, "error.fields.sms_code"));
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT attempts FROM sms_code WHERE purpose = 'transfer'"), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'legal_rep.transfer' AND result = 'failed'"), 1);
    assert_int_equal(zt_countf(w->e, "SELECT is_legal_rep FROM membership WHERE user_id = %lld AND enterprise_id = %lld",
                               (long long)w->lr_a_id, (long long)w->ent_a), 1);

    /* the right one: the employee becomes the legal rep, the former one keeps 管理员 */
    r = zm_send(w->e, &w->lr_a, "POST", T, "{\"user_id\":%lld,\"sms_code\":\"%s\",\"role_id\":%lld}", (long long)emp_id, code,
                (long long)w->admin_a);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "legal_rep.user_id"), emp_id);
    assert_int_equal(zt_int(r, "former.role_id"), w->admin_a);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE enterprise_id = %lld AND is_legal_rep = 1",
                               (long long)w->ent_a), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM membership WHERE enterprise_id = %lld AND user_id = %lld"
                                     " AND is_legal_rep = 1 AND role_id IS NULL", (long long)w->ent_a, (long long)emp_id), 1);
    assert_int_equal(zt_countf(w->e, "SELECT role_id FROM membership WHERE enterprise_id = %lld AND user_id = %lld",
                               (long long)w->ent_a, (long long)w->lr_a_id), w->admin_a);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'legal_rep.transfer' AND result = 'ok'"
                                    " AND detail LIKE '%138****1102%'"), 1);

    /* both open sessions follow at their next request */
    zm_expect_no_perm(zt_get(w->e, &w->lr_a, "/api/v1/enterprise/roles"));
    r = zt_get(w->e, &emp, "/api/v1/enterprise/roles");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->lr_a, "DELETE", emp_path(emp_id), NULL), 422, "business_rule");
    /* the code is spent, and the former legal rep cannot take the title back */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM sms_code WHERE purpose = 'transfer' AND used_at <> 0"), 1);
    zm_expect_no_perm(zm_send(w->e, &w->lr_a, "POST", T, "{\"user_id\":%lld,\"sms_code\":\"%s\"}", (long long)w->lr_a_id, code));
}

/* ---- two managers add the same new person at once ---- */

typedef struct {
    zt_env *e;
    zt_client c;
    const char *body;
    int status;
} racer;

static void *race(void *arg)
{
    racer *x = arg;
    zt_resp *r = zt_req(x->e, &x->c, "POST", "/api/v1/enterprise/employees", x->body, NULL);
    x->status = r->status;
    zt_resp_free(r);
    return NULL;
}

static void test_concurrent_adds(void **st)
{
    world *w = *st;
    char body[160];
    snprintf(body, sizeof body, "{\"name\":\"孙七\",\"phone\":\"13800001201\",\"role_id\":%lld}", (long long)w->ro_a);
    for (int round = 0; round < 3; round++) {
        racer x[2];
        pthread_t t[2];
        for (int i = 0; i < 2; i++) {
            x[i] = (racer){.e = w->e, .c = w->lr_a, .body = body, .status = 0};
            assert_int_equal(pthread_create(&t[i], NULL, race, &x[i]), 0);
        }
        for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
        int created = (x[0].status == 201) + (x[1].status == 201), conflict = (x[0].status == 409) + (x[1].status == 409);
        if (created != 1 || conflict != 1) fail_msg("round %d: statuses %d and %d", round, x[0].status, x[1].status);
        assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM app_user WHERE phone = '13800001201'"), 1);
        assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM member_invitation i JOIN app_user u ON u.id = i.user_id"
                                        " WHERE u.phone = '13800001201' AND i.status = 'pending'"), 1);
        assert_int_equal(zm_audits(w->e, "employee.invite"), round + 1);
        /* revoke for the next round (an existing account from now on) */
        long long id = zt_count(w->e, "SELECT MAX(id) FROM member_invitation");
        char p[96];
        snprintf(p, sizeof p, "/api/v1/enterprise/invitations/%lld/revoke", id);
        zt_resp *r = zm_send(w->e, &w->lr_a, "POST", p, "{}");
        assert_int_equal(r->status, 200);
        zt_resp_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_employee_manage_matrix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_new_account_888888, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_existing_account, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_bad_input_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_ends_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_guards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_escalation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_join_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_enterprise_404, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_legal_rep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_adds, setup, teardown),
    };
    return cmocka_run_group_tests_name("employees", tests, NULL, NULL);
}
