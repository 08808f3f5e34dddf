/*
 * schedule.c — the monthly automation: on the schedule's day the worker
 * makes this month's task for each chosen direction (deadline on the
 * schedule's deadline day). The task row is unique per month and direction
 * for scheduled tasks, so two instances (or two passes) make it once.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "audit/audit.h"
#include "core/clock.h"
#include <stdio.h>
#include <string.h>

static const char SQL_SCHEDULE[] =
    "SELECT enabled, create_day, deadline_day, directions FROM trade_schedule WHERE id = 1";

int trade_schedule_task(db_conn *c, int64_t now, void *ctx)
{
    db_stmt *s = db_prepare(c, SQL_SCHEDULE);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    bool enabled = rc == DB_ROW && db_col_int64(s, 0) != 0;
    int cday = rc == DB_ROW ? (int)db_col_int64(s, 1) : 0, dday = rc == DB_ROW ? (int)db_col_int64(s, 2) : 0;
    char dirs[24] = "";
    if (rc == DB_ROW) snprintf(dirs, sizeof dirs, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
    db_stmt_done(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    char today[11];
    zq_today(now, today);
    int y, m, d;
    if (!enabled || !zq_date_ymd(today, &y, &m, &d) || d < cday || d > dday) return DB_OK;
    zq_arena *a = zq_arena_new(16384);
    if (!a) return DB_ERR;
    static const char *const all[] = {"export", "import"};
    rc = DB_OK;
    for (int i = 0; i < 2 && rc == DB_OK; i++) {
        if (!strstr(dirs, all[i])) continue;
        trade_task_spec sp = {.year = y, .month = m, .direction = all[i], .source = "schedule",
                              .deadline = zq_arena_printf(a, "%04d-%02d-%02d", y, m, dday),
                              .name = zq_arena_printf(a, "%d年%d月重点监测外贸企业%s预测申报表", y, m,
                                                      trade_direction_name(all[i]))};
        int64_t id = 0, n = 0;
        if ((rc = db_begin(c, true)) != DB_OK) break;
        rc = trade_task_create(c, a, now, &sp, &id, &n);
        if (rc == DB_DONE) {   /* made already, by us or another instance */
            db_rollback(c);
            rc = DB_OK;
            continue;
        }
        audit_actor who = {.kind = "system", .name = "外贸定时任务"};
        audit_entry e = {.action = "trade.task_create", .object_type = "trade_task",
                         .object_id = zq_arena_printf(a, "%lld", (long long)id),
                         .detail = zq_arena_printf(a, "{\"schedule\":true,\"reports\":%lld}", (long long)n)};
        if (rc == DB_OK && audit_record_as(c, &who, now, &e) != 0) rc = DB_ERR;
        if (rc == DB_OK) rc = db_commit(c);
        if (db_in_tx(c)) db_rollback(c);
    }
    zq_arena_free(a);
    return rc;
}
