/*
 * test_wechat.c — the WeChat account link and 微信订阅设置 against the fake
 * WeChat API: login with an unbound code asks for one phone login; binding
 * after it; then the code logs in like the web login (the enterprise
 * picked, the "me" document); a bad code, a WeChat account bound to
 * someone else, no configuration; grants: none before binding, one more per
 * accept, on/off, unknown template refused with nothing stored.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "support/zt_fake.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static zt_fake *fake;
static zt_wx wx;

static void cfg_wechat(zq_config *cfg)
{
    static char base[96];
    snprintf(base, sizeof base, "%s", zt_fake_base(fake));
    cfg->wechat_api = base;
    cfg->wechat_appid = "wx-test-app";
    cfg->wechat_secret = "wx-test-secret";
    cfg->wechat_timeout_ms = 2000;
}

static int setup(void **st)
{
    memset(&wx, 0, sizeof wx);
    fake = zt_fake_start(zt_wx_handler, &wx);
    *st = zt_start_cfg(cfg_wechat);
    return 0;
}

static int teardown(void **st)
{
    zt_stop(*st);
    zt_fake_stop(fake);
    return 0;
}

static void test_login_bind_flow(void **st)
{
    zt_env *e = *st;
    zt_client lr, phone;
    int64_t lr_id;
    int64_t ent = zm_enterprise(e, &lr, "福州甲贸易有限公司", "13900000001", &lr_id);
    zt_client_init(&phone);

    /* unbound: asked to log in once */
    zt_resp *r = zt_post(e, &phone, "/api/v1/wechat/login", "{\"code\":\"c1\"}");
    assert_int_equal(r->status, 200);
    assert_true(json_is_false(zt_json(r, "bound")));
    assert_non_null(strstr(zt_str(r, "message"), "登录一次"));
    zt_resp_free(r);
    /* bad input and a refused code store nothing */
    zt_expect(zt_post(e, &phone, "/api/v1/wechat/login", "{}"), 400, "validation_failed");
    zt_expect(zt_post(e, &phone, "/api/v1/wechat/login", "{\"code\":\"bad\"}"), 400, "validation_failed");
    zt_expect(zt_post(e, &lr, "/api/v1/wechat/bind", "{\"code\":\"bad\"}"), 400, "validation_failed");
    zt_expect(zt_post(e, &lr, "/api/v1/wechat/bind", "{\"code\":\"c1\",\"x\":1}"), 400, "validation_failed");
    zt_expect(zt_post(e, &phone, "/api/v1/wechat/bind", "{\"code\":\"c1\"}"), 401, "unauthenticated");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM wechat_binding"), 0);

    /* after the phone login, the client binds */
    r = zt_post(e, &lr, "/api/v1/wechat/bind", "{\"code\":\"c1\"}");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "bound")));
    zt_resp_free(r);
    assert_int_equal(zt_countf(e, "SELECT COUNT(*) FROM wechat_binding WHERE openid = 'o-c1' AND user_id = %lld",
                               (long long)lr_id),
                     1);
    assert_int_equal(zm_audits(e, "wechat.bind"), 1);

    /* now the code logs in, on the enterprise the web login would pick */
    r = zt_post(e, &phone, "/api/v1/wechat/login", "{\"code\":\"c1\"}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "kind"), "user");
    assert_int_equal(zt_int(r, "current_enterprise_id"), ent);
    zt_resp_free(r);
    r = zt_get(e, &phone, "/api/v1/messages/unread-count");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);

    /* the same WeChat account for another person: refused */
    zt_client other;
    int64_t other_id;
    zm_enterprise(e, &other, "福州乙贸易有限公司", "13900000002", &other_id);
    zt_expect(zt_post(e, &other, "/api/v1/wechat/bind", "{\"code\":\"c1\"}"), 409, "conflict");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM wechat_binding"), 1);

    /* a disabled account is not let in */
    zt_execf(e, "UPDATE app_user SET disabled = 1 WHERE id = %lld", (long long)lr_id);
    zt_client again;
    zt_client_init(&again);
    zt_expect(zt_post(e, &again, "/api/v1/wechat/login", "{\"code\":\"c1\"}"), 403, "forbidden");
    zt_execf(e, "UPDATE app_user SET disabled = 0 WHERE id = %lld", (long long)lr_id);

    /* unbinding: the code no longer logs in */
    r = zt_req(e, &lr, "DELETE", "/api/v1/wechat/bind", NULL, NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    zt_expect(zt_req(e, &lr, "DELETE", "/api/v1/wechat/bind", NULL, NULL), 404, "not_found");
    r = zt_post(e, &again, "/api/v1/wechat/login", "{\"code\":\"c1\"}");
    assert_true(json_is_false(zt_json(r, "bound")));
    zt_resp_free(r);
}

