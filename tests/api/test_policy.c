/*
 * test_policy.c — API tests of the policy content engine (issue 11): the
 * bureau's create / edit / publish / schedule / withdraw of policies and
 * notices with validation that stores nothing, targeting end to end (region,
 * subscription by default rule and by extra type; unsubscribed, non-matching
 * and unapproved firms get nothing), publishing twice delivers once, the
 * scheduled task publishes once on time, withdrawn items vanish from portal,
 * inbox and search, XSS through the API, two-character search, the cached
 * public list with ETag, district scope (forced targets, other district
 * 404), the inbox and its permission, subscriptions and rules, the
 * calculator, reach, the services catalogue, and attachments as bureau
 * files downloaded from the portal once published. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "support/fixtures_reg.h"
#include "support/zt_raw.h"
#include "db/db.h"
#include "policy/policy.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    zt_env *e;
    zt_client city, gulou, taijiang;   /* staff: city-wide, 鼓楼区, 台江区 */
    zt_client a, b, c, d, x;           /* legal reps of firms A–D and X */
    int64_t ent_a, ent_b, ent_c, ent_d, ent_x;
} world;

/* A: 鼓楼 exporter (default 外贸); B: 台江 exporter; C: 鼓楼, no trade, no
 * extra types (unsubscribed); D: 鼓楼 exporter, pending (unapproved);
 * X: 鼓楼, no trade, extra type 外贸 chosen. */
static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zm_enterprise(w->e, &w->a, "福州闽江外贸有限公司", "13900000001", NULL);
    w->ent_b = zm_enterprise(w->e, &w->b, "福州台江外贸有限公司", "13900000002", NULL);
    w->ent_c = zm_enterprise(w->e, &w->c, "福州鼓楼软件有限公司", "13900000003", NULL);
    w->ent_d = zm_enterprise(w->e, &w->d, "福州待审外贸有限公司", "13900000004", NULL);
    w->ent_x = zm_enterprise(w->e, &w->x, "福州自选订阅有限公司", "13900000005", NULL);
    zt_execf(w->e, "UPDATE enterprise SET industry = NULL, trade_type = 'none'");
    zt_execf(w->e, "UPDATE enterprise SET trade_type = 'export' WHERE id IN (%lld, %lld, %lld)", (long long)w->ent_a,
             (long long)w->ent_b, (long long)w->ent_d);
    zt_execf(w->e, "UPDATE enterprise SET region = '350103' WHERE id = %lld", (long long)w->ent_b);
    zt_execf(w->e, "UPDATE enterprise SET status = 'pending' WHERE id = %lld", (long long)w->ent_d);
    zt_execf(w->e, "INSERT INTO enterprise_subscription(enterprise_id, policy_type) VALUES (%lld, 'trade')",
             (long long)w->ent_x);
    zr_staff(w->e, &w->city, "city1", "city", NULL);
    zr_staff(w->e, &w->gulou, "gulou1", "district", "350102");
    zr_staff(w->e, &w->taijiang, "taijiang1", "district", "350103");
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

#define NEWS_BODY                                                                                                  \
    "{\"kind\":\"news\",\"title\":\"福州市促进外贸稳规模优结构若干措施\",\"summary\":\"支持外贸企业拓市场\","     \
    "\"body_html\":\"<p>对出口信用保险保费给予补贴。</p>\",\"department\":\"福州市商务局\","                       \
    "\"doc_no\":\"榕商务〔2026〕12号\",\"types\":[\"trade\"],\"targets\":{\"regions\":[\"350102\"]},"              \
    "\"effective_from\":\"2026-01-01\",\"effective_to\":\"2026-12-31\"}"

