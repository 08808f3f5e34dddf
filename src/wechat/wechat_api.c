/*
 * wechat_api.c — the mobile's WeChat account link (manual 2.2 微信用户一键登录):
 *   POST   /api/v1/wechat/login {code}  bound: logged in as on the web (the
 *          enterprise picked the same way, the "me" document answered);
 *          unbound: {"bound":false,…} asking for one login with phone and
 *          password or SMS code, after which the client calls bind
 *   POST   /api/v1/wechat/bind  {code}  links the logged-in user to the
 *          WeChat account behind the code (one account per WeChat user)
 *   DELETE /api/v1/wechat/bind          unlinks it (grants go with it)
 * A code is exchanged for the openid through the configured API base
 * (wechat.h); without one these answer 503.
 */
#include "wechat/wechat.h"
#include "http/context.h"
#include "audit/audit.h"
#include "http/session.h"
#include "auth/login.h"
#include "db/db.h"
#include "http/input.h"
#include "handler/kit.h"
#include <stdio.h>
#include <string.h>

#define CODE_MAX 128
#define OPENID_MAX 65

static const char SQL_BY_OPENID[] =
    "SELECT b.user_id, u.disabled, u.phone FROM wechat_binding b JOIN app_user u ON u.id = b.user_id WHERE b.openid = $1";
static const char SQL_UNBIND[] = "DELETE FROM wechat_binding WHERE user_id = $1";
static const char SQL_BIND[] = "INSERT INTO wechat_binding(user_id, openid, created_at) VALUES ($1, $2, $3)";
static const char SQL_GRANTS_DROP[] = "DELETE FROM wechat_grant WHERE user_id = $1";

/* The one audit call of this file. */
static int audit(zq_req *q, const char *action, int64_t user_id, const char *result, const char *detail)
{
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)user_id);
    audit_entry e = {.action = action, .object_type = "app_user", .object_id = idbuf, .result = result, .detail = detail};
    return audit_record(q, &e);
}

static zq_err db_fail(zq_req *q, zq_resp *r)
{
    if (db_in_tx(q->db)) db_rollback(q->db);
    return zq_fail(r, ZQ_E_INTERNAL, NULL);
}

/* The openid behind the body's code, or NULL with the error in r. */
static const char *openid_of(zq_req *q, zq_resp *r, char *out)
{
    static const char *const keys[] = {"code", NULL};
    zq_in_only(q, r, keys);
    const char *code = zq_in_str(q, r, "code", "微信登录凭证", true, CODE_MAX);
    if (r->err) return NULL;
    if (!wechat_configured(&q->app->cfg)) {
        zq_fail(r, ZQ_E_UNAVAILABLE, "本平台尚未开通微信登录");
        return NULL;
    }
    char err[256];
    wechat_rc rc = wechat_code_openid(q->app->wechat, &q->app->cfg, code, out, OPENID_MAX, err, sizeof err);
    if (rc == WECHAT_REFUSED) {
        zq_fail_field(q, r, "code", "微信登录凭证无效或已过期，请重试");
        return NULL;
    }
    if (rc != WECHAT_OK) {
        fprintf(stderr, "zhengqi: wechat code exchange failed: %s\n", err);
        zq_fail(r, ZQ_E_UNAVAILABLE, "暂时无法连接微信，请稍后再试");
        return NULL;
    }
    return out;
}

/* Who holds openid: *uid 0 when nobody. */
static int holder(zq_req *q, const char *openid, int64_t *uid, bool *disabled, const char **phone)
{
    *uid = 0;
    db_stmt *s = db_prepare(q->db, SQL_BY_OPENID);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, openid, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *uid = db_col_int64(s, 0);
        *disabled = db_col_int64(s, 1) != 0;
        *phone = zq_arena_strdup(q->arena, db_col_text(s, 2));
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : DB_ERR;
}

