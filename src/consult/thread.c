/*
 * thread.c — a consultation's rows: inserting it routed and with its
 * deadlines, appending messages and timestamped steps, loading it as the
 * firm / staff / public may see it, and writing it as JSON. The public
 * view is anonymised here, in one place: no firm, no person, no phone.
 */
#include "consult/consult_internal.h"
#include "core/buf.h"
#include "dict/dict.h"
#include "http/scope.h"
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO consultation(enterprise_id, user_id, visitor_phone, region, kind, category, title, content,"
    " publishable, status, unit_id, due_at, ack_due_at, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', $10, $11, $12, $13, $13) RETURNING id";
static const char SQL_MESSAGE[] =
    "INSERT INTO consult_message(consultation_id, author_kind, author_id, body_html, body_text, attachments, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_EVENT[] =
    "INSERT INTO consult_event(consultation_id, event, actor_kind, actor_id, detail, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
#define LOAD_SELECT                                                                                              \
    "SELECT id, enterprise_id, user_id, unit_id, due_at, answered_at, escalated_at, published_at, status, title," \
    " region, kind, category, publishable FROM consultation WHERE id = $1"
static const char SQL_LOAD_FIRM[] = LOAD_SELECT " AND enterprise_id = $2";
static const char SQL_LOAD_STAFF[] = LOAD_SELECT " AND ($2 = '' OR region = $2)";
static const char SQL_LOAD_PUBLIC[] = LOAD_SELECT " AND published_at > 0";
static const char SQL_DETAIL[] =
    "SELECT c.id, c.kind, c.category, c.title, c.status, c.due_at, c.ack_due_at, c.created_at, c.acknowledged_at,"
    " c.answered_at, c.closed_at, c.escalated_at, c.rating, c.rating_comment, c.review_needed, c.publishable,"
    " c.published_at, c.unit_id, u.name, c.region, e.name, c.visitor_phone, a.name, a.phone"
    " FROM consultation c LEFT JOIN consult_unit u ON u.id = c.unit_id"
    " LEFT JOIN enterprise e ON e.id = c.enterprise_id LEFT JOIN app_user a ON a.id = c.user_id WHERE c.id = $1";
static const char SQL_THREAD[] =
    "SELECT id, author_kind, body_html, attachments, created_at FROM consult_message WHERE consultation_id = $1"
    " ORDER BY id LIMIT 200";
static const char SQL_EVENTS[] =
    "SELECT event, actor_kind, detail, created_at FROM consult_event WHERE consultation_id = $1 ORDER BY id LIMIT 200";

static int step_done(db_stmt *s)
{
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static const char *actor_kind(const zq_req *q)
{
    if (!q->session) return "visitor";
    return q->session->staff_id ? "staff" : "user";
}

static int64_t actor_id(const zq_req *q)
{
    if (!q->session) return 0;
    return q->session->staff_id ? q->session->staff_id : q->session->user_id;
}

int cs_add_message(zq_req *q, int64_t id, const char *author_kind, int64_t author_id, const char *html,
                   const char *text, const char *attachments_json)
{
    db_stmt *s = db_prepare(q->db, SQL_MESSAGE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, author_kind, -1);
    if (author_id) db_bind_int64(s, 3, author_id);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, html, -1);
    db_bind_text(s, 5, text, -1);
    db_bind_text(s, 6, attachments_json ? attachments_json : "[]", -1);
    db_bind_int64(s, 7, q->now);
    return step_done(s);
}

int cs_add_event(zq_req *q, int64_t id, const char *event, const char *detail)
{
    db_stmt *s = db_prepare(q->db, SQL_EVENT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, event, -1);
    db_bind_text(s, 3, actor_kind(q), -1);
    int64_t who = actor_id(q);
    if (who) db_bind_int64(s, 4, who);
    else db_bind_null(s, 4);
    db_bind_text(s, 5, detail ? detail : "", -1);
    db_bind_int64(s, 6, q->now);
    return step_done(s);
}

int cs_insert(zq_req *q, const cs_submission *sub, int64_t eid, int64_t user_id, const char *visitor_phone,
              const char *region, int64_t *id)
{
    int ack = 1, answer = 5, rc;
    int64_t unit = 0, ack_due = 0, due = 0;
    if ((rc = cs_sla_days(q->db, sub->category, sub->kind, &ack, &answer)) != DB_OK) return rc;
    if ((rc = cs_sla_due(q->db, q->now, ack, &ack_due)) != DB_OK) return rc;
    if ((rc = cs_sla_due(q->db, q->now, answer, &due)) != DB_OK) return rc;
    if ((rc = cs_route_unit(q->db, sub->category, region, &unit)) != DB_OK) return rc;
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return DB_ERR;
    if (eid) db_bind_int64(s, 1, eid);
    else db_bind_null(s, 1);
    if (user_id) db_bind_int64(s, 2, user_id);
    else db_bind_null(s, 2);
    if (visitor_phone) db_bind_text(s, 3, visitor_phone, -1);
    else db_bind_null(s, 3);
    if (region) db_bind_text(s, 4, region, -1);
    else db_bind_null(s, 4);
    db_bind_text(s, 5, sub->kind, -1);
    db_bind_text(s, 6, sub->category, -1);
    db_bind_text(s, 7, sub->title, -1);
    db_bind_text(s, 8, sub->content_text, -1);
    db_bind_int64(s, 9, sub->publishable ? 1 : 0);
    if (unit) db_bind_int64(s, 10, unit);
    else db_bind_null(s, 10);
    db_bind_int64(s, 11, due);
    db_bind_int64(s, 12, ack_due);
    db_bind_int64(s, 13, q->now);
    rc = db_step(s);
    *id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = cs_add_message(q, *id, actor_kind(q), actor_id(q), sub->content_html, sub->content_text,
                             sub->attachments_json)) != DB_OK)
        return rc;
    if ((rc = cs_add_event(q, *id, "submitted", NULL)) != DB_OK) return rc;
    return unit ? cs_add_event(q, *id, "routed", hk_id_str(q, unit)) : DB_OK;
}

