/*
 * lifecycle.c — publishing a questionnaire (the audience is fixed then: the
 * targeted approved firms, or the explicit list, within the owner's
 * district; each is told through notify/), closing it early, and the
 * reminders to firms that have not submitted (by hand, and by the periodic
 * task the day before the close). Reminders reach a firm once a day at most.
 */
#include "survey/survey_internal.h"
#include "handler/kit.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "http/context.h"
#include "http/input.h"
#include "http/scope.h"
#include "notify/notify.h"
#include "targets/targets.h"
#include <stdlib.h>
#include <string.h>

#define AUD_COLS                                                                                            \
    "SELECT CAST($1 AS BIGINT), e.id, e.region, (SELECT d.parent FROM dict_item d WHERE d.type = 'industry'" \
    " AND d.code = e.industry), e.scale FROM enterprise e"
static const char SQL_AUD_HEAD[] =
    "INSERT INTO survey_audience(survey_id, enterprise_id, region, industry, scale) " AUD_COLS " WHERE 1 = 1";
static const char SQL_AUD_ONE[] =
    "INSERT INTO survey_audience(survey_id, enterprise_id, region, industry, scale) " AUD_COLS
    " WHERE e.id = $2 AND e.status = 'approved' AND ($3 = '' OR e.region = $3) ON CONFLICT DO NOTHING";
static const char SQL_PUBLISH[] =
    "UPDATE survey SET status = 'published', published_at = $2, updated_at = $2 WHERE id = $1 AND status = 'draft'";
static const char SQL_CLOSE[] =
    "UPDATE survey SET status = 'closed', closed_at = $2, close_at = CASE WHEN close_at > $2 THEN $2 ELSE close_at END,"
    " updated_at = $2 WHERE id = $1 AND status = 'published'";
static const char SQL_DUE[] =
    "SELECT id, title, close_at FROM survey WHERE status = 'published' AND open_at <= $1 AND close_at > $1"
    " AND close_at <= $1 + 86400 ORDER BY id LIMIT 200";

static int audience_targets(zq_req *q, const sv_survey *v)
{
    targets t;
    if (targets_from_json(q->arena, v->targets_json, &t) != 0) return DB_ERR;
    int np = 0;
    const char *where = targets_where(q->arena, &t, "e", 2, &np);
    if (!where) return DB_ERR;
    db_stmt *s = db_prepare(q->db, zq_arena_printf(q->arena, "%s%s ON CONFLICT DO NOTHING", SQL_AUD_HEAD, where));
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, v->id);
    targets_bind(s, &t, 2);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

static int audience_list(zq_req *q, const sv_survey *v)
{
    json_t *ids = json_loads(v->enterprise_ids, 0, NULL);
    size_t i;
    json_t *e;
    int rc = ids ? DB_OK : DB_ERR;
    json_array_foreach(ids, i, e)
    {
        db_stmt *s = db_prepare(q->db, SQL_AUD_ONE);
        if (!s) {
            rc = DB_ERR;
            break;
        }
        db_bind_int64(s, 1, v->id);
        db_bind_int64(s, 2, json_integer_value(e));
        db_bind_text(s, 3, v->region ? v->region : "", -1);
        int x = db_step(s);
        db_stmt_done(s);
        if (x != DB_DONE) {
            rc = x < 0 ? x : DB_ERR;
            break;
        }
    }
    json_decref(ids);
    return rc;
}

static zq_err answer_counts(zq_req *q, zq_resp *r, int64_t id, const char *key, int64_t n)
{
    sv_survey v;
    if (sv_load(q, id, &v) != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    sv_write_survey(q, &w, &v, false);
    zq_jw_kint(&w, key, n);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* Opens the transaction and moves the status by the conditional UPDATE sql
 * ($1 id, $2 now); 409 `lost` when another request moved it first. */
static zq_err move(zq_req *q, zq_resp *r, const char *sql, int64_t id, const char *lost)
{
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->now);
    int rc = db_step(s);
    int64_t moved = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return moved == 1 ? ZQ_OK : hk_fail_tx(q, r, ZQ_E_CONFLICT, lost);
}

zq_err sv_publish(zq_req *q, zq_resp *r)
{
    sv_survey v;
    if (sv_admin_load(q, r, true, &v) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (strcmp(v.status, "draft") != 0) return zq_fail(r, ZQ_E_CONFLICT, "问卷已发布");
    if (v.close_at <= q->now) return zq_fail(r, ZQ_E_UNPROCESSABLE, "截止时间已过，请先修改截止时间");
    /* a concurrent click may have published it first */
    if (move(q, r, SQL_PUBLISH, v.id, "问卷已发布") != ZQ_OK) return r->err;
    int64_t firms = 0;
    int rc = strcmp(v.enterprise_ids, "[]") != 0 ? audience_list(q, &v) : audience_targets(q, &v);
    if (rc == DB_OK) rc = sv_notify(q->db, q->now, v.id, v.title, v.close_at, false, NULL, &firms);
    if (rc != DB_OK ||
        sv_note(q, v.id, v.region, zq_arena_printf(q->arena, "{\"audience\":%lld}", (long long)firms)) != 0 ||
        db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    notify_kick(q->app);
    return answer_counts(q, r, v.id, "audience", firms);
}

zq_err sv_close(zq_req *q, zq_resp *r)
{
    sv_survey v;
    if (sv_admin_load(q, r, true, &v) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (strcmp(v.status, "published") != 0)
        return zq_fail(r, ZQ_E_CONFLICT, strcmp(v.status, "draft") == 0 ? "问卷尚未发布" : "问卷已结束");
    if (move(q, r, SQL_CLOSE, v.id, "问卷已结束") != ZQ_OK) return r->err;
    if (sv_note(q, v.id, v.region, NULL) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer_counts(q, r, v.id, "audience", 0);
}

zq_err sv_remind(zq_req *q, zq_resp *r)
{
    sv_survey v;
    if (sv_admin_load(q, r, false, &v) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (!sv_open_now(&v, q->now)) return zq_fail(r, ZQ_E_CONFLICT, "问卷不在填写期内，无需提醒");
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    int64_t firms = 0;
    /* district staff remind their district's firms only */
    if (sv_notify(q->db, q->now, v.id, v.title, v.close_at, true, zq_scope_value(q), &firms) != DB_OK ||
        sv_note(q, v.id, v.region, zq_arena_printf(q->arena, "{\"reminded\":%lld}", (long long)firms)) != 0 ||
        db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    notify_kick(q->app);
    return answer_counts(q, r, v.id, "reminded", firms);
}

int survey_remind_due(db_conn *c, int64_t now, void *ctx)
{
    (void)ctx;
    int64_t ids[200], closes[200];
    char *titles[200];
    size_t n = 0;
    db_stmt *s = db_prepare(c, SQL_DUE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, now);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && n < 200) {
        ids[n] = db_col_int64(s, 0);
        titles[n] = strdup(db_col_text(s, 1));
        closes[n] = db_col_int64(s, 2);
        n++;
    }
    db_stmt_done(s);
    if (rc == DB_DONE || rc == DB_ROW) rc = DB_OK;
    for (size_t i = 0; i < n; i++) {
        if (rc == DB_OK && titles[i]) {
            rc = db_begin(c, true);
            if (rc == DB_OK) rc = sv_notify(c, now, ids[i], titles[i], closes[i], true, "", NULL);
            if (rc == DB_OK) rc = db_commit(c);
            else if (db_in_tx(c)) db_rollback(c);
        }
        free(titles[i]);
    }
    return rc;
}
