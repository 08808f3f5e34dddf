/*
 * admin.c — the bureau's questionnaires: list, create (or copy an earlier
 * one as a new version with {"copy_from":id}), read, change (a draft
 * wholly; a published one only its close time: extend), delete a draft.
 * District staff create their district's questionnaires (targets forced to
 * it) and read the city's.
 */
#include "survey/survey_form.h"
#include "handler/kit.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "http/input.h"
#include "http/scope.h"
#include "http/session.h"
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO survey(status, per, anonymous, allow_edit, open_at, close_at, region, copied_from, created_by,"
    " created_at, updated_at, title, description, targets_json, enterprise_ids, definition)"
    " VALUES ('draft', $1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE survey SET per = $2, anonymous = $3, allow_edit = $4, open_at = $5, close_at = $6, updated_at = $7,"
    " title = $8, description = $9, targets_json = $10, enterprise_ids = $11, definition = $12"
    " WHERE id = $1 AND status = 'draft'";
static const char SQL_EXTEND[] =
    "UPDATE survey SET close_at = $2, updated_at = $3 WHERE id = $1 AND status = 'published'";
static const char SQL_DELETE[] = "DELETE FROM survey WHERE id = $1 AND status = 'draft'";
static const char SQL_COPY[] =
    "INSERT INTO survey(status, per, anonymous, allow_edit, open_at, close_at, region, copied_from, created_by,"
    " created_at, updated_at, title, description, targets_json, enterprise_ids, definition)"
    " SELECT 'draft', per, anonymous, allow_edit, $2, $2 + (close_at - open_at), region, id, $3, $2, $2, title,"
    " description, targets_json, enterprise_ids, definition FROM survey WHERE id = $1 RETURNING id";
static const char SQL_LIST_HEAD[] =
    "SELECT " SV_COLS ", (SELECT COUNT(*) FROM survey_audience a WHERE a.survey_id = survey.id),"
    " (SELECT COUNT(*) FROM survey_audience a WHERE a.survey_id = survey.id AND a.responded_at > 0)"
    " FROM survey WHERE ($1 = '' OR status = $1) AND ($2 = '' OR region IS NULL OR region = $2)";
static const char SQL_COUNT_HEAD[] =
    "SELECT COUNT(*) FROM survey WHERE ($1 = '' OR status = $1) AND ($2 = '' OR region IS NULL OR region = $2)";

static zq_err answer(zq_req *q, zq_resp *r, int64_t id, int status)
{
    sv_survey v;
    int rc = sv_load(q, id, &v);
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, status);
    sv_write_survey(q, &w, &v, true);
    zq_jw_key(&w, "targets");
    zq_jw_raw(&w, v.targets_json, strlen(v.targets_json));
    zq_jw_key(&w, "enterprise_ids");
    zq_jw_raw(&w, v.enterprise_ids, strlen(v.enterprise_ids));
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err sv_list(zq_req *q, zq_resp *r)
{
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, 100);
    const char *status = zq_req_query(q, "status");
    if (status && *status && strcmp(status, "draft") && strcmp(status, "published") && strcmp(status, "closed"))
        zq_fail_field(q, r, "status", "状态应为 draft、published 或 closed");
    if (r->err) return r->err;
    const char *scope = zq_scope_value(q);
    int64_t total = 0;
    const char *p[2] = {status ? status : "", scope};
    if (db_query_int64(q->db, SQL_COUNT_HEAD, &total, 2, p) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, zq_arena_printf(q->arena, "%s ORDER BY id DESC LIMIT $3 OFFSET $4", SQL_LIST_HEAD));
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_text(s, 1, p[0], -1);
    db_bind_text(s, 2, scope, -1);
    db_bind_int64(s, 3, size);
    db_bind_int64(s, 4, (page - 1) * size);
    zq_jw w;
    zq_list_begin(r, &w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        sv_survey v = {
            .id = db_col_int64(s, 0), .status = zq_arena_strdup(q->arena, db_col_text(s, 1)),
            .per = zq_arena_strdup(q->arena, db_col_text(s, 2)), .anonymous = db_col_int64(s, 3) != 0,
            .allow_edit = db_col_int64(s, 4) != 0, .open_at = db_col_int64(s, 5), .close_at = db_col_int64(s, 6),
            .published_at = db_col_int64(s, 7), .closed_at = db_col_int64(s, 8),
            .region = db_col_dup(q->arena, s, 9),
            .copied_from = db_col_is_null(s, 10) ? 0 : db_col_int64(s, 10), .created_at = db_col_int64(s, 11),
            .updated_at = db_col_int64(s, 12), .title = zq_arena_strdup(q->arena, db_col_text(s, 13)),
            .description = zq_arena_strdup(q->arena, db_col_text(s, 14)),
        };
        sv_write_survey(q, &w, &v, false);
        zq_jw_kint(&w, "audience", db_col_int64(s, 18));
        zq_jw_kint(&w, "responded", db_col_int64(s, 19));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_list_end(&w, total, page, size);
    return ZQ_OK;
}

static zq_err sv_copy(zq_req *q, zq_resp *r, json_t *from)
{
    if (json_object_size(q->json) != 1 || !json_is_integer(from) || json_integer_value(from) <= 0) {
        zq_fail_field(q, r, "copy_from", "复制时只需给出原问卷编号");
        return r->err;
    }
    sv_survey v;
    int rc = sv_load(q, json_integer_value(from), &v);
    if (rc == DB_ROW && v.region ? !zq_scope_allows(q, v.region) : (rc == DB_ROW && !zq_scope_citywide(q)))
        rc = DB_DONE;
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, "问卷不存在");
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_COPY);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, v.id);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, q->session->staff_id);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!id || sv_note(q, id, v.region, zq_arena_printf(q->arena, "{\"copy_from\":%lld}", (long long)v.id)) != 0 ||
        db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer(q, r, id, 201);
}

