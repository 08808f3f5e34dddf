/*
 * member.c — the firm's consultations (console 咨询建议), permission
 * consult.submit; another enterprise's consultation answers 404:
 *   GET  /api/v1/enterprise/consultations            the enterprise's, newest first (?status=&page=)
 *   POST /api/v1/enterprise/consultations            {kind, category, title, content, attachments, publishable}
 *   GET  /api/v1/enterprise/consultations/:id        the thread
 *   POST /api/v1/enterprise/consultations/:id/messages  {content, attachments} follow-up: reopens, new deadline
 *   POST /api/v1/enterprise/consultations/:id/rate   {rating: satisfied|basically|unsatisfied, comment}
 */
#include "consult/consult_internal.h"
#include "handler/filter.h"
#include "http/input.h"
#include "notify/notify.h"
#include <string.h>

#define CS_PAGE_DEFAULT 20
#define CS_PAGE_MAX 100

static const char SQL_REGION[] = "SELECT region FROM enterprise WHERE id = $1";
/* the firm's list: its own rows, the status filter a bound fragment (handler/filter.h) */
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM consultation c%s";
static const char SQL_LIST[] = "SELECT " CS_LIST_COLS " FROM consultation c%s ORDER BY c.id DESC";
static const char SQL_REOPEN[] =
    "UPDATE consultation SET status = 'reopened', due_at = $2, updated_at = $3 WHERE id = $1";
static const char SQL_RATE[] =
    "UPDATE consultation SET status = 'closed', closed_at = $2, rating = $3, rating_comment = $4, review_needed = $5,"
    " updated_at = $2 WHERE id = $1";
static const char SQL_SUPERVISOR[] =
    "SELECT u.supervisor_id FROM consultation c JOIN consult_unit u ON u.id = c.unit_id"
    " WHERE c.id = $1 AND u.supervisor_id IS NOT NULL";

static const char *const statuses[] = {"submitted", "acknowledged", "answered", "reopened", "closed", NULL};

static int one_text(zq_req *q, const char *sql, int64_t id, const char **out)
{
    *out = NULL;
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW && !db_col_is_null(s, 0)) *out = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static bool status_known(const char *s)
{
    for (int i = 0; statuses[i]; i++)
        if (!strcmp(statuses[i], s)) return true;
    return false;
}

static zq_err list(zq_req *q, zq_resp *r)
{
    const char *status = zq_req_query(q, "status");
    if (!status) status = "";
    if (*status && !status_known(status)) zq_fail_field(q, r, "status", "状态不正确");
    int64_t page, size;
    zq_in_page(q, r, &page, &size, CS_PAGE_DEFAULT, CS_PAGE_MAX);
    if (r->err) return r->err;
    hk_filter f;
    hk_filter_init(&f, 1);
    hk_filter_num(&f, "c.enterprise_id = $%d", q->session->enterprise_id);
    hk_filter_text(&f, "c.status = $%d", status);
    int64_t total = 0;
    db_stmt *s;
    if (hk_filter_page(q, r, &f, SQL_COUNT, SQL_LIST, page, size, &total, &s) != ZQ_OK) return r->err;
    return cs_respond_page(q, r, s, CS_VIEW_FIRM, total, page, size);
}

static zq_err create(zq_req *q, zq_resp *r)
{
    cs_submission sub;
    if (cs_read_submission(q, r, NULL, &sub) != ZQ_OK) return r->err;
    int64_t eid = q->session->enterprise_id, id = 0;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    const char *region = NULL;
    int rc = one_text(q, SQL_REGION, eid, &region);
    if (rc == DB_OK) rc = cs_insert(q, &sub, eid, q->session->user_id, NULL, region, &id);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if (hk_note(q, eid, "consultation", id, zq_arena_printf(q->arena, "{\"category\":%s,\"kind\":%s}",
                                                             hk_json_str(q, sub.category), hk_json_str(q, sub.kind))) != 0)
        return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return cs_respond_detail(q, r, id, CS_VIEW_FIRM, 201);
}

static zq_err detail(zq_req *q, zq_resp *r)
{
    cs_row row;
    int rc = cs_load(q, hk_param_id(q, "id"), CS_VIEW_FIRM, q->session->enterprise_id, false, &row);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "咨询不存在");
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    return cs_respond_detail(q, r, row.id, CS_VIEW_FIRM, 200);
}

