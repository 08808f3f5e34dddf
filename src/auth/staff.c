/*
 * staff.c — staff account rules and creation (see staff.h).
 */
#include "auth/staff.h"
#include "auth/password.h"
#include "auth/password_policy.h"
#include "auth/staff_role.h"
#include "db/db.h"
#include <sodium.h>
#include <string.h>

static const char SQL_REGION_KIND[] =
    "SELECT kind FROM dict_item WHERE type = 'region' AND code = $1 AND enabled = 1";
static const char SQL_INSERT[] =
    "INSERT INTO staff(username, name, phone, password_hash, role, region, disabled, must_change_password,"
    " password_changed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 1, 0, $7, $7) RETURNING id";

const char *staff_check_username(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 3 || n > 32) return "用户名须为 3 到 32 个字符";
    if (!(u[0] >= 'a' && u[0] <= 'z')) return "用户名须以字母开头";
    for (const char *p = u; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
            return "用户名只能包含小写字母、数字和 _ . -";
    return NULL;
}

const char *staff_check_role(const char *role)
{
    if (role && (strcmp(role, "super") == 0 || strcmp(role, "city") == 0 || strcmp(role, "district") == 0))
        return NULL;
    return "角色须为 super（系统管理员）、city（市级）或 district（区县级）";
}

const char *staff_check_region(db_conn *db, const char *role, const char *region, bool *dberr)
{
    *dberr = false;
    if (!role || strcmp(role, "district") != 0)
        return region ? "市级和系统管理员账号不绑定区县" : NULL;
    if (!region) return "区县级账号须选择所属区县";
    db_stmt *s = db_prepare(db, SQL_REGION_KIND);
    if (!s) {
        *dberr = true;
        return "数据库错误";
    }
    db_bind_text(s, 1, region, -1);
    int rc = db_step(s);
    bool ok = rc == DB_ROW && !(db_col_text(s, 0) && strcmp(db_col_text(s, 0), "city") == 0);
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) {
        *dberr = true;
        return "数据库错误";
    }
    return ok ? NULL : "请选择有效的区县";
}

char *staff_lower(char *s)
{
    for (char *p = s; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return s;
}

void staff_one_time_password(const char *phone, char out[STAFF_OTP_LEN + 1])
{
    /* no 0/O, 1/l/I: read aloud or copied from a screen without mistakes */
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    const uint32_t n = (uint32_t)(sizeof alphabet - 1);
    const auth_pw_owner who = {.phone = phone};
    do {
        for (int i = 0; i < STAFF_OTP_LEN; i++) out[i] = alphabet[randombytes_uniform(n)];
        out[STAFF_OTP_LEN] = '\0';
    } while (auth_pw_policy(NULL, out, &who) != NULL);
}

int staff_insert(db_conn *db, const staff_input *in, const char *pw_hash, int64_t now, int64_t *id)
{
    db_stmt *s = db_prepare(db, SQL_INSERT);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, in->username, -1);
    db_bind_text(s, 2, in->name && *in->name ? in->name : in->username, -1);
    db_bind_text(s, 3, in->phone, -1);
    db_bind_text(s, 4, pw_hash, -1);
    db_bind_text(s, 5, in->role, -1);
    if (in->region) db_bind_text(s, 6, in->region, -1);
    else db_bind_null(s, 6);
    db_bind_int64(s, 7, now);
    int rc = db_step(s);
    if (rc == DB_ROW) *id = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return rc;
    return in->role_ids ? staff_role_grant(db, *id, in->role_ids, in->n_roles)
                        : staff_role_grant_builtin(db, *id, in->role);
}
