/*
 * trade_internal.h — what the files of src/trade/ share: the calendar of a
 * report (本月, 1–N月, 下月, 下季度), exact YoY over integer 元, the
 * thresholds, last year's bases, the monitored-firm condition, task
 * creation (routes and the schedule) and 催报. Not for other modules.
 */
#ifndef ZQ_TRADE_INTERNAL_H
#define ZQ_TRADE_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "core/arena.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "http/req.h"
#include "http/session.h"
#include "targets/targets.h"

#define TRADE_MAX_WAN "10000000000"            /* 10^10 万元, the largest amount accepted */
#define TRADE_MAX_YUAN 100000000000000LL        /* the same in 元 */
#define TRADE_REASON_MAX 500

/* ---- calendar (yoy.c) ---- */
typedef struct { int y, m; } trade_ym;
trade_ym trade_ym_add(trade_ym p, int months);
/* The three months of the quarter after p's quarter (Q4 → Q1 of next year). */
trade_ym trade_next_quarter(trade_ym p, int *quarter);
/* "第一季度1-3月" … */
const char *trade_quarter_label(int quarter);
bool trade_direction_ok(const char *d);
/* "YYYY-MM" (2000–2100) → p. */
bool trade_parse_ym(const char *s, trade_ym *p);
const char *trade_direction_name(const char *d);   /* 出口 / 进口 */

/* ---- YoY over exact integers (yoy.c) ---- */
/* YoY in tenths of a percent, rounded half away from zero; false when base
 * is 0 (no YoY: shown as 「—」). */
bool trade_yoy_tenths(int64_t cur, int64_t base, int64_t *tenths);
/* "-20.0" or NULL (base 0), arena string. */
const char *trade_yoy_str(zq_arena *a, int64_t cur, int64_t base);
/* True when cur against base is below −down or above +up (tenths of a
 * percent), exactly: the boundary itself needs no reason. */
bool trade_beyond(int64_t cur, int64_t base, int down, int up);
/* Tenths "200" ↔ "20.0". */
const char *trade_tenths_str(zq_arena *a, int64_t tenths);
/* Amount in 元 as a 万元 string with 4 places ("123.4500"), arena. */
const char *trade_wan(zq_arena *a, int64_t yuan);
void trade_jw_wan(zq_jw *w, const char *key, bool has, int64_t yuan);

/* ---- thresholds (settings.c) ---- */
typedef struct { int month_down, month_up, ytd_down, ytd_up; } trade_thresholds;
/* The year's thresholds, the manual's defaults when none are set. DB_OK or a db_rc. */
int trade_thresholds_get(db_conn *c, int year, trade_thresholds *out);

/* ---- last year's bases and the firm's history (base.c) ---- */
/* Per month of years y-2 … y+1 (index (year - (y-2))*12 + month-1): the
 * customs actual if imported, else the firm's approved forecast, else 0;
 * has[] tells whether a value exists. */
typedef struct { int y0; int64_t v[48]; bool has[48]; bool actual[48]; } trade_history;
int trade_history_load(db_conn *c, int64_t enterprise_id, const char *direction, int year, trade_history *h);
int64_t trade_history_at(const trade_history *h, trade_ym p, bool *has);

/* The four blocks of a report and their bases. */
typedef struct {
    trade_ym period;            /* the task's month */
    int64_t base_month, base_ytd, base_next_month, base_next_quarter;
    trade_ym next_month, nq_first;
    int quarter;                /* 1..4, the next quarter */
} trade_bases;
void trade_bases_compute(const trade_history *h, trade_ym p, trade_bases *out);

/* ---- the monitored set (monitored.c) ---- */
/* SQL condition over enterprise alias `e` for direction at $n: monitored. */
const char *trade_monitored_sql(zq_arena *a, const char *alias, int param);

/* ---- outliers (outliers.c) ---- */
/* Space-separated codes: "history" (far from its last 12 months),
 * "ratio" (over 5× / under 0.2× last year's month), "ytd" (cumulative
 * below the sum of months reported). "" when none. Arena string. */
struct trade_row;
/* row: the report about to be submitted (read before the submit, its own
 * month counted in the cumulative check), h: its firm's history. */
int trade_outliers(db_conn *c, zq_arena *a, const struct trade_row *row, const trade_history *h, const char **flags);
/* Chinese reason for one code. */
const char *trade_flag_reason(const char *code);

