/*
 * declare.h — project declarations (issue 13, docs/declare.md) seen from
 * outside: the route groups routes.c lists and the periodic task of
 * jobs/tasks.c.
 */
#ifndef ZQ_DECLARE_H
#define ZQ_DECLARE_H
#include <stdint.h>
#include "db/db.h"
#include "http/route.h"

extern const zq_route_group decl_admin_routes;   /* src/declare/calls_admin.c */
extern const zq_route_group decl_review_routes;  /* src/declare/review.c */
extern const zq_route_group decl_zip_routes;     /* src/declare/zip.c */
extern const zq_route_group decl_export_routes;  /* src/declare/export.c */
extern const zq_route_group decl_public_routes;  /* src/declare/public.c */
extern const zq_route_group decl_ent_routes;     /* src/declare/apps_ent.c */
extern const zq_route_group decl_receipt_routes; /* src/declare/receipt.c */

/* The days before a published call closes on which every firm with an
 * application it has not submitted is reminded, largest first
 * (docs/declare.md "Reminders"). Each is a mark of its own: the firm hears
 * once when the close is at most that many days away but more than the
 * next mark, the message keyed "decl_remind_<days>" per application. */
#define DECL_REMIND_MARKS 2
extern const int decl_remind_days[DECL_REMIND_MARKS];

/* Periodic task (hourly, jobs/tasks.c): sends the due reminders above
 * through notify. DB_OK or a db_rc. */
int decl_remind_task(db_conn *c, int64_t now, void *ctx);

#endif
