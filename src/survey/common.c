/*
 * common.c — what the survey handlers share: loading a questionnaire and
 * deciding whether the caller may see it, its JSON shape, the audit call,
 * and telling the audience (publication and reminders) through notify/.
 */
#include "survey/survey_internal.h"
#include "handler/kit.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "http/scope.h"
#include "notify/notify.h"
#include "targets/targets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_LOAD[] = "SELECT " SV_COLS " FROM survey WHERE id = $1";
static const char SQL_AUDIENCE_ALL[] = "SELECT enterprise_id FROM survey_audience WHERE survey_id = $1";
static const char SQL_AUDIENCE_PENDING[] =
    "SELECT enterprise_id FROM survey_audience WHERE survey_id = $1 AND responded_at = 0"
    " AND ($2 = '' OR region = $2) AND reminded_on = $3";
static const char SQL_MARK_REMINDED[] =
    "UPDATE survey_audience SET reminded_on = $3 WHERE survey_id = $1 AND responded_at = 0"
    " AND ($2 = '' OR region = $2) AND reminded_on <> $3";

int sv_load(zq_req *q, int64_t id, sv_survey *v)
{
    memset(v, 0, sizeof *v);
    db_stmt *s = db_prepare(q->db, SQL_LOAD);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        v->id = db_col_int64(s, 0);
        v->status = db_col_dup(q->arena, s, 1);
        v->per = db_col_dup(q->arena, s, 2);
        v->anonymous = db_col_int64(s, 3) != 0;
        v->allow_edit = db_col_int64(s, 4) != 0;
        v->open_at = db_col_int64(s, 5);
        v->close_at = db_col_int64(s, 6);
        v->published_at = db_col_int64(s, 7);
        v->closed_at = db_col_int64(s, 8);
        v->region = db_col_dup(q->arena, s, 9);
        v->copied_from = db_col_is_null(s, 10) ? 0 : db_col_int64(s, 10);
        v->created_at = db_col_int64(s, 11);
        v->updated_at = db_col_int64(s, 12);
        v->title = db_col_dup(q->arena, s, 13);
        v->description = db_col_dup(q->arena, s, 14);
        v->targets_json = db_col_dup(q->arena, s, 15);
        v->enterprise_ids = db_col_dup(q->arena, s, 16);
        v->definition = db_col_dup(q->arena, s, 17);
    }
    db_stmt_done(s);
    return rc;
}

int sv_admin_load(zq_req *q, zq_resp *r, bool write, sv_survey *v)
{
    int64_t id = hk_param_id(q, "id");
    int rc = id ? sv_load(q, id, v) : DB_DONE;
    /* district staff read the city's questionnaires (their district's
     * answers only) and their own; they change only their own */
    if (rc == DB_ROW && !zq_scope_citywide(q) &&
        (v->region ? !zq_scope_allows(q, v->region) : write))
        rc = DB_DONE;
    if (rc == DB_DONE) zq_fail(r, ZQ_E_NOT_FOUND, "问卷不存在");
    else if (rc != DB_ROW) zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return rc;
}

bool sv_open_now(const sv_survey *v, int64_t now)
{
    return strcmp(v->status, "published") == 0 && now >= v->open_at && now < v->close_at;
}

/* The state as staff and firms read it: 草稿 / 未开始 / 进行中 / 已结束. */
static const char *phase(const sv_survey *v, int64_t now)
{
    if (strcmp(v->status, "draft") == 0) return "draft";
    if (strcmp(v->status, "closed") == 0 || now >= v->close_at) return "closed";
    return now < v->open_at ? "scheduled" : "open";
}

void sv_write_survey(zq_req *q, zq_jw *w, const sv_survey *v, bool with_def)
{
    zq_jw_obj(w);
    zq_jw_kint(w, "id", v->id);
    zq_jw_kstr(w, "title", v->title);
    zq_jw_kstr(w, "description", v->description);
    zq_jw_kstr(w, "status", v->status);
    zq_jw_kstr(w, "phase", phase(v, q->now));
    zq_jw_kstr(w, "per", v->per);
    zq_jw_kbool(w, "anonymous", v->anonymous);
    zq_jw_kbool(w, "allow_edit", v->allow_edit);
    zq_jw_ktime(w, "open_at", v->open_at);
    zq_jw_ktime(w, "close_at", v->close_at);
    zq_jw_ktime(w, "published_at", v->published_at);
    zq_jw_ktime(w, "closed_at", v->closed_at);
    zq_jw_ktime(w, "created_at", v->created_at);
    zq_jw_ktime(w, "updated_at", v->updated_at);
    zq_jw_kstr(w, "region", v->region);
    if (v->copied_from) zq_jw_kint(w, "copied_from", v->copied_from);
    else zq_jw_kstr(w, "copied_from", NULL);
    if (with_def) {
        zq_jw_key(w, "questions");
        zq_jw_raw(w, v->definition, strlen(v->definition));
    }
}

