/*
 * sms.h — one-time SMS codes (register, login, reset, staff_login,
 * first_login, transfer, close_account): 6 random digits, stored hashed, valid 5 minutes, single use,
 * 5 wrong tries void the code; resend after 60 s, ≤5 an hour and ≤10 a day
 * per phone, plus per-IP limits. Delivery goes through a provider: `log`
 * (development: server log + outbox table, printed by `zhengqi sms outbox`)
 * or `http` (signed JSON POST to a gateway).
 */
#ifndef ZQ_SMS_H
#define ZQ_SMS_H
#include <stdbool.h>
#include "http/req.h"
#include "http/route.h"

#define SMS_CODE_TTL 300
#define SMS_MAX_TRIES 5

/* Purposes accepted by POST /api/v1/sms/send. */
bool sms_purpose_valid(const char *purpose);

/* Checks the limits, makes a code, stores its hash, delivers it. On refusal
 * writes 429 (with retry_after) or 400/503 into r. Audited. */
zq_err sms_send_code(zq_req *q, zq_resp *r, const char *phone, const char *purpose);

/* Consumes a code: ZQ_OK when code matches the newest live code for
 * phone+purpose (then it is marked used). Otherwise adds a field error on
 * `field` ("验证码错误或已过期") and counts the try. Call inside the
 * caller's transaction so a refused action does not consume the code. */
zq_err sms_verify_code(zq_req *q, zq_resp *r, const char *phone, const char *purpose, const char *code, const char *field);

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group sms_routes;             /* sms.c */

#endif
