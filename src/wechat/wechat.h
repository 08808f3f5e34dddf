/*
 * wechat.h — the WeChat mini-program API zhengqi calls: exchanging a login
 * code for the user's openid (微信一键登录, binding) and sending a
 * subscription message (订阅消息). The API base is configurable
 * (--wechat-api, an http:// egress relay in production, the fake server of
 * tests/support in tests); the access token is cached in the app context
 * under a mutex until shortly before it expires.
 */
#ifndef ZQ_WECHAT_H
#define ZQ_WECHAT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "http/config.h"
#include "http/route.h"

typedef struct wechat_client wechat_client;

wechat_client *wechat_client_new(void);
void wechat_client_free(wechat_client *w);

/* True when API base, app id and secret are all set. */
bool wechat_configured(const zq_config *cfg);

/* Outcome of a call. WECHAT_REFUSED: WeChat answered with an error that a
 * retry will not cure (bad code, user has not subscribed, template gone). */
typedef enum { WECHAT_OK = 0, WECHAT_FAILED = -1, WECHAT_REFUSED = -2 } wechat_rc;

/* The openid of the user behind a wx.login code (jscode2session). openid
 * gets at most n-1 bytes. err: a reason for operators. */
wechat_rc wechat_code_openid(wechat_client *w, const zq_config *cfg, const char *code, char *openid, size_t n,
                             char *err, size_t errlen);

/* subscribeMessage.send: template_id with data (a JSON object
 * {"thing1":{"value":"…"}}) to openid, opening `page`. An expired token is
 * fetched again once. */
wechat_rc wechat_send(wechat_client *w, const zq_config *cfg, int64_t now, const char *openid, const char *template_id,
                      const char *page, const char *data_json, char *err, size_t errlen);

extern const zq_route_group wechat_routes; /* wechat_api.c */

#endif
