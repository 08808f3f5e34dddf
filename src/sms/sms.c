/*
 * sms.c — one-time SMS codes (see sms.h) and POST /api/v1/sms/send.
 *
 * Limits are counted from the sms_code rows themselves (sliding windows):
 * 60 s between two codes to a phone, ≤ 5 an hour and ≤ 10 a day per phone,
 * ≤ 20 an hour and ≤ 100 a day per client IP. A refusal stores nothing.
 * A request for a login / reset code to a phone without an account is
 * answered exactly like a real one and stores a code row (so the limits
 * behave the same) whose code is never sent. Codes of a logged-in flow
 * (transfer) need that session and go to the caller's own phone only;
 * codes of a login step (staff_login, first_login) are sent by that step
 * alone, after the password checked out.
 *
 * The code row is committed before delivery, so no write lock is held
 * while a gateway is slow; a failed delivery deletes it again and leaves
 * the failure in sms_outbox.
 */
#include "sms/sms.h"
#include "handler/kit.h"
#include "sms/provider.h"
#include "http/context.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "rate/rate.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include "core/contact.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SMS_RESEND_GAP 60
#define SMS_PHONE_HOUR 5
#define SMS_PHONE_DAY 10
#define SMS_IP_HOUR 20
#define SMS_IP_DAY 100
#define SMS_CODE_DIGITS 6

static const char SQL_LOCK_PHONE[] =
    "INSERT INTO rate_counter(key, window_start, count) VALUES ($1, $2, 1)"
    " ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counter.count + 1";
static const char SQL_LAST_PHONE[] = "SELECT MAX(created_at) FROM sms_code WHERE phone = $1";
static const char SQL_COUNT_PHONE[] = "SELECT COUNT(*) FROM sms_code WHERE phone = $1 AND created_at > $2";
static const char SQL_NTH_PHONE[] =
    "SELECT created_at FROM sms_code WHERE phone = $1 AND created_at > $2 ORDER BY created_at LIMIT 1 OFFSET $3";
static const char SQL_COUNT_IP[] = "SELECT COUNT(*) FROM sms_code WHERE ip = $1 AND created_at > $2";
static const char SQL_NTH_IP[] =
    "SELECT created_at FROM sms_code WHERE ip = $1 AND created_at > $2 ORDER BY created_at LIMIT 1 OFFSET $3";
static const char SQL_INSERT[] =
    "INSERT INTO sms_code(phone, purpose, code_hash, ip, attempts, used_at, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, 0, 0, $5, $6) RETURNING id";
static const char SQL_DELETE[] = "DELETE FROM sms_code WHERE id = $1";
/* this phone's codes older than the longest window serve nothing any more */
static const char SQL_PRUNE_PHONE[] = "DELETE FROM sms_code WHERE phone = $1 AND created_at < $2";
static const char SQL_OUTBOX[] =
    "INSERT INTO sms_outbox(phone, body, provider, status, error, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
static const char SQL_NEWEST[] =
    "SELECT id, code_hash, attempts, used_at, expires_at FROM sms_code WHERE phone = $1 AND purpose = $2"
    " ORDER BY id DESC LIMIT 1";
static const char SQL_USE[] =
    "UPDATE sms_code SET used_at = $1 WHERE id = $2 AND used_at = 0 AND attempts < $3";
static const char SQL_MISS[] = "UPDATE sms_code SET attempts = attempts + 1 WHERE id = $1";
static const char SQL_HAS_USER[] = "SELECT COUNT(*) FROM app_user WHERE phone = $1 AND disabled = 0";

/* Who may have a code sent through POST /sms/send. */
typedef enum {
    SMS_OPEN,       /* anyone, to any phone (register) */
    SMS_ACCOUNT,    /* anyone; delivered only when the phone has an account */
    SMS_FLOW,       /* never: the login step that needs it sends it once the password checks out */
    SMS_SELF,       /* a logged-in user (CSRF, gate as `access`/`perm`), to their own phone */
} sms_who;

static const struct {
    const char *purpose;
    const char *label;      /* what the code is for, in the message */
    sms_who who;
    zq_access access;       /* SMS_SELF: the gate of the flow the code is for */
    const char *perm;
} purposes[] = {
    {"register", "注册账号", SMS_OPEN, ZQ_ACCESS_PUBLIC, NULL},
    {"login", "登录", SMS_ACCOUNT, ZQ_ACCESS_PUBLIC, NULL},
    {"reset", "重置密码", SMS_ACCOUNT, ZQ_ACCESS_PUBLIC, NULL},
    {"staff_login", "登录管理后台", SMS_FLOW, ZQ_ACCESS_PUBLIC, NULL},
    {"first_login", "首次登录验证", SMS_FLOW, ZQ_ACCESS_PUBLIC, NULL},
    /* legal-rep transfer (src/member/transfer.c): the legal rep's own phone */
    {"transfer", "身份确认", SMS_SELF, ZQ_ACCESS_MEMBER, "legal_rep"},
    /* closing one's own account (src/privacy/close.c): any enterprise account, its own phone */
    {"close_account", "注销账号", SMS_SELF, ZQ_ACCESS_USER, NULL},
    /* a visitor's consultation on the portal (src/consult/public.c): any phone, it has no account */
    {"consult", "提交咨询", SMS_OPEN, ZQ_ACCESS_PUBLIC, NULL},
};

