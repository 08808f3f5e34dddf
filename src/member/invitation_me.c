/*
 * invitation_me.c — the invited person's side of invitations (invitation.c
 * makes them), for any logged-in enterprise-side account:
 *   GET  /api/v1/me/invitations               pending, unexpired invitations to me
 *   POST /api/v1/me/invitations/:id/accept    become a member with the invited role → me document
 *   POST /api/v1/me/invitations/:id/decline
 * Someone else's invitation, an expired or a revoked one answers 404 (it is
 * not, or no longer, on offer to the caller); one already answered 409, so
 * accepting twice creates one membership. The answer is audited in the
 * inviting enterprise's record (its district), in the transaction of the
 * change.
 */
#include "member/member_internal.h"
#include "member/member.h"
#include "auth/login.h"
#include "auth/session.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

#define ME_INV_MAX 50

static const char SQL_MINE[] =
    "SELECT i.id, e.id, e.name, i.role_id, r.name, iu.name, i.created_at, i.expires_at"
    " FROM member_invitation i JOIN enterprise e ON e.id = i.enterprise_id"
    " LEFT JOIN enterprise_role r ON r.id = i.role_id AND r.enterprise_id = i.enterprise_id"
    " LEFT JOIN app_user iu ON iu.id = i.invited_by"
    " WHERE i.user_id = $1 AND i.status = 'pending' AND i.expires_at > $2"
    " AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.enterprise_id = i.enterprise_id"
    " AND m.user_id = i.user_id AND m.status = 'active')"
    " ORDER BY i.created_at DESC, i.id DESC LIMIT $3";
#define STATE_SELECT                                                                                  \
    "SELECT enterprise_id, role_id, status, expires_at, invited_by FROM member_invitation"            \
    " WHERE id = $1 AND user_id = $2"
static const char SQL_STATE[] = STATE_SELECT;
#define ROLE_SELECT "SELECT id FROM enterprise_role WHERE id = $1 AND enterprise_id = $2"
static const char SQL_ROLE[] = ROLE_SELECT;
static const char SQL_DECIDE[] =
    "UPDATE member_invitation SET status = $2, decided_at = $3, updated_at = $3 WHERE id = $1 AND status = 'pending'";
static const char SQL_LAST[] = "UPDATE app_user SET last_enterprise_id = $1 WHERE id = $2";

static const char MSG_GONE[] = "邀请不存在或已失效";

static zq_err me_invitations(zq_req *q, zq_resp *r)
{
    db_stmt *s = db_prepare(q->db, SQL_MINE);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, q->session->user_id);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, ME_INV_MAX);
    zq_jw w;
    zq_list_begin(r, &w);
    int rc, n = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        n++;
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", db_col_int64(s, 0));
        zq_jw_key(&w, "enterprise");
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", db_col_int64(s, 1));
        zq_jw_kstr(&w, "name", db_col_text(s, 2));
        zq_jw_obj_end(&w);
        zq_jw_key(&w, "role");
        if (db_col_is_null(s, 3) || db_col_is_null(s, 4)) {
            zq_jw_null(&w);
        } else {
            zq_jw_obj(&w);
            zq_jw_kint(&w, "id", db_col_int64(s, 3));
            zq_jw_kstr(&w, "name", db_col_text(s, 4));
            zq_jw_obj_end(&w);
        }
        zq_jw_kstr(&w, "invited_by_name", db_col_is_null(s, 5) ? NULL : db_col_text(s, 5));
        hk_jw_time(&w, "created_at", db_col_int64(s, 6));
        hk_jw_time(&w, "expires_at", db_col_int64(s, 7));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    zq_list_end(&w, n, 1, ME_INV_MAX);
    return ZQ_OK;
}

typedef struct {
    int64_t id, enterprise_id, role_id, invited_by;
} my_inv;

/* Locks invitation :id of the caller, still on offer. ZQ_OK with the
 * transaction open, or the refusal in r (rolled back). */
