/*
 * test_deliver.c — the delivery worker (src/jobs/): SMS through the log
 * provider is sent once and logged; a failing SMS gateway and a busy WeChat
 * are retried with exponential back-off and end failed with their error; an
 * expired WeChat token is fetched again; WeChat sends stop when the
 * member's grants are used up (recorded as skipped, with the reason); two
 * workers on PostgreSQL claim disjoint rows; a periodic task runs once per
 * period across instances; the worker thread wakes on notify_kick.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "support/zt_fake.h"
#include "db/db.h"
#include "jobs/deliver.h"
#include "jobs/schedule.h"
#include "notify/notify.h"
#include "wechat/wechat.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define T0 1700000000

static zt_fake *fake_current;
static int sms_status = 500;

static int sms_handler(void *ctx, const char *method, const char *target, const char *body, char *out, size_t outlen)
{
    (void)ctx;
    (void)method;
    (void)target;
    (void)body;
    snprintf(out, outlen, "{}");
    return sms_status;
}

static void cfg_sms_http(zq_config *cfg)
{
    static char url[128];
    snprintf(url, sizeof url, "%s/v1/sms", zt_fake_base(fake_current));
    cfg->dev = false;
    cfg->sms_provider = "http";
    cfg->sms_url = url;
    cfg->sms_secret = "test-gateway-secret-0123456789";
    cfg->sms_timeout_ms = 2000;
}

static void cfg_wechat(zq_config *cfg)
{
    static char base[96];
    snprintf(base, sizeof base, "%s", zt_fake_base(fake_current));
    cfg->wechat_api = base;
    cfg->wechat_appid = "wx-test-app";
    cfg->wechat_secret = "wx-test-secret";
    cfg->wechat_timeout_ms = 2000;
}

typedef struct {
    int64_t ent, lr_id;
    zt_client lr;
} firm;

static firm make_firm(zt_env *e, const char *name, const char *phone)
{
    firm f;
    f.ent = zm_enterprise(e, &f.lr, name, phone, &f.lr_id);
    return f;
}

/* notify_enterprise for ref_id, in a committed transaction; returns rows added */
static int64_t publish(zt_env *e, int64_t ent, int64_t ref_id)
{
    notify_msg m = {"policy", "policy.published", "policy", ref_id, "{\"title\":\"稳外贸政策\",\"department\":\"商务局\"}",
                    "/console/policies/received/1"};
    db_conn *c = db_pool_acquire(e->app->pool);
    int64_t added = 0;
    assert_int_equal(db_begin(c, true), DB_OK);
    int rc = notify_enterprise(c, T0, &m, ent, "policy.view", &added);
    if (rc != DB_OK) fail_msg("notify: %s", db_errmsg(c));
    assert_int_equal(db_commit(c), DB_OK);
    db_pool_release(e->app->pool, c);
    return added;
}

static int deliver(zt_env *e, int64_t now)
{
    db_conn *c = db_pool_acquire(e->app->pool);
    int sent = -1;
    int rc = jobs_deliver_batch(c, &e->app->cfg, now, 1000, &sent);
    if (rc != DB_OK) fail_msg("deliver: %s", db_errmsg(c));
    db_pool_release(e->app->pool, c);
    return sent;
}

static void opt_in(zt_env *e, int64_t user, const char *channel)
{
    zt_execf(e, "INSERT INTO notify_setting VALUES ('user', %lld, 'policy', '%s', 1, 0)", (long long)user, channel);
}

static void test_sms_log_sent_once(void **st)
{
    (void)st;
    zt_env *e = zt_start();
    firm f = make_firm(e, "福州甲贸易有限公司", "13900000001");
    opt_in(e, f.lr_id, "sms");
    assert_int_equal(publish(e, f.ent, 1), 2);
    assert_int_equal(deliver(e, T0), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'sent' AND attempts = 1 AND sent_at > 0"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '13900000001' AND body LIKE '%稳外贸政策%'"), 1);
    /* nothing left: a second pass and a second publish send nothing more */
    assert_int_equal(deliver(e, T0 + 1), 0);
    assert_int_equal(publish(e, f.ent, 1), 0);
    assert_int_equal(deliver(e, T0 + 2), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox WHERE phone = '13900000001'"), 1);
    zt_stop(e);
}

