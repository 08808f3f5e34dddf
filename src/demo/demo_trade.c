/*
 * demo_trade.c — two years of foreign-trade forecasts for the demo city's
 * trade firms (approved, with a customs code), so that every chart of the
 * trade screens has a real shape: per direction one task a month for the
 * last 24 months and this month's open one; each firm's actual monthly
 * amount follows its size (万元 per month: 大型 thousands, 微型 tens), a
 * season (the Spring Festival dip in February, the year-end peak) and a
 * trend with noise; its forecasts miss the actual by a firm-specific
 * error; customs actuals exist up to two months ago (they lag). Past
 * reports are approved, a few returned; this month's are spread over every
 * status. Plain SQL: the demo room sits above the modules and never uses
 * their internals.
 */
#include "demo/demo.h"
#include "demo/demo_firm.h"
#include "core/clock.h"
#include "db/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_MONTHS 24
#define MAX_FIRMS 4000

static const char SQL_FIRMS[] =
    "SELECT id, region, scale, trade_type FROM enterprise WHERE status = 'approved' AND customs_code IS NOT NULL"
    " AND customs_code <> '' AND trade_type IN ('export', 'import', 'both') ORDER BY id";
static const char SQL_TASK[] =
    "INSERT INTO trade_task(year, month, direction, name, deadline, deadline_at, note, source, reports, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, '', 'manual', $7, $8, $8) RETURNING id";
static const char SQL_REPORT[] =
    "INSERT INTO trade_report(task_id, enterprise_id, region, year, month, direction, status, month_amt, ytd_amt,"
    " next_month_amt, next_quarter_amt, month_reason, ytd_reason, version, return_reason, submitted_at, reviewed_at,"
    " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)";
static const char SQL_ACTUAL[] =
    "INSERT INTO trade_actual(enterprise_id, year, month, direction, amount, imported_at) VALUES ($1, $2, $3, $4, $5, $6)";

typedef struct {
    int64_t id;
    char region[13];
    int64_t level;        /* 元 a month */
    int err_pct;          /* how far its forecasts miss, ± percent */
    int growth;           /* ‰ a month */
    bool dir[2];          /* export, import */
} trade_firm;

/* Month index 0..DEMO_MONTHS+3 relative to the first task month. */
static int64_t actual_of(const trade_firm *f, int d, int idx, int month)
{
    static const int season[12] = {95, 70, 100, 102, 104, 103, 105, 106, 104, 108, 112, 118};
    uint64_t st = (uint64_t)f->id * 1000003u + (uint64_t)d * 7919u + (uint64_t)idx * 104729u;
    int noise = 90 + demo_pick(&st, 21);                    /* 90 … 110 % */
    int64_t v = f->level * season[month - 1] / 100 * noise / 100;
    v += v * f->growth * idx / 1000;
    return v / 10000 * 10000 + demo_pick(&st, 10000);       /* whole 元, realistic tails */
}

static int64_t forecast_of(const trade_firm *f, int d, int idx, int month)
{
    uint64_t st = (uint64_t)f->id * 31337u + (uint64_t)d * 131u + (uint64_t)idx * 8191u;
    int miss = demo_pick(&st, 2 * f->err_pct + 1) - f->err_pct;
    int64_t a = actual_of(f, d, idx, month);
    return a + a * miss / 100;
}

