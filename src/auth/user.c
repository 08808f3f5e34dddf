/*
 * user.c — account look-ups shared by several modules (see user.h).
 */
#include "auth/user.h"
#include "db/db.h"
#include <string.h>

static const char SQL_USER_BY_PHONE[] = "SELECT id, password_hash, disabled, must_change_password FROM app_user WHERE phone = $1";

int auth_user_by_phone(zq_req *q, const char *phone, auth_user *u)
{
    memset(u, 0, sizeof *u);
    db_stmt *s = db_prepare(q->db, SQL_USER_BY_PHONE);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, phone, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        u->id = db_col_int64(s, 0);
        u->hash = zq_arena_strdup(q->arena, db_col_text(s, 1));
        u->disabled = db_col_int64(s, 2) != 0;
        u->must_change_password = db_col_int64(s, 3) != 0;
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}
