/*
 * buf.h — growable byte buffer with a hard cap. Appends past the cap fail
 * and set `overflow` instead of growing, so output built from untrusted
 * data can never take unbounded memory (curl's dynbuf idea).
 */
#ifndef ZQ_BUF_H
#define ZQ_BUF_H
#include <stddef.h>
#include <stdbool.h>

typedef struct {
    char *data;     /* NUL-terminated while len < cap */
    size_t len, cap, max;
    bool overflow;  /* an append was refused (cap reached or OOM) */
} zq_buf;

void zq_buf_init(zq_buf *b, size_t max);
/* 0 on success, -1 when refused (then b->overflow is set; contents kept). */
int zq_buf_append(zq_buf *b, const void *p, size_t n);
int zq_buf_puts(zq_buf *b, const char *s);
int zq_buf_putc(zq_buf *b, char c);
int zq_buf_printf(zq_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void zq_buf_reset(zq_buf *b);
void zq_buf_free(zq_buf *b);
/* Hands the malloc'd data to the caller (who frees it); buffer becomes empty. */
char *zq_buf_detach(zq_buf *b, size_t *len);

#endif
