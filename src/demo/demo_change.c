/*
 * demo_change.c — demo requests to change a firm's name or district, so
 * the bureau's 信息变更审核 has something to review after `make run`.
 * Written as the enterprise side would write them (src/profile/change.c):
 * the values in force stay, the request holds the new ones.
 */
#include "demo/demo.h"
#include "db/db.h"
#include <stdio.h>
#include <string.h>

static const char SQL_FIRM[] = "SELECT name, uscc, region FROM enterprise WHERE id = $1";
static const char SQL_INSERT[] =
    "INSERT INTO enterprise_change (enterprise_id, new_name, new_uscc, new_region, old_name, old_uscc, old_region,"
    " status, submitted_by, submitted_at) VALUES ($1, $2, NULL, $3, $4, $5, $6, 'pending', $7, $8)";

#define SUFFIX "有限公司"

int demo_change(db_conn *db, int64_t eid, int64_t user_id, const char *move_to, int64_t now)
{
    char name[256], uscc[32], region[16], new_name[300];
    db_stmt *s = db_prepare(db, SQL_FIRM);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, eid);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        snprintf(name, sizeof name, "%s", db_col_text(s, 0));
        snprintf(uscc, sizeof uscc, "%s", db_col_text(s, 1));
        snprintf(region, sizeof region, "%s", db_col_text(s, 2));
    }
    db_stmt_done(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;

    /* a limited company turning into a company limited by shares: the usual
     * reason a firm's registered name changes */
    size_t n = strlen(name), k = strlen(SUFFIX);
    if (n > k && strcmp(name + n - k, SUFFIX) == 0)
        snprintf(new_name, sizeof new_name, "%.*s股份有限公司", (int)(n - k), name);
    else
        snprintf(new_name, sizeof new_name, "%s（集团）", name);

    if (!(s = db_prepare(db, SQL_INSERT))) return DB_ERR;
    db_bind_int64(s, 1, eid);
    db_bind_text(s, 2, new_name, -1);
    if (move_to && strcmp(move_to, region) != 0) db_bind_text(s, 3, move_to, -1);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, name, -1);
    db_bind_text(s, 5, uscc, -1);
    db_bind_text(s, 6, region, -1);
    db_bind_int64(s, 7, user_id);
    db_bind_int64(s, 8, now - 3600 * (eid % 48));
    rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}
