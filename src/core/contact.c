/*
 * contact.c — mobile number and e-mail checks (see contact.h).
 */
#include "core/contact.h"
#include <stddef.h>
#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool zq_mobile_valid(const char *s)
{
    if (!s || strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9') return false;
    for (int i = 2; i < 11; i++)
        if (!is_digit(s[i])) return false;
    return true;
}

static bool email_local_char(char c)
{
    return is_alpha(c) || is_digit(c) || (c && strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

bool zq_email_valid(const char *s)
{
    if (!s) return false;
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n > 120 || !at || strchr(at + 1, '@')) return false;
    size_t local = (size_t)(at - s);
    if (local == 0 || local > 64 || s[0] == '.' || at[-1] == '.') return false;
    for (size_t i = 0; i < local; i++) {
        if (!email_local_char(s[i])) return false;
        if (s[i] == '.' && s[i + 1] == '.') return false;
    }
    const char *d = at + 1;
    int labels = 0;
    const char *label = d;
    for (const char *p = d;; p++) {
        if (*p == '.' || *p == '\0') {
            size_t len = (size_t)(p - label);
            if (len == 0 || len > 63 || label[0] == '-' || p[-1] == '-') return false;
            labels++;
            if (*p == '\0') break;
            label = p + 1;
        } else if (!is_alpha(*p) && !is_digit(*p) && *p != '-') {
            return false;
        }
    }
    if (labels < 2) return false;
    size_t tld = strlen(label);
    if (tld < 2) return false;
    for (size_t i = 0; i < tld; i++)
        if (!is_alpha(label[i])) return false;
    return true;
}
