/*
 * deliver.c — one delivery pass over the outbox (deliver.h). A pass claims
 * due rows in one statement (status 'sending', its own claim number, and a
 * claim expiry in next_at, so rows of a crashed pass fall due again by
 * themselves), reads what it needs to send them, sends each with no
 * transaction open, and writes all outcomes in one transaction. On
 * PostgreSQL the claim skips rows another instance holds locked (FOR
 * UPDATE SKIP LOCKED), so instances split the work instead of queueing.
 */
#include "jobs/deliver.h"
#include "jobs/deliver_internal.h"
#include "core/arena.h"
#include "sms/provider.h"
#include "wechat/wechat.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PASS_ARENA (16u << 20)
#define ERR_MAX 500

static const char SQL_CLAIM_LITE[] =
    "UPDATE notify_outbox SET status = 'sending', claim = $1, next_at = $2, attempts = attempts + 1 WHERE id IN"
    " (SELECT id FROM notify_outbox WHERE status IN ('pending','sending') AND next_at <= $3 ORDER BY next_at, id"
    " LIMIT $4)";
static const char SQL_CLAIM_PG[] =
    "UPDATE notify_outbox SET status = 'sending', claim = $1, next_at = $2, attempts = attempts + 1 WHERE id IN"
    " (SELECT id FROM notify_outbox WHERE status IN ('pending','sending') AND next_at <= $3 ORDER BY next_at, id"
    " LIMIT $4 FOR UPDATE SKIP LOCKED)";
static const char SQL_LOAD[] =
    "SELECT o.id, o.channel, o.account_kind, o.account_id, o.template_code, o.body, o.link, o.attempts,"
    " COALESCE(u.phone, st.phone), wb.openid, t.wechat_template_id FROM notify_outbox o"
    " LEFT JOIN app_user u ON o.account_kind = 'user' AND u.id = o.account_id"
    " LEFT JOIN staff st ON o.account_kind = 'staff' AND st.id = o.account_id"
    " LEFT JOIN wechat_binding wb ON o.account_kind = 'user' AND wb.user_id = o.account_id"
    " LEFT JOIN message_template t ON t.code = o.template_code WHERE o.status = 'sending' AND o.claim = $1 ORDER BY o.id";
static const char SQL_GRANT_USE[] =
    "UPDATE wechat_grant SET remaining = remaining - 1, updated_at = $3 WHERE user_id = $1 AND template_code = $2"
    " AND enabled = 1 AND remaining > 0";
static const char SQL_GRANT_REFUND[] =
    "UPDATE wechat_grant SET remaining = remaining + 1, updated_at = $3 WHERE user_id = $1 AND template_code = $2";
static const char SQL_DONE[] =
    "UPDATE notify_outbox SET status = $1, last_error = $2, next_at = $3, sent_at = $4, claim = 0"
    " WHERE id = $5 AND claim = $6";
/* after the rows that did not go out were written (their claim cleared),
 * every row the claim still holds was sent */
static const char SQL_SMS_LOG_SENT[] =
    "INSERT INTO sms_outbox(phone, body, provider, status, error, created_at) SELECT COALESCE(u.phone, st.phone),"
    " o.body, $1, 'sent', NULL, $2 FROM notify_outbox o"
    " LEFT JOIN app_user u ON o.account_kind = 'user' AND u.id = o.account_id"
    " LEFT JOIN staff st ON o.account_kind = 'staff' AND st.id = o.account_id"
    " WHERE o.status = 'sending' AND o.claim = $3 AND o.channel = 'sms'";
static const char SQL_SENT[] =
    "UPDATE notify_outbox SET status = 'sent', last_error = '', next_at = 0, sent_at = $1, claim = 0"
    " WHERE status = 'sending' AND claim = $2";
static const char SQL_GIVE_BACK[] =
    "UPDATE notify_outbox SET status = 'pending', next_at = $1, attempts = attempts - 1, claim = 0"
    " WHERE id = $2 AND claim = $3";
