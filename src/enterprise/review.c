/*
 * review.c — the bureau's review of registrations (manual 1, 备注 2):
 *   GET  /api/v1/admin/registrations               list (status, region, q, paging)
 *   GET  /api/v1/admin/registrations/:id           the whole application
 *   POST /api/v1/admin/registrations/:id/approve   pending → approved
 *   POST /api/v1/admin/registrations/:id/reject    pending → rejected {reason}
 * District staff see and act on their own district only; anything else
 * answers 404 exactly like a registration that does not exist. City and
 * super staff see every district.
 *
 * Approving an application made by a non-legal-rep (`staff`) gives the
 * legal representative an account (the phone on the form; the manual's
 * initial password 888888, to be changed at first login) and a legal-rep
 * membership, so every approved enterprise has someone who administers it.
 */
#include "http/context.h"
#include "http/scope.h"
#include "enterprise/enterprise.h"
#include "handler/filter.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "auth/password.h"
#include "core/text.h"
#include "db/db.h"
#include "member/member.h"
#include "profile/profile.h"
#include "enterprise/form.h"
#include "http/input.h"
#include <string.h>

#define REASON_MAX_CHARS 500
#define Q_MAX_CHARS 100
#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100

/* the list's WHERE comes from the filter builder (handler/filter.h) */
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM enterprise e%s";
static const char SQL_LIST[] =
    "SELECT e.id, e.name, e.uscc, e.region, rg.name, e.status, e.channel, e.applicant_role,"
    " e.contact_name, e.contact_phone, e.submitted_at, e.reviewed_at"
    " FROM enterprise e LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = e.region%s"
    " ORDER BY e.submitted_at DESC, e.id DESC";
static const char SQL_STATE[] = "SELECT region, status FROM enterprise WHERE id = $1";
static const char SQL_APPROVE[] =
    "UPDATE enterprise SET status = 'approved', reject_reason = NULL, reviewed_by = $1, reviewed_at = $2,"
    " updated_at = $2 WHERE id = $3 AND status = 'pending' AND ($4 = '' OR region = $4)";
static const char SQL_REJECT[] =
    "UPDATE enterprise SET status = 'rejected', reject_reason = $5, reviewed_by = $1, reviewed_at = $2,"
    " updated_at = $2 WHERE id = $3 AND status = 'pending' AND ($4 = '' OR region = $4)";
static const char SQL_AFTER[] =
    "SELECT region, applicant_role, legal_rep_name, legal_rep_phone FROM enterprise WHERE id = $1";
static const char SQL_USER_BY_PHONE[] = "SELECT id FROM app_user WHERE phone = $1";
static const char SQL_USER_CREATE[] =
    "INSERT INTO app_user(phone, name, password_hash, must_change_password, created_at, updated_at)"
    " VALUES ($1, $2, $3, 1, $4, $4) RETURNING id";
static const char SQL_LEGAL_MEMBER[] =
    "INSERT INTO membership(enterprise_id, user_id, is_legal_rep, status, created_at, updated_at)"
    " VALUES ($1, $2, 1, 'active', $3, $3)"
    " ON CONFLICT (enterprise_id, user_id) DO UPDATE SET is_legal_rep = 1, status = 'active', updated_at = $3";


