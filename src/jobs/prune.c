/*
 * prune.c — the housekeeping DELETEs (see prune.h). Keep times are at
 * least twice the longest window each table serves, so pruning never
 * changes an answer: SMS limits look back 24 h, login locks 24 h, rate
 * counters at most an hour, and an ended session is useless the moment it
 * ends (kept a day only so `session` rows line up with recent audit).
 */
#include "jobs/prune.h"
#include "db/db.h"

#define DAY 86400

static const char SQL_EXPORT[] = "DELETE FROM export_progress WHERE updated_at < $1";
static const char SQL_SMS[] = "DELETE FROM sms_code WHERE created_at < $1";
static const char SQL_RATE[] = "DELETE FROM rate_counter WHERE window_start < $1";
static const char SQL_LOCK[] = "DELETE FROM login_lock WHERE locked_until < $1 AND updated_at < $2";
static const char SQL_SESSION[] =
    "DELETE FROM session WHERE expires_at < $1 OR idle_expires_at < $1 OR (revoked_at > 0 AND revoked_at < $1)";

static int run(db_conn *db, const char *sql, int64_t a, int64_t b, int nparams, int64_t *deleted)
{
    db_stmt *s = db_prepare(db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, a);
    if (nparams > 1) db_bind_int64(s, 2, b);
    int rc = db_step(s);
    if (rc == DB_DONE) *deleted = db_changes(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int jobs_prune(db_conn *db, int64_t now, jobs_pruned *out)
{
    jobs_pruned p = {0};
    int rc;
    if ((rc = run(db, SQL_SMS, now - 2 * DAY, 0, 1, &p.sms_codes)) != DB_OK) return rc;
    if ((rc = run(db, SQL_RATE, now - 2 * DAY, 0, 1, &p.rate_counters)) != DB_OK) return rc;
    if ((rc = run(db, SQL_LOCK, now, now - 2 * DAY, 2, &p.login_locks)) != DB_OK) return rc;
    if ((rc = run(db, SQL_SESSION, now - DAY, 0, 1, &p.sessions)) != DB_OK) return rc;
    if ((rc = run(db, SQL_EXPORT, now - DAY, 0, 1, &p.export_progress)) != DB_OK) return rc;
    if (out) *out = p;
    return DB_OK;
}
