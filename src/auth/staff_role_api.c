/*
 * staff_role_api.c — the bureau's staff roles (RuoYi-style 角色管理):
 *   GET    /api/v1/admin/staff-permissions  the catalogue, grouped, with Chinese labels
 *   GET    /api/v1/admin/staff-roles        every role with its permissions and holders
 *   POST   /api/v1/admin/staff-roles        {name, permissions:[…]}
 *   PUT    /api/v1/admin/staff-roles/:id    {name, permissions:[…]}
 *   DELETE /api/v1/admin/staff-roles/:id    409 while an account holds it
 * All take staff.manage. Built-in roles (系统管理员, 市级业务员, 区级业务员,
 * 外贸处, 审计员) cannot be deleted; 系统管理员 holds every permission,
 * present and future, and cannot be edited. Every change is audited.
 */
#include "auth/auth.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "auth/login.h"
#include "auth/staff_perm.h"
#include "auth/staff_role.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

static const char SQL_LIST[] =
    "SELECT r.id, r.name, r.builtin, r.all_perms, r.created_at, r.updated_at,"
    " (SELECT COUNT(*) FROM staff_role_grant g WHERE g.role_id = r.id)"
    " FROM staff_role_def r ORDER BY r.id";
static const char SQL_ALL_PERMS[] = "SELECT role_id, perm FROM staff_role_perm ORDER BY role_id, perm";
static const char SQL_ONE[] = "SELECT builtin, all_perms, name FROM staff_role_def WHERE id = $1";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM staff_role_def";
static const char SQL_NAME_TAKEN[] = "SELECT 1 FROM staff_role_def WHERE name = $1 AND id <> $2";
static const char SQL_INSERT[] =
    "INSERT INTO staff_role_def(name, builtin, all_perms, created_at, updated_at) VALUES ($1, NULL, 0, $2, $2)"
    " RETURNING id";
static const char SQL_RENAME[] = "UPDATE staff_role_def SET name = $1, updated_at = $2 WHERE id = $3";
static const char SQL_PERM_CLEAR[] = "DELETE FROM staff_role_perm WHERE role_id = $1";
static const char SQL_PERM_ADD[] = "INSERT INTO staff_role_perm(role_id, perm) VALUES ($1, $2)";
static const char SQL_IN_USE[] = "SELECT COUNT(*) FROM staff_role_grant WHERE role_id = $1";
static const char SQL_DELETE[] = "DELETE FROM staff_role_def WHERE id = $1";

#define ROLE_NAME_MAX_CHARS 30

static zq_err perms_list(zq_req *q, zq_resp *r)
{
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (size_t i = 0; i < staff_perms_n; i++) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "code", staff_perms[i].code);
        zq_jw_kstr(&w, "label", staff_perms[i].label);
        zq_jw_kstr(&w, "group", staff_perms[i].group);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* One role's permission codes from the (role_id, perm) rows, or all of
 * the catalogue for an all-permissions role. */
static void write_perms(zq_jw *w, db_stmt *ps, bool *ps_row, int64_t role_id, bool all)
{
    zq_jw_key(w, "permissions");
    zq_jw_arr(w);
    if (all)
        for (size_t i = 0; i < staff_perms_n; i++) zq_jw_str(w, staff_perms[i].code);
    while (*ps_row && db_col_int64(ps, 0) <= role_id) {
        if (db_col_int64(ps, 0) == role_id && !all) zq_jw_str(w, db_col_text(ps, 1));
        *ps_row = db_step(ps) == DB_ROW;
    }
    zq_jw_arr_end(w);
}