static void bind_form(db_stmt *s, const sv_form *f, int first)
{
    db_bind_text(s, first, f->per, -1);
    db_bind_int64(s, first + 1, f->anonymous);
    db_bind_int64(s, first + 2, f->allow_edit);
    db_bind_int64(s, first + 3, f->open_at);
    db_bind_int64(s, first + 4, f->close_at);
}

static zq_err sv_create(zq_req *q, zq_resp *r)
{
    json_t *from = q->json ? json_object_get(q->json, "copy_from") : NULL;
    if (from) return sv_copy(q, r, from);
    sv_form f;
    if (sv_form_read(q, r, &f) != ZQ_OK) return r->err;
    const char *region = zq_scope_citywide(q) ? NULL : zq_scope_value(q);
    const char *tj = targets_to_json(q->arena, &f.targets);
    if (!tj) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    bind_form(s, &f, 1);
    if (region) db_bind_text(s, 6, region, -1);
    else db_bind_null(s, 6);
    db_bind_null(s, 7);
    db_bind_int64(s, 8, q->session->staff_id);
    db_bind_int64(s, 9, q->now);
    db_bind_text(s, 10, f.title, -1);
    db_bind_text(s, 11, f.description, -1);
    db_bind_text(s, 12, tj, -1);
    db_bind_text(s, 13, f.enterprise_ids, -1);
    db_bind_text(s, 14, f.definition, -1);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!id || sv_note(q, id, region, NULL) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer(q, r, id, 201);
}

static zq_err sv_get(zq_req *q, zq_resp *r)
{
    sv_survey v;
    if (sv_admin_load(q, r, false, &v) != DB_ROW) return r->err;
    return answer(q, r, v.id, 200);
}

/* A published questionnaire: only {"close_at"} (extend, or shorten to a
 * time still ahead). */
