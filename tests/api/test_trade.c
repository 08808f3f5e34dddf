/*
 * test_trade.c — API tests of foreign-trade forecasts (issue 12): YoY and
 * thresholds at their boundaries (exactly −20 %, +10 %, +15 %, a zero base,
 * a base from last year's forecast, an actual overriding it), 下月 and
 * 下季度 across the year end, the task → fill → submit → return → fix →
 * approve flow, illegal transitions (409), stale versions, fifty identical
 * submits changing the state once, the deadline lock and reopen, district
 * scope on the bureau routes, another firm's report (404), bad input that
 * stores nothing, 催报 once per day, the monthly schedule exactly once, the
 * monitored list and settings. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "support/zt_raw.h"
#include "core/clock.h"
#include "db/db.h"
#include "jobs/schedule.h"
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct {
    zt_env *e;
    zt_client city, dist, dist2, firm_a, firm_b;
    int64_t ent_a, ent_b, ent_c;
    char deadline[11];
    int year, month;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    zt_make_staff(w->e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(w->e, "dist1", "district", "350102", ZT_PASSWORD);
    zt_make_staff(w->e, "dist2", "district", "350103", ZT_PASSWORD);
    zt_staff_login(w->e, &w->city, "city1", ZT_PASSWORD);
    zt_staff_login(w->e, &w->dist, "dist1", ZT_PASSWORD);
    zt_staff_login(w->e, &w->dist2, "dist2", ZT_PASSWORD);
    w->ent_a = zm_enterprise(w->e, &w->firm_a, "福州甲外贸有限公司", "13900000001", NULL);
    w->ent_b = zm_enterprise(w->e, &w->firm_b, "福州乙外贸有限公司", "13900000002", NULL);
    zt_client c;
    w->ent_c = zm_enterprise(w->e, &c, "福州丙内贸有限公司", "13900000003", NULL);
    zt_execf(w->e, "UPDATE enterprise SET customs_code = '3501230001', trade_type = 'export' WHERE id = %lld",
             (long long)w->ent_a);
    zt_execf(w->e,
             "UPDATE enterprise SET customs_code = '3501230002', trade_type = 'both', region = '350103' WHERE id = %lld",
             (long long)w->ent_b);
    zt_execf(w->e, "UPDATE enterprise SET trade_type = 'export' WHERE id = %lld", (long long)w->ent_c);
    time_t now = time(NULL);
    zq_today((int64_t)now + 5 * 86400, w->deadline);
    char today[11];
    zq_today((int64_t)now, today);
    w->year = atoi(today);
    w->month = atoi(today + 5);
    *st = w;
    return 0;
}

static int teardown(void **st)
{
    world *w = *st;
    zt_stop(w->e);
    free(w);
    return 0;
}

/* An export task of (year, month) made by city staff; returns its id. */
static int64_t make_task(world *w, int year, int month)
{
    zt_resp *r = zt_postf(w->e, &w->city, "/api/v1/admin/trade/tasks",
                          "{\"year\":%d,\"month\":%d,\"direction\":\"export\",\"deadline\":\"%s\"}", year, month,
                          w->deadline);
    assert_int_equal(r->status, 201);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

static int64_t report_of(world *w, int64_t task, int64_t eid)
{
    return zt_countf(w->e, "SELECT COALESCE(MAX(id), 0) FROM trade_report WHERE task_id = %lld AND enterprise_id = %lld",
                     (long long)task, (long long)eid);
}

static long long version_of(world *w, int64_t rid)
{
    return zt_countf(w->e, "SELECT version FROM trade_report WHERE id = %lld", (long long)rid);
}

static zt_resp *save(world *w, zt_client *c, int64_t rid, const char *m, const char *y, const char *mr, const char *yr)
{
    return zm_send(w->e, c, "PUT", zt_path("/api/v1/enterprise/trade/reports/%lld", rid),
                   "{\"month\":\"%s\",\"ytd\":\"%s\",\"next_month\":\"50\",\"next_quarter\":\"150\","
                   "\"month_reason\":\"%s\",\"ytd_reason\":\"%s\",\"version\":%lld}",
                   m, y, mr, yr, version_of(w, rid));
}

static zt_resp *submit(world *w, zt_client *c, int64_t rid)
{
    return zt_post(w->e, c, zt_path("/api/v1/enterprise/trade/reports/%lld/submit", rid), "{}");
}

/* ---- pure maths ---- */

static void yoy_boundaries(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(4096);
    assert_string_equal(trade_yoy_str(a, 800000, 1000000), "-20.0");
    assert_string_equal(trade_yoy_str(a, 1100000, 1000000), "10.0");
    assert_string_equal(trade_yoy_str(a, 1150000, 1000000), "15.0");
    assert_string_equal(trade_yoy_str(a, 1000000, 1000000), "0.0");
    assert_string_equal(trade_yoy_str(a, 1, 3), "-66.7");
    assert_string_equal(trade_yoy_str(a, 2, 3), "-33.3");
    assert_string_equal(trade_yoy_str(a, 0, 7), "-100.0");
    assert_null(trade_yoy_str(a, 5, 0));                       /* zero base: 「—」, never Infinity */
    /* exactly at the thresholds needs no reason; one 元 past does */
    assert_false(trade_beyond(800000, 1000000, 200, 100));
    assert_true(trade_beyond(799999, 1000000, 200, 100));
    assert_false(trade_beyond(1100000, 1000000, 200, 100));
    assert_true(trade_beyond(1100001, 1000000, 200, 100));
    assert_false(trade_beyond(1150000, 1000000, 200, 150));
    assert_true(trade_beyond(1150001, 1000000, 200, 150));
    assert_false(trade_beyond(999999999, 0, 200, 100));        /* no base: no reason */
    /* the largest amounts do not overflow */
    assert_string_equal(trade_yoy_str(a, 100000000000000LL * 12, 1), "119999999999999900.0");
    /* December → January, Q4 → Q1 across the year */
    trade_ym n = trade_ym_add((trade_ym){2026, 12}, 1);
    assert_int_equal(n.y, 2027);
    assert_int_equal(n.m, 1);
    int qn;
    trade_ym q = trade_next_quarter((trade_ym){2026, 11}, &qn);
    assert_int_equal(q.y, 2027);
    assert_int_equal(q.m, 1);
    assert_int_equal(qn, 1);
    assert_string_equal(trade_quarter_label(qn), "第一季度1-3月");
    q = trade_next_quarter((trade_ym){2026, 3}, &qn);
    assert_int_equal(q.y, 2026);
    assert_int_equal(q.m, 4);
    assert_int_equal(qn, 2);
    zq_arena_free(a);
}

/* ---- the whole flow ---- */

static void task_fill_return_fix_approve(void **st)
{
    world *w = *st;
    int64_t task = make_task(w, w->year, w->month);
    /* A (export) and B (both) are monitored, C (no customs code) is not */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM trade_report WHERE task_id = %lld", (long long)task), 2);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM trade_report WHERE enterprise_id = %lld", (long long)w->ent_c), 0);
    /* every firm's legal rep got the in-app message */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE template_code = 'trade.task_created'"
                                     " AND ref_id = %lld", (long long)task), 2);
    assert_int_equal(zm_audits(w->e, "trade.task_create"), 1);

    zt_resp *r = zt_get(w->e, &w->firm_a, "/api/v1/enterprise/trade/reports?direction=export");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_string_equal(zt_str(r, "items.0.status"), "not_reported");
    int64_t rid = zt_int(r, "items.0.id");
    zt_resp_free(r);

    r = zt_get(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld", rid));
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "enterprise.customs_code"), "3501230001");
    assert_string_equal(zt_str(r, "month.last_year"), "0.0000");
    assert_null(zt_json(r, "month.yoy") ? json_string_value(zt_json(r, "month.yoy")) : NULL);
    zt_resp_free(r);

    r = save(w, &w->firm_a, rid, "123.4500", "1000", "", "");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "draft");
    assert_string_equal(zt_str(r, "month.forecast"), "123.4500");
    zt_resp_free(r);
    r = submit(w, &w->firm_a, rid);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "pending");
    zt_resp_free(r);

    /* staff return it: reason required */
    zt_expect(zt_post(w->e, &w->city, zt_path("/api/v1/admin/trade/reports/%lld/return", rid), "{}"), 400,
              "validation_failed");
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/trade/reports/%lld/return", rid), "{\"reason\":\"累计数据有误\"}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "returned");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE template_code = 'trade.returned'"), 1);

    /* the firm fixes it and submits again; staff approve */
    zt_expect(save(w, &w->firm_a, rid, "123.4500", "1100", "", ""), 200, NULL);
    zt_expect(submit(w, &w->firm_a, rid), 200, NULL);
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/trade/reports/%lld/approve", rid), "{}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "approved");
    /* the trail: save, submit, return, save, submit, approve */
    assert_int_equal(json_array_size(zt_json(r, "history")), 6);
    assert_string_equal(zt_str(r, "history.2.action"), "return");
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "trade.report_approve"), 1);

    /* approved: no save, submit, withdraw, approve (409) */
    zt_expect(save(w, &w->firm_a, rid, "1", "1", "", ""), 409, "conflict");
    zt_expect(submit(w, &w->firm_a, rid), 409, "conflict");
    zt_expect(zt_post(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld/withdraw", rid), "{}"), 409,
              "conflict");
    zt_expect(zt_post(w->e, &w->city, zt_path("/api/v1/admin/trade/reports/%lld/approve", rid), "{}"), 409, "conflict");
    /* the task counts moved */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld", task));
    assert_int_equal(zt_int(r, "counts.approved"), 1);
    assert_int_equal(zt_int(r, "counts.not_reported"), 1);
    zt_resp_free(r);
}