void sv_write_answers(zq_jw *w, const char *stored)
{
    json_t *all = stored ? json_loads(stored, 0, NULL) : NULL;
    static const char *const keys[] = {"answers", "other"};
    for (int i = 0; i < 2; i++) {
        json_t *v = all ? json_object_get(all, keys[i]) : NULL;
        char *t = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        zq_jw_key(w, keys[i]);
        zq_jw_raw(w, t ? t : "{}", t ? strlen(t) : 2);
        free(t);
    }
    json_decref(all);
}

int sv_note(zq_req *q, int64_t id, const char *region, const char *detail)
{
    return audit_note(q, &(audit_entry){.object_type = "survey", .object_id = hk_id_str(q, id), .detail = detail,
                                        .region = region});
}

const char *sv_local_time(zq_arena *a, int64_t t)
{
    char b[20];
    zq_time_local(t, b);
    return zq_arena_strndup(a, b, 16);
}

typedef struct {
    int64_t id;
    const char *region, *day;
} aud_ctx;

static void bind_all(db_stmt *s, void *ctx)
{
    db_bind_int64(s, 1, ((aud_ctx *)ctx)->id);
}

static void bind_pending(db_stmt *s, void *ctx)
{
    aud_ctx *x = ctx;
    db_bind_int64(s, 1, x->id);
    db_bind_text(s, 2, x->region, -1);
    db_bind_text(s, 3, x->day, -1);
}

int sv_notify(db_conn *c, int64_t now, int64_t id, const char *title, int64_t close_at, bool reminder,
              const char *region, int64_t *firms)
{
    zq_arena *a = zq_arena_new(64 * 1024);
    if (!a) return DB_ERR;
    int rc = DB_ERR;
    char day[11], link[48];
    zq_today(now, day);
    snprintf(link, sizeof link, "/console/surveys/%lld", (long long)id);
    aud_ctx ctx = {id, region ? region : "", day};
    zq_buf b;
    zq_jw w;
    zq_buf_init(&b, 8192);
    zq_jw_init(&w, &b);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "title", title);
    zq_jw_kstr(&w, "close", sv_local_time(a, close_at));
    zq_jw_obj_end(&w);
    const char *params = zq_jw_ok(&w) ? zq_arena_strndup(a, b.data, b.len) : NULL;
    zq_buf_free(&b);
    if (!params) goto done;
    notify_msg m = {
        .topic = "survey",
        .template_code = reminder ? "survey.reminder" : "survey.published",
        /* the day in the key: one reminder per firm per day, a new one the next */
        .ref_type = reminder ? zq_arena_printf(a, "survey_remind:%s", day) : "survey",
        .ref_id = id,
        .params_json = params,
        .link = link,
    };
    if (!reminder) {
        rc = notify_enterprises_sql(c, now, &m, "survey.answer", SQL_AUDIENCE_ALL, bind_all, &ctx, NULL);
        if (rc == DB_OK && firms) {
            const char *p[1] = {zq_arena_printf(a, "%lld", (long long)id)};
            rc = db_query_int64(c, "SELECT COUNT(*) FROM survey_audience WHERE survey_id = CAST($1 AS BIGINT)", firms, 1,
                                p);
        }
        goto done;
    }
    db_stmt *s = db_prepare(c, SQL_MARK_REMINDED);
    if (!s) goto done;
    bind_pending(s, &ctx);
    rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) {
        if (rc >= 0) rc = DB_ERR;
        goto done;
    }
    if (firms) *firms = n;
    rc = n ? notify_enterprises_sql(c, now, &m, "survey.answer", SQL_AUDIENCE_PENDING, bind_pending, &ctx, NULL) : DB_OK;
done:
    zq_arena_free(a);
    return rc;
}
