/*
 * audit.h — the append-only, hash-chained audit log. Every state change and
 * every login attempt is recorded with who, where from, on what, and the
 * result. Each record's hash covers its content and the previous record's
 * hash, so `zhengqi audit verify` detects any edit or deletion.
 */
#ifndef ZQ_AUDIT_H
#define ZQ_AUDIT_H
#include <stdbool.h>
#include <stdint.h>
#include "http/req.h"

struct db_conn;
typedef struct audit_stage audit_stage;

typedef struct {
    const char *action;       /* "auth.login", "registration.approve", … */
    const char *object_type;  /* "enterprise", "staff", … (may be NULL) */
    const char *object_id;    /* may be NULL */
    const char *result;       /* "ok" | "denied" | "failed" (NULL = "ok") */
    const char *detail;       /* short JSON or text, no secrets, phones masked */
    int64_t enterprise_id;    /* 0 = none */
    const char *region;       /* district the record belongs to, for scoped search */
} audit_entry;

typedef struct {
    const char *kind;         /* "user" | "staff" | "system" | "anonymous" */
    int64_t id;
    const char *name;
    const char *ip;
} audit_actor;

/* Records e with the actor taken from q->session (anonymous otherwise) and
 * q->client_ip. Joins the caller's open transaction, or runs in its own.
 * Returns 0, or -1 if the record could not be written (then the caller's
 * change must not stand: roll back). */
int audit_record(zq_req *q, const audit_entry *e);
/* Same with an explicit actor (CLI commands, background jobs). */
int audit_record_as(struct db_conn *db, const audit_actor *who, int64_t now, const audit_entry *e);

/* ---- the audit stage (docs/audit.md) ----
 * Every unsafe route declares its action in the route table (zq_route.audit)
 * and the pipeline writes that record, in the handler's own transaction,
 * when the handler commits it; the handler does not call audit_record for
 * its route's action. It tells the pipeline what the record is about with
 * ONE call, before its db_commit:
 *     audit_note(q, &(audit_entry){.object_type = "invite", .object_id = id,
 *                                  .region = region, .detail = detail});
 * e->action NULL keeps the route's action; a handler sets it only to refine
 * the code for one outcome (staff.update → staff.disable). e->result must
 * be NULL (refusals are not the route's success record: they are written
 * with audit_record and result "failed"/"denied", as before). The strings
 * are copied. Returns 0, or -1 when out of memory (the commit then fails). */
int audit_note(zq_req *q, const audit_entry *e);
/* For code several routes share (a consent, an SMS code): the route's own
 * record (audit_note) when e is a success of the action the route declares,
 * else an explicit audit_record (a second record of another route's
 * request, or a refusal). 0, or -1 (roll back). */
int audit_emit(zq_req *q, const audit_entry *e);
/* This successful request changed nothing the route's action names (a
 * PUT that found nothing to change, logout without a session): no record. */
void audit_none(zq_req *q);
/* For the pipeline only: arm the stage for q's route before the handler
 * runs, and settle it afterwards (ok = the handler succeeded). A success
 * whose record no commit wrote (no transaction, or no note) gets it now, in
 * its own transaction; a failure gets none. Returns 0, or -1 if a record
 * that was due could not be written. */
void audit_stage_open(zq_req *q);
int audit_stage_close(zq_req *q, bool ok);

/* Walks the whole chain. Returns 0 when intact; -1 and *bad_id = first
 * broken record otherwise. *checked = records examined. */
int audit_verify(struct db_conn *db, int64_t *checked, int64_t *bad_id, char *err, size_t errlen);

/* "138****1234" for an 11-digit phone; other strings are masked past 3 chars. */
const char *audit_mask_phone(zq_arena *a, const char *phone);

#endif
