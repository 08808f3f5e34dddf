/*
 * common.c — the call and application rows shared by every declaration
 * file: reading, phases, the JSON they are written as, the timeline, and
 * the event log.
 */
#include "declare/declare_internal.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/text.h"
#include "http/session.h"
#include "targets/targets.h"
#include <stdio.h>
#include <string.h>

static const char SQL_CALL[] = "SELECT " DECL_CALL_COLS " FROM decl_call c WHERE c.id = $1";
static const char SQL_APP[] =
    "SELECT " DECL_APP_COLS " FROM decl_app a JOIN enterprise e ON e.id = a.enterprise_id WHERE a.id = $1";
static const char SQL_TEMPLATES[] =
    "SELECT f.id, f.name, f.size, f.mime FROM decl_template t JOIN bureau_file f ON f.id = t.file_id"
    " WHERE t.call_id = $1 ORDER BY t.sort";
static const char SQL_EVENTS[] =
    "SELECT action, level, reason, actor_kind, actor_name, at FROM decl_event WHERE app_id = $1 ORDER BY id";
static const char SQL_EVENT_ADD[] =
    "INSERT INTO decl_event(app_id, at, actor_kind, actor_id, actor_name, action, level, reason)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_MATERIALS[] =
    "SELECT m.slot_key, u.id, u.name, u.size, u.mime, u.sha256 FROM decl_material m JOIN upload u ON u.id = m.upload_id"
    " WHERE m.app_id = $1 ORDER BY m.slot_key, m.sort";

void decl_call_read(zq_req *q, db_stmt *s, decl_call *c)
{
    c->id = db_col_int64(s, 0);
    c->status = db_col_dup(q->arena, s, 1);
    c->title = db_col_dup(q->arena, s, 2);
    c->body_html = db_col_dup(q->arena, s, 3);
    c->department = db_col_dup(q->arena, s, 4);
    c->contact = db_col_dup(q->arena, s, 5);
    c->targets_json = db_col_dup(q->arena, s, 6);
    c->region = db_col_dup(q->arena, s, 7);
    c->levels = db_col_dup(q->arena, s, 8);
    c->slots_json = db_col_dup(q->arena, s, 9);
    c->fields_json = db_col_dup(q->arena, s, 10);
    c->criteria_json = db_col_dup(q->arena, s, 11);
    c->policy_id = db_col_int64(s, 12);
    c->open_at = db_col_int64(s, 13);
    c->close_at = db_col_int64(s, 14);
    c->published_at = db_col_int64(s, 15);
    c->closed_at = db_col_int64(s, 16);
    c->results_at = db_col_int64(s, 17);
    c->objection_until = db_col_int64(s, 18);
    c->created_at = db_col_int64(s, 19);
    c->updated_at = db_col_int64(s, 20);
}

int decl_call_load(zq_req *q, int64_t id, decl_call *c)
{
    db_stmt *s = db_prepare(q->db, SQL_CALL);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) decl_call_read(q, s, c);
    db_stmt_done(s);
    return rc;
}

void decl_app_read(zq_req *q, db_stmt *s, decl_app *a)
{
    a->id = db_col_int64(s, 0);
    a->call_id = db_col_int64(s, 1);
    a->enterprise_id = db_col_int64(s, 2);
    a->region = db_col_dup(q->arena, s, 3);
    a->status = db_col_dup(q->arena, s, 4);
    a->no = db_col_dup(q->arena, s, 5);
    a->fields_json = db_col_dup(q->arena, s, 6);
    a->version = db_col_int64(s, 7);
    a->submitted_at = db_col_int64(s, 8);
    a->return_reason = db_col_dup(q->arena, s, 9);
    a->return_deadline = db_col_int64(s, 10);
    a->decided_at = db_col_int64(s, 11);
    a->created_at = db_col_int64(s, 12);
    a->updated_at = db_col_int64(s, 13);
    a->ent_name = db_col_dup(q->arena, s, 14);
}

int decl_app_load(zq_req *q, int64_t id, decl_app *a)
{
    db_stmt *s = db_prepare(q->db, SQL_APP);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) decl_app_read(q, s, a);
    db_stmt_done(s);
    return rc;
}

const char *decl_phase(const decl_call *c, int64_t now)
{
    if (strcmp(c->status, "draft") == 0) return "draft";
    if (strcmp(c->status, "results") == 0) return "results";
    if (strcmp(c->status, "closed") == 0 || now >= c->close_at) return "closed";
    return now < c->open_at ? "upcoming" : "open";
}

