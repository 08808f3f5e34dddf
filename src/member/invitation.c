/*
 * invitation.c — the enterprise side of invitations to join it (issue 9,
 * finding 4; docs/decisions-members.md "Invitations"), under employee.manage:
 *   POST /api/v1/enterprise/employees                   {name, phone, role_id}: invite
 *   GET  /api/v1/enterprise/invitations                 open invitations (paging)
 *   POST /api/v1/enterprise/invitations/:id/revoke      撤销
 *   POST /api/v1/enterprise/invitations/:id/resend      重发 / 重新邀请 (7 more days)
 * Adding an employee used to link the account with that phone at once and
 * answer with its real name, so anyone with employee.manage could look up
 * who owns a number. Now the answer is the same whether or not the phone
 * has an account — same status, same body, same work (the 888888 hash is
 * computed in both branches) — and the person becomes a member only by
 * accepting (invitation_me.c). A phone with no account still gets one, with
 * the initial password and a forced change, as the manual says.
 */
#include "member/member_internal.h"
#include "http/context.h"
#include "member/member.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "rate/rate.h"
#include "core/text.h"
#include "db/db.h"
#include "core/contact.h"
#include "http/input.h"
#include "sms/notice.h"
#include <sodium.h>
#include <string.h>

#define INV_TTL (7 * 86400)
#define INV_RESEND_GAP 60
#define INV_ENT_DAY 50     /* invitations one enterprise may send a day: no SMS cannon */
#define INV_PAGE_DEFAULT 20
#define INV_PAGE_MAX 100

#define INV_COLS                                                                                          \
    "SELECT i.id, i.name, u.phone, i.role_id, r.name, i.status, i.created_at, i.expires_at, i.decided_at," \
    " iu.name FROM member_invitation i JOIN app_user u ON u.id = i.user_id"                               \
    " LEFT JOIN enterprise_role r ON r.id = i.role_id AND r.enterprise_id = i.enterprise_id"               \
    " LEFT JOIN app_user iu ON iu.id = i.invited_by"
/* open = pending (expired or not) and the latest answer of a person who
 * declined; neither once the person is a member by another way */
#define INV_OPEN                                                                                           \
    " WHERE i.enterprise_id = $1 AND (i.status = 'pending' OR (i.status = 'declined' AND NOT EXISTS"       \
    " (SELECT 1 FROM member_invitation n WHERE n.enterprise_id = i.enterprise_id AND n.user_id = i.user_id" \
    " AND n.id > i.id))) AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.enterprise_id = i.enterprise_id" \
    " AND m.user_id = i.user_id AND m.status = 'active')"
static const char SQL_INV_ONE[] = INV_COLS " WHERE i.id = $1 AND i.enterprise_id = $2";
static const char SQL_INV_COUNT[] = "SELECT COUNT(*) FROM member_invitation i" INV_OPEN;
static const char SQL_INV_LIST[] = INV_COLS INV_OPEN " ORDER BY i.created_at DESC, i.id DESC LIMIT $2 OFFSET $3";
static const char SQL_USER_BY_PHONE[] = "SELECT id FROM app_user WHERE phone = $1";
static const char SQL_USER_CREATE[] =
    "INSERT INTO app_user(phone, name, password_hash, must_change_password, created_at, updated_at)"
    " VALUES ($1, $2, $3, 1, $4, $4) RETURNING id";
#define PENDING_SELECT "SELECT id, expires_at FROM member_invitation WHERE enterprise_id = $1 AND user_id = $2 AND status = 'pending'"
static const char SQL_PENDING[] = PENDING_SELECT;
static const char SQL_EXPIRE[] = "UPDATE member_invitation SET status = 'expired', updated_at = $2 WHERE id = $1";
static const char SQL_INSERT[] =
    "INSERT INTO member_invitation(enterprise_id, user_id, name, role_id, invited_by, status, created_at,"
    " expires_at, notified_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $6, $6) RETURNING id";
