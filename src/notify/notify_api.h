/*
 * notify_api.h — what the HTTP handler files of notify/ share.
 */
#ifndef ZQ_NOTIFY_API_H
#define ZQ_NOTIFY_API_H
#include <stdint.h>
#include "http/req.h"

/* The caller's account as the notify tables key it: kind "user" | "staff". */
void notify_me(const zq_req *q, const char **kind, int64_t *id);

#endif
