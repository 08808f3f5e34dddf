/*
 * change.c — the enterprise side of name / USCC / district changes (see
 * change.h). The values in force never change here: only the bureau's
 * approval (change_api.c) writes them into the enterprise.
 */
#include "profile/change.h"
#include "auth/access.h"
#include "db/db.h"
#include "handler/kit.h"
#include <stdlib.h>
#include <string.h>

const char *const PROFILE_REVIEWED[] = {"name", "uscc", "region", NULL};

static const char SQL_PENDING[] =
    "SELECT id, new_name, new_uscc, new_region FROM enterprise_change WHERE enterprise_id = $1 AND status = 'pending'";
static const char SQL_INSERT[] =
    "INSERT INTO enterprise_change (enterprise_id, new_name, new_uscc, new_region, old_name, old_uscc, old_region,"
    " status, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) RETURNING id";
static const char SQL_AMEND[] =
    "UPDATE enterprise_change SET new_name = $1, new_uscc = $2, new_region = $3, submitted_by = $4,"
    " submitted_at = $5 WHERE id = $6 AND status = 'pending'";
static const char SQL_WITHDRAW[] =
    "UPDATE enterprise_change SET status = 'withdrawn', decided_at = $1 WHERE id = $2 AND status = 'pending'";

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void bind_opt(db_stmt *s, int i, const char *v)
{
    if (v) db_bind_text(s, i, v, -1);
    else db_bind_null(s, i);
}

/* {"name":[in force, requested], …} of the fields requested */
static const char *detail_of(zq_req *q, json_t *current, const char *want[3])
{
    json_t *o = json_object();
    for (int i = 0; PROFILE_REVIEWED[i]; i++)
        if (want[i])
            json_object_set_new(o, PROFILE_REVIEWED[i],
                                json_pack("[ss]", str_of(current, PROFILE_REVIEWED[i]) ? str_of(current, PROFILE_REVIEWED[i]) : "",
                                          want[i]));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    const char *out = s ? zq_arena_strdup(q->arena, s) : NULL;
    free(s);
    return out;
}

/* Runs s; an INSERT … RETURNING id leaves the new id in *id. */
static int run(db_stmt *s, int64_t *id)
{
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *id = db_col_int64(s, 0);
        rc = DB_DONE;
    }
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int profile_change_submit(zq_req *q, int64_t enterprise_id, json_t *current, json_t *request, bool *wrote)
{
    *wrote = false;
    const char *had[3] = {NULL, NULL, NULL}, *want[3];
    int64_t pending = 0;
    db_stmt *s = db_prepare(q->db, SQL_PENDING);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, enterprise_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        pending = db_col_int64(s, 0);
        for (int i = 0; i < 3; i++)
            had[i] = db_col_dup(q->arena, s, i + 1);
    }
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc < 0 ? rc : DB_ERR;

    bool any = false, differs = false;
    for (int i = 0; PROFILE_REVIEWED[i]; i++) {
        const char *k = PROFILE_REVIEWED[i];
        want[i] = had[i];
        if (json_object_get(request, k)) {
            const char *v = str_of(request, k);
            want[i] = v && !same(v, str_of(current, k)) ? zq_arena_strdup(q->arena, v) : NULL;
        }
        any |= want[i] != NULL;
        differs |= !same(want[i], had[i]);
    }
    if (!differs) return DB_OK;
    *wrote = true;

    const char *action;
    int64_t change_id = pending;
    if (!pending) {
        action = "enterprise.change.submit";
        s = db_prepare(q->db, SQL_INSERT);
        if (s) {
            db_bind_int64(s, 1, enterprise_id);
            for (int i = 0; i < 3; i++) bind_opt(s, i + 2, want[i]);
            for (int i = 0; i < 3; i++) bind_opt(s, i + 5, str_of(current, PROFILE_REVIEWED[i]));
            db_bind_int64(s, 8, q->session->user_id);
            db_bind_int64(s, 9, q->now);
        }
    } else if (any) {
        action = "enterprise.change.update";
        s = db_prepare(q->db, SQL_AMEND);
        if (s) {
            for (int i = 0; i < 3; i++) bind_opt(s, i + 1, want[i]);
            db_bind_int64(s, 4, q->session->user_id);
            db_bind_int64(s, 5, q->now);
            db_bind_int64(s, 6, pending);
        }
    } else {
        action = "enterprise.change.withdraw";
        s = db_prepare(q->db, SQL_WITHDRAW);
        if (s) {
            db_bind_int64(s, 1, q->now);
            db_bind_int64(s, 2, pending);
        }
    }
    if ((rc = run(s, &change_id)) != DB_OK) return rc;
    const char *detail = detail_of(q, current, any ? want : had);
    /* a second record of PATCH /enterprise (whose own, enterprise.update,
     * is for the fields applied at once): the change request is a separate
     * matter the bureau reviews and filters for by its own code */
    if (!detail || hk_record(q, enterprise_id, action, "enterprise_change", change_id, detail, NULL) != 0) return DB_ERR;
    return DB_OK;
}
