/*
 * fixtures_roles.h — test fixtures for enterprise roles and employees:
 * roles and members with a role made directly in the database, sessions
 * for a member opened directly (as a login would open them), JSON requests
 * with any method, and the enterprise's default role ids.
 */
#ifndef ZT_FIXTURES_ROLES_H
#define ZT_FIXTURES_ROLES_H
#include <stdbool.h>
#include <stdint.h>
#include "support/zt.h"

/* Every permission code, space-separated. */
#define ZM_ALL_PERMS                                                                              \
    "policy.view subscription.manage trade.report declaration.submit survey.answer consult.submit" \
    " profile.edit employee.manage role.manage"

/* Creates role `name` of enterprise eid holding the space-separated codes
 * in perms ("" = none). Returns its id. */
int64_t zm_role(zt_env *e, int64_t eid, const char *name, const char *perms);

/* Every catalogue permission but `perm`, space-separated (static buffer). */
const char *zm_all_but(const char *perm);

/* Creates an account for phone (password ZT_PASSWORD, no forced change)
 * and makes it an active member of eid with role_id (0 = none). Returns
 * the user id. */
int64_t zm_member(zt_env *e, int64_t eid, const char *phone, int64_t role_id);

/* Opens a session of user_id with enterprise eid selected (0 = none)
 * directly in the database and gives c its cookie and CSRF token. */
void zm_session(zt_env *e, zt_client *c, int64_t user_id, int64_t eid);

/* An approved enterprise whose legal rep (phone) is logged in on c (a
 * session opened directly). Returns the enterprise id; *lr_id (may be
 * NULL) gets the legal rep's user id. */
int64_t zm_enterprise(zt_env *e, zt_client *c, const char *name, const char *phone, int64_t *lr_id);

/* A member of eid with a new role holding perms, logged in on c. Returns
 * the user id; *role_id (may be NULL) gets the role's id. */
int64_t zm_member_with(zt_env *e, zt_client *c, int64_t eid, const char *phone, const char *perms, int64_t *role_id);

/* Id of the enterprise's default role `name` (管理员, 业务员, 只读),
 * creating the defaults first if needed. */
int64_t zm_default_role(zt_env *e, int64_t eid, const char *name);

/* Request with a printf-formatted JSON body (fmt NULL = no body). */
zt_resp *zm_send(zt_env *e, zt_client *c, const char *method, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Number of audit records with this action. */
long long zm_audits(zt_env *e, const char *action);

/* Asserts r is refused by the permission gate (403 forbidden with the
 * gate's message) and frees it. */
void zm_expect_no_perm(zt_resp *r);

#endif
