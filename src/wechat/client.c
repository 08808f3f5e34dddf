/*
 * client.c — the WeChat API calls of wechat.h over http/client.h. Answers
 * are JSON with "errcode" (0 or absent = success). The access token lives
 * in the client (one per app) behind a mutex; it is refreshed when it has
 * less than a minute left or WeChat calls it invalid (40001, 42001).
 */
#include "wechat/wechat.h"
#include "core/buf.h"
#include "core/text.h"
#include "http/client.h"
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOKEN_MAX 512
#define TOKEN_MARGIN_S 60
#define URL_MAX 2048

struct wechat_client {
    pthread_mutex_t mu;
    char token[TOKEN_MAX];
    int64_t expires_at;
};

wechat_client *wechat_client_new(void)
{
    wechat_client *w = calloc(1, sizeof *w);
    if (w) pthread_mutex_init(&w->mu, NULL);
    return w;
}

void wechat_client_free(wechat_client *w)
{
    if (!w) return;
    pthread_mutex_destroy(&w->mu);
    free(w);
}

bool wechat_configured(const zq_config *cfg)
{
    return cfg->wechat_api && *cfg->wechat_api && cfg->wechat_appid && *cfg->wechat_appid && cfg->wechat_secret &&
           *cfg->wechat_secret;
}

/* Percent-encodes s for a query value. */
static void put_q(zq_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '_' || *p == '.' || *p == '~')
            zq_buf_putc(b, (char)*p);
        else
            zq_buf_printf(b, "%%%02X", *p);
    }
}

/* GET/POST base+path; the answer's JSON object in *out (caller decrefs).
 * WECHAT_OK when errcode is 0 or absent; *errcode gets it. */
static wechat_rc call(const zq_config *cfg, const char *method, const zq_buf *path, const char *body, json_t **out,
                      long *errcode, char *err, size_t errlen)
{
    *out = NULL;
    *errcode = 0;
    char url[URL_MAX];
    if (snprintf(url, sizeof url, "%s%s", cfg->wechat_api, path->data ? path->data : "") >= (int)sizeof url) {
        snprintf(err, errlen, "WeChat URL too long");
        return WECHAT_FAILED;
    }
    zq_buf resp;
    zq_buf_init(&resp, ZQ_HTTPC_BODY_MAX);
    int status = 0;
    wechat_rc rc = WECHAT_FAILED;
    if (zq_httpc_do(method, url, NULL, body, body ? strlen(body) : 0,
                    cfg->wechat_timeout_ms ? cfg->wechat_timeout_ms : 5000, &status, &resp, err, errlen) != 0)
        goto done;
    if (status != 200) {
        snprintf(err, errlen, "WeChat answered HTTP %d", status);
        goto done;
    }
    json_t *j = resp.data ? json_loads(resp.data, 0, NULL) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        snprintf(err, errlen, "WeChat answered something that is not JSON");
        goto done;
    }
    *errcode = (long)json_integer_value(json_object_get(j, "errcode"));
    if (*errcode != 0) {
        const char *msg = json_string_value(json_object_get(j, "errmsg"));
        snprintf(err, errlen, "WeChat errcode %ld: %.200s", *errcode, msg ? msg : "");
        /* -1 is WeChat's "system busy": worth another try later */
        rc = *errcode == -1 ? WECHAT_FAILED : WECHAT_REFUSED;
        json_decref(j);
        goto done;
    }
    *out = j;
    rc = WECHAT_OK;
done:
    zq_buf_free(&resp);
    return rc;
}

/* A valid token into tok (copied under the lock); fetched when missing,
 * about to expire, or `force`. */
