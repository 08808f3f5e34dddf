/*
 * zt_raw.h — requests with a raw (binary, length-counted) body, for routes
 * that are not JSON such as uploads. Same pipeline and client handling as
 * zt_req, except that no Content-Type is added and Set-Cookie is not kept.
 */
#ifndef ZT_RAW_H
#define ZT_RAW_H
#include <stddef.h>
#include "support/zt.h"

/* body may hold NUL bytes; extra_headers as in zt_req ("Name: value\n"). */
zt_resp *zt_raw(zt_env *e, zt_client *c, const char *method, const char *path, const void *body, size_t len,
                const char *extra_headers);

#endif
