/*
 * notice.c — notices by SMS (see notice.h). The cap is a rate_counter row
 * per phone and day, so every instance behind the proxy counts the same.
 */
#include "sms/notice.h"
#include "sms/provider.h"
#include "http/context.h"
#include "audit/audit.h"
#include "auth/login.h"
#include "rate/rate.h"
#include "db/db.h"
#include <stdio.h>

#define NOTICE_WINDOW 86400

static const char SQL_OUTBOX[] =
    "INSERT INTO sms_outbox(phone, body, provider, status, error, created_at) VALUES ($1, $2, $3, $4, $5, $6)";

static const char *cap_key(zq_req *q, const char *phone)
{
    return zq_arena_printf(q->arena, "sms_notice:%s", phone);
}

int sms_notice_allowed(zq_req *q, const char *phone, bool *allowed, int64_t *retry_after)
{
    const char *key = cap_key(q, phone);
    *allowed = false;
    if (!key) return DB_ERR;
    int n = rate_peek(q->db, key, NOTICE_WINDOW, q->now, retry_after);
    if (n < 0) return DB_ERR;
    *allowed = n < SMS_NOTICE_PHONE_DAY;
    return DB_OK;
}

/* A record of its own (audit_record): the notice goes out on the way to
 * another route's change (an invitation), which has its own record. */
static int audit_notice(zq_req *q, int64_t eid, const char *phone, const char *purpose, const char *result,
                        const char *note)
{
    audit_entry a = {
        .action = "sms.send",
        .object_type = "phone",
        .object_id = audit_mask_phone(q->arena, phone),
        .result = result,
        .enterprise_id = eid,
        /* the firm's district, so its district staff find the notice too */
        .region = eid ? auth_enterprise_region(q, eid) : NULL,
        .detail = zq_arena_printf(q->arena, "{\"purpose\":\"%s\"%s%s%s}", purpose, note ? ",\"note\":\"" : "",
                                  note ? note : "", note ? "\"" : ""),
    };
    return audit_record(q, &a);
}

/* Takes one from the phone's daily allowance: SMS_NOTICE_SENT when there
 * was one left, SMS_NOTICE_LIMITED (audited as denied) when not. */
static sms_notice_rc take_allowance(zq_req *q, int64_t eid, const char *phone, const char *purpose)
{
    const char *key = cap_key(q, phone);
    if (!key || db_begin(q->db, true) != DB_OK) return SMS_NOTICE_FAILED;
    int n = rate_hit(q->db, key, NOTICE_WINDOW, q->now, NULL);
    sms_notice_rc out = n < 0 ? SMS_NOTICE_FAILED : n > SMS_NOTICE_PHONE_DAY ? SMS_NOTICE_LIMITED : SMS_NOTICE_SENT;
    if (out == SMS_NOTICE_LIMITED && audit_notice(q, eid, phone, purpose, "denied", "daily_cap") != 0)
        out = SMS_NOTICE_FAILED;
    if (out == SMS_NOTICE_FAILED || db_commit(q->db) != DB_OK) {
        db_rollback(q->db);
        return SMS_NOTICE_FAILED;
    }
    return out;
}

sms_notice_rc sms_send_notice(zq_req *q, int64_t eid, const char *phone, const char *purpose, const char *text)
{
    sms_notice_rc rc = take_allowance(q, eid, phone, purpose);
    if (rc != SMS_NOTICE_SENT) return rc;

    const sms_provider *prov = sms_provider_for(&q->app->cfg);
    char err[256] = "";
    sms_message m = {phone, text, q->now};
    int sent = prov ? prov->send(&q->app->cfg, &m, err, sizeof err) : -1;
    if (!prov) snprintf(err, sizeof err, "unknown SMS provider '%s'", q->app->cfg.sms_provider);
    if (sent != 0)
        fprintf(stderr, "zhengqi: sms notice to %s failed: %s (request %s)\n", audit_mask_phone(q->arena, phone), err,
                q->request_id);

    if (db_begin(q->db, true) != DB_OK) return SMS_NOTICE_FAILED;
    db_stmt *s = db_prepare(q->db, SQL_OUTBOX);
    if (!s) goto fail;
    /* a notice holds no secret: the outbox keeps its text with any provider */
    db_bind_text(s, 1, phone, -1);
    db_bind_text(s, 2, text, -1);
    db_bind_text(s, 3, prov ? prov->name : "none", -1);
    db_bind_text(s, 4, sent == 0 ? "sent" : "failed", -1);
    if (sent == 0) db_bind_null(s, 5);
    else db_bind_text(s, 5, err, -1);
    db_bind_int64(s, 6, q->now);
    int drc = db_step(s);
    db_stmt_done(s);
    if (drc != DB_DONE) goto fail;
    if (audit_notice(q, eid, phone, purpose, sent == 0 ? "ok" : "failed", sent == 0 ? NULL : "delivery_failed") != 0)
        goto fail;
    if (db_commit(q->db) != DB_OK) goto fail;
    return sent == 0 ? SMS_NOTICE_SENT : SMS_NOTICE_FAILED;
fail:
    db_rollback(q->db);
    return SMS_NOTICE_FAILED;
}
