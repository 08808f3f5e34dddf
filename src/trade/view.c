/*
 * view.c — one report as both sides read it: the firm's form (GET
 * /api/v1/enterprise/trade/reports/:id) and the reviewer's detail. Each of
 * the four blocks carries the forecast, 去年同期, 同比 and whether a reason
 * is required under the year's thresholds; the flags carry their Chinese
 * reasons; the history lists every version. Plus the module's small
 * shared helpers (path id, failure, JSON detail).
 */
#include "trade/trade_internal.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/text.h"
#include <stdlib.h>
#include <string.h>

static const char SQL_REPORT[] =
    "SELECT r.id, r.task_id, r.enterprise_id, r.region, r.year, r.month, r.direction, r.status, r.month_amt,"
    " r.ytd_amt, r.next_month_amt, r.next_quarter_amt, r.month_reason, r.ytd_reason, r.flags, r.version, r.reopened,"
    " r.return_reason, r.submitted_at, r.reviewed_at, t.name, t.deadline, t.deadline_at, e.name, e.customs_code,"
    " e.industry, e.scale FROM trade_report r JOIN trade_task t ON t.id = r.task_id"
    " JOIN enterprise e ON e.id = r.enterprise_id WHERE r.id = $1";
static const char SQL_HISTORY[] =
    "SELECT version, action, status, values_json, actor_kind, actor_name, at FROM trade_report_version"
    " WHERE report_id = $1 ORDER BY version";

static const struct { const char *code, *name; } statuses[] = {
    {"not_reported", "未申报"}, {"draft", "草稿"}, {"pending", "待审核"}, {"approved", "通过"}, {"returned", "退回"},
};

const char *trade_status_name(const char *s)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (s && strcmp(s, statuses[i].code) == 0) return statuses[i].name;
    return "";
}

bool trade_status_ok(const char *s)
{
    return *trade_status_name(s) != 0;
}

int64_t trade_path_id(const zq_req *q)
{
    int64_t id;
    const char *p = zq_req_param(q, "id");
    return p && zq_parse_int64(p, 1, INT64_MAX, &id) ? id : 0;
}

zq_err trade_db_fail(zq_req *q, zq_resp *r)
{
    return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
}

int trade_audit_report(zq_req *q, const char *action, const trade_row *row, const char *detail)
{
    audit_entry e = {.action = action, .object_type = "trade_report",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)row->id), .detail = detail,
                     .enterprise_id = row->enterprise_id, .region = row->region};
    return audit_emit(q, &e);
}

const char *trade_dump(zq_arena *a, json_t *j)
{
    if (!j) return NULL;
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s) return NULL;
    const char *out = zq_arena_strdup(a, s);
    free(s);
    return out;
}

static void write_block(zq_arena *a, zq_jw *w, const char *key, const char *label, db_stmt *s, int col,
                        int64_t base, const char *reason, int down, int up, bool check)
{
    bool has = !db_col_is_null(s, col);
    int64_t v = has ? db_col_int64(s, col) : 0;
    zq_jw_key(w, key);
    zq_jw_obj(w);
    zq_jw_kstr(w, "label", label);
    trade_jw_wan(w, "forecast", has, v);
    trade_jw_wan(w, "last_year", true, base);
    zq_jw_kstr(w, "yoy", has ? trade_yoy_str(a, v, base) : NULL);
    if (check) {
        zq_jw_kstr(w, "reason", reason);
        zq_jw_kbool(w, "reason_required", has && trade_beyond(v, base, down, up));
    }
    zq_jw_obj_end(w);
}

static void write_history(db_conn *c, zq_jw *w, int64_t id)
{
    zq_jw_key(w, "history");
    zq_jw_arr(w);
    db_stmt *s = db_prepare(c, SQL_HISTORY);
    if (s) {
        db_bind_int64(s, 1, id);
        while (db_step(s) == DB_ROW) {
            char ts[26];
            zq_time_iso(db_col_int64(s, 6), ts);
            zq_jw_obj(w);
            zq_jw_kint(w, "version", db_col_int64(s, 0));
            zq_jw_kstr(w, "action", db_col_text(s, 1));
            zq_jw_kstr(w, "status", db_col_text(s, 2));
            zq_jw_key(w, "values");
            const char *vj = db_col_text(s, 3);
            zq_jw_raw(w, vj, strlen(vj));
            zq_jw_kstr(w, "actor_kind", db_col_text(s, 4));
            zq_jw_kstr(w, "actor_name", db_col_text(s, 5));
            zq_jw_kstr(w, "at", ts);
            zq_jw_obj_end(w);
        }
        db_stmt_done(s);
    }
    zq_jw_arr_end(w);
}

static void jw_time(zq_jw *w, const char *k, int64_t t)
{
    char ts[26];
    if (!t) {
        zq_jw_key(w, k);
        zq_jw_null(w);
        return;
    }
    zq_time_iso(t, ts);
    zq_jw_kstr(w, k, ts);
}

