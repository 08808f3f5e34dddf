/*
 * test_register.c — API tests of enterprise registration (manual 1.1, 1.2):
 * the happy paths (legal rep, non-legal-rep, all optional fields), every
 * class of bad field → 400 with that field named and nothing stored, the
 * SMS code, duplicate USCC (409 uscc_registered + join offer), a phone that
 * already has an account, “添加企业” for a logged-in account, the
 * applicant's view and edit of the application, and join requests.
 * Runs on SQLite and, with ZQ_TEST_DB, on PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures_reg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **st)
{
    *st = zt_start();
    return 0;
}

static int teardown(void **st)
{
    zt_stop(*st);
    return 0;
}

typedef struct {
    long long ent, user, member, chars;
} counts;

static counts count_all(zt_env *e)
{
    counts c = {
        zt_count(e, "SELECT COUNT(*) FROM enterprise"),
        zt_count(e, "SELECT COUNT(*) FROM app_user"),
        zt_count(e, "SELECT COUNT(*) FROM membership"),
        zt_count(e, "SELECT COUNT(*) FROM enterprise_characteristic"),
    };
    return c;
}

static void assert_counts(zt_env *e, counts before)
{
    counts now = count_all(e);
    assert_int_equal(now.ent, before.ent);
    assert_int_equal(now.user, before.user);
    assert_int_equal(now.member, before.member);
    assert_int_equal(now.chars, before.chars);
}

/* Posts form (with a dummy SMS code: field checks come before the code)
 * and expects 400 naming `field`, with nothing stored. */
static void expect_field(zt_env *e, json_t *form, const char *field)
{
    counts before = count_all(e);
    json_t *body = json_deep_copy(form);
    if (!json_object_get(body, "sms_code")) json_object_set_new(body, "sms_code", json_string("000000"));
    zt_client c;
    zt_client_init(&c);
    zt_resp *r = zr_send(e, &c, "POST", "/api/v1/register", body);
    json_decref(body);
    char path[96];
    snprintf(path, sizeof path, "error.fields.%s", field);
    if (r->status != 400 || !zt_str(r, path))
        fail_msg("expected 400 with fields.%s, got %d %s", field, r->status, r->body);
    assert_string_equal(zt_str(r, "error.code"), "validation_failed");
    zt_resp_free(r);
    assert_counts(e, before);
}

/* One bad value for one field on top of a valid form. */
static void expect_bad(zt_env *e, const char *field, json_t *value)
{
    char uscc[19];
    zr_uscc(1, uscc);
    json_t *f = zr_form(uscc, "13900000001");
    if (value) json_object_set_new(f, field, value);
    else json_object_del(f, field);
    expect_field(e, f, field);
    json_decref(f);
}

static void expect_bad_str(zt_env *e, const char *field, const char *value)
{
    expect_bad(e, field, value ? json_string(value) : NULL);
}

/* ---- happy paths ---- */

