/*
 * user.h — looking up enterprise-side accounts, shared by login, password
 * reset and registration (which reuses an account that already has the phone).
 */
#ifndef ZQ_AUTH_USER_H
#define ZQ_AUTH_USER_H
#include <stdbool.h>
#include <stdint.h>
#include "http/req.h"

typedef struct {
    int64_t id;          /* 0 = no account with this phone */
    const char *hash;    /* stored argon2id hash (arena copy) */
    bool disabled;
    bool must_change_password;  /* the password was set by someone else (888888) */
} auth_user;

/* Fills u for the account with this phone (u->id = 0 when none).
 * Returns DB_OK or a negative db_rc. */
int auth_user_by_phone(zq_req *q, const char *phone, auth_user *u);

#endif
