/*
 * admin_api.c — the bureau's side of notifications:
 *   GET /api/v1/admin/deliveries?status=&channel=&ref_type=&ref_id=&page=&page_size=
 *       发送记录: SMS and WeChat deliveries with their status, attempts and
 *       last error, newest first, plus counts per status for the chart.
 *       Scoped: district staff see deliveries to their district's firms.
 *   GET /api/v1/admin/message-templates   消息模板
 *   PUT /api/v1/admin/message-templates   {code, name, title, body, sms_text,
 *       wechat_template_id, wechat_fields:{key:"{placeholder}…"}} edits one
 *       (templates are city-wide: notify.manage, unscoped)
 */
#include "notify/notify_api.h"
#include "notify/notify_internal.h"
#include "notify/notify.h"
#include "audit/audit.h"
#include "http/session.h"
#include "http/scope.h"
#include "core/text.h"
#include "db/db.h"
#include "handler/filter.h"
#include "handler/kit.h"
#include "http/input.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100
#define WX_FIELDS_MAX 20

/* the filters are fixed fragments with bound values (handler/filter.h) */
static const char SQL_COUNTS[] = "SELECT o.status, COUNT(*) FROM notify_outbox o%s GROUP BY o.status";
static const char SQL_LIST[] =
    "SELECT o.id, o.channel, o.status, o.attempts, o.last_error, o.template_code, o.ref_type, o.ref_id, o.created_at,"
    " o.sent_at, o.next_at, o.account_kind, COALESCE(u.name, st.name), COALESCE(u.phone, st.phone), o.enterprise_id,"
    " e.name, t.name FROM notify_outbox o"
    " LEFT JOIN message_template t ON t.code = o.template_code"
    " LEFT JOIN app_user u ON o.account_kind = 'user' AND u.id = o.account_id"
    " LEFT JOIN staff st ON o.account_kind = 'staff' AND st.id = o.account_id"
    " LEFT JOIN enterprise e ON e.id = o.enterprise_id%s ORDER BY o.id DESC LIMIT $%d OFFSET $%d";
static const char SQL_TEMPLATES[] =
    "SELECT code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields, updated_at FROM message_template"
    " ORDER BY code";
static const char SQL_TEMPLATE_UPDATE[] =
    "UPDATE message_template SET name = $2, title = $3, body = $4, sms_text = $5, wechat_template_id = $6,"
    " wechat_fields = $7, updated_at = $8, updated_by = $9 WHERE code = $1";

static const char *const statuses[] = {"pending", "sending", "sent", "failed", "skipped"};

/* The one audit call of this file. */
static int audit(zq_req *q, const char *action, const char *code, const char *detail)
{
    audit_entry e = {.action = action, .object_type = "message_template", .object_id = code, .detail = detail};
    return audit_emit(q, &e);
}

static bool one_of(const char *v, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, list[i]) == 0) return true;
    return false;
}