static const char SQL_SMS_LOG[] =
    "INSERT INTO sms_outbox(phone, body, provider, status, error, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
/* a pass stopped early gives back what it did not try */
static const char SQL_RELEASE[] =
    "UPDATE notify_outbox SET status = 'pending', next_at = $2, attempts = attempts - 1, claim = 0"
    " WHERE claim = $1 AND status = 'sending'";

typedef struct {
    int64_t id, account_id;
    const char *channel, *kind, *template_code, *body, *link, *phone, *openid, *wx_template;
    int attempts;
    /* outcome */
    const char *status, *error;
    int64_t next_at;
    bool sms_logged;
    const char *sms_provider;
} job;

static int64_t new_claim(void)
{
    int64_t v;
    randombytes_buf(&v, sizeof v);
    v &= INT64_MAX;
    return v ? v : 1;
}

static int step_done(db_stmt *s)
{
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* Marks rows claimed by this pass; *n gets how many. */
static int claim(db_conn *c, int64_t tok, int64_t now, int64_t lease, int max, int64_t *n)
{
    db_stmt *s = db_prepare(c, db_conn_engine(c) == DB_POSTGRES ? SQL_CLAIM_PG : SQL_CLAIM_LITE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, tok);
    db_bind_int64(s, 2, now + lease);
    db_bind_int64(s, 3, now);
    db_bind_int64(s, 4, max);
    int rc = db_step(s);
    *n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int load(db_conn *c, zq_arena *a, int64_t tok, job *jobs, int max, int *n)
{
    db_stmt *s = db_prepare(c, SQL_LOAD);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, tok);
    int rc;
    *n = 0;
    while ((rc = db_step(s)) == DB_ROW && *n < max) {
        job *j = &jobs[(*n)++];
        memset(j, 0, sizeof *j);
        j->id = db_col_int64(s, 0);
        j->channel = db_col_dup(a, s, 1);
        j->kind = db_col_dup(a, s, 2);
        j->account_id = db_col_int64(s, 3);
        j->template_code = db_col_dup(a, s, 4);
        j->body = db_col_dup(a, s, 5);
        j->link = db_col_dup(a, s, 6);
        j->attempts = (int)db_col_int64(s, 7);
        j->phone = db_col_dup(a, s, 8);
        j->openid = db_col_dup(a, s, 9);
        j->wx_template = db_col_dup(a, s, 10);
    }
    db_stmt_done(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* A grant taken (1), none left (0), or a db_rc. */
static int grant(db_conn *c, const job *j, int64_t now, bool refund)
{
    db_stmt *s = db_prepare(c, refund ? SQL_GRANT_REFUND : SQL_GRANT_USE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, j->account_id);
    db_bind_text(s, 2, j->template_code, -1);
    db_bind_int64(s, 3, now);
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    return n > 0;
}

static void failed(zq_arena *a, job *j, int64_t now, const char *why, bool final)
{
    j->error = zq_arena_strndup(a, why, ERR_MAX);
    if (final || j->attempts >= JOBS_DELIVER_MAX_ATTEMPTS) {
        j->status = "failed";
        j->next_at = 0;
    } else {
        j->status = "pending";
        j->next_at = now + jobs_deliver_backoff(j->attempts);
    }
}

static void send_sms(const zq_config *cfg, zq_arena *a, job *j, int64_t now)
{
    if (!j->phone || !*j->phone) {
        j->status = "skipped";
        j->error = "收件人没有手机号";
        return;
    }
    const sms_provider *p = sms_provider_for(cfg);
    char err[ERR_MAX] = "";
    if (!p) {
        failed(a, j, now, "未知的短信服务商配置", false);
        return;
    }
    sms_message m = {j->phone, j->body, now};
    j->sms_logged = true;
    j->sms_provider = p->name;
    if (p->send(cfg, &m, err, sizeof err) == 0) {
        j->status = "sent";
        j->error = "";
    } else {
        failed(a, j, now, *err ? err : "短信发送失败", false);
    }
}

static int send_wechat(db_conn *c, const zq_config *cfg, wechat_client *wx, zq_arena *a, job *j, int64_t now)
{
    if (!j->openid) {
        j->status = "skipped";
        j->error = "收件人未绑定微信";
        return DB_OK;
    }
    if (!j->wx_template || !*j->wx_template) {
        j->status = "skipped";
        j->error = "该消息模板未配置微信模板";
        return DB_OK;
    }
    int g = grant(c, j, now, false);
    if (g < 0) return g;
    if (!g) {
        j->status = "skipped";
        j->error = "收件人的微信订阅次数已用完或已关闭";
        return DB_OK;
    }
    char err[ERR_MAX] = "";
    wechat_rc rc = wechat_send(wx, cfg, now, j->openid, j->wx_template, j->link, j->body, err, sizeof err);
    if (rc == WECHAT_OK) {
        j->status = "sent";
        j->error = "";
        return DB_OK;
    }
    /* WeChat did not deliver it: the member's send is not used up */
    int r = grant(c, j, now, true);
    failed(a, j, now, *err ? err : "微信发送失败", rc == WECHAT_REFUSED);
    return r < 0 ? r : DB_OK;
}

/* One statement per row that did not go out (rare); then the sent ones
 * of the claim all at once, their SMS logged set-based: a pass of
 * thousands is a handful of statements. */
static int record(db_conn *c, const zq_config *cfg, const job *jobs, int n, int64_t tok, int64_t now)
{
    int rc = db_begin(c, true);
    if (rc != DB_OK) return rc;
    for (int i = 0; i < n && rc == DB_OK; i++) {
        const job *j = &jobs[i];
        if (j->status && strcmp(j->status, "sent") == 0) continue;
        db_stmt *s = db_prepare(c, j->status ? SQL_DONE : SQL_GIVE_BACK);
        if (!s) {
            rc = DB_ERR;
            break;
        }
        if (!j->status) {
            /* not tried (stopped, or the pass ran out of time) */
            db_bind_int64(s, 1, now);
            db_bind_int64(s, 2, j->id);
            db_bind_int64(s, 3, tok);
            rc = step_done(s);
            continue;
        }
        db_bind_text(s, 1, j->status, -1);
        db_bind_text(s, 2, j->error ? j->error : "", -1);
        db_bind_int64(s, 3, strcmp(j->status, "pending") == 0 ? j->next_at : 0);
        db_bind_int64(s, 4, 0);
        db_bind_int64(s, 5, j->id);
        db_bind_int64(s, 6, tok);
        rc = step_done(s);
        if (rc == DB_OK && j->sms_logged) {
            if (!(s = db_prepare(c, SQL_SMS_LOG))) {
                rc = DB_ERR;
                break;
            }
            db_bind_text(s, 1, j->phone, -1);
            db_bind_text(s, 2, j->body, -1);
            db_bind_text(s, 3, j->sms_provider, -1);
            db_bind_text(s, 4, "failed", -1);
            db_bind_text(s, 5, j->error, -1);
            db_bind_int64(s, 6, now);
            rc = step_done(s);
        }
    }
    const sms_provider *p = sms_provider_for(cfg);
    db_stmt *s;
    if (rc == DB_OK && p) {
        if (!(s = db_prepare(c, SQL_SMS_LOG_SENT))) rc = DB_ERR;
        else {
            db_bind_text(s, 1, p->name, -1);
            db_bind_int64(s, 2, now);
            db_bind_int64(s, 3, tok);
            rc = step_done(s);
        }
    }
    if (rc == DB_OK) {
        if (!(s = db_prepare(c, SQL_SENT))) rc = DB_ERR;
        else {
            db_bind_int64(s, 1, now);
            db_bind_int64(s, 2, tok);
            rc = step_done(s);
        }
    }
    if (rc == DB_OK) rc = db_commit(c);
    if (rc != DB_OK) db_rollback(c);
    return rc;
}

static const char SQL_DUE[] = "SELECT COUNT(*) FROM notify_outbox WHERE status IN ('pending','sending') AND next_at <= $1";

int64_t jobs_deliver_due(db_conn *c, int64_t now)
{
    db_stmt *s = db_prepare(c, SQL_DUE);
    if (!s) return -1;
    db_bind_int64(s, 1, now);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_stmt_done(s);
    return n;
}

int64_t jobs_deliver_backoff(int attempts)
{
    if (attempts < 1) attempts = 1;
    if (attempts > 16) attempts = 16;
    return (int64_t)JOBS_DELIVER_BACKOFF_S << (attempts - 1);
}

int jobs_deliver_pass(db_conn *c, const zq_config *cfg, wechat_client *wx, int64_t now, int max,
                      const atomic_bool *stop, int *sent)
{
    if (sent) *sent = 0;
    if (max < 1) max = 1;
    if (max > JOBS_DELIVER_PASS_MAX) max = JOBS_DELIVER_PASS_MAX;
    int64_t tok = new_claim(), claimed = 0;
    unsigned timeout_ms = cfg->wechat_timeout_ms > cfg->sms_timeout_ms ? cfg->wechat_timeout_ms : cfg->sms_timeout_ms;
    /* a pass stops sending after JOBS_DELIVER_PASS_S and gives the rest
     * back, so its claim need only outlast that and one send's timeout */
    int64_t lease = 2 * JOBS_DELIVER_PASS_S + (timeout_ms ? timeout_ms : 5000) / 1000 + 1;
    time_t until = time(NULL) + JOBS_DELIVER_PASS_S;
    int rc = claim(c, tok, now, lease, max, &claimed);
    if (rc != DB_OK || claimed == 0) return rc;

    zq_arena *a = zq_arena_new(PASS_ARENA);
    job *jobs = a ? zq_arena_alloc(a, sizeof *jobs * (size_t)max) : NULL;
    int n = 0;
    if (!jobs) {
        rc = DB_ERR;
        goto done;
    }
    if ((rc = load(c, a, tok, jobs, max, &n)) != DB_OK) goto done;
    for (int i = 0; i < n; i++) {
        if ((stop && atomic_load(stop)) || time(NULL) > until) break;
        job *j = &jobs[i];
        if (strcmp(j->channel, "sms") == 0) {
            send_sms(cfg, a, j, now);
        } else if (strcmp(j->channel, "wechat") == 0) {
            if ((rc = send_wechat(c, cfg, wx, a, j, now)) != DB_OK) break;
        } else {
            failed(a, j, now, "未知的发送渠道", true);
        }
        if (sent && j->status && strcmp(j->status, "sent") == 0) (*sent)++;
    }
    {
        /* what went out is recorded even when the pass broke off; if even
         * that fails, the rows come due again when the claim runs out */
        int rrc = record(c, cfg, jobs, n, tok, now);
        if (rc == DB_OK) rc = rrc;
        goto out;
    }
done:
    {
        /* nothing was sent: give the whole claim back */
        db_stmt *s = db_prepare(c, SQL_RELEASE);
        if (s) {
            db_bind_int64(s, 1, tok);
            db_bind_int64(s, 2, now);
            int r2 = step_done(s);
            if (rc == DB_OK) rc = r2;
        }
    }
out:
    zq_arena_free(a);
    return rc;
}

int jobs_deliver_batch(db_conn *c, const zq_config *cfg, int64_t now, int max, int *sent)
{
    wechat_client *wx = wechat_client_new();
    if (!wx) return DB_ERR;
    int total = 0, rc = DB_OK;
    /* passes of at most JOBS_DELIVER_PASS_MAX until max rows were tried */
    for (int left = max; left > 0 && rc == DB_OK;) {
        int chunk = left < JOBS_DELIVER_PASS_MAX ? left : JOBS_DELIVER_PASS_MAX, got = 0;
        rc = jobs_deliver_pass(c, cfg, wx, now, chunk, NULL, &got);
        total += got;
        left -= chunk;
        if (rc == DB_OK && jobs_deliver_due(c, now) == 0) break;
    }
    wechat_client_free(wx);
    if (sent) *sent = total;
    return rc;
}
