/*
 * test_privacy.c — API tests of issue 9's personal-information part: the
 * versioned 用户协议/隐私政策 (public read, super/city edit, district 403,
 * HTML refused, every version kept), consents and the consent gate (an
 * account without consent reaches only the documents, consent, me, logout
 * and the password flow; a new version asks again; staff are not asked),
 * registration's `agree`, the personal-data export (only the caller's
 * data) and closing an account (SMS code to the own phone only, legal reps
 * must transfer first, anonymised, memberships and sessions ended, login
 * impossible, the phone free again, audit chain intact). SQLite and
 * PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_reg.h"
#include "cli/cli.h"
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

/* A body of n characters of 中 (3 bytes each) as a JSON document {title, body}. */
static char *doc_json(const char *title, const char *body)
{
    json_t *o = json_pack("{s:s, s:s}", "title", title, "body", body);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static zt_resp *put_doc(zt_env *e, zt_client *c, const char *kind, const char *title, const char *body)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/admin/legal/%s", kind);
    char *b = doc_json(title, body);
    zt_resp *r = zt_req(e, c, "PUT", path, b, NULL);
    free(b);
    return r;
}

/* Logs in with the raw endpoint (zt_login would give the consent). */
static zt_resp *raw_login(zt_env *e, zt_client *c, const char *phone, const char *password)
{
    zt_client_init(c);
    char body[160];
    snprintf(body, sizeof body, "{\"phone\":\"%s\",\"password\":\"%s\"}", phone, password);
    return zt_post(e, c, "/api/v1/auth/login", body);
}

static void expect_field_err(zt_resp *r, int status, const char *code, const char *field)
{
    char path[96];
    snprintf(path, sizeof path, "error.fields.%s", field);
    if (r->status != status || !zt_str(r, path) || strcmp(zt_str(r, "error.code"), code) != 0)
        fail_msg("expected %d %s with fields.%s, got %d %s", status, code, field, r->status, r->body);
    zt_resp_free(r);
}

/* ---- documents ---- */

static void test_legal_public(void **st)
{
    zt_env *e = *st;
    zt_client anon = {0};
    zt_client_init(&anon);
    zt_resp *r = zt_get(e, &anon, "/api/v1/legal/terms");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "kind"), "terms");
    assert_int_equal(zt_int(r, "version"), 1);
    assert_non_null(strstr(zt_str(r, "title"), "用户协议"));
    assert_non_null(strstr(zt_str(r, "effective_at"), "+08:00"));
    zt_resp_free(r);
    r = zt_get(e, &anon, "/api/v1/legal/privacy");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "version"), 1);
    const char *body = zt_str(r, "body");
    /* the seeded policy names what is collected, why, how long, the rights and whom to ask */
    assert_non_null(strstr(body, "手机号"));
    assert_non_null(strstr(body, "操作日志"));
    assert_non_null(strstr(body, "保存期限"));
    assert_non_null(strstr(body, "注销"));
    assert_non_null(strstr(body, "联系我们"));
    assert_null(strchr(body, '<'));
    zt_resp_free(r);
    zt_expect(zt_get(e, &anon, "/api/v1/legal/cookies"), 404, "not_found");
    zt_expect(zt_get(e, &anon, "/api/v1/legal/TERMS"), 404, "not_found");
    zt_expect(zt_post(e, &anon, "/api/v1/legal/terms", "{}"), 405, "method_not_allowed");
}

