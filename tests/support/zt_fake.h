/*
 * zt_fake.h — a fake HTTP service on 127.0.0.1 for tests of outbound calls
 * (the WeChat API, an SMS gateway): a thread that accepts one request per
 * connection and answers what the test's handler says. The handler can be
 * switched between modes to fail, answer errors or hang.
 */
#ifndef ZT_FAKE_H
#define ZT_FAKE_H
#include <stddef.h>

/* Fills out (a JSON body, outlen bytes) and returns the HTTP status; a
 * status of 0 means "hang until the client gives up". method, target
 * ("/path?query") and body are the request's. */
typedef int (*zt_fake_handler)(void *ctx, const char *method, const char *target, const char *body, char *out,
                               size_t outlen);

typedef struct zt_fake zt_fake;

zt_fake *zt_fake_start(zt_fake_handler h, void *ctx);
/* "http://127.0.0.1:PORT" (static per fake). */
const char *zt_fake_base(const zt_fake *f);
/* Requests answered so far. */
int zt_fake_requests(const zt_fake *f);
void zt_fake_stop(zt_fake *f);

/* The WeChat API fake: /cgi-bin/token, /sns/jscode2session (code "bad" is
 * refused, any other code gives openid "o-<code>"), and
 * /cgi-bin/message/subscribe/send per mode. */
typedef enum {
    ZT_WX_OK,          /* sends succeed */
    ZT_WX_BUSY,        /* sends answer errcode -1 (retryable) */
    ZT_WX_HTTP500,     /* sends answer HTTP 500 */
    ZT_WX_EXPIRED_ONCE /* the next send says the token expired (42001), then OK */
} zt_wx_mode;
typedef struct {
    zt_wx_mode mode;
    int tokens;         /* token fetches */
    int sends;          /* send requests (any outcome) */
    int delivered;      /* sends answered ok */
    char last_send[2048];
} zt_wx;
int zt_wx_handler(void *ctx, const char *method, const char *target, const char *body, char *out, size_t outlen);

#endif
