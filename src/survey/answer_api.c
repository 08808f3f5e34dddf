/*
 * answer_api.c — the firm's side (permission survey.answer): the
 * questionnaires open to it and answered, one with the saved answers,
 * saving progress (resume on another device) and submitting. One response
 * per firm (or per member when the questionnaire says so) is kept by the
 * UNIQUE key and a conditional UPDATE draft → submitted, so concurrent
 * submits store one. A questionnaire the firm is not asked answers 404.
 */
#include "survey/survey_internal.h"
#include "handler/kit.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "http/input.h"
#include "http/session.h"
#include <stdlib.h>
#include <string.h>

static const char SQL_LIST[] =
    "SELECT " SV_COLS ", (SELECT r.status FROM survey_response r WHERE r.survey_id = survey.id"
    " AND r.enterprise_id = $1 AND r.user_id = CASE WHEN survey.per = 'member' THEN $2 ELSE 0 END)"
    " FROM survey WHERE EXISTS (SELECT 1 FROM survey_audience a WHERE a.survey_id = survey.id AND a.enterprise_id = $1)"
    " AND survey.status IN ('published', 'closed') AND survey.open_at <= $3 ORDER BY survey.close_at DESC, survey.id DESC"
    " LIMIT 500";
static const char SQL_AUDIENCE[] =
    "SELECT region, industry, scale FROM survey_audience WHERE survey_id = $1 AND enterprise_id = $2";
static const char SQL_RESPONSE[] =
    "SELECT id, status, answers, submitted_at, updated_at FROM survey_response"
    " WHERE survey_id = $1 AND enterprise_id = $2 AND user_id = $3";
static const char SQL_ENSURE[] =
    "INSERT INTO survey_response(survey_id, enterprise_id, user_id, status, region, industry, scale, updated_by,"
    " created_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $8)"
    " ON CONFLICT (survey_id, enterprise_id, user_id) DO NOTHING";
/* $5: the new status ($9: 1 when it is submitted); a submitted response changes only when editing is allowed ($6 = 1) */
static const char SQL_WRITE[] =
    "UPDATE survey_response SET status = $5, answers = $4, updated_by = $7, updated_at = $8,"
    " submitted_at = CASE WHEN $9 = 1 AND submitted_at = 0 THEN $8 ELSE submitted_at END"
    " WHERE survey_id = $1 AND enterprise_id = $2 AND user_id = $3 AND (status = 'draft' OR $6 = 1) RETURNING id";
static const char SQL_RESPONDED[] =
    "UPDATE survey_audience SET responded_at = $3 WHERE survey_id = $1 AND enterprise_id = $2 AND responded_at = 0";

typedef struct {
    sv_survey v;
    sv_def def;
    int64_t eid, user_key;
    const char *region, *industry, *scale;
} ctx;

/* The questionnaire if the firm is asked and it has opened; else 404. */
static int load(zq_req *q, zq_resp *r, ctx *c)
{
    memset(c, 0, sizeof *c);
    c->eid = q->session->enterprise_id;
    int64_t id = hk_param_id(q, "id");
    int rc = id ? sv_load(q, id, &c->v) : DB_DONE;
    if (rc == DB_ROW && (strcmp(c->v.status, "draft") == 0 || c->v.open_at > q->now)) rc = DB_DONE;
    if (rc == DB_ROW) {
        db_stmt *s = db_prepare(q->db, SQL_AUDIENCE);
        if (!s) rc = DB_ERR;
        else {
            db_bind_int64(s, 1, id);
            db_bind_int64(s, 2, c->eid);
            rc = db_step(s);
            if (rc == DB_ROW) {
                c->region = db_col_dup(q->arena, s, 0);
                c->industry = db_col_dup(q->arena, s, 1);
                c->scale = db_col_dup(q->arena, s, 2);
            }
            db_stmt_done(s);
        }
    }
    if (rc == DB_ROW && sv_def_parse(q->arena, c->v.definition, &c->def) != 0) rc = DB_ERR;
    if (rc == DB_DONE) zq_fail(r, ZQ_E_NOT_FOUND, "问卷不存在或未向贵企业发放");
    else if (rc != DB_ROW) zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    c->user_key = strcmp(c->v.per ? c->v.per : "", "member") == 0 ? q->session->user_id : 0;
    return rc;
}

