/*
 * settings.c — the module's settings (manual 5: 当月降20增10%、累计降20增15%):
 *   GET /api/v1/admin/trade/settings   schedule, reminder and the thresholds per year   (trade.manage|trade.review)
 *   PUT /api/v1/admin/trade/settings   {"schedule":{…},"thresholds":[{year,…}]}        (trade.manage, city staff)
 * Thresholds are kept per year in tenths of a percent; a year without a row
 * uses the manual's figures, so labels and checks follow whatever is set.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/text.h"
#include "http/input.h"
#include "http/scope.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const trade_thresholds DEFAULTS = {200, 100, 200, 150};

static const char SQL_THRESHOLD[] = "SELECT month_down, month_up, ytd_down, ytd_up FROM trade_threshold WHERE year = $1";
static const char SQL_THRESHOLDS[] =
    "SELECT year, month_down, month_up, ytd_down, ytd_up FROM trade_threshold ORDER BY year DESC LIMIT 50";
static const char SQL_THRESHOLD_PUT[] =
    "INSERT INTO trade_threshold(year, month_down, month_up, ytd_down, ytd_up, updated_by, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (year) DO UPDATE SET month_down = $2, month_up = $3,"
    " ytd_down = $4, ytd_up = $5, updated_by = $6, updated_at = $7";
static const char SQL_SCHEDULE[] =
    "SELECT enabled, create_day, deadline_day, directions, remind_days FROM trade_schedule WHERE id = 1";
static const char SQL_SCHEDULE_PUT[] =
    "UPDATE trade_schedule SET enabled = $1, create_day = $2, deadline_day = $3, directions = $4, remind_days = $5,"
    " updated_by = $6, updated_at = $7 WHERE id = 1";

int trade_thresholds_get(db_conn *c, int year, trade_thresholds *out)
{
    *out = DEFAULTS;
    db_stmt *s = db_prepare(c, SQL_THRESHOLD);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, year);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->month_down = (int)db_col_int64(s, 0);
        out->month_up = (int)db_col_int64(s, 1);
        out->ytd_down = (int)db_col_int64(s, 2);
        out->ytd_up = (int)db_col_int64(s, 3);
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

/* The one audit call of this file. */
static int audit(zq_req *q, const char *detail)
{
    audit_entry e = {.action = "trade.settings", .object_type = "trade_settings", .object_id = "1", .detail = detail};
    return audit_record(q, &e);
}

static void write_thresholds(zq_req *q, zq_jw *w, int year, const trade_thresholds *t)
{
    zq_jw_obj(w);
    if (year) zq_jw_kint(w, "year", year);
    zq_jw_kstr(w, "month_down", trade_tenths_str(q->arena, t->month_down));
    zq_jw_kstr(w, "month_up", trade_tenths_str(q->arena, t->month_up));
    zq_jw_kstr(w, "ytd_down", trade_tenths_str(q->arena, t->ytd_down));
    zq_jw_kstr(w, "ytd_up", trade_tenths_str(q->arena, t->ytd_up));
    zq_jw_obj_end(w);
}

static zq_err settings_get(zq_req *q, zq_resp *r)
{
    db_stmt *s = db_prepare(q->db, SQL_SCHEDULE);
    if (!s || db_step(s) != DB_ROW) {
        if (s) db_stmt_done(s);
        return trade_db_fail(q, r);
    }
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "schedule");
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "enabled", db_col_int64(s, 0) != 0);
    zq_jw_kint(&w, "create_day", db_col_int64(s, 1));
    zq_jw_kint(&w, "deadline_day", db_col_int64(s, 2));
    const char *dirs = db_col_text(s, 3);
    zq_jw_key(&w, "directions");
    zq_jw_arr(&w);
    if (dirs && strstr(dirs, "export")) zq_jw_str(&w, "export");
    if (dirs && strstr(dirs, "import")) zq_jw_str(&w, "import");
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    zq_jw_kint(&w, "remind_days", db_col_int64(s, 4));
    db_stmt_done(s);
    zq_jw_key(&w, "defaults");
    write_thresholds(q, &w, 0, &DEFAULTS);
    zq_jw_key(&w, "thresholds");
    zq_jw_arr(&w);
    if (!(s = db_prepare(q->db, SQL_THRESHOLDS))) return trade_db_fail(q, r);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        trade_thresholds t = {(int)db_col_int64(s, 1), (int)db_col_int64(s, 2), (int)db_col_int64(s, 3),
                              (int)db_col_int64(s, 4)};
        write_thresholds(q, &w, (int)db_col_int64(s, 0), &t);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return trade_db_fail(q, r);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* "20", "20.5" or a JSON number → tenths in 0..10000 (0 % … 1000 %); -1 if not. */
