/*
 * staff_role.h — bureau staff roles in the database (0015_staff_roles.sql):
 * what a staff account may do is the union of its roles' permissions; its
 * data scope is staff.region (NULL = the whole city). Shared by the session
 * loader, the staff and role APIs, `zhengqi staff create`, the demo seed
 * and the test fixtures.
 */
#ifndef ZQ_AUTH_STAFF_ROLE_H
#define ZQ_AUTH_STAFF_ROLE_H
#include <stdbool.h>
#include <stdint.h>

struct db_conn;
struct zq_arena;

#define STAFF_ROLE_MAX 100        /* roles the bureau may define */
#define STAFF_ROLES_PER_STAFF 10  /* roles one account may hold */

/* Grants the built-in role for a legacy role name (super | city | district)
 * to staff_id, inside the caller's transaction. DB_OK or a db_rc. */
int staff_role_grant_builtin(struct db_conn *db, int64_t staff_id, const char *legacy);

/* Replaces staff_id's roles with ids[0..n). DB_OK or a db_rc. */
int staff_role_grant(struct db_conn *db, int64_t staff_id, const int64_t *ids, int n);

/* Checks that every id names a role: *missing is the first that does not
 * (0 = all exist); *all_perms tells whether one of them is 系统管理员. */
int staff_role_check(struct db_conn *db, const int64_t *ids, int n, int64_t *missing, bool *all_perms);

/* The legacy staff.role value kept for older readers: super when the
 * account holds an all-permissions role, else city or district by scope. */
const char *staff_role_legacy(bool all_perms, const char *region);

/* The space-separated permission set of staff_id, into the arena ("" for
 * none). DB_OK or a db_rc. */
int staff_role_perms(struct db_conn *db, struct zq_arena *a, int64_t staff_id, const char **out);

#endif
