/*
 * consult.h — consultations and suggestions (咨询建议, issue 14): the route
 * groups of the firm (member.c), the bureau (admin.c) and the public Q&A
 * with the visitor's form (public.c).
 */
#ifndef ZQ_CONSULT_H
#define ZQ_CONSULT_H
#include "http/route.h"

extern const zq_route_group consult_member_routes;
extern const zq_route_group consult_admin_routes;
extern const zq_route_group consult_public_routes;

#endif
