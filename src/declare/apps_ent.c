/*
 * apps_ent.c — the enterprise's side (manual 7, 我的项目申报):
 *   GET  /api/v1/enterprise/declarations            calls open to this firm, with its application
 *   GET  /api/v1/enterprise/declarations/:id        one of them in full (404 outside its targets)
 *   POST /api/v1/enterprise/declarations/:id/application   the draft (422 templates_not_downloaded
 *                                                    until someone of the firm downloaded a template)
 *   GET  /api/v1/enterprise/applications?status=&page=
 *   GET/PUT /api/v1/enterprise/applications/:id      {"fields":{…},"materials":{slot:[upload ids]}}
 *   POST /api/v1/enterprise/applications/:id/submit | /withdraw
 * Writes need declaration.submit, reads policy.view or declaration.submit.
 * After submit nothing changes (409) until a reviewer returns it; the
 * window (open_at ≤ now < close_at) is the server's clock.
 */
#include "declare/declare.h"
#include "declare/declare_internal.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include "http/session.h"
#include "notify/notify.h"
#include "upload/upload.h"
#include <stdio.h>
#include <string.h>

static const char SQL_CALLS[] =
    "SELECT " DECL_CALL_COLS ", a.id, a.status, (SELECT COUNT(*) FROM decl_download d WHERE d.call_id = c.id"
    " AND d.enterprise_id = $1), (SELECT COUNT(*) FROM decl_template t WHERE t.call_id = c.id)"
    " FROM decl_call c LEFT JOIN decl_app a ON a.call_id = c.id AND a.enterprise_id = $1"
    " WHERE c.status <> 'draft' ORDER BY c.close_at DESC, c.id DESC LIMIT 500";
static const char SQL_CREATE[] =
    "INSERT INTO decl_app(call_id, enterprise_id, region, status, fields_json, created_by, created_at, updated_at)"
    " SELECT $1, e.id, e.region, 'draft', '{}', $3, $4, $4 FROM enterprise e WHERE e.id = $2"
    " ON CONFLICT (call_id, enterprise_id) DO NOTHING RETURNING id";
static const char SQL_DOWNLOADED[] =
    "SELECT (SELECT COUNT(*) FROM decl_template WHERE call_id = $1), (SELECT COUNT(*) FROM decl_download"
    " WHERE call_id = $1 AND enterprise_id = $2)";
static const char SQL_SAVE_FIELDS[] = "UPDATE decl_app SET fields_json = $2, updated_at = $3 WHERE id = $1";
static const char SQL_MAT_CLEAR[] = "DELETE FROM decl_material WHERE app_id = $1";
static const char SQL_MAT_ADD[] = "INSERT INTO decl_material(app_id, slot_key, upload_id, sort) VALUES ($1, $2, $3, $4)";
static const char SQL_SUBMIT[] =
    "UPDATE decl_app SET status = 'submitted', no = COALESCE(no, $2), version = version + 1, submitted_at = $3,"
    " updated_at = $3, return_deadline = 0 WHERE id = $1 AND status IN ('draft', 'returned', 'withdrawn')";
static const char SQL_SNAPSHOT[] =
    "INSERT INTO decl_version(app_id, version, fields_json, materials_json, submitted_at, submitted_by)"
    " SELECT id, version, fields_json, $2, $3, $4 FROM decl_app WHERE id = $1";
static const char SQL_MAT_SNAPSHOT[] =
    "SELECT m.slot_key, u.id, u.name, u.size, u.sha256 FROM decl_material m JOIN upload u ON u.id = m.upload_id"
    " WHERE m.app_id = $1 ORDER BY m.slot_key, m.sort";
static const char SQL_WITHDRAW[] =
    "UPDATE decl_app SET status = 'withdrawn', updated_at = $2 WHERE id = $1 AND status = 'submitted'";
static const char SQL_VERSIONS[] =
    "SELECT version, fields_json, materials_json, submitted_at FROM decl_version WHERE app_id = $1 ORDER BY version";

static const char MSG_LOCKED[] = "项目申报提交后将不能更改";

/* What the route's audit record is about (the pipeline writes it at the
 * commit, docs/audit.md). 0 or -1. */
static int app_audit(zq_req *q, const char *verb, int64_t id, const char *region)
{
    return audit_note(q, &(audit_entry){.action = zq_arena_printf(q->arena, "application.%s", verb),
                                          .object_type = "application",
                                          .object_id = zq_arena_printf(q->arena, "%lld", (long long)id),
                                          .enterprise_id = q->session->enterprise_id,
                                          .region = region});
}

