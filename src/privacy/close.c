/*
 * close.c — closing (注销) one's own account (个人信息保护法 art. 47):
 *   GET  /api/v1/me/close-account   may the caller close now? (the UI asks
 *                                   before sending the SMS code)
 *   POST /api/v1/me/close-account   {code}: a `close_account` SMS code sent
 *                                   to the account's own phone
 * The legal rep of a live enterprise must hand the title over first (422,
 * naming the enterprise), so no firm is left without one.
 *
 * Closing keeps the app_user row and its id, because the hash-chained
 * audit log and the consent records refer to it and must not be rewritten;
 * everything that identifies the person goes: the name becomes 已注销用户,
 * the phone a unique placeholder that is not a phone (so the number can
 * register again), the password hash is emptied (no password verifies
 * against it) and the account is disabled. Memberships end, pending join
 * requests are cancelled, sessions are revoked, the phone's SMS codes and
 * login lock are deleted and its outbox rows re-addressed to the
 * placeholder. One audit record (account.close) tells it happened.
 */
#include "privacy/privacy.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "auth/session.h"
#include "db/db.h"
#include "http/input.h"
#include "sms/sms.h"
#include <string.h>

#define CODE_MAX_CHARS 16
#define CLOSED_NAME "已注销用户"

/* enterprises (not rejected) where the caller is the legal rep */
static const char SQL_LEGAL_REP_OF[] =
    "SELECT e.id, e.name, e.status FROM membership m JOIN enterprise e ON e.id = m.enterprise_id"
    " WHERE m.user_id = $1 AND m.status = 'active' AND m.is_legal_rep = 1 AND e.status <> 'rejected'"
    " ORDER BY e.id LIMIT 20";
static const char SQL_ANONYMISE[] =
    "UPDATE app_user SET name = $1, phone = $2, password_hash = '', disabled = 1, must_change_password = 0,"
    " last_enterprise_id = NULL, failed_logins = 0, locked_until = 0, closed_at = $3, updated_at = $3"
    " WHERE id = $4 AND closed_at = 0";
static const char SQL_END_MEMBERSHIPS[] =
    "UPDATE membership SET status = 'removed', role_id = NULL, updated_at = $1 WHERE user_id = $2 AND status = 'active'";
static const char SQL_CANCEL_JOINS[] =
    "UPDATE join_request SET status = 'cancelled', decided_at = $1 WHERE user_id = $2 AND status = 'pending'";
static const char SQL_DROP_CODES[] = "DELETE FROM sms_code WHERE phone = $1";
static const char SQL_READDRESS_OUTBOX[] = "UPDATE sms_outbox SET phone = $1 WHERE phone = $2";
static const char SQL_DROP_LOCK[] = "DELETE FROM login_lock WHERE subject = $1";

typedef struct {
    int64_t id;
    const char *name;
    const char *status;
} blocking_firm;

/* The first enterprise that blocks closing, if any (b->id = 0 if none). */
static int find_blocking(zq_req *q, blocking_firm *b, int *count)
{
    memset(b, 0, sizeof *b);
    *count = 0;
    db_stmt *s = db_prepare(q->db, SQL_LEGAL_REP_OF);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->user_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (!(*count)++) {
            b->id = db_col_int64(s, 0);
            b->name = zq_arena_strdup(q->arena, db_col_text(s, 1));
            b->status = zq_arena_strdup(q->arena, db_col_text(s, 2));
        }
    }
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static const char *blocking_message(zq_req *q, const blocking_firm *b)
{
    if (b->status && strcmp(b->status, "approved") == 0)
        return zq_arena_printf(q->arena, "您是企业“%s”的法定代表人，请先在“员工管理”中将法定代表人转让给其他成员，再注销账号",
                               b->name);
    return zq_arena_printf(q->arena, "您是企业“%s”的法定代表人，该企业的注册申请尚在审核中，请待审核完成并转让法定代表人后再注销账号",
                           b->name);
}

/* ---- GET /api/v1/me/close-account ---- */

static zq_err close_check_get(zq_req *q, zq_resp *r)
{
    blocking_firm b;
    int n = 0, rc = find_blocking(q, &b, &n);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "allowed", n == 0);
    zq_jw_kstr(&w, "reason", n ? blocking_message(q, &b) : NULL);
    zq_jw_kstr(&w, "phone", audit_mask_phone(q->arena, q->session->phone));
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* ---- POST /api/v1/me/close-account ---- */

