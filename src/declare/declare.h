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

/* Periodic task: reminds firms with an unsubmitted application 3 days and
 * 1 day before the call closes (once each, through notify). DB_OK or a db_rc. */
int decl_remind_task(db_conn *c, int64_t now, void *ctx);

#endif
