/*
 * session.h — who is making a request, as the pipeline loaded it from the
 * session cookie (src/auth/session.c) into zq_req.session. Its own header
 * in the http room so the audit log, which records the actor, reads it
 * without including the auth module that fills it.
 */
#ifndef ZQ_HTTP_SESSION_H
#define ZQ_HTTP_SESSION_H
#include <stdbool.h>
#include <stdint.h>

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

#endif
