/*
 * notice.h — SMS that tell a person something (an invitation to join an
 * enterprise), as opposed to the one-time codes of sms.h. Same provider,
 * same outbox, same audit action (`sms.send`, with the purpose), but its
 * own per-phone daily cap, so notices can neither be used to flood a
 * phone nor eat into the person's allowance of login codes.
 */
#ifndef ZQ_SMS_NOTICE_H
#define ZQ_SMS_NOTICE_H
#include <stdbool.h>
#include <stdint.h>
#include "http/req.h"

/* Notices to one phone per rolling day (fixed 24-hour windows). */
#define SMS_NOTICE_PHONE_DAY 5

typedef enum {
    SMS_NOTICE_SENT = 0,
    SMS_NOTICE_LIMITED = 1,  /* the phone's daily cap is reached: nothing sent */
    SMS_NOTICE_FAILED = -1,  /* the provider refused or the database failed */
} sms_notice_rc;

/* True (in *allowed) when a notice to phone would be sent now; counts
 * nothing. *retry_after gets the seconds until the cap resets. DB_OK or a
 * negative db_rc. */
int sms_notice_allowed(zq_req *q, const char *phone, bool *allowed, int64_t *retry_after);

/* Sends text to phone unless its daily cap is reached; records the outbox
 * row and an `sms.send` audit record ({"purpose": purpose}) for enterprise
 * eid (0 = none). Must be called with no transaction open (it commits its
 * own, and never holds one while the gateway answers). */
sms_notice_rc sms_send_notice(zq_req *q, int64_t eid, const char *phone, const char *purpose, const char *text);

#endif
