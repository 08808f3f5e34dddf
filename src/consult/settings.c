/*
 * settings.c — the consultation settings (咨询设置), city-wide, permission
 * consult.supervise:
 *   GET /api/v1/admin/consult-settings   categories (the consult_category dictionary, edited under 数据字典),
 *                                        handling units, routing rules, SLA per category, holiday calendar
 *   PUT /api/v1/admin/consult-settings   any of {units, routing, sla, holidays}:
 *     units     [{id?, name, region|null, supervisor_id|null}]   upserted (units are referenced, never deleted)
 *     routing   [{category|"", region|"", unit_id}]               replaces the rules
 *     sla       [{category|"", ack_days, answer_days, suggestion_days}]  replaces; "" is the default row
 *     holidays  [{day:"YYYY-MM-DD", workday:false|true, name}]    replaces the calendar
 * Everything is checked inside one transaction: any error rolls all of it back.
 */
#include "consult/consult_internal.h"
#include "core/clock.h"
#include "dict/dict.h"
#include "core/text.h"
#include "http/input.h"
#include <jansson.h>
#include <string.h>

#define LIST_MAX 500
#define DAYS_MAX 60

static const char SQL_CATS[] =
    "SELECT code, name, enabled FROM dict_item WHERE type = 'consult_category' ORDER BY sort, code";
static const char SQL_UNITS[] =
    "SELECT u.id, u.name, u.region, u.supervisor_id, s.name FROM consult_unit u LEFT JOIN staff s ON s.id = u.supervisor_id"
    " ORDER BY u.id";
static const char SQL_RULES[] = "SELECT category, region, unit_id FROM consult_route_rule ORDER BY category, region";
static const char SQL_SLAS[] =
    "SELECT category, ack_days, answer_days, suggestion_days FROM consult_sla ORDER BY category";
static const char SQL_HOLIDAYS[] = "SELECT day, workday, name FROM consult_holiday ORDER BY day";
static const char SQL_UNIT_INSERT[] =
    "INSERT INTO consult_unit(name, region, supervisor_id, created_at) VALUES ($1, $2, $3, $4)";
static const char SQL_UNIT_UPDATE[] = "UPDATE consult_unit SET name = $1, region = $2, supervisor_id = $3 WHERE id = $4";
static const char SQL_UNIT_EXISTS[] = "SELECT 1 FROM consult_unit WHERE id = $1";
static const char SQL_UNIT_NAME_TAKEN[] = "SELECT 1 FROM consult_unit WHERE name = $1 AND id <> $2";
static const char SQL_STAFF_EXISTS[] = "SELECT 1 FROM staff WHERE id = $1 AND disabled = 0";
static const char SQL_RULES_CLEAR[] = "DELETE FROM consult_route_rule";
static const char SQL_RULE_INSERT[] = "INSERT INTO consult_route_rule(category, region, unit_id) VALUES ($1, $2, $3)";
static const char SQL_SLA_CLEAR[] = "DELETE FROM consult_sla";
static const char SQL_SLA_INSERT[] =
    "INSERT INTO consult_sla(category, ack_days, answer_days, suggestion_days) VALUES ($1, $2, $3, $4)";
static const char SQL_HOLIDAY_CLEAR[] = "DELETE FROM consult_holiday";
static const char SQL_HOLIDAY_INSERT[] = "INSERT INTO consult_holiday(day, workday, name) VALUES ($1, $2, $3)";

/* ---- GET ---- */

static int write_rows(zq_req *q, zq_jw *w, const char *key, const char *sql, const char *const *cols, const char *types)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    zq_jw_key(w, key);
    zq_jw_arr(w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(w);
        for (int i = 0; cols[i]; i++) {
            if (types[i] == 'i') hk_jw_col_int(w, cols[i], s, i);
            else if (types[i] == 'b') zq_jw_kbool(w, cols[i], db_col_int64(s, i) != 0);
            else hk_jw_col_str(w, cols[i], s, i);
        }
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static zq_err respond(zq_req *q, zq_resp *r)
{
    static const char *const cats[] = {"code", "name", "enabled", NULL};
    static const char *const units[] = {"id", "name", "region", "supervisor_id", "supervisor_name", NULL};
    static const char *const rules[] = {"category", "region", "unit_id", NULL};
    static const char *const slas[] = {"category", "ack_days", "answer_days", "suggestion_days", NULL};
    static const char *const days[] = {"day", "workday", "name", NULL};
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    int rc = write_rows(q, &w, "categories", SQL_CATS, cats, "ssb");
    if (rc == DB_OK) rc = write_rows(q, &w, "units", SQL_UNITS, units, "issis");
    if (rc == DB_OK) rc = write_rows(q, &w, "routing", SQL_RULES, rules, "ssi");
    if (rc == DB_OK) rc = write_rows(q, &w, "sla", SQL_SLAS, slas, "siii");
    if (rc == DB_OK) rc = write_rows(q, &w, "holidays", SQL_HOLIDAYS, days, "sbs");
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err get_settings(zq_req *q, zq_resp *r)
{
    return respond(q, r);
}

/* ---- PUT ---- */

static bool exists(zq_req *q, const char *sql, int64_t id)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return false;
    db_bind_int64(s, 1, id);
    bool found = db_step(s) == DB_ROW;
    db_stmt_done(s);
    return found;
}

static int run(db_stmt *s)
{
    if (!s) return DB_ERR;
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static void bind_opt_text(db_stmt *s, int i, const char *v)
{
    if (v && *v) db_bind_text(s, i, v, -1);
    else db_bind_null(s, i);
}

static void bind_opt_int(db_stmt *s, int i, int64_t v)
{
    if (v > 0) db_bind_int64(s, i, v);
    else db_bind_null(s, i);
}

/* A string member of an item: "" when absent or null, NULL (field error) when not a string or too long. */
static const char *item_str(zq_req *q, zq_resp *r, json_t *it, const char *key, const char *field, size_t max)
{
    json_t *v = json_object_get(it, key);
    if (!v || json_is_null(v)) return "";
    if (!json_is_string(v) || zq_utf8_len(json_string_value(v)) > max) {
        zq_fail_field(q, r, field, "格式不正确或过长");
        return NULL;
    }
    return json_string_value(v);
}

static int64_t item_int(zq_req *q, zq_resp *r, json_t *it, const char *key, const char *field, int64_t min, int64_t max)
{
    json_t *v = json_object_get(it, key);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "应为 %lld 到 %lld 之间的整数", (long long)min, (long long)max));
        return -1;
    }
    return json_integer_value(v);
}