bool decl_has_district(const decl_call *c)
{
    return c->levels && strstr(c->levels, "district") != NULL;
}

int decl_event_add(zq_req *q, int64_t app_id, const char *action, const char *level, const char *reason)
{
    const zq_session *ss = q->session;
    db_stmt *s = db_prepare(q->db, SQL_EVENT_ADD);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, app_id);
    db_bind_int64(s, 2, q->now);
    db_bind_text(s, 3, !ss ? "system" : ss->staff_id ? "staff" : "user", -1);
    db_bind_int64(s, 4, !ss ? 0 : ss->staff_id ? ss->staff_id : ss->user_id);
    if (ss && ss->actor_name) db_bind_text(s, 5, ss->actor_name, -1);
    else db_bind_null(s, 5);
    db_bind_text(s, 6, action, -1);
    if (level) db_bind_text(s, 7, level, -1);
    else db_bind_null(s, 7);
    if (reason) db_bind_text(s, 8, reason, -1);
    else db_bind_null(s, 8);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

void decl_app_filter(zq_req *q, hk_filter *f, int64_t call_id, const char *region, const char *status, const char *kw)
{
    hk_filter_init(f, 1);
    hk_filter_num(f, "a.call_id = $%d", call_id);
    hk_filter_scope(f, q, "a.region");
    hk_filter_text(f, "a.region = $%d", region);
    hk_filter_text(f, "a.status = $%d", status);
    hk_filter_contains(f, q->arena, "(e.name LIKE $%d ESCAPE '\\' OR a.no LIKE $%d ESCAPE '\\')", kw);
}

bool decl_call_reaches(zq_req *q, const decl_call *c, int64_t enterprise_id)
{
    targets t;
    targets_verdict v;
    if (targets_from_json(q->arena, c->targets_json ? c->targets_json : "{}", &t) != 0) return false;
    if (targets_check(q->db, q->arena, &t, enterprise_id, &v) != DB_OK) return false;
    return v.met;
}

static void raw_or(zq_jw *w, const char *key, const char *json, const char *dflt)
{
    zq_jw_key(w, key);
    const char *v = json && *json ? json : dflt;
    zq_jw_raw(w, v, strlen(v));
}

