/*
 * login.c — locks, the per-IP throttle, fresh sessions and the "me"
 * document shared by every login path (see login.h).
 */
#include "auth/login.h"
#include "handler/kit.h"
#include "auth/access.h"
#include "auth/password.h"
#include "rate/rate.h"
#include "auth/session.h"
#include "core/clock.h"
#include "db/db.h"
#include "legal/legal.h"
#include "http/input.h"
#include <string.h>

static const char SQL_LOCK_GET[] =
    "SELECT failed, first_failed_at, locked_until FROM login_lock WHERE subject = $1";
static const char SQL_LOCK_PUT[] =
    "INSERT INTO login_lock(subject, failed, first_failed_at, locked_until, updated_at) VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (subject) DO UPDATE SET failed = excluded.failed, first_failed_at = excluded.first_failed_at,"
    " locked_until = excluded.locked_until, updated_at = excluded.updated_at";
static const char SQL_LOCK_CLEAR[] = "DELETE FROM login_lock WHERE subject = $1";
/* names whose last failure is a day old and not locked: nothing to remember */
static const char SQL_LOCK_PRUNE[] = "DELETE FROM login_lock WHERE updated_at < $1 AND locked_until < $2";
static const char SQL_PICK[] =
    "SELECT m.enterprise_id, u.last_enterprise_id FROM membership m JOIN app_user u ON u.id = m.user_id"
    " WHERE m.user_id = $1 AND m.status = 'active' ORDER BY m.created_at, m.enterprise_id";
static const char SQL_REVOKE_ONE[] = "UPDATE session SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0";
static const char SQL_ENT_REGION[] = "SELECT region FROM enterprise WHERE id = $1";
static const char SQL_MY_ENTERPRISES[] =
    "SELECT e.id, e.name, e.uscc, e.status, m.is_legal_rep, e.reject_reason FROM membership m"
    " JOIN enterprise e ON e.id = m.enterprise_id WHERE m.user_id = $1 AND m.status = 'active'"
    " ORDER BY m.created_at, e.id";
static const char SQL_STAFF_ME[] =
    "SELECT s.username, s.region, d.name FROM staff s"
    " LEFT JOIN dict_item d ON d.type = 'region' AND d.code = s.region WHERE s.id = $1";

const char *auth_subject(zq_req *q, const char *kind, const char *name)
{
    return zq_arena_printf(q->arena, "%s:%s", kind, name ? name : "");
}

int auth_lock_state(db_conn *db, const char *subject, int64_t now, int64_t *locked_until)
{
    *locked_until = 0;
    db_stmt *s = db_prepare(db, SQL_LOCK_GET);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, subject, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        int64_t until = db_col_int64(s, 2);
        if (until > now) *locked_until = until;
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int auth_lock_fail(db_conn *db, const char *subject, int64_t now, int64_t *locked_until, int *left)
{
    int64_t failed = 0, first = 0, until = 0;
    db_stmt *s = db_prepare(db, SQL_LOCK_PRUNE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, now - 86400);
    db_bind_int64(s, 2, now);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return rc;
    if (!(s = db_for_update(db, SQL_LOCK_GET, NULL))) return DB_ERR;
    db_bind_text(s, 1, subject, -1);
    rc = db_step(s);
    bool have = rc == DB_ROW;
    if (have) {
        failed = db_col_int64(s, 0);
        first = db_col_int64(s, 1);
        until = db_col_int64(s, 2);
    }
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    /* a lock that ran out, or failures older than the window, start afresh */
    if (!have || (until && until <= now) || first <= now - AUTH_LOCK_SECONDS) {
        failed = 0;
        first = now;
        until = 0;
    }
    failed++;
    if (failed >= AUTH_LOCK_FAILS && !until) until = now + AUTH_LOCK_SECONDS;
    if (!(s = db_prepare(db, SQL_LOCK_PUT))) return DB_ERR;
    db_bind_text(s, 1, subject, -1);
    db_bind_int64(s, 2, failed);
    db_bind_int64(s, 3, first);
    db_bind_int64(s, 4, until);
    db_bind_int64(s, 5, now);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return rc;
    *locked_until = until;
    *left = failed >= AUTH_LOCK_FAILS ? 0 : AUTH_LOCK_FAILS - (int)failed;
    return DB_OK;
}

int auth_lock_clear(db_conn *db, const char *subject)
{
    db_stmt *s = db_prepare(db, SQL_LOCK_CLEAR);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, subject, -1);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc;
}