/* ---- bases and thresholds ---- */

static void bases_and_reasons(void **st)
{
    world *w = *st;
    int y = w->year, m = w->month;
    /* last year's approved forecast of the same month: 100 万元 */
    zt_execf(w->e,
             "INSERT INTO trade_task(year, month, direction, name, deadline, deadline_at, source, created_at, updated_at)"
             " VALUES (%d, %d, 'export', 'old', '2000-01-01', 0, 'manual', 0, 0)", y - 1, m);
    long long old = zt_count(w->e, "SELECT MAX(id) FROM trade_task");
    zt_execf(w->e,
             "INSERT INTO trade_report(task_id, enterprise_id, region, year, month, direction, status, month_amt,"
             " created_at, updated_at) VALUES (%lld, %lld, '350102', %d, %d, 'export', 'approved', 1000000, 0, 0)",
             old, (long long)w->ent_a, y - 1, m);
    int64_t task = make_task(w, y, m);
    int64_t rid = report_of(w, task, w->ent_a);
    zt_resp *r = zt_get(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld", rid));
    assert_string_equal(zt_str(r, "month.last_year"), "100.0000");
    zt_resp_free(r);

    /* exactly −20 %: no reason needed */
    r = save(w, &w->firm_a, rid, "80", "80", "", "");
    assert_string_equal(zt_str(r, "month.yoy"), "-20.0");
    assert_false(json_is_true(zt_json(r, "month.reason_required")));
    zt_resp_free(r);
    zt_expect(zt_post(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld/withdraw", rid), "{}"), 409,
              "conflict");
    zt_expect(submit(w, &w->firm_a, rid), 200, NULL);
    zt_expect(zt_post(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld/withdraw", rid), "{}"), 200,
              NULL);

    /* one 元 below −20 %: the reason is required, nothing changes without it */
    r = save(w, &w->firm_a, rid, "79.9999", "80", "", "");
    assert_true(json_is_true(zt_json(r, "month.reason_required")));
    assert_string_equal(zt_str(r, "month.yoy"), "-20.0");
    zt_resp_free(r);
    long long v = version_of(w, rid);
    r = submit(w, &w->firm_a, rid);
    assert_int_equal(r->status, 400);
    assert_non_null(zt_json(r, "error.fields.month_reason"));
    zt_resp_free(r);
    assert_int_equal(version_of(w, rid), v);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM trade_report WHERE id = %lld AND status = 'draft'",
                               (long long)rid), 1);

    /* exactly +10 % and, for the cumulative figure, +15 % */
    r = save(w, &w->firm_a, rid, "110", "115", "", "");
    assert_string_equal(zt_str(r, "month.yoy"), "10.0");
    assert_string_equal(zt_str(r, "ytd.yoy"), "15.0");
    zt_resp_free(r);
    zt_expect(submit(w, &w->firm_a, rid), 200, NULL);
    zt_expect(zt_post(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld/withdraw", rid), "{}"), 200,
              NULL);
    r = save(w, &w->firm_a, rid, "110", "115.0001", "", "");
    assert_true(json_is_true(zt_json(r, "ytd.reason_required")));
    zt_resp_free(r);
    zt_expect(submit(w, &w->firm_a, rid), 400, "validation_failed");
    zt_expect(save(w, &w->firm_a, rid, "110", "115.0001", "", "新增订单"), 200, NULL);
    zt_expect(submit(w, &w->firm_a, rid), 200, NULL);
    zt_expect(zt_post(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld/withdraw", rid), "{}"), 200,
              NULL);

    /* a customs actual overrides last year's forecast */
    zt_execf(w->e,
             "INSERT INTO trade_actual(enterprise_id, year, month, direction, amount, imported_at)"
             " VALUES (%lld, %d, %d, 'export', 2000000, 0)", (long long)w->ent_a, y - 1, m);
    r = zt_get(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld", rid));
    assert_string_equal(zt_str(r, "month.last_year"), "200.0000");
    assert_string_equal(zt_str(r, "month.yoy"), "-45.0");
    assert_true(json_is_true(zt_json(r, "month.reason_required")));
    zt_resp_free(r);

    /* thresholds are settings per year: −50 % allowed now */
    r = zm_send(w->e, &w->city, "PUT", "/api/v1/admin/trade/settings",
                "{\"thresholds\":[{\"year\":%d,\"month_down\":\"50\",\"month_up\":\"10\",\"ytd_down\":\"20\","
                "\"ytd_up\":\"15\"}]}", y);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zt_get(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld", rid));
    assert_false(json_is_true(zt_json(r, "month.reason_required")));
    assert_string_equal(zt_str(r, "thresholds.month_down"), "50.0");
    zt_resp_free(r);
}

/* ---- bad input stores nothing ---- */

static void bad_input(void **st)
{
    world *w = *st;
    int64_t task = make_task(w, w->year, w->month);
    int64_t rid = report_of(w, task, w->ent_a);
    static const struct { const char *m, *reason, *field; } cases[] = {
        {"abc", "", "month"},         {"-1", "", "month"},         {"1.12345", "", "month"},
        {"10000000000.0001", "", "month"}, {"", "", "month"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zt_resp *r = save(w, &w->firm_a, rid, cases[i].m, "1", cases[i].reason, "");
        assert_int_equal(r->status, 400);
        assert_string_equal(zt_str(r, "error.code"), "validation_failed");
        assert_non_null(zt_json(r, "error.fields.month"));
        zt_resp_free(r);
    }
    /* the largest amount is accepted */
    zt_expect(save(w, &w->firm_a, rid, "10000000000", "1", "", ""), 200, NULL);
    long long v = version_of(w, rid);
    char big[600];
    memset(big, 'x', 501);
    big[501] = 0;
    zt_resp *r = save(w, &w->firm_a, rid, "1", "1", big, "");
    assert_int_equal(r->status, 400);
    assert_non_null(zt_json(r, "error.fields.month_reason"));
    zt_resp_free(r);
    /* stale version: 409 */
    r = zm_send(w->e, &w->firm_a, "PUT", zt_path("/api/v1/enterprise/trade/reports/%lld", rid),
                "{\"month\":\"1\",\"version\":%lld}", v - 1);
    zt_expect(r, 409, "conflict");
    assert_int_equal(version_of(w, rid), v);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM trade_report_version WHERE report_id = %lld", (long long)rid),
                     1);
    /* a task body with bad fields stores nothing */
    long long tasks = zt_count(w->e, "SELECT COUNT(*) FROM trade_task");
    zt_expect(zt_post(w->e, &w->city, "/api/v1/admin/trade/tasks",
                      "{\"year\":2026,\"month\":13,\"direction\":\"sideways\",\"deadline\":\"2026-02-30\"}"),
              400, "validation_failed");
    zt_expect(zt_postf(w->e, &w->city, "/api/v1/admin/trade/tasks",
                       "{\"year\":%d,\"month\":%d,\"direction\":\"export\",\"deadline\":\"%s\",\"enterprise_ids\":[%lld]}",
                       w->year, w->month, w->deadline, (long long)w->ent_c),
              400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM trade_task"), tasks);
}

/* ---- concurrency, deadline, scope ---- */

static void fifty_submits_one_change(void **st)
{
    world *w = *st;
    int64_t task = make_task(w, w->year, w->month);
    int64_t rid = report_of(w, task, w->ent_a);
    zt_expect(save(w, &w->firm_a, rid, "10", "10", "", ""), 200, NULL);
    int ok = 0;
    for (int i = 0; i < 50; i++) {
        zt_resp *r = submit(w, &w->firm_a, rid);
        if (r->status == 200) ok++;
        else assert_int_equal(r->status, 409);
        zt_resp_free(r);
    }
    assert_int_equal(ok, 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM trade_report_version WHERE report_id = %lld"
                                     " AND action = 'submit'", (long long)rid), 1);
}

static void deadline_lock_and_reopen(void **st)
{
    world *w = *st;
    int64_t task = make_task(w, w->year, w->month);
    int64_t rid = report_of(w, task, w->ent_a);
    zt_expect(save(w, &w->firm_a, rid, "10", "10", "", ""), 200, NULL);
    zt_execf(w->e, "UPDATE trade_task SET deadline_at = 1 WHERE id = %lld", (long long)task);
    zt_expect(submit(w, &w->firm_a, rid), 409, "conflict");
    zt_expect(save(w, &w->firm_a, rid, "11", "11", "", ""), 409, "conflict");
    zt_resp *r = zt_get(w->e, &w->firm_a, "/api/v1/enterprise/trade/reports?status=overdue");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_string_equal(zt_str(r, "items.0.status_name"), "逾期");
    zt_resp_free(r);
    /* another district's staff cannot reopen it; its own can */
    zt_expect(zt_post(w->e, &w->dist2, zt_path("/api/v1/admin/trade/reports/%lld/reopen", rid), "{}"), 404, "not_found");
    zt_expect(zt_post(w->e, &w->dist, zt_path("/api/v1/admin/trade/reports/%lld/reopen", rid), "{}"), 200, NULL);
    zt_expect(zt_post(w->e, &w->dist, zt_path("/api/v1/admin/trade/reports/%lld/reopen", rid), "{}"), 409, "conflict");
    zt_expect(submit(w, &w->firm_a, rid), 200, NULL);
    /* locked again once submitted */
    zt_expect(zt_post(w->e, &w->firm_a, zt_path("/api/v1/enterprise/trade/reports/%lld/withdraw", rid), "{}"), 409,
              "conflict");
}

static void scope_and_other_firm(void **st)
{
    world *w = *st;
    int64_t task = make_task(w, w->year, w->month);
    int64_t ra = report_of(w, task, w->ent_a), rb = report_of(w, task, w->ent_b);
    /* a firm reading another firm's report: 404 */
    zt_expect(zt_get(w->e, &w->firm_b, zt_path("/api/v1/enterprise/trade/reports/%lld", ra)), 404, "not_found");
    zt_expect(save(w, &w->firm_b, ra, "1", "1", "", ""), 404, "not_found");
    zt_expect(submit(w, &w->firm_b, ra), 404, "not_found");
    zt_expect(save(w, &w->firm_b, rb, "1", "1", "", ""), 200, NULL);
    zt_expect(submit(w, &w->firm_b, rb), 200, NULL);
    zt_expect(save(w, &w->firm_a, ra, "1", "1", "", ""), 200, NULL);
    zt_expect(submit(w, &w->firm_a, ra), 200, NULL);
    /* district staff: only their district's reports */
    zt_resp *r = zt_get(w->e, &w->dist, zt_path("/api/v1/admin/trade/tasks/%lld/reports", task));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), ra);
    zt_resp_free(r);
    r = zt_get(w->e, &w->dist, zt_path("/api/v1/admin/trade/tasks/%lld", task));
    assert_int_equal(zt_int(r, "counts.reports"), 1);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->dist, zt_path("/api/v1/admin/trade/reports/%lld", rb)), 404, "not_found");
    zt_expect(zt_post(w->e, &w->dist, zt_path("/api/v1/admin/trade/reports/%lld/approve", rb), "{}"), 404, "not_found");
    zt_expect(zt_post(w->e, &w->dist, zt_path("/api/v1/admin/trade/reports/%lld/return", rb), "{\"reason\":\"x\"}"), 404,
              "not_found");
    /* bulk approve skips what is out of scope */
    r = zt_postf(w->e, &w->dist, "/api/v1/admin/trade/reports/bulk-approve", "{\"ids\":[%lld,%lld]}", (long long)ra,
                 (long long)rb);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "approved"), 1);
    assert_int_equal(zt_int(r, "skipped.0"), rb);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM trade_report WHERE id = %lld AND status = 'pending'",
                               (long long)rb), 1);
    /* only city staff create, change or delete tasks; district staff lack trade.manage */
    zt_expect(zt_postf(w->e, &w->dist, "/api/v1/admin/trade/tasks",
                       "{\"year\":%d,\"month\":%d,\"direction\":\"export\",\"deadline\":\"%s\"}", w->year, w->month,
                       w->deadline),
              403, "forbidden");
    /* enterprise accounts never reach the bureau's routes */
    zt_expect(zt_get(w->e, &w->firm_a, zt_path("/api/v1/admin/trade/tasks/%lld/reports", task)), 403, "forbidden");
    /* a task with submissions cannot be deleted */
    zt_expect(zm_send(w->e, &w->city, "DELETE", zt_path("/api/v1/admin/trade/tasks/%lld", task), NULL), 409, "conflict");
}

