/*
 * fixtures.c — accounts made directly in the database for API tests (see
 * fixtures.h).
 */
#include "auth/staff_role.h"
#include "support/fixtures.h"
#include "auth/password.h"
#include "db/db.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char SQL_USER[] =
    "INSERT INTO app_user(phone, name, password_hash, must_change_password, password_changed_at,"
    " created_at, updated_at) VALUES ($1, $2, $3, 0, $4, $4, $4) RETURNING id";
/* fixture accounts stand for people who registered: they agreed to the
 * versions current when they were made (tests of the consent gate delete it) */
static const char SQL_CONSENT[] =
    "INSERT INTO user_consent(user_id, terms_version, privacy_version, channel, ip, created_at)"
    " SELECT $1, (SELECT MAX(version) FROM legal_doc WHERE kind = 'terms'),"
    " (SELECT MAX(version) FROM legal_doc WHERE kind = 'privacy'), 'web', '127.0.0.1', $2";
static const char SQL_USER_GET[] = "SELECT name, phone FROM app_user WHERE id = $1";
static const char SQL_ENT[] =
    "INSERT INTO enterprise(name, uscc, status, applicant_role, legal_rep_name, legal_rep_phone,"
    " contact_name, contact_phone, region, industry, scale, channel, applicant_user_id, reviewed_at,"
    " submitted_at, created_at, updated_at)"
    " VALUES ($1, $2, $3, 'legal_rep', $4, $5, $4, $5, $6, '13', 'small', 'seed', $7, $8, $9, $9, $9) RETURNING id";
static const char SQL_MEMBER[] =
    "INSERT INTO membership(enterprise_id, user_id, is_legal_rep, status, created_at, updated_at)"
    " VALUES ($1, $2, $3, 'active', $4, $4)";
static const char SQL_STAFF[] =
    "INSERT INTO staff(username, name, phone, password_hash, role, region, must_change_password,"
    " password_changed_at, created_at, updated_at) VALUES ($1, $1, $2, $3, $4, $5, 0, $6, $6, $6) RETURNING id";

static void hash_pw(const char *pw, char out[AUTH_PW_HASH_MAX])
{
    auth_pw_cost cost = {1, 8192};
    if (auth_pw_hash(pw, cost, out) != 0) fail_msg("argon2id failed");
}

static int64_t insert_returning_id(db_conn *db, db_stmt *s, const char *what)
{
    if (db_step(s) != DB_ROW) fail_msg("%s insert: %s", what, db_errmsg(db));
    int64_t id = db_col_int64(s, 0);
    db_stmt_done(s);
    return id;
}

static db_stmt *prep(db_conn *db, const char *sql)
{
    db_stmt *s = db_prepare(db, sql);
    if (!s) fail_msg("prepare failed: %s: %s", sql, db_errmsg(db));
    return s;
}

int64_t zt_make_user(zt_env *e, const char *phone, const char *password)
{
    char hash[AUTH_PW_HASH_MAX], name[32];
    size_t n = strlen(phone);
    hash_pw(password, hash);
    snprintf(name, sizeof name, "用户%s", n >= 4 ? phone + n - 4 : phone);
    db_conn *db = db_pool_acquire(e->app->pool);
    db_stmt *s = prep(db, SQL_USER);
    db_bind_text(s, 1, phone, -1);
    db_bind_text(s, 2, name, -1);
    db_bind_text(s, 3, hash, -1);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    int64_t id = insert_returning_id(db, s, "app_user");
    s = prep(db, SQL_CONSENT);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    if (db_step(s) != DB_DONE) fail_msg("user_consent insert: %s", db_errmsg(db));
    db_stmt_done(s);
    db_pool_release(e->app->pool, db);
    return id;
}