zq_err auth_fail_locked(zq_req *q, zq_resp *r, int64_t until)
{
    char hm[6];
    zq_time_hm(until, hm);
    r->retry_after = until > q->now ? until - q->now : 1;
    /* the lock may end tomorrow (locked just before midnight): say so */
    bool tomorrow = (until + ZQ_CST_OFFSET) / 86400 != (q->now + ZQ_CST_OFFSET) / 86400;
    return zq_fail(r, ZQ_E_LOCKED,
                   zq_arena_printf(q->arena, "登录失败次数过多，账号已锁定至%s %s，请稍后再试或通过短信验证码重置密码",
                                   tomorrow ? "明天" : "", hm));
}

static const char *ip_key(zq_req *q)
{
    return zq_arena_printf(q->arena, "login:ip:%s", q->client_ip ? q->client_ip : "-");
}

zq_err auth_ip_check(zq_req *q, zq_resp *r)
{
    int64_t wait = 0;
    int n = rate_peek(q->db, ip_key(q), AUTH_IP_WINDOW, q->now, &wait);
    if (n < 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (n < AUTH_IP_FAILS) return ZQ_OK;
    r->retry_after = wait > 0 ? wait : 1;
    return zq_fail(r, ZQ_E_RATE_LIMITED,
                   zq_arena_printf(q->arena, "登录失败次数过多，请 %s后再试", zq_wait_text(q->arena, r->retry_after)));
}

int auth_ip_fail(zq_req *q)
{
    return rate_hit(q->db, ip_key(q), AUTH_IP_WINDOW, q->now, NULL) < 0 ? -1 : 0;
}

zq_err auth_record_failure(zq_req *q, zq_resp *r, const char *subject, const audit_entry *a, zq_err e,
                           const char *message, const char *field)
{
    int64_t until = 0;
    int left = 0;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (auth_lock_fail(q->db, subject, q->now, &until, &left) != DB_OK || auth_ip_fail(q) != 0)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (audit_record(q, a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (until) return auth_fail_locked(q, r, until);
    const char *msg = left && left < AUTH_LOCK_FAILS - 1
                          ? zq_arena_printf(q->arena, "%s，再失败 %d 次账号将被锁定 15 分钟", message, left)
                          : message;
    if (field) {
        zq_fail_field(q, r, field, msg);
        return r->err;
    }
    return zq_fail(r, e, msg);
}

zq_err auth_refuse_locked(zq_req *q, zq_resp *r, const audit_entry *a, int64_t until)
{
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (auth_ip_fail(q) != 0 || audit_record(q, a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    return auth_fail_locked(q, r, until);
}

const char *auth_in_password(zq_req *q, zq_resp *r, const char *field, const char *label)
{
    json_t *v = q->json ? json_object_get(q->json, field) : NULL;
    if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "请填写%s", label));
        return NULL;
    }
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
        json_string_length(v) > AUTH_PW_MAX_BYTES) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s格式不正确", label));
        return NULL;
    }
    return zq_arena_strdup(q->arena, json_string_value(v));
}

int auth_pick_enterprise(db_conn *db, int64_t user_id, int64_t *enterprise_id)
{
    *enterprise_id = 0;
    db_stmt *s = db_prepare(db, SQL_PICK);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, user_id);
    int rc, n = 0;
    int64_t only = 0, last_match = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        if (!n++) only = id;
        if (id == db_col_int64(s, 1)) last_match = id;
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return rc;
    *enterprise_id = n == 1 ? only : last_match;
    return DB_OK;
}

zq_err auth_start_session(zq_req *q, zq_resp *r, int64_t user_id, int64_t staff_id, int64_t enterprise_id)
{
    if (q->session) {
        db_stmt *s = db_prepare(q->db, SQL_REVOKE_ONE);
        if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        db_bind_int64(s, 1, q->now);
        db_bind_int64(s, 2, q->session->id);
        int rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        q->session = NULL;
    }
    return auth_session_create(q, r, user_id, staff_id, enterprise_id);
}

