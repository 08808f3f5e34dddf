/*
 * access.h — the pipeline's session, CSRF and permission gate. Every route
 * passes through auth_gate() before its handler; what a route needs is
 * declared in its zq_route entry, never checked ad hoc inside handlers.
 */
#ifndef ZQ_AUTH_ACCESS_H
#define ZQ_AUTH_ACCESS_H
#include <stdbool.h>
#include <stdint.h>
#include "http/req.h"
#include "http/route.h"
#include "http/session.h"

/* Loads the session named by the request's cookie (if any) into q->session,
 * refreshing its idle expiry. Never fails the request: a bad or expired
 * cookie simply leaves the request anonymous. */
void auth_session_load(zq_req *q);

/* CSRF, access level and permission check for q->route. Returns ZQ_OK or
 * the refusal already written into r. */
zq_err auth_gate(zq_req *q, zq_resp *r);

/* Refuses q as the gate does (403, recorded as access.denied with the
 * route's perm), for a check a handler makes that the gate cannot yet
 * (message NULL = the default text). */
zq_err auth_deny(zq_req *q, zq_resp *r, const char *message);

/* The same checks for a public route whose body decides what it needs
 * (POST /sms/send with a purpose of a logged-in flow): CSRF, then access
 * and perm as if the route table said so, no forced-password exemption. */
zq_err auth_gate_as(zq_req *q, zq_resp *r, zq_access access, const char *perm);

/* True when the request carries its session's CSRF token. */
bool auth_csrf_ok(const zq_req *q);

/* True if the member session holds permission code perm. */
bool auth_has_perm(const zq_session *s, const char *perm);

/* Names of the cookie and header. */
#define ZQ_SESSION_COOKIE "zq_sid"
#define ZQ_CSRF_HEADER "x-csrf-token"

#endif
