/*
 * routes.h — each capability exports its route group here; routes.c lists
 * them all in one place so the whole API surface can be read at a glance.
 */
#ifndef ZQ_APP_ROUTES_H
#define ZQ_APP_ROUTES_H
#include "http/route.h"

extern const zq_route_group health_routes;
extern const zq_route_group dict_routes;
extern const zq_route_group registration_routes;  /* src/enterprise/register.c */
extern const zq_route_group review_routes;        /* src/enterprise/review.c */
extern const zq_route_group invite_routes;        /* src/invite/invite.c */

/* All groups, in match order. */
extern const zq_route_group *const zq_all_route_groups[];
extern const size_t zq_all_route_groups_n;

#endif
