/*
 * zt_probe.h — the probe of the socket-level framing tests
 * (test_framing.c, test_mhd_refusals.c): a served app where an anonymous
 * POST /api/v1/sms/send with ZP_BODY stores an SMS code, so a refused
 * request can be shown to have stored nothing, and the server can be shown
 * to serve on after it.
 */
#ifndef ZT_PROBE_H
#define ZT_PROBE_H
#include "support/zt_serve.h"

#define ZP_BODY "{\"phone\":\"13800000001\",\"purpose\":\"register\"}"
#define ZP_BODY_LEN "44"
#define ZP_POST "POST /api/v1/sms/send HTTP/1.1\r\n"
#define ZP_JSON_CT "Content-Type: application/json\r\n"
/* a string literal as (bytes, length): it may hold NULs */
#define ZP_RAW(s) s, sizeof(s) - 1

/* cmocka setup/teardown: *st is a zt_served on 127.0.0.1 (two threads, a
 * 2 s idle timeout so a half-sent request does not hold a test long). */
int zp_setup(void **st);
int zp_teardown(void **st);
/* SMS codes and outbox rows stored so far. */
long long zp_stored(zt_served *s);

#endif
