/*
 * auth_api.c — logging in and out and the account's own password
 * (manual chapter 2):
 *   POST /api/v1/auth/login      {phone, password[, sms_code]}
 *   POST /api/v1/auth/login-sms  {phone, code}
 *   POST /api/v1/auth/logout
 *   GET  /api/v1/auth/me
 *   POST /api/v1/auth/switch     {enterprise_id}
 *   POST /api/v1/auth/password   {old_password, new_password}   (users and staff)
 *   POST /api/v1/auth/reset      {phone, code, new_password}
 * Unknown phones and wrong passwords answer alike (same status, message,
 * argon2id work and lock counting); every attempt is audited. An account
 * whose password someone else set (the initial 888888) proves its phone
 * before its first session: the password alone answers {"sms_required"}
 * and sends a first_login code; the same call with sms_code logs in, and
 * the forced password change follows.
 */
#include "http/context.h"
#include "handler/kit.h"
#include "auth/auth.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "auth/login.h"
#include "auth/password.h"
#include "auth/password_policy.h"
#include "auth/user.h"
#include "auth/session.h"
#include "db/db.h"
#include "http/input.h"
#include "sms/sms.h"
#include "core/contact.h"
#include <sodium.h>
#include <string.h>

static const char SQL_USER_HASH[] = "SELECT password_hash FROM app_user WHERE id = $1";
static const char SQL_STAFF_HASH[] = "SELECT password_hash, username FROM staff WHERE id = $1";
static const char SQL_USER_SET_PW[] =
    "UPDATE app_user SET password_hash = $1, must_change_password = 0, password_changed_at = $2, updated_at = $2"
    " WHERE id = $3";
static const char SQL_STAFF_SET_PW[] =
    "UPDATE staff SET password_hash = $1, must_change_password = 0, password_changed_at = $2, updated_at = $2"
    " WHERE id = $3";
static const char SQL_USER_LAST[] = "UPDATE app_user SET last_enterprise_id = $1, updated_at = $2 WHERE id = $3";
static const char SQL_IS_MEMBER[] =
    "SELECT COUNT(*) FROM membership WHERE enterprise_id = $1 AND user_id = $2 AND status = 'active'";

#define CODE_MAX_CHARS 16
#define LOGIN_BAD_MESSAGE "手机号或密码错误"
#define DISABLED_MESSAGE "该账号已停用，请联系商务局"




static const char *read_phone(zq_req *q, zq_resp *r)
{
    const char *phone = zq_in_str(q, r, "phone", "手机号", true, 16);
    if (phone && !zq_mobile_valid(phone)) {
        zq_fail_field(q, r, "phone", "请输入正确的手机号");
        return NULL;
    }
    return phone;
}

/* The audit record of a login-type event on the account with this phone. */
static audit_entry login_entry(zq_req *q, const char *action, const char *phone, const char *result, const char *detail_kv)
{
    const zq_session *ss = q->session;
    int64_t who = ss ? (ss->staff_id ? ss->staff_id : ss->user_id) : 0;
    audit_entry a = {
        .action = action, .object_type = ss && ss->staff_id ? "staff" : "user",
        .object_id = who ? zq_arena_printf(q->arena, "%lld", (long long)who) : NULL,
        .result = result,
        .detail = zq_arena_printf(q->arena, "{\"phone\":\"%s\"%s%s}", audit_mask_phone(q->arena, phone),
                                  detail_kv ? "," : "", detail_kv ? detail_kv : ""),
        .region = !ss ? NULL : ss->staff_id ? ss->staff_region : auth_enterprise_region(q, ss->enterprise_id),
    };
    return a;
}

static int audit_login(zq_req *q, const char *action, const char *phone, const char *result, const char *detail_kv)
{
    audit_entry a = login_entry(q, action, phone, result, detail_kv);
    return audit_record(q, &a);
}

/* A wrong or unusable SMS code inside an open transaction: the counted try
 * is kept (committed), the IP pays for the failure too, the attempt is
 * audited, and the person sees one message whatever the reason. */
static zq_err refuse_code(zq_req *q, zq_resp *r, zq_err e, const char *action, const char *phone, const char *detail)
{
    if (e == ZQ_E_INTERNAL) return hk_fail_tx_keep(q, r, e, NULL);
    if (auth_ip_fail(q) != 0 || audit_login(q, action, phone, "failed", detail) != 0 || db_commit(q->db) != DB_OK) {
        r->err = ZQ_OK;
        r->err_fields.n = 0;
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    }
    if (!r->err) zq_fail_field(q, r, "code", "验证码错误或已过期");
    return r->err;
}

