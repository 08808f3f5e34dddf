/*
 * trade.h — foreign-trade forecasts (manual 5, 6; issue 12): the route
 * groups of the module and the periodic tasks the jobs worker runs.
 */
#ifndef ZQ_TRADE_H
#define ZQ_TRADE_H
#include <stdint.h>
#include "db/db.h"
#include "http/route.h"

extern const zq_route_group trade_report_routes;    /* src/trade/reports.c (enterprise side) */
extern const zq_route_group trade_task_routes;      /* src/trade/tasks.c */
extern const zq_route_group trade_review_routes;    /* src/trade/review.c */
extern const zq_route_group trade_remind_routes;    /* src/trade/remind.c */
extern const zq_route_group trade_monitor_routes;   /* src/trade/monitored.c */
extern const zq_route_group trade_settings_routes;  /* src/trade/settings.c */
extern const zq_route_group trade_summary_routes;   /* src/trade/summary.c */
extern const zq_route_group trade_analysis_routes;  /* src/trade/analysis.c, accuracy.c */
extern const zq_route_group trade_actuals_routes;   /* src/trade/actuals.c */
extern const zq_route_group trade_export_routes;    /* src/trade/export.c */

/* jobs/tasks.c: the month's scheduled tasks (once across instances) and the
 * automatic 催报 N days before a deadline. DB_OK or a db_rc. */
int trade_schedule_task(db_conn *c, int64_t now, void *ctx);
int trade_remind_task(db_conn *c, int64_t now, void *ctx);

/* The rendered summary and analysis views of one instance
 * (src/trade/view_cache.c); zq_app.trade. NULL when out of memory. */
typedef struct trade_cache trade_cache;
trade_cache *trade_cache_new(void);
void trade_cache_free(trade_cache *c);

#endif
