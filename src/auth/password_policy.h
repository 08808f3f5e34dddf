/*
 * password_policy.h — the one rule every chosen password passes
 * (registration, change, reset by SMS, generated staff passwords):
 * 8–128 characters, no control characters, not containing the account's
 * phone, the person's name or username, or the USCC of an enterprise the
 * person belongs to, and a zxcvbn score of at least 3 (docs/auth.md).
 * Passwords the system sets (the initial 888888) do not go through it.
 */
#ifndef ZQ_AUTH_PASSWORD_POLICY_H
#define ZQ_AUTH_PASSWORD_POLICY_H
#include <stdint.h>
#include "core/arena.h"
#include "http/req.h"

#define AUTH_PW_MIN_SCORE 3
#define AUTH_PW_USCC_MAX 8

/* Whose password it is: what it must not contain (any may be NULL). */
typedef struct {
    const char *phone;
    const char *name;                        /* the literal name, e.g. 陈伟 */
    const char *username;                    /* staff */
    const char *uscc[AUTH_PW_USCC_MAX + 1];  /* NULL-terminated */
} auth_pw_owner;

/* zxcvbn's 0–4 score of pw, from its guess estimate (log10 of guesses
 * below 3, 6, 8, 10 → 0, 1, 2, 3, else 4); words are extra NULL-terminated
 * lower-case words counted as very guessable (may be NULL). *log10_guesses
 * (may be NULL) gets the estimate. */
int auth_pw_score(const char *pw, const char *const *words, double *log10_guesses);

/* NULL if pw may be chosen by owner (may be NULL), else the reason in
 * Chinese — for a low score, what zxcvbn found (common word, keyboard
 * pattern, sequence, repeat, date). The text is allocated in a (or a fixed
 * generic one when a is NULL). */
const char *auth_pw_policy(zq_arena *a, const char *pw, const auth_pw_owner *owner);

/* Fills owner for enterprise-side account user_id: its phone and name and
 * the USCCs of its active memberships (strings in q's arena). DB_OK or a
 * db_rc. */
int auth_pw_owner_of_user(zq_req *q, int64_t user_id, auth_pw_owner *owner);

#endif
