/*
 * messages_api.c — the caller's in-app messages (消息中心, 服务通知):
 *   GET  /api/v1/messages?unread=&page=&page_size=   newest first
 *   GET  /api/v1/messages/unread-count               {"count":N} (the badge polls it)
 *   POST /api/v1/messages/:id/read                   marks one read
 *   POST /api/v1/messages/read-all                   marks every unread one read
 * Any logged-in account, enterprise user or staff; every query carries the
 * account, so another account's message answers 404.
 */
#include "notify/notify_api.h"
#include "notify/notify.h"
#include "audit/audit.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include <stdio.h>
#include <string.h>

#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100

/* unread filter: a = any, u = unread only, r = read only */
static const char SQL_COUNT[] =
    "SELECT COUNT(*) FROM message WHERE account_kind = $1 AND account_id = $2"
    " AND ($3 = 'a' OR ($3 = 'u' AND read_at = 0) OR ($3 = 'r' AND read_at > 0))";
static const char SQL_LIST[] =
    "SELECT id, topic, title, body, link, created_at, read_at FROM message WHERE account_kind = $1 AND account_id = $2"
    " AND ($3 = 'a' OR ($3 = 'u' AND read_at = 0) OR ($3 = 'r' AND read_at > 0)) ORDER BY id DESC LIMIT $4 OFFSET $5";
static const char SQL_UNREAD[] =
    "SELECT COUNT(*) FROM message WHERE account_kind = $1 AND account_id = $2 AND read_at = 0";
static const char SQL_READ[] =
    "UPDATE message SET read_at = $1 WHERE id = $2 AND account_kind = $3 AND account_id = $4 AND read_at = 0";
static const char SQL_EXISTS[] = "SELECT read_at FROM message WHERE id = $1 AND account_kind = $2 AND account_id = $3";
static const char SQL_READ_ALL[] =
    "UPDATE message SET read_at = $1 WHERE account_kind = $2 AND account_id = $3 AND read_at = 0";

/* The one audit call of this file (converted to the route table's audit
 * field when that lands). */
static int audit(zq_req *q, const char *action, int64_t id, const char *detail)
{
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
    audit_entry e = {.action = action, .object_type = "message", .object_id = id ? idbuf : NULL, .detail = detail};
    return audit_record(q, &e);
}

static zq_err db_fail(zq_resp *r)
{
    return zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err messages_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size;
    zq_in_page(q, r, &page, &page_size, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    const char *u = zq_req_query(q, "unread"), *filter = "a";
    if (u && *u) {
        if (strcmp(u, "1") == 0 || strcmp(u, "true") == 0) filter = "u";
        else if (strcmp(u, "0") == 0 || strcmp(u, "false") == 0) filter = "r";
        else zq_fail_field(q, r, "unread", "unread 只能是 1（未读）或 0（已读）");
    }
    if (r->err) return r->err;
    const char *kind;
    int64_t id;
    notify_me(q, &kind, &id);

    int64_t total = 0;
    db_stmt *s = db_prepare(q->db, SQL_COUNT);
    if (!s) return db_fail(r);
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, filter, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) total = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return db_fail(r);

    if (!(s = db_prepare(q->db, SQL_LIST))) return db_fail(r);
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, filter, -1);
    db_bind_int64(s, 4, page_size);
    db_bind_int64(s, 5, (page - 1) * page_size);
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", db_col_int64(s, 0));
        zq_jw_kstr(&w, "topic", db_col_text(s, 1));
        zq_jw_kstr(&w, "title", db_col_text(s, 2));
        zq_jw_kstr(&w, "body", db_col_text(s, 3));
        zq_jw_kstr(&w, "link", db_col_text(s, 4));
        zq_jw_ktime(&w, "created_at", db_col_int64(s, 5));
        zq_jw_kbool(&w, "read", db_col_int64(s, 6) > 0);
        zq_jw_ktime(&w, "read_at", db_col_int64(s, 6));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) {
        zq_buf_reset(&r->body);
        return db_fail(r);
    }
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

