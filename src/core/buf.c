/*
 * buf.c — bounded growable buffer (see buf.h).
 */
#include "core/buf.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zq_buf_init(zq_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

static int buf_grow(zq_buf *b, size_t need)
{
    if (need + 1 <= b->cap) return 0;
    if (need + 1 > b->max || need + 1 < need) goto fail;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < need + 1) nc *= 2;
    if (nc > b->max) nc = b->max;
    char *p = realloc(b->data, nc);
    if (!p) goto fail;
    b->data = p;
    b->cap = nc;
    return 0;
fail:
    b->overflow = true;
    return -1;
}

int zq_buf_append(zq_buf *b, const void *p, size_t n)
{
    if (b->overflow) return -1;
    if (buf_grow(b, b->len + n) != 0) return -1;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int zq_buf_puts(zq_buf *b, const char *s)
{
    return zq_buf_append(b, s, strlen(s));
}

int zq_buf_putc(zq_buf *b, char c)
{
    return zq_buf_append(b, &c, 1);
}

int zq_buf_printf(zq_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    if ((size_t)n < sizeof tmp) return zq_buf_append(b, tmp, (size_t)n);
    if (b->overflow || buf_grow(b, b->len + (size_t)n) != 0) return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void zq_buf_reset(zq_buf *b)
{
    b->len = 0;
    b->overflow = false;
    if (b->data) b->data[0] = '\0';
}

void zq_buf_free(zq_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *zq_buf_detach(zq_buf *b, size_t *len)
{
    char *p = b->data;
    if (len) *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