/* A call this firm may see: published (in any later state) and within its
 * targets; 404 otherwise. */
static int load_call(zq_req *q, zq_resp *r, int64_t id, decl_call *c)
{
    int rc = id ? decl_call_load(q, id, c) : DB_DONE;
    if (rc == DB_ROW && (strcmp(c->status, "draft") == 0 || !decl_call_reaches(q, c, q->session->enterprise_id)))
        rc = DB_DONE;
    if (rc == DB_DONE) zq_fail(r, ZQ_E_NOT_FOUND, "申报通知不存在");
    else if (rc != DB_ROW) zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return rc;
}

/* The firm's own application :id and its call; 404 for anyone else's. */
static int load_app(zq_req *q, zq_resp *r, decl_app *a, decl_call *c)
{
    int64_t id = hk_param_id(q, "id");
    int rc = id ? decl_app_load(q, id, a) : DB_DONE;
    if (rc == DB_ROW && a->enterprise_id != q->session->enterprise_id) rc = DB_DONE;
    if (rc == DB_ROW) rc = decl_call_load(q, a->call_id, c);
    if (rc == DB_DONE) zq_fail(r, ZQ_E_NOT_FOUND, "申报不存在");
    else if (rc != DB_ROW) zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return rc;
}

static bool editable(const decl_app *a)
{
    return strcmp(a->status, "draft") == 0 || strcmp(a->status, "returned") == 0 || strcmp(a->status, "withdrawn") == 0;
}

/* The window a write needs: the call's for drafts, the reviewer's deadline
 * for returned ones. NULL when open, else the refusal's message. */
static const char *window_problem(zq_req *q, const decl_call *c, const decl_app *a)
{
    if (a && strcmp(a->status, "returned") == 0)
        return a->return_deadline && q->now > a->return_deadline ? "退回修改的期限已过" : NULL;
    if (strcmp(c->status, "published") != 0 || q->now >= c->close_at) return "申报已截止";
    if (q->now < c->open_at) return "申报尚未开始";
    return NULL;
}

static zq_err calls_list(zq_req *q, zq_resp *r)
{
    db_stmt *s = db_prepare(q->db, SQL_CALLS);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, q->session->enterprise_id);
    /* read first: the targets check below runs its own statements */
    enum { MAX = 500 };
    decl_call *calls = zq_arena_alloc(q->arena, sizeof *calls * MAX);
    int64_t *app_id = zq_arena_alloc(q->arena, sizeof(int64_t) * MAX), *downloaded = zq_arena_alloc(q->arena, sizeof(int64_t) * MAX),
            *ntpl = zq_arena_alloc(q->arena, sizeof(int64_t) * MAX);
    const char **app_status = zq_arena_alloc(q->arena, sizeof(char *) * MAX);
    if (!calls || !app_id || !downloaded || !ntpl || !app_status) {
        db_stmt_done(s);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && n < MAX) {
        decl_call_read(q, s, &calls[n]);
        app_id[n] = db_col_is_null(s, 21) ? 0 : db_col_int64(s, 21);
        app_status[n] = db_col_dup(q->arena, s, 22);
        downloaded[n] = db_col_int64(s, 23);
        ntpl[n] = db_col_int64(s, 24);
        n++;
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    int shown = 0;
    for (int i = 0; i < n; i++) {
        if (!app_id[i] && !decl_call_reaches(q, &calls[i], q->session->enterprise_id)) continue;
        zq_jw_obj(&w);
        decl_write_call(q, &w, &calls[i], false);
        /* the list has no templates; their count tells the UI whether there is anything to download */
        zq_jw_kint(&w, "template_count", ntpl[i]);
        zq_jw_kbool(&w, "templates_downloaded", downloaded[i] > 0 || ntpl[i] == 0);
        zq_jw_key(&w, "application");
        if (app_id[i]) {
            zq_jw_obj(&w);
            zq_jw_kint(&w, "id", app_id[i]);
            zq_jw_kstr(&w, "status", app_status[i]);
            zq_jw_obj_end(&w);
        } else zq_jw_null(&w);
        zq_jw_obj_end(&w);
        shown++;
    }
    zq_jw_arr_end(&w);
    zq_jw_kint(&w, "total", shown);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

/* (templates count, downloaded by this firm) */
static int download_state(zq_req *q, int64_t call_id, int64_t *ntpl, int64_t *done)
{
    db_stmt *s = db_prepare(q->db, SQL_DOWNLOADED);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, call_id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *ntpl = db_col_int64(s, 0);
        *done = db_col_int64(s, 1);
    }
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : DB_ERR;
}

