/*
 * consult.h — consultations and suggestions (咨询建议, issue 14): the route
 * groups of the firm (member.c), the bureau (admin.c) and the public Q&A
 * with the visitor's form (public.c), and the escalation task (escalate.c).
 */
#ifndef ZQ_CONSULT_H
#define ZQ_CONSULT_H
#include <stdint.h>
#include "db/db.h"
#include "http/route.h"

extern const zq_route_group consult_member_routes;
extern const zq_route_group consult_admin_routes;
extern const zq_route_group consult_public_routes;
extern const zq_route_group consult_settings_routes;
extern const zq_route_group consult_stats_routes;   /* listed before consult_admin_routes */

/* The periodic task (src/jobs/tasks.c): escalates every open consultation
 * past its deadline to its unit's supervisor, each exactly once. DB_OK or a db_rc. */
int consult_escalate_due(db_conn *c, int64_t now, void *ctx);

#endif
