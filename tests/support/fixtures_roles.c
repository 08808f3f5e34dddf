/*
 * fixtures_roles.c — roles, members and member sessions for API tests (see
 * fixtures_roles.h).
 */
#include "support/fixtures_roles.h"
#include "support/fixtures.h"
#include "auth/access.h"
#include "auth/session.h"
#include "core/text.h"
#include "db/db.h"
#include "member/member.h"
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static db_stmt *prep(db_conn *db, const char *sql)
{
    db_stmt *s = db_prepare(db, sql);
    if (!s) fail_msg("prepare failed: %s: %s", sql, db_errmsg(db));
    return s;
}

int64_t zm_role(zt_env *e, int64_t eid, const char *name, const char *perms)
{
    int64_t now = (int64_t)time(NULL);
    db_conn *db = db_pool_acquire(e->app->pool);
    db_stmt *s = prep(db, "INSERT INTO enterprise_role(enterprise_id, name, is_default, created_at, updated_at)"
                          " VALUES ($1, $2, 0, $3, $3) RETURNING id");
    db_bind_int64(s, 1, eid);
    db_bind_text(s, 2, name, -1);
    db_bind_int64(s, 3, now);
    if (db_step(s) != DB_ROW) fail_msg("role insert: %s", db_errmsg(db));
    int64_t id = db_col_int64(s, 0);
    db_stmt_done(s);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", perms);
    char *save = NULL;
    for (char *p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        s = prep(db, "INSERT INTO enterprise_role_perm(role_id, perm) VALUES ($1, $2)");
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, p, -1);
        if (db_step(s) != DB_DONE) fail_msg("role perm insert: %s", db_errmsg(db));
        db_stmt_done(s);
    }
    db_pool_release(e->app->pool, db);
    return id;
}

const char *zm_all_but(const char *perm)
{
    static char out[512];
    char buf[512];
    size_t o = 0;
    snprintf(buf, sizeof buf, "%s", ZM_ALL_PERMS);
    out[0] = '\0';
    char *save = NULL;
    for (char *p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        if (strcmp(p, perm) == 0) continue;
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? " " : "", p);
    }
    return out;
}

int64_t zm_member(zt_env *e, int64_t eid, const char *phone, int64_t role_id)
{
    int64_t uid = zt_make_user(e, phone, ZT_PASSWORD);
    zt_add_member(e, eid, uid, false);
    if (role_id)
        zt_execf(e, "UPDATE membership SET role_id = %lld WHERE enterprise_id = %lld AND user_id = %lld",
                 (long long)role_id, (long long)eid, (long long)uid);
    return uid;
}

void zm_session(zt_env *e, zt_client *c, int64_t user_id, int64_t eid)
{
    int64_t now = (int64_t)time(NULL);
    unsigned char raw[32], craw[32], h[crypto_hash_sha256_BYTES];
    char token[64], csrf[64], hash[65];
    randombytes_buf(raw, sizeof raw);
    randombytes_buf(craw, sizeof craw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_bin2base64(csrf, sizeof csrf, craw, sizeof craw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    zq_hex(h, sizeof h, hash);
    db_conn *db = db_pool_acquire(e->app->pool);
    db_stmt *s = prep(db, "INSERT INTO session(token_hash, user_id, enterprise_id, csrf_token, ip, created_at,"
                          " last_seen_at, idle_expires_at, expires_at) VALUES ($1, $2, $3, $4, '127.0.0.1', $5, $5, $6, $7)");
    db_bind_text(s, 1, hash, -1);
    db_bind_int64(s, 2, user_id);
    if (eid) db_bind_int64(s, 3, eid);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, csrf, -1);
    db_bind_int64(s, 5, now);
    db_bind_int64(s, 6, now + AUTH_SESSION_IDLE);
    db_bind_int64(s, 7, now + AUTH_SESSION_ABSOLUTE);
    if (db_step(s) != DB_DONE) fail_msg("session insert: %s", db_errmsg(db));
    db_stmt_done(s);
    db_pool_release(e->app->pool, db);
    zt_client_init(c);
    snprintf(c->cookie, sizeof c->cookie, "%s=%s", ZQ_SESSION_COOKIE, token);
    snprintf(c->csrf, sizeof c->csrf, "%s", csrf);
}

int64_t zm_enterprise(zt_env *e, zt_client *c, const char *name, const char *phone, int64_t *lr_id)
{
    int64_t uid = zt_make_user(e, phone, ZT_PASSWORD);
    int64_t eid = zt_make_enterprise(e, name, "350102", "approved", uid);
    zm_session(e, c, uid, eid);
    if (lr_id) *lr_id = uid;
    return eid;
}

int64_t zm_member_with(zt_env *e, zt_client *c, int64_t eid, const char *phone, const char *perms, int64_t *role_id)
{
    char name[32];
    snprintf(name, sizeof name, "角色%s", phone + strlen(phone) - 4);
    int64_t rid = zm_role(e, eid, name, perms);
    int64_t uid = zm_member(e, eid, phone, rid);
    zm_session(e, c, uid, eid);
    if (role_id) *role_id = rid;
    return uid;
}

int64_t zm_default_role(zt_env *e, int64_t eid, const char *name)
{
    db_conn *db = db_pool_acquire(e->app->pool);
    int n = member_create_default_roles(db, eid, (int64_t)time(NULL));
    if (n < 0) fail_msg("default roles: %s", db_errmsg(db));
    db_stmt *s = prep(db, "SELECT id FROM enterprise_role WHERE enterprise_id = $1 AND name = $2");
    db_bind_int64(s, 1, eid);
    db_bind_text(s, 2, name, -1);
    if (db_step(s) != DB_ROW) fail_msg("no role %s", name);
    int64_t id = db_col_int64(s, 0);
    db_stmt_done(s);
    db_pool_release(e->app->pool, db);
    return id;
}

zt_resp *zm_send(zt_env *e, zt_client *c, const char *method, const char *path, const char *fmt, ...)
{
    char *body = NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        int n = vasprintf(&body, fmt, ap);
        va_end(ap);
        assert_true(n >= 0);
    }
    zt_resp *r = zt_req(e, c, method, path, body, NULL);
    free(body);
    return r;
}

long long zm_audits(zt_env *e, const char *action)
{
    return zt_countf(e, "SELECT COUNT(*) FROM audit_log WHERE action = '%s'", action);
}

void zm_expect_no_perm(zt_resp *r)
{
    const char *msg = zt_str(r, "error.message");
    if (r->status != 403 || !msg || !strstr(msg, "没有该权限"))
        fail_msg("expected the permission gate's 403, got %d: %s", r->status, r->body);
    zt_expect(r, 403, "forbidden");
}