/* Creates a draft with body json as c; returns its id. */
static int64_t create(world *w, zt_client *c, const char *base, const char *json)
{
    zt_resp *r = zt_post(w->e, c, base, json);
    if (r->status != 201) fail_msg("create %d: %s", r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

/* POST <base>/<id>/publish with body; returns "delivered" (fails unless 200). */
static long long publish(world *w, zt_client *c, const char *base, int64_t id, const char *body)
{
    char p[160];
    snprintf(p, sizeof p, "%s/%lld/publish", base, (long long)id);
    zt_resp *r = zt_post(w->e, c, p, body ? body : "{}");
    if (r->status != 200) fail_msg("publish %d: %s", r->status, r->body);
    long long n = zt_int(r, "delivered");
    zt_resp_free(r);
    return n;
}

static long long inbox_count(world *w, int64_t item, int64_t ent)
{
    return zt_countf(w->e, "SELECT COUNT(*) FROM policy_inbox WHERE item_id = %lld AND enterprise_id = %lld",
                     (long long)item, (long long)ent);
}

static long long messages_for(world *w, int64_t item)
{
    return zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'policy' AND ref_id = %lld", (long long)item);
}

/* ---- publish and targeting ---- */

static void test_publish_targets_subscriptions(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", NEWS_BODY);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_item WHERE id = %lld AND status = 'draft'", (long long)id), 1);
    /* a draft is nobody's yet */
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld", id)), 404, "not_found");
    zt_resp *r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/policies/%lld/audience-preview", id));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "count"), 2);     /* A (default rule), X (extra type) */
    assert_int_equal(zt_int(r, "matching"), 3);  /* + C, in 鼓楼 but unsubscribed; D is not approved */
    zt_resp_free(r);

    assert_int_equal(publish(w, &w->city, "/api/v1/admin/policies", id, NULL), 2);
    assert_int_equal(inbox_count(w, id, w->ent_a), 1);
    assert_int_equal(inbox_count(w, id, w->ent_x), 1);
    assert_int_equal(inbox_count(w, id, w->ent_b), 0); /* another district */
    assert_int_equal(inbox_count(w, id, w->ent_c), 0); /* not subscribed */
    assert_int_equal(inbox_count(w, id, w->ent_d), 0); /* not approved */
    long long msgs = messages_for(w, id);
    assert_int_equal(msgs, 2); /* the legal reps of A and X (policy.view) */

    /* a second click delivers nothing more */
    assert_int_equal(publish(w, &w->city, "/api/v1/admin/policies", id, NULL), 0);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM policy_inbox WHERE item_id = %lld", (long long)id), 2);
    assert_int_equal(messages_for(w, id), msgs);

    /* public and inbox */
    r = zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld", id));
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "published");
    assert_string_equal(zt_str(r, "kind"), "news");
    assert_non_null(zt_str(r, "published_at"));
    assert_non_null(zt_json(r, "interpretations"));
    assert_null(zt_json(r, "targets")); /* the bureau's own fields stay in the bureau */
    zt_resp_free(r);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise/policies");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "unread"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), id);
    zt_resp_free(r);
    r = zt_get(w->e, &w->c, "/api/v1/enterprise/policies");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    /* reading: once, by the first reader; another firm's item is 404 */
    r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/policies/%lld/read", id), "{}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise/policies?read=false");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zt_post(w->e, &w->c, zt_path("/api/v1/enterprise/policies/%lld/read", id), "{}"), 404, "not_found");

    /* reach */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/policies/%lld/reach", id));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "delivered"), 2);
    assert_int_equal(zt_int(r, "read"), 1);
    assert_string_equal(zt_str(r, "by_channel.0.channel"), "inapp");
    assert_int_equal(zt_int(r, "by_channel.0.total"), 2);
    assert_string_equal(zt_str(r, "by_district.0.region"), "350102");
    zt_resp_free(r);
    /* the audit trail */
    assert_true(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.publish' AND object_id = '%lld'",
                          (long long)id) == 1);
}

static void test_targets_conditions(void **st)
{
    world *w = *st;
    /* no types: every approved firm the targets select; empty targets = all */
    int64_t all = create(w, &w->city, "/api/v1/admin/notices",
                         "{\"title\":\"关于2026年春节假期安排的通知\",\"body_html\":\"<p>放假安排</p>\"}");
    assert_int_equal(publish(w, &w->city, "/api/v1/admin/notices", all, NULL), 4);
    assert_int_equal(inbox_count(w, all, w->ent_d), 0);
    /* a trade-type condition */
    int64_t imp = create(w, &w->city, "/api/v1/admin/notices",
                         "{\"title\":\"进口企业通知\",\"body_html\":\"<p>进口</p>\",\"targets\":{\"trade_types\":[\"import\"]}}");
    assert_int_equal(publish(w, &w->city, "/api/v1/admin/notices", imp, NULL), 0);
    int64_t exp = create(w, &w->city, "/api/v1/admin/notices",
                         "{\"title\":\"出口企业通知\",\"body_html\":\"<p>出口</p>\",\"targets\":{\"trade_types\":[\"export\"],"
                         "\"regions\":[\"350103\"]}}");
    assert_int_equal(publish(w, &w->city, "/api/v1/admin/notices", exp, NULL), 1);
    assert_int_equal(inbox_count(w, exp, w->ent_b), 1);
    /* notices go out on their own topic and template */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'notice' AND ref_id = %lld"
                                     " AND template_code = 'notice.published'", (long long)exp), 1);
    zt_resp *r = zt_get(w->e, NULL, zt_path("/api/v1/notices/%lld", exp));
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "kind"), "notice");
    zt_resp_free(r);
    /* a notice is not a policy on the portal */
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld", exp)), 404, "not_found");
}

/* ---- validation ---- */