static zq_err sv_mine(zq_req *q, zq_resp *r)
{
    const char *state = zq_req_query(q, "state");
    if (state && *state && strcmp(state, "open") != 0 && strcmp(state, "answered") != 0) {
        zq_fail_field(q, r, "state", "state 应为 open 或 answered");
        return r->err;
    }
    db_stmt *s = db_prepare(q->db, SQL_LIST);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, q->session->user_id);
    db_bind_int64(s, 3, q->now);
    zq_jw w;
    zq_list_begin(r, &w);
    int rc;
    int64_t n = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        sv_survey v = {
            .id = db_col_int64(s, 0), .status = zq_arena_strdup(q->arena, db_col_text(s, 1)),
            .per = zq_arena_strdup(q->arena, db_col_text(s, 2)), .anonymous = db_col_int64(s, 3) != 0,
            .allow_edit = db_col_int64(s, 4) != 0, .open_at = db_col_int64(s, 5), .close_at = db_col_int64(s, 6),
            .published_at = db_col_int64(s, 7), .closed_at = db_col_int64(s, 8), .region = db_col_dup(q->arena, s, 9),
            .created_at = db_col_int64(s, 11), .updated_at = db_col_int64(s, 12),
            .title = zq_arena_strdup(q->arena, db_col_text(s, 13)), .description = db_col_dup(q->arena, s, 14),
        };
        const char *rs = db_col_is_null(s, 18) ? "none" : db_col_text(s, 18);
        bool submitted = strcmp(rs, "submitted") == 0;
        if (state && strcmp(state, "open") == 0 && (submitted || !sv_open_now(&v, q->now))) continue;
        if (state && strcmp(state, "answered") == 0 && !submitted) continue;
        sv_write_survey(q, &w, &v, false);
        zq_jw_kstr(&w, "response_status", rs);
        zq_jw_obj_end(&w);
        n++;
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_list_end(&w, n, 1, n > 0 ? n : 20);
    return ZQ_OK;
}

static zq_err sv_one(zq_req *q, zq_resp *r)
{
    ctx c;
    if (load(q, r, &c) != DB_ROW) return r->err;
    db_stmt *s = db_prepare(q->db, SQL_RESPONSE);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.v.id);
    db_bind_int64(s, 2, c.eid);
    db_bind_int64(s, 3, c.user_key);
    int rc = db_step(s);
    const char *status = rc == DB_ROW ? db_col_dup(q->arena, s, 1) : "none";
    const char *answers = rc == DB_ROW ? db_col_dup(q->arena, s, 2) : NULL;
    int64_t submitted_at = rc == DB_ROW ? db_col_int64(s, 3) : 0, updated_at = rc == DB_ROW ? db_col_int64(s, 4) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    bool submitted = strcmp(status, "submitted") == 0;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    sv_write_survey(q, &w, &c.v, true);
    zq_jw_kbool(&w, "can_answer", sv_open_now(&c.v, q->now) && (!submitted || c.v.allow_edit));
    zq_jw_key(&w, "response");
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "status", status);
    zq_jw_ktime(&w, "submitted_at", submitted_at);
    zq_jw_ktime(&w, "updated_at", updated_at);
    sv_write_answers(&w, answers);
    zq_jw_obj_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* The firm's own record; for an anonymous questionnaire the record keeps
 * the action but not the questionnaire's answers (nothing of them is in
 * it anyway) — the audit log is the security trail, not a results view. */
static int note_answer(zq_req *q, const ctx *c, bool resubmit)
{
    /* the action is the route's: survey.save (PUT) or survey.submit (POST …/submit) */
    return audit_note(q, &(audit_entry){.object_type = "survey",
                                        .object_id = hk_id_str(q, c->v.id),
                                        .detail = resubmit ? "{\"edit\":true}" : NULL,
                                        .enterprise_id = c->eid,
                                        .region = c->region});
}

static void bind_opt(db_stmt *s, int i, const char *v)
{
    if (v) db_bind_text(s, i, v, -1);
    else db_bind_null(s, i);
}

/* Save (submit false) or submit. A submitted response stays submitted when
 * changed (editing allowed), so its answers are checked in full. */