static void test_legal_admin_access(void **st)
{
    zt_env *e = *st;
    zt_client anon = {0}, user = {0}, district = {0}, city = {0};
    zt_client_init(&anon);
    zt_make_user(e, "13800000101", ZT_PASSWORD);
    zt_login(e, &user, "13800000101", ZT_PASSWORD);
    zr_staff(e, &district, "gulou", "district", "350102");
    zr_staff(e, &city, "city1", "city", NULL);

    zt_expect(zt_get(e, &anon, "/api/v1/admin/legal/terms"), 401, "unauthenticated");
    zt_expect(zt_get(e, &user, "/api/v1/admin/legal/terms"), 403, "forbidden");
    zt_expect(zt_get(e, &district, "/api/v1/admin/legal/terms"), 403, "forbidden");
    zt_expect(put_doc(e, &district, "terms", "新协议", "区县修改"), 403, "forbidden");
    zt_expect(put_doc(e, &user, "privacy", "新政策", "企业修改"), 403, "forbidden");
    zt_expect(put_doc(e, &anon, "privacy", "新政策", "匿名修改"), 401, "unauthenticated");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM legal_doc"), 2);
    /* the refusal of a signed-in person is on record */
    assert_true(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"
                            " AND object_id = '/api/v1/admin/legal/:kind'") >= 3);

    zt_resp *r = zt_get(e, &city, "/api/v1/admin/legal/privacy");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "versions")), 1);
    assert_int_equal(zt_int(r, "versions.0.version"), 1);
    assert_true(json_is_true(zt_json(r, "versions.0.current")));
    assert_string_equal(zt_str(r, "versions.0.editor_name"), "系统初始版本");
    zt_resp_free(r);
    zt_expect(zt_get(e, &city, "/api/v1/admin/legal/other"), 404, "not_found");
}

static void test_legal_versions(void **st)
{
    zt_env *e = *st;
    zt_client city = {0}, super = {0}, anon = {0};
    zt_client_init(&anon);
    int64_t city_id = zr_staff(e, &city, "city1", "city", NULL);
    zr_staff(e, &super, "root1", "super", NULL);

    zt_resp *r = put_doc(e, &city, "terms", "用户协议（2025 年修订）", "# 一、范围\n- 第一条\n\n正文第二版。");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "versions.0.version"), 2);
    assert_true(json_is_true(zt_json(r, "versions.0.current")));
    assert_int_equal(zt_int(r, "versions.0.editor_staff_id"), city_id);
    assert_string_equal(zt_str(r, "versions.0.editor_name"), "city1");
    assert_int_equal(zt_int(r, "versions.1.version"), 1);
    assert_false(json_is_true(zt_json(r, "versions.1.current")));
    assert_non_null(strstr(zt_str(r, "versions.1.body"), "福州市商务局"));
    zt_resp_free(r);
    zt_expect(put_doc(e, &super, "terms", "用户协议（第三版）", "第三版正文"), 200, NULL);

    r = zt_get(e, &anon, "/api/v1/legal/terms");
    assert_int_equal(zt_int(r, "version"), 3);
    assert_string_equal(zt_str(r, "body"), "第三版正文");
    zt_resp_free(r);
    /* the other kind is untouched; old versions are all kept */
    r = zt_get(e, &anon, "/api/v1/legal/privacy");
    assert_int_equal(zt_int(r, "version"), 1);
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM legal_doc WHERE kind = 'terms'"), 3);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'legal.publish' AND object_id = 'terms'"), 2);

    /* bad input: a message in Chinese, nothing stored */
    long long before = zt_count(e, "SELECT COUNT(*) FROM legal_doc");
    expect_field_err(put_doc(e, &city, "terms", "标题", "正文<script>alert(1)</script>"), 400, "validation_failed", "body");
    expect_field_err(put_doc(e, &city, "terms", "标题", "见 <a href=\"x\">链接</a>"), 400, "validation_failed", "body");
    expect_field_err(put_doc(e, &city, "terms", "标题", "<!-- 注释 -->"), 400, "validation_failed", "body");
    expect_field_err(put_doc(e, &city, "terms", "<b>标题</b>", "正文"), 400, "validation_failed", "title");
    expect_field_err(put_doc(e, &city, "terms", "", "正文"), 400, "validation_failed", "title");
    expect_field_err(put_doc(e, &city, "terms", "标题", "   "), 400, "validation_failed", "body");
    expect_field_err(zt_req(e, &city, "PUT", "/api/v1/admin/legal/terms", "{\"title\":\"t\",\"body\":\"b\",\"html\":1}", NULL),
                     400, "validation_failed", "html");
    char *big = malloc(20001 * 3 + 1);
    for (int i = 0; i < 20001; i++) memcpy(big + i * 3, "中", 3);
    big[20001 * 3] = '\0';
    r = put_doc(e, &city, "terms", "标题", big);
    assert_int_equal(r->status, 400);
    assert_non_null(strstr(zt_str(r, "error.fields.body"), "20000"));
    zt_resp_free(r);
    big[20000 * 3] = '\0'; /* exactly at the limit is fine */
    zt_expect(put_doc(e, &city, "privacy", "隐私政策（长版）", big), 200, NULL);
    free(big);
    before++;
    /* "<" that is not a tag is plain text */
    zt_expect(put_doc(e, &city, "privacy", "隐私政策", "保存期限 < 6 个月的除外；a<3"), 200, NULL);
    before++;
    /* the same text again makes no new version */
    r = put_doc(e, &city, "privacy", "隐私政策", "保存期限 < 6 个月的除外；a<3");
    zt_expect(r, 422, "business_rule");
    zt_expect(put_doc(e, &city, "other", "标题", "正文"), 404, "not_found");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM legal_doc"), before);
}

