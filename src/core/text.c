/*
 * text.c — strict parsers for network text (see text.h).
 */
#include "core/text.h"
#include "core/arena.h"
#include <string.h>

bool zq_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !*s) return false;
    bool neg = false;
    const char *p = s;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (!*p || strlen(p) > 19) return false;
    uint64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (!neg && v > (uint64_t)INT64_MAX) return false;
    if (neg && v > (uint64_t)INT64_MAX + 1u) return false;
    int64_t r = neg ? (int64_t)(0 - v) : (int64_t)v;
    if (r < min || r > max) return false;
    *out = r;
    return true;
}

bool zq_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > n) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        if (cp > 0x10FFFF) return false;
        i += len;
    }
    return true;
}

size_t zq_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

uint32_t zq_utf8_next(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    uint32_t c = s[0];
    int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (c == 0) return 0;
    if (extra) c &= 0x3Fu >> extra;
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80) { /* not valid UTF-8: stop at this byte */
            *p = (const char *)s + i;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    *p = (const char *)s + 1 + extra;
    return c;
}

bool zq_cp_invisible(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x00AD, 0x00AD}, {0x0600, 0x0605}, {0x061C, 0x061C}, {0x06DD, 0x06DD}, {0x070F, 0x070F},
        {0x08E2, 0x08E2}, {0x180E, 0x180E}, {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x2064},
        {0x2066, 0x206F}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB}, {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
        {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1]) return true;
    return false;
}

bool zq_cp_space(uint32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long zq_pct_decode(const char *s, size_t n, char *out, bool plus_space)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n) return -1;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0) return -1;
            c = (char)(h * 16 + l);
            if (c == '\0') return -1;
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        } else if (c == '\0') {
            return -1;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return (long)o;
}

void zq_hex(const unsigned char *in, size_t n, char *out)
{
    static const char h[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = h[in[i] >> 4];
        out[2 * i + 1] = h[in[i] & 15];
    }
    out[2 * n] = '\0';
}

const char *zq_like_pattern(zq_arena *a, const char *in, unsigned flags)
{
    size_t n = strlen(in);
    char *out = zq_arena_alloc(a, 2 * n + 3), *o = out;
    if (!out) return NULL;
    if (flags & ZQ_LIKE_CONTAINS) *o++ = '%';
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == '%' || c == '_' || c == '\\') *o++ = '\\';
        *o++ = (flags & ZQ_LIKE_UPPER) && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    *o++ = '%';
    *o = '\0';
    return out;
}