static zq_err deliveries_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size, ref_id = 0;
    zq_in_page(q, r, &page, &page_size, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    const char *status = zq_req_query(q, "status"), *channel = zq_req_query(q, "channel"),
               *ref_type = zq_req_query(q, "ref_type"), *ref = zq_req_query(q, "ref_id");
    static const char *const chans[] = {"sms", "wechat"};
    if (!status) status = "";
    if (!channel) channel = "";
    if (!ref_type) ref_type = "";
    if (*status && !one_of(status, statuses, 5))
        zq_fail_field(q, r, "status", "状态须为 pending、sending、sent、failed 或 skipped");
    if (*channel && !one_of(channel, chans, 2)) zq_fail_field(q, r, "channel", "渠道须为 sms 或 wechat");
    if (strlen(ref_type) > 32) zq_fail_field(q, r, "ref_type", "业务类型不正确");
    if (ref && *ref && !zq_parse_int64(ref, 1, INT64_MAX, &ref_id)) zq_fail_field(q, r, "ref_id", "业务编号不正确");
    if (r->err) return r->err;

    hk_filter f;
    hk_filter_init(&f, 1);
    hk_filter_scope(&f, q, "o.region");
    hk_filter_text(&f, "o.channel = $%d", channel);
    hk_filter_text(&f, "o.ref_type = $%d", ref_type);
    if (ref_id) hk_filter_num(&f, "o.ref_id = $%d", ref_id);
    /* the counts by status are of the other filters; the list's also of status */
    hk_filter fs = f;
    hk_filter_text(&fs, "o.status = $%d", status);
    const char *where = hk_filter_where(&f, q->arena), *where_s = hk_filter_where(&fs, q->arena);
    const char *sql_counts = where ? zq_arena_printf(q->arena, SQL_COUNTS, where) : NULL;
    int next = hk_filter_next(&fs);
    const char *sql_list = where_s ? zq_arena_printf(q->arena, SQL_LIST, where_s, next, next + 1) : NULL;
    if (!sql_counts || !sql_list) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    int64_t counts[5] = {0}, total = 0;
    db_stmt *s = db_prepare(q->db, sql_counts);
    if (!s) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    int rc = hk_filter_bind(&f, s);
    if (rc == DB_OK)
        while ((rc = db_step(s)) == DB_ROW)
            for (int i = 0; i < 5; i++)
                if (strcmp(db_col_text(s, 0), statuses[i]) == 0) counts[i] = db_col_int64(s, 1);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    for (int i = 0; i < 5; i++)
        if (!*status || strcmp(status, statuses[i]) == 0) total += counts[i];

    if (!(s = db_prepare(q->db, sql_list))) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (hk_filter_bind(&fs, s) != DB_OK) {
        db_stmt_done(s);
        return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    }
    db_bind_int64(s, next, page_size);
    db_bind_int64(s, next + 1, (page - 1) * page_size);
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", db_col_int64(s, 0));
        zq_jw_kstr(&w, "channel", db_col_text(s, 1));
        zq_jw_kstr(&w, "status", db_col_text(s, 2));
        zq_jw_kint(&w, "attempts", db_col_int64(s, 3));
        zq_jw_kstr(&w, "last_error", db_col_text(s, 4));
        zq_jw_kstr(&w, "template_code", db_col_text(s, 5));
        zq_jw_kstr(&w, "template_name", db_col_is_null(s, 16) ? db_col_text(s, 5) : db_col_text(s, 16));
        zq_jw_kstr(&w, "ref_type", db_col_text(s, 6));
        zq_jw_kint(&w, "ref_id", db_col_int64(s, 7));
        zq_jw_ktime(&w, "created_at", db_col_int64(s, 8));
        zq_jw_ktime(&w, "sent_at", db_col_int64(s, 9));
        bool waiting = strcmp(db_col_text(s, 2), "pending") == 0;
        zq_jw_ktime(&w, "next_at", waiting ? db_col_int64(s, 10) : 0);
        zq_jw_key(&w, "recipient");
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "kind", db_col_text(s, 11));
        zq_jw_kstr(&w, "name", db_col_text(s, 12));
        zq_jw_kstr(&w, "phone", db_col_is_null(s, 13) ? NULL : audit_mask_phone(q->arena, db_col_text(s, 13)));
        zq_jw_obj_end(&w);
        zq_jw_key(&w, "enterprise");
        if (db_col_int64(s, 14)) {
            zq_jw_obj(&w);
            zq_jw_kint(&w, "id", db_col_int64(s, 14));
            zq_jw_kstr(&w, "name", db_col_text(s, 15));
            zq_jw_obj_end(&w);
        } else {
            zq_jw_null(&w);
        }
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) {
        zq_buf_reset(&r->body);
        return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    }
    zq_jw_arr_end(&w);
    /* the list's keys, then the chart's counts beside them */
    zq_jw_kint(&w, "total", total);
    zq_jw_kint(&w, "page", page);
    zq_jw_kint(&w, "page_size", page_size);
    zq_jw_key(&w, "counts");
    zq_jw_obj(&w);
    for (int i = 0; i < 5; i++) zq_jw_kint(&w, statuses[i], counts[i]);
    zq_jw_obj_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err templates_write(zq_req *q, zq_resp *r)
{
    db_stmt *s = db_prepare(q->db, SQL_TEMPLATES);
    if (!s) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "code", db_col_text(s, 0));
        zq_jw_kstr(&w, "name", db_col_text(s, 1));
        zq_jw_kstr(&w, "topic", db_col_text(s, 2));
        zq_jw_kstr(&w, "title", db_col_text(s, 3));
        zq_jw_kstr(&w, "body", db_col_text(s, 4));
        zq_jw_kstr(&w, "sms_text", db_col_text(s, 5));
        zq_jw_kstr(&w, "wechat_template_id", db_col_text(s, 6));
        const char *fields = db_col_text(s, 7);
        zq_jw_key(&w, "wechat_fields");
        zq_jw_raw(&w, fields && *fields ? fields : "{}", fields && *fields ? strlen(fields) : 2);
        zq_jw_ktime(&w, "updated_at", db_col_int64(s, 8));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) {
        zq_buf_reset(&r->body);
        return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    }
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err templates_get(zq_req *q, zq_resp *r)
{
    return templates_write(q, r);
}