static void test_bad_input_stores_nothing(void **st)
{
    world *w = *st;
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"kind\":\"news\",\"body_html\":\"<p>x</p>\"}", "title"},
        {"{\"kind\":\"notice\",\"title\":\"t\",\"body_html\":\"<p>x</p>\"}", "kind"},
        {"{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<script>alert(1)</script>\"}", "body_html"},
        {"{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"types\":[\"nope\"]}", "types"},
        {"{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"targets\":{\"regions\":[\"999999\"]}}",
         "targets.regions"},
        {"{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"effective_from\":\"2026-13-01\"}",
         "effective_from"},
        {"{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"effective_from\":\"2026-05-01\","
         "\"effective_to\":\"2026-04-01\"}", "effective_to"},
        {"{\"kind\":\"interpretation\",\"title\":\"t\",\"body_html\":\"<p>x</p>\"}", "interprets"},
        {"{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"interprets\":1}", "interprets"},
        {"{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"attachments\":[424242]}", "attachments"},
        {"{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"colour\":\"red\"}", "colour"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zt_resp *r = zt_post(w->e, &w->city, "/api/v1/admin/policies", bad[i].body);
        if (r->status != 400) fail_msg("case %zu: %d %s", i, r->status, r->body);
        assert_string_equal(zt_str(r, "error.code"), "validation_failed");
        /* field names may hold dots ("targets.regions"): looked up whole */
        const char *why = json_string_value(json_object_get(zt_json(r, "error.fields"), bad[i].field));
        if (!why) fail_msg("case %zu: no %s in %s", i, bad[i].field, r->body);
        /* the message is for a person: Chinese, not a code */
        assert_true((unsigned char)why[0] >= 0x80);
        zt_resp_free(r);
    }
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM content_item"), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM content_history"), 0);
    /* publish_at that is not a time */
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", NEWS_BODY);
    zt_resp *r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/policies/%lld/publish", id), "{\"publish_at\":\"tomorrow\"}");
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_item WHERE status <> 'draft'"), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM policy_inbox"), 0);
}

/* ---- access ---- */

static void test_access_and_scope(void **st)
{
    world *w = *st;
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_get(w->e, &anon, "/api/v1/admin/policies"), 401, "unauthenticated");
    zt_expect(zt_get(w->e, &w->a, "/api/v1/admin/policies"), 403, "forbidden");
    /* district staff: targets forced to their district, whatever they send */
    zt_resp *r = zt_post(w->e, &w->gulou, "/api/v1/admin/policies",
                         "{\"kind\":\"news\",\"title\":\"鼓楼区政策\",\"body_html\":\"<p>x</p>\",\"targets\":{\"regions\":[\"350103\"]}}");
    assert_int_equal(r->status, 201);
    int64_t id = zt_int(r, "id");
    assert_string_equal(zt_str(r, "targets.regions.0"), "350102");
    assert_null(zt_json(r, "targets.regions.1"));
    assert_string_equal(zt_str(r, "region"), "350102");
    zt_resp_free(r);
    /* another district: 404 on everything, nothing changes */
    zt_expect(zt_get(w->e, &w->taijiang, zt_path("/api/v1/admin/policies/%lld", id)), 404, "not_found");
    zt_expect(zt_get(w->e, &w->taijiang, zt_path("/api/v1/admin/policies/%lld/reach", id)), 404, "not_found");
    zt_expect(zt_post(w->e, &w->taijiang, zt_path("/api/v1/admin/policies/%lld/publish", id), "{}"), 404, "not_found");
    zt_expect(zt_req(w->e, &w->taijiang, "PUT", zt_path("/api/v1/admin/policies/%lld", id), "{\"title\":\"改\"}", NULL), 404,
              "not_found");
    r = zt_get(w->e, &w->taijiang, "/api/v1/admin/policies");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_item WHERE status = 'draft' AND title = '鼓楼区政策'"), 1);
    /* the city sees it */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/policies/%lld", id));
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    /* a policy route is not a notice route */
    zt_expect(zt_get(w->e, &w->city, zt_path("/api/v1/admin/notices/%lld", id)), 404, "not_found");

    /* a member without policy.view: no inbox, no calculator */
    zt_client m;
    zm_member_with(w->e, &m, w->ent_a, "13900000099", "trade.report", NULL);
    zt_expect(zt_get(w->e, &m, "/api/v1/enterprise/policies"), 403, "forbidden");
    zt_expect(zt_get(w->e, &m, "/api/v1/enterprise/policy-matches"), 403, "forbidden");
    assert_int_equal(publish(w, &w->gulou, "/api/v1/admin/policies", id, NULL), 3); /* A, C, X: no types */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message m JOIN app_user u ON u.id = m.account_id"
                                     " WHERE u.phone = '13900000099'"), 0);
}

/* ---- scheduled publication ---- */