static zq_err roles_list(zq_req *q, zq_resp *r)
{
    db_stmt *s = db_prepare(q->db, SQL_LIST), *ps = db_prepare(q->db, SQL_ALL_PERMS);
    if (!s || !ps) goto fail;
    bool ps_row = db_step(ps) == DB_ROW;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        bool builtin = !db_col_is_null(s, 2), all = db_col_int64(s, 3) != 0;
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", id);
        zq_jw_kstr(&w, "name", db_col_text(s, 1));
        zq_jw_kstr(&w, "builtin", builtin ? db_col_text(s, 2) : NULL);
        zq_jw_kbool(&w, "all_perms", all);
        zq_jw_kbool(&w, "editable", !all);
        zq_jw_kbool(&w, "deletable", !builtin);
        zq_jw_kint(&w, "staff_count", db_col_int64(s, 6));
        hk_jw_time(&w, "updated_at", db_col_int64(s, 5));
        write_perms(&w, ps, &ps_row, id, all);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    if (rc != DB_DONE) {
        zq_buf_reset(&r->body);
        goto fail;
    }
    db_stmt_done(s);
    db_stmt_done(ps);
    return ZQ_OK;
fail:
    if (s) db_stmt_done(s);
    if (ps) db_stmt_done(ps);
    return zq_fail(r, ZQ_E_INTERNAL, NULL);
}

typedef struct {
    const char *name;
    const char **perms;
    int n;
} role_input;

/* {name, permissions:[…]}: a name of 1..30 characters and at least one
 * catalogue code. Field errors into r. */
static void read_role(zq_req *q, zq_resp *r, role_input *in)
{
    static const char *const keys[] = {"name", "permissions", NULL};
    zq_in_only(q, r, keys);
    in->name = zq_in_str(q, r, "name", "角色名称", true, ROLE_NAME_MAX_CHARS);
    in->perms = zq_in_str_list(q, r, "permissions", "权限", true, (int)staff_perms_n, 32, &in->n);
    for (int i = 0; in->perms && i < in->n; i++)
        if (!staff_perm_known(in->perms[i])) {
            zq_fail_field(q, r, "permissions", zq_arena_printf(q->arena, "未知的权限：%s", in->perms[i]));
            break;
        }
}

/* detail JSON of a role change: {"name":…,"permissions":"a b c"} */
static const char *role_detail(zq_req *q, const role_input *in)
{
    zq_buf b;
    zq_buf_init(&b, 512);
    for (int i = 0; i < in->n; i++) zq_buf_printf(&b, "%s%s", i ? " " : "", in->perms[i]);
    zq_jw w;
    zq_buf out;
    zq_buf_init(&out, 1024);
    zq_jw_init(&w, &out);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "name", in->name);
    zq_jw_kstr(&w, "permissions", b.data ? b.data : "");
    zq_jw_obj_end(&w);
    const char *d = zq_arena_strdup(q->arena, out.data);
    zq_buf_free(&b);
    zq_buf_free(&out);
    return d;
}

static int exec_id_text(zq_req *q, const char *sql, int64_t id, const char *text)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    if (text) db_bind_text(s, 2, text, -1);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* Inside the transaction: the role's permissions become in->perms. */
static int set_perms(zq_req *q, int64_t id, const role_input *in)
{
    int rc = exec_id_text(q, SQL_PERM_CLEAR, id, NULL);
    for (int i = 0; rc == DB_OK && i < in->n; i++) rc = exec_id_text(q, SQL_PERM_ADD, id, in->perms[i]);
    return rc;
}

/* 409 with a field error when another role has the name. */
static zq_err name_free(zq_req *q, zq_resp *r, const char *name, int64_t self)
{
    db_stmt *s = db_prepare(q->db, SQL_NAME_TAKEN);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, name, -1);
    db_bind_int64(s, 2, self);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_ROW) {
        hk_fail_tx_keep(q, r, ZQ_E_CONFLICT, "该角色名称已存在");
        zq_fail_field(q, r, "name", "该角色名称已存在");
        return r->err;
    }
    return rc == DB_DONE ? ZQ_OK : hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
}

