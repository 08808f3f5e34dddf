/*
 * password.h — argon2id password hashing (libsodium). What a chosen
 * password must pass is password_policy.h.
 */
#ifndef ZQ_AUTH_PASSWORD_H
#define ZQ_AUTH_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>
#include <sodium.h>

#define AUTH_PW_HASH_MAX crypto_pwhash_STRBYTES
#define AUTH_PW_MAX_BYTES 128
#define AUTH_INITIAL_PASSWORD "888888"   /* manual 2.1: accounts created for someone */

typedef struct {
    unsigned long long ops;
    size_t mem;
} auth_pw_cost;

/* Production cost: t=2, m=19 MiB, p=1 (OWASP's argon2id minimum). */
auth_pw_cost auth_pw_cost_default(void);

/* Hash pw into out (AUTH_PW_HASH_MAX bytes). 0 or -1 (out of memory). */
int auth_pw_hash(const char *pw, auth_pw_cost cost, char out[AUTH_PW_HASH_MAX]);
/* Constant-time verification against a stored hash string. */
bool auth_pw_verify(const char *hash, const char *pw);

#endif
