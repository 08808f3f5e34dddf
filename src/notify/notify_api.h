/*
 * notify_api.h — what the HTTP handler files of notify/ share.
 */
#ifndef ZQ_NOTIFY_API_H
#define ZQ_NOTIFY_API_H
#include <stdint.h>
#include "http/req.h"
#include "http/route.h"

extern const zq_route_group message_routes;       /* src/notify/messages_api.c */
extern const zq_route_group notify_settings_routes; /* src/notify/settings_api.c */
extern const zq_route_group notify_admin_routes;  /* src/notify/admin_api.c */

/* The caller's account as the notify tables key it: kind "user" | "staff". */
void notify_me(const zq_req *q, const char **kind, int64_t *id);

#endif