static void test_scheduled_once_on_time(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", NEWS_BODY);
    time_t now = time(NULL);
    char when[64];
    struct tm tmv;
    time_t at = now + 3600 + 8 * 3600; /* written in Asia/Shanghai */
    gmtime_r(&at, &tmv);
    strftime(when, sizeof when, "{\"publish_at\":\"%Y-%m-%dT%H:%M:00+08:00\"}", &tmv);
    zt_resp *r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/policies/%lld/publish", id), when);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "scheduled");
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM policy_inbox"), 0);
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld", id)), 404, "not_found");
    int64_t due = zt_countf(w->e, "SELECT publish_at FROM content_item WHERE id = %lld", (long long)id);
    assert_true(due > now + 3500 && due <= now + 3600);

    db_conn *db = db_pool_acquire(w->e->app->pool);
    assert_int_equal(policy_publish_due(db, due - 1, NULL), DB_OK);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM policy_inbox"), 0);
    assert_int_equal(policy_publish_due(db, due, NULL), DB_OK);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM policy_inbox"), 2);
    long long msgs = messages_for(w, id);
    assert_int_equal(policy_publish_due(db, due + 60, NULL), DB_OK);
    db_pool_release(w->e->app->pool, db);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM policy_inbox"), 2);
    assert_int_equal(messages_for(w, id), msgs);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_item WHERE id = %lld AND status = 'published'"
                                     " AND published_at = %lld", (long long)id, (long long)due), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_history WHERE item_id = %lld AND action = 'publish'",
                               (long long)id), 1);
}

/* ---- withdraw ---- */

static void test_withdraw_vanishes(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", NEWS_BODY);
    /* searches are kept rendered: a publication must show at once */
    zt_resp *r = zt_get(w->e, NULL, "/api/v1/policies?q=补贴");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    publish(w, &w->city, "/api/v1/admin/policies", id, NULL);
    r = zt_get(w->e, NULL, "/api/v1/policies?q=补贴");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    /* past the last page: no items, and still the count of the matches */
    r = zt_get(w->e, NULL, "/api/v1/policies?q=补贴&page=5");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 0);
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/policies/%lld/withdraw", id), "{}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "withdrawn");
    zt_resp_free(r);
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld", id)), 404, "not_found");
    r = zt_get(w->e, NULL, "/api/v1/policies?q=补贴");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/policies");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise/policies");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/policies/%lld/read", id), "{}"), 404, "not_found");
    /* a published or withdrawn item is not deleted, a draft is */
    zt_expect(zt_req(w->e, &w->city, "DELETE", zt_path("/api/v1/admin/policies/%lld", id), NULL, NULL), 409, "conflict");
    int64_t draft = create(w, &w->city, "/api/v1/admin/policies", NEWS_BODY);
    r = zt_req(w->e, &w->city, "DELETE", zt_path("/api/v1/admin/policies/%lld", draft), NULL, NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_item WHERE id = %lld", (long long)draft), 0);
}

/* ---- edits, history, redelivery ---- */

static void test_edit_history_redeliver(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", NEWS_BODY);
    publish(w, &w->city, "/api/v1/admin/policies", id, NULL);
    long long msgs = messages_for(w, id);
    zt_resp *r = zt_req(w->e, &w->city, "PUT", zt_path("/api/v1/admin/policies/%lld", id),
                        "{\"title\":\"福州市促进外贸稳规模优结构若干措施（修订）\"}", NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "history.0.action"), "edit");
    assert_string_equal(zt_str(r, "history.0.staff_name"), "city1");
    assert_string_equal(zt_str(r, "history.0.changes.title.before"), "福州市促进外贸稳规模优结构若干措施");
    zt_resp_free(r);
    /* no redelivery unless asked */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM message"), msgs);
    r = zt_req(w->e, &w->city, "PUT", zt_path("/api/v1/admin/policies/%lld", id),
               "{\"summary\":\"新增条款\",\"redeliver\":true}", NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'policy_update'"), msgs);
    /* a bad edit changes nothing */
    zt_expect(zt_req(w->e, &w->city, "PUT", zt_path("/api/v1/admin/policies/%lld", id), "{\"title\":\"\"}", NULL), 400,
              "validation_failed");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_history WHERE item_id = %lld", (long long)id), 4);
}

static int64_t upload_as(world *w, zt_client *c, const char *url);

/* An edit that sends the audience and the files as they were (the editor
 * sends every field) lists only what changed, also for an item whose
 * stored audience is spelt shorter than the canonical form (demo and older
 * rows: one key, no empty lists). */
