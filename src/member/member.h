/*
 * member.h — an enterprise's people and their rights (manual 9.2, 9.3): the
 * fixed permission catalogue, the enterprise's roles (named sets of
 * permissions), its employees, and the legal rep's decisions on requests to
 * join. The HTTP side lives in roles.c, employees.c and joinreq.c; this
 * header is what other modules call.
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

struct db_conn;

typedef struct {
    const char *code;   /* "policy.view" — what route tables name */
    const char *name;   /* "查看政策" — what the role editor shows */
} member_perm;

/* Not a permission of the catalogue, and no role can hold it: a route
 * table entry naming it is open to the enterprise's legal rep alone (the
 * gate grants the legal rep every code, and roles only store catalogue
 * codes). Used by the legal-rep transfer. */
#define MEMBER_PERM_LEGAL_REP "legal_rep"

/* The catalogue in display order (static storage); *n gets its length. */
const member_perm *member_perms(size_t *n);
/* True if code names a permission of the catalogue. */
bool member_perm_known(const char *code);
/* Every code of the catalogue, space-separated, in catalogue order (static
 * storage): the perms a legal rep's session carries. */
const char *member_perm_all(void);

/* Creates the enterprise's default roles — 管理员 (every permission but
 * role.manage), 业务员 (policy.view trade.report declaration.submit
 * survey.answer consult.submit) and 只读 (policy.view) — unless it already
 * has default roles (so calling it again, or from two places, is harmless;
 * a name already taken by a custom role is skipped). Runs inside the
 * caller's open transaction, or in its own when none is open. Writes no
 * audit record: the caller's action (e.g. registration.approve) covers it.
 * Returns the number of roles created (0..3), or a negative db_rc. */
int member_create_default_roles(struct db_conn *db, int64_t enterprise_id, int64_t now);

#endif
