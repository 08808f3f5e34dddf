/*
 * transfer.c — handing the legal-rep title to another member (issue 4,
 * manual 9.2 notes):
 *   POST /api/v1/enterprise/legal-rep/transfer  {user_id, sms_code, role_id?}
 * Only the current legal rep may call it (MEMBER_PERM_LEGAL_REP in the
 * route table), and only with a `transfer` SMS code sent to their own phone
 * (POST /api/v1/sms/send {phone, purpose:"transfer"}), so a hijacked
 * session alone cannot give the enterprise away. The new legal rep must be
 * an active member of the enterprise with a usable account; the former one
 * stays a member with role_id (none when absent). What moves is the console
 * title (membership.is_legal_rep); the 法定代表人 fields registered on the
 * enterprise are profile data and change through the profile
 * (docs/decisions-members.md). A wrong code is a refusal whose try counts.
 */
#include "member/member.h"
#include "member/member_internal.h"
#include "audit/audit.h"
#include "db/db.h"
#include "http/input.h"
#include "sms/sms.h"
#include <string.h>

static const char SQL_ACCOUNT_OK[] = "SELECT disabled FROM app_user WHERE id = $1";
static const char SQL_DEMOTE[] =
    "UPDATE membership SET is_legal_rep = 0, role_id = $3, updated_at = $4"
    " WHERE enterprise_id = $1 AND user_id = $2 AND status = 'active' AND is_legal_rep = 1";
static const char SQL_PROMOTE[] =
    "UPDATE membership SET is_legal_rep = 1, role_id = NULL, updated_at = $3"
    " WHERE enterprise_id = $1 AND user_id = $2 AND status = 'active'";

static int update_member(zq_req *q, const char *sql, int64_t uid, int64_t role_id, bool with_role)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, uid);
    if (with_role) {
        if (role_id) db_bind_int64(s, 3, role_id);
        else db_bind_null(s, 3);
        db_bind_int64(s, 4, q->now);
    } else {
        db_bind_int64(s, 3, q->now);
    }
    int rc = db_step(s);
    int64_t changed = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    return changed == 1 ? DB_OK : DB_DONE;
}

static zq_err transfer_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"user_id", "sms_code", "role_id", NULL};
    const zq_session *ss = q->session;
    /* the route table already admits the legal rep alone; kept as a guard */
    if (!ss->is_legal_rep) return zq_fail(r, ZQ_E_FORBIDDEN, "只有企业法人可以转让法人身份");
    zq_in_only(q, r, keys);
    int64_t uid = zq_in_int(q, r, "user_id", "新法人", true, 1, INT64_MAX, NULL);
    const char *code = zq_in_str(q, r, "sms_code", "短信验证码", true, 16);
    bool has_role = false;
    int64_t role_id = zq_in_int(q, r, "role_id", "原法人的角色", false, 1, INT64_MAX, &has_role);
    if (r->err) return r->err;
    if (uid == ss->user_id) return zq_fail(r, ZQ_E_UNPROCESSABLE, "您已是本企业的法人");

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    /* who and what first, so a refused transfer does not use up the code */
    mb_member to;
    rc = mb_member_lock(q, uid, &to);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "该员工不存在或已被移除");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    db_stmt *s = db_prepare(q->db, SQL_ACCOUNT_OK);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, uid);
    rc = db_step(s);
    bool disabled = rc == DB_ROW && db_col_int64(s, 0) != 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (disabled) return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "该员工的账号已停用，不能成为法人");
    if (has_role) {
        mb_role role;
        rc = mb_role_lock(q, role_id, &role);
        if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "角色不存在或已被删除");
        if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    }

    zq_err e = sms_verify_code(q, r, ss->phone, "transfer", code, "sms_code");
    if (e == ZQ_E_INTERNAL) return hk_fail_tx(q, r, e, NULL);
    if (e != ZQ_OK) {
        /* keep the counted try, and the record of it */
        if (hk_record(q, q->session->enterprise_id, "legal_rep.transfer", "app_user", uid, "{\"reason\":\"bad_code\"}", "failed") != 0 ||
            db_commit(q->db) != DB_OK) {
            r->err = ZQ_OK;
            r->err_fields.n = 0;
            return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
        }
        return e;
    }
    if ((rc = update_member(q, SQL_DEMOTE, ss->user_id, has_role ? role_id : 0, true)) != DB_OK)
        return rc == DB_DONE ? hk_fail_tx(q, r, ZQ_E_CONFLICT, "法人身份已变更，请刷新后重试") : hk_fail_db(q, r, rc);
    if ((rc = update_member(q, SQL_PROMOTE, uid, 0, false)) != DB_OK)
        return rc == DB_DONE ? hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "该员工不存在或已被移除") : hk_fail_db(q, r, rc);
    const char *detail =
        zq_arena_printf(q->arena, "{\"from\":%lld,\"to\":%lld,\"to_phone\":\"%s\",\"former_role_id\":%s}",
                        (long long)ss->user_id, (long long)uid, audit_mask_phone(q->arena, to.phone),
                        has_role ? hk_id_str(q, role_id) : "null");
    if (hk_note(q, q->session->enterprise_id, "app_user", uid, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);

    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "legal_rep");
    zq_jw_obj(&w);
    zq_jw_kint(&w, "user_id", uid);
    zq_jw_kstr(&w, "name", to.name);
    zq_jw_obj_end(&w);
    zq_jw_key(&w, "former");
    zq_jw_obj(&w);
    zq_jw_kint(&w, "user_id", ss->user_id);
    zq_jw_key(&w, "role_id");
    if (has_role) zq_jw_int(&w, role_id);
    else zq_jw_null(&w);
    zq_jw_obj_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/enterprise/legal-rep/transfer", transfer_post, ZQ_ACCESS_MEMBER, MEMBER_PERM_LEGAL_REP, ZQ_RF_JSON, 0, "legal_rep.transfer"},
};
const zq_route_group legal_rep_routes = {routes, sizeof routes / sizeof routes[0]};