static zq_err save(zq_req *q, zq_resp *r, bool submit)
{
    ctx c;
    if (load(q, r, &c) != DB_ROW) return r->err;
    static const char *const keys[] = {"answers", "other", NULL};
    json_t *answers = q->json ? json_object_get(q->json, "answers") : NULL;
    if (q->json) zq_in_only(q, r, keys);
    if (r->err) return r->err;
    if (!sv_open_now(&c.v, q->now)) return zq_fail(r, ZQ_E_NOT_FOUND, "问卷不在填写期内");
    json_t *saved = NULL;
    if (!answers && submit) {
        /* submit what was saved */
        db_stmt *s = db_prepare(q->db, SQL_RESPONSE);
        if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_int64(s, 1, c.v.id);
        db_bind_int64(s, 2, c.eid);
        db_bind_int64(s, 3, c.user_key);
        if (db_step(s) == DB_ROW) saved = json_loads(db_col_text(s, 2), 0, NULL);
        db_stmt_done(s);
        answers = saved ? json_object_get(saved, "answers") : NULL;
    }
    if (!answers) {
        json_decref(saved);
        zq_fail_field(q, r, "answers", "请作答");
        return r->err;
    }
    json_t *other = saved ? json_object_get(saved, "other") : q->json ? json_object_get(q->json, "other") : NULL;
    /* re-saving an already submitted response (editing allowed) is a resubmission */
    sv_checked ck;
    zq_err e = sv_answers_check(q, r, &c.def, answers, other, submit, c.eid, &ck);
    json_decref(saved);
    if (e != ZQ_OK) return e;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_ENSURE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.v.id);
    db_bind_int64(s, 2, c.eid);
    db_bind_int64(s, 3, c.user_key);
    bind_opt(s, 4, c.region);
    bind_opt(s, 5, c.industry);
    bind_opt(s, 6, c.scale);
    db_bind_int64(s, 7, q->session->user_id);
    db_bind_int64(s, 8, q->now);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    /* what the row is now (another device may have submitted meanwhile) */
    if (!(s = db_prepare(q->db, SQL_RESPONSE))) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.v.id);
    db_bind_int64(s, 2, c.eid);
    db_bind_int64(s, 3, c.user_key);
    rc = db_step(s);
    bool was_submitted = rc == DB_ROW && strcmp(db_col_text(s, 1), "submitted") == 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (was_submitted && !c.v.allow_edit)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "问卷已提交，不能重复提交或修改");
    if (was_submitted && !submit) {
        /* a change to a submitted response must pass the submit rules */
        db_rollback(q->db);
        sv_checked full;
        if (sv_answers_check(q, r, &c.def, answers, other, true, c.eid, &full) != ZQ_OK) return r->err;
        return zq_fail(r, ZQ_E_CONFLICT, "问卷已提交，修改请直接重新提交");
    }
    if (!(s = db_prepare(q->db, SQL_WRITE))) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.v.id);
    db_bind_int64(s, 2, c.eid);
    db_bind_int64(s, 3, c.user_key);
    db_bind_text(s, 4, ck.json, -1);
    db_bind_text(s, 5, submit ? "submitted" : "draft", -1);
    db_bind_int64(s, 6, c.v.allow_edit ? 1 : 0);
    db_bind_int64(s, 7, q->session->user_id);
    db_bind_int64(s, 8, q->now);
    db_bind_int64(s, 9, submit ? 1 : 0);
    rc = db_step(s);
    int64_t rid = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "问卷已提交，不能重复提交或修改");
    if (!rid) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (submit) {
        if (sv_write_rows(q->db, q->arena, c.v.id, rid, c.region, c.industry, c.scale, &ck) != DB_OK || !(s = db_prepare(q->db, SQL_RESPONDED)))
            return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_int64(s, 1, c.v.id);
        db_bind_int64(s, 2, c.eid);
        db_bind_int64(s, 3, q->now);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    }
    if (note_answer(q, &c, was_submitted) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "survey_id", c.v.id);
    zq_jw_kstr(&w, "status", submit ? "submitted" : "draft");
    zq_jw_kint(&w, "answered", (int64_t)ck.answered);
    zq_jw_kint(&w, "shown", (int64_t)ck.shown);
    zq_jw_ktime(&w, "updated_at", q->now);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err sv_save(zq_req *q, zq_resp *r)
{
    return save(q, r, false);
}

static zq_err sv_submit(zq_req *q, zq_resp *r)
{
    return save(q, r, true);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/surveys", sv_mine, ZQ_ACCESS_MEMBER, "survey.answer", 0, 0, NULL},
    {ZQ_GET, "/api/v1/enterprise/surveys/:id", sv_one, ZQ_ACCESS_MEMBER, "survey.answer", 0, 0, NULL},
    {ZQ_PUT, "/api/v1/enterprise/surveys/:id/response", sv_save, ZQ_ACCESS_MEMBER, "survey.answer", ZQ_RF_JSON,
     512 * 1024, "survey.save"},
    {ZQ_POST, "/api/v1/enterprise/surveys/:id/response/submit", sv_submit, ZQ_ACCESS_MEMBER, "survey.answer",
     ZQ_RF_JSON, 512 * 1024, "survey.submit"},
};
const zq_route_group survey_answer_routes = {routes, sizeof routes / sizeof routes[0]};