static json_t *list_of(zq_req *q, zq_resp *r, const char *key)
{
    json_t *v = json_object_get(q->json, key);
    if (!v) return NULL;
    if (!json_is_array(v) || json_array_size(v) > LIST_MAX) {
        zq_fail_field(q, r, key, "应为列表（最多 500 项）");
        return NULL;
    }
    return v;
}

static bool category_ok(zq_req *q, const char *c)
{
    return c && (!*c || dict_has_code(q->db, "consult_category", c));
}

static bool region_ok(zq_req *q, const char *c)
{
    return c && (!*c || dict_has_code(q->db, "region", c));
}

static int put_units(zq_req *q, zq_resp *r, json_t *list)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        const char *f = zq_arena_printf(q->arena, "units.%zu", i);
        int64_t id = item_int(q, r, it, "id", f, 1, INT64_MAX);
        const char *name = item_str(q, r, it, "name", f, 64);
        const char *region = item_str(q, r, it, "region", f, 12);
        int64_t sup = item_int(q, r, it, "supervisor_id", f, 1, INT64_MAX);
        if (r->err) return DB_OK;
        if (!*name) zq_fail_field(q, r, f, "请填写单位名称");
        else if (!region_ok(q, region)) zq_fail_field(q, r, f, "所属区县不存在");
        else if (id && !exists(q, SQL_UNIT_EXISTS, id)) zq_fail_field(q, r, f, "办理单位不存在");
        else if (sup && !exists(q, SQL_STAFF_EXISTS, sup)) zq_fail_field(q, r, f, "督办人不存在或已停用");
        if (r->err) return DB_OK;
        db_stmt *s = db_prepare(q->db, SQL_UNIT_NAME_TAKEN);
        if (!s) return DB_ERR;
        db_bind_text(s, 1, name, -1);
        db_bind_int64(s, 2, id);
        int rc = db_step(s);
        db_stmt_done(s);
        if (rc == DB_ROW) {
            zq_fail_field(q, r, f, "单位名称已存在");
            return DB_OK;
        }
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
        s = db_prepare(q->db, id ? SQL_UNIT_UPDATE : SQL_UNIT_INSERT);
        if (!s) return DB_ERR;
        db_bind_text(s, 1, name, -1);
        bind_opt_text(s, 2, region);
        bind_opt_int(s, 3, sup);
        db_bind_int64(s, 4, id ? id : q->now);
        if ((rc = run(s)) != DB_OK) return rc;
    }
    return DB_OK;
}

