/*
 * calls_admin.c — the bureau's calls (declaration.manage):
 *   GET/POST /api/v1/admin/declarations, GET/PUT/DELETE /api/v1/admin/declarations/:id,
 *   POST /:id/publish, POST /:id/extend {"close_at"}, POST /:id/close,
 *   POST /:id/results {"objection_days"} (公示).
 * A call made by district staff is that district's (targets forced to it);
 * district staff see city calls (their firms apply to them) but change only
 * their own. PUT and DELETE only while a draft; a published call changes by
 * extend / close / results only, so no submission is ever lost.
 */
#include "declare/call_form.h"
#include "declare/declare.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/context.h"
#include "http/input.h"
#include "http/scope.h"
#include "http/session.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO decl_call(status, title, body_html, body_text, department, policy_id, contact, targets_json, open_at,"
    " close_at, levels, slots_json, fields_json, criteria_json, region, created_by, created_at, updated_at)"
    " VALUES ('draft', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE decl_call SET title = $2, body_html = $3, body_text = $4, department = $5, policy_id = $6, contact = $7,"
    " targets_json = $8, open_at = $9, close_at = $10, levels = $11, slots_json = $12, fields_json = $13,"
    " criteria_json = $14, updated_at = $15 WHERE id = $1 AND status = 'draft'";
static const char SQL_TPL_CLEAR[] = "DELETE FROM decl_template WHERE call_id = $1";
static const char SQL_TPL_ADD[] = "INSERT INTO decl_template(call_id, file_id, sort) VALUES ($1, $2, $3)";
static const char SQL_DELETE[] = "DELETE FROM decl_call WHERE id = $1 AND status = 'draft'";
static const char SQL_PUBLISH[] =
    "UPDATE decl_call SET status = 'published', published_at = $2, updated_at = $2 WHERE id = $1 AND status = 'draft'";
static const char SQL_EXTEND[] =
    "UPDATE decl_call SET close_at = $3, status = 'published', closed_at = 0, updated_at = $2"
    " WHERE id = $1 AND status IN ('published', 'closed') AND close_at < $3";
/* drafts left behind can no longer be submitted: the close time becomes now */
static const char SQL_CLOSE[] =
    "UPDATE decl_call SET status = 'closed', closed_at = $2, updated_at = $2,"
    " close_at = CASE WHEN close_at > $2 THEN $2 ELSE close_at END WHERE id = $1 AND status = 'published'";
static const char SQL_RESULTS[] =
    "UPDATE decl_call SET status = 'results', results_at = $2, objection_until = $3, updated_at = $2"
    " WHERE id = $1 AND status IN ('published', 'closed') AND close_at <= $2";
static const char SQL_COUNTS[] = "SELECT status, COUNT(*) FROM decl_app WHERE call_id = $1 GROUP BY status";

/* What the route's audit record is about (the pipeline writes it at the
 * commit, docs/audit.md). 0 or -1. */
static int call_audit(zq_req *q, const char *verb, int64_t id, const char *region, const char *detail)
{
    return audit_note(q, &(audit_entry){.action = zq_arena_printf(q->arena, "declaration.%s", verb),
                                          .object_type = "declaration",
                                          .object_id = zq_arena_printf(q->arena, "%lld", (long long)id),
                                          .detail = detail,
                                          .region = region});
}

/* Loads :id visible in this scope (district staff: city calls and their own). */
static int load_visible(zq_req *q, zq_resp *r, decl_call *c)
{
    int64_t id = hk_param_id(q, "id");
    int rc = id ? decl_call_load(q, id, c) : DB_DONE;
    if (rc == DB_ROW && c->region && !zq_scope_allows(q, c->region)) rc = DB_DONE;
    if (rc == DB_DONE) zq_fail(r, ZQ_E_NOT_FOUND, "申报通知不存在");
    else if (rc != DB_ROW) zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return rc;
}

/* Loaded and changeable by this account: city calls by city staff only. */
static int load_own(zq_req *q, zq_resp *r, decl_call *c)
{
    int rc = load_visible(q, r, c);
    if (rc == DB_ROW && !c->region && !zq_scope_citywide(q)) {
        zq_fail(r, ZQ_E_FORBIDDEN, "市级申报通知只能由市级人员修改");
        return DB_DONE;
    }
    return rc;
}

static void bind_opt(db_stmt *s, int i, const char *v)
{
    if (v) db_bind_text(s, i, v, -1);
    else db_bind_null(s, i);
}

/* The form's 13 columns (title … criteria_json, as SQL_INSERT and
 * SQL_UPDATE list them) from parameter first on. */