int cs_load(zq_req *q, int64_t id, cs_view view, int64_t eid, bool for_update, cs_row *out)
{
    memset(out, 0, sizeof *out);
    if (id <= 0) return DB_DONE;
    const char *sql = view == CS_VIEW_FIRM ? SQL_LOAD_FIRM : view == CS_VIEW_STAFF ? SQL_LOAD_STAFF : SQL_LOAD_PUBLIC;
    db_stmt *s = for_update ? db_for_update(q->db, sql, NULL) : db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    if (view == CS_VIEW_FIRM) db_bind_int64(s, 2, eid);
    else if (view == CS_VIEW_STAFF) db_bind_text(s, 2, zq_scope_value(q), -1);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->id = db_col_int64(s, 0);
        out->enterprise_id = db_col_int64(s, 1);
        out->user_id = db_col_int64(s, 2);
        out->unit_id = db_col_int64(s, 3);
        out->due_at = db_col_int64(s, 4);
        out->answered_at = db_col_int64(s, 5);
        out->escalated_at = db_col_int64(s, 6);
        out->published_at = db_col_int64(s, 7);
        out->status = db_col_dup(q->arena, s, 8);
        out->title = db_col_dup(q->arena, s, 9);
        out->region = db_col_dup(q->arena, s, 10);
        out->kind = db_col_dup(q->arena, s, 11);
        out->category = db_col_dup(q->arena, s, 12);
        out->publishable = db_col_int64(s, 13) != 0;
    }
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_DONE : rc < 0 ? rc : DB_ERR;
}

zq_err cs_begin_on(zq_req *q, zq_resp *r, cs_view view, int64_t eid, cs_row *row)
{
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    int rc = cs_load(q, hk_param_id(q, "id"), view, eid, true, row);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "咨询不存在");
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    return ZQ_OK;
}

bool cs_status_open(const char *status)
{
    return status && (!strcmp(status, "submitted") || !strcmp(status, "acknowledged") || !strcmp(status, "reopened"));
}