int trade_report_write(db_conn *c, zq_arena *a, zq_jw *w, int64_t report_id, int64_t now, bool with_history)
{
    db_stmt *s = db_prepare(c, SQL_REPORT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, report_id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? DB_DONE : (rc < 0 ? rc : DB_ERR);
    }
    int64_t eid = db_col_int64(s, 2);
    trade_ym p = {(int)db_col_int64(s, 4), (int)db_col_int64(s, 5)};
    const char *dir = zq_arena_strdup(a, db_col_text(s, 6));
    const char *status = zq_arena_strdup(a, db_col_text(s, 7));
    trade_history h;
    trade_thresholds th;
    trade_bases b;
    /* the statement stays open: history and thresholds use other statements */
    if ((rc = trade_history_load(c, eid, dir, p.y, &h)) != DB_OK || (rc = trade_thresholds_get(c, p.y, &th)) != DB_OK) {
        db_stmt_done(s);
        return rc;
    }
    trade_bases_compute(&h, p, &b);
    bool past = now >= db_col_int64(s, 22), reopened = db_col_int64(s, 16) != 0;
    bool done = strcmp(status, "pending") == 0 || strcmp(status, "approved") == 0;
    zq_jw_obj(w);
    zq_jw_kint(w, "id", report_id);
    zq_jw_kint(w, "task_id", db_col_int64(s, 1));
    zq_jw_kstr(w, "task_name", db_col_text(s, 20));
    zq_jw_kint(w, "year", p.y);
    zq_jw_kint(w, "report_month", p.m); /* "month" is the 本月 block below */
    zq_jw_kstr(w, "direction", dir);
    zq_jw_kstr(w, "deadline", db_col_text(s, 21));
    zq_jw_kstr(w, "status", status);
    zq_jw_kstr(w, "status_name", trade_status_name(status));
    zq_jw_kbool(w, "overdue", past && !done);
    zq_jw_kbool(w, "locked", past && !reopened);
    zq_jw_kbool(w, "reopened", reopened);
    zq_jw_kint(w, "version", db_col_int64(s, 15));
    zq_jw_key(w, "enterprise");
    zq_jw_obj(w);
    zq_jw_kint(w, "id", eid);
    zq_jw_kstr(w, "name", db_col_text(s, 23));
    zq_jw_kstr(w, "customs_code", db_col_text(s, 24));
    zq_jw_kstr(w, "region", db_col_text(s, 3));
    zq_jw_kstr(w, "industry", db_col_text(s, 25));
    zq_jw_kstr(w, "scale", db_col_text(s, 26));
    zq_jw_obj_end(w);
    write_block(a, w, "month", zq_arena_printf(a, "%d月", p.m), s, 8, b.base_month, db_col_text(s, 12),
                th.month_down, th.month_up, true);
    write_block(a, w, "ytd", p.m == 1 ? "1月" : zq_arena_printf(a, "1-%d月", p.m), s, 9, b.base_ytd,
                db_col_text(s, 13), th.ytd_down, th.ytd_up, true);
    write_block(a, w, "next_month", zq_arena_printf(a, "%d年%d月", b.next_month.y, b.next_month.m), s, 10,
                b.base_next_month, NULL, 0, 0, false);
    write_block(a, w, "next_quarter", zq_arena_printf(a, "%d年%s", b.nq_first.y, trade_quarter_label(b.quarter)), s,
                11, b.base_next_quarter, NULL, 0, 0, false);
    zq_jw_key(w, "thresholds");
    zq_jw_obj(w);
    zq_jw_kstr(w, "month_down", trade_tenths_str(a, th.month_down));
    zq_jw_kstr(w, "month_up", trade_tenths_str(a, th.month_up));
    zq_jw_kstr(w, "ytd_down", trade_tenths_str(a, th.ytd_down));
    zq_jw_kstr(w, "ytd_up", trade_tenths_str(a, th.ytd_up));
    zq_jw_obj_end(w);
    zq_jw_key(w, "flags");
    zq_jw_arr(w);
    char *flags = zq_arena_strdup(a, db_col_text(s, 14)), *save = NULL;
    for (char *f = strtok_r(flags, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
        zq_jw_obj(w);
        zq_jw_kstr(w, "code", f);
        zq_jw_kstr(w, "reason", trade_flag_reason(f));
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
    const char *rr = db_col_text(s, 17);
    zq_jw_kstr(w, "return_reason", rr && *rr ? rr : NULL);
    jw_time(w, "submitted_at", db_col_int64(s, 18));
    jw_time(w, "reviewed_at", db_col_int64(s, 19));
    db_stmt_done(s);
    if (with_history) write_history(c, w, report_id);
    zq_jw_obj_end(w);
    return DB_OK;
}

zq_err trade_answer(zq_req *q, zq_resp *r, int64_t report_id)
{
    zq_jw w;
    zq_resp_json(r, &w, 200);
    return trade_report_write(q->db, q->arena, &w, report_id, q->now, true) == DB_OK ? ZQ_OK : trade_db_fail(q, r);
}