int decl_write_call(zq_req *q, zq_jw *w, const decl_call *c, bool full)
{
    zq_jw_kint(w, "id", c->id);
    zq_jw_kstr(w, "title", c->title);
    zq_jw_kstr(w, "status", c->status);
    zq_jw_kstr(w, "phase", decl_phase(c, q->now));
    zq_jw_kstr(w, "department", c->department);
    zq_jw_ktime(w, "open_at", c->open_at);
    zq_jw_ktime(w, "close_at", c->close_at);
    zq_jw_ktime(w, "published_at", c->published_at);
    zq_jw_ktime(w, "results_at", c->results_at);
    zq_jw_ktime(w, "objection_until", c->objection_until);
    int64_t left = c->close_at - q->now;
    zq_jw_kint(w, "days_left", left > 0 ? (left + 86399) / 86400 : 0);
    if (!full) return DB_OK;
    zq_jw_kstr(w, "body_html", c->body_html);
    zq_jw_kstr(w, "contact", c->contact);
    zq_jw_key(w, "policy_id");
    if (c->policy_id) zq_jw_int(w, c->policy_id);
    else zq_jw_null(w);
    raw_or(w, "targets", c->targets_json, "{}");
    zq_jw_key(w, "levels");
    zq_jw_arr(w);
    if (decl_has_district(c)) zq_jw_str(w, "district");
    zq_jw_str(w, "city");
    zq_jw_arr_end(w);
    raw_or(w, "slots", c->slots_json, "[]");
    raw_or(w, "fields", c->fields_json, "[]");
    raw_or(w, "criteria", c->criteria_json, "[]");
    zq_jw_key(w, "templates");
    zq_jw_arr(w);
    db_stmt *s = db_prepare(q->db, SQL_TEMPLATES);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, c->id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(w);
        zq_jw_kint(w, "id", db_col_int64(s, 0));
        zq_jw_kstr(w, "name", db_col_text(s, 1));
        zq_jw_kint(w, "size", db_col_int64(s, 2));
        zq_jw_kstr(w, "mime", db_col_text(s, 3));
        zq_jw_kstr(w, "url", zq_arena_printf(q->arena, "/api/v1/declarations/%lld/templates/%lld", (long long)c->id,
                                             (long long)db_col_int64(s, 0)));
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

void decl_write_app(zq_req *q, zq_jw *w, const decl_app *a)
{
    zq_jw_kint(w, "id", a->id);
    zq_jw_kint(w, "call_id", a->call_id);
    zq_jw_kint(w, "enterprise_id", a->enterprise_id);
    zq_jw_kstr(w, "enterprise_name", a->ent_name);
    zq_jw_kstr(w, "region", a->region);
    zq_jw_kstr(w, "status", a->status);
    zq_jw_kstr(w, "no", a->no);
    zq_jw_kint(w, "version", a->version);
    zq_jw_ktime(w, "submitted_at", a->submitted_at);
    zq_jw_kstr(w, "return_reason", a->return_reason);
    zq_jw_ktime(w, "return_deadline", a->return_deadline);
    zq_jw_ktime(w, "decided_at", a->decided_at);
    zq_jw_ktime(w, "created_at", a->created_at);
    zq_jw_ktime(w, "updated_at", a->updated_at);
}

int decl_write_timeline(zq_req *q, zq_jw *w, int64_t app_id)
{
    zq_jw_key(w, "timeline");
    zq_jw_arr(w);
    db_stmt *s = db_prepare(q->db, SQL_EVENTS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, app_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(w);
        zq_jw_kstr(w, "action", db_col_text(s, 0));
        zq_jw_kstr(w, "level", db_col_is_null(s, 1) ? NULL : db_col_text(s, 1));
        zq_jw_kstr(w, "reason", db_col_is_null(s, 2) ? NULL : db_col_text(s, 2));
        zq_jw_kstr(w, "actor_kind", db_col_text(s, 3));
        zq_jw_kstr(w, "actor_name", db_col_is_null(s, 4) ? NULL : db_col_text(s, 4));
        zq_jw_ktime(w, "at", db_col_int64(s, 5));
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

int decl_write_materials(zq_req *q, zq_jw *w, int64_t app_id)
{
    zq_jw_key(w, "materials");
    zq_jw_obj(w);
    db_stmt *s = db_prepare(q->db, SQL_MATERIALS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, app_id);
    int rc;
    char last[40] = "";
    while ((rc = db_step(s)) == DB_ROW) {
        const char *slot = db_col_text(s, 0);
        if (strcmp(slot, last) != 0) {
            if (*last) zq_jw_arr_end(w);
            snprintf(last, sizeof last, "%s", slot);
            zq_jw_key(w, last);
            zq_jw_arr(w);
        }
        zq_jw_obj(w);
        zq_jw_kint(w, "id", db_col_int64(s, 1));
        zq_jw_kstr(w, "name", db_col_text(s, 2));
        zq_jw_kint(w, "size", db_col_int64(s, 3));
        zq_jw_kstr(w, "mime", db_col_text(s, 4));
        zq_jw_kstr(w, "sha256", db_col_text(s, 5));
        zq_jw_obj_end(w);
    }
    if (*last) zq_jw_arr_end(w);
    db_stmt_done(s);
    zq_jw_obj_end(w);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

const char *decl_params(zq_arena *a, const decl_call *c, const char *k1, const char *v1, const char *k2,
                        const char *v2)
{
    zq_buf b;
    zq_jw w;
    zq_buf_init(&b, 16384);
    zq_jw_init(&w, &b);
    char open[20], close[20];
    zq_time_local(c->open_at, open);
    zq_time_local(c->close_at, close);
    open[16] = close[16] = '\0'; /* to the minute */
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "title", c->title);
    zq_jw_kstr(&w, "open", open);
    zq_jw_kstr(&w, "close", close);
    if (k1) zq_jw_kstr(&w, k1, v1 ? v1 : "");
    if (k2) zq_jw_kstr(&w, k2, v2 ? v2 : "");
    zq_jw_obj_end(&w);
    const char *out = zq_jw_ok(&w) ? zq_arena_strndup(a, b.data, b.len) : NULL;
    zq_buf_free(&b);
    return out;
}

/* The application after a decision, with its timeline. */
zq_err decl_answer_app(zq_req *q, zq_resp *r, int64_t id)
{
    decl_app a;
    if (decl_app_load(q, id, &a) != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    decl_write_app(q, &w, &a);
    if (decl_write_timeline(q, &w, a.id) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

