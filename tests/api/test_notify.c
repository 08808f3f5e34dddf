/*
 * test_notify.c — the one delivery path (src/notify/): fan-out to the
 * members of an enterprise who hold the permission, one in-app message each
 * and outbox rows for the channels they chose; a second call adds nothing;
 * set-based fan-out over an enterprise query (the targets matcher) reaches
 * approved firms only; the message centre routes (list, unread count, read,
 * another account's message is 404); 消息设置 with its defaults and refusals
 * that store nothing; staff templates and the scoped 发送记录.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "db/db.h"
#include "notify/notify.h"
#include "targets/targets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const notify_msg POLICY = {"policy", "policy.published", "policy", 7,
                                  "{\"title\":\"外贸稳增长十条\",\"doc_no\":\"（榕商务〔2024〕12号）\"}",
                                  "/console/policies/received/7"};

typedef struct {
    zt_env *e;
    zt_client lr, viewer, blind;
    int64_t ent, lr_id, viewer_id, blind_id;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent = zm_enterprise(w->e, &w->lr, "福州甲贸易有限公司", "13900000001", &w->lr_id);
    w->viewer_id = zm_member_with(w->e, &w->viewer, w->ent, "13900000002", "policy.view", NULL);
    w->blind_id = zm_member_with(w->e, &w->blind, w->ent, "13900000003", "trade.report", NULL);
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

/* Runs fn on a pooled connection inside a transaction it commits. */
static int64_t with_tx(zt_env *e, int (*fn)(db_conn *c, void *ctx), void *ctx)
{
    db_conn *c = db_pool_acquire(e->app->pool);
    assert_non_null(c);
    assert_int_equal(db_begin(c, true), DB_OK);
    int rc = fn(c, ctx);
    if (rc != DB_OK) fail_msg("notify failed (%d): %s", rc, db_errmsg(c));
    assert_int_equal(db_commit(c), DB_OK);
    db_pool_release(e->app->pool, c);
    return 0;
}

typedef struct {
    int64_t ent, added;
    const notify_msg *m;
    const char *perm;
} ent_call;

static int call_enterprise(db_conn *c, void *ctx)
{
    ent_call *k = ctx;
    return notify_enterprise(c, 1700000000, k->m, k->ent, k->perm, &k->added);
}

static void test_fanout_follows_permission_and_is_idempotent(void **st)
{
    world *w = *st;
    ent_call k = {w->ent, 0, &POLICY, "policy.view"};
    with_tx(w->e, call_enterprise, &k);
    /* the legal rep holds every permission, the viewer policy.view; the third member neither */
    assert_int_equal(k.added, 2);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE account_id = %lld", (long long)w->lr_id), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE account_id = %lld", (long long)w->viewer_id), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE account_id = %lld", (long long)w->blind_id), 0);
    /* the template was filled */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM message WHERE title = '新政策：外贸稳增长十条'"
                                    " AND body LIKE '%（榕商务〔2024〕12号）%' AND link = '/console/policies/received/7'"),
                     2);
    /* SMS for policies waits for an opt-in: no outbox rows yet */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM notify_outbox"), 0);
    /* a second call (publish clicked twice) adds nothing */
    with_tx(w->e, call_enterprise, &k);
    assert_int_equal(k.added, 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM message"), 2);
    /* NULL perm = every member */
    notify_msg other = POLICY;
    other.ref_id = 8;
    ent_call all = {w->ent, 0, &other, NULL};
    with_tx(w->e, call_enterprise, &all);
    assert_int_equal(all.added, 3);
}

