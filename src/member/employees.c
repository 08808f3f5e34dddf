/*
 * employees.c — the enterprise's employees (manual 9.2), all under the
 * employee.manage permission:
 *   GET    /api/v1/enterprise/employees            list (?q= name or phone, ?role_id=, paging)
 *   (POST  /api/v1/enterprise/employees invites: invitation.c)
 *   PUT    /api/v1/enterprise/employees/:user_id   {role_id}: change the role
 *   DELETE /api/v1/enterprise/employees/:user_id   remove: the membership becomes `removed`
 *                                                  and the person's sessions in this
 *                                                  enterprise are revoked at once
 * The legal rep cannot be removed or given a role (they hold everything);
 * nobody removes or re-roles themselves here. Someone who is not the legal
 * rep may only assign roles, and touch employees, within their own
 * permissions. Other people's phones are masked (138****1234), as in
 * every list the platform shows (docs/decisions-members.md); `q` still
 * finds an employee by the whole number.
 */
#include "member/member_internal.h"
#include "member/member.h"
#include "handler/filter.h"
#include "audit/audit.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

#define EMP_PAGE_DEFAULT 20
#define EMP_PAGE_MAX 100
#define EMP_Q_MAX_CHARS 30

#define EMP_COLS                                                                                          \
    "SELECT u.id, u.name, u.phone, m.is_legal_rep, m.role_id, r.name, u.must_change_password, u.disabled," \
    " m.created_at FROM membership m JOIN app_user u ON u.id = m.user_id"                                  \
    " LEFT JOIN enterprise_role r ON r.id = m.role_id AND r.enterprise_id = m.enterprise_id"
static const char SQL_EMP_ONE[] = EMP_COLS " WHERE m.enterprise_id = $1 AND m.user_id = $2 AND m.status = 'active'";
/* the list's WHERE comes from the filter builder (handler/filter.h) */
static const char SQL_EMP_COUNT[] = "SELECT COUNT(*) FROM membership m JOIN app_user u ON u.id = m.user_id%s";
static const char SQL_EMP_LIST[] = EMP_COLS "%s ORDER BY m.is_legal_rep DESC, m.created_at, m.id";
static const char SQL_MEMBER_REMOVE[] =
    "UPDATE membership SET status = 'removed', role_id = NULL, updated_at = $3"
    " WHERE enterprise_id = $1 AND user_id = $2 AND status = 'active'";
static const char SQL_SESSIONS_REVOKE[] =
    "UPDATE session SET revoked_at = $1 WHERE user_id = $2 AND enterprise_id = $3 AND revoked_at = 0";
static const char SQL_FORGET_LAST[] =
    "UPDATE app_user SET last_enterprise_id = NULL WHERE id = $1 AND last_enterprise_id = $2";
static const char SQL_MEMBER_ROLE[] =
    "UPDATE membership SET role_id = $3, updated_at = $4"
    " WHERE enterprise_id = $1 AND user_id = $2 AND status = 'active'";

static const char MSG_NO_ROLE[] = "角色不存在或已被删除";
static const char MSG_ROLE_TOO_WIDE[] = "不能分配含有您自己没有的权限的角色";

/* ---- reading ---- */

/* One EMP_COLS row as a JSON object. Another person's phone is masked
 * (issue 9: 脱敏显示 everywhere); the caller's own is not. */
static void write_employee_row(zq_req *q, zq_jw *w, db_stmt *s)
{
    int64_t uid = db_col_int64(s, 0);
    bool self = uid == q->session->user_id;
    zq_jw_obj(w);
    zq_jw_kint(w, "user_id", uid);
    zq_jw_kstr(w, "name", db_col_text(s, 1));
    zq_jw_kstr(w, "phone", self ? db_col_text(s, 2) : audit_mask_phone(q->arena, db_col_text(s, 2)));
    zq_jw_kbool(w, "is_legal_rep", db_col_int64(s, 3) != 0);
    zq_jw_kbool(w, "is_self", self);
    zq_jw_key(w, "role");
    if (db_col_is_null(s, 4) || db_col_is_null(s, 5)) {
        zq_jw_null(w);
    } else {
        zq_jw_obj(w);
        zq_jw_kint(w, "id", db_col_int64(s, 4));
        zq_jw_kstr(w, "name", db_col_text(s, 5));
        zq_jw_obj_end(w);
    }
    /* still on the initial password: has not logged in and changed it yet */
    zq_jw_kbool(w, "password_change_pending", db_col_int64(s, 6) != 0);
    zq_jw_kbool(w, "disabled", db_col_int64(s, 7) != 0);
    hk_jw_time(w, "joined_at", db_col_int64(s, 8));
    zq_jw_obj_end(w);
}

static zq_err respond_employee(zq_req *q, zq_resp *r, int64_t uid, int status)
{
    return mb_respond_row(q, r, SQL_EMP_ONE, q->session->enterprise_id, uid, status, write_employee_row);
}

