/*
 * profile_api.c — the enterprise's own record over HTTP (docs/profile.md):
 *   GET    /api/v1/enterprise                     any active member
 *   GET    /api/v1/enterprise/<section>           any active member
 *   POST   /api/v1/enterprise/<section>           profile.edit
 *   PUT    /api/v1/enterprise/<section>/:id       profile.edit
 *   DELETE /api/v1/enterprise/<section>/:id       profile.edit
 * Sections come from the spec in section_spec.c; every write refreshes the
 * completeness score and is audited in the same transaction. A record of
 * another enterprise is simply not found (404): every statement is bound to
 * the session's enterprise.
 */
#include "profile/profile.h"
#include "profile/completeness.h"
#include "profile/section.h"
#include "auth/access.h"
#include "db/db.h"
#include "enterprise/form.h"
#include "core/clock.h"
#include "http/input.h"
#include "handler/kit.h"
#include <stdlib.h>
#include <string.h>

static const char SQL_PENDING[] =
    "SELECT c.id, c.new_name, c.new_uscc, c.new_region, c.status, c.reason, c.submitted_at, c.decided_at, rg.name"
    " FROM enterprise_change c LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = c.new_region"
    " WHERE c.enterprise_id = $1 AND c.status <> 'withdrawn' ORDER BY c.id DESC LIMIT 1";
/* how long a rejection stays on the firm's page, so it is seen but not forever */
#define REJECTION_SHOWN_S (30 * 86400)

/* The latest change request while it is pending, or for 30 days the
 * decision on it when it was rejected (so the firm sees why); null once
 * approved or withdrawn. */
static int write_change(zq_req *q, int64_t enterprise_id, zq_jw *w)
{
    db_stmt *s = db_prepare(q->db, SQL_PENDING);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, enterprise_id);
    int rc = db_step(s);
    zq_jw_key(w, "pending_change");
    bool shown = rc == DB_ROW && (strcmp(db_col_text(s, 4), "pending") == 0 ||
                                  (strcmp(db_col_text(s, 4), "rejected") == 0 &&
                                   db_col_int64(s, 7) > q->now - REJECTION_SHOWN_S));
    if (shown) {
        zq_jw_obj(w);
        zq_jw_kint(w, "id", db_col_int64(s, 0));
        zq_jw_key(w, "fields");
        zq_jw_obj(w);
        ent_jw_col_opt(w, "name", s, 1);
        ent_jw_col_opt(w, "uscc", s, 2);
        ent_jw_col_opt(w, "region", s, 3);
        if (!db_col_is_null(s, 3)) ent_jw_col_opt(w, "region_name", s, 8);
        zq_jw_obj_end(w);
        zq_jw_kstr(w, "status", db_col_text(s, 4));
        zq_jw_key(w, "reject_reason");
        if (db_col_is_null(s, 5)) zq_jw_null(w);
        else zq_jw_str(w, db_col_text(s, 5));
        hk_jw_time(w, "submitted_at", db_col_int64(s, 6));
        zq_jw_obj_end(w);
    } else {
        zq_jw_null(w);
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int profile_write_enterprise_open(zq_req *q, int64_t enterprise_id, bool with_sections, zq_jw *w)
{
    prof_completeness_t c;
    int rc = prof_completeness(q->db, enterprise_id, &c);
    if (rc != DB_OK) return rc;
    if ((rc = ent_app_write_open(q, w, enterprise_id, with_sections)) != DB_OK) return rc;
    prof_completeness_write(&c, w);
    /* industry is worth 10 and listed first when missing */
    zq_jw_kbool(w, "needs_industry", c.nmissing > 0 && strcmp(c.missing[0].key, "industry") == 0);
    if ((rc = write_change(q, enterprise_id, w)) != DB_OK) return rc;
    if (with_sections) {
        char today[11];
        zq_today(q->now, today);
        size_t n;
        const prof_section *const *secs = prof_sections(&n);
        zq_jw_key(w, "sections");
        zq_jw_obj(w);
        for (size_t i = 0; i < n; i++) {
            zq_jw_key(w, secs[i]->path);
            if ((rc = prof_write_list(q->db, secs[i], enterprise_id, today, w)) != DB_OK) return rc;
        }
        zq_jw_obj_end(w);
    }
    return DB_OK;
}

int profile_write_enterprise(zq_req *q, int64_t enterprise_id, bool with_sections, zq_jw *w)
{
    int rc = profile_write_enterprise_open(q, enterprise_id, with_sections, w);
    if (rc == DB_OK) zq_jw_obj_end(w);
    return rc;
}

static zq_err enterprise_get(zq_req *q, zq_resp *r)
{
    zq_jw w;
    zq_resp_json(r, &w, 200);
    int rc = profile_write_enterprise(q, q->session->enterprise_id, false, &w);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    return ZQ_OK;
}

/* ---- sections ---- */

/* "/api/v1/enterprise/<section>[/…]" → the section (the route table lists
 * only real sections, so this always finds one). */
static const prof_section *section_of(const zq_req *q)
{
    static const char prefix[] = "/api/v1/enterprise/";
    char name[32];
    const char *p = q->path + sizeof prefix - 1;
    size_t n = strcspn(p, "/");
    if (n >= sizeof name) return NULL;
    memcpy(name, p, n);
    name[n] = '\0';
    return prof_section_by_path(name);
}

/* Renders record id of the session's enterprise into an arena string (for
 * the response and the audit detail); NULL when there is no such record. */
static const char *record_json(zq_req *q, const prof_section *sec, int64_t id, int *rc_out)
{
    char sql[PROF_SQL_MAX], today[11];
    *rc_out = DB_OK;
    if (!prof_sql_select(sec, true, sql, sizeof sql)) {
        *rc_out = DB_ERR;
        return NULL;
    }
    zq_today(q->now, today);
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) {
        *rc_out = DB_ERR;
        return NULL;
    }
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, id);
    int rc = db_step(s);
    const char *out = NULL;
    if (rc == DB_ROW) {
        zq_buf b;
        zq_buf_init(&b, 1u << 20);
        zq_jw w;
        zq_jw_init(&w, &b);
        prof_write_row(q->db, sec, s, today, &w);
        out = zq_arena_strndup(q->arena, b.data ? b.data : "", b.len);
        zq_buf_free(&b);
    } else if (rc != DB_DONE) {
        *rc_out = rc < 0 ? rc : DB_ERR;
    }
    db_stmt_done(s);
    return out;
}

