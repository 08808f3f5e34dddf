/*
 * sla.c — the consultation's deadlines: working days per category
 * (consult_sla; '' is the default row) over the holiday calendar
 * (consult_holiday), computed by core/workday.
 */
#include "consult/consult_internal.h"
#include "core/clock.h"
#include "core/workday.h"
#include <string.h>

#define CS_CAL_MAX 400   /* calendar rows read for one deadline (a year and some) */

static const char SQL_SLA[] =
    "SELECT ack_days, answer_days, suggestion_days FROM consult_sla WHERE category = $1 OR category = ''"
    " ORDER BY category DESC LIMIT 1";
static const char SQL_CAL[] = "SELECT day, workday FROM consult_holiday WHERE day >= $1 ORDER BY day LIMIT $2";

int cs_sla_days(db_conn *c, const char *category, const char *kind, int *ack, int *answer)
{
    *ack = 1;
    *answer = 5;
    db_stmt *s = db_prepare(c, SQL_SLA);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, category, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *ack = (int)db_col_int64(s, 0);
        *answer = (int)db_col_int64(s, strcmp(kind, "suggestion") == 0 ? 2 : 1);
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int cs_sla_due(db_conn *c, int64_t now, int days, int64_t *due)
{
    char today[11];
    zq_today(now, today);
    db_stmt *s = db_prepare(c, SQL_CAL);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, today, -1);
    db_bind_int64(s, 2, CS_CAL_MAX);
    zq_cal_day cal[CS_CAL_MAX];
    size_t n = 0;
    int rc, y, m, d;
    while ((rc = db_step(s)) == DB_ROW && n < CS_CAL_MAX) {
        if (!zq_date_ymd(db_col_text(s, 0), &y, &m, &d)) continue;
        cal[n].day = zq_days_from_civil(y, m, d);
        cal[n++].workday = db_col_int64(s, 1) != 0;
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    *due = zq_workdays_due(now, days, cal, n);
    return DB_OK;
}
