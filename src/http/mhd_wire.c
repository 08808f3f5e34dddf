/*
 * mhd_wire.c — the request head as received (see mhd_wire.h).
 *
 * libmicrohttpd 0.9.75 parses the head in place in its connection buffer:
 * it cuts each line at LF, writing NUL over CR and LF, NUL over the spaces
 * of the request line and over each colon, and keeps pointers to the
 * pieces. So in the buffer, from the method to the end of the head
 * (MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE bytes), a well-formed head is
 *   method 0 target 0 version 0 0  name 0 OWS value 0 0  …  0 0
 * and every piece starts exactly where the previous one's terminator
 * ends. A bare LF leaves one NUL where two belong, a NUL byte sent inside
 * a line ends the piece early (strlen) so the next one starts later, and a
 * folded value is copied elsewhere in the pool. Walking the pointers and
 * lengths it hands us against that layout therefore finds what it let
 * through; libmicrohttpd ≥ 1.0 refuses these itself, and the socket tests
 * (tests/api/test_framing.c) fail if the layout ever changes.
 */
#include "http/mhd_wire.h"
#include <microhttpd.h>
#include <string.h>

typedef struct {
    zq_wire_header *items;
    int n;
} collect;

static enum MHD_Result one(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size, const char *value,
                           size_t value_size)
{
    collect *c = cls;
    if (c->n > ZQ_HEADER_COUNT_MAX) return MHD_NO; /* one past the cap is enough to refuse */
    c->items[c->n++] = (zq_wire_header){key, key_size, value ? value : "", value ? value_size : 0};
    return MHD_YES;
}

typedef struct {
    uintptr_t start, end; /* [method, method + header size) */
} region;

static bool inside(const region *g, uintptr_t p, size_t len)
{
    return p >= g->start && p <= g->end && len <= g->end - p;
}

static unsigned char at(uintptr_t p)
{
    return *(const unsigned char *)p;
}

/* The line whose content ends at p (its first terminator byte) must be
 * followed by CR LF (both NUL now) and the next piece must start at next. */
static zq_wire_fault line_then(const region *g, uintptr_t p, uintptr_t next, size_t next_len)
{
    if (!inside(g, p, 2) || at(p) != 0) return ZQ_WIRE_LAYOUT;
    if (next == p + 2 && at(p + 1) == 0) return ZQ_WIRE_OK;
    if (next == p + 1) return ZQ_WIRE_BARE_LF;
    if (!inside(g, next, next_len)) return ZQ_WIRE_FOLD;
    return ZQ_WIRE_NUL;
}

static zq_wire_fault walk(const region *g, const char *method, const char *version, uintptr_t target_at,
                          size_t target_len, const collect *h)
{
    uintptr_t m = (uintptr_t)method, v = (uintptr_t)version;
    size_t mlen = strlen(method);
    if (!inside(g, m, mlen + 1) || target_at != m + mlen + 1) return ZQ_WIRE_LAYOUT;
    if (v != target_at + target_len + 1) return inside(g, v, 1) && v > target_at + target_len ? ZQ_WIRE_NUL : ZQ_WIRE_LAYOUT;
    uintptr_t end = v + strlen(version);
    for (int i = 0; i < h->n; i++) {
        const zq_wire_header *x = &h->items[i];
        uintptr_t k = (uintptr_t)x->name, val = (uintptr_t)x->value;
        zq_wire_fault f = line_then(g, end, k, x->name_len + 1);
        if (f != ZQ_WIRE_OK) return f;
        if (!inside(g, val, x->value_len + 1) || val < k + x->name_len + 1) return ZQ_WIRE_FOLD;
        for (uintptr_t p = k + x->name_len + 1; p < val; p++) /* OWS after the colon */
            if (at(p) != ' ' && at(p) != '\t') return ZQ_WIRE_NUL;
        end = val + x->value_len;
    }
    /* the last line's CR LF, then the empty line's CR LF */
    if (!inside(g, end, 1) || at(end) != 0) return ZQ_WIRE_LAYOUT;
    if (end + 4 == g->end && at(end + 1) == 0 && at(end + 2) == 0 && at(end + 3) == 0) return ZQ_WIRE_OK;
    if (end + 2 == g->end || end + 3 == g->end) return ZQ_WIRE_BARE_LF;
    return ZQ_WIRE_NUL;
}

int zq_mhd_wire(struct MHD_Connection *con, zq_arena *a, const char *method, const char *version,
                uintptr_t target_at, size_t target_len, const char *target, zq_wire_req *w)
{
    memset(w, 0, sizeof *w);
    collect h = {zq_arena_alloc(a, (ZQ_HEADER_COUNT_MAX + 1) * sizeof(zq_wire_header)), 0};
    if (!h.items) return -1;
    MHD_get_connection_values_n(con, MHD_HEADER_KIND, one, &h);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    w->version = version ? version : "";
    w->target = target ? target : "";
    w->target_len = target ? strlen(target) : 0;
    w->headers = h.items;
    w->n_headers = h.n;
    w->header_bytes = ci ? ci->header_size : 0;
    if (!ci || !method || !version) {
        w->fault = ZQ_WIRE_LAYOUT;
    } else if (h.n <= ZQ_HEADER_COUNT_MAX) {
        region g = {(uintptr_t)method, (uintptr_t)method + ci->header_size};
        w->fault = walk(&g, method, version, target_at, target_len, &h);
    }
    return 0;
}
