/*
 * fuzz_richtext.c — libFuzzer target for the HTML sanitizer: whatever
 * arrives, every tag of the output is on the allow-list with only its
 * allowed attributes, every attribute value is quoted, and no link target
 * has a scheme other than http(s).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/arena.h"
#include "richtext/richtext.h"

static const char *const tags[] = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "table", "thead", "tbody", "tr",
                                   "th", "td", "strong", "b", "em", "i", "u", "blockquote", "a", "img", NULL};
static const char *const attrs[] = {"href", "target", "rel", "src", "alt", "colspan", "rowspan", NULL};

static bool listed(const char *const *l, const char *s, size_t n)
{
    for (; *l; l++)
        if (strlen(*l) == n && strncmp(*l, s, n) == 0) return true;
    return false;
}

/* Walks the output's tags; aborts on anything outside the allow-list. */
static void check(const char *h)
{
    for (const char *p = strchr(h, '<'); p; p = strchr(p + 1, '<')) {
        const char *t = p + 1 + (p[1] == '/');
        size_t n = strcspn(t, " >");
        if (!listed(tags, t, n)) abort();
        const char *q = t + n;
        while (*q == ' ') {
            const char *a = q + 1;
            size_t an = strcspn(a, "=");
            if (!listed(attrs, a, an) || a[an] != '=' || a[an + 1] != '"') abort();
            const char *v = a + an + 2, *end = strchr(v, '"');
            if (!end || memchr(v, '<', (size_t)(end - v))) abort();
            if (an == 4 && strncmp(a, "href", 4) == 0 && strncasecmp(v, "http://", 7) && strncasecmp(v, "https://", 8))
                abort();
            if (an == 3 && strncmp(a, "src", 3) == 0 && strncmp(v, "/api/v1/files/", 14)) abort();
            q = end + 1;
        }
        if (*q != '>') abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zq_arena *a = zq_arena_new(64u << 20);
    richtext_out o;
    if (a && richtext_clean(a, (const char *)data, size, &o) == 0) check(o.html);
    zq_arena_free(a);
    return 0;
}
