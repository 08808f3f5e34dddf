/*
 * remind.c — 一键催报 and the automatic reminder:
 *   POST /api/v1/admin/trade/tasks/:id/remind {"region":optional}   (trade.review)
 * reminds every firm of the task (in the caller's scope) that has not
 * submitted, at most once per firm per day (trade_report.reminded_on and
 * the notification's idempotency key, which carries the day). The worker
 * calls the same for open tasks whose deadline is remind_days away.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "http/input.h"
#include "http/scope.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

static const char SQL_TASK[] = "SELECT name, deadline, deadline_at, direction FROM trade_task WHERE id = $1";
static const char SQL_DUE[] =
    "SELECT enterprise_id FROM trade_report WHERE task_id = $1 AND status IN ('not_reported', 'draft', 'returned')"
    " AND reminded_on <> $2 AND ($3 = '' OR region = $3)";
static const char SQL_MARK[] =
    "UPDATE trade_report SET reminded_on = $2 WHERE task_id = $1 AND status IN ('not_reported', 'draft', 'returned')"
    " AND reminded_on <> $2 AND ($3 = '' OR region = $3)";
static const char SQL_OPEN_TASKS[] =
    "SELECT id, deadline FROM trade_task WHERE deadline_at > $1 AND deadline_at <= $2";
static const char SQL_REMIND_DAYS[] = "SELECT remind_days FROM trade_schedule WHERE id = 1";

typedef struct {
    int64_t task;
    const char *day, *region;
} due_ctx;

static void bind_due(db_stmt *s, void *ctx)
{
    const due_ctx *d = ctx;
    db_bind_int64(s, 1, d->task);
    db_bind_text(s, 2, d->day, -1);
    db_bind_text(s, 3, d->region, -1);
}

int trade_remind(db_conn *c, zq_arena *a, int64_t now, int64_t task_id, const char *region, int64_t *n)
{
    *n = 0;
    db_stmt *s = db_prepare(c, SQL_TASK);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, task_id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? DB_DONE : (rc < 0 ? rc : DB_ERR);
    }
    const char *name = zq_arena_strdup(a, db_col_text(s, 0)), *deadline = zq_arena_strdup(a, db_col_text(s, 1));
    const char *dir = zq_arena_strdup(a, db_col_text(s, 3));
    db_stmt_done(s);
    char today[11], ref[32];
    zq_today(now, today);
    snprintf(ref, sizeof ref, "trade_remind_%.4s%.2s%.2s", today, today + 5, today + 8);
    due_ctx d = {task_id, today, region ? region : ""};
    notify_msg m = {.topic = "trade", .template_code = "trade.remind", .ref_type = ref, .ref_id = task_id,
                    .params_json = trade_dump(a, json_pack("{s:s,s:s}", "name", name, "deadline", deadline)),
                    .link = strcmp(dir, "import") == 0 ? "/console/trade/import" : "/console/trade/export"};
    if ((rc = notify_enterprises_sql(c, now, &m, "trade.report", SQL_DUE, bind_due, &d, NULL)) != DB_OK) return rc;
    if (!(s = db_prepare(c, SQL_MARK))) return DB_ERR;
    bind_due(s, &d);
    rc = db_step(s);
    *n = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

/* The one audit call of this file. */
static int audit(zq_req *q, int64_t task, const char *detail)
{
    audit_entry e = {.action = "trade.remind", .object_type = "trade_task",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)task), .detail = detail};
    return audit_record(q, &e);
}

static zq_err task_remind(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"region", NULL};
    zq_in_only(q, r, keys);
    const char *region = zq_in_str(q, r, "region", "区县", false, 12);
    if (r->err) return r->err;
    if (!zq_scope_citywide(q)) {
        if (region && !zq_scope_allows(q, region)) return zq_fail(r, ZQ_E_NOT_FOUND, "区县不存在");
        region = q->scope_region;
    }
    int64_t task = trade_path_id(q), n = 0;
    if (db_begin(q->db, true) != DB_OK) return trade_db_fail(q, r);
    int rc = trade_remind(q->db, q->arena, q->now, task, region, &n);
    if (rc == DB_DONE) {
        db_rollback(q->db);
        return zq_fail(r, ZQ_E_NOT_FOUND, "任务不存在");
    }
    const char *detail = trade_dump(q->arena, json_pack("{s:s,s:I}", "region", region ? region : "", "reminded", (json_int_t)n));
    if (rc != DB_OK || audit(q, task, detail) != 0 || db_commit(q->db) != DB_OK) return trade_db_fail(q, r);
    notify_kick(q->app);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "reminded", n);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

int trade_remind_task(db_conn *c, int64_t now, void *ctx)
{
    int64_t days = 0;
    if (db_query_int64(c, SQL_REMIND_DAYS, &days, 0, NULL) != DB_OK) return DB_ERR;
    if (days <= 0) return DB_OK;
    zq_arena *a = zq_arena_new(16384);
    if (!a) return DB_ERR;
    int rc = db_begin(c, true);
    if (rc != DB_OK) goto done;
    db_stmt *s = db_prepare(c, SQL_OPEN_TASKS);
    if (!s) {
        rc = DB_ERR;
        goto done;
    }
    /* open tasks whose deadline day ends within `days` days */
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, now + days * 86400);
    int64_t ids[64];
    int n = 0;
    while ((rc = db_step(s)) == DB_ROW && n < 64) ids[n++] = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) goto done;
    rc = DB_OK;
    for (int i = 0; i < n && rc == DB_OK; i++) {
        int64_t sent;
        rc = trade_remind(c, a, now, ids[i], "", &sent);
        audit_actor who = {.kind = "system", .name = "外贸自动催报"};
        audit_entry e = {.action = "trade.remind", .object_type = "trade_task",
                         .object_id = zq_arena_printf(a, "%lld", (long long)ids[i]),
                         .detail = zq_arena_printf(a, "{\"auto\":true,\"reminded\":%lld}", (long long)sent)};
        if (rc == DB_OK && sent > 0 && audit_record_as(c, &who, now, &e) != 0) rc = DB_ERR;
    }
    if (rc == DB_OK) rc = db_commit(c);
done:
    if (db_in_tx(c)) db_rollback(c);
    zq_arena_free(a);
    return rc;
}

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/admin/trade/tasks/:id/remind", task_remind, ZQ_ACCESS_STAFF, "trade.review",
     ZQ_RF_JSON | ZQ_RF_SCOPED, 1024, "trade.remind"},
};
const zq_route_group trade_remind_routes = {routes, sizeof routes / sizeof routes[0]};
