/*
 * change_api.c — the bureau's review of enterprises' name / USCC /
 * district changes (信息变更审核, docs/profile.md):
 *   GET  /api/v1/admin/enterprise-changes?status=&page=&page_size=
 *   GET  /api/v1/admin/enterprise-changes/:id
 *   POST /api/v1/admin/enterprise-changes/:id/approve   {}
 *   POST /api/v1/admin/enterprise-changes/:id/reject    {reason}
 * District staff decide for the firms of their district (the district in
 * force, a bound parameter of every statement); another district's request
 * is 404. Approval writes the requested values into the enterprise in one
 * transaction with the decision and its audit record.
 */
#include "http/scope.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "core/text.h"
#include "db/db.h"
#include "enterprise/form.h"
#include "http/input.h"
#include "handler/kit.h"
#include "profile/profile.h"
#include <string.h>

#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100
#define REASON_MAX_CHARS 500

#define CHANGE_COLUMNS                                                                                         \
    "SELECT c.id, c.enterprise_id, e.name, e.region, rg.name, c.status, c.new_name, c.new_uscc, c.new_region," \
    " nrg.name, c.old_name, c.old_uscc, c.old_region, org.name, c.submitted_at, u.name, c.decided_at, st.name,"  \
    " c.reason"                                                                                               \
    " FROM enterprise_change c JOIN enterprise e ON e.id = c.enterprise_id"                                   \
    " LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = e.region"                                    \
    " LEFT JOIN dict_item nrg ON nrg.type = 'region' AND nrg.code = c.new_region"                             \
    " LEFT JOIN dict_item org ON org.type = 'region' AND org.code = c.old_region"                             \
    " LEFT JOIN app_user u ON u.id = c.submitted_by"                                                          \
    " LEFT JOIN staff st ON st.id = c.decided_by"
#define CHANGE_SCOPE " ($1 = '' OR e.region = $1)"

static const char SQL_COUNT[] = "SELECT COUNT(*) FROM enterprise_change c JOIN enterprise e ON e.id = c.enterprise_id"
                                " WHERE" CHANGE_SCOPE " AND c.status = $2";
static const char SQL_LIST[] = CHANGE_COLUMNS " WHERE" CHANGE_SCOPE
                                              " AND c.status = $2 ORDER BY c.submitted_at DESC, c.id DESC LIMIT $3 OFFSET $4";
static const char SQL_ONE[] = CHANGE_COLUMNS " WHERE" CHANGE_SCOPE " AND c.id = $2";
static const char SQL_APPLY[] =
    "UPDATE enterprise SET name = COALESCE($1, name), uscc = COALESCE($2, uscc), region = COALESCE($3, region),"
    " updated_at = $4 WHERE id = $5";
static const char SQL_DECIDE[] =
    "UPDATE enterprise_change SET status = $1, reason = $2, decided_by = $3, decided_at = $4"
    " WHERE id = $5 AND status = 'pending'";


/* One row of CHANGE_COLUMNS as the contract's object. */
static void write_change(zq_jw *w, db_stmt *s)
{
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 0));
    zq_jw_kint(w, "enterprise_id", db_col_int64(s, 1));
    hk_jw_col_str(w, "enterprise_name", s, 2);
    hk_jw_col_str(w, "region", s, 3);
    hk_jw_col_str(w, "region_name", s, 4);
    hk_jw_col_str(w, "status", s, 5);
    zq_jw_key(w, "fields");
    zq_jw_obj(w);
    ent_jw_col_opt(w, "name", s, 6);
    ent_jw_col_opt(w, "uscc", s, 7);
    ent_jw_col_opt(w, "region", s, 8);
    if (!db_col_is_null(s, 8)) hk_jw_col_str(w, "region_name", s, 9);
    zq_jw_obj_end(w);
    zq_jw_key(w, "old");
    zq_jw_obj(w);
    hk_jw_col_str(w, "name", s, 10);
    hk_jw_col_str(w, "uscc", s, 11);
    hk_jw_col_str(w, "region", s, 12);
    hk_jw_col_str(w, "region_name", s, 13);
    zq_jw_obj_end(w);
    hk_jw_time(w, "submitted_at", db_col_int64(s, 14));
    hk_jw_col_str(w, "submitted_by_name", s, 15);
    hk_jw_time(w, "reviewed_at", db_col_int64(s, 16));
    hk_jw_col_str(w, "reviewer_name", s, 17);
    hk_jw_col_str(w, "reject_reason", s, 18);
    zq_jw_obj_end(w);
}