static void test_failing_sms_backs_off_then_fails(void **st)
{
    (void)st;
    sms_status = 500;
    fake_current = zt_fake_start(sms_handler, NULL);
    zt_env *e = zt_start_cfg(cfg_sms_http);
    firm f = make_firm(e, "福州甲贸易有限公司", "13900000001");
    opt_in(e, f.lr_id, "sms");
    publish(e, f.ent, 1);
    int64_t now = T0;
    for (int attempt = 1; attempt <= JOBS_DELIVER_MAX_ATTEMPTS; attempt++) {
        assert_int_equal(deliver(e, now), 0);
        assert_int_equal(zt_countf(e, "SELECT attempts FROM notify_outbox"), attempt);
        if (attempt < JOBS_DELIVER_MAX_ATTEMPTS) {
            int64_t wait = (int64_t)JOBS_DELIVER_BACKOFF_S << (attempt - 1);
            assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'pending'"), 1);
            assert_int_equal(zt_countf(e, "SELECT next_at FROM notify_outbox"), now + wait);
            /* not due before its time */
            assert_int_equal(deliver(e, now + wait - 1), 0);
            assert_int_equal(zt_countf(e, "SELECT attempts FROM notify_outbox"), attempt);
            now += wait;
        }
    }
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'failed'"
                                 " AND last_error = 'the gateway answered HTTP 500'"),
                     1);
    assert_int_equal(zt_fake_requests(fake_current), JOBS_DELIVER_MAX_ATTEMPTS);
    /* given up: never tried again */
    deliver(e, now + 100000);
    assert_int_equal(zt_fake_requests(fake_current), JOBS_DELIVER_MAX_ATTEMPTS);
    /* the gateway recovers: a new delivery goes through */
    sms_status = 200;
    publish(e, f.ent, 2);
    assert_int_equal(deliver(e, now), 1);
    zt_stop(e);
    zt_fake_stop(fake_current);
    fake_current = NULL;
}

static zt_wx wx;

static zt_env *wechat_env(firm *f)
{
    memset(&wx, 0, sizeof wx);
    fake_current = zt_fake_start(zt_wx_handler, &wx);
    zt_env *e = zt_start_cfg(cfg_wechat);
    *f = make_firm(e, "福州甲贸易有限公司", "13900000001");
    zt_execf(e, "INSERT INTO wechat_binding VALUES (%lld, 'o-lr', 0)", (long long)f->lr_id);
    return e;
}

static void wechat_done(zt_env *e)
{
    zt_stop(e);
    zt_fake_stop(fake_current);
    fake_current = NULL;
}

static void test_wechat_grants_used_up(void **st)
{
    (void)st;
    firm f;
    zt_env *e = wechat_env(&f);
    /* bound but no grant: no WeChat row at all */
    assert_int_equal(publish(e, f.ent, 1), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox"), 0);
    zt_execf(e, "INSERT INTO wechat_grant VALUES (%lld, 'policy.published', 1, 1, 0)", (long long)f.lr_id);
    /* one grant, two items enqueued while it remained */
    assert_int_equal(publish(e, f.ent, 2), 2);
    assert_int_equal(publish(e, f.ent, 3), 2);
    assert_int_equal(deliver(e, T0), 1);
    assert_int_equal(wx.delivered, 1);
    assert_non_null(strstr(wx.last_send, "\"touser\":\"o-lr\""));
    assert_non_null(strstr(wx.last_send, "\"template_id\":\"POLICY_PUSH\""));
    assert_non_null(strstr(wx.last_send, "稳外贸政策"));
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'sent'"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'skipped' AND last_error LIKE '%订阅次数已用完%'"), 1);
    assert_int_equal(zt_count(e, "SELECT remaining FROM wechat_grant"), 0);
    /* used up: the next item adds no WeChat row */
    assert_int_equal(publish(e, f.ent, 4), 1);
    assert_int_equal(wx.sends, 1);
    wechat_done(e);
}