/* ---- consent ---- */

static void test_consent_gate(void **st)
{
    zt_env *e = *st;
    zt_client c = {0};
    int64_t uid = zt_make_user(e, "13800000201", ZT_PASSWORD);
    int64_t eid = zt_make_enterprise(e, "福州无同意贸易有限公司", "350102", "approved", uid);
    (void)eid;
    /* an account someone else made: no consent on record */
    zt_execf(e, "DELETE FROM user_consent WHERE user_id = %lld", (long long)uid);
    zt_resp *r = raw_login(e, &c, "13800000201", ZT_PASSWORD);
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "consent_required")));
    assert_int_equal(zt_int(r, "consent.terms_version"), 1);
    assert_int_equal(zt_int(r, "consent.privacy_version"), 1);
    zt_resp_free(r);

    /* everything else is refused until consent */
    zt_expect(zt_get(e, &c, "/api/v1/registration"), 403, "consent_required");
    zt_expect(zt_get(e, &c, "/api/v1/enterprise/roles"), 403, "consent_required");
    zt_expect(zt_get(e, &c, "/api/v1/me/data-export"), 403, "consent_required");
    zt_expect(zt_post(e, &c, "/api/v1/auth/switch", "{\"enterprise_id\":1}"), 403, "consent_required");
    r = zt_get(e, &c, "/api/v1/enterprise/roles");
    assert_non_null(strstr(zt_str(r, "error.message"), "隐私政策"));
    zt_resp_free(r);
    /* … but the documents, me and the consent itself are open */
    zt_expect(zt_get(e, &c, "/api/v1/legal/terms"), 200, NULL);
    zt_expect(zt_get(e, &c, "/api/v1/legal/privacy"), 200, NULL);
    r = zt_get(e, &c, "/api/v1/auth/me");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "consent_required")));
    zt_resp_free(r);

    /* bad consents store nothing */
    expect_field_err(zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":1}"), 400,
                     "validation_failed", "channel");
    expect_field_err(zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":1,\"channel\":\"fax\"}"),
                     400, "validation_failed", "channel");
    expect_field_err(zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":\"1\",\"privacy_version\":1,\"channel\":\"web\"}"),
                     400, "validation_failed", "terms_version");
    expect_field_err(zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":1,\"channel\":\"web\"}"), 400,
                     "validation_failed", "privacy_version");
    expect_field_err(zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":1,\"channel\":\"web\",\"x\":1}"),
                     400, "validation_failed", "x");
    r = zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":2,\"channel\":\"web\"}");
    assert_int_equal(r->status, 409);
    assert_string_equal(zt_str(r, "error.code"), "conflict");
    assert_non_null(strstr(zt_str(r, "error.message"), "已更新"));
    zt_resp_free(r);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM user_consent WHERE user_id = %lld", (long long)uid), 0);
    /* another account's session cannot consent for this one: the body names no user */
    zt_client anon = {0};
    zt_client_init(&anon);
    zt_expect(zt_post(e, &anon, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":1,\"channel\":\"web\"}"),
              401, "unauthenticated");

    r = zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":1,\"channel\":\"mobile\"}");
    assert_int_equal(r->status, 201);
    assert_false(json_is_true(zt_json(r, "consent_required")));
    zt_resp_free(r);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM user_consent WHERE user_id = %lld AND terms_version = 1"
                                  " AND privacy_version = 1 AND channel = 'mobile' AND ip = '127.0.0.1'",
                               (long long)uid), 1);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'consent.give' AND actor_id = %lld",
                               (long long)uid), 1);
    zt_expect(zt_get(e, &c, "/api/v1/registration"), 200, NULL);
    r = zt_get(e, &c, "/api/v1/auth/me");
    assert_false(json_is_true(zt_json(r, "consent_required")));
    zt_resp_free(r);
}