static zq_err employee_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size, role_id = 0, total = 0;
    zq_in_page(q, r, &page, &page_size, EMP_PAGE_DEFAULT, EMP_PAGE_MAX);
    const char *text = zq_req_query(q, "q");
    const char *rid = zq_req_query(q, "role_id");
    if (text && zq_utf8_len(text) > EMP_Q_MAX_CHARS) zq_fail_field(q, r, "q", "关键字过长");
    if (rid && *rid && !zq_parse_int64(rid, 1, INT64_MAX, &role_id)) zq_fail_field(q, r, "role_id", "角色不正确");
    if (r->err) return r->err;
    hk_filter f;
    hk_filter_init(&f, 1);
    hk_filter_num(&f, "m.enterprise_id = $%d AND m.status = 'active'", q->session->enterprise_id);
    hk_filter_contains(&f, q->arena, "(u.name LIKE $%d ESCAPE '\\' OR u.phone LIKE $%d ESCAPE '\\')", text);
    if (role_id) hk_filter_num(&f, "m.role_id = $%d", role_id);
    db_stmt *s;
    if (hk_filter_page(q, r, &f, SQL_EMP_COUNT, SQL_EMP_LIST, page, page_size, &total, &s) != ZQ_OK) return r->err;
    int rc;
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) write_employee_row(q, &w, s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc); /* the envelope replaces the partial body */
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

/* ---- changing and removing ---- */

static zq_err employee_set_role(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"role_id", NULL};
    int64_t uid = hk_param_id(q, "user_id");
    zq_in_only(q, r, keys);
    int64_t role_id = zq_in_int(q, r, "role_id", "角色", true, 1, INT64_MAX, NULL);
    if (r->err) return r->err;
    if (!uid) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (uid == q->session->user_id) return zq_fail(r, ZQ_E_UNPROCESSABLE, "不能修改自己的角色，请联系企业法人");

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    mb_member m;
    rc = mb_member_lock(q, uid, &m);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "该员工不存在或已被移除");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (m.is_legal_rep) return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "企业法人拥有全部权限，无需分配角色");
    mb_role role;
    rc = mb_role_lock(q, role_id, &role);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, MSG_NO_ROLE);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (!mb_covers(q->session, m.perms))
        return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, "该员工的角色含有您没有的权限，不能修改");
    if (!mb_covers(q->session, role.perms)) return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, MSG_ROLE_TOO_WIDE);
    db_stmt *s = db_prepare(q->db, SQL_MEMBER_ROLE);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, uid);
    db_bind_int64(s, 3, role_id);
    db_bind_int64(s, 4, q->now);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    const char *detail = m.role_id ? zq_arena_printf(q->arena, "{\"from\":%lld,\"to\":%lld}", (long long)m.role_id,
                                                     (long long)role_id)
                                   : zq_arena_printf(q->arena, "{\"from\":null,\"to\":%lld}", (long long)role_id);
    if (hk_note(q, q->session->enterprise_id, "app_user", uid, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return respond_employee(q, r, uid, 200);
}

static zq_err employee_remove(zq_req *q, zq_resp *r)
{
    int64_t uid = hk_param_id(q, "user_id");
    if (zq_in_none(q, r)) return r->err;
    if (!uid) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (uid == q->session->user_id) return zq_fail(r, ZQ_E_UNPROCESSABLE, "不能移除自己");

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    mb_member m;
    rc = mb_member_lock(q, uid, &m);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "该员工不存在或已被移除");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (m.is_legal_rep) return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "不能移除企业法人");
    if (!mb_covers(q->session, m.perms))
        return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, "该员工的角色含有您没有的权限，不能移除");
    int64_t eid = q->session->enterprise_id;
    db_stmt *s = db_prepare(q->db, SQL_MEMBER_REMOVE);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, uid);
    db_bind_int64(s, 3, q->now);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    /* their open sessions in this enterprise end now, not at the next load */
    if (!(s = db_prepare(q->db, SQL_SESSIONS_REVOKE))) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, q->now);
    db_bind_int64(s, 2, uid);
    db_bind_int64(s, 3, eid);
    rc = db_step(s);
    int64_t revoked = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (!(s = db_prepare(q->db, SQL_FORGET_LAST))) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, uid);
    db_bind_int64(s, 2, eid);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    const char *detail = zq_arena_printf(q->arena, "{\"name\":%s,\"phone\":\"%s\",\"role_id\":%lld,\"sessions_revoked\":%lld}",
                                         hk_json_str(q, m.name), audit_mask_phone(q->arena, m.phone),
                                         (long long)m.role_id, (long long)revoked);
    if (hk_note(q, q->session->enterprise_id, "app_user", uid, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "user_id", uid);
    zq_jw_kstr(&w, "status", "removed");
    zq_jw_kint(&w, "sessions_revoked", revoked);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/employees", employee_list, ZQ_ACCESS_MEMBER, "employee.manage", 0, 0, NULL},
    {ZQ_PUT, "/api/v1/enterprise/employees/:user_id", employee_set_role, ZQ_ACCESS_MEMBER, "employee.manage", ZQ_RF_JSON, 0, "employee.role"},
    {ZQ_DELETE, "/api/v1/enterprise/employees/:user_id", employee_remove, ZQ_ACCESS_MEMBER, "employee.manage", ZQ_RF_JSON, 0, "employee.remove"},
};
const zq_route_group employee_routes = {routes, sizeof routes / sizeof routes[0]};