static int put_routing(zq_req *q, zq_resp *r, json_t *list)
{
    int rc = run(db_prepare(q->db, SQL_RULES_CLEAR));
    if (rc != DB_OK) return rc;
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        const char *f = zq_arena_printf(q->arena, "routing.%zu", i);
        const char *cat = item_str(q, r, it, "category", f, 32);
        const char *region = item_str(q, r, it, "region", f, 12);
        int64_t unit = item_int(q, r, it, "unit_id", f, 1, INT64_MAX);
        if (r->err) return DB_OK;
        if (!category_ok(q, cat)) zq_fail_field(q, r, f, "咨询类别不存在");
        else if (!region_ok(q, region)) zq_fail_field(q, r, f, "区县不存在");
        else if (!unit || !exists(q, SQL_UNIT_EXISTS, unit)) zq_fail_field(q, r, f, "办理单位不存在");
        if (r->err) return DB_OK;
        db_stmt *s = db_prepare(q->db, SQL_RULE_INSERT);
        if (!s) return DB_ERR;
        db_bind_text(s, 1, cat, -1);
        db_bind_text(s, 2, region, -1);
        db_bind_int64(s, 3, unit);
        if ((rc = run(s)) == DB_ECONSTRAINT) {
            zq_fail_field(q, r, f, "同一类别和区县只能有一条规则");
            return DB_OK;
        }
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

static int put_sla(zq_req *q, zq_resp *r, json_t *list)
{
    int rc = run(db_prepare(q->db, SQL_SLA_CLEAR));
    if (rc != DB_OK) return rc;
    bool has_default = false;
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        const char *f = zq_arena_printf(q->arena, "sla.%zu", i);
        const char *cat = item_str(q, r, it, "category", f, 32);
        int64_t ack = item_int(q, r, it, "ack_days", f, 1, DAYS_MAX);
        int64_t answer = item_int(q, r, it, "answer_days", f, 1, DAYS_MAX);
        int64_t sugg = item_int(q, r, it, "suggestion_days", f, 1, DAYS_MAX);
        if (r->err) return DB_OK;
        if (!category_ok(q, cat)) zq_fail_field(q, r, f, "咨询类别不存在");
        else if (!ack || !answer || !sugg) zq_fail_field(q, r, f, "请填写受理、答复和建议的办理时限（工作日）");
        if (r->err) return DB_OK;
        has_default = has_default || !*cat;
        db_stmt *s = db_prepare(q->db, SQL_SLA_INSERT);
        if (!s) return DB_ERR;
        db_bind_text(s, 1, cat, -1);
        db_bind_int64(s, 2, ack);
        db_bind_int64(s, 3, answer);
        db_bind_int64(s, 4, sugg);
        if ((rc = run(s)) == DB_ECONSTRAINT) {
            zq_fail_field(q, r, f, "同一类别只能设置一次");
            return DB_OK;
        }
        if (rc != DB_OK) return rc;
    }
    if (!has_default) zq_fail_field(q, r, "sla", "需要一条默认时限（类别为空）");
    return DB_OK;
}

static int put_holidays(zq_req *q, zq_resp *r, json_t *list)
{
    int rc = run(db_prepare(q->db, SQL_HOLIDAY_CLEAR));
    if (rc != DB_OK) return rc;
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        const char *f = zq_arena_printf(q->arena, "holidays.%zu", i);
        const char *day = item_str(q, r, it, "day", f, 10);
        const char *name = item_str(q, r, it, "name", f, 32);
        json_t *wd = json_object_get(it, "workday");
        if (r->err) return DB_OK;
        if (!zq_date_ymd(day, NULL, NULL, NULL)) zq_fail_field(q, r, f, "日期格式应为 YYYY-MM-DD");
        else if (wd && !json_is_boolean(wd)) zq_fail_field(q, r, f, "workday 应为 true 或 false");
        if (r->err) return DB_OK;
        db_stmt *s = db_prepare(q->db, SQL_HOLIDAY_INSERT);
        if (!s) return DB_ERR;
        db_bind_text(s, 1, day, -1);
        db_bind_int64(s, 2, json_is_true(wd) ? 1 : 0);
        db_bind_text(s, 3, name, -1);
        if ((rc = run(s)) == DB_ECONSTRAINT) {
            zq_fail_field(q, r, f, "日期重复");
            return DB_OK;
        }
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

static zq_err put_settings(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"units", "routing", "sla", "holidays", NULL};
    zq_in_only(q, r, keys);
    json_t *units = list_of(q, r, "units"), *routing = list_of(q, r, "routing"), *sla = list_of(q, r, "sla"),
           *holidays = list_of(q, r, "holidays");
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    int rc = DB_OK;
    /* units first: the rules may name a unit this request creates */
    if (units) rc = put_units(q, r, units);
    if (rc == DB_OK && !r->err && routing) rc = put_routing(q, r, routing);
    if (rc == DB_OK && !r->err && sla) rc = put_sla(q, r, sla);
    if (rc == DB_OK && !r->err && holidays) rc = put_holidays(q, r, holidays);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if (r->err) return hk_fail_tx(q, r, r->err, NULL);
    const char *detail = zq_arena_printf(q->arena, "{\"units\":%s,\"routing\":%s,\"sla\":%s,\"holidays\":%s}",
                                         units ? "true" : "false", routing ? "true" : "false", sla ? "true" : "false",
                                         holidays ? "true" : "false");
    if (hk_note(q, 0, "consult_settings", 0, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return respond(q, r);
}

static const zq_route routes[] = {
    /* city-wide settings: one routing table and one calendar for every district */
    {ZQ_GET, "/api/v1/admin/consult-settings", get_settings, ZQ_ACCESS_STAFF, "consult.supervise|consult.handle",
     ZQ_RF_UNSCOPED, 0, NULL},
    {ZQ_PUT, "/api/v1/admin/consult-settings", put_settings, ZQ_ACCESS_STAFF, "consult.supervise",
     ZQ_RF_JSON | ZQ_RF_UNSCOPED, 256 << 10, "consult.settings"},
};
const zq_route_group consult_settings_routes = {routes, sizeof routes / sizeof routes[0]};