static zq_err wechat_login(zq_req *q, zq_resp *r)
{
    char buf[OPENID_MAX];
    zq_err e;
    if ((e = auth_ip_check(q, r)) != ZQ_OK) return e;
    const char *openid = openid_of(q, r, buf);
    if (!openid) return r->err;
    int64_t uid = 0, eid = 0;
    bool disabled = false;
    const char *phone = NULL;
    if (holder(q, openid, &uid, &disabled, &phone) != DB_OK) return db_fail(q, r);
    if (!uid) {
        zq_jw w;
        zq_resp_json(r, &w, 200);
        zq_jw_obj(&w);
        zq_jw_kbool(&w, "bound", false);
        zq_jw_kstr(&w, "message", "该微信尚未绑定平台账号，请使用手机号和密码或短信验证码登录一次，登录后将自动绑定");
        zq_jw_obj_end(&w);
        return ZQ_OK;
    }
    if (disabled) {
        if (audit(q, "auth.login", uid, "denied", "{\"method\":\"wechat\",\"reason\":\"disabled\"}") != 0)
            return db_fail(q, r);
        return zq_fail(r, ZQ_E_FORBIDDEN, "该账号已停用，请联系商务局");
    }
    /* a name locked by wrong passwords stays locked for WeChat too */
    int64_t until = 0;
    if (auth_lock_state(q->db, auth_subject(q, "user", phone), q->now, &until) != DB_OK) return db_fail(q, r);
    if (until) return auth_fail_locked(q, r, until);
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (auth_pick_enterprise(q->db, uid, &eid) != DB_OK) return db_fail(q, r);
    if (auth_start_session(q, r, uid, 0, eid) != ZQ_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (audit(q, "auth.login", uid, "ok", "{\"method\":\"wechat\"}") != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    return auth_write_me(q, r, 200);
}

static zq_err wechat_bind(zq_req *q, zq_resp *r)
{
    char buf[OPENID_MAX];
    const char *openid = openid_of(q, r, buf);
    if (!openid) return r->err;
    int64_t uid = 0, me = q->session->user_id;
    bool disabled;
    const char *phone;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (holder(q, openid, &uid, &disabled, &phone) != DB_OK) return db_fail(q, r);
    if (uid && uid != me) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_CONFLICT, "该微信已绑定其他账号，请先在原账号中解除绑定");
    }
    if (!uid) {
        /* a new WeChat account replaces the old one; grants were the old one's */
        db_stmt *s = db_prepare(q->db, SQL_UNBIND);
        if (!s) return db_fail(q, r);
        db_bind_int64(s, 1, me);
        int rc = db_step(s);
        int64_t replaced = rc == DB_DONE ? db_changes(s) : 0;
        db_stmt_done(s);
        if (rc != DB_DONE) return db_fail(q, r);
        if (replaced) {
            if (!(s = db_prepare(q->db, SQL_GRANTS_DROP))) return db_fail(q, r);
            db_bind_int64(s, 1, me);
            rc = db_step(s);
            db_stmt_done(s);
            if (rc != DB_DONE) return db_fail(q, r);
        }
        if (!(s = db_prepare(q->db, SQL_BIND))) return db_fail(q, r);
        db_bind_int64(s, 1, me);
        db_bind_text(s, 2, openid, -1);
        db_bind_int64(s, 3, q->now);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc == DB_ECONSTRAINT) {
            db_rollback(q->db);
            return zq_fail(r, ZQ_E_CONFLICT, "该微信已绑定其他账号，请先在原账号中解除绑定");
        }
        if (rc != DB_DONE || audit(q, "wechat.bind", me, NULL, NULL) != 0) return db_fail(q, r);
    }
    if (db_commit(q->db) != DB_OK) return db_fail(q, r);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "bound", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err wechat_unbind(zq_req *q, zq_resp *r)
{
    if (zq_in_none(q, r)) return r->err;
    int64_t me = q->session->user_id;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_UNBIND);
    if (!s) return db_fail(q, r);
    db_bind_int64(s, 1, me);
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return db_fail(q, r);
    if (!n) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_NOT_FOUND, "当前账号未绑定微信");
    }
    if (!(s = db_prepare(q->db, SQL_GRANTS_DROP))) return db_fail(q, r);
    db_bind_int64(s, 1, me);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE || audit(q, "wechat.unbind", me, NULL, NULL) != 0 || db_commit(q->db) != DB_OK)
        return db_fail(q, r);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "bound", false);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/wechat/login", wechat_login, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_JSON | ZQ_RF_NO_CSRF, 1024, "auth.login"},
    {ZQ_POST, "/api/v1/wechat/bind", wechat_bind, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 1024, "wechat.bind"},
    {ZQ_DELETE, "/api/v1/wechat/bind", wechat_unbind, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 1024, "wechat.unbind"},
};
const zq_route_group wechat_routes = {routes, sizeof routes / sizeof routes[0]};
