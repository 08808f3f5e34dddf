/*
 * provider.h — the one interface SMS delivery goes through. `log` writes
 * the message to the server log (stderr); `http` POSTs signed JSON to a
 * gateway. sms.c records every attempt in sms_outbox either way.
 */
#ifndef ZQ_SMS_PROVIDER_H
#define ZQ_SMS_PROVIDER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "http/config.h"

typedef struct {
    const char *phone;
    const char *text;   /* the whole message, code included */
    int64_t ts;         /* unix seconds, part of the signed body */
} sms_message;

typedef struct sms_provider {
    const char *name;   /* "log" | "http" */
    /* true: the outbox may keep the text as sent (development provider);
     * false: the code is masked in the outbox, it exists only at the gateway */
    bool outbox_keeps_code;
    /* 0 when delivered (or accepted by the gateway); -1 with a reason for
     * operators in err (never shown to users). Must return within the
     * configured timeout. */
    int (*send)(const zq_config *cfg, const sms_message *m, char *err, size_t errlen);
} sms_provider;

extern const sms_provider sms_provider_log;
extern const sms_provider sms_provider_http;

/* The provider named by cfg->sms_provider (NULL or "" = log); NULL when
 * the name is unknown. */
const sms_provider *sms_provider_for(const zq_config *cfg);

/* Checks a gateway URL for the http provider: "http://host[:port]/path"
 * (host a name, IPv4 or [IPv6]). 0, or -1 with the reason in err. */
int sms_http_url_check(const char *url, char *err, size_t errlen);

/* Default whole-exchange timeout of the http provider, milliseconds. */
#define SMS_HTTP_TIMEOUT_MS 5000

#endif
