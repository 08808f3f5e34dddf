/*
 * audit.h — the append-only, hash-chained audit log. Every state change and
 * every login attempt is recorded with who, where from, on what, and the
 * result. Each record's hash covers its content and the previous record's
 * hash, so `zhengqi audit verify` detects any edit or deletion.
 */
#ifndef ZQ_AUDIT_H
#define ZQ_AUDIT_H
#include <stdint.h>
#include "http/req.h"

struct db_conn;

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

/* Walks the whole chain. Returns 0 when intact; -1 and *bad_id = first
 * broken record otherwise. *checked = records examined. */
int audit_verify(struct db_conn *db, int64_t *checked, int64_t *bad_id, char *err, size_t errlen);

/* "138****1234" for an 11-digit phone; other strings are masked past 3 chars. */
const char *audit_mask_phone(zq_arena *a, const char *phone);

#endif
