/*
 * settings_api.c — the caller's channels per topic (消息设置) and, for
 * enterprise-side users, the WeChat subscription grants (微信订阅设置):
 *   GET /api/v1/me/notify-settings   {"topics":[{topic,name,inapp,sms,wechat}],"wechat_bound":bool}
 *   PUT /api/v1/me/notify-settings   {"topics":[{topic,sms,wechat}]} (in-app cannot be turned off)
 *   GET  /api/v1/me/wechat-grants    {"bound":bool,"items":[{template_code,name,topic,enabled,remaining}]}
 *   POST /api/v1/me/wechat-grants    {template_code}: the member accepted the template once more (+1 send)
 *   PUT  /api/v1/me/wechat-grants    {template_code, enabled}: on/off for that template
 * A topic never chosen follows notify_channel_default (docs/notify.md).
 */
#include "notify/notify_api.h"
#include "notify/notify_internal.h"
#include "notify/notify.h"
#include "audit/audit.h"
#include "http/session.h"
#include "db/db.h"
#include "http/input.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sends one member may hold per template: WeChat keeps its own count; a
 * cap here stops a loop in a client from piling up thousands. */
#define GRANT_MAX 99

static const char SQL_SETTINGS[] =
    "SELECT topic, channel, enabled FROM notify_setting WHERE account_kind = $1 AND account_id = $2";
static const char SQL_SET[] =
    "INSERT INTO notify_setting(account_kind, account_id, topic, channel, enabled, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_kind, account_id, topic, channel)"
    " DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at";
static const char SQL_BOUND[] = "SELECT 1 FROM wechat_binding WHERE user_id = $1";
static const char SQL_GRANTS[] =
    "SELECT t.code, t.name, t.topic, COALESCE(g.enabled, 1), COALESCE(g.remaining, 0) FROM message_template t"
    " LEFT JOIN wechat_grant g ON g.template_code = t.code AND g.user_id = $1"
    " WHERE t.wechat_template_id <> '' ORDER BY t.code";
static const char SQL_WX_TEMPLATE[] = "SELECT 1 FROM message_template WHERE code = $1 AND wechat_template_id <> ''";
static const char SQL_GRANT_ADD[] =
    "INSERT INTO wechat_grant(user_id, template_code, remaining, enabled, updated_at) VALUES ($1, $2, 1, 1, $3)"
    " ON CONFLICT (user_id, template_code) DO UPDATE SET remaining = CASE WHEN wechat_grant.remaining < $4"
    " THEN wechat_grant.remaining + 1 ELSE wechat_grant.remaining END, enabled = 1, updated_at = $3";
static const char SQL_GRANT_ENABLE[] =
    "INSERT INTO wechat_grant(user_id, template_code, remaining, enabled, updated_at) VALUES ($1, $2, 0, $3, $4)"
    " ON CONFLICT (user_id, template_code) DO UPDATE SET enabled = $3, updated_at = $4";

static const char *const channels[] = {"sms", "wechat"};

/* The one audit call of this file. */
static int audit(zq_req *q, const char *action, const char *detail)
{
    const char *kind;
    int64_t id;
    notify_me(q, &kind, &id);
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
    audit_entry e = {.action = action, .object_type = kind, .object_id = idbuf, .detail = detail};
    return audit_record(q, &e);
}

static zq_err db_fail(zq_req *q, zq_resp *r)
{
    if (db_in_tx(q->db)) db_rollback(q->db);
    return zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static int is_bound(zq_req *q, bool *bound)
{
    *bound = false;
    if (!q->session->user_id) return DB_OK;
    db_stmt *s = db_prepare(q->db, SQL_BOUND);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->user_id);
    int rc = db_step(s);
    *bound = rc == DB_ROW;
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : DB_ERR;
}

