/*
 * admin.c — the bureau's 咨询处理 queue, district-scoped by the firm's
 * district (a consultation outside the caller's district answers 404):
 *   GET  /api/v1/admin/consultations?status=&unit=&overdue=&page=   (consult.handle | consult.supervise)
 *   GET  /api/v1/admin/consultations/:id                             the thread, who asked, every step
 *   POST /api/v1/admin/consultations/:id/reply   {content, attachments}  (consult.handle) → answered, firm notified
 *   POST /api/v1/admin/consultations/:id/assign  {unit_id, reason}       (consult.handle) → acknowledged
 *   POST /api/v1/admin/consultations/:id/publish {publish: true|false}   (consult.handle) public Q&A
 */
#include "consult/consult_internal.h"
#include "core/text.h"
#include "handler/filter.h"
#include "http/input.h"
#include "http/scope.h"
#include "notify/notify.h"
#include <string.h>

#define CS_PAGE_DEFAULT 20
#define CS_PAGE_MAX 100
#define CS_REASON_MAX 200

/* the queue's filters: fixed fragments, values bound (handler/filter.h) */
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM consultation c%s";
/* open ones first, the most urgent deadline first */
static const char SQL_LIST[] =
    "SELECT " CS_LIST_COLS " FROM consultation c%s"
    " ORDER BY CASE WHEN c.status IN ('submitted', 'acknowledged', 'reopened') THEN 0 ELSE 1 END, c.due_at, c.id DESC";
static const char SQL_REPLY[] =
    "UPDATE consultation SET status = 'answered', answered_at = CASE WHEN answered_at = 0 THEN $2 ELSE answered_at END,"
    " acknowledged_at = CASE WHEN acknowledged_at = 0 THEN $2 ELSE acknowledged_at END, last_reply_at = $2,"
    " updated_at = $2 WHERE id = $1";
static const char SQL_UNIT[] = "SELECT name, region FROM consult_unit WHERE id = $1";
static const char SQL_ASSIGN[] =
    "UPDATE consultation SET unit_id = $2, status = CASE WHEN status = 'submitted' THEN 'acknowledged' ELSE status END,"
    " acknowledged_at = CASE WHEN acknowledged_at = 0 THEN $3 ELSE acknowledged_at END, updated_at = $3 WHERE id = $1";
static const char SQL_PUBLISH[] = "UPDATE consultation SET published_at = $2, updated_at = $3 WHERE id = $1";

static zq_err list(zq_req *q, zq_resp *r)
{
    const char *status = zq_req_query(q, "status");
    if (!status) status = "";
    if (*status && strcmp(status, "submitted") && strcmp(status, "acknowledged") && strcmp(status, "answered") &&
        strcmp(status, "reopened") && strcmp(status, "closed"))
        zq_fail_field(q, r, "status", "状态不正确");
    int64_t unit = 0;
    const char *u = zq_req_query(q, "unit");
    if (u && *u && !zq_parse_int64(u, 1, INT64_MAX, &unit)) zq_fail_field(q, r, "unit", "办理单位不正确");
    const char *ov = zq_req_query(q, "overdue");
    bool overdue = ov && !strcmp(ov, "true");
    if (ov && *ov && !overdue && strcmp(ov, "false")) zq_fail_field(q, r, "overdue", "overdue 只能是 true 或 false");
    int64_t page, size;
    zq_in_page(q, r, &page, &size, CS_PAGE_DEFAULT, CS_PAGE_MAX);
    if (r->err) return r->err;
    hk_filter f;
    hk_filter_init(&f, 1);
    hk_filter_scope(&f, q, "c.region");
    hk_filter_text(&f, "c.status = $%d", status);
    if (unit) hk_filter_num(&f, "c.unit_id = $%d", unit);
    if (overdue) hk_filter_num(&f, "c.status IN ('submitted', 'acknowledged', 'reopened') AND c.due_at < $%d", q->now);
    int64_t total = 0;
    db_stmt *s;
    if (hk_filter_page(q, r, &f, SQL_COUNT, SQL_LIST, page, size, &total, &s) != ZQ_OK) return r->err;
    return cs_respond_page(q, r, s, CS_VIEW_STAFF, total, page, size);
}

static zq_err detail(zq_req *q, zq_resp *r)
{
    cs_row row;
    int rc = cs_load(q, hk_param_id(q, "id"), CS_VIEW_STAFF, 0, false, &row);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "咨询不存在");
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    return cs_respond_detail(q, r, row.id, CS_VIEW_STAFF, 200);
}

