/*
 * common.c — the reads and writes roles.c, employees.c and joinreq.c share
 * (member_internal.h): a role or a member of the caller's enterprise, read
 * under lock; making a membership active; small response helpers.
 */
#include "member/member_internal.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/text.h"
#include "db/db.h"
#include "core/clock.h"
#include <string.h>

/* Row locks exist on PostgreSQL only; SQLite's BEGIN IMMEDIATE already
 * holds the one write lock for the whole transaction. */
#define ROLE_SELECT "SELECT id, name, is_default, created_at, updated_at FROM enterprise_role WHERE id = $1 AND enterprise_id = $2"
static const char SQL_ROLE_LITE[] = ROLE_SELECT;
static const char SQL_ROLE_PG[] = ROLE_SELECT " FOR UPDATE";
static const char SQL_ROLE_PERMS[] =
    "SELECT p.perm FROM enterprise_role_perm p JOIN enterprise_role r ON r.id = p.role_id"
    " WHERE p.role_id = $1 AND r.enterprise_id = $2";
#define MEMBER_SELECT                                                                         \
    "SELECT m.is_legal_rep, m.role_id, u.name, u.phone FROM membership m"                     \
    " JOIN app_user u ON u.id = m.user_id"                                                    \
    " WHERE m.enterprise_id = $1 AND m.user_id = $2 AND m.status = 'active'"
static const char SQL_MEMBER_LITE[] = MEMBER_SELECT;
static const char SQL_MEMBER_PG[] = MEMBER_SELECT " FOR UPDATE OF m";
#define MSTATUS_SELECT "SELECT status FROM membership WHERE enterprise_id = $1 AND user_id = $2"
static const char SQL_MSTATUS_LITE[] = MSTATUS_SELECT;
static const char SQL_MSTATUS_PG[] = MSTATUS_SELECT " FOR UPDATE";
static const char SQL_MEMBER_REVIVE[] =
    "UPDATE membership SET status = 'active', is_legal_rep = 0, role_id = $3, updated_at = $4"
    " WHERE enterprise_id = $1 AND user_id = $2";
static const char SQL_MEMBER_INSERT[] =
    "INSERT INTO membership(enterprise_id, user_id, is_legal_rep, role_id, status, created_at, updated_at)"
    " VALUES ($1, $2, 0, $3, 'active', $4, $4)";
static const char SQL_JOIN_CLOSE[] =
    "UPDATE join_request SET status = 'approved', decided_by = $3, decided_at = $4"
    " WHERE enterprise_id = $1 AND user_id = $2 AND status = 'pending'";

static const char SQL_ACTIVE[] =
    "SELECT COUNT(*) FROM membership WHERE enterprise_id = $1 AND user_id = $2 AND status = 'active'";
static const char SQL_REGION[] = "SELECT region FROM enterprise WHERE id = $1";

bool mb_is_pg(const zq_req *q)
{
    return db_conn_engine(q->db) == DB_POSTGRES;
}

/* Permissions of role_id of the caller's enterprise into *mask. */
static int role_perms(zq_req *q, int64_t role_id, unsigned *mask)
{
    *mask = 0;
    db_stmt *s = db_prepare(q->db, SQL_ROLE_PERMS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, role_id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) *mask |= member_perm_bit(db_col_text(s, 0));
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int mb_role_lock(zq_req *q, int64_t id, mb_role *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(q->db, mb_is_pg(q) ? SQL_ROLE_PG : SQL_ROLE_LITE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->id = db_col_int64(s, 0);
        out->name = zq_arena_strdup(q->arena, db_col_text(s, 1));
        out->is_default = db_col_int64(s, 2) != 0;
        out->created_at = db_col_int64(s, 3);
        out->updated_at = db_col_int64(s, 4);
        if (!out->name) rc = DB_ERR;
    }
    db_stmt_done(s);
    if (rc != DB_ROW) return rc;
    int prc = role_perms(q, id, &out->perms);
    return prc == DB_OK ? DB_ROW : prc;
}

int mb_member_lock(zq_req *q, int64_t user_id, mb_member *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(q->db, mb_is_pg(q) ? SQL_MEMBER_PG : SQL_MEMBER_LITE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, user_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->user_id = user_id;
        out->is_legal_rep = db_col_int64(s, 0) != 0;
        out->role_id = db_col_int64(s, 1);
        out->name = zq_arena_strdup(q->arena, db_col_text(s, 2));
        out->phone = zq_arena_strdup(q->arena, db_col_text(s, 3));
        if (!out->name || !out->phone) rc = DB_ERR;
    }
    db_stmt_done(s);
    if (rc != DB_ROW) return rc;
    if (out->is_legal_rep) {
        out->perms = member_perm_all_mask();
        return DB_ROW;
    }
    if (!out->role_id) return DB_ROW;
    int prc = role_perms(q, out->role_id, &out->perms);
    return prc == DB_OK ? DB_ROW : prc;
}

static int exec3(zq_req *q, const char *sql, int64_t a, int64_t b, int64_t c, bool c_null, int64_t d)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, a);
    db_bind_int64(s, 2, b);
    if (c_null) db_bind_null(s, 3);
    else db_bind_int64(s, 3, c);
    db_bind_int64(s, 4, d);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int mb_member_activate(zq_req *q, int64_t user_id, int64_t role_id, bool *was_active)
{
    return mb_member_activate_in(q, q->session->enterprise_id, user_id, role_id, q->session->user_id, was_active);
}