static int exec_bound(zq_req *q, const char *sql, const char *t1, const char *t2, int64_t i1, int64_t i2, int64_t *changed)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    int k = 1;
    if (t1) db_bind_text(s, k++, t1, -1);
    if (t2) db_bind_text(s, k++, t2, -1);
    if (i1 >= 0) db_bind_int64(s, k++, i1);
    if (i2 >= 0) db_bind_int64(s, k++, i2);
    int rc = db_step(s);
    if (changed) *changed = db_changes(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int audit_close(zq_req *q, const char *result, const char *detail)
{
    audit_entry a = {.action = "account.close", .object_type = "user",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)q->session->user_id),
                     .result = result, .detail = detail};
    return audit_emit(q, &a);
}

static zq_err close_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"code", NULL};
    zq_in_only(q, r, keys);
    const char *code = zq_in_str(q, r, "code", "短信验证码", true, CODE_MAX_CHARS);
    if (r->err) return r->err;

    const zq_session *ss = q->session;
    int64_t uid = ss->user_id, ended = 0, cancelled = 0, anon = 0;
    const char *phone = zq_arena_strdup(q->arena, ss->phone);
    /* a placeholder that fits VARCHAR(16), is unique (the id) and can never be a phone */
    const char *placeholder = zq_arena_printf(q->arena, uid < 1000000000LL ? "closed-%lld" : "c-%lld", (long long)uid);
    blocking_firm b;
    int n = 0, rc;
    if ((rc = db_begin(q->db, true)) != DB_OK) return hk_fail_db(q, r, rc);
    /* the rule before the code, so a refused closing does not use it up */
    if ((rc = find_blocking(q, &b, &n)) != DB_OK) return hk_fail_db(q, r, rc);
    if (n) {
        return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, blocking_message(q, &b));
    }
    zq_err e = sms_verify_code(q, r, phone, "close_account", code, "code");
    if (e != ZQ_OK) {
        if (e == ZQ_E_INTERNAL) return hk_fail_db(q, r, DB_ERR);
        /* the counted try stands, and the attempt shows in the log */
        if (audit_close(q, "failed", "{\"reason\":\"bad_code\"}") != 0 || db_commit(q->db) != DB_OK) {
            r->err_fields.n = 0;
            return hk_fail_db(q, r, DB_ERR);
        }
        return e;
    }
    if ((rc = exec_bound(q, SQL_ANONYMISE, CLOSED_NAME, placeholder, q->now, uid, &anon)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if (anon != 1) return hk_fail_db(q, r, DB_ERR);
    if ((rc = exec_bound(q, SQL_END_MEMBERSHIPS, NULL, NULL, q->now, uid, &ended)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = exec_bound(q, SQL_CANCEL_JOINS, NULL, NULL, q->now, uid, &cancelled)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = exec_bound(q, SQL_DROP_CODES, phone, NULL, -1, -1, NULL)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = exec_bound(q, SQL_READDRESS_OUTBOX, placeholder, phone, -1, -1, NULL)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = exec_bound(q, SQL_DROP_LOCK, zq_arena_printf(q->arena, "user:%s", phone), NULL, -1, -1, NULL)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if (auth_session_revoke_all(q->db, uid, 0, 0, q->now) != 0) return hk_fail_db(q, r, DB_ERR);
    if (audit_close(q, "ok", zq_arena_printf(q->arena, "{\"memberships_ended\":%lld,\"join_requests_cancelled\":%lld}",
                                             (long long)ended, (long long)cancelled)) != 0)
        return hk_fail_db(q, r, DB_ERR);
    if (auth_session_logout(q, r) != ZQ_OK) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    q->session = NULL;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "closed", true);
    zq_jw_kint(&w, "memberships_ended", ended);
    zq_jw_kint(&w, "join_requests_cancelled", cancelled);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/me/close-account", close_check_get, ZQ_ACCESS_USER, NULL, 0, 0, NULL},
    {ZQ_POST, "/api/v1/me/close-account", close_post, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 4096, "account.close"},
};
const zq_route_group privacy_close_routes = {routes, sizeof routes / sizeof routes[0]};