static zq_err write_settings(zq_req *q, zq_resp *r, int status)
{
    const char *kind;
    int64_t id;
    notify_me(q, &kind, &id);
    /* chosen[t][c]: -1 never chosen, else 0/1 */
    int chosen[16][2];
    for (int t = 0; t < notify_ntopics; t++) chosen[t][0] = chosen[t][1] = -1;
    db_stmt *s = db_prepare(q->db, SQL_SETTINGS);
    if (!s) return db_fail(q, r);
    db_bind_text(s, 1, kind, -1);
    db_bind_int64(s, 2, id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *topic = db_col_text(s, 0), *ch = db_col_text(s, 1);
        for (int t = 0; t < notify_ntopics; t++)
            for (int c = 0; c < 2; c++)
                if (strcmp(topic, notify_topics[t].code) == 0 && strcmp(ch, channels[c]) == 0)
                    chosen[t][c] = db_col_int64(s, 2) ? 1 : 0;
    }
    db_stmt_done(s);
    bool bound;
    if (rc != DB_DONE || is_bound(q, &bound) != DB_OK) return db_fail(q, r);
    bool staff = strcmp(kind, "staff") == 0;
    zq_jw w;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    zq_jw_key(&w, "topics");
    zq_jw_arr(&w);
    for (int t = 0; t < notify_ntopics; t++) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "topic", notify_topics[t].code);
        zq_jw_kstr(&w, "name", notify_topics[t].name);
        zq_jw_kbool(&w, "inapp", true);
        for (int c = 0; c < 2; c++) {
            if (c == 1 && staff) continue;
            int v = chosen[t][c];
            zq_jw_kbool(&w, channels[c], v < 0 ? notify_channel_default(notify_topics[t].code, channels[c]) : v == 1);
        }
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_kbool(&w, "wechat_available", !staff);
    zq_jw_kbool(&w, "wechat_bound", bound);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err settings_get(zq_req *q, zq_resp *r)
{
    return write_settings(q, r, 200);
}

static zq_err settings_put(zq_req *q, zq_resp *r)
{
    static const char *const top_keys[] = {"topics", NULL};
    zq_in_only(q, r, top_keys);
    json_t *list = json_object_get(q->json, "topics");
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > (size_t)notify_ntopics) {
        zq_fail_field(q, r, "topics", "请提交各类消息的接收设置");
        return r->err;
    }
    const char *kind;
    int64_t id;
    notify_me(q, &kind, &id);
    bool staff = strcmp(kind, "staff") == 0;
    size_t n = json_array_size(list);
    /* read and check everything before the first write */
    const char *topic[16];
    int val[16][2];
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(list, i);
        const char *field = zq_arena_printf(q->arena, "topics.%zu", i);
        const char *t = json_string_value(json_object_get(it, "topic"));
        topic[i] = t;
        val[i][0] = val[i][1] = -1;
        if (!json_is_object(it) || !notify_topic_known(t)) {
            zq_fail_field(q, r, field, "消息类型不存在");
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (topic[k] && strcmp(topic[k], t) == 0) zq_fail_field(q, r, field, "消息类型重复");
        const char *key;
        json_t *v;
        json_object_foreach(it, key, v) {
            if (strcmp(key, "topic") == 0 || strcmp(key, "name") == 0) continue;
            if (strcmp(key, "inapp") == 0) {
                if (!json_is_true(v)) zq_fail_field(q, r, field, "站内消息不能关闭");
                continue;
            }
            int c = strcmp(key, "sms") == 0 ? 0 : strcmp(key, "wechat") == 0 ? 1 : -1;
            if (c < 0 || !json_is_boolean(v)) {
                zq_fail_field(q, r, field, "只能设置 sms、wechat 为 true 或 false");
                continue;
            }
            if (c == 1 && staff) {
                zq_fail_field(q, r, field, "工作人员账号不接收微信消息");
                continue;
            }
            val[i][c] = json_is_true(v);
        }
    }
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return db_fail(q, r);
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 2; c++) {
            if (val[i][c] < 0) continue;
            db_stmt *s = db_prepare(q->db, SQL_SET);
            if (!s) return db_fail(q, r);
            db_bind_text(s, 1, kind, -1);
            db_bind_int64(s, 2, id);
            db_bind_text(s, 3, topic[i], -1);
            db_bind_text(s, 4, channels[c], -1);
            db_bind_int64(s, 5, val[i][c]);
            db_bind_int64(s, 6, q->now);
            int rc = db_step(s);
            db_stmt_done(s);
            if (rc != DB_DONE) return db_fail(q, r);
        }
    char *detail = json_dumps(list, JSON_COMPACT);
    int arc = audit(q, "notify.settings", detail && strlen(detail) < 2000 ? detail : NULL);
    free(detail);
    if (arc != 0 || db_commit(q->db) != DB_OK) return db_fail(q, r);
    return write_settings(q, r, 200);
}