static void test_settings_choose_channels(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->viewer, "/api/v1/me/notify-settings");
    assert_int_equal(r->status, 200);
    json_t *topics = zt_json(r, "topics");
    assert_int_equal(json_array_size(topics), 7);
    json_t *policy = json_array_get(topics, 0);
    assert_string_equal(json_string_value(json_object_get(policy, "topic")), "policy");
    assert_true(json_is_true(json_object_get(policy, "inapp")));
    assert_true(json_is_false(json_object_get(policy, "sms")));
    assert_true(json_is_true(json_object_get(policy, "wechat")));
    assert_true(json_is_true(json_object_get(json_array_get(topics, 2), "sms"))); /* trade: deadlines */
    zt_resp_free(r);

    /* refusals store nothing */
    zt_expect(zm_send(w->e, &w->viewer, "PUT", "/api/v1/me/notify-settings",
                      "{\"topics\":[{\"topic\":\"policy\",\"inapp\":false}]}"),
              400, "validation_failed");
    zt_expect(zm_send(w->e, &w->viewer, "PUT", "/api/v1/me/notify-settings",
                      "{\"topics\":[{\"topic\":\"lottery\",\"sms\":true}]}"),
              400, "validation_failed");
    zt_expect(zm_send(w->e, &w->viewer, "PUT", "/api/v1/me/notify-settings",
                      "{\"topics\":[{\"topic\":\"policy\",\"sms\":\"yes\"}]}"),
              400, "validation_failed");
    zt_expect(zm_send(w->e, &w->viewer, "PUT", "/api/v1/me/notify-settings",
                      "{\"topics\":[{\"topic\":\"policy\",\"sms\":true},{\"topic\":\"policy\",\"sms\":false}]}"),
              400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM notify_setting"), 0);
    r = zm_send(w->e, &w->viewer, "PUT", "/api/v1/me/notify-settings",
                "{\"topics\":[{\"topic\":\"policy\",\"inapp\":true,\"sms\":false}]}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    zt_resp *bad = zm_send(w->e, &w->viewer, "PUT", "/api/v1/me/notify-settings", "{\"topics\":[{\"topic\":\"policy\",\"inapp\":false}]}");
    assert_int_equal(bad->status, 400);
    assert_non_null(strstr(bad->body, "站内消息不能关闭"));
    zt_resp_free(bad);

    /* the viewer opts into SMS for policies; the legal rep turns WeChat off (not bound anyway) */
    r = zm_send(w->e, &w->viewer, "PUT", "/api/v1/me/notify-settings",
                "{\"topics\":[{\"topic\":\"policy\",\"sms\":true,\"wechat\":false}]}");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(json_object_get(json_array_get(zt_json(r, "topics"), 0), "sms")));
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "notify.settings"), 2);
    ent_call k = {w->ent, 0, &POLICY, "policy.view"};
    with_tx(w->e, call_enterprise, &k);
    assert_int_equal(k.added, 3); /* two messages + the viewer's SMS */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM notify_outbox WHERE channel = 'sms' AND account_id = %lld"
                                     " AND status = 'pending' AND body LIKE '%%外贸稳增长十条%%'",
                               (long long)w->viewer_id),
                     1);
    with_tx(w->e, call_enterprise, &k);
    assert_int_equal(k.added, 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM notify_outbox"), 1);
}

static void test_messages_routes(void **st)
{
    world *w = *st;
    ent_call k = {w->ent, 0, &POLICY, "policy.view"};
    with_tx(w->e, call_enterprise, &k);
    notify_msg second = POLICY;
    second.ref_id = 9;
    k.m = &second;
    with_tx(w->e, call_enterprise, &k);

    zt_resp *r = zt_get(w->e, &w->viewer, "/api/v1/messages/unread-count");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "count"), 2);
    zt_resp_free(r);
    r = zt_get(w->e, &w->viewer, "/api/v1/messages?page=1");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 2);
    assert_false(json_is_true(zt_json(r, "items.0.read")));
    long long newest = zt_int(r, "items.0.id");
    zt_resp_free(r);

    /* someone else's message: 404, nothing changes */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/messages/%lld/read", newest);
    zt_expect(zt_post(w->e, &w->blind, path, "{}"), 404, "not_found");
    long long lr_msg = zt_countf(w->e, "SELECT MAX(id) FROM message WHERE account_id = %lld", (long long)w->lr_id);
    char other[96];
    snprintf(other, sizeof other, "/api/v1/messages/%lld/read", lr_msg);
    zt_expect(zt_post(w->e, &w->viewer, other, "{}"), 404, "not_found");
    zt_expect(zt_post(w->e, &w->viewer, "/api/v1/messages/abc/read", "{}"), 404, "not_found");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM message WHERE read_at > 0"), 0);

    r = zt_post(w->e, &w->viewer, path, "{}");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "read")));
    zt_resp_free(r);
    /* again: still 200, recorded once */
    zt_expect(zt_post(w->e, &w->viewer, path, "{}"), 200, NULL);
    assert_int_equal(zm_audits(w->e, "message.read"), 1);
    r = zt_get(w->e, &w->viewer, "/api/v1/messages/unread-count");
    assert_int_equal(zt_int(r, "count"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->viewer, "/api/v1/messages?unread=1");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->viewer, "/api/v1/messages?unread=0");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), newest);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->viewer, "/api/v1/messages?unread=maybe"), 400, "validation_failed");
    zt_expect(zt_get(w->e, &w->viewer, "/api/v1/messages?page=0"), 400, "validation_failed");

    r = zt_post(w->e, &w->viewer, "/api/v1/messages/read-all", "{}");
    assert_int_equal(zt_int(r, "marked"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->viewer, "/api/v1/messages/unread-count");
    assert_int_equal(zt_int(r, "count"), 0);
    zt_resp_free(r);
    /* the legal rep's messages are untouched */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE account_id = %lld AND read_at = 0",
                               (long long)w->lr_id),
                     2);
    /* anonymous */
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_get(w->e, &anon, "/api/v1/messages/unread-count"), 401, "unauthenticated");
}