static zq_err section_list(zq_req *q, zq_resp *r)
{
    const prof_section *sec = section_of(q);
    if (!sec) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    char today[11];
    zq_today(q->now, today);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    int rc = prof_write_list(q->db, sec, q->session->enterprise_id, today, &w);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* 409 when another record of the enterprise already covers the year. */
static int year_taken(zq_req *q, const prof_section *sec, const prof_val *v, int64_t except, bool *taken)
{
    *taken = false;
    if (!sec->unique_year) return DB_OK;
    int kind = prof_kind_of(sec, v);
    if (sec->unique_kind >= 0 && kind != sec->unique_kind) return DB_OK;
    int yi = prof_field_index(sec, sec->unique_year);
    if (yi < 0 || !v[yi].set) return DB_OK;
    char sql[PROF_SQL_MAX];
    if (!prof_sql_year(sec, sql, sizeof sql)) return DB_ERR;
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, v[yi].i);
    db_bind_int64(s, 3, except);
    if (sec->unique_kind >= 0)
        db_bind_text(s, 4, sec->fields[sec->kind_field].values[sec->unique_kind].code, -1);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_ROW) *taken = true;
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static zq_err refuse_year(zq_req *q, zq_resp *r, const prof_section *sec)
{
    zq_fail_field(q, r, sec->unique_year, "该年度的记录已存在，请修改已有记录");
    return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该年度的记录已存在");
}

