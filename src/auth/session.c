/*
 * session.c — creates, loads, refreshes and revokes sessions (session.h,
 * access.h).
 */
#include "auth/session.h"
#include "auth/staff_role.h"
#include "auth/access.h"
#include "core/text.h"
#include "db/db.h"
#include "legal/legal.h"
#include "auth/member_perm.h"
#include <sodium.h>
#include <string.h>

/* The session with its person's row (the user's or the staff member's
 * columns, the other side NULL): one round trip on every request instead
 * of two. The person's columns are in USER_COLS / STAFF_COLS order. */
#define USER_COLS "u.name, u.phone, u.must_change_password, u.disabled"
#define STAFF_COLS "st.name, st.phone, st.role, st.region, st.must_change_password, st.disabled"
#define LOAD_USER_AT 8
#define LOAD_STAFF_AT 12
static const char SQL_LOAD[] =
    "SELECT s.id, s.user_id, s.staff_id, s.enterprise_id, s.csrf_token, s.last_seen_at, s.idle_expires_at,"
    " s.expires_at, " USER_COLS ", " STAFF_COLS
    " FROM session s LEFT JOIN app_user u ON u.id = s.user_id LEFT JOIN staff st ON st.id = s.staff_id"
    " WHERE s.token_hash = $1 AND s.revoked_at = 0";
static const char SQL_USER[] = "SELECT " USER_COLS " FROM app_user u WHERE u.id = $1";
static const char SQL_MEMBER[] =
    "SELECT m.is_legal_rep, e.status, m.role_id FROM membership m JOIN enterprise e ON e.id = m.enterprise_id"
    " WHERE m.enterprise_id = $1 AND m.user_id = $2 AND m.status = 'active'";
/* the permissions of the member's role (src/member/), scoped to the
 * enterprise so a role id of another enterprise grants nothing */
static const char SQL_ROLE_PERMS[] =
    "SELECT p.perm FROM enterprise_role_perm p JOIN enterprise_role r ON r.id = p.role_id"
    " WHERE p.role_id = $1 AND r.enterprise_id = $2 ORDER BY p.perm";
#define SESSION_PERMS_MAX 1024
static const char SQL_STAFF[] = "SELECT " STAFF_COLS " FROM staff st WHERE st.id = $1";
static const char SQL_TOUCH[] = "UPDATE session SET last_seen_at = $1, idle_expires_at = $2 WHERE id = $3";
static const char SQL_CREATE[] =
    "INSERT INTO session(token_hash, user_id, staff_id, enterprise_id, csrf_token, ip, user_agent,"
    " created_at, last_seen_at, idle_expires_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8,$9,$10)";
static const char SQL_REVOKE[] = "UPDATE session SET revoked_at = $1 WHERE id = $2";
static const char SQL_REVOKE_USER[] =
    "UPDATE session SET revoked_at = $1 WHERE user_id = $2 AND id <> $3 AND revoked_at = 0";
static const char SQL_REVOKE_STAFF[] =
    "UPDATE session SET revoked_at = $1 WHERE staff_id = $2 AND id <> $3 AND revoked_at = 0";
static const char SQL_SET_ENT[] = "UPDATE session SET enterprise_id = $1 WHERE id = $2";

static void token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    zq_hex(h, sizeof h, out);
}

/* Space-separated permission codes of role_id in enterprise_id, in the
 * arena; NULL when the role grants nothing (or on error: fail closed). */
static const char *role_perms(zq_req *q, int64_t role_id, int64_t enterprise_id)
{
    char buf[SESSION_PERMS_MAX];
    size_t o = 0;
    db_stmt *s = db_prepare(q->db, SQL_ROLE_PERMS);
    if (!s) return NULL;
    db_bind_int64(s, 1, role_id);
    db_bind_int64(s, 2, enterprise_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *p = db_col_text(s, 0);
        size_t n = p ? strlen(p) : 0;
        if (!n || o + n + 2 > sizeof buf) continue; /* a code that does not fit is not granted */
        if (o) buf[o++] = ' ';
        memcpy(buf + o, p, n);
        o += n;
    }
    db_stmt_done(s);
    if (rc != DB_DONE || !o) return NULL;
    buf[o] = '\0';
    return zq_arena_strdup(q->arena, buf);
}

/* The user's columns (USER_COLS) of row s from column at; false if the
 * account may not act (gone or disabled). */
static bool user_cols(zq_req *q, zq_session *ss, db_stmt *s, int at)
{
    if (db_col_is_null(s, at + 3) || db_col_int64(s, at + 3) != 0) return false;
    ss->actor_name = db_col_dup(q->arena, s, at);
    ss->phone = db_col_dup(q->arena, s, at + 1);
    ss->must_change_password = db_col_int64(s, at + 2) != 0;
    return true;
}