/* ---- set-based fan-out over the targets matcher ---- */

typedef struct {
    targets t;
    zq_arena *a;
    int64_t added;
} sql_call;

static void bind_targets(db_stmt *s, void *ctx)
{
    targets_bind(s, &((sql_call *)ctx)->t, 1);
}

static int call_sql(db_conn *c, void *ctx)
{
    sql_call *k = ctx;
    int n = 0;
    const char *where = targets_where(k->a, &k->t, "e", 1, &n);
    const char *sql = zq_arena_printf(k->a, "SELECT e.id FROM enterprise e WHERE 1 = 1%s", where);
    notify_msg m = POLICY;
    m.ref_id = 40;
    return notify_enterprises_sql(c, 1700000000, &m, "policy.view", sql, bind_targets, k, &k->added);
}

static void test_set_based_over_targets(void **st)
{
    world *w = *st;
    int64_t u2 = zt_make_user(w->e, "13900000011", ZT_PASSWORD), u3 = zt_make_user(w->e, "13900000012", ZT_PASSWORD),
            u4 = zt_make_user(w->e, "13900000013", ZT_PASSWORD);
    int64_t taijiang = zt_make_enterprise(w->e, "福州台江商贸有限公司", "350103", "approved", u2);
    int64_t pending = zt_make_enterprise(w->e, "福州鼓楼待审有限公司", "350102", "pending", u3);
    int64_t mawei = zt_make_enterprise(w->e, "福州马尾制造有限公司", "350105", "approved", u4);
    (void)taijiang;
    (void)pending;
    (void)mawei;
    /* w->ent is in 鼓楼 (350102) */
    sql_call k = {.a = zq_arena_new(1 << 20)};
    static const char *gulou[] = {"350102"};
    k.t.regions = (targets_set){gulou, 1};
    with_tx(w->e, call_sql, &k);
    /* 鼓楼: the approved firm's two members with policy.view; the pending one gets nothing */
    assert_int_equal(k.added, 2);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE account_id = %lld", (long long)u3), 0);
    /* the city = all its districts: the two other approved firms join, the first adds nothing again */
    static const char *city[] = {"350100"};
    k.t.regions = (targets_set){city, 1};
    with_tx(w->e, call_sql, &k);
    assert_int_equal(k.added, 2);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE account_id IN (%lld, %lld)", (long long)u2,
                               (long long)u4),
                     2);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE account_id = %lld", (long long)u3), 0);
    zq_arena_free(k.a);
}

/* ---- staff: templates and deliveries ---- */