int64_t zt_make_enterprise(zt_env *e, const char *name, const char *region, const char *status, int64_t legal_rep_user_id)
{
    char body[24], uscc[19];
    long long n = zt_count(e, "SELECT COUNT(*) FROM enterprise") + 1;
    snprintf(body, sizeof body, "91350100MB%07lld", n % 10000000);
    zt_uscc(body, uscc);
    int64_t now = (int64_t)time(NULL);
    db_conn *db = db_pool_acquire(e->app->pool);
    char *lr_name = NULL, *lr_phone = NULL;
    if (legal_rep_user_id) {
        db_stmt *s = prep(db, SQL_USER_GET);
        db_bind_int64(s, 1, legal_rep_user_id);
        if (db_step(s) != DB_ROW) fail_msg("no user %lld", (long long)legal_rep_user_id);
        lr_name = strdup(db_col_text(s, 0));
        lr_phone = strdup(db_col_text(s, 1));
        db_stmt_done(s);
    }
    db_stmt *s = prep(db, SQL_ENT);
    db_bind_text(s, 1, name, -1);
    db_bind_text(s, 2, uscc, -1);
    db_bind_text(s, 3, status, -1);
    db_bind_text(s, 4, lr_name ? lr_name : "李四", -1);
    db_bind_text(s, 5, lr_phone ? lr_phone : "13600000000", -1);
    db_bind_text(s, 6, region, -1);
    if (legal_rep_user_id) db_bind_int64(s, 7, legal_rep_user_id);
    else db_bind_null(s, 7);
    db_bind_int64(s, 8, strcmp(status, "pending") == 0 ? 0 : now);
    db_bind_int64(s, 9, now);
    int64_t id = insert_returning_id(db, s, "enterprise");
    db_pool_release(e->app->pool, db);
    free(lr_name);
    free(lr_phone);
    if (legal_rep_user_id) zt_add_member(e, id, legal_rep_user_id, true);
    return id;
}

void zt_add_member(zt_env *e, int64_t enterprise_id, int64_t user_id, bool is_legal_rep)
{
    db_conn *db = db_pool_acquire(e->app->pool);
    db_stmt *s = prep(db, SQL_MEMBER);
    db_bind_int64(s, 1, enterprise_id);
    db_bind_int64(s, 2, user_id);
    db_bind_int64(s, 3, is_legal_rep ? 1 : 0);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    if (db_step(s) != DB_DONE) fail_msg("membership insert: %s", db_errmsg(db));
    db_stmt_done(s);
    db_pool_release(e->app->pool, db);
}

void zt_staff_phone(const char *username, char out[16])
{
    unsigned h = 5381;
    for (const char *p = username; *p; p++) h = h * 33u + (unsigned char)*p;
    snprintf(out, 16, "1370000%04u", h % 10000u);
}

int64_t zt_make_staff(zt_env *e, const char *username, const char *role, const char *region, const char *password)
{
    char hash[AUTH_PW_HASH_MAX], phone[16];
    hash_pw(password, hash);
    zt_staff_phone(username, phone);
    db_conn *db = db_pool_acquire(e->app->pool);
    db_stmt *s = prep(db, SQL_STAFF);
    db_bind_text(s, 1, username, -1);
    db_bind_text(s, 2, phone, -1);
    db_bind_text(s, 3, hash, -1);
    db_bind_text(s, 4, role, -1);
    if (region) db_bind_text(s, 5, region, -1);
    else db_bind_null(s, 5);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    int64_t id = insert_returning_id(db, s, "staff");
    /* the legacy name picks the built-in role: super → 系统管理员, city → 市级业务员, district → 区级业务员 */
    if (staff_role_grant_builtin(db, id, role) != DB_OK) {
        fprintf(stderr, "zt_make_staff: granting role %s failed\n", role);
        abort();
    }
    db_pool_release(e->app->pool, db);
    return id;
}

static zt_resp *post_json(zt_env *e, zt_client *c, const char *path, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    zt_resp *r = zt_post(e, c, path, text);
    free(text);
    return r;
}

/* Posts body to a login path; when it answers `step_status` with
 * sms_required, posts it again with the code texted to phone (phone NULL:
 * the staff fixture's phone of `username`). Frees body. */