static void remind_once_a_day(void **st)
{
    world *w = *st;
    int64_t task = make_task(w, w->year, w->month);
    zt_resp *r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld/remind", task), "{}");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "reminded"), 2);
    zt_resp_free(r);
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld/remind", task), "{}");
    assert_int_equal(zt_int(r, "reminded"), 0);
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM message WHERE template_code = 'trade.remind'"), 2);
    /* tomorrow it may remind again */
    zt_exec(w->e, "UPDATE trade_report SET reminded_on = '2000-01-01'");
    r = zt_post(w->e, &w->dist, zt_path("/api/v1/admin/trade/tasks/%lld/remind", task), "{}");
    assert_int_equal(zt_int(r, "reminded"), 1);   /* the district's own firm only */
    zt_resp_free(r);
}

static void schedule_exactly_once(void **st)
{
    world *w = *st;
    char today[11];
    zq_today((int64_t)time(NULL), today);
    int d = atoi(today + 8);
    zt_execf(w->e, "UPDATE trade_schedule SET enabled = 1, create_day = 1, deadline_day = %d, directions = 'export import'",
             d > 28 ? 28 : d);
    if (d > 28) return;  /* the schedule's deadline day cannot reach the 29th–31st */
    /* two "instances": two connections running the task, bypassing the lease */
    db_conn *c1 = db_pool_acquire(w->e->app->pool), *c2 = db_pool_acquire(w->e->app->pool);
    int64_t now = (int64_t)time(NULL);
    assert_int_equal(trade_schedule_task(c1, now, NULL), DB_OK);
    assert_int_equal(trade_schedule_task(c2, now, NULL), DB_OK);
    /* and through the lease */
    int ran1 = 0, ran2 = 0;
    assert_int_equal(jobs_run_due(c1, now + 1000, NULL, &ran1), DB_OK);
    assert_int_equal(jobs_run_due(c2, now + 1000, NULL, &ran2), DB_OK);
    assert_int_equal(ran2, 0);
    db_pool_release(w->e->app->pool, c1);
    db_pool_release(w->e->app->pool, c2);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM trade_task WHERE source = 'schedule'"), 2);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM trade_task WHERE source = 'schedule' AND direction = 'import'"),
                     1);
    /* B trades both ways: one import report; A and B export reports */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM trade_report r JOIN trade_task t ON t.id = r.task_id"
                                    " WHERE t.source = 'schedule'"), 3);
}

