/*
 * richtext.h — the HTML sanitizer every module that stores rich text uses
 * (policies, notices, later declarations and consultations). The input is
 * parsed by libxml2's HTML parser (the same tree a browser would build from
 * tag soup, entities decoded) and written out again from an allow-list:
 * unknown elements are unwrapped (their text stays), dangerous ones
 * (script, style, iframe, svg, object …) vanish with their content, and no
 * attribute survives that is not listed for its element. Nothing the
 * parser saw is copied byte for byte, so tricks in the source (entities,
 * comments, CDATA, broken nesting) cannot reach the output.
 */
#ifndef ZQ_RICHTEXT_H
#define ZQ_RICHTEXT_H
#include <stddef.h>
#include "core/arena.h"

/* Longest HTML accepted (bytes): handlers refuse longer bodies first. */
#define RICHTEXT_MAX_IN (512u << 10)

typedef struct {
    const char *html;  /* the sanitized HTML (arena) */
    const char *text;  /* its visible text, whitespace collapsed, for search and summaries (arena) */
} richtext_out;

/* Sanitizes n bytes of UTF-8 HTML. 0 on success (an empty input gives ""),
 * -1 when n exceeds RICHTEXT_MAX_IN, the parser fails or memory runs out.
 * Thread-safe; initialises libxml2 once per process. */
int richtext_clean(zq_arena *a, const char *in, size_t n, richtext_out *out);

/* True when url is a link target the sanitizer keeps for <a href>:
 * http:// or https:// after the whitespace and control characters browsers
 * ignore are removed. */
int richtext_link_ok(const char *url);

#endif