#define STATE_SELECT                                                                                  \
    "SELECT i.user_id, u.phone, i.role_id, i.status, i.expires_at, i.notified_at FROM member_invitation i" \
    " JOIN app_user u ON u.id = i.user_id WHERE i.id = $1 AND i.enterprise_id = $2"
static const char SQL_STATE[] = STATE_SELECT;
static const char SQL_REVOKE[] =
    "UPDATE member_invitation SET status = 'revoked', decided_at = $2, updated_at = $2 WHERE id = $1 AND status = 'pending'";
static const char SQL_RENEW[] =
    "UPDATE member_invitation SET expires_at = $2, notified_at = $3, updated_at = $3 WHERE id = $1 AND status = 'pending'";
static const char SQL_ENT_NAME[] = "SELECT name FROM enterprise WHERE id = $1";

static const char MSG_NO_ROLE[] = "角色不存在或已被删除";
static const char MSG_ROLE_TOO_WIDE[] = "不能分配含有您自己没有的权限的角色";
static const char MSG_GONE[] = "该邀请不存在";

/* ---- the invitation object ---- */

/* One INV_COLS row. The phone is masked like every other person's phone
 * the firm sees; the name is the one the inviter typed. */
static void write_invitation(zq_req *q, zq_jw *w, db_stmt *s)
{
    const char *status = db_col_text(s, 5);
    if (strcmp(status, "pending") == 0 && db_col_int64(s, 7) <= q->now) status = "expired";
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 0));
    zq_jw_kstr(w, "name", db_col_text(s, 1));
    zq_jw_kstr(w, "phone", audit_mask_phone(q->arena, db_col_text(s, 2)));
    zq_jw_key(w, "role");
    if (db_col_is_null(s, 3) || db_col_is_null(s, 4)) {
        zq_jw_null(w);
    } else {
        zq_jw_obj(w);
        zq_jw_kint(w, "id", db_col_int64(s, 3));
        zq_jw_kstr(w, "name", db_col_text(s, 4));
        zq_jw_obj_end(w);
    }
    zq_jw_kstr(w, "status", status);
    hk_jw_time(w, "created_at", db_col_int64(s, 6));
    hk_jw_time(w, "expires_at", db_col_int64(s, 7));
    hk_jw_time(w, "decided_at", db_col_int64(s, 8));
    zq_jw_kstr(w, "invited_by_name", db_col_is_null(s, 9) ? NULL : db_col_text(s, 9));
    zq_jw_obj_end(w);
}

static zq_err respond_invitation(zq_req *q, zq_resp *r, int64_t id, int status)
{
    return mb_respond_row(q, r, SQL_INV_ONE, id, q->session->enterprise_id, status, write_invitation);
}

/* ---- the SMS ---- */

/* Tells the person by SMS, after the commit (no lock held while the
 * gateway answers). A refused or failed notice does not undo the
 * invitation: it is in the person's list either way, and the firm can
 * resend; the outcome is in the audit log (sms.send). */
static void notify(zq_req *q, const char *phone)
{
    const char *ename = NULL;
    db_stmt *s = db_prepare(q->db, SQL_ENT_NAME);
    if (!s) return;
    db_bind_int64(s, 1, q->session->enterprise_id);
    if (db_step(s) == DB_ROW) ename = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    if (!ename) return;
    const char *text = zq_arena_printf(q->arena,
                                       "【政企互动平台】“%s”邀请您加入企业，%d 天内有效。请用本手机号登录政企互动平台，"
                                       "在“我的邀请”中接受或拒绝；如不认识该企业，请忽略本短信。",
                                       ename, INV_TTL / 86400);
    if (text) (void)sms_send_notice(q, q->session->enterprise_id, phone, "invitation", text);
}

/* ---- inviting ---- */