int mb_member_activate_in(zq_req *q, int64_t eid, int64_t user_id, int64_t role_id, int64_t decided_by,
                          bool *was_active)
{
    *was_active = false;
    db_stmt *s = db_prepare(q->db, mb_is_pg(q) ? SQL_MSTATUS_PG : SQL_MSTATUS_LITE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, user_id);
    int rc = db_step(s);
    bool exists = rc == DB_ROW;
    bool active = exists && strcmp(db_col_text(s, 0), "active") == 0;
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if (active) {
        *was_active = true;
        return DB_OK;
    }
    rc = exec3(q, exists ? SQL_MEMBER_REVIVE : SQL_MEMBER_INSERT, eid, user_id, role_id, role_id == 0, q->now);
    if (rc != DB_OK) return rc;
    return exec3(q, SQL_JOIN_CLOSE, eid, user_id, decided_by, false, q->now);
}

int mb_member_is_active(zq_req *q, int64_t eid, int64_t user_id, bool *active)
{
    *active = false;
    db_stmt *s = db_prepare(q->db, SQL_ACTIVE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, user_id);
    int rc = db_step(s);
    if (rc == DB_ROW) *active = db_col_int64(s, 0) > 0;
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

zq_err mb_respond_row(zq_req *q, zq_resp *r, const char *sql, int64_t a, int64_t b, int status, mb_row_writer write)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, a);
    db_bind_int64(s, 2, b);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_INTERNAL, NULL);
    }
    zq_jw w;
    zq_resp_json(r, &w, status);
    write(q, &w, s);
    db_stmt_done(s);
    return ZQ_OK;
}

int64_t mb_param_id(const zq_req *q, const char *name)
{
    int64_t id = 0;
    const char *p = zq_req_param(q, name);
    if (!p || !zq_parse_int64(p, 1, INT64_MAX, &id)) return 0;
    return id;
}

zq_err mb_fail_tx(zq_req *q, zq_resp *r, zq_err e, const char *msg)
{
    if (db_in_tx(q->db)) db_rollback(q->db);
    return zq_fail(r, e, msg);
}

zq_err mb_fail_db(zq_req *q, zq_resp *r, int rc)
{
    return mb_fail_tx(q, r, rc == DB_EBUSY || rc == DB_EUNAVAIL ? ZQ_E_UNAVAILABLE : ZQ_E_INTERNAL, NULL);
}

const char *mb_id_str(zq_req *q, int64_t id)
{
    return zq_arena_printf(q->arena, "%lld", (long long)id);
}

void mb_jw_time(zq_jw *w, const char *key, int64_t t)
{
    zq_jw_ktime(w, key, t);
}

const char *mb_json_str(zq_req *q, const char *s)
{
    if (!s) return "null";
    zq_buf b;
    zq_buf_init(&b, 8192);
    zq_json_escape(&b, s, strlen(s));
    const char *out = b.overflow ? NULL : zq_arena_strdup(q->arena, b.data);
    zq_buf_free(&b);
    return out ? out : "null";
}

int mb_audit(zq_req *q, const char *action, const char *object_type, int64_t object_id, const char *detail)
{
    return mb_audit_result(q, action, object_type, object_id, detail, NULL);
}

int mb_audit_result(zq_req *q, const char *action, const char *object_type, int64_t object_id, const char *detail,
                    const char *result)
{
    return mb_audit_in(q, q->session->enterprise_id, action, object_type, object_id, detail, result);
}

int mb_audit_in(zq_req *q, int64_t eid, const char *action, const char *object_type, int64_t object_id,
                const char *detail, const char *result)
{
    const char *region = NULL;
    db_stmt *s = db_prepare(q->db, SQL_REGION);
    if (!s) return -1;
    db_bind_int64(s, 1, eid);
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0)) region = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    audit_entry a = {
        .action = action,
        .object_type = object_type,
        .object_id = object_id ? mb_id_str(q, object_id) : NULL,
        .detail = detail,
        .result = result,
        .enterprise_id = eid,
        .region = region,
    };
    return audit_record(q, &a);
}