static void bind_form(db_stmt *s, int first, const decl_call_form *f, const char *targets_json)
{
    int i = first;
    db_bind_text(s, i++, f->title, -1);
    db_bind_text(s, i++, f->body_html, -1);
    db_bind_text(s, i++, f->body_text, -1);
    bind_opt(s, i++, f->department);
    if (f->policy_id) db_bind_int64(s, i++, f->policy_id);
    else db_bind_null(s, i++);
    bind_opt(s, i++, f->contact);
    db_bind_text(s, i++, targets_json, -1);
    db_bind_int64(s, i++, f->open_at);
    db_bind_int64(s, i++, f->close_at);
    db_bind_text(s, i++, f->levels, -1);
    db_bind_text(s, i++, f->slots_json, -1);
    db_bind_text(s, i++, f->fields_json, -1);
    db_bind_text(s, i, f->criteria_json, -1);
}

static int write_templates(zq_req *q, int64_t id, const decl_call_form *f)
{
    db_stmt *s = db_prepare(q->db, SQL_TPL_CLEAR);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    db_stmt_done(s);
    for (int i = 0; rc == DB_DONE && i < f->ntemplates; i++) {
        if (!(s = db_prepare(q->db, SQL_TPL_ADD))) return DB_ERR;
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, f->templates[i]);
        db_bind_int64(s, 3, i);
        rc = db_step(s);
        db_stmt_done(s);
    }
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