static int user_by_phone(zq_req *q, const char *phone, int64_t *uid)
{
    *uid = 0;
    db_stmt *s = db_prepare(q->db, SQL_USER_BY_PHONE);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, phone, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) *uid = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int create_user(zq_req *q, const char *phone, const char *name, const char *hash, int64_t *uid)
{
    db_stmt *s = db_prepare(q->db, SQL_USER_CREATE);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, phone, -1);
    db_bind_text(s, 2, name, -1);
    db_bind_text(s, 3, hash, -1);
    db_bind_int64(s, 4, q->now);
    int rc = db_step(s);
    if (rc == DB_ROW) *uid = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* A pending invitation of uid to the caller's enterprise: *live when it
 * has not expired; an expired one is closed as `expired` so a new one can
 * take its place. DB_OK or a negative db_rc. */
static int close_expired(zq_req *q, int64_t uid, bool *live)
{
    *live = false;
    db_stmt *s = db_for_update(q->db, SQL_PENDING, NULL);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, uid);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0, expires = rc == DB_ROW ? db_col_int64(s, 1) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
    if (expires > q->now) {
        *live = true;
        return DB_OK;
    }
    if (!(s = db_prepare(q->db, SQL_EXPIRE))) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->now);
    rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* The enterprise's daily allowance of invitations (inside the transaction,
 * so a refused invitation does not count). ZQ_OK or the 429 in r. */
static zq_err take_allowance(zq_req *q, zq_resp *r)
{
    int64_t wait = 0;
    const char *key = zq_arena_printf(q->arena, "invite:%lld", (long long)q->session->enterprise_id);
    int n = key ? rate_hit(q->db, key, 86400, q->now, &wait) : -1;
    if (n < 0) return hk_fail_db(q, r, DB_ERR);
    if (n <= INV_ENT_DAY) return ZQ_OK;
    r->retry_after = wait;
    return hk_fail_tx(q, r, ZQ_E_RATE_LIMITED,
                      zq_arena_printf(q->arena, "今日邀请人数已达上限（%d 人），请明天再试", INV_ENT_DAY));
}

static zq_err invitation_create(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"name", "phone", "role_id", NULL};
    zq_in_only(q, r, keys);
    const char *name = zq_in_str(q, r, "name", "姓名", true, MB_PERSON_NAME_MAX_CHARS);
    const char *phone = zq_in_str(q, r, "phone", "手机号", true, 20);
    if (phone && !zq_mobile_valid(phone)) zq_fail_field(q, r, "phone", "请输入正确的 11 位手机号码");
    int64_t role_id = zq_in_int(q, r, "role_id", "角色", true, 1, INT64_MAX, NULL);
    if (r->err) return r->err;

    /* The initial password's hash is computed whether or not the phone
     * has an account, and before the write lock: argon2id takes tens of
     * milliseconds, and doing it for one branch only would tell by the
     * response time what the response body no longer says. */
    char hash[AUTH_PW_HASH_MAX];
    auth_pw_cost cost = {q->app->pw_ops, q->app->pw_mem};
    if (auth_pw_hash(AUTH_INITIAL_PASSWORD, cost, hash) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    int64_t eid = q->session->enterprise_id, uid = 0, id = 0;
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) goto dberr;
    mb_role role;
    rc = mb_role_lock(q, role_id, &role);
    if (rc == DB_DONE) {
        sodium_memzero(hash, sizeof hash);
        return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, MSG_NO_ROLE);
    }
    if (rc != DB_ROW) goto dberr;
    if (!mb_covers(q->session, role.perms)) {
        sodium_memzero(hash, sizeof hash);
        return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, MSG_ROLE_TOO_WIDE);
    }
    if ((rc = user_by_phone(q, phone, &uid)) != DB_OK) goto dberr;
    bool created = !uid;
    if (created && (rc = create_user(q, phone, name, hash, &uid)) != DB_OK) {
        sodium_memzero(hash, sizeof hash);
        if (rc == DB_ECONSTRAINT) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该手机号正在被邀请，请稍后重试");
        return hk_fail_db(q, r, rc);
    }
    sodium_memzero(hash, sizeof hash);
    bool active, live;
    if ((rc = mb_member_is_active(q, eid, uid, &active)) != DB_OK) goto dberr;
    if (active) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该手机号已是本企业的员工");
    if ((rc = close_expired(q, uid, &live)) != DB_OK) goto dberr;
    if (live) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "已邀请该手机号，正在等待对方接受；可在邀请列表中重发短信");
    zq_err e = take_allowance(q, r);
    if (e != ZQ_OK) return e;

    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) goto dberr_prepare;
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, uid);
    db_bind_text(s, 3, name, -1);
    db_bind_int64(s, 4, role_id);
    db_bind_int64(s, 5, q->session->user_id);
    db_bind_int64(s, 6, q->now);
    db_bind_int64(s, 7, q->now + INV_TTL);
    rc = db_step(s);
    if (rc == DB_ROW) id = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "已邀请该手机号，正在等待对方接受");
    if (rc != DB_ROW) goto dberr;
    /* the audit log is the bureau's: it may say whether an account was made */
    const char *detail = zq_arena_printf(q->arena, "{\"phone\":\"%s\",\"account\":\"%s\",\"role_id\":%lld,\"user_id\":%lld}",
                                         audit_mask_phone(q->arena, phone), created ? "created" : "existing",
                                         (long long)role_id, (long long)uid);
    if (hk_note(q, q->session->enterprise_id, "member_invitation", id, detail) != 0) goto dberr_prepare;
    if ((rc = db_commit(q->db)) != DB_OK) goto dberr;
    notify(q, phone);
    return respond_invitation(q, r, id, 201);
