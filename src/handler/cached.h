/*
 * cached.h — answering from an in-memory rendering (core/vcache.h, the
 * dictionaries' cache): the kept bytes sent by reference, no copy per
 * request, and the tail every cached answer shares: its ETag, its
 * Cache-Control, and 304 with no body when the client already holds it.
 * Used by the dictionaries, the public policy lists and the bureau's
 * trade views.
 */
#ifndef ZQ_HANDLER_CACHED_H
#define ZQ_HANDLER_CACHED_H
#include <stddef.h>
#include "http/req.h"

/* 200 JSON whose body is data[0..len) owned by the cache; release(ctx)
 * drops the reference once the response is sent. */
void hk_send_kept(zq_resp *r, const char *data, size_t len, void (*release)(void *), void *ctx);
/* ETag (copied) and Cache-Control on r; 304 without a body when the
 * request's If-None-Match names etag. */
void hk_etag_reply(zq_req *q, zq_resp *r, const char *etag, const char *cache_control);

#endif
