/*
 * bench_stats.h — timing and percentile helpers shared by the C bench
 * programs under tests/bench/ (one copy, linked into each).
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>

/* CLOCK_MONOTONIC in milliseconds. */
double bench_now_ms(void);

/* The p-th quantile (0..1) of v[0..n), nearest rank; sorts v in place.
 * 0 when n is 0. */
double bench_pct(double *v, size_t n, double p);

#endif