static void test_forced_password_and_consent(void **st)
{
    zt_env *e = *st;
    zt_client c = {0};
    int64_t uid = zt_make_user(e, "13800000202", "888888");
    zt_execf(e, "UPDATE app_user SET must_change_password = 1 WHERE id = %lld", (long long)uid);
    zt_execf(e, "DELETE FROM user_consent WHERE user_id = %lld", (long long)uid);
    /* an initial password: the first login proves the phone by SMS */
    zt_resp *r = raw_login(e, &c, "13800000202", "888888");
    assert_true(json_is_true(zt_json(r, "sms_required")));
    zt_resp_free(r);
    char code[8], body[128];
    zt_last_code(e, "13800000202", code);
    snprintf(body, sizeof body, "{\"phone\":\"13800000202\",\"password\":\"888888\",\"sms_code\":\"%s\"}", code);
    r = zt_post(e, &c, "/api/v1/auth/login", body);
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "must_change_password")));
    assert_true(json_is_true(zt_json(r, "consent_required")));
    zt_resp_free(r);
    /* either step may come first: consent during the forced change … */
    zt_expect(zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":1,\"channel\":\"web\"}"), 201,
              NULL);
    zt_expect(zt_get(e, &c, "/api/v1/registration"), 403, "password_change_required");
    /* … and the password change stays open before consent (a new version now) */
    zt_client city = {0};
    zr_staff(e, &city, "city1", "city", NULL);
    zt_expect(put_doc(e, &city, "terms", "用户协议 v2", "第二版"), 200, NULL);
    r = zt_post(e, &c, "/api/v1/auth/password", "{\"old_password\":\"888888\",\"new_password\":\"Wuyi-Shan#2024\"}");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "consent_required")));
    assert_int_equal(zt_int(r, "consent.terms_version"), 2);
    zt_resp_free(r);
    zt_expect(zt_get(e, &c, "/api/v1/registration"), 403, "consent_required");
}

static void test_new_version_asks_again(void **st)
{
    zt_env *e = *st;
    zt_client c = {0}, city = {0};
    zt_make_user(e, "13800000203", ZT_PASSWORD);
    zr_staff(e, &city, "city1", "city", NULL);
    zt_resp *r = raw_login(e, &c, "13800000203", ZT_PASSWORD);
    assert_false(json_is_true(zt_json(r, "consent_required")));
    zt_resp_free(r);
    zt_expect(zt_get(e, &c, "/api/v1/me/close-account"), 200, NULL);

    zt_expect(put_doc(e, &city, "privacy", "隐私政策（修订）", "新增：我们收集……"), 200, NULL);
    /* the very next request of the open session asks again */
    zt_expect(zt_get(e, &c, "/api/v1/me/close-account"), 403, "consent_required");
    r = raw_login(e, &c, "13800000203", ZT_PASSWORD);
    assert_true(json_is_true(zt_json(r, "consent_required")));
    assert_int_equal(zt_int(r, "consent.terms_version"), 1);
    assert_int_equal(zt_int(r, "consent.privacy_version"), 2);
    zt_resp_free(r);
    /* agreeing to the old version is not enough */
    zt_expect(zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":1,\"channel\":\"web\"}"), 409,
              "conflict");
    zt_expect(zt_post(e, &c, "/api/v1/me/consents", "{\"terms_version\":1,\"privacy_version\":2,\"channel\":\"web\"}"), 201,
              NULL);
    zt_expect(zt_get(e, &c, "/api/v1/me/close-account"), 200, NULL);
}