void cs_write_flags(zq_req *q, zq_jw *w, const char *status, int64_t due_at)
{
    bool open = cs_status_open(status);
    zq_jw_kbool(w, "overdue", open && q->now > due_at);
    zq_jw_kbool(w, "near_due", open && q->now <= due_at && due_at - q->now < CS_NEAR_DUE_S);
}

static void write_category(zq_req *q, zq_jw *w, const char *code)
{
    zq_jw_kstr(w, "category", code);
    const char *name = code ? dict_name(q, "consult_category", code) : NULL;
    zq_jw_kstr(w, "category_name", name ? name : code);
}

void cs_write_list_item(zq_req *q, zq_jw *w, db_stmt *s, cs_view view)
{
    const char *status = db_col_text(s, 4);
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 0));
    zq_jw_kstr(w, "kind", db_col_text(s, 1));
    write_category(q, w, db_col_text(s, 2));
    zq_jw_kstr(w, "title", db_col_text(s, 3));
    if (view == CS_VIEW_PUBLIC) {
        hk_jw_time(w, "asked_at", db_col_int64(s, 6));
        hk_jw_time(w, "answered_at", db_col_int64(s, 7));
        zq_jw_obj_end(w);
        return;
    }
    zq_jw_kstr(w, "status", status);
    hk_jw_time(w, "due_at", db_col_int64(s, 5));
    cs_write_flags(q, w, status, db_col_int64(s, 5));
    hk_jw_time(w, "created_at", db_col_int64(s, 6));
    hk_jw_time(w, "answered_at", db_col_int64(s, 7));
    hk_jw_time(w, "closed_at", db_col_int64(s, 8));
    hk_jw_col_str(w, "rating", s, 9);
    if (view == CS_VIEW_STAFF) {
        zq_jw_kbool(w, "escalated", db_col_int64(s, 10) > 0);
        hk_jw_col_int(w, "unit_id", s, 11);
        hk_jw_col_str(w, "region", s, 12);
        zq_jw_kbool(w, "published", db_col_int64(s, 13) > 0);
        zq_jw_kbool(w, "review_needed", db_col_int64(s, 14) != 0);
    }
    zq_jw_obj_end(w);
}

/* Who asked, to be removed from what the public sees: the firm's name,
 * the person's name and phones. NULL-terminated. */
typedef struct {
    const char *v[5];
} cs_mask;

/* text with every occurrence of a mask's string replaced by "***" (arena). */
static const char *masked(zq_req *q, const char *text, const cs_mask *m)
{
    const char *out = text;
    for (int i = 0; m && m->v[i]; i++) {
        size_t nl = strlen(m->v[i]);
        if (nl < 2 || !strstr(out, m->v[i])) continue;
        zq_buf b;
        zq_buf_init(&b, strlen(out) * 2 + 16);
        for (const char *p = out, *hit; *p; p = hit + nl) {
            if (!(hit = strstr(p, m->v[i]))) {
                zq_buf_puts(&b, p);
                break;
            }
            zq_buf_append(&b, p, (size_t)(hit - p));
            zq_buf_puts(&b, "***");
        }
        const char *next = b.overflow ? NULL : zq_arena_strdup(q->arena, b.data ? b.data : "");
        zq_buf_free(&b);
        if (!next) return "";
        out = next;
    }
    return out;
}

