/*
 * directory.h — what the directory module gives the route table: the
 * bureau's enterprise list and detail (directory_api.c), contact reveal
 * (reveal.c) and the Excel export with its progress (export*.c).
 */
#ifndef ZQ_DIRECTORY_DIRECTORY_H
#define ZQ_DIRECTORY_DIRECTORY_H
#include "http/route.h"

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group export_routes;          /* export.c */
extern const zq_route_group export_progress_routes; /* export_progress.c */
extern const zq_route_group directory_routes;       /* directory_api.c */
extern const zq_route_group reveal_routes;          /* reveal.c */

#endif
