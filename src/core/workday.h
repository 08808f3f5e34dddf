/*
 * workday.h — deadlines in working days (咨询 SLA): weekends are off, the
 * holiday calendar's exceptions are applied (a weekday off for 法定节假日,
 * a weekend day worked for 调休). Local days are Asia/Shanghai (UTC+8, no
 * daylight saving), counted from 1970-01-01.
 */
#ifndef ZQ_CORE_WORKDAY_H
#define ZQ_CORE_WORKDAY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t day;   /* local day number (zq_days_from_civil) */
    bool workday;  /* true: worked although a weekend; false: off although a weekday */
} zq_cal_day;

/* The local day number of unix time t. */
int64_t zq_local_day(int64_t t);
/* True when day is worked under the calendar (cal: n exceptions, any order). */
bool zq_is_workday(int64_t day, const zq_cal_day *cal, size_t n);
/* The deadline of `days` working days counted from the day after t's day:
 * the unix time of the local midnight that ends the last of them. days <= 0
 * gives the end of t's own day. */
int64_t zq_workdays_due(int64_t t, int days, const zq_cal_day *cal, size_t n);

#endif