dberr_prepare:
    rc = DB_ERR;
dberr:
    sodium_memzero(hash, sizeof hash);
    return hk_fail_db(q, r, rc);
}

/* ---- the list ---- */

static zq_err invitation_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size, total = 0;
    zq_in_page(q, r, &page, &page_size, INV_PAGE_DEFAULT, INV_PAGE_MAX);
    if (r->err) return r->err;
    db_stmt *s = db_prepare(q->db, SQL_INV_COUNT);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, q->session->enterprise_id);
    int rc = db_step(s);
    if (rc == DB_ROW) total = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);

    if (!(s = db_prepare(q->db, SQL_INV_LIST))) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, page_size);
    db_bind_int64(s, 3, (page - 1) * page_size);
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) write_invitation(q, &w, s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

/* ---- revoking and resending ---- */

typedef struct {
    int64_t id, user_id, role_id, expires_at, notified_at;
    const char *phone, *status;
} inv_state;

/* Locks invitation :id of the caller's enterprise and checks that the
 * caller may touch it (pending, its person not a member meanwhile, its
 * role within the caller's own). ZQ_OK with the transaction open, or the
 * refusal in r (rolled back). */
static zq_err lock_pending(zq_req *q, zq_resp *r, inv_state *st)
{
    memset(st, 0, sizeof *st);
    st->id = hk_param_id(q, "id");
    if (zq_in_none(q, r)) return r->err;
    if (!st->id) return zq_fail(r, ZQ_E_NOT_FOUND, MSG_GONE);
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    db_stmt *s = db_for_update(q->db, SQL_STATE, "i");
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, st->id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    rc = db_step(s);
    if (rc == DB_ROW) {
        st->user_id = db_col_int64(s, 0);
        st->phone = zq_arena_strdup(q->arena, db_col_text(s, 1));
        st->role_id = db_col_is_null(s, 2) ? 0 : db_col_int64(s, 2);
        st->status = zq_arena_strdup(q->arena, db_col_text(s, 3));
        st->expires_at = db_col_int64(s, 4);
        st->notified_at = db_col_int64(s, 5);
        if (!st->phone || !st->status) rc = DB_ERR;
    }
    db_stmt_done(s);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, MSG_GONE);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (strcmp(st->status, "pending") != 0) {
        const char *msg = strcmp(st->status, "accepted") == 0   ? "对方已接受该邀请"
                          : strcmp(st->status, "declined") == 0 ? "对方已拒绝该邀请，如需再次邀请请重新添加员工"
                          : strcmp(st->status, "revoked") == 0  ? "该邀请已撤销"
                                                                : "该邀请已失效，请重新添加员工";
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, msg);
    }
    bool active;
    if ((rc = mb_member_is_active(q, q->session->enterprise_id, st->user_id, &active)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if (active) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该手机号已是本企业的员工");
    if (st->role_id) {
        mb_role role;
        rc = mb_role_lock(q, st->role_id, &role);
        if (rc != DB_ROW && rc != DB_DONE) return hk_fail_db(q, r, rc);
        /* a role deleted meanwhile grants nothing, so anyone may touch it */
        if (rc == DB_ROW && !mb_covers(q->session, role.perms))
            return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, "该邀请的角色含有您没有的权限，不能操作");
    }
    return ZQ_OK;
}

