/*
 * task_create.c — making a forecast task: the task row, one report per
 * firm in 未申报 (set-based INSERT … SELECT over the monitored firms and
 * the targets filter, or an explicit list), and one notification per firm
 * through notify/ (topic "trade", template "trade.task_created"). Shared
 * by POST /api/v1/admin/trade/tasks and the monthly schedule.
 */
#include "trade/trade_internal.h"
#include "core/clock.h"
#include "notify/notify.h"
#include <string.h>

static const char SQL_TASK_INSERT[] =
    "INSERT INTO trade_task(year, month, direction, name, deadline, deadline_at, targets_json, note, source,"
    " created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id";
/* the schedule's row is unique per month and direction: a second instance
 * inserts nothing and so makes no reports and sends nothing */
static const char SQL_TASK_INSERT_SCHED[] =
    "INSERT INTO trade_task(year, month, direction, name, deadline, deadline_at, targets_json, note, source,"
    " created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)"
    " ON CONFLICT (year, month, direction) WHERE source = 'schedule' DO NOTHING RETURNING id";
static const char SQL_REPORTS_INSERT[] =
    "INSERT INTO trade_report(task_id, enterprise_id, region, year, month, direction, created_at, updated_at)"
    " SELECT CAST($1 AS BIGINT), e.id, e.region, CAST($2 AS INTEGER), CAST($3 AS INTEGER), CAST($4 AS VARCHAR(8)),"
    " CAST($5 AS BIGINT), CAST($5 AS BIGINT) FROM enterprise e WHERE 1 = 1";
static const char SQL_TASK_COUNT[] =
    "UPDATE trade_task SET reports = (SELECT COUNT(*) FROM trade_report WHERE task_id = $1) WHERE id = $1"
    " RETURNING reports";
static const char SQL_TASK_FIRMS[] = "SELECT enterprise_id FROM trade_report WHERE task_id = $1";

bool trade_deadline_at(const char *deadline, int64_t *at)
{
    int64_t start;
    if (!deadline || !zq_date_parse(deadline, &start)) return false;
    *at = start + 86400;
    return true;
}

static void bind_task(db_stmt *s, void *ctx)
{
    db_bind_int64(s, 1, *(int64_t *)ctx);
}

static int insert_reports(db_conn *c, zq_arena *a, int64_t now, const trade_task_spec *sp, int64_t id, int64_t only)
{
    int tn = 0;
    const char *tw = sp->targets && !only ? targets_where(a, sp->targets, "e", 8, &tn) : "";
    const char *sql = zq_arena_printf(a, "%s%s%s%s", SQL_REPORTS_INSERT, trade_monitored_sql(a, "e", 6),
                                      only ? " AND e.id = $7" : "", tw);
    if (!sql || !tw) return DB_ERR;
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, sp->year);
    db_bind_int64(s, 3, sp->month);
    db_bind_text(s, 4, sp->direction, -1);
    db_bind_int64(s, 5, now);
    db_bind_text(s, 6, sp->direction, -1);
    if (only) db_bind_int64(s, 7, only);
    if (sp->targets && !only) targets_bind(s, sp->targets, 8);
    int rc = db_step(s);
    int64_t n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    return only && n == 0 ? TRADE_NOT_MONITORED : DB_OK;
}

int trade_task_create(db_conn *c, zq_arena *a, int64_t now, const trade_task_spec *sp, int64_t *id, int64_t *reports)
{
    int64_t deadline_at;
    if (!trade_deadline_at(sp->deadline, &deadline_at)) return DB_ERR;
    bool sched = sp->source && strcmp(sp->source, "schedule") == 0;
    db_stmt *s = db_prepare(c, sched ? SQL_TASK_INSERT_SCHED : SQL_TASK_INSERT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, sp->year);
    db_bind_int64(s, 2, sp->month);
    db_bind_text(s, 3, sp->direction, -1);
    db_bind_text(s, 4, sp->name, -1);
    db_bind_text(s, 5, sp->deadline, -1);
    db_bind_int64(s, 6, deadline_at);
    if (sp->targets && !sp->nids && !targets_empty(sp->targets))
        db_bind_text(s, 7, targets_to_json(a, sp->targets), -1);
    else
        db_bind_null(s, 7);
    db_bind_text(s, 8, sp->note ? sp->note : "", -1);
    db_bind_text(s, 9, sched ? "schedule" : "manual", -1);
    if (sp->created_by) db_bind_int64(s, 10, sp->created_by);
    else db_bind_null(s, 10);
    db_bind_int64(s, 11, now);
    int rc = db_step(s);
    *id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc == DB_DONE && sched) return DB_DONE;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if (sp->nids) {
        for (int i = 0; i < sp->nids; i++) {
            if ((rc = insert_reports(c, a, now, sp, *id, sp->ids[i])) != DB_OK) {
                if (rc == TRADE_NOT_MONITORED) *reports = sp->ids[i];
                return rc;
            }
        }
    } else if ((rc = insert_reports(c, a, now, sp, *id, 0)) != DB_OK) {
        return rc;
    }
    if (!(s = db_prepare(c, SQL_TASK_COUNT))) return DB_ERR;
    db_bind_int64(s, 1, *id);
    rc = db_step(s);
    *reports = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = trade_rev_bump(c)) != DB_OK) return rc;
    notify_msg m = {.topic = "trade", .template_code = "trade.task_created", .ref_type = "trade_task", .ref_id = *id,
                    .params_json = trade_dump(a, json_pack("{s:s,s:s}", "name", sp->name, "deadline", sp->deadline)),
                    .link = strcmp(sp->direction, "import") == 0 ? "/console/trade/import" : "/console/trade/export"};
    return notify_enterprises_sql(c, now, &m, "trade.report", SQL_TASK_FIRMS, bind_task, id, NULL);
}