static zq_err grants_write(zq_req *q, zq_resp *r)
{
    bool bound;
    if (is_bound(q, &bound) != DB_OK) return db_fail(q, r);
    db_stmt *s = db_prepare(q->db, SQL_GRANTS);
    if (!s) return db_fail(q, r);
    db_bind_int64(s, 1, q->session->user_id);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "bound", bound);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "template_code", db_col_text(s, 0));
        zq_jw_kstr(&w, "name", db_col_text(s, 1));
        zq_jw_kstr(&w, "topic", db_col_text(s, 2));
        zq_jw_kbool(&w, "enabled", db_col_int64(s, 3) != 0);
        zq_jw_kint(&w, "remaining", db_col_int64(s, 4));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) {
        zq_buf_reset(&r->body);
        return db_fail(q, r);
    }
    zq_jw_arr_end(&w);
    zq_jw_kint(&w, "max", GRANT_MAX);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err grants_get(zq_req *q, zq_resp *r)
{
    return grants_write(q, r);
}

/* template_code of the body, checked to be a WeChat template; NULL on error (in r). */
static const char *grant_template(zq_req *q, zq_resp *r)
{
    const char *code = zq_in_str(q, r, "template_code", "消息模板", true, 64);
    if (!code) return NULL;
    db_stmt *s = db_prepare(q->db, SQL_WX_TEMPLATE);
    if (!s) {
        db_fail(q, r);
        return NULL;
    }
    db_bind_text(s, 1, code, -1);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_DONE) zq_fail_field(q, r, "template_code", "该消息模板不支持微信订阅");
    else if (rc != DB_ROW) db_fail(q, r);
    return r->err ? NULL : code;
}

static zq_err grants_add(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"template_code", NULL};
    zq_in_only(q, r, keys);
    if (r->err) return r->err;
    const char *code = grant_template(q, r);
    if (!code) return r->err;
    bool bound;
    if (is_bound(q, &bound) != DB_OK) return db_fail(q, r);
    if (!bound) return zq_fail(r, ZQ_E_UNPROCESSABLE, "请先在微信中绑定账号，再订阅消息提醒");
    if (db_begin(q->db, true) != DB_OK) return db_fail(q, r);
    db_stmt *s = db_prepare(q->db, SQL_GRANT_ADD);
    if (!s) return db_fail(q, r);
    db_bind_int64(s, 1, q->session->user_id);
    db_bind_text(s, 2, code, -1);
    db_bind_int64(s, 3, q->now);
    db_bind_int64(s, 4, GRANT_MAX);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return db_fail(q, r);
    if (audit(q, "wechat.grant", zq_arena_printf(q->arena, "{\"template\":\"%s\"}", code)) != 0 ||
        db_commit(q->db) != DB_OK)
        return db_fail(q, r);
    return grants_write(q, r);
}

static zq_err grants_put(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"template_code", "enabled", NULL};
    zq_in_only(q, r, keys);
    if (!json_is_boolean(json_object_get(q->json, "enabled"))) zq_fail_field(q, r, "enabled", "请选择开启或关闭");
    if (r->err) return r->err;
    const char *code = grant_template(q, r);
    if (!code) return r->err;
    bool on = json_is_true(json_object_get(q->json, "enabled"));
    if (db_begin(q->db, true) != DB_OK) return db_fail(q, r);
    db_stmt *s = db_prepare(q->db, SQL_GRANT_ENABLE);
    if (!s) return db_fail(q, r);
    db_bind_int64(s, 1, q->session->user_id);
    db_bind_text(s, 2, code, -1);
    db_bind_int64(s, 3, on ? 1 : 0);
    db_bind_int64(s, 4, q->now);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return db_fail(q, r);
    if (audit(q, "wechat.grant_set",
              zq_arena_printf(q->arena, "{\"template\":\"%s\",\"enabled\":%s}", code, on ? "true" : "false")) != 0 ||
        db_commit(q->db) != DB_OK)
        return db_fail(q, r);
    return grants_write(q, r);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/me/notify-settings", settings_get, ZQ_ACCESS_SESSION, NULL, ZQ_RF_JSON, 0, NULL},
    {ZQ_PUT, "/api/v1/me/notify-settings", settings_put, ZQ_ACCESS_SESSION, NULL, ZQ_RF_JSON, 8192, "notify.settings"},
    {ZQ_GET, "/api/v1/me/wechat-grants", grants_get, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 0, NULL},
    {ZQ_POST, "/api/v1/me/wechat-grants", grants_add, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 1024, "wechat.grant"},
    {ZQ_PUT, "/api/v1/me/wechat-grants", grants_put, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 1024, "wechat.grant_set"},
};
const zq_route_group notify_settings_routes = {routes, sizeof routes / sizeof routes[0]};