static void test_register_full_form(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    char uscc[19];
    zr_uscc(1, uscc);
    json_t *f = zr_form_full(uscc, "13900000001");
    zt_resp *r = zr_register(e, &c, f);
    json_decref(f);
    assert_int_equal(r->status, 201);
    assert_non_null(zt_str(r, "csrf_token"));
    assert_string_equal(zt_str(r, "user.phone"), "13900000001");
    assert_string_equal(zt_str(r, "user.name"), "张三");
    int64_t eid = zt_int(r, "current_enterprise_id");
    assert_int_equal(zt_int(r, "enterprises.0.id"), eid);
    assert_string_equal(zt_str(r, "enterprises.0.status"), "pending");
    /* a pending enterprise grants nothing yet, even to its legal rep */
    assert_int_equal(json_array_size(zt_json(r, "perms")), 0);
    assert_true(json_is_true(zt_json(r, "enterprises.0.is_legal_rep")));
    assert_string_equal(zt_str(r, "kind"), "user");
    assert_false(json_is_true(zt_json(r, "must_change_password")));
    assert_non_null(zt_header(r, "Set-Cookie"));
    zt_resp_free(r);

    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise WHERE status = 'pending'"), 1);
    assert_int_equal(zt_count(e, "SELECT registered_capital FROM enterprise"), 1234567);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise_characteristic"), 2);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM membership WHERE is_legal_rep = 1 AND status = 'active'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM app_user WHERE must_change_password = 0"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'registration.submit'"
                                 " AND region = '350102' AND result = 'ok'"), 1);
    char *hash = zr_text(e, "SELECT password_hash FROM app_user");
    assert_non_null(strstr(hash, "$argon2id$"));
    free(hash);
    char *detail = zr_text(e, "SELECT detail FROM audit_log WHERE action = 'registration.submit'");
    assert_null(strstr(detail, "13900000001")); /* phones masked in the log */
    free(detail);

    /* the new account is logged in and sees its application */
    r = zt_get(e, &c, "/api/v1/registration");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "id"), eid);
    assert_string_equal(zt_str(r, "status"), "pending");
    assert_string_equal(zt_str(r, "channel"), "web");
    assert_null(zt_str(r, "reject_reason"));
    assert_string_equal(zt_str(r, "uscc"), uscc);
    assert_string_equal(zt_str(r, "region_name"), "鼓楼区");
    assert_string_equal(zt_str(r, "industry_name"), "农副食品加工业");
    assert_string_equal(zt_str(r, "registered_capital"), "123.4567");
    assert_string_equal(zt_str(r, "term_start"), "2015-03-01");
    assert_string_equal(zt_str(r, "term_end"), "2045-02-28");
    assert_string_equal(zt_str(r, "founded_on"), "2015-03-01");
    assert_string_equal(zt_str(r, "customs_code"), "3501961234");
    assert_string_equal(zt_str(r, "trade_type"), "export");
    assert_string_equal(zt_str(r, "email"), "info@minjiang-trade.cn");
    assert_string_equal(zt_str(r, "staff_size"), "20_99");
    assert_string_equal(zt_str(r, "financing_stage"), "angel");
    assert_string_equal(zt_str(r, "characteristics.0"), "foreign_trade");
    assert_string_equal(zt_str(r, "characteristics.1"), "private");
    assert_string_equal(zt_str(r, "legal_rep_phone"), "13900000001");
    assert_true(json_is_true(zt_json(r, "can_edit")));
    const char *at = zt_str(r, "submitted_at");
    assert_non_null(at);
    assert_int_equal(strlen(at), 25);
    assert_string_equal(at + 19, "+08:00");
    zt_resp_free(r);
}

static void test_register_minimal_legal_rep_copied(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    char uscc[19];
    zr_uscc(2, uscc);
    json_t *f = zr_form(uscc, "13900000002"); /* no legal_rep_* at all */
    zt_resp *r = zr_register(e, &c, f);
    json_decref(f);
    zt_expect(r, 201, NULL);
    char *name = zr_text(e, "SELECT legal_rep_name FROM enterprise");
    char *phone = zr_text(e, "SELECT legal_rep_phone FROM enterprise");
    assert_string_equal(name, "张三");
    assert_string_equal(phone, "13900000002");
    free(name);
    free(phone);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise WHERE registered_capital IS NULL AND email IS NULL"), 1);
}

static void test_register_staff_applicant(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    char uscc[19];
    zr_uscc(3, uscc);
    json_t *f = zr_form(uscc, "13900000003");
    zr_set(f, "applicant_role", "staff");
    zr_set(f, "contact_name", "李四");
    zr_set(f, "legal_rep_name", "王五");
    zr_set(f, "legal_rep_phone", "13800000003");
    zt_resp *r = zr_register(e, &c, f);
    json_decref(f);
    assert_int_equal(r->status, 201);
    assert_false(json_is_true(zt_json(r, "enterprises.0.is_legal_rep")));
    zt_resp_free(r);
    r = zt_get(e, &c, "/api/v1/registration");
    assert_string_equal(zt_str(r, "legal_rep_name"), "王五");
    assert_string_equal(zt_str(r, "legal_rep_phone"), "13800000003");
    assert_string_equal(zt_str(r, "contact_name"), "李四");
    zt_resp_free(r);
    /* the applicant is a member; the legal rep gets an account on approval (test_review) */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM membership WHERE is_legal_rep = 0"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM app_user"), 1);
}

static void test_register_lowercase_uscc(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    char uscc[19], lower[19];
    zr_uscc(4, uscc);
    for (int i = 0; i < 19; i++) lower[i] = (char)(uscc[i] >= 'A' && uscc[i] <= 'Z' ? uscc[i] + 32 : uscc[i]);
    json_t *f = zr_form(lower, "13900000004");
    zt_resp *r = zr_register(e, &c, f);
    json_decref(f);
    zt_expect(r, 201, NULL);
    char *stored = zr_text(e, "SELECT uscc FROM enterprise");
    assert_string_equal(stored, uscc);
    free(stored);
}