static zq_err review_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size;
    zq_in_page(q, r, &page, &page_size, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    const char *status = zq_req_query(q, "status");
    const char *region = zq_req_query(q, "region");
    const char *text = zq_req_query(q, "q");
    if (status && *status && strcmp(status, "pending") != 0 && strcmp(status, "approved") != 0 &&
        strcmp(status, "rejected") != 0)
        zq_fail_field(q, r, "status", "状态须为 pending、approved 或 rejected");
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "行政区划不正确");
    if (text && zq_utf8_len(text) > Q_MAX_CHARS) zq_fail_field(q, r, "q", "关键字过长");
    if (r->err) return r->err;
    hk_filter f;
    hk_filter_init(&f, 1);
    hk_filter_scope(&f, q, "e.region");
    hk_filter_text(&f, "e.region = $%d", region);
    hk_filter_text(&f, "e.status = $%d", status);
    if (text && *text) {
        const char *like[] = {zq_like_pattern(q->arena, text, ZQ_LIKE_CONTAINS),
                              zq_like_pattern(q->arena, text, ZQ_LIKE_CONTAINS | ZQ_LIKE_UPPER), NULL};
        if (!like[0] || !like[1]) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        hk_filter_texts(&f, "(e.name LIKE $%d ESCAPE '\\' OR e.uscc LIKE $%d ESCAPE '\\')", like);
    }
    int64_t total = 0;
    db_stmt *s;
    if (hk_filter_page(q, r, &f, SQL_COUNT, SQL_LIST, page, page_size, &total, &s) != ZQ_OK) return r->err;
    int rc;
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", db_col_int64(s, 0));
        zq_jw_kstr(&w, "name", db_col_text(s, 1));
        zq_jw_kstr(&w, "uscc", db_col_text(s, 2));
        zq_jw_kstr(&w, "region", db_col_text(s, 3));
        zq_jw_kstr(&w, "region_name", db_col_is_null(s, 4) ? NULL : db_col_text(s, 4));
        zq_jw_kstr(&w, "status", db_col_text(s, 5));
        zq_jw_kstr(&w, "channel", db_col_text(s, 6));
        zq_jw_kstr(&w, "applicant_role", db_col_text(s, 7));
        zq_jw_kstr(&w, "contact_name", db_col_text(s, 8));
        zq_jw_kstr(&w, "contact_phone", audit_mask_phone(q->arena, db_col_text(s, 9)));
        hk_jw_time(&w, "submitted_at", db_col_int64(s, 10));
        hk_jw_time(&w, "reviewed_at", db_col_int64(s, 11));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

/* Region and status of registration id when the caller may see it:
 * DB_ROW, DB_DONE (no such registration, or another district's), or a
 * negative db_rc. */
static int load_scoped(zq_req *q, int64_t id, const char **region, const char **status)
{
    const char *scope = zq_scope_value(q);
    db_stmt *s = db_prepare(q->db, SQL_STATE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *region = zq_arena_strdup(q->arena, db_col_text(s, 0));
        *status = zq_arena_strdup(q->arena, db_col_text(s, 1));
        if (*scope && strcmp(*region, scope) != 0) rc = DB_DONE;
    }
    db_stmt_done(s);
    return rc;
}

static zq_err respond_app(zq_req *q, zq_resp *r, int64_t id)
{
    zq_jw w;
    zq_resp_json(r, &w, 200);
    int rc = ent_app_write(q, &w, id, true);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return ZQ_OK;
}

static zq_err review_get(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    const char *region, *status;
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    int rc = load_scoped(q, id, &region, &status);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return respond_app(q, r, id);
}

/* After approval of a `staff` application: the legal rep's account (found
 * by phone, or created with the initial password and a forced change) gets
 * a legal-rep membership. *created tells which. Returns DB_OK or a db_rc. */
static int ensure_legal_rep(zq_req *q, int64_t eid, const char *name, const char *phone, bool *created)
{
    int64_t uid = 0;
    *created = false;
    db_stmt *s = db_prepare(q->db, SQL_USER_BY_PHONE);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, phone, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) uid = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (!uid) {
        char hash[AUTH_PW_HASH_MAX];
        auth_pw_cost cost = {q->app->pw_ops, q->app->pw_mem};
        if (auth_pw_hash(AUTH_INITIAL_PASSWORD, cost, hash) != 0) return DB_ERR;
        if (!(s = db_prepare(q->db, SQL_USER_CREATE))) return DB_ERR;
        db_bind_text(s, 1, phone, -1);
        db_bind_text(s, 2, name, -1);
        db_bind_text(s, 3, hash, -1);
        db_bind_int64(s, 4, q->now);
        rc = db_step(s);
        if (rc == DB_ROW) uid = db_col_int64(s, 0);
        db_stmt_done(s);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
        *created = true;
    }
    if (!(s = db_prepare(q->db, SQL_LEGAL_MEMBER))) return DB_ERR;
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, uid);
    db_bind_int64(s, 3, q->now);
    rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* Shared by approve and reject: a conditional UPDATE (pending, in scope)
 * so two reviewers racing cannot both decide. */