static zq_err changes_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size;
    zq_in_page(q, r, &page, &page_size, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    const char *status = zq_req_query(q, "status");
    if (!status || !*status) status = "pending";
    if (strcmp(status, "pending") != 0 && strcmp(status, "approved") != 0 && strcmp(status, "rejected") != 0)
        zq_fail_field(q, r, "status", "状态须为 pending（待审核）、approved（已通过）或 rejected（已驳回）");
    if (r->err) return r->err;

    db_stmt *s = db_prepare(q->db, SQL_COUNT);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, zq_scope_value(q), -1);
    db_bind_text(s, 2, status, -1);
    int rc = db_step(s);
    int64_t total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    if (!(s = db_prepare(q->db, SQL_LIST))) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, zq_scope_value(q), -1);
    db_bind_text(s, 2, status, -1);
    db_bind_int64(s, 3, page_size);
    db_bind_int64(s, 4, (page - 1) * page_size);
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) write_change(&w, s);
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

/* Answers change `id` (200) when the caller's scope holds it, 404 if not.
 * After a decision the scope is not applied again: an approved move to
 * another district has just taken the firm out of the reviewer's. */
static zq_err answer_change(zq_req *q, zq_resp *r, int64_t id, bool scoped)
{
    db_stmt *s = db_prepare(q->db, SQL_ONE);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, scoped ? zq_scope_value(q) : "", -1);
    db_bind_int64(s, 2, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        zq_jw w;
        zq_resp_json(r, &w, 200);
        write_change(&w, s);
    }
    db_stmt_done(s);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    return rc == DB_ROW ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err change_get(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    return id ? answer_change(q, r, id, true) : zq_fail(r, ZQ_E_NOT_FOUND, NULL);
}

typedef struct {
    int64_t enterprise_id;
    const char *status, *region;
    const char *new_v[3], *old_v[3]; /* name, uscc, region */
} change_row;

/* Loads change `id` within the caller's scope, inside the transaction. */
static int load_change(zq_req *q, int64_t id, change_row *c)
{
    db_stmt *s = db_prepare(q->db, "SELECT c.enterprise_id, c.status, e.region, c.new_name, c.new_uscc, c.new_region,"
                                   " e.name, e.uscc, e.region FROM enterprise_change c"
                                   " JOIN enterprise e ON e.id = c.enterprise_id WHERE" CHANGE_SCOPE " AND c.id = $2");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, zq_scope_value(q), -1);
    db_bind_int64(s, 2, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        c->enterprise_id = db_col_int64(s, 0);
        c->status = zq_arena_strdup(q->arena, db_col_text(s, 1));
        c->region = zq_arena_strdup(q->arena, db_col_text(s, 2));
        for (int i = 0; i < 3; i++) {
            c->new_v[i] = db_col_dup(q->arena, s, 3 + i);
            c->old_v[i] = zq_arena_strdup(q->arena, db_col_text(s, 6 + i));
        }
    }
    db_stmt_done(s);
    return rc;
}

static int record_decision(zq_req *q, int64_t id, const char *status, const char *reason)
{
    db_stmt *s = db_prepare(q->db, SQL_DECIDE);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, status, -1);
    db_bind_text(s, 2, reason, -1);
    db_bind_int64(s, 3, q->session->staff_id);
    db_bind_int64(s, 4, q->now);
    db_bind_int64(s, 5, id);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    return n == 1 ? DB_OK : DB_DONE;
}

static int audit_decision(zq_req *q, int64_t id, const change_row *c, const char *extra)
{
    static const char *const KEYS[] = {"name", "uscc", "region"};
    zq_buf b;
    zq_buf_init(&b, 8192);
    zq_jw w;
    zq_jw_init(&w, &b);
    zq_jw_obj(&w);
    for (int i = 0; i < 3; i++) {
        if (!c->new_v[i]) continue;
        zq_jw_key(&w, KEYS[i]);
        zq_jw_arr(&w);
        zq_jw_str(&w, c->old_v[i]);
        zq_jw_str(&w, c->new_v[i]);
        zq_jw_arr_end(&w);
    }
    if (extra) zq_jw_kstr(&w, "reason", extra);
    zq_jw_obj_end(&w);
    const char *detail = b.overflow ? NULL : zq_arena_strndup(q->arena, b.data, b.len);
    zq_buf_free(&b);
    if (!detail) return -1;
    audit_entry e = {.object_type = "enterprise_change",
                     .object_id = hk_id_str(q, id),
                     .detail = detail,
                     .enterprise_id = c->enterprise_id,
                     .region = c->region};
    return audit_note(q, &e);
}

