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

typedef struct zq_session {
    int64_t id;
    int64_t user_id;             /* enterprise-side account, 0 for staff */
    int64_t staff_id;            /* bureau staff account, 0 for users */
    int64_t enterprise_id;       /* selected enterprise, 0 if none */
    const char *enterprise_status; /* "pending" | "approved" | "rejected" | NULL */
    bool is_legal_rep;
    bool must_change_password;
    bool consent_required;       /* user who has not agreed to the current documents (src/legal/) */
    const char *staff_role;      /* legacy "super" | "city" | "district" (staff_role.h); perms decide */
    const char *staff_region;    /* region code for district-scoped staff, NULL = the whole city */
    const char *csrf_token;
    const char *perms;           /* space-separated permission codes: the member's role, or the
                                  * union of the staff account's roles (src/auth/staff_perm.c) */
    const char *actor_name;      /* person's name, for the audit log */
    const char *phone;           /* account phone (user) or staff phone */
} zq_session;

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