static void test_wechat_busy_retried_grant_kept(void **st)
{
    (void)st;
    firm f;
    zt_env *e = wechat_env(&f);
    zt_execf(e, "INSERT INTO wechat_grant VALUES (%lld, 'policy.published', 1, 1, 0)", (long long)f.lr_id);
    publish(e, f.ent, 1);
    wx.mode = ZT_WX_BUSY;
    int64_t now = T0;
    for (int attempt = 1; attempt <= JOBS_DELIVER_MAX_ATTEMPTS; attempt++) {
        assert_int_equal(deliver(e, now), 0);
        /* a send WeChat did not deliver leaves the member's grant */
        assert_int_equal(zt_count(e, "SELECT remaining FROM wechat_grant"), 1);
        now += (int64_t)JOBS_DELIVER_BACKOFF_S << (attempt - 1);
    }
    assert_int_equal(wx.sends, JOBS_DELIVER_MAX_ATTEMPTS);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'failed'"
                                 " AND last_error LIKE 'WeChat errcode -1%'"),
                     1);
    /* one token per one-shot batch (each makes its own client) */
    assert_int_equal(wx.tokens, JOBS_DELIVER_MAX_ATTEMPTS);
    wechat_done(e);
}

static void test_wechat_expired_token_refetched(void **st)
{
    (void)st;
    firm f;
    zt_env *e = wechat_env(&f);
    zt_execf(e, "INSERT INTO wechat_grant VALUES (%lld, 'policy.published', 3, 1, 0)", (long long)f.lr_id);
    publish(e, f.ent, 1);
    wx.mode = ZT_WX_EXPIRED_ONCE;
    assert_int_equal(deliver(e, T0), 1);
    assert_int_equal(wx.tokens, 2);
    assert_int_equal(wx.sends, 2);
    assert_int_equal(zt_count(e, "SELECT remaining FROM wechat_grant"), 2);
    /* the app's client (the worker's) keeps its token between sends */
    char err[256];
    int before = wx.tokens;
    for (int i = 0; i < 3; i++)
        assert_int_equal(wechat_send(e->app->wechat, &e->app->cfg, T0 + i, "o-lr", "POLICY_PUSH", "", "{}", err, sizeof err),
                         WECHAT_OK);
    assert_int_equal(wx.tokens, before + 1);
    /* until it is about to expire */
    assert_int_equal(wechat_send(e->app->wechat, &e->app->cfg, T0 + 7200, "o-lr", "POLICY_PUSH", "", "{}", err, sizeof err),
                     WECHAT_OK);
    assert_int_equal(wx.tokens, before + 2);
    /* switched off in 微信订阅设置: no row for the next item */
    zt_exec(e, "UPDATE wechat_grant SET enabled = 0");
    publish(e, f.ent, 2);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE ref_id = 2"), 0);
    wechat_done(e);
}

static void test_two_workers_claim_disjoint_rows(void **st)
{
    (void)st;
    zt_env *e = zt_start();
    /* twenty firms whose legal reps opted into SMS */
    for (int i = 0; i < 20; i++) {
        char name[64], phone[16];
        snprintf(name, sizeof name, "福州测试%02d贸易有限公司", i);
        snprintf(phone, sizeof phone, "139000001%02d", i);
        firm f = make_firm(e, name, phone);
        opt_in(e, f.lr_id, "sms");
        publish(e, f.ent, 1);
    }
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'pending'"), 20);
    db_conn *a = db_pool_acquire(e->app->pool), *b = db_pool_acquire(e->app->pool);
    assert_non_null(a);
    assert_non_null(b);
    if (db_conn_engine(a) == DB_POSTGRES) {
        /* A holds five rows locked (a worker in the middle of its claim) */
        assert_int_equal(db_begin(a, false), DB_OK);
        db_stmt *s = db_prepare(a, "SELECT id FROM notify_outbox ORDER BY id LIMIT 5 FOR UPDATE SKIP LOCKED");
        int n = 0;
        while (db_step(s) == DB_ROW) n++;
        db_stmt_done(s);
        assert_int_equal(n, 5);
        /* B does not wait for them and takes the other fifteen */
        int sent = 0;
        assert_int_equal(jobs_deliver_batch(b, &e->app->cfg, T0, 1000, &sent), DB_OK);
        assert_int_equal(sent, 15);
        assert_int_equal(db_rollback(a), DB_OK);
        assert_int_equal(jobs_deliver_batch(a, &e->app->cfg, T0, 1000, &sent), DB_OK);
        assert_int_equal(sent, 5);
    } else {
        int s1 = 0, s2 = 0;
        assert_int_equal(jobs_deliver_batch(a, &e->app->cfg, T0, 7, &s1), DB_OK);
        assert_int_equal(jobs_deliver_batch(b, &e->app->cfg, T0, 1000, &s2), DB_OK);
        assert_int_equal(s1, 7);
        assert_int_equal(s2, 13);
    }
    db_pool_release(e->app->pool, a);
    db_pool_release(e->app->pool, b);
    /* every row sent exactly once */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'sent' AND attempts = 1"), 20);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM sms_outbox"), 20);
    zt_stop(e);
}

