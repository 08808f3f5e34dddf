/*
 * auth.h — what the auth module gives the route table: login, session
 * and password routes (auth_api.c), bureau staff accounts (staff_api.c, the audited phone reveal in
 * staff_reveal.c) and
 * staff roles (staff_role_api.c). The gate is in access.h.
 */
#ifndef ZQ_AUTH_AUTH_H
#define ZQ_AUTH_AUTH_H
#include "http/route.h"

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group auth_routes;            /* auth_api.c */
extern const zq_route_group staff_routes;           /* staff_api.c */
extern const zq_route_group staff_reveal_routes;    /* staff_reveal.c */
extern const zq_route_group staff_role_routes;      /* staff_role_api.c */

#endif