/* ---- task creation (task_create.c) and reminders (remind.c) ---- */
typedef struct {
    int year, month;
    const char *direction, *name, *deadline, *note, *source;
    const targets *targets;            /* NULL = every monitored firm */
    const int64_t *ids;                /* explicit list (overrides targets) */
    int nids;
    int64_t created_by;
} trade_task_spec;
/* Inside the caller's transaction: the task, one report per firm, the
 * notification. *id and *reports set. DB_OK, DB_DONE (a scheduled task of
 * that month exists already) or a db_rc. */
#define TRADE_NOT_MONITORED 2   /* an explicit firm is not monitored: its id in *reports */
int trade_task_create(db_conn *c, zq_arena *a, int64_t now, const trade_task_spec *sp, int64_t *id, int64_t *reports);
/* Unix time of the first second after the deadline day (Asia/Shanghai). */
bool trade_deadline_at(const char *deadline, int64_t *at);
/* 催报 of task's unreported reports (region "" = all) not reminded today.
 * Joins the caller's transaction. *n = firms reminded. */
int trade_remind(db_conn *c, zq_arena *a, int64_t now, int64_t task_id, const char *region, int64_t *n);

/* ---- one report's row (row.c) ---- */
typedef struct trade_row {
    int64_t id, task_id, enterprise_id, version, deadline_at;
    const char *region, *direction, *status, *task_name, *deadline;
    int year, month;
    bool has[4];
    int64_t amt[4];                    /* month, ytd, next_month, next_quarter (元) */
    const char *month_reason, *ytd_reason;
    bool reopened;
} trade_row;
/* DB_ROW with *out (arena strings), DB_DONE when there is no such report, or a db_rc. */
int trade_row_load(db_conn *c, zq_arena *a, int64_t id, trade_row *out);
/* Past the deadline and not reopened. */
bool trade_row_locked(const trade_row *r, int64_t now);

/* A task's head for the handlers that work on one (summary, export,
 * review list): ZQ_OK, or the 404 / 500 already set on r. */
typedef struct {
    int64_t id, deadline_at;
    int year, month;
    const char *direction, *name, *deadline;
} trade_task_head;
zq_err trade_task_load(zq_req *q, zq_resp *r, int64_t id, trade_task_head *out);

/* ---- versions (versions.c) ---- */
/* Appends the report's current row as version `version` after `action`. */
int trade_version_add(db_conn *c, int64_t report_id, const char *action, const char *actor_kind, int64_t actor_id,
                      const char *actor_name, int64_t now);

/* ---- shared response bits (view.c) ---- */
/* The report object (blocks with last_year, yoy, reason_required, flags). */
int trade_report_write(db_conn *c, zq_arena *a, zq_jw *w, int64_t report_id, int64_t now, bool with_history);
const char *trade_status_name(const char *status);
bool trade_status_ok(const char *s);
/* id from the :id path parameter, 0 if malformed. */
int64_t trade_path_id(const zq_req *q);
zq_err trade_db_fail(zq_req *q, zq_resp *r);
/* The route's audit record about report row (its firm and district): the
 * pipeline writes it at the commit (audit_emit). 0, or -1 (roll back). */
int trade_audit_report(zq_req *q, const char *action, const trade_row *row, const char *detail);
/* 200 with the report and its version trail. */
zq_err trade_answer(zq_req *q, zq_resp *r, int64_t report_id);
/* ---- rendered views (view_cache.c) ---- */
/* Marks a change the bureau's views show, in the caller's transaction:
 * every report version, actuals import, task create/edit/delete. */
int trade_rev_bump(db_conn *c);
typedef zq_err (*trade_render_fn)(zq_req *q, zq_resp *r, void *ctx);
/* 200 from memory when the rendering under key (shorter than 48 bytes:
 * the view, its parameters and the caller's scope) is as new as the data,
 * else render, keep, answer; 304 for a matching If-None-Match. */
zq_err trade_cache_serve(zq_req *q, zq_resp *r, const char *key, trade_render_fn render, void *ctx);
/* Compact JSON text of j (released) in the arena; NULL on failure. */
const char *trade_dump(zq_arena *a, json_t *j);

/* GET /api/v1/admin/trade/accuracy (accuracy.c, listed in analysis.c's routes). */
zq_err trade_accuracy(zq_req *q, zq_resp *r);

#endif
