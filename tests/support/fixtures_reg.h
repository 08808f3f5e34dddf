/*
 * fixtures_reg.h — test fixtures for registration, review and invites: a
 * valid registration form to start from, SMS codes read back from the
 * outbox, distinct valid USCCs, bureau staff sessions, and single text
 * values from SQL.
 */
#ifndef ZT_FIXTURES_REG_H
#define ZT_FIXTURES_REG_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "support/zt.h"

#define ZR_PASSWORD "Fz-Trade#2024"

/* A valid USCC numbered n (distinct n → distinct codes). */
void zr_uscc(int n, char out[19]);

/* A new JSON object holding a complete, valid registration form (without
 * sms_code): legal-rep applicant, district 350102, industry 13, one
 * characteristic, scale small, contact_phone = phone, agreeing to the
 * first 用户协议/隐私政策 versions ("agree"). Caller decrefs. */
json_t *zr_form(const char *uscc, const char *phone);
/* The same with every optional field filled in. */
json_t *zr_form_full(const char *uscc, const char *phone);

/* Sets form[key] to the string v (NULL removes the key). */
void zr_set(json_t *form, const char *key, const char *v);

/* Asks POST /api/v1/sms/send for a register code to phone (from c's IP)
 * and reads it back from sms_outbox. Fails the test if none arrives. */
void zr_sms_code(zt_env *e, zt_client *c, const char *phone, const char *purpose, char out[16]);

/* POST /api/v1/register with form plus a fresh SMS code for its
 * contact_phone. The form is not consumed. */
zt_resp *zr_register(zt_env *e, zt_client *c, json_t *form);
/* POST/PUT any JSON object. */
zt_resp *zr_send(zt_env *e, zt_client *c, const char *method, const char *path, json_t *body);

/* Registers a fresh enterprise numbered n in region with a fresh client
 * (logged in afterwards) and returns the enterprise id. */
int64_t zr_register_ok(zt_env *e, zt_client *c, int n, const char *region);

/* Creates a bureau staff account (role city | district | super; region
 * for district) with zt_make_staff and logs c in through the staff login. */
int64_t zr_staff(zt_env *e, zt_client *c, const char *username, const char *role, const char *region);

/* First column of the first row of sql as a malloc'd string (NULL when
 * no row or NULL). */
char *zr_text(zt_env *e, const char *sql);
/* zt_count with printf formatting. */
long long zr_countf(zt_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