static void test_edit_history_only_changes(void **st)
{
    world *w = *st;
    int64_t f1 = upload_as(w, &w->city, "/api/v1/admin/uploads?name=a.pdf");
    int64_t f2 = upload_as(w, &w->city, "/api/v1/admin/uploads?name=b.pdf");
    char body[1200];
    snprintf(body, sizeof body,
             "{\"kind\":\"news\",\"title\":\"附件政策\",\"body_html\":\"<p>x</p>\",\"types\":[\"trade\"],"
             "\"targets\":{\"regions\":[\"350102\"]},\"attachments\":[%lld,%lld]}",
             (long long)f1, (long long)f2);
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", body);
    zt_execf(w->e, "UPDATE content_item SET targets_json = '{\"regions\":[\"350102\"]}' WHERE id = %lld", (long long)id);
    const char *path = zt_path("/api/v1/admin/policies/%lld", id);
    snprintf(body, sizeof body,
             "{\"title\":\"附件政策（修订）\",\"body_html\":\"<p>x</p>\",\"types\":[\"trade\"],"
             "\"targets\":{\"regions\":[\"350102\"],\"industries\":[],\"scales\":[],\"characteristics\":[],"
             "\"trade_types\":[]},\"attachments\":[%lld,%lld]}",
             (long long)f1, (long long)f2);
    zt_resp *r = zt_req(w->e, &w->city, "PUT", path, body, NULL);
    assert_int_equal(r->status, 200);
    json_t *changes = zt_json(r, "history.0.changes");
    assert_non_null(json_object_get(changes, "title"));
    if (json_object_size(changes) != 1) fail_msg("only the title changed, the history says %s", r->body);
    zt_resp_free(r);
    /* the files do change: one gone */
    snprintf(body, sizeof body, "{\"attachments\":[%lld]}", (long long)f2);
    r = zt_req(w->e, &w->city, "PUT", path, body, NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "history.0.changes.attachments.before"), "2 个");
    assert_string_equal(zt_str(r, "history.0.changes.attachments.after"), "1 个");
    assert_null(zt_json(r, "history.0.changes.targets"));
    zt_resp_free(r);
    /* and nothing at all changed: no history row */
    long long rows = zt_countf(w->e, "SELECT COUNT(*) FROM content_history WHERE item_id = %lld", (long long)id);
    r = zt_req(w->e, &w->city, "PUT", path, body, NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_history WHERE item_id = %lld", (long long)id), rows);
}

/* ---- XSS and search ---- */

static void test_xss_through_api(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, "/api/v1/admin/policies",
                        "{\"kind\":\"news\",\"title\":\"<script>alert(1)</script>标题\",\"body_html\":"
                        "\"<p onclick=\\\"alert(1)\\\">正文<script>alert(2)</script><a href=\\\"javascript:alert(3)\\\">链接</a>"
                        "<svg onload=alert(4)></svg><img src=\\\"https://evil.example/x.png\\\"></p>\"}");
    publish(w, &w->city, "/api/v1/admin/policies", id, NULL);
    zt_resp *r = zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld", id));
    const char *body = zt_str(r, "body_html");
    assert_non_null(strstr(body, "正文"));
    assert_null(strstr(body, "script"));
    assert_null(strstr(body, "onclick"));
    assert_null(strstr(body, "javascript"));
    assert_null(strstr(body, "svg"));
    assert_null(strstr(body, "evil"));
    /* a title is text: it travels JSON-escaped and the UI renders it as text */
    assert_string_equal(zt_str(r, "title"), "<script>alert(1)</script>标题");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_item WHERE body_html LIKE '%%script%%'"), 0);
}

static void test_search_short_and_long(void **st)
{
    world *w = *st;
    char body[8192] = "{\"kind\":\"news\",\"title\":\"关于开展2026年度企业服务工作的通知\",\"body_html\":\"<p>";
    for (int i = 0; i < 60; i++) strcat(body, "为进一步优化营商环境，");
    strcat(body, "对符合条件的跨境电商企业给予一次性补贴。Export credit insurance.</p>\"}");
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", body);
    publish(w, &w->city, "/api/v1/admin/policies", id, NULL);
    int64_t other = create(w, &w->city, "/api/v1/admin/policies",
                           "{\"kind\":\"news\",\"title\":\"人才引进办法\",\"body_html\":\"<p>人才公寓</p>\"}");
    publish(w, &w->city, "/api/v1/admin/policies", other, NULL);
    static const struct {
        const char *q;
        long long total;
    } cases[] = {
        {"补贴", 1}, {"补", 1}, {"跨境电商", 1}, {"一次性补贴", 1}, {"服务工作", 1}, {"人才", 1},
        {"credit", 1}, {"CREDIT", 1}, {"x", 1}, {"无关词", 0}, {"补贴人才", 0}, {"\"", 0}, {"%", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char p[128], enc[96];
        size_t o = 0;
        for (const unsigned char *c = (const unsigned char *)cases[i].q; *c && o + 4 < sizeof enc; c++)
            o += (size_t)snprintf(enc + o, sizeof enc - o, "%%%02X", *c);
        snprintf(p, sizeof p, "/api/v1/policies?q=%s", enc);
        zt_resp *r = zt_get(w->e, NULL, p);
        assert_int_equal(r->status, 200);
        if (zt_int(r, "total") != cases[i].total)
            fail_msg("q=%s: %lld, want %lld", cases[i].q, zt_int(r, "total"), cases[i].total);
        zt_resp_free(r);
    }
    zt_resp *r = zt_get(w->e, NULL, "/api/v1/policies?q=%E8%A1%A5%E8%B4%B4&kind=interpretation");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, NULL, "/api/v1/policies?kind=secret"), 400, "validation_failed");
    zt_expect(zt_get(w->e, NULL, "/api/v1/policies?from=2026-02-30"), 400, "validation_failed");
}

/* ---- the cached list ---- */

