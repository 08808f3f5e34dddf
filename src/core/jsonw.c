/*
 * jsonw.c — streaming JSON writer (see jsonw.h).
 */
#include "core/jsonw.h"
#include "core/clock.h"
#include <string.h>
#include <stdio.h>
#include <inttypes.h>

void zq_jw_init(zq_jw *w, zq_buf *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
}

static void jw_value_prefix(zq_jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0 && w->need_comma[w->depth - 1]) zq_buf_putc(w->b, ',');
    if (w->depth > 0) w->need_comma[w->depth - 1] = true;
}

static void jw_open(zq_jw *w, char c)
{
    jw_value_prefix(w);
    if (w->depth >= ZQ_JW_MAX_DEPTH) {
        w->error = true;
        return;
    }
    zq_buf_putc(w->b, c);
    w->need_comma[w->depth++] = false;
}

static void jw_close(zq_jw *w, char c)
{
    if (w->depth <= 0 || w->after_key) {
        w->error = true;
        return;
    }
    w->depth--;
    zq_buf_putc(w->b, c);
}

void zq_jw_obj(zq_jw *w) { jw_open(w, '{'); }
void zq_jw_obj_end(zq_jw *w) { jw_close(w, '}'); }
void zq_jw_arr(zq_jw *w) { jw_open(w, '['); }
void zq_jw_arr_end(zq_jw *w) { jw_close(w, ']'); }

int zq_json_escape(zq_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0;
    int rc = zq_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        const char *esc = NULL;
        char u[7];
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c == '\n') esc = "\\n";
        else if (c == '\r') esc = "\\r";
        else if (c == '\t') esc = "\\t";
        else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
            u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
            u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = 0;
            esc = u;
        } else if (c == 0xE2 && i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
            /* U+2028/2029 break JavaScript string literals */
            rc |= zq_buf_append(b, s + i - run, run);
            run = 0;
            rc |= zq_buf_puts(b, p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
            i += 2;
            continue;
        }
        if (esc) {
            rc |= zq_buf_append(b, s + i - run, run);
            run = 0;
            rc |= zq_buf_puts(b, esc);
        } else {
            run++;
        }
    }
    rc |= zq_buf_append(b, s + n - run, run);
    rc |= zq_buf_putc(b, '"');
    return rc ? -1 : 0;
}

void zq_jw_key(zq_jw *w, const char *k)
{
    if (w->after_key || w->depth == 0) {
        w->error = true;
        return;
    }
    jw_value_prefix(w);
    zq_json_escape(w->b, k, strlen(k));
    zq_buf_putc(w->b, ':');
    w->after_key = true;
}

void zq_jw_strn(zq_jw *w, const char *s, size_t n)
{
    jw_value_prefix(w);
    zq_json_escape(w->b, s, n);
}

void zq_jw_str(zq_jw *w, const char *s)
{
    if (!s) {
        zq_jw_null(w);
        return;
    }
    zq_jw_strn(w, s, strlen(s));
}

void zq_jw_int(zq_jw *w, int64_t v)
{
    jw_value_prefix(w);
    zq_buf_printf(w->b, "%" PRId64, v);
}

void zq_jw_bool(zq_jw *w, bool v)
{
    jw_value_prefix(w);
    zq_buf_puts(w->b, v ? "true" : "false");
}

void zq_jw_null(zq_jw *w)
{
    jw_value_prefix(w);
    zq_buf_puts(w->b, "null");
}

void zq_jw_raw(zq_jw *w, const char *json, size_t n)
{
    jw_value_prefix(w);
    zq_buf_append(w->b, json, n);
}

void zq_jw_kstr(zq_jw *w, const char *k, const char *s) { zq_jw_key(w, k); zq_jw_str(w, s); }
void zq_jw_kint(zq_jw *w, const char *k, int64_t v) { zq_jw_key(w, k); zq_jw_int(w, v); }
void zq_jw_kbool(zq_jw *w, const char *k, bool v) { zq_jw_key(w, k); zq_jw_bool(w, v); }

bool zq_jw_ok(const zq_jw *w)
{
    return !w->error && !w->b->overflow && w->depth == 0 && !w->after_key;
}

void zq_jw_ktime(zq_jw *w, const char *k, int64_t t)
{
    zq_jw_key(w, k);
    if (t <= 0) {
        zq_jw_null(w);
        return;
    }
    char iso[26];
    zq_time_iso(t, iso);
    zq_jw_str(w, iso);
}