static void test_task_runs_once_per_period(void **st)
{
    (void)st;
    zt_env *e = zt_start();
    db_conn *a = db_pool_acquire(e->app->pool), *b = db_pool_acquire(e->app->pool);
    int ran = -1;
    assert_int_equal(jobs_run_due(a, T0, NULL, &ran), DB_OK);
    assert_int_equal(ran, (int)jobs_ntasks);
    /* another instance at the same moment: the leases are taken */
    assert_int_equal(jobs_run_due(b, T0 + 1, NULL, &ran), DB_OK);
    assert_int_equal(ran, 0);
    /* the prune task's period later it runs again, once */
    assert_int_equal(jobs_run_due(b, T0 + 3600, NULL, &ran), DB_OK);
    assert_true(ran >= 1);
    assert_int_equal(jobs_run_due(a, T0 + 3600, NULL, &ran), DB_OK);
    assert_int_equal(ran, 0);
    db_pool_release(e->app->pool, a);
    db_pool_release(e->app->pool, b);
    /* the prune task deletes finished rows past the keep time, never pending ones */
    zt_exec(e, "INSERT INTO notify_outbox(channel, account_kind, account_id, topic, template_code, ref_type, ref_id, body,"
               " status, next_at, created_at) VALUES ('sms','user',1,'policy','policy.published','policy',1,'x','sent',0,0),"
               " ('sms','user',1,'policy','policy.published','policy',2,'x','pending',0,0)");
    a = db_pool_acquire(e->app->pool);
    assert_int_equal(jobs_run_due(a, T0 + 100000, NULL, &ran), DB_OK);
    db_pool_release(e->app->pool, a);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox"), 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'pending'"), 1);
    zt_stop(e);
}

static void test_worker_thread_wakes_on_kick(void **st)
{
    (void)st;
    zt_env *e = zt_start();
    firm f = make_firm(e, "福州甲贸易有限公司", "13900000001");
    opt_in(e, f.lr_id, "sms");
    /* a long tick: only the kick can make it deliver within the test's wait */
    e->app->worker = jobs_worker_start(e->app, 3600);
    assert_non_null(e->app->worker);
    usleep(200 * 1000); /* its first pass over an empty outbox */
    notify_msg m = {"policy", "policy.published", "policy", 5, "{\"title\":\"即时送达\"}", ""};
    db_conn *c = db_pool_acquire(e->app->pool);
    assert_int_equal(db_begin(c, true), DB_OK);
    assert_int_equal(notify_enterprise(c, (int64_t)time(NULL), &m, f.ent, NULL, NULL), DB_OK);
    assert_int_equal(db_commit(c), DB_OK);
    db_pool_release(e->app->pool, c);
    notify_kick(e->app);
    long long sent = 0;
    for (int i = 0; i < 100 && !sent; i++) {
        usleep(50 * 1000);
        sent = zt_count(e, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'sent'");
    }
    assert_int_equal(sent, 1);
    jobs_worker_stop(e->app->worker);
    e->app->worker = NULL;
    zt_stop(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sms_log_sent_once),
        cmocka_unit_test(test_failing_sms_backs_off_then_fails),
        cmocka_unit_test(test_wechat_grants_used_up),
        cmocka_unit_test(test_wechat_busy_retried_grant_kept),
        cmocka_unit_test(test_wechat_expired_token_refetched),
        cmocka_unit_test(test_two_workers_claim_disjoint_rows),
        cmocka_unit_test(test_task_runs_once_per_period),
        cmocka_unit_test(test_worker_thread_wakes_on_kick),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