static void test_public_cache_etag(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, NULL, "/api/v1/policies");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 0);
    char etag[64];
    snprintf(etag, sizeof etag, "%s", zt_header(r, "ETag"));
    zt_resp_free(r);
    char h[128];
    snprintf(h, sizeof h, "If-None-Match: %s\n", etag);
    r = zt_req(w->e, NULL, "GET", "/api/v1/policies", NULL, h);
    assert_int_equal(r->status, 304);
    zt_resp_free(r);
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", NEWS_BODY);
    publish(w, &w->city, "/api/v1/admin/policies", id, NULL);
    r = zt_req(w->e, NULL, "GET", "/api/v1/policies", NULL, h);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), id);
    assert_string_equal(zt_str(r, "items.0.status"), "published");
    assert_string_equal(zt_str(r, "items.0.types.0.name"), "外贸外资");
    zt_resp_free(r);
    /* a version bump made behind this instance's back is seen within the period */
    zt_execf(w->e, "UPDATE content_item SET status = 'withdrawn' WHERE id = %lld", (long long)id);
    zt_execf(w->e, "UPDATE content_version SET version = version + 1 WHERE id = 1");
    struct timespec ts = {0, 600 * 1000 * 1000};
    nanosleep(&ts, NULL);
    r = zt_get(w->e, NULL, "/api/v1/policies");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
}

/* ---- subscriptions and rules ---- */

static void test_subscriptions(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->a, "/api/v1/enterprise/subscriptions");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "default.0"), "trade");
    assert_null(zt_json(r, "default.1"));
    assert_int_equal(json_array_size(zt_json(r, "extra")), 0);
    zt_resp_free(r);
    r = zt_req(w->e, &w->a, "PUT", "/api/v1/enterprise/subscriptions", "{\"extra\":[\"tech\",\"talent\"]}", NULL);
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "extra")), 2);
    assert_string_equal(zt_str(r, "items.0.source"), "default");
    zt_resp_free(r);
    /* defaults follow the profile */
    zt_execf(w->e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'hightech')", (long long)w->ent_a);
    zt_execf(w->e, "DELETE FROM enterprise_subscription WHERE enterprise_id = %lld AND policy_type = 'tech'", (long long)w->ent_a);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise/subscriptions");
    assert_string_equal(zt_str(r, "default.0"), "tech");
    assert_string_equal(zt_str(r, "default.1"), "trade");
    zt_resp_free(r);
    /* bad input stores nothing */
    long long before = zt_count(w->e, "SELECT COUNT(*) FROM enterprise_subscription");
    zt_expect(zt_req(w->e, &w->a, "PUT", "/api/v1/enterprise/subscriptions", "{\"extra\":[\"nope\"]}", NULL), 400,
              "validation_failed");
    zt_expect(zt_req(w->e, &w->a, "PUT", "/api/v1/enterprise/subscriptions", "{}", NULL), 400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM enterprise_subscription"), before);
    /* a member who may view but not manage */
    zt_client m;
    zm_member_with(w->e, &m, w->ent_a, "13900000098", "policy.view", NULL);
    zt_expect(zt_req(w->e, &m, "PUT", "/api/v1/enterprise/subscriptions", "{\"extra\":[]}", NULL), 403, "forbidden");

    /* rules: city staff edit, district staff read */
    r = zt_get(w->e, &w->gulou, "/api/v1/admin/subscription-rules");
    assert_int_equal(r->status, 200);
    assert_true(json_array_size(zt_json(r, "items")) >= 5);
    zt_resp_free(r);
    zt_expect(zt_req(w->e, &w->gulou, "PUT", "/api/v1/admin/subscription-rules", "{\"items\":[]}", NULL), 403, "forbidden");
    zt_expect(zt_req(w->e, &w->city, "PUT", "/api/v1/admin/subscription-rules",
                     "{\"items\":[{\"condition\":\"colour\",\"value\":\"x\",\"policy_type\":\"trade\"}]}", NULL),
              400, "validation_failed");
    assert_true(zt_count(w->e, "SELECT COUNT(*) FROM subscription_rule") >= 5);
    r = zt_req(w->e, &w->city, "PUT", "/api/v1/admin/subscription-rules",
               "{\"items\":[{\"condition\":\"industry_section\",\"value\":\"C\",\"policy_type\":\"manufacturing\"}]}", NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "items.0.value_name"), "制造业");
    zt_resp_free(r);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise/subscriptions");
    assert_int_equal(json_array_size(zt_json(r, "default")), 0);
    zt_resp_free(r);
}

/* ---- calculator ---- */

