/*
 * workday.c — working-day deadlines over weekends and a holiday calendar
 * (see workday.h). Pure arithmetic, no clock and no database, so the SLA
 * can be tested across any weekend or holiday without waiting for one.
 */
#include "core/workday.h"

#define ZQ_DAY_S 86400
#define ZQ_UTC8_S (8 * 3600)

int64_t zq_local_day(int64_t t)
{
    int64_t l = t + ZQ_UTC8_S;
    return l >= 0 ? l / ZQ_DAY_S : -((-l + ZQ_DAY_S - 1) / ZQ_DAY_S);
}

bool zq_is_workday(int64_t day, const zq_cal_day *cal, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cal[i].day == day) return cal[i].workday;
    /* 1970-01-01 was a Thursday: (day + 4) % 7 is 0 on Sundays */
    int64_t wd = ((day + 4) % 7 + 7) % 7;
    return wd != 0 && wd != 6;
}

int64_t zq_workdays_due(int64_t t, int days, const zq_cal_day *cal, size_t n)
{
    int64_t day = zq_local_day(t);
    /* bounded: a calendar that marks every day off must not loop forever */
    for (int left = days, guard = 0; left > 0 && guard < 3660; guard++) {
        day++;
        if (zq_is_workday(day, cal, n)) left--;
    }
    return (day + 1) * ZQ_DAY_S - ZQ_UTC8_S;
}
