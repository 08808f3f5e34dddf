/*
 * accept.c — 受理: the bureau starts the review of a submitted application
 * (declaration.review):
 *   POST /api/v1/admin/applications/:id/accept
 * submitted → district_review on a call with a district level (the firm's
 * district staff, or city staff), → city_review on a city-only call (city
 * staff). From then the firm can no longer withdraw it. A review decision on
 * a still-submitted application accepts it first (decl_accept_move), so the
 * timeline always shows 受理 before the decision.
 */
#include "declare/declare_internal.h"
#include "audit/audit.h"
#include "http/input.h"
#include "http/scope.h"
#include "http/session.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

static const char SQL_ACCEPT[] =
    "UPDATE decl_app SET status = CAST($2 AS VARCHAR), updated_at = $3 WHERE id = $1 AND status = 'submitted'";

static const char *accept_status(const decl_call *c)
{
    return decl_has_district(c) ? "district_review" : "city_review";
}

int decl_accept_move(zq_req *q, decl_app *a, const decl_call *c)
{
    const char *to = accept_status(c);
    db_stmt *s = db_prepare(q->db, SQL_ACCEPT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, a->id);
    db_bind_text(s, 2, to, -1);
    db_bind_int64(s, 3, q->now);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if (n != 1) return DB_DONE; /* someone else moved it first */
    rc = decl_event_add(q, a->id, "accept", decl_has_district(c) ? "district" : "city", NULL);
    if (rc != DB_OK) return rc;
    a->status = to;
    return DB_OK;
}

int decl_tell_firm(zq_req *q, const decl_app *a, const decl_call *c, const char *what)
{
    char link[64];
    snprintf(link, sizeof link, "/console/declarations/applications/%lld", (long long)a->id);
    /* keyed per step (the event count): a firm accepted again after a
     * return hears of it again */
    db_stmt *s = db_prepare(q->db, "SELECT COUNT(*) FROM decl_event WHERE app_id = $1");
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, a->id);
    int64_t seq = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    notify_msg m = {.topic = "declaration",
                    .template_code = "declaration.decision",
                    .ref_type = zq_arena_printf(q->arena, "decl_decision_%lld", (long long)seq),
                    .ref_id = a->id,
                    .params_json = decl_params(q->arena, c, "no", a->no, "decision", what),
                    .link = link};
    if (!m.params_json) return DB_ERR;
    return notify_enterprise(q->db, q->now, &m, a->enterprise_id, "declaration.submit", NULL);
}

zq_err decl_accept(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    decl_app a;
    decl_call c;
    int rc = id ? decl_app_load(q, id, &a) : DB_DONE;
    if (rc == DB_ROW && (!zq_scope_allows(q, a.region) || strcmp(a.status, "draft") == 0)) rc = DB_DONE;
    if (rc == DB_ROW) rc = decl_call_load(q, a.call_id, &c);
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, rc == DB_DONE ? "申报不存在" : NULL);
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (strcmp(a.status, "submitted") != 0) return zq_fail(r, ZQ_E_CONFLICT, "该申报不是待受理状态，不能受理");
    /* a city-only call has no district step: only the city accepts it */
    if (!decl_has_district(&c) && !zq_scope_citywide(q))
        return zq_fail(r, ZQ_E_UNPROCESSABLE, "该申报由市级直接审核，区县人员不能受理");
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    rc = decl_accept_move(q, &a, &c);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该申报刚被其他人受理或已撤回，请刷新后再看");
    if (rc != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (audit_note(q, &(audit_entry){.action = "declaration.accept",
                                     .object_type = "application",
                                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)a.id),
                                     .detail = zq_arena_printf(q->arena, "{\"status\":\"%s\"}", a.status),
                                     .enterprise_id = a.enterprise_id,
                                     .region = a.region}) != 0)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    /* the firm hears of it like of a decision */
    if (decl_tell_firm(q, &a, &c, "已受理") != DB_OK || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    notify_kick(q->app);
    return decl_answer_app(q, r, a.id);
}