static zq_err finish_write(zq_req *q, zq_resp *r, const prof_section *sec, int64_t id,
                           const char *before, int status)
{
    int rc, err = DB_OK;
    const char *after = status == 204 ? NULL : record_json(q, sec, id, &err);
    if (err != DB_OK) return hk_fail_db(q, r, err);
    if ((rc = profile_completeness_refresh(q->db, q->session->enterprise_id)) < 0) return hk_fail_db(q, r, rc);
    const char *detail = zq_arena_printf(q->arena, "{\"section\":\"%s\",\"before\":%s,\"after\":%s}", sec->path,
                                         before ? before : "null", after ? after : "null");
    /* the action, profile.<section>.<verb>, is the route's (SECTION_ROUTES below) */
    if (hk_note(q, q->session->enterprise_id, sec->table, id, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    r->status = status;
    if (after) {
        r->content_type = "application/json; charset=utf-8";
        zq_buf_puts(&r->body, after);
    }
    return ZQ_OK;
}

static zq_err section_create(zq_req *q, zq_resp *r)
{
    const prof_section *sec = section_of(q);
    if (!sec) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    prof_val v[PROF_MAX_FIELDS];
    prof_read(q, r, sec, q->session->enterprise_id, v);
    if (r->err) return r->err;
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    bool taken;
    if ((rc = year_taken(q, sec, v, 0, &taken)) != DB_OK) return hk_fail_db(q, r, rc);
    if (taken) return refuse_year(q, r, sec);
    char sql[PROF_SQL_MAX];
    if (!prof_sql_insert(sec, sql, sizeof sql)) return hk_fail_db(q, r, DB_ERR);
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, q->session->user_id);
    db_bind_int64(s, 3, q->now);
    prof_bind(s, sec, v, 4);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT && sec->unique_year) return refuse_year(q, r, sec);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    return finish_write(q, r, sec, id, NULL, 201);
}

static zq_err section_update(zq_req *q, zq_resp *r)
{
    const prof_section *sec = section_of(q);
    int64_t id = hk_param_id(q, "id");
    if (!sec) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    prof_val v[PROF_MAX_FIELDS];
    prof_read(q, r, sec, q->session->enterprise_id, v);
    if (r->err) return r->err;
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    int rc = db_begin(q->db, true), err;
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    const char *before = record_json(q, sec, id, &err);
    if (err != DB_OK) return hk_fail_db(q, r, err);
    if (!before) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "记录不存在或已被删除");
    bool taken;
    if ((rc = year_taken(q, sec, v, id, &taken)) != DB_OK) return hk_fail_db(q, r, rc);
    if (taken) return refuse_year(q, r, sec);
    char sql[PROF_SQL_MAX];
    if (!prof_sql_update(sec, sql, sizeof sql)) return hk_fail_db(q, r, DB_ERR);
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    db_bind_int64(s, 3, q->now);
    prof_bind(s, sec, v, 4);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT && sec->unique_year) return refuse_year(q, r, sec);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    return finish_write(q, r, sec, id, before, 200);
}

static zq_err section_delete(zq_req *q, zq_resp *r)
{
    const prof_section *sec = section_of(q);
    int64_t id = hk_param_id(q, "id");
    if (zq_in_none(q, r)) return r->err;
    if (!sec || !id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    int rc = db_begin(q->db, true), err;
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    const char *before = record_json(q, sec, id, &err);
    if (err != DB_OK) return hk_fail_db(q, r, err);
    if (!before) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "记录不存在或已被删除");
    char sql[PROF_SQL_MAX];
    if (!prof_sql_delete(sec, sql, sizeof sql)) return hk_fail_db(q, r, DB_ERR);
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    return finish_write(q, r, sec, id, before, 204);
}

#define SECTION_ROUTES(name)                                                                                        \
    {ZQ_GET, "/api/v1/enterprise/" name, section_list, ZQ_ACCESS_MEMBER, NULL, 0, 0, NULL},                           \
    {ZQ_POST, "/api/v1/enterprise/" name, section_create, ZQ_ACCESS_MEMBER, "profile.edit", ZQ_RF_JSON, 65536,        \
     "profile." name ".create"},                                                                                    \
    {ZQ_PUT, "/api/v1/enterprise/" name "/:id", section_update, ZQ_ACCESS_MEMBER, "profile.edit", ZQ_RF_JSON, 65536, \
     "profile." name ".update"},                                                                                    \
    {ZQ_DELETE, "/api/v1/enterprise/" name "/:id", section_delete, ZQ_ACCESS_MEMBER, "profile.edit", ZQ_RF_JSON, 0,  \
     "profile." name ".delete"}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise", enterprise_get, ZQ_ACCESS_MEMBER, NULL, 0, 0, NULL},
    SECTION_ROUTES("qualifications"),
    SECTION_ROUTES("tech"),
    SECTION_ROUTES("personnel"),
    SECTION_ROUTES("operations"),
    SECTION_ROUTES("ip"),
    SECTION_ROUTES("projects"),
    SECTION_ROUTES("carriers"),
};
const zq_route_group profile_routes = {routes, sizeof routes / sizeof routes[0]};
