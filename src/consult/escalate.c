/*
 * escalate.c — the periodic task (src/jobs/tasks.c, under its job lease)
 * that escalates overdue consultations to their unit's supervisor: each
 * exactly once, by a conditional UPDATE on escalated_at, with its step, a
 * notification to the supervisor and an audit record in one transaction.
 */
#include "consult/consult.h"
#include "audit/audit.h"
#include "notify/notify.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#define ESCALATE_BATCH 100   /* per run; the rest wait for the next tick */

static const char SQL_DUE[] =
    "SELECT c.id, c.title, c.region, c.enterprise_id, u.supervisor_id FROM consultation c"
    " LEFT JOIN consult_unit u ON u.id = c.unit_id"
    " WHERE c.escalated_at = 0 AND c.status IN ('submitted', 'acknowledged', 'reopened') AND c.due_at < $1"
    " ORDER BY c.due_at LIMIT $2";
/* the claim: a second run (or instance) changes nothing */
static const char SQL_MARK[] =
    "UPDATE consultation SET escalated_at = $2, updated_at = $2 WHERE id = $1 AND escalated_at = 0";
static const char SQL_EVENT[] =
    "INSERT INTO consult_event(consultation_id, event, actor_kind, actor_id, detail, created_at)"
    " VALUES ($1, 'escalated', 'system', NULL, $2, $3)";

typedef struct {
    int64_t id, eid, supervisor;
    char title[640], region[16];
} due_row;

static int escalate_one(db_conn *c, int64_t now, const due_row *d)
{
    int rc = db_begin(c, true);
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(c, SQL_MARK);
    if (!s) goto fail_err;
    db_bind_int64(s, 1, d->id);
    db_bind_int64(s, 2, now);
    rc = db_step(s);
    int64_t changed = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) goto fail;
    if (changed != 1) {
        db_rollback(c);
        return DB_OK;
    }
    char detail[64], oid[24], params[1400];
    snprintf(detail, sizeof detail, "{\"supervisor_id\":%lld}", (long long)d->supervisor);
    if (!(s = db_prepare(c, SQL_EVENT))) goto fail_err;
    db_bind_int64(s, 1, d->id);
    db_bind_text(s, 2, detail, -1);
    db_bind_int64(s, 3, now);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) goto fail;
    if (d->supervisor) {
        json_t *p = json_pack("{s:s}", "title", d->title);
        char *pj = p ? json_dumps(p, JSON_COMPACT) : NULL;
        json_decref(p);
        snprintf(params, sizeof params, "%s", pj ? pj : "{}");
        free(pj);
        char link[64];
        snprintf(link, sizeof link, "/admin/consultations/%lld", (long long)d->id);
        notify_msg m = {.topic = "consult", .template_code = "consult.escalated", .ref_type = "consultation",
                        .ref_id = d->id, .params_json = params, .link = link};
        if ((rc = notify_account(c, now, &m, "staff", d->supervisor)) != DB_OK) goto fail;
    }
    snprintf(oid, sizeof oid, "%lld", (long long)d->id);
    audit_actor who = {"system", 0, "超期督办", NULL};
    audit_entry e = {.action = "consult.escalate", .object_type = "consultation", .object_id = oid,
                     .detail = detail, .enterprise_id = d->eid, .region = d->region[0] ? d->region : NULL};
    if (audit_record_as(c, &who, now, &e) != 0) goto fail_err;
    return db_commit(c);
fail_err:
    rc = DB_ERR;
fail:
    if (rc >= 0) rc = DB_ERR;
    if (db_in_tx(c)) db_rollback(c);
    return rc;
}

int consult_escalate_due(db_conn *c, int64_t now, void *ctx)
{
    (void)ctx;
    due_row *rows = calloc(ESCALATE_BATCH, sizeof *rows);
    if (!rows) return DB_ERR;
    db_stmt *s = db_prepare(c, SQL_DUE);
    int n = 0, rc = DB_ERR;
    if (s) {
        db_bind_int64(s, 1, now);
        db_bind_int64(s, 2, ESCALATE_BATCH);
        while ((rc = db_step(s)) == DB_ROW && n < ESCALATE_BATCH) {
            due_row *d = &rows[n++];
            d->id = db_col_int64(s, 0);
            snprintf(d->title, sizeof d->title, "%s", db_col_text(s, 1));
            if (!db_col_is_null(s, 2)) snprintf(d->region, sizeof d->region, "%s", db_col_text(s, 2));
            d->eid = db_col_int64(s, 3);
            d->supervisor = db_col_int64(s, 4);
        }
        db_stmt_done(s);
    }
    if (rc == DB_DONE || rc == DB_ROW) {
        rc = DB_OK;
        for (int i = 0; i < n && rc == DB_OK; i++) rc = escalate_one(c, now, &rows[i]);
    } else if (rc >= 0) {
        rc = DB_ERR;
    }
    free(rows);
    return rc;
}
