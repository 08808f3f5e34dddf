/*
 * dashboard.c — the figures the home pages show, computed here so no page
 * carries a stand-in:
 *   GET /api/v1/public/stats      anyone: how many firms are certified (已认证)
 *   GET /api/v1/admin/dashboard   bureau staff: the work queues — registrations
 *        and change requests waiting, firms by review status, and new
 *        registrations per day over the last 30 days (Asia/Shanghai days).
 * District staff see their district only: the request's scope (http/scope.h,
 * set by the gate) is a bound parameter of every statement, "" meaning the
 * whole city. The figures are about firms, so the route asks for one of the
 * permissions that show firms.
 */
#include "dashboard/dashboard.h"
#include "core/clock.h"
#include "db/db.h"
#include "http/scope.h"
#include <string.h>

#define DAYS 30
#define DAY_SECONDS 86400

static const char SQL_APPROVED[] =
    "SELECT CAST(COALESCE(SUM(t.n), 0) AS BIGINT) FROM enterprise_tally t WHERE t.status = 'approved'";
/* enterprise_tally (migration 0014) keeps the firms per region and status */
static const char SQL_BY_STATUS[] = "SELECT t.status, CAST(COALESCE(SUM(t.n), 0) AS BIGINT) FROM enterprise_tally t"
                                    " WHERE ($1 = '' OR t.region = $1) GROUP BY t.status";
static const char SQL_CHANGES[] = "SELECT COUNT(*) FROM enterprise_change c JOIN enterprise e ON e.id = c.enterprise_id"
                                  " WHERE c.status = 'pending' AND ($1 = '' OR e.region = $1)";
/* the status list lets both engines walk enterprise_status_submitted */
static const char SQL_DAILY[] =
    "SELECT (e.submitted_at + $1) / 86400, COUNT(*) FROM enterprise e"
    " WHERE e.status IN ('pending', 'approved', 'rejected') AND e.submitted_at >= $2 AND ($3 = '' OR e.region = $3)"
    " GROUP BY 1";

static zq_err public_stats(zq_req *q, zq_resp *r)
{
    int64_t approved = 0;
    if (db_query_int64(q->db, SQL_APPROVED, &approved, 0, NULL) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "approved_enterprises", approved);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* by[0..2]: pending, approved, rejected firms within scope. */
static int count_by_status(zq_req *q, const char *scope, int64_t by[3])
{
    static const char *const names[3] = {"pending", "approved", "rejected"};
    db_stmt *s = db_prepare(q->db, SQL_BY_STATUS);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, scope, -1);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *st = db_col_text(s, 0);
        for (int i = 0; i < 3; i++)
            if (st && strcmp(st, names[i]) == 0) by[i] = db_col_int64(s, 1);
    }
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

/* counts[i]: registrations submitted on day first_day + i (CST day numbers). */
static int count_daily(zq_req *q, const char *scope, int64_t first_day, int64_t counts[DAYS])
{
    db_stmt *s = db_prepare(q->db, SQL_DAILY);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, ZQ_CST_OFFSET);
    db_bind_int64(s, 2, first_day * DAY_SECONDS - ZQ_CST_OFFSET);
    db_bind_text(s, 3, scope, -1);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t i = db_col_int64(s, 0) - first_day;
        if (i >= 0 && i < DAYS) counts[i] = db_col_int64(s, 1);
    }
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

/* "2026-12-07" of CST day number `day` (the date part of its ISO time). */
static void day_text(int64_t day, char out[11])
{
    char iso[26];
    zq_time_iso(day * DAY_SECONDS - ZQ_CST_OFFSET, iso);
    memcpy(out, iso, 10);
    out[10] = '\0';
}

static zq_err admin_dashboard(zq_req *q, zq_resp *r)
{
    const char *scope = zq_scope_value(q);
    int64_t by[3] = {0, 0, 0}, changes = 0, daily[DAYS] = {0};
    int64_t today = (q->now + ZQ_CST_OFFSET) / DAY_SECONDS, first = today - (DAYS - 1);
    const char *p[1] = {scope};
    if (count_by_status(q, scope, by) != DB_OK || db_query_int64(q->db, SQL_CHANGES, &changes, 1, p) != DB_OK ||
        count_daily(q, scope, first, daily) != DB_OK)
        return zq_fail(r, ZQ_E_INTERNAL, NULL);

    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "scope_region", scope);
    zq_jw_kint(&w, "pending_registrations", by[0]);
    zq_jw_kint(&w, "pending_changes", changes);
    zq_jw_key(&w, "by_status");
    zq_jw_obj(&w);
    zq_jw_kint(&w, "pending", by[0]);
    zq_jw_kint(&w, "approved", by[1]);
    zq_jw_kint(&w, "rejected", by[2]);
    zq_jw_obj_end(&w);
    zq_jw_key(&w, "daily");
    zq_jw_arr(&w);
    for (int i = 0; i < DAYS; i++) {
        char d[11];
        day_text(first + i, d);
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "date", d);
        zq_jw_kint(&w, "count", daily[i]);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

#define DASHBOARD_PERMS "enterprise.view|registration.review|enterprise.change_review"

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/public/stats", public_stats, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/admin/dashboard", admin_dashboard, ZQ_ACCESS_STAFF, DASHBOARD_PERMS, ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group dashboard_routes = {routes, sizeof routes / sizeof routes[0]};