static int tenths_of(json_t *v)
{
    char buf[24];
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        return i >= 0 && i <= 1000 ? (int)i * 10 : -1;
    }
    if (!json_is_string(v) || json_string_length(v) >= sizeof buf) return -1;
    strcpy(buf, json_string_value(v));
    char *dot = strchr(buf, '.');
    if (dot && (dot[1] < '0' || dot[1] > '9' || dot[2] != 0)) return -1;
    int frac = dot ? dot[1] - '0' : 0;
    if (dot) *dot = 0;
    int64_t whole;
    if (!buf[0] || !zq_parse_int64(buf, 0, 1000, &whole)) return -1;
    return (int)whole * 10 + frac;
}

#define MAX_YEARS 20

static zq_err settings_put(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"schedule", "thresholds", "remind_days", NULL};
    static const char *const skeys[] = {"enabled", "create_day", "deadline_day", "directions", NULL};
    static const char *const tkeys[] = {"year", "month_down", "month_up", "ytd_down", "ytd_up", NULL};
    if (!zq_scope_citywide(q)) return zq_fail(r, ZQ_E_FORBIDDEN, "只有市级工作人员可以修改外贸监测设置");
    zq_in_only(q, r, keys);
    if (r->err) return r->err;
    json_t *sch = json_object_get(q->json, "schedule"), *th = json_object_get(q->json, "thresholds");
    bool has_remind = false;
    int64_t remind = zq_in_int(q, r, "remind_days", "自动催报提前天数", false, 0, 15, &has_remind);
    int enabled = 0;
    int64_t cday = 20, dday = 28;
    char dirs[16] = "";
    if (sch) {
        if (!json_is_object(sch)) {
            zq_fail_field(q, r, "schedule", "定时设置格式不正确");
        } else {
            const char *k;
            json_t *v;
            json_object_foreach(sch, k, v) {
                bool known = false;
                for (int i = 0; skeys[i]; i++) known |= strcmp(k, skeys[i]) == 0;
                if (!known) zq_fail_field(q, r, zq_arena_printf(q->arena, "schedule.%s", k), "不支持的字段");
            }
            v = json_object_get(sch, "enabled");
            if (v && !json_is_boolean(v)) zq_fail_field(q, r, "schedule.enabled", "请选择是否启用");
            enabled = json_is_true(v);
            v = json_object_get(sch, "create_day");
            if (v && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 28))
                zq_fail_field(q, r, "schedule.create_day", "创建日须为每月1至28日");
            else if (v) cday = json_integer_value(v);
            v = json_object_get(sch, "deadline_day");
            if (v && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 28))
                zq_fail_field(q, r, "schedule.deadline_day", "截止日须为每月1至28日");
            else if (v) dday = json_integer_value(v);
            if (dday < cday) zq_fail_field(q, r, "schedule.deadline_day", "截止日不能早于创建日");
            v = json_object_get(sch, "directions");
            size_t i;
            json_t *d;
            if (v && !json_is_array(v)) zq_fail_field(q, r, "schedule.directions", "请选择出口、进口");
            else if (v) json_array_foreach(v, i, d) {
                    const char *dv = json_string_value(d);
                    if (!trade_direction_ok(dv) || i > 1) {
                        zq_fail_field(q, r, "schedule.directions", "方向只能是出口（export）或进口（import）");
                        break;
                    }
                    if (!strstr(dirs, dv)) {
                        if (dirs[0]) strcat(dirs, " ");
                        strcat(dirs, dv);
                    }
                }
            if (enabled && !dirs[0]) zq_fail_field(q, r, "schedule.directions", "启用定时任务时请至少选择一个方向");
        }
    }
    int years[MAX_YEARS];
    trade_thresholds ts[MAX_YEARS];
    size_t nt = 0;
    if (th) {
        size_t i;
        json_t *o;
        if (!json_is_array(th) || json_array_size(th) > MAX_YEARS)
            zq_fail_field(q, r, "thresholds", "阈值设置格式不正确（最多20个年度）");
        else json_array_foreach(th, i, o) {
                const char *f = zq_arena_printf(q->arena, "thresholds.%zu", i);
                json_t *y = json_object_get(o, "year");
                const char *k;
                json_t *v;
                bool bad = !json_is_object(o);
                if (!bad) json_object_foreach(o, k, v) {
                        bool known = false;
                        for (int j = 0; tkeys[j]; j++) known |= strcmp(k, tkeys[j]) == 0;
                        bad |= !known;
                    }
                if (bad || !json_is_integer(y) || json_integer_value(y) < 2000 || json_integer_value(y) > 2100) {
                    zq_fail_field(q, r, f, "请填写年度（2000–2100）和四个阈值");
                    continue;
                }
                int t[4];
                for (int j = 0; j < 4; j++) {
                    t[j] = tenths_of(json_object_get(o, tkeys[j + 1]));
                    if (t[j] < 0)
                        zq_fail_field(q, r, zq_arena_printf(q->arena, "%s.%s", f, tkeys[j + 1]),
                                      "阈值须为0至1000之间的百分数，最多一位小数");
                }
                if (t[0] > 1000 || t[2] > 1000)
                    zq_fail_field(q, r, zq_arena_printf(q->arena, "%s.month_down", f), "下降阈值不能超过100%");
                years[nt] = (int)json_integer_value(y);
                ts[nt++] = (trade_thresholds){t[0], t[1], t[2], t[3]};
            }
    }
    if (r->err) return r->err;
    int64_t staff = q->session->staff_id;
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    db_stmt *s;
    if (sch || has_remind) {
        if (!(s = db_prepare(q->db, SQL_SCHEDULE)) || db_step(s) != DB_ROW) {
            if (s) db_stmt_done(s);
            return trade_db_fail(q, r);
        }
        if (!sch) {
            enabled = (int)db_col_int64(s, 0);
            cday = db_col_int64(s, 1);
            dday = db_col_int64(s, 2);
            snprintf(dirs, sizeof dirs, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        } else if (!json_object_get(sch, "directions")) {
            snprintf(dirs, sizeof dirs, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        }
        if (!has_remind) remind = db_col_int64(s, 4);
        db_stmt_done(s);
        if (!(s = db_prepare(q->db, SQL_SCHEDULE_PUT))) return trade_db_fail(q, r);
        db_bind_int64(s, 1, enabled);
        db_bind_int64(s, 2, cday);
        db_bind_int64(s, 3, dday);
        db_bind_text(s, 4, dirs, -1);
        db_bind_int64(s, 5, remind);
        db_bind_int64(s, 6, staff);
        db_bind_int64(s, 7, q->now);
        int rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return trade_db_fail(q, r);
    }
    for (size_t i = 0; i < nt; i++) {
        if (!(s = db_prepare(q->db, SQL_THRESHOLD_PUT))) return trade_db_fail(q, r);
        db_bind_int64(s, 1, years[i]);
        db_bind_int64(s, 2, ts[i].month_down);
        db_bind_int64(s, 3, ts[i].month_up);
        db_bind_int64(s, 4, ts[i].ytd_down);
        db_bind_int64(s, 5, ts[i].ytd_up);
        db_bind_int64(s, 6, staff);
        db_bind_int64(s, 7, q->now);
        int rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return trade_db_fail(q, r);
    }
    char *detail = json_dumps(q->json, JSON_COMPACT | JSON_SORT_KEYS);
    int arc = audit(q, detail && strlen(detail) < 2000 ? detail : NULL);
    free(detail);
    if (arc != 0 || db_commit(q->db) != DB_OK) return trade_db_fail(q, r);
    return settings_get(q, r);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/trade/settings", settings_get, ZQ_ACCESS_STAFF, "trade.manage|trade.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 0, NULL},
    {ZQ_PUT, "/api/v1/admin/trade/settings", settings_put, ZQ_ACCESS_STAFF, "trade.manage", ZQ_RF_JSON | ZQ_RF_SCOPED,
     16384, "trade.settings"},
};
const zq_route_group trade_settings_routes = {routes, sizeof routes / sizeof routes[0]};
