/*
 * auditlog.h — the bureau's reading of the audit log (audit_api.c): a
 * capability of its own, above the handler kit, while the log itself
 * (src/audit/) sits low so every module and the kit can write to it.
 */
#ifndef ZQ_AUDITLOG_H
#define ZQ_AUDITLOG_H
#include "http/route.h"

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group audit_routes;           /* audit_api.c */

#endif
