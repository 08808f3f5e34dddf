/*
 * fixtures.h — accounts for API tests, made directly in the database (no
 * SMS, no review): enterprise users, enterprises with their legal rep,
 * memberships, bureau staff; plus logging a client in through the real
 * login endpoints and reading SMS codes back from the outbox.
 * Passwords are hashed with argon2id at its minimum cost (ops 1, 8 KiB).
 */
#ifndef ZT_FIXTURES_H
#define ZT_FIXTURES_H
#include <stdbool.h>
#include <stdint.h>
#include "support/zt.h"

/* A password every fixture account can use (passes the policy). */
#define ZT_PASSWORD "Minjiang#2024"

/* Creates an enterprise-side account (name "用户" + last 4 digits of the
 * phone, no forced password change) that has agreed to the current
 * 用户协议/隐私政策 (as a registered person has), and returns its id. */
int64_t zt_make_user(zt_env *e, const char *phone, const char *password);

/* Creates an enterprise (valid, distinct USCC; status "pending" |
 * "approved" | "rejected"; region a district code such as "350102") and,
 * when legal_rep_user_id is not 0, makes that user its legal rep (member
 * with is_legal_rep = 1, also its contact/legal rep phone and name).
 * Returns the enterprise id. */
int64_t zt_make_enterprise(zt_env *e, const char *name, const char *region, const char *status, int64_t legal_rep_user_id);

/* Adds user_id to enterprise_id as an active member (legal rep or not). */
void zt_add_member(zt_env *e, int64_t enterprise_id, int64_t user_id, bool is_legal_rep);

/* Creates a bureau staff account: role "super" | "city" | "district"
 * (region NULL for super/city), name = username, phone 1370000NNNN derived
 * from the username, no forced password change. Returns its id. */
int64_t zt_make_staff(zt_env *e, const char *username, const char *role, const char *region, const char *password);

/* Phone the fixture gives staff `username` (out: 12 bytes). */
void zt_staff_phone(const char *username, char out[16]);

/* Logs c in through POST /api/v1/auth/login (c is initialised with
 * zt_client_init first if it never was); an account with an initial
 * password answers sms_required, and the step is completed with the code
 * read from the outbox. When the account has not agreed to the current
 * 用户协议/隐私政策 it agrees (POST /api/v1/me/consents), as the UI's
 * blocking dialog would. Fails the test unless logged in. */
void zt_login(zt_env *e, zt_client *c, const char *phone, const char *password);

/* Logs c in as staff through POST /api/v1/admin/auth/login; when the app
 * runs without --dev it completes the SMS step with the code read from
 * the outbox. Fails the test unless logged in. */
void zt_staff_login(zt_env *e, zt_client *c, const char *username, const char *password);

/* The 6-digit code of the newest SMS to phone in the outbox (log provider).
 * Fails the test if there is none. */
void zt_last_code(zt_env *e, const char *phone, char out[8]);

/* Runs a CLI subcommand in-process (fn = cli_staff, cli_audit, …) with
 * the NULL-terminated arguments (argv[0] = the subcommand's name) and
 * returns what it printed on stdout (malloc'd); *rc gets its exit code. */
char *zt_cli(int (*fn)(int, char **), int *rc, const char *arg0, ...);

/* zt_exec / zt_count with printf formatting. */
void zt_execf(zt_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
long long zt_countf(zt_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
