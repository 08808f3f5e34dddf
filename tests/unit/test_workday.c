/*
 * test_workday.c — SLA deadlines in working days: across a weekend, over a
 * holiday on a weekday, with a 调休 weekend workday, and a late-night
 * submission (local day, not UTC day, counts).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "core/clock.h"
#include "core/workday.h"

/* Unix time of local (UTC+8) y-m-d h:00. */
static int64_t at(int y, int m, int d, int h)
{
    return zq_days_from_civil(y, m, d) * 86400 + h * 3600 - 8 * 3600;
}

static void test_weekend(void **st)
{
    (void)st;
    int64_t fri = at(2026, 12, 4, 10);
    assert_int_equal(zq_workdays_due(fri, 1, NULL, 0), at(2026, 12, 8, 0));   /* end of Monday */
    assert_int_equal(zq_workdays_due(fri, 5, NULL, 0), at(2026, 12, 12, 0));  /* end of next Friday */
    assert_int_equal(zq_workdays_due(at(2026, 12, 5, 9), 1, NULL, 0), at(2026, 12, 8, 0)); /* asked on Saturday */
    assert_int_equal(zq_workdays_due(fri, 0, NULL, 0), at(2026, 12, 5, 0));
    assert_false(zq_is_workday(zq_days_from_civil(2026, 12, 6), NULL, 0));
    assert_true(zq_is_workday(zq_days_from_civil(2026, 12, 7), NULL, 0));
}

static void test_holidays(void **st)
{
    (void)st;
    zq_cal_day cal[] = {
        {zq_days_from_civil(2026, 12, 7), false},  /* Monday off */
        {zq_days_from_civil(2026, 12, 5), true},   /* Saturday worked */
        {zq_days_from_civil(2027, 1, 1), false},   /* 元旦, a Friday */
    };
    int64_t fri = at(2026, 12, 4, 10);
    assert_int_equal(zq_workdays_due(fri, 1, cal, 3), at(2026, 12, 6, 0));   /* the worked Saturday */
    assert_int_equal(zq_workdays_due(fri, 2, cal, 3), at(2026, 12, 9, 0));   /* Sat, (Mon off) Tue */
    assert_int_equal(zq_workdays_due(fri, 2, cal + 2, 1), at(2026, 12, 9, 0)); /* Mon, Tue */
    /* Thursday 31 Dec + 1: 元旦 Friday off, weekend → Monday 4 Jan */
    assert_int_equal(zq_workdays_due(at(2026, 12, 31, 15), 1, cal, 3), at(2027, 1, 5, 0));
}

static void test_local_day(void **st)
{
    (void)st;
    /* 23:30 local on Friday is 15:30 UTC: still Friday */
    assert_int_equal(zq_local_day(at(2026, 12, 4, 23) + 1800), zq_days_from_civil(2026, 12, 4));
    /* 00:30 local on Saturday is Friday in UTC, Saturday here */
    assert_int_equal(zq_local_day(at(2026, 12, 5, 0) + 1800), zq_days_from_civil(2026, 12, 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekend),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_local_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
