/*
 * member_internal.h — what roles.c, employees.c and joinreq.c share:
 * permission sets as bit masks over the catalogue, the locked reads of a
 * role and of a member (always scoped to the caller's enterprise), and
 * a small response helper. Not for other modules (see member.h).
 *
 * The escalation rule every write follows: someone who is not the legal
 * rep may only grant, assign or touch permission sets that are within their
 * own. A holder of role.manage cannot widen a role beyond what they hold;
 * a holder of employee.manage cannot hand out, or take away, a role that
 * holds more than they do.
 */
#ifndef ZQ_MEMBER_INTERNAL_H
#define ZQ_MEMBER_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "auth/access.h"
#include "auth/member_perm.h"
#include "core/jsonw.h"
#include "http/req.h"
#include "handler/kit.h"

struct db_stmt;

/* ---- permission sets (bit i = catalogue entry i) ---- */

/* (bits, masks and the catalogue itself: auth/member_perm.h) */
/* What the caller holds: every bit for the legal rep, else their role's. */
unsigned mb_caller_mask(const zq_session *s);
/* True if the caller may grant or touch the permission set `mask`. */
bool mb_covers(const zq_session *s, unsigned mask);
/* `"key":["policy.view",…]` in catalogue order. */
void mb_jw_perms(zq_jw *w, const char *key, unsigned mask);
/* ["policy.view",…] as an arena string (audit details); NULL on OOM. */
const char *mb_perms_json(zq_req *q, unsigned mask);

/* ---- rows of the caller's enterprise ---- */

typedef struct {
    int64_t id;
    const char *name;
    bool is_default;
    unsigned perms;
    int64_t created_at, updated_at;
} mb_role;

/* Reads role id of the caller's enterprise with its permissions, locking
 * the row on PostgreSQL (call inside a transaction). DB_ROW, DB_DONE (no
 * such role, or another enterprise's) or a negative db_rc. */
int mb_role_lock(zq_req *q, int64_t id, mb_role *out);

typedef struct {
    int64_t user_id;
    bool is_legal_rep;
    int64_t role_id;     /* 0 = none */
    unsigned perms;      /* the role's permissions (every bit for the legal rep) */
    const char *name, *phone;
} mb_member;

/* Reads the active member user_id of the caller's enterprise, locking the
 * membership on PostgreSQL. DB_ROW, DB_DONE or a negative db_rc. */
int mb_member_lock(zq_req *q, int64_t user_id, mb_member *out);

/* Puts an active membership in place for user_id with role_id (0 = none):
 * a new row, or a removed one made active again, and marks any pending
 * join request of that user to this enterprise approved by the caller.
 * *was_active is set when the user already is an active member (nothing
 * is changed then). Call inside a transaction. DB_OK or a negative db_rc
 * (DB_ECONSTRAINT: a concurrent request made the membership first). */
int mb_member_activate(zq_req *q, int64_t user_id, int64_t role_id, bool *was_active);
/* The same for enterprise eid (not necessarily the session's: an invitee
 * accepting), the join request settled as decided by decided_by. */
int mb_member_activate_in(zq_req *q, int64_t eid, int64_t user_id, int64_t role_id, int64_t decided_by,
                          bool *was_active);

/* True (in *active) when user_id is an active member of eid. DB_OK or a
 * negative db_rc. */
int mb_member_is_active(zq_req *q, int64_t eid, int64_t user_id, bool *active);

/* ---- small helpers ---- */

/* Writes one row of a statement as a JSON value. */
typedef void (*mb_row_writer)(zq_req *q, zq_jw *w, struct db_stmt *s);
/* Runs sql with $1 = a and $2 = b and answers its one row, written by
 * write, with `status`; 404 when there is no row, 500 on a db error. */
zq_err mb_respond_row(zq_req *q, zq_resp *r, const char *sql, int64_t a, int64_t b, int status, mb_row_writer write);

/* Cap of roles per enterprise (defaults included). */
#define MB_ROLE_MAX 50
#define MB_ROLE_NAME_MAX_CHARS 30
#define MB_PERSON_NAME_MAX_CHARS 30
#define MB_REASON_MAX_CHARS 500

#endif
