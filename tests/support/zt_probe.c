/*
 * zt_probe.c — the framing tests' served probe (see zt_probe.h).
 */
#include "support/zt_probe.h"

static void tweak(zq_config *c)
{
    c->listen = "127.0.0.1:0";
    c->threads = 2;
    c->idle_timeout = 2;
}

int zp_setup(void **st)
{
    *st = zt_serve(zt_start_cfg(tweak));
    return 0;
}

int zp_teardown(void **st)
{
    zt_serve_stop(*st);
    return 0;
}

long long zp_stored(zt_served *s)
{
    return zt_count(s->env, "SELECT COUNT(*) FROM sms_code") + zt_count(s->env, "SELECT COUNT(*) FROM sms_outbox");
}