static zq_err messages_unread(zq_req *q, zq_resp *r)
{
    const char *kind;
    int64_t id;
    notify_me(q, &kind, &id);
    db_stmt *s = db_prepare(q->db, SQL_UNREAD);
    if (!s) return db_fail(r);
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, id);
    int rc = db_step(s);
    int64_t n = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return db_fail(r);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "count", n);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err messages_read(zq_req *q, zq_resp *r)
{
    int64_t mid;
    if (zq_in_none(q, r)) return r->err;
    if (!zq_parse_int64(zq_req_param(q, "id"), 1, INT64_MAX, &mid)) return zq_fail(r, ZQ_E_NOT_FOUND, "消息不存在");
    const char *kind;
    int64_t id;
    notify_me(q, &kind, &id);
    if (db_begin(q->db, true) != DB_OK) return db_fail(r);
    db_stmt *s = db_prepare(q->db, SQL_EXISTS);
    if (!s) goto fail;
    db_bind_int64(s, 1, mid);
    db_bind_text(s, 2, kind, -1);
    db_bind_int64(s, 3, id);
    int rc = db_step(s);
    int64_t read_at = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc == DB_DONE) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_NOT_FOUND, "消息不存在");
    }
    if (rc != DB_ROW) goto fail;
    /* reading it again changes nothing and records nothing */
    if (!read_at) {
        if (!(s = db_prepare(q->db, SQL_READ))) goto fail;
        db_bind_int64(s, 1, q->now);
        db_bind_int64(s, 2, mid);
        db_bind_text(s, 3, kind, -1);
        db_bind_int64(s, 4, id);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE || audit(q, "message.read", mid, NULL) != 0) goto fail;
        read_at = q->now;
    }
    if (db_commit(q->db) != DB_OK) goto fail;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", mid);
    zq_jw_kbool(&w, "read", true);
    zq_jw_ktime(&w, "read_at", read_at);
    zq_jw_obj_end(&w);
    return ZQ_OK;
fail:
    db_rollback(q->db);
    return db_fail(r);
}

static zq_err messages_read_all(zq_req *q, zq_resp *r)
{
    if (zq_in_none(q, r)) return r->err;
    const char *kind;
    int64_t id;
    notify_me(q, &kind, &id);
    if (db_begin(q->db, true) != DB_OK) return db_fail(r);
    db_stmt *s = db_prepare(q->db, SQL_READ_ALL);
    if (!s) goto fail;
    db_bind_int64(s, 1, q->now);
    db_bind_text(s, 2, kind, -1);
    db_bind_int64(s, 3, id);
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) goto fail;
    if (n > 0 && audit(q, "message.read_all", 0, zq_arena_printf(q->arena, "{\"count\":%lld}", (long long)n)) != 0)
        goto fail;
    if (db_commit(q->db) != DB_OK) goto fail;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "marked", n);
    zq_jw_obj_end(&w);
    return ZQ_OK;
fail:
    db_rollback(q->db);
    return db_fail(r);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/messages", messages_list, ZQ_ACCESS_SESSION, NULL, ZQ_RF_JSON, 0, NULL},
    {ZQ_GET, "/api/v1/messages/unread-count", messages_unread, ZQ_ACCESS_SESSION, NULL, ZQ_RF_JSON, 0, NULL},
    {ZQ_POST, "/api/v1/messages/read-all", messages_read_all, ZQ_ACCESS_SESSION, NULL, ZQ_RF_JSON, 0, "message.read_all"},
    {ZQ_POST, "/api/v1/messages/:id/read", messages_read, ZQ_ACCESS_SESSION, NULL, ZQ_RF_JSON, 0, "message.read"},
};
const zq_route_group message_routes = {routes, sizeof routes / sizeof routes[0]};
