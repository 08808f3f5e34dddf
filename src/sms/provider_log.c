/*
 * provider_log.c — the development SMS provider: the message goes to the
 * server log (stderr); sms.c keeps it in sms_outbox, which
 * `zhengqi sms outbox` prints. Never configured in production.
 */
#include "sms/provider.h"
#include <stdio.h>
#include <string.h>

static int log_send(const zq_config *cfg, const sms_message *m, char *err, size_t errlen)
{
    (void)cfg;
    (void)err;
    (void)errlen;
    fprintf(stderr, "sms[log] to %s: %s\n", m->phone, m->text);
    return 0;
}

const sms_provider sms_provider_log = {"log", true, log_send};

const sms_provider *sms_provider_for(const zq_config *cfg)
{
    const char *n = cfg->sms_provider;
    if (!n || !*n || strcmp(n, "log") == 0) return &sms_provider_log;
    if (strcmp(n, "http") == 0) return &sms_provider_http;
    return NULL;
}