/* ---- bad input, one test per class of field ---- */

static void test_bad_uscc(void **st)
{
    zt_env *e = *st;
    char uscc[19];
    zr_uscc(1, uscc);
    char wrong[19];
    memcpy(wrong, uscc, 19);
    wrong[17] = wrong[17] == '0' ? '1' : '0';
    expect_bad_str(e, "uscc", wrong);                 /* wrong check character */
    expect_bad_str(e, "uscc", "91350102MA0000O01X");  /* excluded letter O */
    expect_bad_str(e, "uscc", "91350102MA00000I1X");  /* excluded letter I */
    expect_bad_str(e, "uscc", "91350102MA0000001");   /* 17 characters */
    expect_bad_str(e, "uscc", "91350102MA000000011"); /* 19 characters */
    expect_bad_str(e, "uscc", NULL);                  /* missing */
    expect_bad(e, "uscc", json_integer(12345));
}

static void test_bad_phones(void **st)
{
    zt_env *e = *st;
    expect_bad_str(e, "contact_phone", "1390000001");
    expect_bad_str(e, "contact_phone", "12900000001");
    expect_bad_str(e, "contact_phone", "+8613900000001");
    expect_bad_str(e, "contact_phone", NULL);
    /* legal rep applicant: the legal rep phone must be the applicant's */
    expect_bad_str(e, "legal_rep_phone", "13800000009");
    expect_bad_str(e, "legal_rep_phone", "138000000");

    /* non-legal-rep applicant: legal rep fields required, phone must differ */
    char uscc[19];
    zr_uscc(1, uscc);
    json_t *f = zr_form(uscc, "13900000001");
    zr_set(f, "applicant_role", "staff");
    zr_set(f, "legal_rep_name", "王五");
    expect_field(e, f, "legal_rep_phone");
    zr_set(f, "legal_rep_phone", "13900000001");
    expect_field(e, f, "legal_rep_phone");
    zr_set(f, "legal_rep_phone", "13800000001");
    zr_set(f, "legal_rep_name", NULL);
    expect_field(e, f, "legal_rep_name");
    json_decref(f);
}

static void test_bad_names_and_text(void **st)
{
    zt_env *e = *st;
    char longname[400] = "";
    for (int i = 0; i < 101; i++) strcat(longname, "企");
    expect_bad_str(e, "name", longname);
    expect_bad_str(e, "name", "   ");
    expect_bad_str(e, "name", NULL);
    expect_bad_str(e, "legal_rep_name", "李四");      /* legal rep applicant named differently */
    char name31[200] = "";
    for (int i = 0; i < 31; i++) strcat(name31, "张");
    expect_bad_str(e, "contact_name", name31);
    expect_bad_str(e, "contact_name", NULL);
    expect_bad_str(e, "contact_name", "张\x01三");
    char scope[7000] = "";
    for (int i = 0; i < 2001; i++) strcat(scope, "a");
    expect_bad_str(e, "business_scope", scope);
    expect_bad_str(e, "intro", scope);
    expect_bad_str(e, "address", scope);
    expect_bad_str(e, "applicant_role", "boss");
    expect_bad_str(e, "applicant_role", NULL);
}

static void test_bad_email_and_customs(void **st)
{
    zt_env *e = *st;
    expect_bad_str(e, "email", "info@example");
    expect_bad_str(e, "email", "not-an-email");
    expect_bad_str(e, "email", "a@@b.cn");
    expect_bad_str(e, "customs_code", "350196123");
    expect_bad_str(e, "customs_code", "35019612345");
    expect_bad_str(e, "customs_code", "3501-61234");
}

static void test_bad_dates(void **st)
{
    zt_env *e = *st;
    expect_bad_str(e, "term_start", "2023-02-29");
    expect_bad_str(e, "term_start", "2023/01/01");
    expect_bad_str(e, "term_end", "2023-13-01");
    expect_bad_str(e, "founded_on", "20230101");
    expect_bad_str(e, "founded_on", "2999-01-01"); /* in the future */
    char uscc[19];
    zr_uscc(1, uscc);
    json_t *f = zr_form(uscc, "13900000001");
    zr_set(f, "term_start", "2024-06-01");
    zr_set(f, "term_end", "2024-05-31");
    expect_field(e, f, "term_end");
    json_decref(f);
}