static zt_resp *login_with_sms_step(zt_env *e, zt_client *c, const char *path, json_t *body, int step_status,
                                    const char *phone, const char *username)
{
    if (!c->ip[0]) zt_client_init(c);
    zt_resp *r = post_json(e, c, path, body);
    if (r->status == step_status && json_is_true(zt_json(r, "sms_required"))) {
        zt_resp_free(r);
        char staff_phone[16], code[8];
        if (!phone) {
            zt_staff_phone(username, staff_phone);
            /* the fixture's phone, unless the account was edited since */
            char sql[160];
            snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM staff WHERE username = '%s' AND phone = '%s'", username,
                     staff_phone);
            if (zt_count(e, sql) != 1) fail_msg("staff %s does not have the fixture phone", username);
            phone = staff_phone;
        }
        zt_last_code(e, phone, code);
        json_object_set_new(body, "sms_code", json_string(code));
        r = post_json(e, c, path, body);
    }
    json_decref(body);
    return r;
}

void zt_login(zt_env *e, zt_client *c, const char *phone, const char *password)
{
    /* an initial password: the first login proves the phone (200 sms_required) */
    zt_resp *r = login_with_sms_step(e, c, "/api/v1/auth/login", json_pack("{s:s, s:s}", "phone", phone, "password", password),
                                     200, phone, NULL);
    if (r->status != 200 || !zt_str(r, "csrf_token")) fail_msg("login %s: %d %s", phone, r->status, r->body);
    /* an account made by a fixture or by someone else agrees as the UI
     * would; tests of the consent gate log in with zt_post instead */
    if (json_is_true(zt_json(r, "consent_required"))) {
        char body2[160];
        snprintf(body2, sizeof body2, "{\"terms_version\":%lld,\"privacy_version\":%lld,\"channel\":\"web\"}",
                 zt_int(r, "consent.terms_version"), zt_int(r, "consent.privacy_version"));
        zt_resp *c2 = zt_post(e, c, "/api/v1/me/consents", body2);
        if (c2->status != 201) fail_msg("consent %s: %d %s", phone, c2->status, c2->body);
        zt_resp_free(c2);
    }
    zt_resp_free(r);
}

void zt_staff_login(zt_env *e, zt_client *c, const char *username, const char *password)
{
    /* without --dev: the second factor (202 sms_required) */
    zt_resp *r = login_with_sms_step(e, c, "/api/v1/admin/auth/login",
                                     json_pack("{s:s, s:s}", "username", username, "password", password), 202, NULL,
                                     username);
    if (r->status != 200) fail_msg("staff login %s: %d %s", username, r->status, r->body);
    zt_resp_free(r);
}

void zt_last_code(zt_env *e, const char *phone, char out[8])
{
    db_conn *db = db_pool_acquire(e->app->pool);
    db_stmt *s = prep(db, "SELECT body FROM sms_outbox WHERE phone = $1 AND status = 'sent' ORDER BY id DESC LIMIT 1");
    db_bind_text(s, 1, phone, -1);
    out[0] = '\0';
    if (db_step(s) == DB_ROW) {
        const char *b = db_col_text(s, 0);
        for (const char *p = b; p && *p; p++) {
            size_t n = strspn(p, "0123456789");
            if (n == 6) {
                memcpy(out, p, 6);
                out[6] = '\0';
                break;
            }
            if (n) p += n - 1;
        }
    }
    db_stmt_done(s);
    db_pool_release(e->app->pool, db);
    if (!out[0]) fail_msg("no SMS code in the outbox for %s", phone);
}

char *zt_cli(int (*fn)(int, char **), int *rc, const char *arg0, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, arg0);
    for (const char *a = arg0; a && argc < 31; a = va_arg(ap, const char *)) argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    fflush(stdout);
    FILE *tmp = tmpfile();
    if (!tmp) fail_msg("tmpfile failed");
    int saved = dup(1);
    if (saved < 0 || dup2(fileno(tmp), 1) < 0) fail_msg("cannot redirect stdout");
    *rc = fn(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    long n = (long)lseek(fileno(tmp), 0, SEEK_END);
    char *out = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
    if (!out) fail_msg("out of memory");
    if (n > 0 && pread(fileno(tmp), out, (size_t)n, 0) != n) fail_msg("cannot read captured output");
    fclose(tmp);
    return out;
}

void zt_execf(zt_env *e, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    zt_exec(e, sql);
}

long long zt_countf(zt_env *e, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return zt_count(e, sql);
}
