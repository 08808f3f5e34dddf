/*
 * backup.c — consistent online copy of a SQLite database (the sqlite3
 * backup API, copied in slices so writers on other connections are held
 * off only briefly). PostgreSQL has its own tools; asking for a backup of
 * a PG connection returns an error text that says so.
 */
#include "db/db_internal.h"
#include <stdio.h>

#define BACKUP_PAGES_PER_STEP 256
#define BACKUP_RETRY_MS 20
#define BACKUP_MAX_RETRIES 1500 /* × 20 ms: give up after ~30 s of lock contention */

int db_backup_sqlite(db_conn *c, const char *out_path, char *err, size_t errlen)
{
    sqlite3 *dst = NULL;
    sqlite3_backup *b = NULL;
    int rc, retries = 0;
    if (!c || c->ops->engine != DB_SQLITE) {
        snprintf(err, errlen, "online backup is for SQLite; back up PostgreSQL with pg_dump -Fc "
                              "(restore with pg_restore; WAL archiving for point-in-time recovery)");
        return DB_ERR;
    }
    rc = sqlite3_open_v2(out_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", out_path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        goto fail;
    }
    b = sqlite3_backup_init(dst, "main", c->lite, "main");
    if (!b) {
        snprintf(err, errlen, "backup: %s", sqlite3_errmsg(dst));
        goto fail;
    }
    for (;;) {
        rc = sqlite3_backup_step(b, BACKUP_PAGES_PER_STEP);
        if (rc == SQLITE_DONE) break;
        if (rc == SQLITE_OK) continue;
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
            if (++retries > BACKUP_MAX_RETRIES) break;
            sqlite3_sleep(BACKUP_RETRY_MS);
            continue;
        }
        break;
    }
    int frc = sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_DONE || frc != SQLITE_OK) {
        snprintf(err, errlen, "backup to %s failed: %s", out_path, sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
        goto fail;
    }
    rc = sqlite3_close(dst);
    dst = NULL;
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "backup: closing %s: %s", out_path, sqlite3_errstr(rc));
        goto fail;
    }
    return DB_OK;
fail:
    if (b) sqlite3_backup_finish(b);
    if (dst) sqlite3_close_v2(dst);
    return DB_ERR;
}