const char *auth_enterprise_region(zq_req *q, int64_t enterprise_id)
{
    if (!enterprise_id) return NULL;
    db_stmt *s = db_prepare(q->db, SQL_ENT_REGION);
    if (!s) return NULL;
    db_bind_int64(s, 1, enterprise_id);
    const char *region = NULL;
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0)) region = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    return region;
}

zq_err auth_write_me(zq_req *q, zq_resp *r, int status)
{
    const zq_session *ss = q->session;
    if (!ss) return zq_fail(r, ZQ_E_UNAUTHENTICATED, NULL);
    zq_jw w;
    db_stmt *s = NULL;
    int rc;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "csrf_token", ss->csrf_token);
    zq_jw_kstr(&w, "kind", ss->staff_id ? "staff" : "user");
    zq_jw_key(&w, "user");
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", ss->staff_id ? ss->staff_id : ss->user_id);
    zq_jw_kstr(&w, "kind", ss->staff_id ? "staff" : "user");
    zq_jw_kstr(&w, "name", ss->actor_name);
    zq_jw_kstr(&w, "phone", ss->phone);  /* the person's own number: not masked */
    if (ss->staff_id) {
        if (!(s = db_prepare(q->db, SQL_STAFF_ME))) goto fail;
        db_bind_int64(s, 1, ss->staff_id);
        if (db_step(s) != DB_ROW) goto fail;
        hk_jw_col_str(&w, "username", s, 0);
        zq_jw_kstr(&w, "role", ss->staff_role);
        /* what the bureau console may show: the union of the account's roles */
        zq_jw_key(&w, "perms");
        zq_jw_arr(&w);
        for (const char *p = ss->perms ? ss->perms : ""; *p;) {
            size_t n = strcspn(p, " ");
            if (n) zq_jw_strn(&w, p, n);
            p += n + (p[n] == ' ');
        }
        zq_jw_arr_end(&w);
        hk_jw_col_str(&w, "region", s, 1);
        hk_jw_col_str(&w, "region_name", s, 2);
        db_stmt_done(s);
        s = NULL;
    }
    zq_jw_obj_end(&w);
    zq_jw_kbool(&w, "must_change_password", ss->must_change_password);
    zq_jw_key(&w, "enterprises");
    zq_jw_arr(&w);
    if (ss->user_id) {
        if (!(s = db_prepare(q->db, SQL_MY_ENTERPRISES))) goto fail;
        db_bind_int64(s, 1, ss->user_id);
        while ((rc = db_step(s)) == DB_ROW) {
            zq_jw_obj(&w);
            zq_jw_kint(&w, "id", db_col_int64(s, 0));
            hk_jw_col_str(&w, "name", s, 1);
            hk_jw_col_str(&w, "uscc", s, 2);
            hk_jw_col_str(&w, "status", s, 3);
            zq_jw_kbool(&w, "is_legal_rep", db_col_int64(s, 4) != 0);
            hk_jw_col_str(&w, "reject_reason", s, 5);
            zq_jw_obj_end(&w);
        }
        db_stmt_done(s);
        s = NULL;
        if (rc != DB_DONE) goto fail;
    }
    zq_jw_arr_end(&w);
    zq_jw_key(&w, "current_enterprise_id");
    if (ss->enterprise_id) zq_jw_int(&w, ss->enterprise_id);
    else zq_jw_null(&w);
    /* what the member may do in the current enterprise (the UI hides the rest);
     * nothing until the enterprise is approved, matching the gate */
    bool approved = ss->enterprise_status && strcmp(ss->enterprise_status, "approved") == 0;
    zq_jw_key(&w, "perms");
    zq_jw_arr(&w);
    for (const char *p = ss->enterprise_id && approved ? ss->perms : NULL; p && *p;) {
        size_t n = strcspn(p, " ");
        if (n) zq_jw_strn(&w, p, n);
        p += n;
        while (*p == ' ') p++;
    }
    zq_jw_arr_end(&w);
    if (legal_jw_me(q, &w) != 0) goto fail;
    zq_jw_obj_end(&w);
    return ZQ_OK;
fail:
    if (s) db_stmt_done(s);
    zq_buf_reset(&r->body);
    return zq_fail(r, ZQ_E_INTERNAL, NULL);
}