static zq_err lock_mine(zq_req *q, zq_resp *r, my_inv *inv)
{
    memset(inv, 0, sizeof *inv);
    inv->id = hk_param_id(q, "id");
    if (zq_in_none(q, r)) return r->err;
    if (!inv->id) return zq_fail(r, ZQ_E_NOT_FOUND, MSG_GONE);
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    db_stmt *s = db_for_update(q->db, SQL_STATE, NULL);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, inv->id);
    db_bind_int64(s, 2, q->session->user_id);
    rc = db_step(s);
    char status[16] = "";
    int64_t expires = 0;
    if (rc == DB_ROW) {
        inv->enterprise_id = db_col_int64(s, 0);
        inv->role_id = db_col_is_null(s, 1) ? 0 : db_col_int64(s, 1);
        const char *st = db_col_text(s, 2);
        if (st && strlen(st) < sizeof status) strcpy(status, st);
        expires = db_col_int64(s, 3);
        inv->invited_by = db_col_int64(s, 4);
    }
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (rc == DB_DONE || strcmp(status, "revoked") == 0 || strcmp(status, "expired") == 0 ||
        (strcmp(status, "pending") == 0 && expires <= q->now))
        return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, MSG_GONE);
    if (strcmp(status, "accepted") == 0) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "您已接受过该邀请");
    if (strcmp(status, "declined") == 0) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "您已拒绝过该邀请");
    return ZQ_OK;
}

static int decide(zq_req *q, int64_t id, const char *status)
{
    db_stmt *s = db_prepare(q->db, SQL_DECIDE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, status, -1);
    db_bind_int64(s, 3, q->now);
    int rc = db_step(s);
    int64_t changed = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    return changed == 1 ? DB_OK : DB_ERR;
}

/* The invited role if it still exists in that enterprise (locked on
 * PostgreSQL against a concurrent delete), else 0: no role, no rights. */
static int role_still_there(zq_req *q, const my_inv *inv, int64_t *role_id)
{
    *role_id = 0;
    if (!inv->role_id) return DB_OK;
    db_stmt *s = db_for_update(q->db, SQL_ROLE, NULL);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, inv->role_id);
    db_bind_int64(s, 2, inv->enterprise_id);
    int rc = db_step(s);
    if (rc == DB_ROW) *role_id = inv->role_id;
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static zq_err me_invitation_accept(zq_req *q, zq_resp *r)
{
    my_inv inv;
    zq_err e = lock_mine(q, r, &inv);
    if (e != ZQ_OK) return e;
    int64_t uid = q->session->user_id, role_id;
    bool was_active;
    int rc = role_still_there(q, &inv, &role_id);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    rc = mb_member_activate_in(q, inv.enterprise_id, uid, role_id, inv.invited_by, &was_active);
    if (was_active || rc == DB_ECONSTRAINT) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "您已是该企业的成员");
    if (rc != DB_OK || (rc = decide(q, inv.id, "accepted")) != DB_OK) return hk_fail_db(q, r, rc);
    const char *detail = role_id ? zq_arena_printf(q->arena, "{\"role_id\":%lld}", (long long)role_id)
                                 : "{\"role_id\":null}";
    if (hk_note(q, inv.enterprise_id, "member_invitation", inv.id, detail) != 0)
        return hk_fail_db(q, r, DB_ERR);
    /* someone with no enterprise selected (a new account) lands in this one */
    if (!q->session->enterprise_id) {
        db_stmt *s = db_prepare(q->db, SQL_LAST);
        if (!s) return hk_fail_db(q, r, DB_ERR);
        db_bind_int64(s, 1, inv.enterprise_id);
        db_bind_int64(s, 2, uid);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE || auth_session_set_enterprise(q, inv.enterprise_id) != 0) return hk_fail_db(q, r, DB_ERR);
    }
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return auth_write_me(q, r, 200);
}

static zq_err me_invitation_decline(zq_req *q, zq_resp *r)
{
    my_inv inv;
    zq_err e = lock_mine(q, r, &inv);
    if (e != ZQ_OK) return e;
    int rc = decide(q, inv.id, "declined");
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if (hk_note(q, inv.enterprise_id, "member_invitation", inv.id, NULL) != 0)
        return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", inv.id);
    zq_jw_kstr(&w, "status", "declined");
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/me/invitations", me_invitations, ZQ_ACCESS_USER, NULL, 0, 0, NULL},
    {ZQ_POST, "/api/v1/me/invitations/:id/accept", me_invitation_accept, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 0, "employee.invite_accept"},
    {ZQ_POST, "/api/v1/me/invitations/:id/decline", me_invitation_decline, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 0, "employee.invite_decline"},
};
const zq_route_group me_invitation_routes = {routes, sizeof routes / sizeof routes[0]};