static wechat_rc token(wechat_client *w, const zq_config *cfg, int64_t now, bool force, char *tok, char *err,
                       size_t errlen)
{
    pthread_mutex_lock(&w->mu);
    if (!force && w->token[0] && w->expires_at - TOKEN_MARGIN_S > now) {
        snprintf(tok, TOKEN_MAX, "%s", w->token);
        pthread_mutex_unlock(&w->mu);
        return WECHAT_OK;
    }
    /* fetched under the lock: the worker is the only frequent caller, and
     * two fetches at once would invalidate each other's token */
    zq_buf path;
    zq_buf_init(&path, URL_MAX);
    zq_buf_puts(&path, "/cgi-bin/token?grant_type=client_credential&appid=");
    put_q(&path, cfg->wechat_appid);
    zq_buf_puts(&path, "&secret=");
    put_q(&path, cfg->wechat_secret);
    json_t *j = NULL;
    long code;
    wechat_rc rc = call(cfg, "GET", &path, NULL, &j, &code, err, errlen);
    zq_buf_free(&path);
    if (rc == WECHAT_OK) {
        const char *t = json_string_value(json_object_get(j, "access_token"));
        json_int_t ttl = json_integer_value(json_object_get(j, "expires_in"));
        if (!t || !*t || strlen(t) >= TOKEN_MAX || ttl <= 0) {
            snprintf(err, errlen, "WeChat token answer without access_token/expires_in");
            rc = WECHAT_FAILED;
        } else {
            snprintf(w->token, sizeof w->token, "%s", t);
            w->expires_at = now + (int64_t)ttl;
            snprintf(tok, TOKEN_MAX, "%s", t);
        }
    } else {
        w->token[0] = '\0';
        /* a refused appid/secret is a configuration error: retried later like an outage */
        rc = WECHAT_FAILED;
    }
    json_decref(j);
    pthread_mutex_unlock(&w->mu);
    return rc;
}

wechat_rc wechat_code_openid(wechat_client *w, const zq_config *cfg, const char *code, char *openid, size_t n,
                             char *err, size_t errlen)
{
    (void)w;
    if (!wechat_configured(cfg)) {
        snprintf(err, errlen, "WeChat is not configured");
        return WECHAT_FAILED;
    }
    zq_buf path;
    zq_buf_init(&path, URL_MAX);
    zq_buf_puts(&path, "/sns/jscode2session?appid=");
    put_q(&path, cfg->wechat_appid);
    zq_buf_puts(&path, "&secret=");
    put_q(&path, cfg->wechat_secret);
    zq_buf_puts(&path, "&js_code=");
    put_q(&path, code);
    zq_buf_puts(&path, "&grant_type=authorization_code");
    json_t *j = NULL;
    long ec;
    wechat_rc rc = call(cfg, "GET", &path, NULL, &j, &ec, err, errlen);
    zq_buf_free(&path);
    if (rc == WECHAT_OK) {
        const char *o = json_string_value(json_object_get(j, "openid"));
        if (!o || !*o || strlen(o) >= n || strlen(o) > 64) {
            snprintf(err, errlen, "WeChat answer without a usable openid");
            rc = WECHAT_FAILED;
        } else {
            snprintf(openid, n, "%s", o);
        }
    }
    json_decref(j);
    return rc;
}

wechat_rc wechat_send(wechat_client *w, const zq_config *cfg, int64_t now, const char *openid, const char *template_id,
                      const char *page, const char *data_json, char *err, size_t errlen)
{
    if (!wechat_configured(cfg)) {
        snprintf(err, errlen, "WeChat is not configured");
        return WECHAT_FAILED;
    }
    json_t *data = json_loads(data_json ? data_json : "{}", 0, NULL);
    json_t *msg = json_pack("{s:s, s:s, s:s, s:o}", "touser", openid, "template_id", template_id, "page",
                            page ? page : "", "data", data ? data : json_object());
    char *body = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);
    if (!body) {
        snprintf(err, errlen, "out of memory");
        return WECHAT_FAILED;
    }
    char tok[TOKEN_MAX];
    wechat_rc rc = WECHAT_FAILED;
    for (int attempt = 0; attempt < 2; attempt++) {
        if ((rc = token(w, cfg, now, attempt > 0, tok, err, errlen)) != WECHAT_OK) break;
        zq_buf path;
        zq_buf_init(&path, URL_MAX);
        zq_buf_puts(&path, "/cgi-bin/message/subscribe/send?access_token=");
        put_q(&path, tok);
        json_t *j = NULL;
        long ec;
        rc = call(cfg, "POST", &path, body, &j, &ec, err, errlen);
        zq_buf_free(&path);
        json_decref(j);
        /* the token was revoked or expired early: fetch a new one, once */
        if (rc == WECHAT_REFUSED && (ec == 40001 || ec == 42001)) {
            rc = WECHAT_FAILED;
            continue;
        }
        break;
    }
    free(body);
    return rc;
}
