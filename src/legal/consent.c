/*
 * consent.c — whether an account has agreed to the current 用户协议 and
 * 隐私政策, recording an agreement, and
 *   POST /api/v1/me/consents  {terms_version, privacy_version, channel}
 * for accounts created by someone else (employees, a legal rep named by a
 * registrant) and for everyone after a new version: the UI shows both
 * texts and posts the versions it showed. Registration records its
 * consent through legal_record_consent in its own transaction.
 */
#include "legal/legal.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "db/db.h"
#include "http/input.h"
#include <jansson.h>
#include <string.h>

#define VERSION_MAX 1000000

static const char SQL_CURRENT[] =
    "SELECT (SELECT MAX(version) FROM legal_doc WHERE kind = 'terms'),"
    " (SELECT MAX(version) FROM legal_doc WHERE kind = 'privacy')";
/* one round trip per request: the session loader calls this every time */
static const char SQL_STATE[] =
    "SELECT (SELECT MAX(version) FROM legal_doc WHERE kind = 'terms'),"
    " (SELECT MAX(version) FROM legal_doc WHERE kind = 'privacy'),"
    " (SELECT c.terms_version FROM user_consent c WHERE c.user_id = $1 ORDER BY c.id DESC LIMIT 1),"
    " (SELECT c.privacy_version FROM user_consent c WHERE c.user_id = $1 ORDER BY c.id DESC LIMIT 1)";
static const char SQL_INSERT[] =
    "INSERT INTO user_consent(user_id, terms_version, privacy_version, channel, ip, user_agent, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

int legal_current(db_conn *db, legal_agree *cur)
{
    cur->terms_version = cur->privacy_version = 0;
    db_stmt *s = db_prepare(db, SQL_CURRENT);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        cur->terms_version = db_col_int64(s, 0);
        cur->privacy_version = db_col_int64(s, 1);
    }
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int legal_consent_required(db_conn *db, int64_t user_id, bool *required)
{
    *required = true;
    db_stmt *s = db_prepare(db, SQL_STATE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, user_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        bool given = !db_col_is_null(s, 2) && !db_col_is_null(s, 3);
        *required = !given || db_col_int64(s, 2) < db_col_int64(s, 0) || db_col_int64(s, 3) < db_col_int64(s, 1);
    }
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int64_t agree_int(zq_req *q, zq_resp *r, json_t *o, const char *key, const char *field, bool *bad)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        if (!*bad) zq_fail_field(q, r, field, "请阅读并勾选同意《用户协议》和《隐私政策》");
        *bad = true;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > VERSION_MAX) {
        if (!*bad) zq_fail_field(q, r, field, "协议版本号不正确");
        *bad = true;
        return 0;
    }
    return (int64_t)json_integer_value(v);
}

void legal_read_agree(zq_req *q, zq_resp *r, const char *field, legal_agree *out)
{
    out->terms_version = out->privacy_version = 0;
    json_t *o = q->json ? json_object_get(q->json, field) : NULL;
    if (!o || json_is_null(o) || json_is_false(o)) {
        zq_fail_field(q, r, field, "请阅读并勾选同意《用户协议》和《隐私政策》");
        return;
    }
    if (!json_is_object(o) || json_object_size(o) != 2) {
        zq_fail_field(q, r, field, "同意内容格式不正确，应包含 terms_version 和 privacy_version");
        return;
    }
    bool bad = false;
    out->terms_version = agree_int(q, r, o, "terms_version", field, &bad);
    out->privacy_version = agree_int(q, r, o, "privacy_version", field, &bad);
}

