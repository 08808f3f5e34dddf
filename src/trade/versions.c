/*
 * versions.c — every change of a report kept as a version (who, when, the
 * values after it): saves, submits, withdrawals, approvals, returns and
 * reopenings. The report's own `version` column numbers them, so the row
 * written here is the state the change produced.
 */
#include "trade/trade_internal.h"
#include <string.h>

static const char SQL_ROW[] =
    "SELECT version, status, month_amt, ytd_amt, next_month_amt, next_quarter_amt, month_reason, ytd_reason,"
    " return_reason FROM trade_report WHERE id = $1";
static const char SQL_INSERT[] =
    "INSERT INTO trade_report_version(report_id, version, action, status, values_json, actor_kind, actor_id,"
    " actor_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

static json_t *amount(zq_arena *a, db_stmt *s, int col)
{
    return db_col_is_null(s, col) ? json_null() : json_string(trade_wan(a, db_col_int64(s, col)));
}

int trade_version_add(db_conn *c, int64_t report_id, const char *action, const char *actor_kind, int64_t actor_id,
                      const char *actor_name, int64_t now)
{
    zq_arena *a = zq_arena_new(4096);
    if (!a) return DB_ERR;
    int rc = DB_ERR;
    db_stmt *s = db_prepare(c, SQL_ROW);
    if (!s) goto done;
    db_bind_int64(s, 1, report_id);
    if ((rc = db_step(s)) != DB_ROW) {
        db_stmt_done(s);
        if (rc >= 0) rc = DB_ERR;
        goto done;
    }
    int64_t version = db_col_int64(s, 0);
    const char *status = zq_arena_strdup(a, db_col_text(s, 1));
    const char *values = trade_dump(
        a, json_pack("{s:o,s:o,s:o,s:o,s:s,s:s,s:s}", "month", amount(a, s, 2), "ytd", amount(a, s, 3), "next_month",
                     amount(a, s, 4), "next_quarter", amount(a, s, 5), "month_reason", db_col_text(s, 6),
                     "ytd_reason", db_col_text(s, 7), "return_reason", db_col_text(s, 8)));
    db_stmt_done(s);
    rc = DB_ERR;
    if (!values || !(s = db_prepare(c, SQL_INSERT))) goto done;
    db_bind_int64(s, 1, report_id);
    db_bind_int64(s, 2, version);
    db_bind_text(s, 3, action, -1);
    db_bind_text(s, 4, status, -1);
    db_bind_text(s, 5, values, -1);
    db_bind_text(s, 6, actor_kind, -1);
    db_bind_int64(s, 7, actor_id);
    db_bind_text(s, 8, actor_name ? actor_name : "", -1);
    db_bind_int64(s, 9, now);
    rc = db_step(s);
    db_stmt_done(s);
    rc = rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
    if (rc == DB_OK) rc = trade_rev_bump(c);   /* the bureau's views show it */
done:
    zq_arena_free(a);
    return rc;
}
