/*
 * row.c — reading one report with its task's deadline, the state every
 * transition (save, submit, withdraw, approve, return, reopen) starts from.
 */
#include "trade/trade_internal.h"

static const char SQL_ROW[] =
    "SELECT r.id, r.task_id, r.enterprise_id, r.version, t.deadline_at, r.region, r.direction, r.status, t.name,"
    " t.deadline, r.year, r.month, r.month_amt, r.ytd_amt, r.next_month_amt, r.next_quarter_amt, r.month_reason,"
    " r.ytd_reason, r.reopened FROM trade_report r JOIN trade_task t ON t.id = r.task_id WHERE r.id = $1";

int trade_row_load(db_conn *c, zq_arena *a, int64_t id, trade_row *o)
{
    db_stmt *s = db_prepare(c, SQL_ROW);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        o->id = db_col_int64(s, 0);
        o->task_id = db_col_int64(s, 1);
        o->enterprise_id = db_col_int64(s, 2);
        o->version = db_col_int64(s, 3);
        o->deadline_at = db_col_int64(s, 4);
        o->region = zq_arena_strdup(a, db_col_text(s, 5));
        o->direction = zq_arena_strdup(a, db_col_text(s, 6));
        o->status = zq_arena_strdup(a, db_col_text(s, 7));
        o->task_name = zq_arena_strdup(a, db_col_text(s, 8));
        o->deadline = zq_arena_strdup(a, db_col_text(s, 9));
        o->year = (int)db_col_int64(s, 10);
        o->month = (int)db_col_int64(s, 11);
        for (int i = 0; i < 4; i++) {
            o->has[i] = !db_col_is_null(s, 12 + i);
            o->amt[i] = o->has[i] ? db_col_int64(s, 12 + i) : 0;
        }
        o->month_reason = zq_arena_strdup(a, db_col_text(s, 16));
        o->ytd_reason = zq_arena_strdup(a, db_col_text(s, 17));
        o->reopened = db_col_int64(s, 18) != 0;
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? rc : (rc < 0 ? rc : DB_ERR);
}

bool trade_row_locked(const trade_row *r, int64_t now)
{
    return now >= r->deadline_at && !r->reopened;
}
