/*
 * text.h — strict parsing of text that arrives from the network: numbers
 * with bounds, UTF-8 validation, percent-decoding. Every function refuses
 * rather than guesses.
 */
#ifndef ZQ_TEXT_H
#define ZQ_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whole string must be an optional '-' and decimal digits within [min,max]. */
bool zq_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* True if s[0..n) is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF). */
bool zq_utf8_valid(const char *s, size_t n);
/* Number of Unicode code points in valid UTF-8 s (for length limits in 字). */
size_t zq_utf8_len(const char *s);
/* The code point at *p in valid UTF-8, advancing *p past it (0 at the end). */
uint32_t zq_utf8_next(const char **p);
/* Invisible format characters (Unicode Cf: bidi embeddings, overrides and
 * isolates, zero-width characters, soft hyphen, BOM, tag characters) and
 * the line/paragraph separators. They change how text looks without being
 * seen, so names shown to people refuse them ("evil\u202Efdp.exe" reads
 * as "evilexe.pdf"). */
bool zq_cp_invisible(uint32_t cp);
/* White space of any script (ASCII, NBSP, the U+2000 block, U+3000 …). */
bool zq_cp_space(uint32_t cp);
/* Percent-decode s[0..n) into out (capacity n+1). plus_space turns '+' into ' '
 * (query strings). Refuses bad escapes and decoded NUL. Returns decoded
 * length or -1. */
long zq_pct_decode(const char *s, size_t n, char *out, bool plus_space);
/* Lower-case hex of n bytes into out (2n+1). */
void zq_hex(const unsigned char *in, size_t n, char *out);

/* A LIKE pattern (ESCAPE '\\') for the user's text: its % _ \\ escaped so they
 * match themselves, a trailing %, a leading one with ZQ_LIKE_CONTAINS, and
 * ASCII letters upper-cased with ZQ_LIKE_UPPER (codes stored in upper case,
 * such as the USCC). Allocated in a; NULL when out of memory. */
enum { ZQ_LIKE_PREFIX = 0, ZQ_LIKE_CONTAINS = 1, ZQ_LIKE_UPPER = 2 };
struct zq_arena;
const char *zq_like_pattern(struct zq_arena *a, const char *in, unsigned flags);

#endif