static void test_bad_money(void **st)
{
    zt_env *e = *st;
    expect_bad_str(e, "registered_capital", "1.23456"); /* > 4 decimals */
    expect_bad_str(e, "registered_capital", "-5");
    expect_bad_str(e, "registered_capital", "1e3");
    expect_bad_str(e, "registered_capital", "abc");
    expect_bad_str(e, "registered_capital", "1000000000000");
    expect_bad(e, "registered_capital", json_real(100.5)); /* numbers would be floating point */
    expect_bad(e, "registered_capital", json_integer(100));
}

static void test_bad_codes(void **st)
{
    zt_env *e = *st;
    expect_bad_str(e, "region", "350100");   /* the city row, not a district */
    expect_bad_str(e, "region", "110101");   /* not in the dictionary */
    expect_bad_str(e, "region", NULL);
    expect_bad_str(e, "industry", "C");      /* a section, not a division */
    expect_bad_str(e, "industry", "99");
    expect_bad_str(e, "industry", NULL);
    expect_bad_str(e, "scale", "huge");
    expect_bad_str(e, "scale", NULL);
    expect_bad_str(e, "staff_size", "lots");
    expect_bad_str(e, "financing_stage", "z");
    expect_bad_str(e, "trade_type", "smuggling");
    expect_bad(e, "characteristics", json_array());
    expect_bad(e, "characteristics", json_pack("[s]", "nonexistent"));
    expect_bad(e, "characteristics", json_pack("[s,s]", "private", "private"));
    expect_bad(e, "characteristics", json_string("private"));
    expect_bad(e, "characteristics", NULL);
}

static void test_bad_password_and_extras(void **st)
{
    zt_env *e = *st;
    expect_bad_str(e, "password", "short1!");
    expect_bad_str(e, "password", "Passw0rd!");
    expect_bad_str(e, "password", "Aa123456!");
    expect_bad_str(e, "password", "888888");
    expect_bad_str(e, "password", NULL);
    expect_bad_str(e, "sms_code", "");
    expect_bad_str(e, "channel", "fax");
    expect_bad_str(e, "channel", "qr");          /* qr/link only through an invite */
    expect_bad_str(e, "invite", "no-such-invite-token");
    expect_bad_str(e, "is_admin", "1");          /* unknown key */
}

static void test_wrong_sms_code(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    char uscc[19], code[16];
    zr_uscc(5, uscc);
    zr_sms_code(e, &c, "13900000005", "register", code);
    json_t *f = zr_form(uscc, "13900000005");
    zr_set(f, "sms_code", strcmp(code, "123456") == 0 ? "654321" : "123456");
    counts before = count_all(e);
    zt_resp *r = zr_send(e, &c, "POST", "/api/v1/register", f);
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.sms_code"));
    zt_resp_free(r);
    assert_counts(e, before);
    /* the try was counted (that transaction is kept), the code still works */
    assert_int_equal(zt_count(e, "SELECT MAX(attempts) FROM sms_code"), 1);
    zr_set(f, "sms_code", code);
    zt_expect(zr_send(e, &c, "POST", "/api/v1/register", f), 201, NULL);
    /* and is single-use */
    char uscc2[19];
    zr_uscc(6, uscc2);
    zr_set(f, "uscc", uscc2);
    before = count_all(e);
    zt_client c2;
    zt_client_init(&c2);
    r = zr_send(e, &c2, "POST", "/api/v1/register", f);
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.sms_code"));
    zt_resp_free(r);
    assert_counts(e, before);
    json_decref(f);
}

static void test_duplicate_uscc(void **st)
{
    zt_env *e = *st;
    zt_client a, b;
    zt_client_init(&a);
    zt_client_init(&b);
    snprintf(b.ip, sizeof b.ip, "10.0.0.2");
    char uscc[19];
    zr_uscc(7, uscc);
    json_t *f = zr_form(uscc, "13900000007");
    zt_expect(zr_register(e, &a, f), 201, NULL);
    counts before = count_all(e);
    zr_set(f, "contact_phone", "13900000008");
    zt_resp *r = zr_register(e, &b, f);
    assert_int_equal(r->status, 409);
    assert_string_equal(zt_str(r, "error.code"), "uscc_registered");
    assert_non_null(strstr(zt_str(r, "error.message"), "申请加入"));
    assert_true(json_is_true(zt_json(r, "error.join_available")));
    assert_non_null(zt_str(r, "error.request_id"));
    assert_null(zt_header(r, "Set-Cookie"));
    zt_resp_free(r);
    assert_counts(e, before);
    json_decref(f);
}

