/*
 * provider_http.c — SMS through an HTTP gateway: POST {"phone","text","ts"}
 * as JSON to the configured http://host:port/path with the header
 * X-Signature: hex HMAC-SHA256(shared secret, body), through the outbound
 * client of http/client.h; success is any 2xx status. No TLS: production gateways sit behind a relay on the local
 * network or host (docs/decisions-sms.md).
 */
#include "sms/provider.h"
#include "http/context.h"
#include "core/buf.h"
#include "core/jsonw.h"
#include "core/text.h"
#include "http/client.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int sms_http_url_check(const char *url, char *err, size_t errlen)
{
    if (!url || !*url) {
        snprintf(err, errlen, "no gateway URL configured (--sms-url)");
        return -1;
    }
    return zq_httpc_url_check(url, "gateway URL", err, errlen);
}

static int http_send(const zq_config *cfg, const sms_message *m, char *err, size_t errlen)
{
    int rc = -1;
    zq_buf body;
    zq_buf_init(&body, 8192);
    if (sms_http_url_check(cfg->sms_url, err, errlen) != 0) goto done;
    if (!cfg->sms_secret || !*cfg->sms_secret) {
        snprintf(err, errlen, "no shared secret configured (--sms-secret-file)");
        goto done;
    }
    zq_jw w;
    zq_jw_init(&w, &body);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "phone", m->phone);
    zq_jw_kstr(&w, "text", m->text);
    zq_jw_kint(&w, "ts", m->ts);
    zq_jw_obj_end(&w);
    if (!zq_jw_ok(&w)) {
        snprintf(err, errlen, "message too large");
        goto done;
    }

    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char sig[2 * sizeof mac + 1], hdr[sizeof sig + 32];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)cfg->sms_secret, strlen(cfg->sms_secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body.data, body.len);
    crypto_auth_hmacsha256_final(&st, mac);
    zq_hex(mac, sizeof mac, sig);
    snprintf(hdr, sizeof hdr, "X-Signature: %s\r\n", sig);

    int status = 0;
    if (zq_httpc_do("POST", cfg->sms_url, hdr, body.data, body.len,
                    cfg->sms_timeout_ms ? cfg->sms_timeout_ms : SMS_HTTP_TIMEOUT_MS, &status, NULL, err, errlen) != 0)
        goto done;
    if (status < 200 || status > 299) {
        snprintf(err, errlen, "the gateway answered HTTP %d", status);
        goto done;
    }
    rc = 0;
done:
    zq_buf_free(&body);
    return rc;
}

const sms_provider sms_provider_http = {"http", false, http_send};