static zq_err decide(zq_req *q, zq_resp *r, bool approve)
{
    int64_t id = hk_param_id(q, "id");
    const char *reason = NULL;
    if (!approve) {
        static const char *const keys[] = {"reason", NULL};
        zq_in_only(q, r, keys);
        reason = zq_in_str(q, r, "reason", "退回原因", true, REASON_MAX_CHARS);
        if (r->err) return r->err;
    } else if (zq_in_none(q, r)) {
        return r->err;
    }
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    const char *scope = zq_scope_value(q);

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, approve ? SQL_APPROVE : SQL_REJECT);
    if (!s) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, q->session->staff_id);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, id);
    db_bind_text(s, 4, scope, -1);
    if (!approve) db_bind_text(s, 5, reason, -1);
    rc = db_step(s);
    int64_t changed = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (changed != 1) {
        const char *region, *status;
        rc = load_scoped(q, id, &region, &status);
        if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, NULL);
        if (rc != DB_ROW) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
        return hk_fail_tx(q, r, ZQ_E_CONFLICT,
                       strcmp(status, "approved") == 0 ? "该注册申请已审核通过，不能重复审核"
                       : strcmp(status, "rejected") == 0 ? "该注册申请已退回，需企业修改后重新提交"
                                                         : "该注册申请当前不能审核");
    }

    /* the row is ours now (locked on PostgreSQL by the UPDATE) */
    if (!(s = db_prepare(q->db, SQL_AFTER))) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    rc = db_step(s);
    const char *region = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 0)) : NULL;
    bool staff_applicant = rc == DB_ROW && strcmp(db_col_text(s, 1), "staff") == 0;
    const char *lr_name = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 2)) : NULL;
    const char *lr_phone = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 3)) : NULL;
    db_stmt_done(s);
    if (rc != DB_ROW || !region || !lr_name || !lr_phone) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);

    const char *detail = NULL;
    if (approve && staff_applicant) {
        bool created = false;
        if (ensure_legal_rep(q, id, lr_name, lr_phone, &created) != DB_OK) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
        detail = zq_arena_printf(q->arena, "{\"legal_rep_phone\":\"%s\",\"legal_rep_account\":\"%s\"}",
                                 audit_mask_phone(q->arena, lr_phone), created ? "created" : "existing");
    } else if (!approve) {
        zq_buf b;
        zq_buf_init(&b, 4096);
        zq_buf_puts(&b, "{\"reason\":");
        zq_json_escape(&b, reason, strlen(reason));
        zq_buf_puts(&b, "}");
        detail = b.overflow ? NULL : zq_arena_strdup(q->arena, b.data);
        zq_buf_free(&b);
    }
    /* default roles (管理员, 业务员, 只读) exist from the moment the firm is approved */
    if (approve && member_create_default_roles(q->db, id, q->now) < 0) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    /* the directory filters on the stored score: an approved firm starts with its real one */
    if (approve && profile_completeness_refresh(q->db, id) < 0) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    audit_entry a = {
        .object_type = "enterprise",
        .object_id = zq_arena_printf(q->arena, "%lld", (long long)id),
        .enterprise_id = id,
        .region = region,
        .detail = detail,
    };
    if (audit_note(q, &a) != 0) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    return respond_app(q, r, id);
}

static zq_err review_approve(zq_req *q, zq_resp *r) { return decide(q, r, true); }
static zq_err review_reject(zq_req *q, zq_resp *r) { return decide(q, r, false); }

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/registrations", review_list, ZQ_ACCESS_STAFF, "registration.review", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/admin/registrations/:id", review_get, ZQ_ACCESS_STAFF, "registration.review", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/registrations/:id/approve", review_approve, ZQ_ACCESS_STAFF, "registration.review", ZQ_RF_JSON | ZQ_RF_SCOPED, 0, "registration.approve"},
    {ZQ_POST, "/api/v1/admin/registrations/:id/reject", review_reject, ZQ_ACCESS_STAFF, "registration.review", ZQ_RF_JSON | ZQ_RF_SCOPED, 0, "registration.reject"},
};
const zq_route_group review_routes = {routes, sizeof routes / sizeof routes[0]};
