/*
 * staff.h — bureau staff accounts: the rules for usernames, roles and
 * districts, one-time passwords, and creating an account. Shared by the
 * staff management API (staff_api.c) and `zhengqi staff create`.
 *
 * Legacy roles: super, city, district name the built-in staff roles
 * 系统管理员, 市级业务员, 区级业务员 (staff_role.h); an account may hold any
 * set of roles, and its region is its data scope (NULL = the whole city).
 */
#ifndef ZQ_AUTH_STAFF_H
#define ZQ_AUTH_STAFF_H
#include <stdbool.h>
#include <stdint.h>

struct db_conn;

#define STAFF_OTP_LEN 12
#define STAFF_NAME_MAX_CHARS 30

typedef struct {
    const char *username;  /* already lower-cased */
    const char *name;      /* NULL = username */
    const char *phone;
    const char *role;      /* legacy name: super | city | district */
    const char *region;    /* district only, else NULL */
    const int64_t *role_ids; /* roles to grant; NULL = the built-in role for `role` */
    int n_roles;
} staff_input;

/* Each returns NULL when acceptable, else the reason (Chinese). */
const char *staff_check_username(const char *username);
const char *staff_check_role(const char *role);
/* district: region must be an enabled region below the city (kind ≠ city);
 * super/city: region must be NULL. *dberr is set on a database error. */
const char *staff_check_region(struct db_conn *db, const char *role, const char *region, bool *dberr);

/* Lower-cases an ASCII username in place; returns it. */
char *staff_lower(char *s);

/* A fresh one-time password of STAFF_OTP_LEN characters that passes the
 * password policy for that phone (no look-alike characters). */
void staff_one_time_password(const char *phone, char out[STAFF_OTP_LEN + 1]);

/* Inserts the account with the given argon2id hash, must_change_password
 * set, and grants its roles (inside the caller's transaction). DB_OK (*id set), DB_ECONSTRAINT when the username is taken, or
 * another db_rc. */
int staff_insert(struct db_conn *db, const staff_input *in, const char *pw_hash, int64_t now, int64_t *id);

#endif