static void test_phone_already_registered(void **st)
{
    zt_env *e = *st;
    zt_client c;
    zt_client_init(&c);
    char u1[19], u2[19];
    zr_uscc(10, u1);
    zr_uscc(11, u2);
    json_t *f = zr_form(u1, "13900000010");
    zt_expect(zr_register(e, &c, f), 201, NULL);

    /* the same phone, another enterprise, a different password: log in first */
    zr_set(f, "uscc", u2);
    zr_set(f, "password", "Another#Pass99");
    counts before = count_all(e);
    zt_client c2;
    zt_client_init(&c2);
    snprintf(c2.ip, sizeof c2.ip, "10.0.0.3");
    zt_resp *r = zr_register(e, &c2, f);
    assert_int_equal(r->status, 409);
    assert_string_equal(zt_str(r, "error.code"), "phone_registered");
    assert_non_null(strstr(zt_str(r, "error.message"), "添加企业"));
    zt_resp_free(r);
    assert_counts(e, before);

    /* with that account's password the enterprise is added to the account */
    zr_set(f, "password", ZR_PASSWORD);
    r = zr_register(e, &c2, f);
    assert_int_equal(r->status, 201);
    assert_int_equal(json_array_size(zt_json(r, "enterprises")), 2);
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM app_user"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM membership"), 2);
    json_decref(f);
}

static void test_add_enterprise_logged_in(void **st)
{
    zt_env *e = *st;
    zt_client c;
    int64_t first = zr_register_ok(e, &c, 20, "350102");
    char uscc[19];
    zr_uscc(21, uscc);
    json_t *f = zr_form(uscc, "13900000020");
    json_object_del(f, "password");
    json_object_del(f, "agree"); /* account-level, registration only */
    json_object_del(f, "contact_phone"); /* defaults to the account's phone */
    zr_set(f, "name", "福州第二家公司");
    zr_set(f, "region", "350104");
    zr_set(f, "channel", "mobile");
    zt_resp *r = zr_send(e, &c, "POST", "/api/v1/enterprises", f);
    assert_int_equal(r->status, 201);
    int64_t second = zt_int(r, "current_enterprise_id");
    assert_true(second != first);
    assert_int_equal(json_array_size(zt_json(r, "enterprises")), 2);
    zt_resp_free(r);
    /* the session moved to the new enterprise */
    r = zt_get(e, &c, "/api/v1/registration");
    assert_int_equal(zt_int(r, "id"), second);
    assert_string_equal(zt_str(r, "region"), "350104");
    assert_string_equal(zt_str(r, "channel"), "mobile");
    assert_string_equal(zt_str(r, "contact_phone"), "13900000020");
    zt_resp_free(r);

    /* another account's phone cannot be used as contact */
    counts before = count_all(e);
    zr_uscc(22, uscc);
    zr_set(f, "uscc", uscc);
    zr_set(f, "contact_phone", "13900000099");
    r = zr_send(e, &c, "POST", "/api/v1/enterprises", f);
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.contact_phone"));
    zt_resp_free(r);
    /* account fields are not part of this form */
    zr_set(f, "contact_phone", NULL);
    zr_set(f, "password", ZR_PASSWORD);
    r = zr_send(e, &c, "POST", "/api/v1/enterprises", f);
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.password"));
    zt_resp_free(r);
    /* a duplicate USCC offers to join */
    zr_set(f, "password", NULL);
    zr_uscc(20, uscc);
    zr_set(f, "uscc", uscc);
    r = zr_send(e, &c, "POST", "/api/v1/enterprises", f);
    assert_int_equal(r->status, 409);
    assert_true(json_is_true(zt_json(r, "error.join_available")));
    zt_resp_free(r);
    assert_counts(e, before);
    json_decref(f);

    /* anonymous: 401; CSRF header missing: 403 */
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_post(e, &anon, "/api/v1/enterprises", "{}"), 401, "unauthenticated");
    zt_client nocsrf = c;
    nocsrf.csrf[0] = '\0';
    zt_expect(zt_post(e, &nocsrf, "/api/v1/enterprises", "{}"), 403, "csrf_failed");
}