static int purpose_index(const char *p)
{
    if (!p) return -1;
    for (size_t i = 0; i < sizeof purposes / sizeof purposes[0]; i++)
        if (strcmp(p, purposes[i].purpose) == 0) return (int)i;
    return -1;
}

bool sms_purpose_valid(const char *purpose)
{
    return purpose_index(purpose) >= 0;
}

/* hex SHA-256 over purpose, phone and code (NUL-separated) */
static void code_hash(const char *purpose, const char *phone, const char *code, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)"zq-sms", 7);
    crypto_hash_sha256_update(&st, (const unsigned char *)purpose, strlen(purpose) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)phone, strlen(phone) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)code, strlen(code));
    crypto_hash_sha256_final(&st, h);
    zq_hex(h, sizeof h, out);
}

static int query_int(db_conn *db, const char *sql, const char *key, int64_t since, int64_t offset, bool with_offset,
                     int64_t *out)
{
    db_stmt *s = db_prepare(db, sql);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, key, -1);
    if (since >= 0) db_bind_int64(s, 2, since);
    if (with_offset) db_bind_int64(s, 3, offset);
    int rc = db_step(s);
    *out = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Seconds until key's sends in the last `window` drop below `limit`, or 0
 * if they already are below it. */
static int window_wait(db_conn *db, const char *count_sql, const char *nth_sql, const char *key, int64_t window,
                       int limit, int64_t now, int64_t *wait)
{
    int64_t n = 0, at = 0;
    int rc = query_int(db, count_sql, key, now - window, 0, false, &n);
    *wait = 0;
    if (rc != DB_OK || n < limit) return rc;
    /* the row whose ageing out brings the count to limit − 1 */
    if ((rc = query_int(db, nth_sql, key, now - window, n - limit, true, &at)) != DB_OK) return rc;
    *wait = at + window - now;
    if (*wait < 1) *wait = 1;
    return DB_OK;
}

static zq_err refuse(zq_req *q, zq_resp *r, int64_t wait, const char *what)
{
    r->retry_after = wait;
    return zq_fail(r, ZQ_E_RATE_LIMITED, zq_arena_printf(q->arena, "%s，请 %s后再试", what, zq_wait_text(q->arena, wait)));
}

/* Every limit; ZQ_OK or the 429 written into r. Inside the transaction. */
static zq_err check_limits(zq_req *q, zq_resp *r, const char *phone)
{
    db_conn *db = q->db;
    int64_t last = 0, wait = 0;
    int rc;
    if ((rc = query_int(db, SQL_LAST_PHONE, phone, -1, 0, false, &last)) != DB_OK) goto dberr;
    if (last && last + SMS_RESEND_GAP > q->now)
        return refuse(q, r, last + SMS_RESEND_GAP - q->now, "验证码已发送");
    if ((rc = window_wait(db, SQL_COUNT_PHONE, SQL_NTH_PHONE, phone, 86400, SMS_PHONE_DAY, q->now, &wait)) != DB_OK)
        goto dberr;
    if (wait) return refuse(q, r, wait, "该手机号今日获取验证码次数已达上限");
    if ((rc = window_wait(db, SQL_COUNT_PHONE, SQL_NTH_PHONE, phone, 3600, SMS_PHONE_HOUR, q->now, &wait)) != DB_OK)
        goto dberr;
    if (wait) return refuse(q, r, wait, "该手机号一小时内获取验证码次数已达上限");
    if ((rc = window_wait(db, SQL_COUNT_IP, SQL_NTH_IP, q->client_ip, 86400, SMS_IP_DAY, q->now, &wait)) != DB_OK)
        goto dberr;
    if (wait) return refuse(q, r, wait, "当前网络今日获取验证码次数过多");
    if ((rc = window_wait(db, SQL_COUNT_IP, SQL_NTH_IP, q->client_ip, 3600, SMS_IP_HOUR, q->now, &wait)) != DB_OK)
        goto dberr;
    if (wait) return refuse(q, r, wait, "当前网络获取验证码过于频繁");
    return ZQ_OK;
dberr:
    return zq_fail(r, rc == DB_EBUSY ? ZQ_E_UNAVAILABLE : ZQ_E_INTERNAL, NULL);
}

