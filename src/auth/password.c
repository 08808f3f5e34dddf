/*
 * password.c — argon2id hashing (see password.h); the policy is
 * password_policy.c.
 */
#include "auth/password.h"
#include <string.h>

auth_pw_cost auth_pw_cost_default(void)
{
    auth_pw_cost c = {2, 19u * 1024u * 1024u};
    return c;
}

int auth_pw_hash(const char *pw, auth_pw_cost cost, char out[AUTH_PW_HASH_MAX])
{
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), cost.ops, cost.mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return -1;
    return 0;
}

bool auth_pw_verify(const char *hash, const char *pw)
{
    if (!hash || !pw) return false;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}