static void monitored_and_settings(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->city, "/api/v1/admin/trade/monitored?direction=export");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 2);
    zt_resp_free(r);
    /* a reason is required; district staff lack trade.manage */
    zt_expect(zt_postf(w->e, &w->city, "/api/v1/admin/trade/monitored",
                       "{\"enterprise_id\":%lld,\"direction\":\"export\",\"monitored\":true}", (long long)w->ent_c),
              400, "validation_failed");
    zt_expect(zt_postf(w->e, &w->dist, "/api/v1/admin/trade/monitored",
                       "{\"enterprise_id\":%lld,\"direction\":\"export\",\"monitored\":true,\"reason\":\"重点\"}",
                       (long long)w->ent_c),
              403, "forbidden");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM trade_monitor"), 0);
    zt_expect(zt_postf(w->e, &w->city, "/api/v1/admin/trade/monitored",
                       "{\"enterprise_id\":%lld,\"direction\":\"export\",\"monitored\":true,\"reason\":\"新开拓出口业务\"}",
                       (long long)w->ent_c),
              200, NULL);
    zt_expect(zt_postf(w->e, &w->city, "/api/v1/admin/trade/monitored",
                       "{\"enterprise_id\":%lld,\"direction\":\"export\",\"monitored\":false,\"reason\":\"已停止出口\"}",
                       (long long)w->ent_a),
              200, NULL);
    r = zt_get(w->e, &w->city, "/api/v1/admin/trade/monitored?direction=export");
    assert_int_equal(zt_int(r, "total"), 2);
    zt_resp_free(r);
    int64_t task = make_task(w, w->year, w->month);
    assert_int_equal(report_of(w, task, w->ent_a), 0);
    assert_true(report_of(w, task, w->ent_c) > 0);
    /* district staff see their district's firms only */
    r = zt_get(w->e, &w->dist2, "/api/v1/admin/trade/monitored?direction=export&status=all");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);

    /* settings: bad thresholds store nothing; district staff may not change them */
    zt_expect(zm_send(w->e, &w->city, "PUT", "/api/v1/admin/trade/settings",
                      "{\"thresholds\":[{\"year\":2026,\"month_down\":\"abc\",\"month_up\":\"10\",\"ytd_down\":\"20\","
                      "\"ytd_up\":\"15\"}]}"),
              400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM trade_threshold"), 0);
    zt_expect(zm_send(w->e, &w->dist, "PUT", "/api/v1/admin/trade/settings", "{\"remind_days\":2}"), 403, "forbidden");
    r = zm_send(w->e, &w->city, "PUT", "/api/v1/admin/trade/settings",
                "{\"schedule\":{\"enabled\":true,\"create_day\":20,\"deadline_day\":28,\"directions\":[\"export\"]},"
                "\"remind_days\":2}");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "schedule.enabled")));
    assert_int_equal(zt_int(r, "remind_days"), 2);
    assert_string_equal(zt_str(r, "schedule.directions.0"), "export");
    zt_resp_free(r);
}

