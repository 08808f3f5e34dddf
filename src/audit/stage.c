/*
 * stage.c — the audit stage of the request pipeline (audit.h, docs/audit.md).
 *
 * For a route that declares an audit action the pipeline arms a stage and
 * hooks the connection's commit. The handler describes the record with one
 * audit_note; its own db_commit then runs the hook, which writes the record
 * inside that transaction, so the change and its record stand or fall
 * together, and a handler that fails (rolls back, never commits) leaves no
 * record. Refusals that must be kept (failed logins, wrong codes) are
 * committed by the handler before any note, so the hook passes them by.
 */
#include "audit/audit.h"
#include "http/session.h"
#include "db/db.h"
#include "http/route.h"
#include <stdio.h>
#include <string.h>

struct audit_stage {
    audit_entry e;  /* action, then what the note said (arena copies) */
    audit_actor who; /* who acted, as it stood when the note was made */
    bool noted, written, none;
};

static const char *dup(zq_req *q, const char *s)
{
    return s ? zq_arena_strdup(q->arena, s) : NULL;
}

/* The actor and the entry's enterprise as audit_record takes them. */
static void actor_of(zq_req *q, audit_actor *who, audit_entry *e)
{
    *who = (audit_actor){"anonymous", 0, NULL, q->client_ip};
    const zq_session *s = q->session;
    if (s && s->staff_id) {
        who->kind = "staff";
        who->id = s->staff_id;
        who->name = dup(q, s->actor_name);
    } else if (s && s->user_id) {
        who->kind = "user";
        who->id = s->user_id;
        who->name = dup(q, s->actor_name);
        if (!e->enterprise_id) e->enterprise_id = s->enterprise_id;
    }
}

static int write_record(zq_req *q)
{
    audit_stage *st = q->audit;
    st->written = true;
    return audit_record_as(q->db, &st->who, q->now, &st->e);
}

static int on_commit(void *ctx)
{
    zq_req *q = ctx;
    if (!q->audit || !q->audit->noted || q->audit->written) return 0;
    return write_record(q);
}

void audit_stage_open(zq_req *q)
{
    if (!q->route || !q->route->audit || !q->db) return;
    audit_stage *st = zq_arena_alloc(q->arena, sizeof *st);
    if (!st) return; /* audit_stage_close then writes nothing: see below */
    memset(st, 0, sizeof *st);
    st->e.action = q->route->audit;
    q->audit = st;
    db_set_commit_hook(q->db, on_commit, q);
}

int audit_note(zq_req *q, const audit_entry *e)
{
    audit_stage *st = q->audit;
    /* a note outside an unsafe route's request is a programmer error */
    if (!st || e->result) return -1;
    const char *action = e->action ? dup(q, e->action) : st->e.action;
    st->e = (audit_entry){
        .action = action, .object_type = dup(q, e->object_type), .object_id = dup(q, e->object_id),
        .detail = dup(q, e->detail), .enterprise_id = e->enterprise_id, .region = dup(q, e->region),
    };
    actor_of(q, &st->who, &st->e);
    st->noted = !!action;
    return st->noted ? 0 : -1;
}

int audit_emit(zq_req *q, const audit_entry *e)
{
    bool ok = !e->result || strcmp(e->result, "ok") == 0;
    if (!ok || !q->audit || !e->action || strcmp(e->action, q->route->audit) != 0) return audit_record(q, e);
    audit_entry note = *e;
    note.action = NULL;
    note.result = NULL;
    return audit_note(q, &note);
}

void audit_none(zq_req *q)
{
    if (q->audit) q->audit->none = true;
}

int audit_stage_close(zq_req *q, bool ok)
{
    if (q->db) db_set_commit_hook(q->db, NULL, NULL);
    audit_stage *st = q->audit;
    if (!q->route || !q->route->audit) return 0;
    if (!st) return ok ? -1 : 0; /* armed without memory: a success cannot go unrecorded */
    if (!ok || st->written || st->none) return 0;
    /* a success whose record no commit wrote: the handler wrote without a
     * transaction of its own, or forgot the note; the record is still due */
    if (!st->noted) {
        fprintf(stderr, "audit: %s %s succeeded without audit_note (request %s)\n", q->method_name ? q->method_name : "",
                q->route->pattern, q->request_id);
        actor_of(q, &st->who, &st->e);
    }
    return write_record(q);
}
