/*
 * dashboard.h — the console and bureau dashboards' route group
 * (dashboard.c).
 */
#ifndef ZQ_DASHBOARD_DASHBOARD_H
#define ZQ_DASHBOARD_DASHBOARD_H
#include "http/route.h"

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group dashboard_routes;       /* dashboard.c */

#endif