static void test_staff_not_asked(void **st)
{
    zt_env *e = *st;
    zt_client city = {0};
    zr_staff(e, &city, "city1", "city", NULL);
    zt_expect(put_doc(e, &city, "terms", "用户协议 v2", "第二版"), 200, NULL);
    zt_resp *r = zt_get(e, &city, "/api/v1/auth/me");
    assert_false(json_is_true(zt_json(r, "consent_required")));
    assert_int_equal(zt_int(r, "consent.terms_version"), 2);
    zt_resp_free(r);
    zt_expect(zt_get(e, &city, "/api/v1/admin/legal/terms"), 200, NULL);
    /* the user-side routes are not the staff's */
    zt_expect(zt_post(e, &city, "/api/v1/me/consents", "{\"terms_version\":2,\"privacy_version\":1,\"channel\":\"web\"}"), 403,
              "forbidden");
    zt_expect(zt_get(e, &city, "/api/v1/me/data-export"), 403, "forbidden");
    zt_expect(zt_post(e, &city, "/api/v1/me/close-account", "{\"code\":\"123456\"}"), 403, "forbidden");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM user_consent"), 0);
}

/* ---- registration ---- */

static void test_register_requires_agree(void **st)
{
    zt_env *e = *st;
    zt_client c = {0};
    zt_client_init(&c);
    char uscc[19], code[16];
    zr_uscc(7, uscc);
    json_t *f = zr_form(uscc, "13900000007");
    zr_sms_code(e, &c, "13900000007", "register", code);
    json_object_set_new(f, "sms_code", json_string(code));

    json_object_del(f, "agree");
    zt_resp *r = zr_send(e, &c, "POST", "/api/v1/register", f);
    assert_int_equal(r->status, 400);
    assert_string_equal(zt_str(r, "error.fields.agree"), "请阅读并勾选同意《用户协议》和《隐私政策》");
    zt_resp_free(r);
    json_object_set_new(f, "agree", json_false());
    expect_field_err(zr_send(e, &c, "POST", "/api/v1/register", f), 400, "validation_failed", "agree");
    json_object_set_new(f, "agree", json_pack("{s:i}", "terms_version", 1));
    expect_field_err(zr_send(e, &c, "POST", "/api/v1/register", f), 400, "validation_failed", "agree");
    json_object_set_new(f, "agree", json_pack("{s:i, s:s}", "terms_version", 1, "privacy_version", "1"));
    expect_field_err(zr_send(e, &c, "POST", "/api/v1/register", f), 400, "validation_failed", "agree");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM app_user"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise"), 0);

    /* versions that are no longer current: 409, nothing stored, the code not used up */
    zt_client city = {0};
    zr_staff(e, &city, "city1", "city", NULL);
    zt_expect(put_doc(e, &city, "privacy", "隐私政策 v2", "第二版"), 200, NULL);
    json_object_set_new(f, "agree", json_pack("{s:i, s:i}", "terms_version", 1, "privacy_version", 1));
    r = zr_send(e, &c, "POST", "/api/v1/register", f);
    assert_int_equal(r->status, 409);
    assert_non_null(zt_str(r, "error.fields.agree"));
    zt_resp_free(r);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM app_user"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM user_consent"), 0);

    json_object_set_new(f, "agree", json_pack("{s:i, s:i}", "terms_version", 1, "privacy_version", 2));
    zr_set(f, "channel", "mobile");
    r = zr_send(e, &c, "POST", "/api/v1/register", f);
    assert_int_equal(r->status, 201);
    assert_false(json_is_true(zt_json(r, "consent_required")));
    int64_t uid = zt_int(r, "user.id");
    zt_resp_free(r);
    json_decref(f);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM user_consent WHERE user_id = %lld AND terms_version = 1"
                                  " AND privacy_version = 2 AND channel = 'mobile'", (long long)uid), 1);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'consent.give' AND actor_id = %lld",
                               (long long)uid), 1);
    zt_expect(zt_get(e, &c, "/api/v1/registration"), 200, NULL);
}