static void test_templates_admin(void **st)
{
    world *w = *st;
    zt_make_staff(w->e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(w->e, "gulou1", "district", "350102", ZT_PASSWORD);
    zt_client city, gulou;
    zt_client_init(&city);
    zt_client_init(&gulou);
    zt_staff_login(w->e, &city, "city1", ZT_PASSWORD);
    zt_staff_login(w->e, &gulou, "gulou1", ZT_PASSWORD);
    zt_resp *r = zt_get(w->e, &city, "/api/v1/admin/message-templates");
    assert_int_equal(r->status, 200);
    assert_true(json_array_size(zt_json(r, "items")) >= 3);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &gulou, "/api/v1/admin/message-templates"), 403, "forbidden");
    zt_expect(zt_get(w->e, &w->lr, "/api/v1/admin/message-templates"), 403, "forbidden");

    const char *before = "SELECT COUNT(*) FROM message_template WHERE code = 'policy.published' AND title = '新政策：{title}'";
    assert_int_equal(zt_count(w->e, before), 1);
    zt_expect(zm_send(w->e, &city, "PUT", "/api/v1/admin/message-templates",
                      "{\"code\":\"policy.published\",\"name\":\"政策推送\",\"title\":\"\",\"body\":\"x\"}"),
              400, "validation_failed");
    zt_expect(zm_send(w->e, &city, "PUT", "/api/v1/admin/message-templates",
                      "{\"code\":\"policy.published\",\"name\":\"政策推送\",\"title\":\"t\",\"body\":\"x\","
                      "\"wechat_template_id\":\"bad id!\",\"wechat_fields\":{\"thing1\":\"{title}\"}}"),
              400, "validation_failed");
    zt_expect(zm_send(w->e, &city, "PUT", "/api/v1/admin/message-templates",
                      "{\"code\":\"policy.published\",\"name\":\"政策推送\",\"title\":\"t\",\"body\":\"x\","
                      "\"wechat_fields\":{\"Thing 1\":\"{title}\"}}"),
              400, "validation_failed");
    zt_expect(zm_send(w->e, &city, "PUT", "/api/v1/admin/message-templates",
                      "{\"code\":\"nope\",\"name\":\"n\",\"title\":\"t\",\"body\":\"x\"}"),
              404, "not_found");
    assert_int_equal(zt_count(w->e, before), 1);
    r = zm_send(w->e, &city, "PUT", "/api/v1/admin/message-templates",
                "{\"code\":\"policy.published\",\"name\":\"政策推送\",\"title\":\"政策速递：{title}\",\"body\":\"{title}\","
                "\"sms_text\":\"\",\"wechat_template_id\":\"\",\"wechat_fields\":{}}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "notify.template_update"), 1);
    /* the next message uses the staff's words */
    ent_call k = {w->ent, 0, &POLICY, "policy.view"};
    with_tx(w->e, call_enterprise, &k);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM message WHERE title = '政策速递：外贸稳增长十条'"), 2);
}

static void test_deliveries_scoped(void **st)
{
    world *w = *st;
    int64_t u2 = zt_make_user(w->e, "13900000021", ZT_PASSWORD);
    int64_t mawei = zt_make_enterprise(w->e, "福州马尾船舶有限公司", "350105", "approved", u2);
    /* both legal reps opt into SMS for policies */
    zt_execf(w->e, "INSERT INTO notify_setting VALUES ('user', %lld, 'policy', 'sms', 1, 0), ('user', %lld, 'policy', 'sms', 1, 0)",
             (long long)w->lr_id, (long long)u2);
    ent_call k = {w->ent, 0, &POLICY, "policy.view"};
    with_tx(w->e, call_enterprise, &k);
    k.ent = mawei;
    with_tx(w->e, call_enterprise, &k);
    zt_execf(w->e, "UPDATE notify_outbox SET status = 'failed', last_error = 'gateway said no' WHERE account_id = %lld",
             (long long)u2);
    zt_make_staff(w->e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(w->e, "gulou1", "district", "350102", ZT_PASSWORD);
    zt_exec(w->e, "INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'notice.publish' FROM staff_role_def WHERE builtin = 'district' ON CONFLICT DO NOTHING");
    zt_client city, gulou;
    zt_client_init(&city);
    zt_client_init(&gulou);
    zt_staff_login(w->e, &city, "city1", ZT_PASSWORD);
    zt_staff_login(w->e, &gulou, "gulou1", ZT_PASSWORD);

    zt_resp *r = zt_get(w->e, &city, "/api/v1/admin/deliveries");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 2);
    assert_int_equal(zt_int(r, "counts.failed"), 1);
    assert_int_equal(zt_int(r, "counts.pending"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &city, "/api/v1/admin/deliveries?status=failed&channel=sms");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_string_equal(zt_str(r, "items.0.last_error"), "gateway said no");
    assert_string_equal(zt_str(r, "items.0.enterprise.name"), "福州马尾船舶有限公司");
    assert_null(strstr(zt_str(r, "items.0.recipient.phone"), "13900000021"));
    zt_resp_free(r);
    /* 鼓楼 staff see 鼓楼's delivery only */
    r = zt_get(w->e, &gulou, "/api/v1/admin/deliveries");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "counts.failed"), 0);
    assert_string_equal(zt_str(r, "items.0.enterprise.name"), "福州甲贸易有限公司");
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &city, "/api/v1/admin/deliveries?status=lost"), 400, "validation_failed");
    zt_expect(zt_get(w->e, &city, "/api/v1/admin/deliveries?channel=fax"), 400, "validation_failed");
    zt_expect(zt_get(w->e, &w->lr, "/api/v1/admin/deliveries"), 403, "forbidden");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fanout_follows_permission_and_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings_choose_channels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_based_over_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_templates_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliveries_scoped, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