/* Runs sql with $1 = id, $2 = a and, when the statement has it, $3 = b. */
static int exec_id(zq_req *q, const char *sql, int64_t id, int64_t a, int64_t b)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, a);
    if (strstr(sql, "$3")) db_bind_int64(s, 3, b);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static zq_err reply(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"content", "attachments", NULL};
    cs_row row;
    if (cs_begin_on(q, r, CS_VIEW_STAFF, 0, &row) != ZQ_OK) return r->err;
    zq_in_only(q, r, keys);
    const char *html = NULL, *text = NULL;
    cs_read_rich(q, r, "content", "答复内容", CS_CONTENT_MAX, &html, &text);
    const char *att = cs_read_attachments(q, r);
    if (r->err) return hk_fail_tx(q, r, r->err, NULL);
    if (!strcmp(row.status, "closed")) return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "咨询已办结，不能再答复");
    int rc = cs_add_message(q, row.id, "staff", q->session->staff_id, html, text, att);
    if (rc == DB_OK) rc = exec_id(q, SQL_REPLY, row.id, q->now, 0);
    if (rc == DB_OK) rc = cs_add_event(q, row.id, "replied", NULL);
    if (rc == DB_OK && row.user_id) {
        notify_msg m = {.topic = "consult", .template_code = "consult.replied", .ref_type = "consultation",
                        .ref_id = row.id,
                        .params_json = zq_arena_printf(q->arena, "{\"title\":%s}", hk_json_str(q, row.title)),
                        .link = zq_arena_printf(q->arena, "/console/consultations/%lld", (long long)row.id)};
        /* notify is idempotent per thread and template: the firm is told once that an
         * answer came; later answers of the same thread show in it */
        rc = notify_account(q->db, q->now, &m, "user", row.user_id);
    }
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if (hk_note(q, row.enterprise_id, "consultation", row.id, NULL) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    notify_kick(q->app);
    return cs_respond_detail(q, r, row.id, CS_VIEW_STAFF, 200);
}

static zq_err assign(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"unit_id", "reason", NULL};
    cs_row row;
    if (cs_begin_on(q, r, CS_VIEW_STAFF, 0, &row) != ZQ_OK) return r->err;
    zq_in_only(q, r, keys);
    int64_t unit = zq_in_int(q, r, "unit_id", "办理单位", true, 1, INT64_MAX, NULL);
    const char *reason = zq_in_str(q, r, "reason", "转办理由", true, CS_REASON_MAX);
    if (r->err) return hk_fail_tx(q, r, r->err, NULL);
    if (!strcmp(row.status, "closed")) return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "咨询已办结，不能再转办");
    db_stmt *s = db_prepare(q->db, SQL_UNIT);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, unit);
    int rc = db_step(s);
    const char *name = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 0)) : NULL;
    db_stmt_done(s);
    if (rc == DB_DONE) {
        zq_fail_field(q, r, "unit_id", "办理单位不存在");
        return hk_fail_tx(q, r, ZQ_E_VALIDATION, NULL);
    }
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    const char *detail = zq_arena_printf(q->arena, "{\"unit_id\":%lld,\"unit\":%s,\"reason\":%s}", (long long)unit,
                                         hk_json_str(q, name), hk_json_str(q, reason));
    if ((rc = exec_id(q, SQL_ASSIGN, row.id, unit, q->now)) != DB_OK ||
        (rc = cs_add_event(q, row.id, "assigned", detail)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if (hk_note(q, row.enterprise_id, "consultation", row.id, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return cs_respond_detail(q, r, row.id, CS_VIEW_STAFF, 200);
}

static zq_err publish(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"publish", NULL};
    cs_row row;
    if (cs_begin_on(q, r, CS_VIEW_STAFF, 0, &row) != ZQ_OK) return r->err;
    zq_in_only(q, r, keys);
    bool on = zq_in_bool(q, r, "publish", "是否公开", true);
    if (r->err) return hk_fail_tx(q, r, r->err, NULL);
    if (on && !row.publishable) return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "提问人未同意公开，不能发布");
    if (on && !row.answered_at) return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "咨询尚未答复，答复后才能公开");
    int rc = exec_id(q, SQL_PUBLISH, row.id, on ? (row.published_at ? row.published_at : q->now) : 0, q->now);
    if (rc == DB_OK) rc = cs_add_event(q, row.id, on ? "published" : "unpublished", NULL);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if (hk_note(q, row.enterprise_id, "consultation", row.id, on ? "{\"publish\":true}" : "{\"publish\":false}") != 0)
        return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return cs_respond_detail(q, r, row.id, CS_VIEW_STAFF, 200);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/consultations", list, ZQ_ACCESS_STAFF, "consult.handle|consult.supervise", ZQ_RF_SCOPED,
     0, NULL},
    {ZQ_GET, "/api/v1/admin/consultations/:id", detail, ZQ_ACCESS_STAFF, "consult.handle|consult.supervise",
     ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/consultations/:id/reply", reply, ZQ_ACCESS_STAFF, "consult.handle",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 64 << 10, "consult.reply"},
    {ZQ_POST, "/api/v1/admin/consultations/:id/assign", assign, ZQ_ACCESS_STAFF, "consult.handle",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 4 << 10, "consult.assign"},
    {ZQ_POST, "/api/v1/admin/consultations/:id/publish", publish, ZQ_ACCESS_STAFF, "consult.handle",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 1 << 10, "consult.publish"},
};
const zq_route_group consult_admin_routes = {routes, sizeof routes / sizeof routes[0]};
