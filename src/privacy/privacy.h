/*
 * privacy.h — what the privacy module gives the route table: a person's
 * data export (export.c) and account closing (close.c).
 */
#ifndef ZQ_PRIVACY_PRIVACY_H
#define ZQ_PRIVACY_PRIVACY_H
#include "http/route.h"

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group privacy_export_routes;  /* export.c */
extern const zq_route_group privacy_close_routes;   /* close.c */

#endif