/* Starts the decision on change :id: the transaction is open and *c loaded
 * on ZQ_OK; otherwise the refusal is written and nothing is open. */
static zq_err begin_decision(zq_req *q, zq_resp *r, int64_t *id, change_row *c)
{
    *id = hk_param_id(q, "id");
    if (!*id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    rc = load_change(q, *id, c);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (strcmp(c->status, "pending") != 0)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该变更申请已处理或已撤回，请刷新后查看");
    return ZQ_OK;
}

static zq_err change_approve(zq_req *q, zq_resp *r)
{
    zq_in_only(q, r, (const char *const[]){NULL});
    if (r->err) return r->err;
    int64_t id;
    change_row c;
    zq_err e = begin_decision(q, r, &id, &c);
    if (e != ZQ_OK) return e;
    if (c.new_v[1]) {
        bool taken = false;
        int rc = ent_uscc_taken(q->db, c.new_v[1], c.enterprise_id, &taken);
        if (rc != DB_OK) return hk_fail_db(q, r, rc);
        if (taken) {
            db_rollback(q->db);
            zq_fail_field(q, r, "uscc", "该统一社会信用代码已被其他企业使用");
            return zq_fail(r, ZQ_E_USCC_REGISTERED, "申请的统一社会信用代码已被其他企业使用，请驳回并说明原因");
        }
    }
    db_stmt *s = db_prepare(q->db, SQL_APPLY);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    for (int i = 0; i < 3; i++) {
        if (c.new_v[i]) db_bind_text(s, i + 1, c.new_v[i], -1);
        else db_bind_null(s, i + 1);
    }
    db_bind_int64(s, 4, q->now);
    db_bind_int64(s, 5, c.enterprise_id);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT) {
        return hk_fail_tx(q, r, ZQ_E_USCC_REGISTERED, "申请的统一社会信用代码已被其他企业使用，请驳回并说明原因");
    }
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    /* the stored score follows every change of the firm's data */
    if (profile_completeness_refresh(q->db, c.enterprise_id) < 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = record_decision(q, id, "approved", NULL)) != DB_OK) return hk_fail_db(q, r, rc < 0 ? rc : DB_ERR);
    if (audit_decision(q, id, &c, NULL) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return answer_change(q, r, id, false);
}

static zq_err change_reject(zq_req *q, zq_resp *r)
{
    zq_in_only(q, r, (const char *const[]){"reason", NULL});
    const char *reason = zq_in_str(q, r, "reason", "驳回原因", true, REASON_MAX_CHARS);
    if (r->err) return r->err;
    int64_t id;
    change_row c;
    zq_err e = begin_decision(q, r, &id, &c);
    if (e != ZQ_OK) return e;
    int rc = record_decision(q, id, "rejected", reason);
    if (rc != DB_OK) return hk_fail_db(q, r, rc < 0 ? rc : DB_ERR);
    if (audit_decision(q, id, &c, reason) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return answer_change(q, r, id, false);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/enterprise-changes", changes_list, ZQ_ACCESS_STAFF, "enterprise.change_review", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/admin/enterprise-changes/:id", change_get, ZQ_ACCESS_STAFF, "enterprise.change_review", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/enterprise-changes/:id/approve", change_approve, ZQ_ACCESS_STAFF, "enterprise.change_review", ZQ_RF_JSON | ZQ_RF_SCOPED, 4096, "enterprise.change.approve"},
    {ZQ_POST, "/api/v1/admin/enterprise-changes/:id/reject", change_reject, ZQ_ACCESS_STAFF, "enterprise.change_review", ZQ_RF_JSON | ZQ_RF_SCOPED, 8192, "enterprise.change.reject"},
};
const zq_route_group change_review_routes = {routes, sizeof routes / sizeof routes[0]};