static int write_thread(zq_req *q, zq_jw *w, int64_t id, cs_view view, const cs_mask *m)
{
    db_stmt *s = db_prepare(q->db, SQL_THREAD);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    zq_jw_key(w, "messages");
    zq_jw_arr(w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *kind = db_col_text(s, 1);
        zq_jw_obj(w);
        zq_jw_kint(w, "id", db_col_int64(s, 0));
        /* the public sees who answered (the bureau), never who asked */
        zq_jw_kstr(w, "author", strcmp(kind, "staff") == 0 ? "bureau" : "asker");
        if (view != CS_VIEW_PUBLIC) zq_jw_kstr(w, "author_kind", kind);
        zq_jw_kstr(w, "content", view == CS_VIEW_PUBLIC ? masked(q, db_col_text(s, 2), m) : db_col_text(s, 2));
        if (view != CS_VIEW_PUBLIC) {
            zq_jw_key(w, "attachments");
            zq_jw_raw(w, db_col_text(s, 3), strlen(db_col_text(s, 3)));
        }
        hk_jw_time(w, "created_at", db_col_int64(s, 4));
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int write_events(zq_req *q, zq_jw *w, int64_t id)
{
    db_stmt *s = db_prepare(q->db, SQL_EVENTS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    zq_jw_key(w, "events");
    zq_jw_arr(w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(w);
        zq_jw_kstr(w, "event", db_col_text(s, 0));
        hk_jw_col_str(w, "actor_kind", s, 1);
        zq_jw_kstr(w, "detail", db_col_text(s, 2));
        hk_jw_time(w, "at", db_col_int64(s, 3));
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

zq_err cs_respond_detail(zq_req *q, zq_resp *r, int64_t id, cs_view view, int status)
{
    db_stmt *s = db_prepare(q->db, SQL_DETAIL);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? zq_fail(r, ZQ_E_NOT_FOUND, "咨询不存在") : hk_fail_db(q, r, rc);
    }
    zq_jw w;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", db_col_int64(s, 0));
    zq_jw_kstr(&w, "kind", db_col_text(s, 1));
    write_category(q, &w, db_col_text(s, 2));
    cs_mask m = {{NULL}};
    int nm = 0;
    for (int c = 20; c <= 23; c++)
        if (!db_col_is_null(s, c)) m.v[nm++] = zq_arena_strdup(q->arena, db_col_text(s, c));
    zq_jw_kstr(&w, "title", view == CS_VIEW_PUBLIC ? masked(q, db_col_text(s, 3), &m) : db_col_text(s, 3));
    if (view == CS_VIEW_PUBLIC) {
        hk_jw_time(&w, "asked_at", db_col_int64(s, 7));
        hk_jw_time(&w, "answered_at", db_col_int64(s, 9));
    } else {
        const char *st = db_col_text(s, 4);
        zq_jw_kstr(&w, "status", st);
        hk_jw_time(&w, "due_at", db_col_int64(s, 5));
        hk_jw_time(&w, "ack_due_at", db_col_int64(s, 6));
        cs_write_flags(q, &w, st, db_col_int64(s, 5));
        hk_jw_time(&w, "created_at", db_col_int64(s, 7));
        hk_jw_time(&w, "acknowledged_at", db_col_int64(s, 8));
        hk_jw_time(&w, "answered_at", db_col_int64(s, 9));
        hk_jw_time(&w, "closed_at", db_col_int64(s, 10));
        zq_jw_kbool(&w, "escalated", db_col_int64(s, 11) > 0);
        hk_jw_col_str(&w, "rating", s, 12);
        hk_jw_col_str(&w, "rating_comment", s, 13);
        zq_jw_kbool(&w, "publishable", db_col_int64(s, 15) != 0);
        zq_jw_kbool(&w, "published", db_col_int64(s, 16) > 0);
        hk_jw_col_str(&w, "unit_name", s, 18);
    }
    if (view == CS_VIEW_STAFF) {
        zq_jw_kbool(&w, "review_needed", db_col_int64(s, 14) != 0);
        hk_jw_col_int(&w, "unit_id", s, 17);
        hk_jw_col_str(&w, "region", s, 19);
        hk_jw_col_str(&w, "enterprise_name", s, 20);
        hk_jw_col_str(&w, "visitor_phone", s, 21);
        hk_jw_col_str(&w, "asker_name", s, 22);
    }
    db_stmt_done(s);
    if ((rc = write_thread(q, &w, id, view, &m)) != DB_OK) return hk_fail_db(q, r, rc);
    if (view != CS_VIEW_PUBLIC && (rc = write_events(q, &w, id)) != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

zq_err cs_respond_page(zq_req *q, zq_resp *r, db_stmt *s, cs_view view, int64_t total, int64_t page, int64_t size)
{
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) cs_write_list_item(q, &w, s, view);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    zq_jw_arr_end(&w);
    zq_jw_kint(&w, "total", total);
    zq_jw_kint(&w, "page", page);
    zq_jw_kint(&w, "page_size", size);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}