static zq_err answer(zq_req *q, zq_resp *r, int64_t id, int status)
{
    decl_call c;
    if (decl_call_load(q, id, &c) != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    if (decl_write_call(q, &w, &c, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw_kstr(&w, "region", c.region);
    zq_jw_key(&w, "counts");
    zq_jw_obj(&w);
    db_stmt *s = db_prepare(q->db, SQL_COUNTS);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, id);
    while (db_step(s) == DB_ROW) zq_jw_kint(&w, db_col_text(s, 0), db_col_int64(s, 1));
    db_stmt_done(s);
    zq_jw_obj_end(&w);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err calls_list(zq_req *q, zq_resp *r)
{
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, DECL_PAGE_MAX);
    const char *status = zq_req_query(q, "status"), *kw = zq_req_query(q, "q");
    if (status && *status && strcmp(status, "draft") && strcmp(status, "published") && strcmp(status, "closed") &&
        strcmp(status, "results"))
        zq_fail_field(q, r, "status", "状态只能是 draft、published、closed 或 results");
    if (kw && zq_utf8_len(kw) > 50) zq_fail_field(q, r, "q", "关键词不能超过 50 个字符");
    if (r->err) return r->err;
    hk_filter f;
    hk_filter_init(&f, 1);
    hk_filter_text(&f, "c.status = $%d", status);
    hk_filter_contains(&f, q->arena, "c.title LIKE $%d ESCAPE '\\'", kw);
    /* a district's staff see the city-wide calls (no region) and their own */
    if (!zq_scope_citywide(q)) hk_filter_text(&f, "(c.region IS NULL OR c.region = $%d)", zq_scope_value(q));
    int64_t total = 0;
    db_stmt *s;
    if (hk_filter_page(q, r, &f, "SELECT COUNT(*) FROM decl_call c%s",
                       "SELECT " DECL_CALL_COLS ", (SELECT COUNT(*) FROM decl_app a WHERE a.call_id = c.id"
                       " AND a.status NOT IN ('draft', 'withdrawn')) FROM decl_call c%s"
                       " ORDER BY c.updated_at DESC, c.id DESC",
                       page, size, &total, &s) != ZQ_OK)
        return r->err;
    zq_jw w;
    zq_list_begin(r, &w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        decl_call c;
        decl_call_read(q, s, &c);
        zq_jw_obj(&w);
        decl_write_call(q, &w, &c, false);
        zq_jw_kstr(&w, "region", c.region);
        zq_jw_kint(&w, "submitted", db_col_int64(s, 21));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_list_end(&w, total, page, size);
    return ZQ_OK;
}

static zq_err calls_create(zq_req *q, zq_resp *r)
{
    decl_call_form f;
    if (decl_call_form_read(q, r, &f) != ZQ_OK) return r->err;
    const char *region = *q->scope_region ? q->scope_region : NULL;
    if (region) targets_force_region(q->arena, &f.targets, region);
    const char *tj = targets_to_json(q->arena, &f.targets);
    if (!tj) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    bind_form(s, 1, &f, tj);
    bind_opt(s, 14, region);
    db_bind_int64(s, 15, q->session->staff_id);
    db_bind_int64(s, 16, q->now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!id || write_templates(q, id, &f) != DB_OK || call_audit(q, "create", id, region, NULL) != 0 ||
        db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer(q, r, id, 201);
}

static zq_err calls_get(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_visible(q, r, &c) != DB_ROW) return r->err;
    return answer(q, r, c.id, 200);
}

static zq_err calls_update(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_own(q, r, &c) != DB_ROW) return r->err;
    if (strcmp(c.status, "draft") != 0) return zq_fail(r, ZQ_E_CONFLICT, "已发布的申报通知不能修改，可延期或截止");
    decl_call_form f;
    if (decl_call_form_read(q, r, &f) != ZQ_OK) return r->err;
    if (c.region) targets_force_region(q->arena, &f.targets, c.region);
    const char *tj = targets_to_json(q->arena, &f.targets);
    if (!tj) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_UPDATE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.id);
    bind_form(s, 2, &f, tj);
    db_bind_int64(s, 15, q->now);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (n != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "已发布的申报通知不能修改，可延期或截止");
    if (write_templates(q, c.id, &f) != DB_OK || call_audit(q, "update", c.id, c.region, NULL) != 0 ||
        db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer(q, r, c.id, 200);
}

static zq_err calls_delete(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_own(q, r, &c) != DB_ROW) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_DELETE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.id);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (n != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "已发布的申报通知不能删除");
    if (call_audit(q, "delete", c.id, c.region, NULL) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    r->status = 204;
    return ZQ_OK;
}

typedef struct {
    const targets *t;
} tgt_ctx;

static void bind_targets(db_stmt *s, void *ctx)
{
    targets_bind(s, ((tgt_ctx *)ctx)->t, 1);
}

/* Tells every matching firm's members who may apply, in the caller's
 * transaction. DB_OK or a db_rc. */
static int notify_matching(zq_req *q, const decl_call *c, const char *tpl, const char *ref_type, int64_t *added)
{
    targets t;
    if (targets_from_json(q->arena, c->targets_json, &t) != 0) return DB_ERR;
    int np = 0;
    const char *where = targets_where(q->arena, &t, "e", 1, &np);
    if (!where) return DB_ERR;
    const char *sql = zq_arena_printf(q->arena, "SELECT e.id FROM enterprise e WHERE 1 = 1%s", where);
    char link[64];
    snprintf(link, sizeof link, "/console/declarations/%lld", (long long)c->id);
    notify_msg m = {.topic = "declaration",
                    .template_code = tpl,
                    .ref_type = ref_type,
                    .ref_id = c->id,
                    .params_json = decl_params(q->arena, c, NULL, NULL, NULL, NULL),
                    .link = link};
    if (!sql || !m.params_json) return DB_ERR;
    tgt_ctx ctx = {&t};
    return notify_enterprises_sql(q->db, q->now, &m, "declaration.submit", sql, bind_targets, &ctx, added);
}

/* One step of a call's life (publish, extend, close, results): a
 * conditional UPDATE with (id, now[, extra]), its audit, and, where firms
 * must hear of it, the notice, all in one transaction. */
typedef struct {
    const char *sql;
    int64_t extra;      /* $3, 0 = none */
    const char *verb;   /* audit action declaration.<verb> */
    const char *detail; /* audit detail, may be NULL */
    const char *why;    /* the 409's message when the call's state refuses it */
    const char *tpl;    /* notice template to the matching firms, NULL = none */
    const char *ref;    /* the notice's ref_type (its once-only key) */
    /* checked inside the transaction before the UPDATE; ZQ_OK or r->err */
    zq_err (*guard)(zq_req *q, zq_resp *r, const decl_call *c);
} call_step;

static zq_err call_move(zq_req *q, zq_resp *r, const decl_call *c, const call_step *st)
{
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (st->guard && st->guard(q, r, c) != ZQ_OK) return r->err;
    db_stmt *s = db_prepare(q->db, st->sql);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c->id);
    db_bind_int64(s, 2, q->now);
    if (st->extra) db_bind_int64(s, 3, st->extra);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (n != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, st->why);
    if (call_audit(q, st->verb, c->id, c->region, st->detail) != 0) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (st->tpl && notify_matching(q, c, st->tpl, st->ref, NULL) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (st->tpl) notify_kick(q->app);
    return answer(q, r, c->id, 200);
}

static zq_err calls_publish(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_own(q, r, &c) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (c.close_at <= q->now) return zq_fail(r, ZQ_E_UNPROCESSABLE, "截止时间已过，请修改后再发布");
    return call_move(q, r, &c,
                     &(call_step){.sql = SQL_PUBLISH, .verb = "publish", .why = "该申报通知已发布",
                                  .tpl = "declaration.published", .ref = "declaration"});
}

static zq_err calls_extend(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_own(q, r, &c) != DB_ROW) return r->err;
    static const char *const allowed[] = {"close_at", NULL};
    zq_in_only(q, r, allowed);
    const char *ca = zq_in_str(q, r, "close_at", "截止时间", true, 25);
    int64_t close_at = 0;
    if (ca && !zq_time_parse_opt(ca, ZQ_TIME_STRICT, &close_at))
        zq_fail_field(q, r, "close_at", "时间格式须为 YYYY-MM-DDTHH:MM:SS+08:00");
    else if (ca && (close_at <= c.close_at || close_at <= q->now))
        zq_fail_field(q, r, "close_at", "新的截止时间须晚于原截止时间和当前时间");
    if (r->err) return r->err;
    c.close_at = close_at; /* the notice carries the new close time */
    return call_move(q, r, &c,
                     &(call_step){.sql = SQL_EXTEND, .extra = close_at, .verb = "extend",
                                  .detail = zq_arena_printf(q->arena, "{\"close_at\":\"%s\"}", ca),
                                  .why = "只有已发布、尚未公示的申报通知可以延期", .tpl = "declaration.extended",
                                  /* one message per extension: the new close time is part of the key */
                                  .ref = zq_arena_printf(q->arena, "declaration_ext_%lld", (long long)close_at)});
}