static void summary_analysis_accuracy(void **st)
{
    world *w = *st;
    int64_t task = make_task(w, w->year, w->month);
    int64_t ra = report_of(w, task, w->ent_a), rb = report_of(w, task, w->ent_b);
    zt_execf(w->e, "INSERT INTO trade_actual(enterprise_id, year, month, direction, amount, imported_at)"
                   " VALUES (%lld, %d, %d, 'export', 1000000, 0)", (long long)w->ent_a, w->year - 1, w->month);
    zt_expect(save(w, &w->firm_a, ra, "120", "120", "新订单", "新订单"), 200, NULL);
    zt_expect(submit(w, &w->firm_a, ra), 200, NULL);
    zt_expect(save(w, &w->firm_b, rb, "30", "30", "", ""), 200, NULL);
    zt_resp *r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld/summary", task));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "completeness.total.reports"), 2);
    assert_int_equal(zt_int(r, "completeness.total.reported"), 1);
    assert_int_equal(zt_int(r, "completeness.total.not_reported"), 1);
    assert_string_equal(zt_str(r, "totals.forecast"), "120.0000");
    assert_string_equal(zt_str(r, "totals.last_year"), "100.0000");
    assert_string_equal(zt_str(r, "totals.yoy"), "20.0");
    assert_int_equal(json_array_size(zt_json(r, "completeness.by_region")), 2);
    assert_int_equal(zt_int(r, "top_amount.0.enterprise_id"), w->ent_a);
    zt_resp_free(r);
    /* district staff: their district only */
    r = zt_get(w->e, &w->dist2, zt_path("/api/v1/admin/trade/tasks/%lld/summary", task));
    assert_int_equal(zt_int(r, "completeness.total.reports"), 1);
    assert_int_equal(zt_int(r, "totals.firms"), 0);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/trade/tasks/999999/summary"), 404, "not_found");
    /* the rendering is kept (ETag, 304) until the task's data changes:
     * the next submit shows at once, under a new ETag */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld/summary", task));
    const char *etag = zt_header(r, "ETag");
    assert_non_null(etag);
    char inm[64];
    snprintf(inm, sizeof inm, "If-None-Match: %s\r\n", etag);
    zt_resp_free(r);
    r = zt_req(w->e, &w->city, "GET", zt_path("/api/v1/admin/trade/tasks/%lld/summary", task), NULL, inm);
    assert_int_equal(r->status, 304);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld", task));
    assert_int_equal(zt_int(r, "counts.pending"), 1);
    zt_resp_free(r);
    zt_expect(submit(w, &w->firm_b, rb), 200, NULL);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld", task));
    assert_int_equal(zt_int(r, "counts.pending"), 2);
    zt_resp_free(r);
    r = zt_req(w->e, &w->city, "GET", zt_path("/api/v1/admin/trade/tasks/%lld/summary", task), NULL, inm);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "completeness.total.reported"), 2);
    assert_string_equal(zt_str(r, "totals.forecast"), "150.0000");
    zt_resp_free(r);

    r = zt_get(w->e, &w->city, "/api/v1/admin/trade/analysis?direction=export");
    assert_int_equal(r->status, 200);
    json_t *months = zt_json(r, "months");
    assert_int_equal(json_array_size(months), 24);
    json_t *lastm = json_array_get(months, 23);
    assert_string_equal(json_string_value(json_object_get(json_object_get(lastm, "forecast"), "amount")), "150.0000");
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/trade/analysis?from=2020-01&to=2026-12"), 400, "validation_failed");
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/trade/analysis?from=2026-13"), 400, "validation_failed");

    zt_execf(w->e, "INSERT INTO trade_actual(enterprise_id, year, month, direction, amount, imported_at)"
                   " VALUES (%lld, %d, %d, 'export', 1000000, 0)", (long long)w->ent_a, w->year, w->month);
    r = zt_get(w->e, &w->city, "/api/v1/admin/trade/accuracy?direction=export&group=firm");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "overall.mape"), "20.0");
    assert_string_equal(zt_str(r, "overall.bias"), "20.0");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->dist2, "/api/v1/admin/trade/accuracy?direction=export&group=region");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
}