/* ---- data export ---- */

static void test_data_export(void **st)
{
    zt_env *e = *st;
    zt_client a = {0}, b = {0}, anon = {0};
    zt_client_init(&anon);
    int64_t ua = zt_make_user(e, "13800000301", ZT_PASSWORD);
    int64_t ub = zt_make_user(e, "13800000302", ZT_PASSWORD);
    zt_execf(e, "UPDATE app_user SET name = '王小明' WHERE id = %lld", (long long)ub);
    int64_t ea = zt_make_enterprise(e, "福州甲贸易有限公司", "350102", "approved", ua);
    int64_t eb = zt_make_enterprise(e, "福州乙贸易有限公司", "350103", "approved", ub);
    (void)ea;
    zt_login(e, &a, "13800000301", ZT_PASSWORD);
    zt_login(e, &b, "13800000302", ZT_PASSWORD);
    char code[16];
    zr_sms_code(e, &a, "13800000301", "close_account", code);
    zt_execf(e, "INSERT INTO join_request(enterprise_id, user_id, status, message, created_at)"
                " VALUES (%lld, %lld, 'pending', '想加入乙公司', 1700000000)", (long long)eb, (long long)ua);

    zt_expect(zt_get(e, &anon, "/api/v1/me/data-export"), 401, "unauthenticated");
    zt_resp *r = zt_get(e, &a, "/api/v1/me/data-export");
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(zt_header(r, "Content-Disposition"), "attachment"));
    assert_non_null(strstr(zt_header(r, "Content-Type"), "application/json"));
    assert_int_equal(zt_int(r, "account.id"), ua);
    assert_string_equal(zt_str(r, "account.phone"), "13800000301");
    assert_string_equal(zt_str(r, "account.name"), "用户0301");
    assert_string_equal(zt_str(r, "memberships.0.enterprise_name"), "福州甲贸易有限公司");
    assert_true(json_is_true(zt_json(r, "memberships.0.is_legal_rep")));
    assert_non_null(zt_str(r, "memberships.0.since"));
    assert_int_equal(json_array_size(zt_json(r, "memberships")), 1);
    assert_int_equal(zt_int(r, "consents.0.terms_version"), 1);
    assert_true(json_array_size(zt_json(r, "sessions")) >= 1);
    assert_string_equal(zt_str(r, "sessions.0.ip"), "127.0.0.1");
    assert_string_equal(zt_str(r, "join_requests.0.enterprise_name"), "福州乙贸易有限公司");
    assert_string_equal(zt_str(r, "join_requests.0.message"), "想加入乙公司");
    assert_string_equal(zt_str(r, "enterprises_registered.0.name"), "福州甲贸易有限公司");
    assert_string_equal(zt_str(r, "sms_codes.0.purpose"), "close_account");
    assert_string_equal(zt_str(r, "sms_messages.0.status"), "sent");
    assert_int_equal(json_array_size(zt_json(r, "truncated")), 0);
    /* activity: the caller's own records, the login among them */
    json_t *act = zt_json(r, "activity");
    bool login = false;
    for (size_t i = 0; i < json_array_size(act); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(act, i), "action")), "auth.login") == 0) login = true;
    assert_true(login);
    /* no code, no hash, nothing of B */
    assert_null(strstr(r->body, code));
    assert_null(strstr(r->body, "code_hash"));
    assert_null(strstr(r->body, "password_hash"));
    assert_null(strstr(r->body, "$argon2"));
    assert_null(strstr(r->body, "13800000302"));
    assert_null(strstr(r->body, "王小明"));
    zt_resp_free(r);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'privacy.export' AND actor_id = %lld",
                               (long long)ua), 1);
    /* B's export holds B only */
    r = zt_get(e, &b, "/api/v1/me/data-export");
    assert_string_equal(zt_str(r, "account.name"), "王小明");
    assert_null(strstr(r->body, "13800000301"));
    assert_null(strstr(r->body, "福州甲贸易有限公司"));
    zt_resp_free(r);
}