static int step_done(db_stmt *s)
{
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

int demo_trade(db_conn *db, int64_t now)
{
    db_stmt *s = db_prepare(db, SQL_FIRMS);
    if (!s) return DB_ERR;
    trade_firm *firms = calloc(MAX_FIRMS, sizeof *firms);
    int n = 0, rc;
    uint64_t rng = 20261207;
    while (firms && (rc = db_step(s)) == DB_ROW && n < MAX_FIRMS) {
        trade_firm *f = &firms[n++];
        f->id = db_col_int64(s, 0);
        snprintf(f->region, sizeof f->region, "%s", db_col_text(s, 1));
        const char *scale = db_col_text(s, 2), *tt = db_col_text(s, 3);
        int64_t wan = strcmp(scale, "large") == 0    ? 3000 + demo_pick(&rng, 12000)
                      : strcmp(scale, "medium") == 0 ? 500 + demo_pick(&rng, 2500)
                      : strcmp(scale, "small") == 0  ? 80 + demo_pick(&rng, 500)
                                                     : 8 + demo_pick(&rng, 70);
        f->level = wan * 10000;
        f->err_pct = 3 + demo_pick(&rng, 25);
        f->growth = demo_pick(&rng, 13) - 4;
        f->dir[0] = strcmp(tt, "export") == 0 || strcmp(tt, "both") == 0;
        f->dir[1] = strcmp(tt, "import") == 0 || strcmp(tt, "both") == 0;
    }
    db_stmt_done(s);
    if (!firms) return DB_ERR;
    char today[11];
    zq_today(now, today);
    int ty = atoi(today), tm = atoi(today + 5);
    int first = ty * 12 + tm - 1 - DEMO_MONTHS;             /* months since year 0 */
    static const char *const dirs[2] = {"export", "import"};
    static const char *const statuses_now[] = {"not_reported", "draft", "pending", "pending", "approved", "returned"};
    rc = DB_OK;
    for (int d = 0; d < 2 && rc == DB_OK; d++) {
        for (int idx = 0; idx <= DEMO_MONTHS && rc == DB_OK; idx++) {
            int ym = first + idx, y = ym / 12, m = ym % 12 + 1;
            bool current = idx == DEMO_MONTHS;
            char deadline[32], name[128];
            snprintf(deadline, sizeof deadline, "%04d-%02d-28", y, m);
            snprintf(name, sizeof name, "%d年%d月重点监测外贸企业%s预测申报表", y, m, d ? "进口" : "出口");
            int64_t dl_at = 0, reports = 0;
            zq_date_parse(deadline, &dl_at);
            dl_at += 86400;
            for (int i = 0; i < n; i++) reports += firms[i].dir[d];
            int64_t created = dl_at - 9 * 86400;
            if (!(s = db_prepare(db, SQL_TASK))) {
                rc = DB_ERR;
                break;
            }
            db_bind_int64(s, 1, y);
            db_bind_int64(s, 2, m);
            db_bind_text(s, 3, dirs[d], -1);
            db_bind_text(s, 4, name, -1);
            db_bind_text(s, 5, deadline, -1);
            db_bind_int64(s, 6, dl_at);
            db_bind_int64(s, 7, reports);
            db_bind_int64(s, 8, created < now ? created : now);
            rc = db_step(s);
            int64_t task = rc == DB_ROW ? db_col_int64(s, 0) : 0;
            db_stmt_done(s);
            if (rc != DB_ROW) {
                rc = DB_ERR;
                break;
            }
            rc = DB_OK;
            for (int i = 0; i < n && rc == DB_OK; i++) {
                const trade_firm *f = &firms[i];
                if (!f->dir[d]) continue;
                uint64_t st = (uint64_t)f->id * 977u + (uint64_t)idx * 13u + (uint64_t)d;
                const char *status = current ? statuses_now[demo_pick(&st, 6)]
                                             : (demo_pick(&st, 40) == 0 ? "returned" : "approved");
                bool filled = strcmp(status, "not_reported") != 0;
                int64_t fm = forecast_of(f, d, idx, m), ytd = 0, nq = 0;
                for (int k = 1; k < m; k++) ytd += actual_of(f, d, idx - (m - k), k);
                ytd += fm;
                int nm_idx = idx + 1, nm = m % 12 + 1;
                int q = (m - 1) / 3 + 1, qf = q == 4 ? 1 : q * 3 + 1;
                for (int k = 0; k < 3; k++) {
                    int mm = qf + k, off = (q == 4 ? 12 - m + mm : mm - m);
                    nq += forecast_of(f, d, idx + off, mm);
                }
                if (!(s = db_prepare(db, SQL_REPORT))) {
                    rc = DB_ERR;
                    break;
                }
                db_bind_int64(s, 1, task);
                db_bind_int64(s, 2, f->id);
                db_bind_text(s, 3, f->region, -1);
                db_bind_int64(s, 4, y);
                db_bind_int64(s, 5, m);
                db_bind_text(s, 6, dirs[d], -1);
                db_bind_text(s, 7, status, -1);
                if (filled) {
                    db_bind_int64(s, 8, fm);
                    db_bind_int64(s, 9, ytd);
                    db_bind_int64(s, 10, forecast_of(f, d, nm_idx, nm));
                    db_bind_int64(s, 11, nq);
                } else {
                    for (int k = 8; k <= 11; k++) db_bind_null(s, k);
                }
                bool swing = filled && f->err_pct > 20;
                db_bind_text(s, 12, swing ? "海外订单波动，客户调整交货期" : "", -1);
                db_bind_text(s, 13, swing ? "受国际市场需求变化影响" : "", -1);
                db_bind_int64(s, 14, filled ? 3 : 1);
                db_bind_text(s, 15, strcmp(status, "returned") == 0 ? "本年累计数与上月申报不衔接，请核实" : "", -1);
                bool submitted = strcmp(status, "pending") == 0 || strcmp(status, "approved") == 0 ||
                                 strcmp(status, "returned") == 0;
                int64_t sub = dl_at - (int64_t)(2 + demo_pick(&st, 6)) * 86400;
                if (sub > now) sub = now - demo_pick(&st, 3600);
                db_bind_int64(s, 16, submitted ? sub : 0);
                db_bind_int64(s, 17, submitted && strcmp(status, "pending") ? sub + 86400 : 0);
                db_bind_int64(s, 18, created < now ? created : now);
                rc = step_done(s);
                /* customs figures arrive about two months later */
                if (rc == DB_OK && idx <= DEMO_MONTHS - 2) {
                    if (!(s = db_prepare(db, SQL_ACTUAL))) {
                        rc = DB_ERR;
                        break;
                    }
                    db_bind_int64(s, 1, f->id);
                    db_bind_int64(s, 2, y);
                    db_bind_int64(s, 3, m);
                    db_bind_text(s, 4, dirs[d], -1);
                    db_bind_int64(s, 5, actual_of(f, d, idx, m));
                    db_bind_int64(s, 6, now);
                    rc = step_done(s);
                }
            }
        }
    }
    free(firms);
    return rc;
}
