/*
 * health.h — the liveness and readiness probe (health.c).
 */
#ifndef ZQ_HEALTH_HEALTH_H
#define ZQ_HEALTH_HEALTH_H
#include "http/route.h"

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group health_routes;          /* health.c */

#endif
