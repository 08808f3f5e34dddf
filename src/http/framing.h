/*
 * framing.h — what zhengqi refuses in the HTTP/1.1 message framing itself
 * (RFC 9112 §2.2, §3, §5, §6), before any of the pipeline runs: ambiguous
 * message lengths (the root of request smuggling when a proxy and this
 * server disagree), a missing or repeated Host, control bytes in names,
 * values and the request target, bare-LF line endings, and header
 * sections larger than the server keeps per connection. The transport
 * (mhd_wire.c) describes the request as received; this file decides, so
 * the policy is one readable list and testable without a socket.
 */
#ifndef ZQ_HTTP_FRAMING_H
#define ZQ_HTTP_FRAMING_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

#define ZQ_HEADER_BYTES_MAX (12u << 10) /* request line + header section */
#define ZQ_HEADER_COUNT_MAX 100

/* What the transport saw of the line structure, beyond the parsed fields. */
typedef enum {
    ZQ_WIRE_OK = 0,
    ZQ_WIRE_BARE_LF,     /* a line ended in LF without CR */
    ZQ_WIRE_NUL,         /* a NUL byte inside a line */
    ZQ_WIRE_FOLD,        /* obs-fold: a header value continued on the next line */
    ZQ_WIRE_LAYOUT,      /* anything else unexpected, e.g. two spaces in the request line */
} zq_wire_fault;

typedef struct {
    const char *name;    /* as sent (not lower-cased) */
    size_t name_len;
    const char *value;   /* leading whitespace already dropped */
    size_t value_len;
} zq_wire_header;

typedef struct {
    const char *version;            /* "HTTP/1.1" */
    const char *target;             /* request target as sent (path?query) */
    size_t target_len;
    const zq_wire_header *headers;  /* every field line, duplicates included, in order */
    int n_headers;
    size_t header_bytes;            /* request line through the empty line */
    zq_wire_fault fault;
} zq_wire_req;

/* ZQ_OK, or the error to answer (400 bad_request, 431 headers_too_large)
 * with a Chinese reason in *message. Identical duplicate Content-Length
 * lines are refused too: RFC 9112 §6.3 allows merging them, but no client
 * sends them and a proxy in front may count them differently. */
zq_err zq_framing_check(const zq_wire_req *w, const char **message);

#endif