static void random_code(char out[SMS_CODE_DIGITS + 1])
{
    for (int i = 0; i < SMS_CODE_DIGITS; i++) out[i] = (char)('0' + randombytes_uniform(10));
    out[SMS_CODE_DIGITS] = '\0';
}

static const char *message_text(zq_req *q, int pi, const char *code)
{
    return zq_arena_printf(q->arena, "【政企互动平台】验证码 %s，用于%s，%d 分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。",
                           code, purposes[pi].label, SMS_CODE_TTL / 60);
}

/* POST /sms/send's own record when the code went out, else (a refusal, or
 * a code a login or another flow sends on its way) a record of its own. */
static int audit_send(zq_req *q, const char *phone, const char *purpose, const char *result, const char *note)
{
    audit_entry a = {
        .action = "sms.send", .object_type = "phone", .object_id = audit_mask_phone(q->arena, phone),
        .result = result,
        .detail = zq_arena_printf(q->arena, "{\"purpose\":\"%s\"%s%s%s}", purpose, note ? ",\"note\":\"" : "",
                                  note ? note : "", note ? "\"" : ""),
    };
    return audit_emit(q, &a);
}

/* Limits, code row, delivery (when deliver), outbox, audit. */
static zq_err send_code(zq_req *q, zq_resp *r, const char *phone, int pi, bool deliver)
{
    const char *purpose = purposes[pi].purpose;
    char code[SMS_CODE_DIGITS + 1], hash[65];
    int64_t code_id = 0;
    int rc;
    zq_err e;
    const sms_provider *prov = sms_provider_for(&q->app->cfg);

    random_code(code);
    code_hash(purpose, phone, code, hash);

    if ((rc = db_begin(q->db, true)) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    /* Serialise senders to one phone on PostgreSQL: the upsert holds this
     * phone's counter row until commit (SQLite's write lock already does). */
    db_stmt *s = db_prepare(q->db, SQL_LOCK_PHONE);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    const char *key = zq_arena_printf(q->arena, "sms:%s", phone);
    db_bind_text(s, 1, key, -1);
    db_bind_int64(s, 2, q->now - q->now % 86400);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if ((e = check_limits(q, r, phone)) != ZQ_OK) return hk_fail_tx_keep(q, r, e, NULL);
    if (!(s = db_prepare(q->db, SQL_PRUNE_PHONE))) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, phone, -1);
    db_bind_int64(s, 2, q->now - 2 * 86400);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);

    if (!(s = db_prepare(q->db, SQL_INSERT))) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, phone, -1);
    db_bind_text(s, 2, purpose, -1);
    db_bind_text(s, 3, hash, -1);
    db_bind_text(s, 4, q->client_ip, -1);
    db_bind_int64(s, 5, q->now);
    db_bind_int64(s, 6, q->now + SMS_CODE_TTL);
    rc = db_step(s);
    if (rc == DB_ROW) code_id = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (!deliver) {
        /* nothing goes out: the phone has no account for this purpose */
        if (audit_send(q, phone, purpose, "denied", "no_account") != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
        /* the answer looks like a send (it must not tell whether the phone
         * has an account); what happened is the refusal just recorded */
        audit_none(q);
        sodium_memzero(code, sizeof code);
        if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
        return ZQ_OK;
    }
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);

    char err[256] = "";
    sms_message m = {phone, message_text(q, pi, code), q->now};
    int sent = prov ? prov->send(&q->app->cfg, &m, err, sizeof err) : -1;
    if (!prov) snprintf(err, sizeof err, "unknown SMS provider '%s'", q->app->cfg.sms_provider);
    if (sent != 0) fprintf(stderr, "zhengqi: sms to %s failed: %s (request %s)\n",
                           audit_mask_phone(q->arena, phone), err, q->request_id);
    const char *stored = prov && prov->outbox_keeps_code ? m.text : message_text(q, pi, "******");
    sodium_memzero(code, sizeof code);

    if ((rc = db_begin(q->db, true)) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (sent != 0) {
        /* an undelivered code must neither work nor count against the limits */
        if (!(s = db_prepare(q->db, SQL_DELETE))) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
        db_bind_int64(s, 1, code_id);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    }
    if (!(s = db_prepare(q->db, SQL_OUTBOX))) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, phone, -1);
    db_bind_text(s, 2, stored, -1);
    db_bind_text(s, 3, prov ? prov->name : "none", -1);
    db_bind_text(s, 4, sent == 0 ? "sent" : "failed", -1);
    if (sent == 0) db_bind_null(s, 5);
    else db_bind_text(s, 5, err, -1);
    db_bind_int64(s, 6, q->now);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (audit_send(q, phone, purpose, sent == 0 ? "ok" : "failed", sent == 0 ? NULL : "delivery_failed") != 0)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (sent != 0) return zq_fail(r, ZQ_E_UNAVAILABLE, "发送失败，请稍后重试");
    return ZQ_OK;
}