/* ---- closing an account ---- */

static void test_close_sms_own_phone(void **st)
{
    zt_env *e = *st;
    zt_client c = {0}, anon = {0};
    zt_client_init(&anon);
    zt_make_user(e, "13800000401", ZT_PASSWORD);
    zt_make_user(e, "13800000402", ZT_PASSWORD);
    zt_login(e, &c, "13800000401", ZT_PASSWORD);
    zt_expect(zt_post(e, &anon, "/api/v1/sms/send", "{\"phone\":\"13800000401\",\"purpose\":\"close_account\"}"), 401,
              "unauthenticated");
    zt_expect(zt_post(e, &c, "/api/v1/sms/send", "{\"phone\":\"13800000402\",\"purpose\":\"close_account\"}"), 403,
              "forbidden");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code"), 0);
    zt_expect(zt_post(e, &c, "/api/v1/sms/send", "{\"phone\":\"13800000401\",\"purpose\":\"close_account\"}"), 200, NULL);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '13800000401' AND body LIKE '%注销账号%'"), 1);
}

static void test_close_legal_rep_must_transfer(void **st)
{
    zt_env *e = *st;
    zt_client c = {0};
    int64_t uid = zt_make_user(e, "13800000501", ZT_PASSWORD);
    zt_make_enterprise(e, "福州闽侯法人公司", "350121", "approved", uid);
    zt_login(e, &c, "13800000501", ZT_PASSWORD);
    zt_resp *r = zt_get(e, &c, "/api/v1/me/close-account");
    assert_int_equal(r->status, 200);
    assert_false(json_is_true(zt_json(r, "allowed")));
    assert_non_null(strstr(zt_str(r, "reason"), "福州闽侯法人公司"));
    assert_string_equal(zt_str(r, "phone"), "138****0501");
    zt_resp_free(r);
    char code[16], body[64];
    zr_sms_code(e, &c, "13800000501", "close_account", code);
    snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    r = zt_post(e, &c, "/api/v1/me/close-account", body);
    assert_int_equal(r->status, 422);
    assert_string_equal(zt_str(r, "error.code"), "business_rule");
    assert_non_null(strstr(zt_str(r, "error.message"), "福州闽侯法人公司"));
    assert_non_null(strstr(zt_str(r, "error.message"), "转让"));
    zt_resp_free(r);
    /* nothing changed and the code was not used up */
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM app_user WHERE id = %lld AND closed_at = 0 AND phone = '13800000501'",
                               (long long)uid), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code WHERE purpose = 'close_account' AND used_at = 0"), 1);
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);
}

