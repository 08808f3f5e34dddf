/*
 * db_sqlite.c — the SQLite engine behind db.h: WAL, foreign keys on,
 * synchronous=FULL, 5 s busy timeout. SQLite reads $1..$n as named
 * parameters numbered by first appearance, so every bind looks its index
 * up by name ("$N") instead of trusting the position.
 */
#include "db/db_internal.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int map_rc(db_conn *c, int rc)
{
    if (rc == SQLITE_OK) return DB_OK;
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    db_set_err(c, "sqlite: %s", c->lite ? sqlite3_errmsg(c->lite) : sqlite3_errstr(rc));
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return DB_ECONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DB_EBUSY;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR: return DB_EUNAVAIL;
    default: return DB_ERR;
    }
}

/* mkdir -p for the directory part of path */
static int make_parent(const char *path)
{
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    if ((size_t)(slash - path) >= sizeof dir) return -1;
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0750) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(dir, 0750) != 0 && errno != EEXIST) return -1;
    return 0;
}

int dbl_open(db_conn *c, const char *path)
{
    bool memory = strcmp(path, ":memory:") == 0;
    if (!memory && make_parent(path) != 0) {
        db_set_err(c, "cannot create the directory of %s: %s", path, strerror(errno));
        return DB_EUNAVAIL;
    }
    int rc = sqlite3_open_v2(path, &c->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        db_set_err(c, "cannot open %s: %s", path, c->lite ? sqlite3_errmsg(c->lite) : sqlite3_errstr(rc));
        return DB_EUNAVAIL;
    }
    sqlite3_busy_timeout(c->lite, 5000);
    sqlite3_extended_result_codes(c->lite, 1);
    rc = dbl_exec(c, memory ? "PRAGMA foreign_keys=ON"
                            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
    return rc;
}

void dbl_close(db_conn *c)
{
    if (c->lite) sqlite3_close_v2(c->lite);
    c->lite = NULL;
}

int dbl_exec(db_conn *c, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->lite, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int r = map_rc(c, rc);
        if (msg) db_set_err(c, "sqlite: %s", msg);
        sqlite3_free(msg);
        return r;
    }
    return DB_OK;
}

int dbl_prepare(db_conn *c, db_stmt *s)
{
    int rc = sqlite3_prepare_v3(c->lite, s->sql, -1, SQLITE_PREPARE_PERSISTENT, &s->ls, NULL);
    if (rc != SQLITE_OK) return map_rc(c, rc);
    return DB_OK;
}

int dbl_bind(db_stmt *s, int idx, const char *text, int len, const void *blob, size_t bloblen, bool is_null, bool is_int, int64_t iv)
{
    char name[16];
    snprintf(name, sizeof name, "$%d", idx);
    int pos = sqlite3_bind_parameter_index(s->ls, name);
    if (pos == 0) {
        db_set_err(s->c, "no parameter %s in statement", name);
        return DB_ERR;
    }
    int rc;
    if (is_null) rc = sqlite3_bind_null(s->ls, pos);
    else if (is_int) rc = sqlite3_bind_int64(s->ls, pos, iv);
    else if (blob) rc = sqlite3_bind_blob64(s->ls, pos, blob, bloblen, SQLITE_TRANSIENT);
    else rc = sqlite3_bind_text(s->ls, pos, text, len, SQLITE_TRANSIENT);
    return map_rc(s->c, rc);
}

int dbl_step(db_stmt *s)
{
    int rc = sqlite3_step(s->ls);
    if (rc == SQLITE_DONE) s->changes = sqlite3_changes64(s->c->lite);
    return map_rc(s->c, rc);
}

void dbl_reset(db_stmt *s)
{
    sqlite3_reset(s->ls);
    sqlite3_clear_bindings(s->ls);
}

void dbl_finalize(db_stmt *s)
{
    if (s->ls) sqlite3_finalize(s->ls);
    s->ls = NULL;
}

bool dbl_in_tx(db_conn *c)
{
    return sqlite3_get_autocommit(c->lite) == 0;
}

int db_backup_sqlite(db_conn *c, const char *out_path, char *err, size_t errlen)
{
    sqlite3 *dst = NULL;
    if (c->engine != DB_SQLITE) {
        snprintf(err, errlen, "online backup is for SQLite; for PostgreSQL use pg_dump -Fc");
        return DB_ERR;
    }
    int rc = sqlite3_open_v2(out_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", out_path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->lite, "main");
    if (!b) {
        snprintf(err, errlen, "backup: %s", sqlite3_errmsg(dst));
        goto fail;
    }
    /* copy in slices so writers on other connections are not held off long */
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup: %s", sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_close(dst);
    return DB_OK;
fail:
    if (dst) sqlite3_close(dst);
    return DB_ERR;
}
