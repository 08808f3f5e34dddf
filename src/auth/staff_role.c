/*
 * staff_role.c — staff roles in the database (see staff_role.h).
 */
#include "auth/staff_role.h"
#include "auth/staff_perm.h"
#include "core/arena.h"
#include "db/db.h"
#include <string.h>

static const char SQL_GRANT_BUILTIN[] =
    "INSERT INTO staff_role_grant(staff_id, role_id) SELECT $1, id FROM staff_role_def WHERE builtin = $2";
static const char SQL_GRANT_CLEAR[] = "DELETE FROM staff_role_grant WHERE staff_id = $1";
static const char SQL_GRANT_ONE[] = "INSERT INTO staff_role_grant(staff_id, role_id) VALUES ($1, $2)";
static const char SQL_ROLE_ONE[] = "SELECT all_perms FROM staff_role_def WHERE id = $1";
/* One statement for the set (it runs on every staff request): a role
 * granting everything comes first; otherwise the perms in order, a code
 * two roles share once, and a role without perms only as a NULL row. */
static const char SQL_PERMS[] =
    "SELECT r.all_perms, p.perm FROM staff_role_grant g JOIN staff_role_def r ON r.id = g.role_id"
    " LEFT JOIN staff_role_perm p ON p.role_id = g.role_id"
    " WHERE g.staff_id = $1 ORDER BY r.all_perms DESC, p.perm";

static int step_done(db_stmt *s)
{
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int staff_role_grant_builtin(db_conn *db, int64_t staff_id, const char *legacy)
{
    db_stmt *s = db_prepare(db, SQL_GRANT_BUILTIN);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, staff_id);
    db_bind_text(s, 2, legacy, -1);
    return step_done(s);
}

int staff_role_grant(db_conn *db, int64_t staff_id, const int64_t *ids, int n)
{
    db_stmt *s = db_prepare(db, SQL_GRANT_CLEAR);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, staff_id);
    int rc = step_done(s);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        if (!(s = db_prepare(db, SQL_GRANT_ONE))) return DB_ERR;
        db_bind_int64(s, 1, staff_id);
        db_bind_int64(s, 2, ids[i]);
        rc = step_done(s);
    }
    return rc;
}

int staff_role_check(db_conn *db, const int64_t *ids, int n, int64_t *missing, bool *all_perms)
{
    *missing = 0;
    *all_perms = false;
    for (int i = 0; i < n; i++) {
        db_stmt *s = db_prepare(db, SQL_ROLE_ONE);
        if (!s) return DB_ERR;
        db_bind_int64(s, 1, ids[i]);
        int rc = db_step(s);
        if (rc == DB_ROW && db_col_int64(s, 0)) *all_perms = true;
        db_stmt_done(s);
        if (rc == DB_DONE && !*missing) *missing = ids[i];
        else if (rc != DB_ROW && rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    return DB_OK;
}

const char *staff_role_legacy(bool all_perms, const char *region)
{
    return all_perms ? "super" : region && *region ? "district" : "city";
}

int staff_role_perms(db_conn *db, zq_arena *a, int64_t staff_id, const char **out)
{
    *out = NULL;
    db_stmt *s = db_prepare(db, SQL_PERMS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, staff_id);
    char buf[1024];
    size_t len = 0, last = 0;
    buf[0] = '\0';
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (db_col_int64(s, 0)) {
            db_stmt_done(s);
            *out = staff_perm_all();
            return DB_OK;
        }
        const char *p = db_col_text(s, 1);
        /* only catalogue codes, so the buffer (sized for all of them) holds the set */
        if (!p || !staff_perm_known(p)) continue;
        size_t n = strlen(p);
        if (len && strcmp(buf + last, p) == 0) continue; /* ordered: a repeat follows its twin */
        if (len + n + 2 > sizeof buf) break;
        if (len) buf[len++] = ' ';
        last = len;
        memcpy(buf + len, p, n + 1);
        len += n;
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    *out = zq_arena_strdup(a, buf);
    return *out ? DB_OK : DB_ERR;
}