static void test_policy_matches(void **st)
{
    world *w = *st;
    int64_t hit = create(w, &w->city, "/api/v1/admin/policies",
                         "{\"kind\":\"news\",\"title\":\"鼓楼小微企业扶持\",\"body_html\":\"<p>x</p>\","
                         "\"targets\":{\"regions\":[\"350102\"],\"scales\":[\"small\"]}}");
    int64_t near = create(w, &w->city, "/api/v1/admin/policies",
                          "{\"kind\":\"news\",\"title\":\"鼓楼中型企业扶持\",\"body_html\":\"<p>x</p>\","
                          "\"targets\":{\"regions\":[\"350102\"],\"scales\":[\"medium\"]}}");
    int64_t far = create(w, &w->city, "/api/v1/admin/policies",
                         "{\"kind\":\"news\",\"title\":\"台江中型进口企业\",\"body_html\":\"<p>x</p>\","
                         "\"targets\":{\"regions\":[\"350103\"],\"scales\":[\"medium\"]}}");
    publish(w, &w->city, "/api/v1/admin/policies", hit, NULL);
    publish(w, &w->city, "/api/v1/admin/policies", near, NULL);
    publish(w, &w->city, "/api/v1/admin/policies", far, NULL);
    zt_resp *r = zt_get(w->e, &w->a, "/api/v1/enterprise/policy-matches");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "matches")), 1);
    assert_int_equal(zt_int(r, "matches.0.id"), hit);
    assert_string_equal(zt_str(r, "matches.0.conditions.0.condition"), "regions");
    assert_true(json_is_true(zt_json(r, "matches.0.conditions.0.met")));
    assert_non_null(zt_str(r, "matches.0.conditions.0.reason"));
    assert_int_equal(json_array_size(zt_json(r, "near_misses")), 1);
    assert_int_equal(zt_int(r, "near_misses.0.id"), near);
    assert_string_equal(zt_str(r, "near_misses.0.failed.condition"), "scales");
    zt_resp_free(r);
}

/* ---- services ---- */

static void test_services(void **st)
{
    world *w = *st;
    int64_t pol = create(w, &w->city, "/api/v1/admin/policies", NEWS_BODY);
    publish(w, &w->city, "/api/v1/admin/policies", pol, NULL);
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"出口信用保险投保补助申请指引\",\"category\":\"外贸服务\",\"department\":\"福州市商务局\","
             "\"summary\":\"保费补助\",\"how_to_apply\":\"<p>登录平台申报<script>x</script></p>\","
             "\"contact\":\"0591-00000000\",\"policies\":[%lld]}", (long long)pol);
    zt_resp *r = zt_post(w->e, &w->city, "/api/v1/admin/services", body);
    assert_int_equal(r->status, 201);
    int64_t id = zt_int(r, "id");
    assert_string_equal(zt_str(r, "status"), "draft");
    assert_null(strstr(zt_str(r, "how_to_apply"), "script"));
    zt_resp_free(r);
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/services/%lld", id)), 404, "not_found");
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/services/%lld/publish", id), "{}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zt_get(w->e, NULL, zt_path("/api/v1/services/%lld", id));
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "title"), "出口信用保险投保补助申请指引");
    assert_int_equal(zt_int(r, "policies.0.id"), pol);
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/services?q=%E4%BF%9D%E9%99%A9");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    /* bad input stores nothing; enterprises and district staff without the permission are refused */
    zt_expect(zt_post(w->e, &w->city, "/api/v1/admin/services", "{\"category\":\"x\"}"), 400, "validation_failed");
    zt_expect(zt_post(w->e, &w->city, "/api/v1/admin/services", "{\"name\":\"x\",\"policies\":[99999]}"), 400,
              "validation_failed");
    zt_expect(zt_post(w->e, &w->gulou, "/api/v1/admin/services", "{\"name\":\"x\"}"), 403, "forbidden");
    zt_expect(zt_get(w->e, &w->a, "/api/v1/admin/services"), 403, "forbidden");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM service_item"), 1);
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/services/%lld/withdraw", id), "{}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/services/%lld", id)), 404, "not_found");
}

/* ---- interpretations ---- */

static void test_interpretation_link(void **st)
{
    world *w = *st;
    int64_t pol = create(w, &w->city, "/api/v1/admin/policies", NEWS_BODY);
    publish(w, &w->city, "/api/v1/admin/policies", pol, NULL);
    char body[512];
    snprintf(body, sizeof body,
             "{\"kind\":\"interpretation\",\"title\":\"《若干措施》政策解读\",\"body_html\":\"<p>解读</p>\","
             "\"interprets\":%lld,\"types\":[\"trade\"]}", (long long)pol);
    int64_t in = create(w, &w->city, "/api/v1/admin/policies", body);
    publish(w, &w->city, "/api/v1/admin/policies", in, NULL);
    zt_resp *r = zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld", pol));
    assert_int_equal(zt_int(r, "interpretations.0.id"), in);
    zt_resp_free(r);
    r = zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld", in));
    assert_int_equal(zt_int(r, "policy.id"), pol);
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/policies?kind=interpretation");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
}

/* ---- attachments: bureau files, public once published ---- */

