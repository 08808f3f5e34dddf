/*
 * validate.c — value checks for enterprise forms (see validate.h).
 */
#include "enterprise/validate.h"
#include <string.h>

/* GB 32100-2015: 31 characters, I O S V Z left out to avoid misreading. */
static const char USCC_ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/* 3^(i-1) mod 31 for positions 1..17 */
static const int USCC_WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int uscc_value(char c)
{
    for (int i = 0; i < 31; i++)
        if (USCC_ALPHABET[i] == c) return i;
    return -1;
}

static char ascii_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char ent_uscc_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(first17[i]);
        if (v < 0) return '\0';
        sum += v * USCC_WEIGHTS[i];
    }
    return USCC_ALPHABET[(31 - sum % 31) % 31];
}

ent_uscc_rc ent_uscc_normalize(const char *in, char out[19])
{
    char tmp[19];
    if (!in || strlen(in) != 18) return ENT_USCC_LENGTH;
    for (int i = 0; i < 18; i++) {
        tmp[i] = ascii_upper(in[i]);
        if (uscc_value(tmp[i]) < 0) return ENT_USCC_CHAR;
    }
    tmp[18] = '\0';
    if (ent_uscc_check_char(tmp) != tmp[17]) return ENT_USCC_CHECK;
    memcpy(out, tmp, sizeof tmp);
    return ENT_USCC_OK;
}

const char *ent_uscc_message(ent_uscc_rc rc)
{
    switch (rc) {
    case ENT_USCC_OK: return NULL;
    case ENT_USCC_LENGTH: return "统一社会信用代码应为 18 位";
    case ENT_USCC_CHAR: return "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）";
    case ENT_USCC_CHECK: return "统一社会信用代码校验位不正确，请核对后重新输入";
    }
    return "统一社会信用代码不正确";
}

bool ent_customs_code_normalize(const char *s, char out[11])
{
    if (!s || strlen(s) != 10) return false;
    for (int i = 0; i < 10; i++)
        if (!is_alpha(s[i]) && !is_digit(s[i])) return false;
    for (int i = 0; i < 10; i++) out[i] = ascii_upper(s[i]);
    out[10] = '\0';
    return true;
}