static zt_resp *import(world *w, zt_client *c, const char *body, size_t len, bool dry, const char *type)
{
    char hdr[128];
    snprintf(hdr, sizeof hdr, "Content-Type: %s\n", type);
    return zt_raw(w->e, c, "POST", dry ? "/api/v1/admin/trade/actuals/import?dry_run=1"
                                       : "/api/v1/admin/trade/actuals/import", body, len, hdr);
}

static void actuals_import(void **st)
{
    world *w = *st;
    static const char csv[] = "\xEF\xBB\xBF海关代码,年份,月份,方向,金额（万元）\r\n"
                              "3501230001,2025,11,出口,100.5\r\n"
                              "3501230002,2025,11,进口,\"1,000\"\r\n"      /* malformed amount */
                              "9999999999,2025,11,出口,1\r\n"              /* unknown customs code */
                              "3501230001,2025,13,出口,1\r\n"              /* bad month */
                              "3501230001,2025,10,出口,-5\r\n"             /* negative */
                              "3501230002,2025,11,出口,20\r\n"
                              "3501230001,2025,11,出口,7\r\n";             /* repeats row 2 */
    zt_resp *r = import(w, &w->city, csv, sizeof csv - 1, true, "text/csv");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "dry_run")));
    assert_int_equal(zt_int(r, "rows"), 7);
    assert_int_equal(zt_int(r, "inserted"), 2);
    assert_int_equal(zt_int(r, "refused"), 5);
    assert_int_equal(zt_int(r, "refusals.0.row"), 3);
    assert_int_equal(zt_int(r, "refusals.4.row"), 8);
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM trade_actual"), 0);   /* a dry run writes nothing */
    /* district staff may not import */
    zt_expect(import(w, &w->dist, csv, sizeof csv - 1, true, "text/csv"), 403, "forbidden");
    r = import(w, &w->city, csv, sizeof csv - 1, false, "text/csv");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "inserted"), 2);
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM trade_actual"), 2);
    assert_int_equal(zt_countf(w->e, "SELECT amount FROM trade_actual WHERE enterprise_id = %lld", (long long)w->ent_a),
                     1005000);
    assert_int_equal(zm_audits(w->e, "trade.actuals_import"), 1);
    /* garbage and an empty file store nothing */
    zt_expect(import(w, &w->city, "\xff\xfe\x00", 3, false, "text/csv"), 400, "validation_failed");
    zt_expect(import(w, &w->city, "PK\x03\x04junk", 8, false, "application/octet-stream"), 400, "validation_failed");

    /* the same as .xlsx: an update, an unchanged row, a numeric cell */
    char tmp[] = "/tmp/zq-trade-XXXXXX";
    int fd = mkstemp(tmp);
    close(fd);
    lxw_workbook *wb = workbook_new(tmp);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "海关代码", NULL);
    worksheet_write_string(ws, 1, 0, "3501230001", NULL);
    worksheet_write_number(ws, 1, 1, 2025, NULL);
    worksheet_write_number(ws, 1, 2, 11, NULL);
    worksheet_write_string(ws, 1, 3, "出口", NULL);
    worksheet_write_string(ws, 1, 4, "200", NULL);
    worksheet_write_string(ws, 2, 0, "3501230002", NULL);
    worksheet_write_number(ws, 2, 1, 2025, NULL);
    worksheet_write_number(ws, 2, 2, 11, NULL);
    worksheet_write_string(ws, 2, 3, "出口", NULL);
    worksheet_write_number(ws, 2, 4, 20, NULL);
    worksheet_write_string(ws, 3, 0, "3501230002", NULL);
    worksheet_write_number(ws, 3, 1, 2025, NULL);
    worksheet_write_number(ws, 3, 2, 12, NULL);
    worksheet_write_string(ws, 3, 3, "import", NULL);
    worksheet_write_number(ws, 3, 4, 3.25, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    FILE *f = fopen(tmp, "rb");
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    unlink(tmp);
    r = import(w, &w->city, buf, n, false, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "rows"), 3);
    assert_int_equal(zt_int(r, "updated"), 1);
    assert_int_equal(zt_int(r, "unchanged"), 1);
    assert_int_equal(zt_int(r, "inserted"), 1);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT amount FROM trade_actual WHERE enterprise_id = %lld", (long long)w->ent_a),
                     2000000);
    assert_int_equal(zt_count(w->e, "SELECT amount FROM trade_actual WHERE direction = 'import'"), 32500);

    r = zt_get(w->e, &w->city, "/api/v1/admin/trade/actuals/template");
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(r->body, "海关代码"));
    zt_resp_free(r);
}

