/*
 * joinreq.c — the enterprise side of requests to join it (manual 9.2; the
 * asking side, POST /api/v1/join-requests, is src/enterprise/register.c),
 * under the employee.manage permission:
 *   GET  /api/v1/enterprise/join-requests              list (?status=pending|approved|rejected, paging)
 *   POST /api/v1/enterprise/join-requests/:id/approve  {role_id?}: the person becomes an
 *                                                      active member (no role, hence no
 *                                                      permissions, when role_id is absent)
 *   POST /api/v1/enterprise/join-requests/:id/reject   {reason}
 * Only pending requests can be decided (409 otherwise); another
 * enterprise's request answers 404.
 */
#include "member/member_internal.h"
#include "member/member.h"
#include "handler/filter.h"
#include "audit/audit.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

#define JR_PAGE_DEFAULT 20
#define JR_PAGE_MAX 100

#define JR_COLS                                                                                           \
    "SELECT j.id, j.user_id, u.name, u.phone, j.status, j.message, j.reason, j.created_at, j.decided_at," \
    " d.name FROM join_request j JOIN app_user u ON u.id = j.user_id"                                      \
    " LEFT JOIN app_user d ON d.id = j.decided_by"
static const char SQL_JR_ONE[] = JR_COLS " WHERE j.id = $1 AND j.enterprise_id = $2";
/* the list's WHERE comes from the filter builder (handler/filter.h) */
static const char SQL_JR_COUNT[] = "SELECT COUNT(*) FROM join_request j%s";
static const char SQL_JR_LIST[] = JR_COLS "%s ORDER BY j.created_at DESC, j.id DESC";
#define JR_STATE "SELECT user_id, status FROM join_request WHERE id = $1 AND enterprise_id = $2"
static const char SQL_JR_STATE[] = JR_STATE;
static const char SQL_JR_APPROVE[] =
    "UPDATE join_request SET status = 'approved', decided_by = $3, decided_at = $4"
    " WHERE id = $1 AND enterprise_id = $2 AND status = 'pending'";
static const char SQL_JR_REJECT[] =
    "UPDATE join_request SET status = 'rejected', reason = $5, decided_by = $3, decided_at = $4"
    " WHERE id = $1 AND enterprise_id = $2 AND status = 'pending'";

static void write_jr(zq_req *q, zq_jw *w, db_stmt *s)
{
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 0));
    zq_jw_key(w, "user");
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 1));
    zq_jw_kstr(w, "name", db_col_text(s, 2));
    zq_jw_kstr(w, "phone", audit_mask_phone(q->arena, db_col_text(s, 3)));
    zq_jw_obj_end(w);
    zq_jw_kstr(w, "status", db_col_text(s, 4));
    zq_jw_kstr(w, "message", db_col_is_null(s, 5) ? NULL : db_col_text(s, 5));
    zq_jw_kstr(w, "reason", db_col_is_null(s, 6) ? NULL : db_col_text(s, 6));
    hk_jw_time(w, "created_at", db_col_int64(s, 7));
    hk_jw_time(w, "decided_at", db_col_int64(s, 8));
    zq_jw_kstr(w, "decided_by_name", db_col_is_null(s, 9) ? NULL : db_col_text(s, 9));
    zq_jw_obj_end(w);
}

static zq_err respond_jr(zq_req *q, zq_resp *r, int64_t id)
{
    return mb_respond_row(q, r, SQL_JR_ONE, id, q->session->enterprise_id, 200, write_jr);
}

static zq_err jr_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size, total = 0;
    zq_in_page(q, r, &page, &page_size, JR_PAGE_DEFAULT, JR_PAGE_MAX);
    const char *status = zq_req_query(q, "status");
    if (status && *status && strcmp(status, "pending") != 0 && strcmp(status, "approved") != 0 &&
        strcmp(status, "rejected") != 0)
        zq_fail_field(q, r, "status", "状态须为 pending、approved 或 rejected");
    if (r->err) return r->err;
    hk_filter f;
    hk_filter_init(&f, 1);
    hk_filter_num(&f, "j.enterprise_id = $%d", q->session->enterprise_id);
    hk_filter_text(&f, "j.status = $%d", status);
    db_stmt *s;
    if (hk_filter_page(q, r, &f, SQL_JR_COUNT, SQL_JR_LIST, page, page_size, &total, &s) != ZQ_OK) return r->err;
    int rc;
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) write_jr(q, &w, s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc); /* the envelope replaces the partial body */
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