static void test_close_account(void **st)
{
    zt_env *e = *st;
    zt_client c = {0}, other_session = {0}, boss = {0};
    int64_t boss_id = zt_make_user(e, "13800000601", ZT_PASSWORD);
    int64_t uid = zt_make_user(e, "13800000602", ZT_PASSWORD);
    int64_t ea = zt_make_enterprise(e, "福州雇主公司", "350102", "approved", boss_id);
    int64_t eb = zt_make_enterprise(e, "福州另一家公司", "350103", "approved", 0);
    zt_add_member(e, ea, uid, false);
    zt_execf(e, "INSERT INTO join_request(enterprise_id, user_id, status, created_at) VALUES (%lld, %lld, 'pending', 1700000000)",
             (long long)eb, (long long)uid);
    zt_login(e, &boss, "13800000601", ZT_PASSWORD);
    zt_login(e, &other_session, "13800000602", ZT_PASSWORD);
    zt_login(e, &c, "13800000602", ZT_PASSWORD);
    long long own_records = zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE actor_kind = 'user' AND actor_id = %lld",
                                      (long long)uid);
    assert_true(own_records >= 2);

    zt_resp *r = zt_get(e, &c, "/api/v1/me/close-account");
    assert_true(json_is_true(zt_json(r, "allowed")));
    zt_resp_free(r);

    /* bad input changes nothing */
    expect_field_err(zt_post(e, &c, "/api/v1/me/close-account", "{}"), 400, "validation_failed", "code");
    expect_field_err(zt_post(e, &c, "/api/v1/me/close-account", "{\"code\":\"123456\",\"why\":\"x\"}"), 400,
                     "validation_failed", "why");
    char code[16], body[64];
    zr_sms_code(e, &c, "13800000602", "close_account", code);
    snprintf(body, sizeof body, "{\"code\":\"%s\"}", strcmp(code, "000000") == 0 ? "111111" : "000000");
    r = zt_post(e, &c, "/api/v1/me/close-account", body);
    assert_int_equal(r->status, 400);
    assert_string_equal(zt_str(r, "error.fields.code"), "验证码错误或已过期");
    zt_resp_free(r);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM app_user WHERE id = %lld AND closed_at = 0", (long long)uid), 1);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld AND status = 'active'", (long long)uid), 1);
    /* a code for another purpose does not close the account */
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 200, NULL);

    snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    r = zt_post(e, &c, "/api/v1/me/close-account", body);
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "closed")));
    assert_int_equal(zt_int(r, "memberships_ended"), 1);
    assert_int_equal(zt_int(r, "join_requests_cancelled"), 1);
    assert_non_null(strstr(zt_header(r, "Set-Cookie"), "Max-Age=0"));
    zt_resp_free(r);

    /* anonymised, memberships ended, requests cancelled */
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM app_user WHERE id = %lld AND name = '已注销用户'"
                                  " AND phone = 'closed-%lld' AND password_hash = '' AND disabled = 1 AND closed_at > 0",
                               (long long)uid, (long long)uid), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM app_user WHERE phone = '13800000602'"), 0);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM membership WHERE user_id = %lld AND status = 'active'", (long long)uid), 0);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM join_request WHERE user_id = %lld AND status = 'pending'", (long long)uid), 0);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM session WHERE user_id = %lld AND revoked_at = 0", (long long)uid), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_code WHERE phone = '13800000602'"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '13800000602'"), 0);
    /* every session is over, the boss's is not */
    zt_expect(zt_get(e, &other_session, "/api/v1/auth/me"), 401, "unauthenticated");
    zt_expect(zt_get(e, &c, "/api/v1/auth/me"), 401, "unauthenticated");
    zt_expect(zt_get(e, &boss, "/api/v1/auth/me"), 200, NULL);
    /* login is impossible with the old phone and password */
    zt_client again = {0};
    r = raw_login(e, &again, "13800000602", ZT_PASSWORD);
    assert_int_equal(r->status, 401);
    assert_string_equal(zt_str(r, "error.code"), "invalid_credentials");
    zt_resp_free(r);

    /* the audit chain is intact: old records keep the opaque id, one more tells the closing */
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE actor_kind = 'user' AND actor_id = %lld"
                                  " AND action = 'account.close' AND result = 'ok'", (long long)uid), 1);
    assert_true(zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE actor_kind = 'user' AND actor_id = %lld", (long long)uid) >
                own_records);
    int rc;
    char *out = zt_cli(cli_audit, &rc, "audit", "verify", "--db", e->url, NULL);
    if (rc != 0 || !strstr(out, "audit chain intact")) fail_msg("verify: rc %d, %s", rc, out);
    free(out);

    /* the phone is free to register again, as a new account */
    zt_client fresh = {0};
    zt_client_init(&fresh);
    char uscc[19];
    zr_uscc(61, uscc);
    json_t *f = zr_form(uscc, "13800000602");
    r = zr_register(e, &fresh, f);
    json_decref(f);
    assert_int_equal(r->status, 201);
    assert_true(zt_int(r, "user.id") != uid);
    assert_string_equal(zt_str(r, "user.name"), "张三");
    zt_resp_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_legal_public, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legal_admin_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legal_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent_gate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forced_password_and_consent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_version_asks_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_not_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_requires_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_sms_own_phone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_legal_rep_must_transfer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_account, setup, teardown),
    };
    return cmocka_run_group_tests_name("privacy", tests, NULL, NULL);
}