static const char PDF[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

static int64_t upload_as(world *w, zt_client *c, const char *url)
{
    zt_resp *r = zt_raw(w->e, c, "POST", url, PDF, sizeof PDF - 1, "Content-Type: application/octet-stream\n");
    if (r->status != 201) fail_msg("upload %s: %d %s", url, r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

static void get_ok_pdf(world *w, const char *url)
{
    zt_resp *r = zt_get(w->e, NULL, url);
    if (r->status != 200) fail_msg("GET %s: %d %s", url, r->status, r->body);
    assert_int_equal(r->len, sizeof PDF - 1);
    assert_memory_equal(r->body, PDF, sizeof PDF - 1);
    assert_non_null(strstr(zt_header(r, "Content-Disposition"), "attachment"));
    zt_resp_free(r);
}

static void test_attachments(void **st)
{
    world *w = *st;
    /* a district policy editor (no declaration.manage) uploads bureau files */
    int64_t f1 = upload_as(w, &w->gulou, "/api/v1/admin/uploads?name=%E7%BB%86%E5%88%99.pdf");
    int64_t f2 = upload_as(w, &w->city, "/api/v1/admin/uploads?name=other.pdf");
    /* a firm's own upload is not an attachment the bureau can publish (one
     * whose id no bureau file shares: the two tables count separately) */
    int64_t mine;
    do mine = upload_as(w, &w->a, "/api/v1/uploads?name=mine.pdf");
    while (zt_countf(w->e, "SELECT COUNT(*) FROM bureau_file WHERE id = %lld", (long long)mine) > 0);
    long long before = zt_count(w->e, "SELECT COUNT(*) FROM content_item");
    char body[900];
    snprintf(body, sizeof body, "{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"attachments\":[%lld]}",
             (long long)mine);
    zt_resp *r = zt_post(w->e, &w->city, "/api/v1/admin/policies", body);
    assert_int_equal(r->status, 400);
    assert_string_equal(zt_str(r, "error.code"), "validation_failed");
    assert_string_equal(zt_str(r, "error.fields.attachments"), "附件不存在，请重新上传");
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM content_item"), before);

    snprintf(body, sizeof body, "{\"kind\":\"news\",\"title\":\"附件政策\",\"body_html\":\"<p>x</p>\",\"attachments\":[%lld]}",
             (long long)f1);
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", body);
    char url[160], other[160];
    snprintf(url, sizeof url, "/api/v1/policies/%lld/attachments/%lld", (long long)id, (long long)f1);
    snprintf(other, sizeof other, "/api/v1/policies/%lld/attachments/%lld", (long long)id, (long long)f2);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/policies/%lld", id));
    assert_int_equal(zt_int(r, "attachments.0.id"), f1);
    assert_string_equal(zt_str(r, "attachments.0.name"), "细则.pdf");
    assert_string_equal(zt_str(r, "attachments.0.url"), url);
    zt_resp_free(r);
    /* a draft's attachment is nobody's business */
    zt_expect(zt_get(w->e, NULL, url), 404, "not_found");
    publish(w, &w->city, "/api/v1/admin/policies", id, NULL);
    r = zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld", id));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "attachments.0.size"), sizeof PDF - 1);
    assert_string_equal(zt_str(r, "attachments.0.url"), url);
    zt_resp_free(r);
    get_ok_pdf(w, url);
    /* a bureau file the item does not list, an unknown id, the wrong family */
    zt_expect(zt_get(w->e, NULL, other), 404, "not_found");
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld/attachments/999999", id)), 404, "not_found");
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/policies/%lld/attachments/x", id)), 404, "not_found");
    snprintf(other, sizeof other, "/api/v1/notices/%lld/attachments/%lld", (long long)id, (long long)f1);
    zt_expect(zt_get(w->e, NULL, other), 404, "not_found");

    /* notices the same way */
    snprintf(body, sizeof body, "{\"title\":\"附件公告\",\"body_html\":\"<p>x</p>\",\"attachments\":[%lld, %lld]}",
             (long long)f2, (long long)f1);
    int64_t nid = create(w, &w->city, "/api/v1/admin/notices", body);
    publish(w, &w->city, "/api/v1/admin/notices", nid, NULL);
    r = zt_get(w->e, NULL, zt_path("/api/v1/notices/%lld", nid));
    assert_int_equal(zt_int(r, "attachments.0.id"), f2);
    snprintf(other, sizeof other, "/api/v1/notices/%lld/attachments/%lld", (long long)nid, (long long)f2);
    assert_string_equal(zt_str(r, "attachments.0.url"), other);
    zt_resp_free(r);
    get_ok_pdf(w, other);

    /* withdrawn: gone again */
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/policies/%lld/withdraw", id), "{}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, NULL, url), 404, "not_found");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_publish_targets_subscriptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_and_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scheduled_once_on_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdraw_vanishes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_history_redeliver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_history_only_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xss_through_api, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_short_and_long, setup, teardown),
        cmocka_unit_test_setup_teardown(test_public_cache_etag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subscriptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_matches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_services, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interpretation_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attachments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