static void test_grants(void **st)
{
    zt_env *e = *st;
    zt_client lr;
    int64_t lr_id;
    zm_enterprise(e, &lr, "福州甲贸易有限公司", "13900000001", &lr_id);
    zt_resp *r = zt_get(e, &lr, "/api/v1/me/wechat-grants");
    assert_int_equal(r->status, 200);
    assert_true(json_is_false(zt_json(r, "bound")));
    assert_string_equal(zt_str(r, "items.0.template_code"), "notice.published");
    assert_int_equal(zt_int(r, "items.0.remaining"), 0);
    zt_resp_free(r);
    /* not bound yet: an accept cannot be used */
    zt_expect(zt_post(e, &lr, "/api/v1/me/wechat-grants", "{\"template_code\":\"policy.published\"}"), 422, "business_rule");
    zt_expect(zt_post(e, &lr, "/api/v1/wechat/bind", "{\"code\":\"g1\"}"), 200, NULL);
    /* refusals store nothing */
    zt_expect(zt_post(e, &lr, "/api/v1/me/wechat-grants", "{\"template_code\":\"account.notice\"}"), 400, "validation_failed");
    zt_expect(zt_post(e, &lr, "/api/v1/me/wechat-grants", "{}"), 400, "validation_failed");
    zt_expect(zm_send(e, &lr, "PUT", "/api/v1/me/wechat-grants", "{\"template_code\":\"policy.published\",\"enabled\":\"no\"}"),
              400, "validation_failed");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM wechat_grant"), 0);

    for (int i = 1; i <= 3; i++) {
        r = zt_post(e, &lr, "/api/v1/me/wechat-grants", "{\"template_code\":\"policy.published\"}");
        assert_int_equal(r->status, 200);
        assert_true(json_is_true(zt_json(r, "bound")));
        assert_int_equal(zt_int(r, "items.1.remaining"), i);
        zt_resp_free(r);
    }
    r = zm_send(e, &lr, "PUT", "/api/v1/me/wechat-grants", "{\"template_code\":\"policy.published\",\"enabled\":false}");
    assert_int_equal(r->status, 200);
    assert_true(json_is_false(zt_json(r, "items.1.enabled")));
    assert_int_equal(zt_int(r, "items.1.remaining"), 3);
    zt_resp_free(r);
    assert_int_equal(zm_audits(e, "wechat.grant"), 3);
    assert_int_equal(zm_audits(e, "wechat.grant_set"), 1);
    /* staff have no WeChat grants */
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_client city;
    zt_client_init(&city);
    zt_staff_login(e, &city, "city1", ZT_PASSWORD);
    zt_expect(zt_get(e, &city, "/api/v1/me/wechat-grants"), 403, "forbidden");
}

static void test_not_configured(void **st)
{
    (void)st;
    zt_env *e = zt_start();
    zt_client c, lr;
    zt_client_init(&c);
    zm_enterprise(e, &lr, "福州甲贸易有限公司", "13900000001", NULL);
    zt_expect(zt_post(e, &c, "/api/v1/wechat/login", "{\"code\":\"c1\"}"), 503, "service_unavailable");
    zt_expect(zt_post(e, &lr, "/api/v1/wechat/bind", "{\"code\":\"c1\"}"), 503, "service_unavailable");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM wechat_binding"), 0);
    zt_stop(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_login_bind_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grants, setup, teardown),
        cmocka_unit_test(test_not_configured),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
