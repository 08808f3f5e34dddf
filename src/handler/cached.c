/*
 * cached.c — sending a cached rendering and the ETag / 304 tail (cached.h).
 */
#include "handler/cached.h"
#include <string.h>

void hk_send_kept(zq_resp *r, const char *data, size_t len, void (*release)(void *), void *ctx)
{
    r->ext_body = data;
    r->ext_len = len;
    r->ext_release = release;
    r->ext_ctx = ctx;
    r->status = 200;
    r->content_type = "application/json; charset=utf-8";
}

void hk_etag_reply(zq_req *q, zq_resp *r, const char *etag, const char *cache_control)
{
    zq_resp_header(q->arena, r, "ETag", zq_arena_strdup(q->arena, etag));
    zq_resp_header(q->arena, r, "Cache-Control", cache_control);
    const char *inm = zq_req_header(q, "if-none-match");
    if (inm && strstr(inm, etag)) {
        r->status = 304;
        zq_buf_reset(&r->body);
        zq_resp_drop_ext(r);
    }
}