static void task_export(void **st)
{
    world *w = *st;
    int64_t task = make_task(w, w->year, w->month);
    int64_t ra = report_of(w, task, w->ent_a);
    zt_expect(save(w, &w->firm_a, ra, "120.5", "300", "", ""), 200, NULL);
    zt_expect(submit(w, &w->firm_a, ra), 200, NULL);
    zt_resp *r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld/export", task));
    assert_int_equal(r->status, 200);
    assert_true(r->len > 1000);
    assert_memory_equal(r->body, "PK\x03\x04", 4);
    assert_non_null(strstr(zt_header(r, "Content-Type"), "spreadsheetml"));
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "trade.export"), 1);
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/trade/tasks/999999/export"), 404, "not_found");
    zt_expect(zt_get(w->e, &w->firm_a, zt_path("/api/v1/admin/trade/tasks/%lld/export", task)), 403, "forbidden");
}

static void outlier_flags(void **st)
{
    world *w = *st;
    /* twelve months of actuals around 100 万元 before this month, last year's same month 100 */
    for (int k = 1; k <= 12; k++) {
        int ym = w->year * 12 + w->month - 1 - k;
        zt_execf(w->e, "INSERT INTO trade_actual(enterprise_id, year, month, direction, amount, imported_at)"
                       " VALUES (%lld, %d, %d, 'export', %d, 0)", (long long)w->ent_a, ym / 12, ym % 12 + 1,
                 1000000 + (k % 3) * 10000);
    }
    int64_t task = make_task(w, w->year, w->month);
    int64_t ra = report_of(w, task, w->ent_a), rb = report_of(w, task, w->ent_b);
    /* 600 万元: past 3 MADs and over 5× last year; cumulative 10 below the month itself */
    zt_expect(save(w, &w->firm_a, ra, "600", "10", "大单", "大单"), 200, NULL);
    zt_resp *r = submit(w, &w->firm_a, ra);
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "flags")), 3);
    assert_string_equal(zt_str(r, "flags.0.code"), "history");
    assert_string_equal(zt_str(r, "flags.1.code"), "ratio");
    assert_string_equal(zt_str(r, "flags.2.code"), "ytd");
    zt_resp_free(r);
    /* a firm without history: no flags */
    zt_expect(save(w, &w->firm_b, rb, "600", "600", "", ""), 200, NULL);
    r = submit(w, &w->firm_b, rb);
    assert_int_equal(json_array_size(zt_json(r, "flags")), 0);
    zt_resp_free(r);
    /* the reviewer filters by flag */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld/reports?flag=ratio", task));
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), ra);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld/reports?flag=any", task));
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->city, zt_path("/api/v1/admin/trade/tasks/%lld/reports?flag=bogus", task)), 400,
              "validation_failed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yoy_boundaries),
        cmocka_unit_test_setup_teardown(task_fill_return_fix_approve, setup, teardown),
        cmocka_unit_test_setup_teardown(bases_and_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(fifty_submits_one_change, setup, teardown),
        cmocka_unit_test_setup_teardown(deadline_lock_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(scope_and_other_firm, setup, teardown),
        cmocka_unit_test_setup_teardown(remind_once_a_day, setup, teardown),
        cmocka_unit_test_setup_teardown(schedule_exactly_once, setup, teardown),
        cmocka_unit_test_setup_teardown(monitored_and_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(summary_analysis_accuracy, setup, teardown),
        cmocka_unit_test_setup_teardown(actuals_import, setup, teardown),
        cmocka_unit_test_setup_teardown(task_export, setup, teardown),
        cmocka_unit_test_setup_teardown(outlier_flags, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