static zq_err follow_up(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"content", "attachments", NULL};
    zq_in_only(q, r, keys);
    const char *html = NULL, *text = NULL;
    cs_read_rich(q, r, "content", "追问内容", CS_CONTENT_MAX, &html, &text);
    const char *att = cs_read_attachments(q, r);
    if (r->err) return r->err;
    int64_t eid = q->session->enterprise_id;
    cs_row row;
    zq_err e = cs_begin_on(q, r, CS_VIEW_FIRM, eid, &row);
    if (e != ZQ_OK) return e;
    int rc;
    if (strcmp(row.status, "closed") == 0) return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "咨询已办结，如有新问题请重新提交");
    /* a follow-up on an open thread adds to it; on an answered one it reopens with a new deadline */
    bool reopen = strcmp(row.status, "answered") == 0;
    if ((rc = cs_add_message(q, row.id, "user", q->session->user_id, html, text, att)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if (reopen) {
        int ack, answer;
        int64_t due;
        if ((rc = cs_sla_days(q->db, row.category, row.kind, &ack, &answer)) != DB_OK ||
            (rc = cs_sla_due(q->db, q->now, answer, &due)) != DB_OK)
            return hk_fail_db(q, r, rc);
        db_stmt *s = db_prepare(q->db, SQL_REOPEN);
        if (!s) return hk_fail_db(q, r, DB_ERR);
        db_bind_int64(s, 1, row.id);
        db_bind_int64(s, 2, due);
        db_bind_int64(s, 3, q->now);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    }
    if ((rc = cs_add_event(q, row.id, reopen ? "reopened" : "followed_up", NULL)) != DB_OK) return hk_fail_db(q, r, rc);
    if (hk_note(q, eid, "consultation", row.id, reopen ? "{\"reopened\":true}" : "{\"reopened\":false}") != 0)
        return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return cs_respond_detail(q, r, row.id, CS_VIEW_FIRM, 200);
}

static zq_err rate(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"rating", "comment", NULL};
    zq_in_only(q, r, keys);
    const char *rating = zq_in_str(q, r, "rating", "评价", true, 16);
    if (rating && strcmp(rating, "satisfied") && strcmp(rating, "basically") && strcmp(rating, "unsatisfied"))
        zq_fail_field(q, r, "rating", "评价只能是满意、基本满意或不满意");
    const char *comment = zq_in_str(q, r, "comment", "评价意见", false, CS_COMMENT_MAX);
    if (r->err) return r->err;
    bool unsatisfied = strcmp(rating, "unsatisfied") == 0;
    int64_t eid = q->session->enterprise_id;
    cs_row row;
    zq_err e = cs_begin_on(q, r, CS_VIEW_FIRM, eid, &row);
    if (e != ZQ_OK) return e;
    int rc;
    if (strcmp(row.status, "closed") == 0) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该咨询已评价");
    if (!row.answered_at) return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE, "咨询尚未答复，答复后才能评价");
    db_stmt *s = db_prepare(q->db, SQL_RATE);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, row.id);
    db_bind_int64(s, 2, q->now);
    db_bind_text(s, 3, rating, -1);
    if (comment) db_bind_text(s, 4, comment, -1);
    else db_bind_null(s, 4);
    db_bind_int64(s, 5, unsatisfied ? 1 : 0);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE || (rc = cs_add_event(q, row.id, "rated", rating)) != DB_OK) return hk_fail_db(q, r, rc);
    if (unsatisfied) {
        /* 不满意 goes to the unit's supervisor for review */
        int64_t sup = 0;
        if (!(s = db_prepare(q->db, SQL_SUPERVISOR))) return hk_fail_db(q, r, DB_ERR);
        db_bind_int64(s, 1, row.id);
        rc = db_step(s);
        if (rc == DB_ROW) sup = db_col_int64(s, 0);
        db_stmt_done(s);
        if (rc != DB_ROW && rc != DB_DONE) return hk_fail_db(q, r, rc);
        notify_msg m = {.topic = "consult", .template_code = "consult.review", .ref_type = "consultation",
                        .ref_id = row.id,
                        .params_json = zq_arena_printf(q->arena, "{\"title\":%s}", hk_json_str(q, row.title)),
                        .link = zq_arena_printf(q->arena, "/admin/consultations/%lld", (long long)row.id)};
        if (sup && (rc = notify_account(q->db, q->now, &m, "staff", sup)) != DB_OK) return hk_fail_db(q, r, rc);
    }
    if (hk_note(q, eid, "consultation", row.id, zq_arena_printf(q->arena, "{\"rating\":%s}", hk_json_str(q, rating))) != 0)
        return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    notify_kick(q->app);
    return cs_respond_detail(q, r, row.id, CS_VIEW_FIRM, 200);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/consultations", list, ZQ_ACCESS_MEMBER, "consult.submit", 0, 0, NULL},
    {ZQ_POST, "/api/v1/enterprise/consultations", create, ZQ_ACCESS_MEMBER, "consult.submit", ZQ_RF_JSON, 64 << 10,
     "consult.submit"},
    {ZQ_GET, "/api/v1/enterprise/consultations/:id", detail, ZQ_ACCESS_MEMBER, "consult.submit", 0, 0, NULL},
    {ZQ_POST, "/api/v1/enterprise/consultations/:id/messages", follow_up, ZQ_ACCESS_MEMBER, "consult.submit",
     ZQ_RF_JSON, 64 << 10, "consult.followup"},
    {ZQ_POST, "/api/v1/enterprise/consultations/:id/rate", rate, ZQ_ACCESS_MEMBER, "consult.submit", ZQ_RF_JSON,
     8 << 10, "consult.rate"},
};
const zq_route_group consult_member_routes = {routes, sizeof routes / sizeof routes[0]};
