/*
 * routes.h — every route group in match order. Each capability declares its
 * groups in its own header (member/member.h, …); routes.c lists them all in
 * one place so the whole API surface can be read at a glance.
 */
#ifndef ZQ_APP_ROUTES_H
#define ZQ_APP_ROUTES_H
#include "http/route.h"

/* All groups, in match order. */
extern const zq_route_group *const zq_all_route_groups[];
extern const size_t zq_all_route_groups_n;

#endif