static zq_err role_audit_commit(zq_req *q, zq_resp *r, int64_t id, const char *detail)
{
    audit_entry a = {.object_type = "staff_role",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)id), .detail = detail};
    if (audit_note(q, &a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    return ZQ_OK;
}

static zq_err write_id(zq_resp *r, int status, int64_t id)
{
    zq_jw w;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", id);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err role_create(zq_req *q, zq_resp *r)
{
    role_input in;
    read_role(q, r, &in);
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    int64_t count = 0;
    if (db_query_int64(q->db, SQL_COUNT, &count, 0, NULL) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (count >= STAFF_ROLE_MAX)
        return hk_fail_tx_keep(q, r, ZQ_E_UNPROCESSABLE, "角色数量已达上限（100 个），请先删除不用的角色");
    if (name_free(q, r, in.name, 0) != ZQ_OK) return r->err;
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, in.name, -1);
    db_bind_int64(s, 2, q->now);
    int64_t id = 0;
    int rc = db_step(s);
    if (rc == DB_ROW) id = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW || set_perms(q, id, &in) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (role_audit_commit(q, r, id, role_detail(q, &in)) != ZQ_OK) return r->err;
    return write_id(r, 201, id);
}

/* Loads the role for a change; 404 / 422 written into r otherwise. */
static zq_err load_for_change(zq_req *q, zq_resp *r, int64_t id, bool *builtin, bool *all, const char **name)
{
    db_stmt *s = db_prepare(q->db, SQL_ONE);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *builtin = !db_col_is_null(s, 0);
        *all = db_col_int64(s, 1) != 0;
        *name = zq_arena_strdup(q->arena, db_col_text(s, 2));
    }
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_tx_keep(q, r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_INTERNAL, NULL);
    return ZQ_OK;
}

static zq_err role_update(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    role_input in;
    read_role(q, r, &in);
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    bool builtin = false, all = false;
    const char *old_name = NULL;
    if (load_for_change(q, r, id, &builtin, &all, &old_name) != ZQ_OK) return r->err;
    if (all) return hk_fail_tx_keep(q, r, ZQ_E_UNPROCESSABLE, "系统管理员角色拥有全部权限，不能修改");
    if (name_free(q, r, in.name, id) != ZQ_OK) return r->err;
    db_stmt *s = db_prepare(q->db, SQL_RENAME);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, in.name, -1);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, id);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE || set_perms(q, id, &in) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (role_audit_commit(q, r, id, role_detail(q, &in)) != ZQ_OK) return r->err;
    return write_id(r, 200, id);
}

static zq_err role_delete(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    bool builtin = false, all = false;
    const char *name = NULL;
    if (load_for_change(q, r, id, &builtin, &all, &name) != ZQ_OK) return r->err;
    if (builtin) return hk_fail_tx_keep(q, r, ZQ_E_UNPROCESSABLE, "内置角色不能删除");
    int64_t holders = 0;
    db_stmt *s = db_prepare(q->db, SQL_IN_USE);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) holders = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (holders > 0)
        return hk_fail_tx_keep(q, r, ZQ_E_CONFLICT,
                            zq_arena_printf(q->arena, "仍有 %lld 个账号使用该角色，请先为他们更换角色", (long long)holders));
    if (exec_id_text(q, SQL_PERM_CLEAR, id, NULL) != DB_OK || exec_id_text(q, SQL_DELETE, id, NULL) != DB_OK)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    role_input in = {name, NULL, 0};
    if (role_audit_commit(q, r, id, role_detail(q, &in)) != ZQ_OK) return r->err;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "deleted", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* roles are the bureau's own configuration, not a district's data: unscoped */
static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/staff-permissions", perms_list, ZQ_ACCESS_STAFF, "staff.manage", ZQ_RF_UNSCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/admin/staff-roles", roles_list, ZQ_ACCESS_STAFF, "staff.manage", ZQ_RF_UNSCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/staff-roles", role_create, ZQ_ACCESS_STAFF, "staff.manage", ZQ_RF_JSON | ZQ_RF_UNSCOPED, 8192, "staff_role.create"},
    {ZQ_PUT, "/api/v1/admin/staff-roles/:id", role_update, ZQ_ACCESS_STAFF, "staff.manage", ZQ_RF_JSON | ZQ_RF_UNSCOPED,
     8192, "staff_role.update"},
    {ZQ_DELETE, "/api/v1/admin/staff-roles/:id", role_delete, ZQ_ACCESS_STAFF, "staff.manage",
     ZQ_RF_JSON | ZQ_RF_UNSCOPED, 1024, "staff_role.delete"},
};
const zq_route_group staff_role_routes = {routes, sizeof routes / sizeof routes[0]};
