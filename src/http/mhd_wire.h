/*
 * mhd_wire.h — reads the request head libmicrohttpd 0.9.75 has parsed back
 * into a zq_wire_req for framing.c: every field line with its duplicates,
 * and the line structure libmicrohttpd accepts without telling (bare LF,
 * NUL bytes, folded lines), which it leaves visible in its buffer.
 */
#ifndef ZQ_HTTP_MHD_WIRE_H
#define ZQ_HTTP_MHD_WIRE_H
#include <stdint.h>
#include "core/arena.h"
#include "http/framing.h"

struct MHD_Connection;

/* Call at the first access-handler call. method and version are the
 * handler's arguments; target_at is the pointer the URI-log callback got
 * (compared, never read: libmicrohttpd decodes it in place afterwards),
 * target_len its strlen then, target its copy. -1 when out of memory. */
int zq_mhd_wire(struct MHD_Connection *con, zq_arena *a, const char *method, const char *version,
                uintptr_t target_at, size_t target_len, const char *target, zq_wire_req *w);

#endif