static int exec_id_times(zq_req *q, const char *sql, int64_t id, int64_t a, int64_t b, bool with_b)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, a);
    if (with_b) db_bind_int64(s, 3, b);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static zq_err invitation_revoke(zq_req *q, zq_resp *r)
{
    inv_state st;
    zq_err e = lock_pending(q, r, &st);
    if (e != ZQ_OK) return e;
    int rc = exec_id_times(q, SQL_REVOKE, st.id, q->now, 0, false);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    const char *detail = zq_arena_printf(q->arena, "{\"phone\":\"%s\",\"was_expired\":%s}",
                                         audit_mask_phone(q->arena, st.phone), st.expires_at <= q->now ? "true" : "false");
    if (hk_note(q, q->session->enterprise_id, "member_invitation", st.id, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return respond_invitation(q, r, st.id, 200);
}

static zq_err invitation_resend(zq_req *q, zq_resp *r)
{
    inv_state st;
    zq_err e = lock_pending(q, r, &st);
    if (e != ZQ_OK) return e;
    if (st.notified_at + INV_RESEND_GAP > q->now) {
        r->retry_after = st.notified_at + INV_RESEND_GAP - q->now;
        return hk_fail_tx(q, r, ZQ_E_RATE_LIMITED,
                          zq_arena_printf(q->arena, "短信刚刚发送过，请 %lld 秒后再试", (long long)r->retry_after));
    }
    bool allowed;
    int64_t wait = 0;
    int rc = sms_notice_allowed(q, st.phone, &allowed, &wait);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if (!allowed) {
        r->retry_after = wait;
        return hk_fail_tx(q, r, ZQ_E_RATE_LIMITED, "该手机号今天收到的通知短信已达上限，请明天再试");
    }
    /* resending also renews: an expired invitation is re-invited in place */
    if ((rc = exec_id_times(q, SQL_RENEW, st.id, q->now + INV_TTL, q->now, true)) != DB_OK) return hk_fail_db(q, r, rc);
    const char *detail = zq_arena_printf(q->arena, "{\"phone\":\"%s\",\"was_expired\":%s}",
                                         audit_mask_phone(q->arena, st.phone), st.expires_at <= q->now ? "true" : "false");
    if (hk_note(q, q->session->enterprise_id, "member_invitation", st.id, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    notify(q, st.phone);
    return respond_invitation(q, r, st.id, 200);
}

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/enterprise/employees", invitation_create, ZQ_ACCESS_MEMBER, "employee.manage", ZQ_RF_JSON, 0, "employee.invite"},
    {ZQ_GET, "/api/v1/enterprise/invitations", invitation_list, ZQ_ACCESS_MEMBER, "employee.manage", 0, 0, NULL},
    {ZQ_POST, "/api/v1/enterprise/invitations/:id/revoke", invitation_revoke, ZQ_ACCESS_MEMBER, "employee.manage", ZQ_RF_JSON, 0, "employee.invite_revoke"},
    {ZQ_POST, "/api/v1/enterprise/invitations/:id/resend", invitation_resend, ZQ_ACCESS_MEMBER, "employee.manage", ZQ_RF_JSON, 0, "employee.invite_resend"},
};
const zq_route_group invitation_routes = {routes, sizeof routes / sizeof routes[0]};