/* The staff member's columns (STAFF_COLS), likewise. */
static bool staff_cols(zq_req *q, zq_session *ss, db_stmt *s, int at)
{
    if (db_col_is_null(s, at + 5) || db_col_int64(s, at + 5) != 0) return false;
    ss->actor_name = db_col_dup(q->arena, s, at);
    ss->phone = db_col_dup(q->arena, s, at + 1);
    ss->staff_role = db_col_dup(q->arena, s, at + 2);
    ss->staff_region = db_col_dup(q->arena, s, at + 3);
    /* a legacy district account without its district: a scope that
     * matches nothing, never the whole city */
    if (ss->staff_role && strcmp(ss->staff_role, "district") == 0 && !ss->staff_region) ss->staff_region = "-";
    ss->must_change_password = db_col_int64(s, at + 4) != 0;
    return true;
}

/* What the person's row does not hold: a user's consent, membership and
 * role permissions; a staff member's permissions. false if the account
 * may not act (a failed look-up leaves the session unloaded: the gate
 * fails closed). */
static bool load_rest(zq_req *q, zq_session *ss)
{
    db_stmt *s;
    if (!ss->user_id)
        /* once per request: the union of the account's roles */
        return staff_role_perms(q->db, q->arena, ss->staff_id, &ss->perms) == DB_OK;
    /* a failed look-up leaves it required: the gate fails closed */
    legal_consent_required(q->db, ss->user_id, &ss->consent_required);
    if (ss->enterprise_id) {
        if (!(s = db_prepare(q->db, SQL_MEMBER))) return false;
        db_bind_int64(s, 1, ss->enterprise_id);
        db_bind_int64(s, 2, ss->user_id);
        int64_t role_id = 0;
        if (db_step(s) == DB_ROW) {
            ss->is_legal_rep = db_col_int64(s, 0) != 0;
            ss->enterprise_status = db_col_dup(q->arena, s, 1);
            role_id = db_col_int64(s, 2);
        } else {
            ss->enterprise_id = 0; /* removed from that enterprise: no access to it */
        }
        db_stmt_done(s);
        /* the legal rep holds every permission; others their role's */
        if (ss->is_legal_rep) ss->perms = member_perm_all();
        else if (ss->enterprise_id && role_id) ss->perms = role_perms(q, role_id, ss->enterprise_id);
    }
    return true;
}

/* Fills the person and enterprise parts afresh; false if the account may not act. */
static bool load_person(zq_req *q, zq_session *ss)
{
    db_stmt *s = db_prepare(q->db, ss->user_id ? SQL_USER : SQL_STAFF);
    if (!s) return false;
    db_bind_int64(s, 1, ss->user_id ? ss->user_id : ss->staff_id);
    bool ok = db_step(s) == DB_ROW && (ss->user_id ? user_cols(q, ss, s, 0) : staff_cols(q, ss, s, 0));
    db_stmt_done(s);
    return ok && load_rest(q, ss);
}

static void load_by_hash(zq_req *q, const char *hash)
{
    db_stmt *s = db_prepare(q->db, SQL_LOAD);
    if (!s) return;
    db_bind_text(s, 1, hash, -1);
    if (db_step(s) != DB_ROW) {
        db_stmt_done(s);
        return;
    }
    zq_session *ss = zq_arena_alloc(q->arena, sizeof *ss);
    if (!ss) {
        db_stmt_done(s);
        return;
    }
    ss->id = db_col_int64(s, 0);
    ss->user_id = db_col_int64(s, 1);
    ss->staff_id = db_col_int64(s, 2);
    ss->enterprise_id = db_col_int64(s, 3);
    ss->csrf_token = db_col_dup(q->arena, s, 4);
    int64_t last_seen = db_col_int64(s, 5), idle_exp = db_col_int64(s, 6), abs_exp = db_col_int64(s, 7);
    bool ok = q->now < idle_exp && q->now < abs_exp &&
              (ss->user_id ? user_cols(q, ss, s, LOAD_USER_AT) : staff_cols(q, ss, s, LOAD_STAFF_AT));
    db_stmt_done(s);
    if (!ok || !load_rest(q, ss)) return;
    /* refresh the idle window at most once a minute: no write per request;
     * and without waiting for the disk: a touch lost in a power cut only
     * shortens one idle window, while an fsync per touch would double the
     * disk waits of a firm's first request of the minute */
    if (q->now - last_seen >= 60 && !db_in_tx(q->db) && db_set_relaxed(q->db, true) == DB_OK) {
        if ((s = db_prepare(q->db, SQL_TOUCH))) {
            int64_t idle = q->now + AUTH_SESSION_IDLE;
            db_bind_int64(s, 1, q->now);
            db_bind_int64(s, 2, idle < abs_exp ? idle : abs_exp);
            db_bind_int64(s, 3, ss->id);
            db_step(s);
            db_stmt_done(s);
        }
        db_set_relaxed(q->db, false);
    }
    q->session = ss;
}