static zq_err call_get(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_call(q, r, hk_param_id(q, "id"), &c) != DB_ROW) return r->err;
    int64_t ntpl = 0, done = 0;
    if (download_state(q, c.id, &ntpl, &done) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, "SELECT id, status FROM decl_app WHERE call_id = $1 AND enterprise_id = $2");
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    int64_t aid = 0;
    const char *ast = NULL;
    if (db_step(s) == DB_ROW) {
        aid = db_col_int64(s, 0);
        ast = zq_arena_strdup(q->arena, db_col_text(s, 1));
    }
    db_stmt_done(s);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    if (decl_write_call(q, &w, &c, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw_kint(&w, "template_count", ntpl);
    zq_jw_kbool(&w, "templates_downloaded", done > 0 || ntpl == 0);
    zq_jw_key(&w, "application");
    if (aid) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", aid);
        zq_jw_kstr(&w, "status", ast);
        zq_jw_obj_end(&w);
    } else zq_jw_null(&w);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err answer_app(zq_req *q, zq_resp *r, int64_t id, int status)
{
    decl_app a;
    decl_call c;
    if (decl_app_load(q, id, &a) != DB_ROW || decl_call_load(q, a.call_id, &c) != DB_ROW)
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    decl_write_app(q, &w, &a);
    zq_jw_kbool(&w, "editable", editable(&a));
    zq_jw_key(&w, "fields");
    zq_jw_raw(&w, a.fields_json, strlen(a.fields_json));
    if (decl_write_materials(q, &w, a.id) != DB_OK || decl_write_timeline(q, &w, a.id) != DB_OK)
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw_key(&w, "versions");
    zq_jw_arr(&w);
    db_stmt *s = db_prepare(q->db, SQL_VERSIONS);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, a.id);
    while (db_step(s) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "version", db_col_int64(s, 0));
        zq_jw_key(&w, "fields");
        zq_jw_raw(&w, db_col_text(s, 1), (size_t)db_col_text_len(s, 1));
        zq_jw_key(&w, "materials");
        zq_jw_raw(&w, db_col_text(s, 2), (size_t)db_col_text_len(s, 2));
        zq_jw_ktime(&w, "submitted_at", db_col_int64(s, 3));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    zq_jw_key(&w, "call");
    zq_jw_obj(&w);
    if (decl_write_call(q, &w, &c, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw_obj_end(&w);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err app_create(zq_req *q, zq_resp *r)
{
    decl_call c;
    if (load_call(q, r, hk_param_id(q, "id"), &c) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    const char *why = window_problem(q, &c, NULL);
    if (why) return zq_fail(r, ZQ_E_UNPROCESSABLE, why);
    int64_t ntpl = 0, done = 0;
    if (download_state(q, c.id, &ntpl, &done) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (ntpl > 0 && done == 0) return zq_fail(r, ZQ_E_TEMPLATES_NOT_DOWNLOADED, NULL);
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_CREATE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    db_bind_int64(s, 3, q->session->user_id);
    db_bind_int64(s, 4, q->now);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "本企业已有该项目的申报，每个企业只能申报一次");
    if (!id || decl_event_add(q, id, "create", NULL, NULL) != DB_OK || app_audit(q, "create", id, NULL) != 0 ||
        db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer_app(q, r, id, 201);
}

static zq_err apps_list(zq_req *q, zq_resp *r)
{
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, DECL_PAGE_MAX);
    const char *status = zq_req_query(q, "status");
    static const char *const ST[] = {"draft", "submitted", "district_review", "city_review", "returned",
                                     "approved", "rejected", "withdrawn"};
    bool ok = !status || !*status;
    for (size_t i = 0; !ok && i < sizeof ST / sizeof *ST; i++) ok = strcmp(status, ST[i]) == 0;
    if (!ok) zq_fail_field(q, r, "status", "状态不正确");
    if (r->err) return r->err;
    hk_filter f;
    hk_filter_init(&f, 1);
    hk_filter_num(&f, "a.enterprise_id = $%d", q->session->enterprise_id);
    hk_filter_text(&f, "a.status = $%d", status);
    int64_t total = 0;
    db_stmt *s;
    if (hk_filter_page(q, r, &f, "SELECT COUNT(*) FROM decl_app a%s",
                       "SELECT " DECL_APP_COLS ", c.title, c.close_at FROM decl_app a JOIN enterprise e ON e.id ="
                       " a.enterprise_id JOIN decl_call c ON c.id = a.call_id%s"
                       " ORDER BY a.updated_at DESC, a.id DESC",
                       page, size, &total, &s) != ZQ_OK)
        return r->err;
    zq_jw w;
    zq_list_begin(r, &w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        decl_app a;
        decl_app_read(q, s, &a);
        zq_jw_obj(&w);
        decl_write_app(q, &w, &a);
        zq_jw_kstr(&w, "call_title", db_col_text(s, 15));
        zq_jw_ktime(&w, "close_at", db_col_int64(s, 16));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_list_end(&w, total, page, size);
    return ZQ_OK;
}

static zq_err app_get(zq_req *q, zq_resp *r)
{
    decl_app a;
    decl_call c;
    if (load_app(q, r, &a, &c) != DB_ROW) return r->err;
    return answer_app(q, r, a.id, 200);
}

/* Locks the application row for this transaction on PostgreSQL (SQLite's
 * write transaction is exclusive already) and re-reads its status. */
static int lock_status(zq_req *q, int64_t id, char *status, size_t n)
{
    db_stmt *s = db_for_update(q->db, "SELECT status FROM decl_app WHERE id = $1", NULL);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) snprintf(status, n, "%s", db_col_text(s, 0));
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : DB_ERR;
}

static zq_err app_put(zq_req *q, zq_resp *r)
{
    decl_app a;
    decl_call c;
    if (load_app(q, r, &a, &c) != DB_ROW) return r->err;
    if (!editable(&a)) return zq_fail(r, ZQ_E_CONFLICT, MSG_LOCKED);
    const char *why = window_problem(q, &c, &a);
    if (why) return zq_fail(r, ZQ_E_UNPROCESSABLE, why);
    decl_app_input in;
    if (decl_app_input_read(q, r, &c, q->session->enterprise_id, &in) != ZQ_OK) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    char st[20] = "";
    if (lock_status(q, a.id, st, sizeof st) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    a.status = st;
    if (!editable(&a)) return hk_fail_tx(q, r, ZQ_E_CONFLICT, MSG_LOCKED);
    db_stmt *s;
    int rc = DB_DONE;
    if (in.has_fields) {
        if (!(s = db_prepare(q->db, SQL_SAVE_FIELDS))) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_int64(s, 1, a.id);
        db_bind_text(s, 2, in.fields_json, -1);
        db_bind_int64(s, 3, q->now);
        rc = db_step(s);
        db_stmt_done(s);
    }
    if (rc == DB_DONE && in.has_materials) {
        if (!(s = db_prepare(q->db, SQL_MAT_CLEAR))) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_int64(s, 1, a.id);
        rc = db_step(s);
        db_stmt_done(s);
        for (int i = 0; rc == DB_DONE && i < in.nmat; i++) {
            if (!(s = db_prepare(q->db, SQL_MAT_ADD))) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
            db_bind_int64(s, 1, a.id);
            db_bind_text(s, 2, in.mat_slot[i], -1);
            db_bind_int64(s, 3, in.mat_upload[i]);
            db_bind_int64(s, 4, i);
            rc = db_step(s);
            db_stmt_done(s);
        }
    }
    if (rc != DB_DONE || app_audit(q, "update", a.id, a.region) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer_app(q, r, a.id, 200);
}

/* [{"slot":…,"upload_id":…,"name":…,"size":…,"sha256":…}] of the
 * application's materials now (arena), for the version row. */
static const char *materials_snapshot(zq_req *q, int64_t app_id)
{
    zq_buf b;
    zq_jw w;
    zq_buf_init(&b, 1 << 20);
    zq_jw_init(&w, &b);
    zq_jw_arr(&w);
    db_stmt *s = db_prepare(q->db, SQL_MAT_SNAPSHOT);
    int rc = DB_ERR;
    if (s) {
        db_bind_int64(s, 1, app_id);
        while ((rc = db_step(s)) == DB_ROW) {
            zq_jw_obj(&w);
            zq_jw_kstr(&w, "slot", db_col_text(s, 0));
            zq_jw_kint(&w, "upload_id", db_col_int64(s, 1));
            zq_jw_kstr(&w, "name", db_col_text(s, 2));
            zq_jw_kint(&w, "size", db_col_int64(s, 3));
            zq_jw_kstr(&w, "sha256", db_col_text(s, 4));
            zq_jw_obj_end(&w);
        }
        db_stmt_done(s);
    }
    zq_jw_arr_end(&w);
    const char *out = rc == DB_DONE && zq_jw_ok(&w) ? zq_arena_strndup(q->arena, b.data, b.len) : NULL;
    zq_buf_free(&b);
    return out;
}

static zq_err app_submit(zq_req *q, zq_resp *r)
{
    decl_app a;
    decl_call c;
    if (load_app(q, r, &a, &c) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (!editable(&a)) return zq_fail(r, ZQ_E_CONFLICT, MSG_LOCKED);
    const char *why = window_problem(q, &c, &a);
    if (why) return zq_fail(r, ZQ_E_UNPROCESSABLE, why);
    if (decl_app_check_complete(q, r, &c, &a) != ZQ_OK) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    char st[20] = "";
    if (lock_status(q, a.id, st, sizeof st) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    a.status = st;
    if (!editable(&a)) return hk_fail_tx(q, r, ZQ_E_CONFLICT, MSG_LOCKED);
    char today[11];
    zq_today(q->now, today);
    /* 申报编号: SB + date of the first submission + call + application */
    const char *no = zq_arena_printf(q->arena, "SB%.4s%.2s%.2s%04lld%06lld", today, today + 5, today + 8,
                                     (long long)(c.id % 10000), (long long)a.id);
    const char *mats = materials_snapshot(q, a.id);
    db_stmt *s = mats ? db_prepare(q->db, SQL_SUBMIT) : NULL;
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, a.id);
    db_bind_text(s, 2, no, -1);
    db_bind_int64(s, 3, q->now);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE || n != 1) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (!(s = db_prepare(q->db, SQL_SNAPSHOT))) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, a.id);
    db_bind_text(s, 2, mats, -1);
    db_bind_int64(s, 3, q->now);
    db_bind_int64(s, 4, q->session->user_id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE || decl_event_add(q, a.id, "submit", NULL, NULL) != DB_OK ||
        app_audit(q, "submit", a.id, a.region) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer_app(q, r, a.id, 200);
}

static zq_err app_withdraw(zq_req *q, zq_resp *r)
{
    decl_app a;
    decl_call c;
    if (load_app(q, r, &a, &c) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (strcmp(a.status, "district_review") == 0 || strcmp(a.status, "city_review") == 0)
        return zq_fail(r, ZQ_E_CONFLICT, "申报已受理，审核已经开始，不能撤回");
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_WITHDRAW);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, a.id);
    db_bind_int64(s, 2, q->now);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (n != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "申报已受理或未提交，不能撤回");
    if (decl_event_add(q, a.id, "withdraw", NULL, NULL) != DB_OK || app_audit(q, "withdraw", a.id, a.region) != 0 ||
        db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer_app(q, r, a.id, 200);
}

#define READ "policy.view|declaration.submit"
#define WRITE "declaration.submit"
static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/declarations", calls_list, ZQ_ACCESS_MEMBER, READ, 0, 0, NULL},
    {ZQ_GET, "/api/v1/enterprise/declarations/:id", call_get, ZQ_ACCESS_MEMBER, READ, 0, 0, NULL},
    {ZQ_POST, "/api/v1/enterprise/declarations/:id/application", app_create, ZQ_ACCESS_MEMBER, WRITE, ZQ_RF_JSON, 0,
     "application.create"},
    {ZQ_GET, "/api/v1/enterprise/applications", apps_list, ZQ_ACCESS_MEMBER, READ, 0, 0, NULL},
    {ZQ_GET, "/api/v1/enterprise/applications/:id", app_get, ZQ_ACCESS_MEMBER, READ, 0, 0, NULL},
    {ZQ_PUT, "/api/v1/enterprise/applications/:id", app_put, ZQ_ACCESS_MEMBER, WRITE, ZQ_RF_JSON, 262144,
     "application.update"},
    {ZQ_POST, "/api/v1/enterprise/applications/:id/submit", app_submit, ZQ_ACCESS_MEMBER, WRITE, ZQ_RF_JSON, 0,
     "application.submit"},
    {ZQ_POST, "/api/v1/enterprise/applications/:id/withdraw", app_withdraw, ZQ_ACCESS_MEMBER, WRITE, ZQ_RF_JSON, 0,
     "application.withdraw"},
};
#undef READ
#undef WRITE
const zq_route_group decl_ent_routes = {routes, sizeof routes / sizeof routes[0]};