static zq_err calls_close(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_own(q, r, &c) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    return call_move(q, r, &c, &(call_step){.sql = SQL_CLOSE, .verb = "close", .why = "只有已发布的申报通知可以截止"});
}

/* 公示 only once every application that reached review has its final decision. */
static zq_err results_guard(zq_req *q, zq_resp *r, const decl_call *c)
{
    db_stmt *s = db_prepare(q->db, "SELECT COUNT(*) FROM decl_app WHERE call_id = $1 AND status IN ('submitted',"
                                   " 'district_review', 'city_review', 'returned')");
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c->id);
    int64_t open = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_stmt_done(s);
    if (open < 0) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (open > 0)
        return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE,
                          zq_arena_printf(q->arena, "还有 %lld 份申报未审核完毕，不能公示结果", (long long)open));
    return ZQ_OK;
}

static zq_err calls_results(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_own(q, r, &c) != DB_ROW) return r->err;
    static const char *const allowed[] = {"objection_days", NULL};
    zq_in_only(q, r, allowed);
    int64_t days = zq_in_int(q, r, "objection_days", "公示期（天）", false, 1, 30, NULL);
    if (r->err) return r->err;
    if (!days) days = 7;
    if (c.close_at > q->now && strcmp(c.status, "closed") != 0)
        return zq_fail(r, ZQ_E_UNPROCESSABLE, "申报尚未截止，不能公示结果");
    return call_move(q, r, &c,
                     &(call_step){.sql = SQL_RESULTS, .extra = q->now + days * 86400, .verb = "results",
                                  .why = "该申报通知的结果已公示", .guard = results_guard});
}

#define M "declaration.manage"
static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/declarations", calls_list, ZQ_ACCESS_STAFF, M "|declaration.review", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/declarations", calls_create, ZQ_ACCESS_STAFF, M, ZQ_RF_JSON | ZQ_RF_SCOPED, 0,
     "declaration.create"},
    {ZQ_GET, "/api/v1/admin/declarations/:id", calls_get, ZQ_ACCESS_STAFF, M "|declaration.review", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_PUT, "/api/v1/admin/declarations/:id", calls_update, ZQ_ACCESS_STAFF, M, ZQ_RF_JSON | ZQ_RF_SCOPED, 0,
     "declaration.update"},
    {ZQ_DELETE, "/api/v1/admin/declarations/:id", calls_delete, ZQ_ACCESS_STAFF, M, ZQ_RF_JSON | ZQ_RF_SCOPED, 0,
     "declaration.delete"},
    {ZQ_POST, "/api/v1/admin/declarations/:id/publish", calls_publish, ZQ_ACCESS_STAFF, M, ZQ_RF_JSON | ZQ_RF_SCOPED, 0,
     "declaration.publish"},
    {ZQ_POST, "/api/v1/admin/declarations/:id/extend", calls_extend, ZQ_ACCESS_STAFF, M, ZQ_RF_JSON | ZQ_RF_SCOPED, 0,
     "declaration.extend"},
    {ZQ_POST, "/api/v1/admin/declarations/:id/close", calls_close, ZQ_ACCESS_STAFF, M, ZQ_RF_JSON | ZQ_RF_SCOPED, 0,
     "declaration.close"},
    {ZQ_POST, "/api/v1/admin/declarations/:id/results", calls_results, ZQ_ACCESS_STAFF, M, ZQ_RF_JSON | ZQ_RF_SCOPED, 0,
     "declaration.results"},
};
#undef M
const zq_route_group decl_admin_routes = {routes, sizeof routes / sizeof routes[0]};
