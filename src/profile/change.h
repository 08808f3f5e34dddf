/*
 * change.h — an enterprise's request to change its name, USCC or district
 * (manual 9.1: these three are the bureau's to approve; table
 * enterprise_change, at most one pending per enterprise). The enterprise
 * side opens, amends or withdraws it through PATCH /api/v1/enterprise
 * (profile_patch.c); the bureau decides it (change_api.c).
 */
#ifndef ZQ_PROFILE_CHANGE_H
#define ZQ_PROFILE_CHANGE_H

#include "http/req.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The fields that need the bureau, NULL-terminated: name, uscc, region. */
extern const char *const PROFILE_REVIEWED[];

/* Inside the caller's transaction: lays the reviewed fields of `request`
 * over the enterprise's pending change. A field sent with a value other
 * than the one in force (`current`) is requested; one sent with the value
 * in force is dropped from the request; fields not sent keep what the
 * pending request had. Opens a request when none is pending, withdraws it
 * when nothing is left, and audits each (enterprise.change.submit |
 * update | withdraw). *wrote tells whether anything was written. Returns
 * DB_OK or a negative db_rc. */
int profile_change_submit(zq_req *q, int64_t enterprise_id, json_t *current, json_t *request, bool *wrote);

#endif
