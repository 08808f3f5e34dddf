/*
 * password.c — argon2id hashing and the password policy (see password.h).
 */
#include "auth/password.h"
#include <string.h>
#include <ctype.h>
#include <strings.h>

/* Passwords people pick first; refused even when they pass the class rule. */
static const char *const common_passwords[] = {
    "Password1", "Password123", "Passw0rd", "P@ssw0rd", "P@ssword1", "Admin123", "Admin@123",
    "Aa123456", "Aa123456.", "Abc12345", "Abc@1234", "Abcd1234", "Qwer1234", "Qwerty123",
    "1qaz@WSX", "1qaz2wsx", "1Q2w3e4r", "Zxcv1234", "Welcome1", "Woaini1314", "Aa111111",
    "Test1234", "Root1234", "Sa123456", "Asdf1234", "Huawei@123", "Fuzhou123", "Zhengqi123",
};

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

const char *auth_pw_policy(const char *pw, const char *phone)
{
    size_t n = strlen(pw);
    int lower = 0, upper = 0, digit = 0, other = 0;
    if (n < 8) return "密码至少 8 位";
    if (n > AUTH_PW_MAX_BYTES) return "密码不能超过 128 个字符";
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) return "密码不能包含控制字符";
        if (islower(*p)) lower = 1;
        else if (isupper(*p)) upper = 1;
        else if (isdigit(*p)) digit = 1;
        else other = 1;
    }
    if (lower + upper + digit + other < 3) return "密码需包含大写字母、小写字母、数字、符号中的至少三类";
    if (phone && strlen(phone) >= 6 && strstr(pw, phone)) return "密码不能包含手机号";
    if (phone && strlen(phone) == 11 && strstr(pw, phone + 3)) return "密码不能包含手机号";
    for (size_t i = 0; i < sizeof common_passwords / sizeof common_passwords[0]; i++)
        if (strcasecmp(pw, common_passwords[i]) == 0) return "该密码过于常见，请换一个";
    return NULL;
}