static zq_err record_failure(zq_req *q, zq_resp *r, const char *subject, const char *action, const char *phone,
                             const char *reason, zq_err e, const char *message, const char *field)
{
    audit_entry a = login_entry(q, action, phone, "failed", zq_arena_printf(q->arena, "\"reason\":\"%s\"", reason));
    return auth_record_failure(q, r, subject, &a, e, message, field);
}

static zq_err refuse_locked(zq_req *q, zq_resp *r, const char *action, const char *phone, int64_t until)
{
    audit_entry a = login_entry(q, action, phone, "denied", "\"reason\":\"locked\"");
    return auth_refuse_locked(q, r, &a, until);
}

/* The account proved itself: new session on the right enterprise, audit. */
static zq_err finish_login(zq_req *q, zq_resp *r, int64_t uid, const char *subject, const char *phone, const char *method)
{
    int64_t eid = 0;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (auth_lock_clear(q->db, subject) != DB_OK || auth_pick_enterprise(q->db, uid, &eid) != DB_OK)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (auth_start_session(q, r, uid, 0, eid) != ZQ_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    audit_entry a = login_entry(q, NULL, phone, NULL, zq_arena_printf(q->arena, "\"method\":\"%s\"", method));
    if (audit_note(q, &a) != 0)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    return auth_write_me(q, r, 200);
}

static zq_err refuse_disabled(zq_req *q, zq_resp *r, const char *action, const char *phone)
{
    if (audit_login(q, action, phone, "denied", "\"reason\":\"disabled\"") != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return zq_fail(r, ZQ_E_FORBIDDEN, DISABLED_MESSAGE);
}

/* ---- POST /auth/login ---- */

/* The initial password is right: a code to the account's phone, and the
 * step the UI shows. No session yet, so whoever guessed phone and 888888
 * gets no further. */
static zq_err ask_first_login_code(zq_req *q, zq_resp *r, const char *phone)
{
    zq_err e = sms_send_code(q, r, phone, "first_login");
    if (e != ZQ_OK) return e;
    audit_none(q); /* not logged in yet: the code sent is recorded as sms.send */
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "sms_required", true);
    zq_jw_kstr(&w, "phone", audit_mask_phone(q->arena, phone));
    zq_jw_kint(&w, "expires_in", SMS_CODE_TTL);
    zq_jw_kint(&w, "resend_after", 60);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err login_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"phone", "password", "sms_code", NULL};
    zq_in_only(q, r, keys);
    const char *phone = read_phone(q, r);
    const char *password = auth_in_password(q, r, "password", "密码");
    const char *code = zq_in_str(q, r, "sms_code", "短信验证码", false, CODE_MAX_CHARS);
    if (r->err) return r->err;
    zq_err e;
    if ((e = auth_ip_check(q, r)) != ZQ_OK) return e;
    const char *subject = auth_subject(q, "user", phone);
    int64_t until = 0;
    if (auth_lock_state(q->db, subject, q->now, &until) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (until) return refuse_locked(q, r, "auth.login", phone, until);

    auth_user u;
    if (auth_user_by_phone(q, phone, &u) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    /* the same argon2id work whether or not the account exists */
    bool ok = auth_pw_verify(u.id ? u.hash : q->app->pw_dummy, password) && u.id;
    if (!ok)
        return record_failure(q, r, subject, "auth.login", phone, u.id ? "bad_password" : "unknown_account",
                              ZQ_E_LOGIN, LOGIN_BAD_MESSAGE, NULL);
    if (u.disabled) return refuse_disabled(q, r, "auth.login", phone);
    if (!u.must_change_password) return finish_login(q, r, u.id, subject, phone, "password");

    if (!code) return ask_first_login_code(q, r, phone);
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    e = sms_verify_code(q, r, phone, "first_login", code, "sms_code");
    if (e != ZQ_OK)
        return refuse_code(q, r, e, "auth.login", phone, "\"method\":\"password+sms\",\"reason\":\"bad_code\"");
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    return finish_login(q, r, u.id, subject, phone, "password+sms");
}

/* ---- POST /auth/login-sms ---- */

static zq_err login_sms_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"phone", "code", NULL};
    zq_in_only(q, r, keys);
    const char *phone = read_phone(q, r);
    const char *code = zq_in_str(q, r, "code", "验证码", true, CODE_MAX_CHARS);
    if (r->err) return r->err;
    zq_err e;
    if ((e = auth_ip_check(q, r)) != ZQ_OK) return e;
    const char *subject = auth_subject(q, "user", phone);
    int64_t until = 0;
    if (auth_lock_state(q->db, subject, q->now, &until) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (until) return refuse_locked(q, r, "auth.login", phone, until);

    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    e = sms_verify_code(q, r, phone, "login", code, "code");
    auth_user u = {0};
    if (e == ZQ_OK && auth_user_by_phone(q, phone, &u) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (e != ZQ_OK || !u.id) return refuse_code(q, r, e, "auth.login", phone, "\"method\":\"sms\",\"reason\":\"bad_code\"");
    if (u.disabled) {
        zq_err d = refuse_disabled(q, r, "auth.login", phone);
        if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
        return d;
    }
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    return finish_login(q, r, u.id, subject, phone, "sms");
}

/* ---- POST /auth/logout ---- */

static zq_err logout_post(zq_req *q, zq_resp *r)
{
    if (q->session) {
        const zq_session *ss = q->session;
        audit_entry a = {
            .object_type = ss->staff_id ? "staff" : "user",
            .object_id = zq_arena_printf(q->arena, "%lld", (long long)(ss->staff_id ? ss->staff_id : ss->user_id)),
            .region = ss->staff_id ? ss->staff_region : auth_enterprise_region(q, ss->enterprise_id),
        };
        if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        if (audit_note(q, &a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
        if (auth_session_logout(q, r) != ZQ_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
        if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
        q->session = NULL;
    } else {
        audit_none(q); /* nobody was logged in: only a stale cookie is cleared */
        if (auth_session_logout(q, r) != ZQ_OK) return r->err;
    }
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "ok", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* ---- GET /auth/me ---- */

static zq_err me_get(zq_req *q, zq_resp *r)
{
    return auth_write_me(q, r, 200);
}

/* ---- POST /auth/switch ---- */

static zq_err switch_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"enterprise_id", NULL};
    zq_in_only(q, r, keys);
    int64_t eid = zq_in_int(q, r, "enterprise_id", "企业", true, 1, INT64_MAX, NULL);
    if (r->err) return r->err;
    const zq_session *ss = q->session;
    int64_t n = 0;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_IS_MEMBER);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, ss->user_id);
    if (db_step(s) == DB_ROW) n = db_col_int64(s, 0);
    db_stmt_done(s);
    if (!n) return hk_fail_tx_keep(q, r, ZQ_E_NOT_FOUND, "企业不存在或您不是该企业成员");
    if (!(s = db_prepare(q->db, SQL_USER_LAST))) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, ss->user_id);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE || auth_session_set_enterprise(q, eid) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    audit_entry a = {.object_type = "enterprise",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)eid), .enterprise_id = eid,
                     .region = auth_enterprise_region(q, eid)};
    if (audit_note(q, &a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    return auth_write_me(q, r, 200);
}

/* ---- POST /auth/password ---- */

static zq_err password_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"old_password", "new_password", NULL};
    const zq_session *ss = q->session;
    zq_in_only(q, r, keys);
    const char *old_pw = auth_in_password(q, r, "old_password", "原密码");
    const char *new_pw = auth_in_password(q, r, "new_password", "新密码");
    if (!new_pw) return r->err;

    /* the stored hash and the login name the lock counts on */
    db_stmt *s = db_prepare(q->db, ss->staff_id ? SQL_STAFF_HASH : SQL_USER_HASH);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, ss->staff_id ? ss->staff_id : ss->user_id);
    if (db_step(s) != DB_ROW) {
        db_stmt_done(s);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    const char *hash = zq_arena_strdup(q->arena, db_col_text(s, 0));
    const char *username = ss->staff_id ? zq_arena_strdup(q->arena, db_col_text(s, 1)) : NULL;
    db_stmt_done(s);
    const char *subject = ss->staff_id ? auth_subject(q, "staff", username) : auth_subject(q, "user", ss->phone);
    auth_pw_owner who = {.phone = ss->phone, .name = ss->actor_name, .username = username};
    if (!ss->staff_id && auth_pw_owner_of_user(q, ss->user_id, &who) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    const char *why = auth_pw_policy(q->arena, new_pw, &who);
    if (why) zq_fail_field(q, r, "new_password", why);
    else if (old_pw && strcmp(old_pw, new_pw) == 0) zq_fail_field(q, r, "new_password", "新密码不能与原密码相同");
    if (r->err) return r->err;

    int64_t until = 0;
    if (auth_lock_state(q->db, subject, q->now, &until) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (until) return auth_fail_locked(q, r, until);
    if (!auth_pw_verify(hash, old_pw))
        return record_failure(q, r, subject, "auth.password_change", ss->phone, "bad_password", ZQ_E_VALIDATION,
                              "原密码不正确", "old_password");

    char new_hash[AUTH_PW_HASH_MAX];
    auth_pw_cost cost = {q->app->pw_ops, q->app->pw_mem};
    if (auth_pw_hash(new_pw, cost, new_hash) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (!(s = db_prepare(q->db, ss->staff_id ? SQL_STAFF_SET_PW : SQL_USER_SET_PW)))
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, new_hash, -1);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, ss->staff_id ? ss->staff_id : ss->user_id);
    int rc = db_step(s);
    db_stmt_done(s);
    sodium_memzero(new_hash, sizeof new_hash);
    if (rc != DB_DONE) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    /* every other session of the account ends: whoever else held one is out */
    if (auth_session_revoke_all(q->db, ss->user_id, ss->staff_id, ss->id, q->now) != 0 ||
        auth_lock_clear(q->db, subject) != DB_OK)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    audit_entry a = {
        .object_type = ss->staff_id ? "staff" : "user",
        .object_id = zq_arena_printf(q->arena, "%lld", (long long)(ss->staff_id ? ss->staff_id : ss->user_id)),
        .detail = ss->must_change_password ? "{\"initial\":true}" : NULL,
        .region = ss->staff_id ? ss->staff_region : auth_enterprise_region(q, ss->enterprise_id),
    };
    if (audit_note(q, &a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    auth_session_reload(q);
    return auth_write_me(q, r, 200);
}

/* ---- POST /auth/reset ---- */

static zq_err reset_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"phone", "code", "new_password", NULL};
    zq_in_only(q, r, keys);
    const char *phone = read_phone(q, r);
    const char *code = zq_in_str(q, r, "code", "验证码", true, CODE_MAX_CHARS);
    const char *new_pw = auth_in_password(q, r, "new_password", "新密码");
    if (new_pw && phone) {
        /* what anyone may be told; name and USCCs once the code proved the phone */
        const auth_pw_owner caller = {.phone = phone};
        const char *why = auth_pw_policy(q->arena, new_pw, &caller);
        if (why) zq_fail_field(q, r, "new_password", why);
    }
    if (r->err) return r->err;
    zq_err e;
    if ((e = auth_ip_check(q, r)) != ZQ_OK) return e;

    char hash[AUTH_PW_HASH_MAX];
    auth_pw_cost cost = {q->app->pw_ops, q->app->pw_mem};
    if (auth_pw_hash(new_pw, cost, hash) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    e = sms_verify_code(q, r, phone, "reset", code, "code");
    auth_user u = {0};
    if (e == ZQ_OK && auth_user_by_phone(q, phone, &u) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (e != ZQ_OK || !u.id || u.disabled)
        return refuse_code(q, r, e, "auth.password_reset", phone, "\"reason\":\"bad_code\"");
    auth_pw_owner who;
    if (auth_pw_owner_of_user(q, u.id, &who) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    const char *why = auth_pw_policy(q->arena, new_pw, &who);
    if (why) {
        /* rolled back: the code stays usable for a better password */
        sodium_memzero(hash, sizeof hash);
        zq_fail_field(q, r, "new_password", why);
        return hk_fail_tx_keep(q, r, ZQ_E_VALIDATION, NULL);
    }
    db_stmt *s = db_prepare(q->db, SQL_USER_SET_PW);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, hash, -1);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, u.id);
    int rc = db_step(s);
    db_stmt_done(s);
    sodium_memzero(hash, sizeof hash);
    if (rc != DB_DONE) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (auth_session_revoke_all(q->db, u.id, 0, 0, q->now) != 0 ||
        auth_lock_clear(q->db, auth_subject(q, "user", phone)) != DB_OK)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    audit_entry a = {
        .object_type = "user",
        .object_id = zq_arena_printf(q->arena, "%lld", (long long)u.id),
        .detail = zq_arena_printf(q->arena, "{\"phone\":\"%s\"}", audit_mask_phone(q->arena, phone)),
    };
    if (audit_note(q, &a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    /* a session this browser held belonged to someone before the reset: gone too */
    if (q->session && q->session->user_id == u.id) q->session = NULL;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "ok", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/auth/login", login_post, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_JSON | ZQ_RF_NO_CSRF, 4096, "auth.login"},
    {ZQ_POST, "/api/v1/auth/login-sms", login_sms_post, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_JSON | ZQ_RF_NO_CSRF, 4096, "auth.login"},
    {ZQ_POST, "/api/v1/auth/logout", logout_post, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_JSON | ZQ_RF_ALLOW_PWCHANGE, 4096, "auth.logout"},
    {ZQ_GET, "/api/v1/auth/me", me_get, ZQ_ACCESS_SESSION, NULL, ZQ_RF_ALLOW_PWCHANGE, 0, NULL},
    {ZQ_POST, "/api/v1/auth/switch", switch_post, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 4096, "auth.switch"},
    {ZQ_POST, "/api/v1/auth/password", password_post, ZQ_ACCESS_SESSION, NULL, ZQ_RF_JSON | ZQ_RF_ALLOW_PWCHANGE, 4096, "auth.password_change"},
    {ZQ_POST, "/api/v1/auth/reset", reset_post, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_JSON | ZQ_RF_NO_CSRF, 4096, "auth.password_reset"},
};
const zq_route_group auth_routes = {routes, sizeof routes / sizeof routes[0]};