static void test_edit_pending_application(void **st)
{
    zt_env *e = *st;
    zt_client c;
    int64_t eid = zr_register_ok(e, &c, 30, "350102");
    char uscc[19];
    zr_uscc(30, uscc);
    json_t *f = zr_form(uscc, "13900000030");
    json_object_del(f, "password");
    json_object_del(f, "agree"); /* account-level, registration only */
    zr_set(f, "name", "福州改名后的公司");
    zr_set(f, "registered_capital", "50");
    zt_resp *r = zr_send(e, &c, "PUT", "/api/v1/registration", f);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "id"), eid);
    assert_string_equal(zt_str(r, "name"), "福州改名后的公司");
    assert_string_equal(zt_str(r, "registered_capital"), "50");
    assert_string_equal(zt_str(r, "status"), "pending");
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'registration.update'"), 1);

    /* same validation as registration; nothing changes on refusal */
    zr_set(f, "email", "bad@");
    r = zr_send(e, &c, "PUT", "/api/v1/registration", f);
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.email"));
    zt_resp_free(r);
    char *name = zr_text(e, "SELECT name FROM enterprise");
    assert_string_equal(name, "福州改名后的公司");
    free(name);

    /* switching to a non-legal-rep application: the membership follows */
    zr_set(f, "email", NULL);
    zr_set(f, "applicant_role", "staff");
    zr_set(f, "legal_rep_name", "王五");
    zr_set(f, "legal_rep_phone", "13800000030");
    zt_expect(zr_send(e, &c, "PUT", "/api/v1/registration", f), 200, NULL);
    assert_int_equal(zt_count(e, "SELECT is_legal_rep FROM membership"), 0);
    json_decref(f);
}

static void test_join_request(void **st)
{
    zt_env *e = *st;
    zt_client a, b;
    int64_t ea = zr_register_ok(e, &a, 40, "350102");
    zr_register_ok(e, &b, 41, "350103");
    char ua[19], ub[19];
    zr_uscc(40, ua);
    zr_uscc(41, ub);

    zt_resp *r = zt_postf(e, &b, "/api/v1/join-requests", "{\"uscc\":\"%s\",\"message\":\"我是销售部员工\"}", ua);
    assert_int_equal(r->status, 201);
    assert_string_equal(zt_str(r, "status"), "pending");
    assert_int_equal(zt_int(r, "enterprise.id"), ea);
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM join_request WHERE status = 'pending'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'join.request'"), 1);

    zt_expect(zt_postf(e, &b, "/api/v1/join-requests", "{\"uscc\":\"%s\"}", ua), 409, "conflict");
    zt_expect(zt_postf(e, &b, "/api/v1/join-requests", "{\"uscc\":\"%s\"}", ub), 409, "conflict");
    char unknown[19];
    zr_uscc(49, unknown);
    zt_expect(zt_postf(e, &b, "/api/v1/join-requests", "{\"uscc\":\"%s\"}", unknown), 404, "not_found");
    zt_expect(zt_postf(e, &b, "/api/v1/join-requests", "{\"uscc\":\"12345\"}"), 400, "validation_failed");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM join_request"), 1);
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_postf(e, &anon, "/api/v1/join-requests", "{\"uscc\":\"%s\"}", ua), 401, "unauthenticated");
}

static void test_registration_needs_enterprise_user(void **st)
{
    zt_env *e = *st;
    zt_client anon, staff;
    zt_client_init(&anon);
    zt_expect(zt_get(e, &anon, "/api/v1/registration"), 401, "unauthenticated");
    zr_staff(e, &staff, "city1", "city", NULL);
    zt_expect(zt_get(e, &staff, "/api/v1/registration"), 403, "forbidden");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_register_full_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_minimal_legal_rep_copied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_staff_applicant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_lowercase_uscc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_uscc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_phones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_names_and_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_email_and_customs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_money, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_password_and_extras, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_sms_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_uscc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phone_already_registered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_enterprise_logged_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_pending_application, setup, teardown),
        cmocka_unit_test_setup_teardown(test_join_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration_needs_enterprise_user, setup, teardown),
    };
    return cmocka_run_group_tests_name("register", tests, NULL, NULL);
}
