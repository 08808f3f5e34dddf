/*
 * enterprise.h — what the enterprise module gives the route table:
 * registration (register.c) and the bureau's review of it (review.c). The
 * form and value checks other modules share are in form.h and validate.h.
 */
#ifndef ZQ_ENTERPRISE_ENTERPRISE_H
#define ZQ_ENTERPRISE_ENTERPRISE_H
#include "http/route.h"

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group registration_routes;    /* register.c */
extern const zq_route_group review_routes;          /* review.c */

#endif
