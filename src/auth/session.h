/*
 * session.h — server-side sessions. The cookie carries 256 random bits; the
 * database keeps only their SHA-256, so a leaked table cannot be replayed.
 * 30-minute idle and 12-hour absolute expiry; a fresh token at every login.
 */
#ifndef ZQ_AUTH_SESSION_H
#define ZQ_AUTH_SESSION_H
#include <stdint.h>
#include "http/req.h"

struct db_conn;

#define AUTH_SESSION_IDLE 1800
#define AUTH_SESSION_ABSOLUTE 43200

/* Creates a session for a user (staff_id 0) or a staff member (user_id 0),
 * sets the cookie on r and loads it into q->session. Returns ZQ_OK or an
 * error written into r. */
zq_err auth_session_create(zq_req *q, zq_resp *r, int64_t user_id, int64_t staff_id, int64_t enterprise_id);
/* Revokes the caller's session and clears the cookie. */
zq_err auth_session_logout(zq_req *q, zq_resp *r);
/* Revokes every session of a user or staff member except keep_id (0 = all). */
int auth_session_revoke_all(struct db_conn *db, int64_t user_id, int64_t staff_id, int64_t keep_id, int64_t now);
/* Switches the caller's session to another enterprise (membership checked by caller). */
int auth_session_set_enterprise(zq_req *q, int64_t enterprise_id);
/* Reloads q->session from the database (after a change to it). */
void auth_session_reload(zq_req *q);

#endif