/* Requester and status of request id of the caller's enterprise, locked on
 * PostgreSQL. DB_ROW, DB_DONE or < 0. */
static int jr_state(zq_req *q, int64_t id, int64_t *uid, const char **status)
{
    db_stmt *s = db_for_update(q->db, SQL_JR_STATE, NULL);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *uid = db_col_int64(s, 0);
        *status = zq_arena_strdup(q->arena, db_col_text(s, 1));
        if (!*status) rc = DB_ERR;
    }
    db_stmt_done(s);
    return rc;
}

static const char *decided_message(const char *status)
{
    return strcmp(status, "approved") == 0 ? "该申请已通过，不能重复处理"
           : strcmp(status, "rejected") == 0 ? "该申请已被驳回，不能重复处理"
                                             : "该申请当前不能处理";
}

static zq_err jr_approve(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"role_id", NULL};
    int64_t id = hk_param_id(q, "id");
    bool has_role = false;
    zq_in_only(q, r, keys);
    int64_t role_id = zq_in_int(q, r, "role_id", "角色", false, 1, INT64_MAX, &has_role);
    if (r->err) return r->err;
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    int64_t uid = 0;
    const char *status = NULL;
    rc = jr_state(q, id, &uid, &status);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "该申请不存在");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (strcmp(status, "pending") != 0) return hk_fail_tx(q, r, ZQ_E_CONFLICT, decided_message(status));
    if (has_role) {
        mb_role role;
        rc = mb_role_lock(q, role_id, &role);
        if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "角色不存在或已被删除");
        if (rc != DB_ROW) return hk_fail_db(q, r, rc);
        if (!mb_covers(q->session, role.perms))
            return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, "不能分配含有您自己没有的权限的角色");
    }
    db_stmt *s = db_prepare(q->db, SQL_JR_APPROVE);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    db_bind_int64(s, 3, q->session->user_id);
    db_bind_int64(s, 4, q->now);
    rc = db_step(s);
    int64_t changed = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (changed != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该申请已被处理");
    bool was_active;
    rc = mb_member_activate(q, uid, has_role ? role_id : 0, &was_active);
    if (was_active || rc == DB_ECONSTRAINT)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该用户已是本企业的员工，请驳回此申请");
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    const char *detail = has_role ? zq_arena_printf(q->arena, "{\"user_id\":%lld,\"role_id\":%lld}", (long long)uid,
                                                    (long long)role_id)
                                  : zq_arena_printf(q->arena, "{\"user_id\":%lld,\"role_id\":null}", (long long)uid);
    if (hk_note(q, q->session->enterprise_id, "join_request", id, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return respond_jr(q, r, id);
}

static zq_err jr_reject(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"reason", NULL};
    int64_t id = hk_param_id(q, "id");
    zq_in_only(q, r, keys);
    const char *reason = zq_in_str(q, r, "reason", "驳回原因", true, MB_REASON_MAX_CHARS);
    if (r->err) return r->err;
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    int64_t uid = 0;
    const char *status = NULL;
    rc = jr_state(q, id, &uid, &status);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "该申请不存在");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (strcmp(status, "pending") != 0) return hk_fail_tx(q, r, ZQ_E_CONFLICT, decided_message(status));
    db_stmt *s = db_prepare(q->db, SQL_JR_REJECT);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    db_bind_int64(s, 3, q->session->user_id);
    db_bind_int64(s, 4, q->now);
    db_bind_text(s, 5, reason, -1);
    rc = db_step(s);
    int64_t changed = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (changed != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该申请已被处理");
    const char *detail = zq_arena_printf(q->arena, "{\"user_id\":%lld,\"reason\":%s}", (long long)uid,
                                         hk_json_str(q, reason));
    if (hk_note(q, q->session->enterprise_id, "join_request", id, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return respond_jr(q, r, id);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/join-requests", jr_list, ZQ_ACCESS_MEMBER, "employee.manage", 0, 0, NULL},
    {ZQ_POST, "/api/v1/enterprise/join-requests/:id/approve", jr_approve, ZQ_ACCESS_MEMBER, "employee.manage", ZQ_RF_JSON, 0, "join.approve"},
    {ZQ_POST, "/api/v1/enterprise/join-requests/:id/reject", jr_reject, ZQ_ACCESS_MEMBER, "employee.manage", ZQ_RF_JSON, 0, "join.reject"},
};
const zq_route_group join_review_routes = {routes, sizeof routes / sizeof routes[0]};
