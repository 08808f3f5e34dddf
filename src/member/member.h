/*
 * member.h — an enterprise's people and their rights (manual 9.2, 9.3): the
 * enterprise's roles (named sets of permissions from the catalogue in
 * auth/member_perm.h, where the gate reads it), its employees, and the
 * legal rep's decisions on requests to join. The HTTP side lives in
 * roles.c, employees.c and joinreq.c; this header is what other modules
 * call.
 *
 * The legal representative always holds every permission (auth_has_perm
 * answers true for is_legal_rep); everyone else holds exactly the
 * permissions of the role on their membership, loaded into
 * zq_session.perms on every request, so a change of role or of a role's
 * permissions applies at the member's next request.
 */
#ifndef ZQ_MEMBER_H
#define ZQ_MEMBER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "auth/member_perm.h"
#include "http/route.h"

struct db_conn;

/* Creates the enterprise's default roles — 管理员 (every permission but
 * role.manage), 业务员 (policy.view trade.report declaration.submit
 * survey.answer consult.submit) and 只读 (policy.view) — unless it already
 * has default roles (so calling it again, or from two places, is harmless;
 * a name already taken by a custom role is skipped). Runs inside the
 * caller's open transaction, or in its own when none is open. Writes no
 * audit record: the caller's action (e.g. registration.approve) covers it.
 * Returns the number of roles created (0..3), or a negative db_rc. */
int member_create_default_roles(struct db_conn *db, int64_t enterprise_id, int64_t now);

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group role_routes;            /* roles.c */
extern const zq_route_group employee_routes;        /* employees.c */
extern const zq_route_group invitation_routes;      /* invitation.c */
extern const zq_route_group me_invitation_routes;   /* invitation_me.c */
extern const zq_route_group join_review_routes;     /* joinreq.c */
extern const zq_route_group legal_rep_routes;       /* transfer.c */

#endif
