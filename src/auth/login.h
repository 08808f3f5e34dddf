/*
 * login.h — what every login path shares (enterprise users by phone,
 * bureau staff by username, password change): failed-login counting and
 * account locks, the per-IP throttle, starting a fresh session, and the
 * "me" document that login, /auth/me, switch and password change answer.
 *
 * Locks are kept per login name in login_lock ("user:<phone>",
 * "staff:<username>"), for names without an account too, so an unknown
 * phone locks and answers exactly like a real one.
 */
#ifndef ZQ_AUTH_LOGIN_H
#define ZQ_AUTH_LOGIN_H
#include <stdbool.h>
#include <stdint.h>
#include "audit/audit.h"
#include "http/req.h"

struct db_conn;

#define AUTH_LOCK_FAILS 5        /* failures that lock a login name */
#define AUTH_LOCK_SECONDS 900    /* lock duration, and the window failures are counted in */
#define AUTH_IP_FAILS 30         /* failures from one IP ... */
#define AUTH_IP_WINDOW 900       /* ... per 15-minute window before 429 */

/* "user:<phone>" / "staff:<username>" (arena). */
const char *auth_subject(zq_req *q, const char *kind, const char *name);

/* *locked_until gets the lock's end when subject is locked now, else 0.
 * Returns DB_OK or a db_rc. */
int auth_lock_state(struct db_conn *db, const char *subject, int64_t now, int64_t *locked_until);
/* Counts one failure (call inside a write transaction). *locked_until gets
 * the lock's end if this failure locked the name (else 0); *left the tries
 * left before a lock. Returns DB_OK or a db_rc. */
int auth_lock_fail(struct db_conn *db, const char *subject, int64_t now, int64_t *locked_until, int *left);
/* Forgets the failures of subject (successful login, password reset). */
int auth_lock_clear(struct db_conn *db, const char *subject);
/* Writes 423 account_locked "账号已锁定至 HH:MM …" (Asia/Shanghai) with
 * retry_after; returns ZQ_E_LOCKED. */
zq_err auth_fail_locked(zq_req *q, zq_resp *r, int64_t until);

/* 429 when the client IP has AUTH_IP_FAILS failures in the current window
 * (ZQ_OK otherwise; a database error writes 500). */
zq_err auth_ip_check(zq_req *q, zq_resp *r);
/* Counts a failure for the client IP. 0 or -1. */
int auth_ip_fail(zq_req *q);

/* A failed attempt on a login name, in its own transaction: counts it
 * against the name and the client IP, records audit entry a, commits.
 * Answers 423 if this failure locked the name; else e with message, or a
 * field error on `field` when it is not NULL — saying how many tries are
 * left once few are. */
zq_err auth_record_failure(zq_req *q, zq_resp *r, const char *subject, const audit_entry *a, zq_err e,
                           const char *message, const char *field);
/* An attempt on a locked name: counted against the IP, audit entry a
 * recorded, then 423 as auth_fail_locked. */
zq_err auth_refuse_locked(zq_req *q, zq_resp *r, const audit_entry *a, int64_t until);

/* A password field as typed: not trimmed, 1..AUTH_PW_MAX_BYTES bytes, no
 * NUL. NULL (with a field error) when missing or malformed. */
const char *auth_in_password(zq_req *q, zq_resp *r, const char *field, const char *label);

/* The enterprise a user's new session starts on: the only one, or the
 * last used among several (0 = none, the UI asks). DB_OK or a db_rc. */
int auth_pick_enterprise(struct db_conn *db, int64_t user_id, int64_t *enterprise_id);

/* Ends the request's current session (if any) and starts a new one with a
 * fresh token (session fixation); q->session then is the new one. Call
 * inside the login's transaction. */
zq_err auth_start_session(zq_req *q, zq_resp *r, int64_t user_id, int64_t staff_id, int64_t enterprise_id);

/* Region of an enterprise (arena) or NULL, for audit records. */
const char *auth_enterprise_region(zq_req *q, int64_t enterprise_id);

/* Writes the "me" document of q->session with the given status:
 *   {"csrf_token","kind":"user"|"staff","user":{…},"must_change_password",
 *    "enterprises":[{id,name,uscc,status,is_legal_rep,reject_reason}],
 *    "current_enterprise_id": id|null, "perms":[codes in the current enterprise]}
 * (see docs/auth.md). */
zq_err auth_write_me(zq_req *q, zq_resp *r, int status);


#endif