/* wechat_fields as canonical JSON text, or NULL with a field error. */
static const char *read_fields(zq_req *q, zq_resp *r)
{
    json_t *v = json_object_get(q->json, "wechat_fields");
    if (!v || json_is_null(v)) return "{}";
    if (!json_is_object(v) || json_object_size(v) > WX_FIELDS_MAX) {
        zq_fail_field(q, r, "wechat_fields", "微信字段须为“字段名: 内容”的对照表（最多 20 项）");
        return NULL;
    }
    const char *key;
    json_t *val;
    json_object_foreach(v, key, val) {
        bool ok = *key && strlen(key) <= 32;
        for (const char *p = key; *p && ok; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
        const char *text = json_string_value(val);
        if (!ok || !text || zq_utf8_len(text) > 100) {
            zq_fail_field(q, r, "wechat_fields", "微信字段名须为小写字母和数字（如 thing1），内容不超过 100 字");
            return NULL;
        }
    }
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    const char *out = text && zq_utf8_len(text) <= NOTIFY_WECHAT_MAX ? zq_arena_strdup(q->arena, text) : NULL;
    free(text);
    if (!out) zq_fail_field(q, r, "wechat_fields", "微信字段内容过长");
    return out;
}

static zq_err templates_put(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"code", "name", "topic", "title", "body", "sms_text", "wechat_template_id",
                                       "wechat_fields", "updated_at", NULL};
    zq_in_only(q, r, keys);
    const char *code = zq_in_str(q, r, "code", "模板编码", true, 64);
    const char *name = zq_in_str(q, r, "name", "模板名称", true, 64);
    const char *title = zq_in_str(q, r, "title", "消息标题", true, NOTIFY_TITLE_MAX);
    const char *body = zq_in_str(q, r, "body", "消息内容", true, NOTIFY_BODY_MAX);
    const char *sms = zq_in_str(q, r, "sms_text", "短信内容", false, NOTIFY_SMS_MAX);
    const char *wx = zq_in_str(q, r, "wechat_template_id", "微信模板 ID", false, 64);
    const char *fields = read_fields(q, r);
    for (const char *p = wx; p && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '-')) {
            zq_fail_field(q, r, "wechat_template_id", "微信模板 ID 只能包含字母、数字、下划线和连字符");
            break;
        }
    if (wx && fields && strcmp(fields, "{}") == 0)
        zq_fail_field(q, r, "wechat_fields", "配置了微信模板时，请填写字段对照");
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    db_stmt *s = db_prepare(q->db, SQL_TEMPLATE_UPDATE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, code, -1);
    db_bind_text(s, 2, name, -1);
    db_bind_text(s, 3, title, -1);
    db_bind_text(s, 4, body, -1);
    db_bind_text(s, 5, sms ? sms : "", -1);
    db_bind_text(s, 6, wx ? wx : "", -1);
    db_bind_text(s, 7, fields, -1);
    db_bind_int64(s, 8, q->now);
    db_bind_int64(s, 9, q->session->staff_id);
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (!n) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_NOT_FOUND, "消息模板不存在");
    }
    if (audit(q, "notify.template_update", code, NULL) != 0 || db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    return templates_write(q, r);
}

static const zq_route routes[] = {
    /* whoever publishes something sees how its deliveries went; district
     * staff only for their district's firms */
    {ZQ_GET, "/api/v1/admin/deliveries", deliveries_list, ZQ_ACCESS_STAFF, "policy.publish|notice.publish|notify.manage",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
    /* templates are one text for the whole city */
    {ZQ_GET, "/api/v1/admin/message-templates", templates_get, ZQ_ACCESS_STAFF, "notify.manage",
     ZQ_RF_JSON | ZQ_RF_UNSCOPED, 0, NULL},
    {ZQ_PUT, "/api/v1/admin/message-templates", templates_put, ZQ_ACCESS_STAFF, "notify.manage",
     ZQ_RF_JSON | ZQ_RF_UNSCOPED, 16384, "notify.template_update"},
};
const zq_route_group notify_admin_routes = {routes, sizeof routes / sizeof routes[0]};