zq_err sms_send_code(zq_req *q, zq_resp *r, const char *phone, const char *purpose)
{
    int pi = purpose_index(purpose);
    if (pi < 0 || !zq_mobile_valid(phone)) return zq_fail(r, ZQ_E_BAD_REQUEST, NULL);
    return send_code(q, r, phone, pi, true);
}

zq_err sms_verify_code(zq_req *q, zq_resp *r, const char *phone, const char *purpose, const char *code, const char *field)
{
    const char *why = "验证码错误或已过期";
    if (!phone || !purpose || !code) {
        zq_fail_field(q, r, field, why);
        return r->err;
    }
    db_stmt *s = db_prepare(q->db, SQL_NEWEST);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, phone, -1);
    db_bind_text(s, 2, purpose, -1);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        zq_fail_field(q, r, field, why);
        return r->err;
    }
    int64_t id = db_col_int64(s, 0), attempts = db_col_int64(s, 2), used = db_col_int64(s, 3),
            expires = db_col_int64(s, 4);
    char stored[65];
    snprintf(stored, sizeof stored, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
    db_stmt_done(s);
    if (used || expires <= q->now || attempts >= SMS_MAX_TRIES) {
        zq_fail_field(q, r, field, why);
        return r->err;
    }
    char want[65];
    code_hash(purpose, phone, code, want);
    bool match = strlen(stored) == 64 && sodium_memcmp(want, stored, 64) == 0;
    if (!(s = db_prepare(q->db, match ? SQL_USE : SQL_MISS))) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (match) {
        db_bind_int64(s, 1, q->now);
        db_bind_int64(s, 2, id);
        db_bind_int64(s, 3, SMS_MAX_TRIES);
    } else {
        db_bind_int64(s, 1, id);
    }
    rc = db_step(s);
    int64_t changed = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (match && changed == 1) return ZQ_OK;
    zq_fail_field(q, r, field, why);  /* wrong, or used up by a concurrent request */
    return r->err;
}

/* ---- POST /api/v1/sms/send ---- */

static zq_err sms_send_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"phone", "purpose", NULL};
    zq_in_only(q, r, keys);
    const char *phone = zq_in_str(q, r, "phone", "手机号", true, 16);
    const char *purpose = zq_in_str(q, r, "purpose", "用途", true, 16);
    if (phone && !zq_mobile_valid(phone)) zq_fail_field(q, r, "phone", "请输入正确的手机号");
    int pi = purpose_index(purpose);
    if (purpose && pi < 0) zq_fail_field(q, r, "purpose", "验证码用途不正确");
    if (r->err) return r->err;

    bool deliver = true;
    zq_err e;
    switch (purposes[pi].who) {
    case SMS_OPEN:
        break;
    case SMS_ACCOUNT: {
        int64_t n = 0;
        const char *params[] = {phone};
        if (db_query_int64(q->db, SQL_HAS_USER, &n, 1, params) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        deliver = n > 0;
        break;
    }
    case SMS_FLOW:
        zq_fail_field(q, r, "purpose", "该验证码在登录时自动发送，无需单独获取");
        return r->err;
    case SMS_SELF:
        /* a code for a logged-in flow texts nobody but the person in it */
        if ((e = auth_gate_as(q, r, purposes[pi].access, purposes[pi].perm)) != ZQ_OK) return e;
        if (!q->session->phone || strcmp(phone, q->session->phone) != 0)
            return zq_fail(r, ZQ_E_FORBIDDEN, "验证码只能发送到您本人的手机号");
        break;
    }
    e = send_code(q, r, phone, pi, deliver);
    if (e != ZQ_OK) return e;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "sent", true);
    zq_jw_kint(&w, "expires_in", SMS_CODE_TTL);
    zq_jw_kint(&w, "resend_after", SMS_RESEND_GAP);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    /* public for register/login/reset; the purposes of a logged-in flow
     * pass auth_gate_as (session, CSRF, permission) in the handler */
    {ZQ_POST, "/api/v1/sms/send", sms_send_post, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_JSON | ZQ_RF_NO_CSRF, 4096, "sms.send"},
};
const zq_route_group sms_routes = {routes, sizeof routes / sizeof routes[0]};