zq_err legal_record_consent(zq_req *q, zq_resp *r, int64_t user_id, const legal_agree *a, const char *channel,
                            const char *field)
{
    legal_agree cur;
    if (legal_current(q->db, &cur) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (a->terms_version != cur.terms_version || a->privacy_version != cur.privacy_version) {
        zq_fail(r, ZQ_E_CONFLICT, "《用户协议》或《隐私政策》已更新，请阅读最新版本后重新同意");
        zq_fail_field(q, r, field, "协议已更新，请重新阅读并同意");
        return r->err;
    }
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    const char *ua = zq_req_header(q, "user-agent");
    db_bind_int64(s, 1, user_id);
    db_bind_int64(s, 2, a->terms_version);
    db_bind_int64(s, 3, a->privacy_version);
    db_bind_text(s, 4, channel, -1);
    db_bind_text(s, 5, q->client_ip, -1);
    if (ua) db_bind_text(s, 6, ua, (int)(strlen(ua) > 200 ? 200 : strlen(ua)));
    else db_bind_null(s, 6);
    db_bind_int64(s, 7, q->now);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return zq_fail(r, rc == DB_EBUSY ? ZQ_E_UNAVAILABLE : ZQ_E_INTERNAL, NULL);
    audit_entry e = {
        .action = "consent.give", .object_type = "user",
        .object_id = zq_arena_printf(q->arena, "%lld", (long long)user_id),
        .detail = zq_arena_printf(q->arena, "{\"consent_id\":%lld,\"terms_version\":%lld,\"privacy_version\":%lld,\"channel\":\"%s\"}",
                                  (long long)id, (long long)a->terms_version, (long long)a->privacy_version, channel),
    };
    /* POST /me/consents' own record; a second one during registration */
    if (audit_emit(q, &e) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (q->session && q->session->user_id == user_id) q->session->consent_required = false;
    return ZQ_OK;
}

int legal_jw_me(zq_req *q, zq_jw *w)
{
    legal_agree cur;
    if (legal_current(q->db, &cur) != DB_OK) return -1;
    zq_jw_kbool(w, "consent_required", q->session && q->session->consent_required);
    zq_jw_key(w, "consent");
    zq_jw_obj(w);
    zq_jw_kint(w, "terms_version", cur.terms_version);
    zq_jw_kint(w, "privacy_version", cur.privacy_version);
    zq_jw_obj_end(w);
    return 0;
}

/* ---- POST /api/v1/me/consents ---- */

static zq_err consent_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"terms_version", "privacy_version", "channel", NULL};
    zq_in_only(q, r, keys);
    bool present;
    int64_t tv = zq_in_int(q, r, "terms_version", "用户协议版本", true, 1, VERSION_MAX, &present);
    int64_t pv = zq_in_int(q, r, "privacy_version", "隐私政策版本", true, 1, VERSION_MAX, &present);
    const char *channel = zq_in_str(q, r, "channel", "渠道", true, 8);
    if (channel && strcmp(channel, "web") != 0 && strcmp(channel, "mobile") != 0)
        zq_fail_field(q, r, "channel", "渠道只能是 web 或 mobile");
    if (r->err) return r->err;

    legal_agree a = {tv, pv};
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_err e = legal_record_consent(q, r, q->session->user_id, &a, channel, "terms_version");
    if (e != ZQ_OK) {
        db_rollback(q->db);
        return e;
    }
    if (db_commit(q->db) != DB_OK) {
        return hk_fail_db(q, r, DB_EBUSY);
    }
    zq_jw w;
    zq_resp_json(r, &w, 201);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "terms_version", tv);
    zq_jw_kint(&w, "privacy_version", pv);
    zq_jw_kstr(&w, "channel", channel);
    hk_jw_time(&w, "created_at", q->now);
    zq_jw_kbool(&w, "consent_required", false);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    /* reachable during a forced password change too: either step may come first */
    {ZQ_POST, "/api/v1/me/consents", consent_post, ZQ_ACCESS_USER, NULL,
     ZQ_RF_JSON | ZQ_RF_ALLOW_CONSENT | ZQ_RF_ALLOW_PWCHANGE, 4096, "consent.give"},
};
const zq_route_group consent_routes = {routes, sizeof routes / sizeof routes[0]};