void auth_session_load(zq_req *q)
{
    q->session = NULL;
    const char *tok = zq_req_cookie(q, ZQ_SESSION_COOKIE);
    if (!tok || strlen(tok) != 43) return;
    char hash[65];
    token_hash(tok, hash);
    load_by_hash(q, hash);
}

void auth_session_reload(zq_req *q)
{
    if (!q->session) return;
    int64_t id = q->session->id;
    zq_session *ss = q->session;
    const char *csrf = ss->csrf_token;
    zq_session fresh = {.id = id, .user_id = ss->user_id, .staff_id = ss->staff_id,
                        .enterprise_id = ss->enterprise_id, .csrf_token = csrf};
    if (load_person(q, &fresh)) *ss = fresh;
}

static bool behind_https(const zq_req *q)
{
    const char *p = zq_req_header(q, "x-forwarded-proto");
    return p && strcmp(p, "https") == 0;
}

zq_err auth_session_create(zq_req *q, zq_resp *r, int64_t user_id, int64_t staff_id, int64_t enterprise_id)
{
    unsigned char raw[32], craw[32];
    char token[64], csrf[64], hash[65];
    randombytes_buf(raw, sizeof raw);
    randombytes_buf(craw, sizeof craw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_bin2base64(csrf, sizeof csrf, craw, sizeof craw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    token_hash(token, hash);

    db_stmt *s = db_prepare(q->db, SQL_CREATE);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, hash, -1);
    if (user_id) db_bind_int64(s, 2, user_id); else db_bind_null(s, 2);
    if (staff_id) db_bind_int64(s, 3, staff_id); else db_bind_null(s, 3);
    if (enterprise_id) db_bind_int64(s, 4, enterprise_id); else db_bind_null(s, 4);
    db_bind_text(s, 5, csrf, -1);
    db_bind_text(s, 6, q->client_ip, -1);
    const char *ua = zq_req_header(q, "user-agent");
    db_bind_text(s, 7, ua, ua ? (int)(strlen(ua) > 200 ? 200 : strlen(ua)) : -1);
    db_bind_int64(s, 8, q->now);
    db_bind_int64(s, 9, q->now + AUTH_SESSION_IDLE);
    db_bind_int64(s, 10, q->now + AUTH_SESSION_ABSOLUTE);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    zq_resp_header(q->arena, r, "Set-Cookie",
                   zq_arena_printf(q->arena, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
                                   ZQ_SESSION_COOKIE, token, AUTH_SESSION_ABSOLUTE, behind_https(q) ? "; Secure" : ""));
    q->session = NULL;
    load_by_hash(q, hash);
    if (!q->session) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return ZQ_OK;
}

zq_err auth_session_logout(zq_req *q, zq_resp *r)
{
    if (q->session) {
        db_stmt *s = db_prepare(q->db, SQL_REVOKE);
        if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        db_bind_int64(s, 1, q->now);
        db_bind_int64(s, 2, q->session->id);
        int rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    zq_resp_header(q->arena, r, "Set-Cookie",
                   zq_arena_printf(q->arena, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", ZQ_SESSION_COOKIE,
                                   behind_https(q) ? "; Secure" : ""));
    return ZQ_OK;
}

int auth_session_revoke_all(db_conn *db, int64_t user_id, int64_t staff_id, int64_t keep_id, int64_t now)
{
    db_stmt *s = db_prepare(db, user_id ? SQL_REVOKE_USER : SQL_REVOKE_STAFF);
    if (!s) return -1;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, user_id ? user_id : staff_id);
    db_bind_int64(s, 3, keep_id);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? 0 : -1;
}

int auth_session_set_enterprise(zq_req *q, int64_t enterprise_id)
{
    if (!q->session) return -1;
    db_stmt *s = db_prepare(q->db, SQL_SET_ENT);
    if (!s) return -1;
    db_bind_int64(s, 1, enterprise_id);
    db_bind_int64(s, 2, q->session->id);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return -1;
    q->session->enterprise_id = enterprise_id;
    auth_session_reload(q);
    return 0;
}