static zq_err sv_extend(zq_req *q, zq_resp *r, const sv_survey *v)
{
    if (json_object_size(q->json) != 1 || !json_object_get(q->json, "close_at"))
        return zq_fail(r, ZQ_E_CONFLICT, "问卷已发布，题目和对象不能再修改；可延长截止时间，或复制为新版本");
    int64_t close_at = 0;
    if (sv_read_time(q, r, "close_at", true, &close_at) && close_at <= q->now)
        zq_fail_field(q, r, "close_at", "截止时间应晚于现在");
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_EXTEND);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, v->id);
    db_bind_int64(s, 2, close_at);
    db_bind_int64(s, 3, q->now);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (n != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "问卷已结束，不能再修改");
    const char *detail = zq_arena_printf(q->arena, "{\"close_at_before\":%lld,\"close_at\":%lld}",
                                         (long long)v->close_at, (long long)close_at);
    if (sv_note(q, v->id, v->region, detail) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer(q, r, v->id, 200);
}

static zq_err sv_update(zq_req *q, zq_resp *r)
{
    sv_survey v;
    if (sv_admin_load(q, r, true, &v) != DB_ROW) return r->err;
    if (!q->json) return zq_fail(r, ZQ_E_BAD_REQUEST, "请求体应为 JSON 对象");
    if (strcmp(v.status, "published") == 0) return sv_extend(q, r, &v);
    if (strcmp(v.status, "draft") != 0) return zq_fail(r, ZQ_E_CONFLICT, "问卷已结束，不能再修改");
    if (json_object_get(q->json, "copy_from")) {
        zq_fail_field(q, r, "copy_from", "修改时不能复制");
        return r->err;
    }
    sv_form f;
    if (sv_form_read(q, r, &f) != ZQ_OK) return r->err;
    const char *tj = targets_to_json(q->arena, &f.targets);
    if (!tj) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_UPDATE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, v.id);
    bind_form(s, &f, 2);
    db_bind_int64(s, 7, q->now);
    db_bind_text(s, 8, f.title, -1);
    db_bind_text(s, 9, f.description, -1);
    db_bind_text(s, 10, tj, -1);
    db_bind_text(s, 11, f.enterprise_ids, -1);
    db_bind_text(s, 12, f.definition, -1);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (n != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "问卷已发布，题目不能再修改");
    if (sv_note(q, v.id, v.region, NULL) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer(q, r, v.id, 200);
}

static zq_err sv_delete(zq_req *q, zq_resp *r)
{
    sv_survey v;
    if (sv_admin_load(q, r, true, &v) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_DELETE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, v.id);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (n != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "只能删除草稿；已发布的问卷请提前结束");
    if (sv_note(q, v.id, v.region, NULL) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    r->status = 204;
    return ZQ_OK;
}

#define BODY_MAX (2u << 20)
static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/surveys", sv_list, ZQ_ACCESS_STAFF, "survey.manage", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/surveys", sv_create, ZQ_ACCESS_STAFF, "survey.manage", ZQ_RF_JSON | ZQ_RF_SCOPED, BODY_MAX,
     "survey.create"},
    {ZQ_GET, "/api/v1/admin/surveys/:id", sv_get, ZQ_ACCESS_STAFF, "survey.manage", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_PUT, "/api/v1/admin/surveys/:id", sv_update, ZQ_ACCESS_STAFF, "survey.manage", ZQ_RF_JSON | ZQ_RF_SCOPED,
     BODY_MAX, "survey.update"},
    {ZQ_DELETE, "/api/v1/admin/surveys/:id", sv_delete, ZQ_ACCESS_STAFF, "survey.manage", ZQ_RF_SCOPED, 0,
     "survey.delete"},
    {ZQ_POST, "/api/v1/admin/surveys/:id/publish", sv_publish, ZQ_ACCESS_STAFF, "survey.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, "survey.publish"},
    {ZQ_POST, "/api/v1/admin/surveys/:id/close", sv_close, ZQ_ACCESS_STAFF, "survey.manage", ZQ_RF_JSON | ZQ_RF_SCOPED,
     0, "survey.close"},
    {ZQ_POST, "/api/v1/admin/surveys/:id/remind", sv_remind, ZQ_ACCESS_STAFF, "survey.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, "survey.remind"},
};
const zq_route_group survey_admin_routes = {routes, sizeof routes / sizeof routes[0]};
