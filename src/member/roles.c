/*
 * roles.c — the enterprise's roles (manual 9.3) and the permission
 * catalogue:
 *   GET    /api/v1/enterprise/permissions   the catalogue, with what the caller holds (any member)
 *   GET    /api/v1/enterprise/roles         list with permissions and member counts   (role.manage)
 *   POST   /api/v1/enterprise/roles         {name, permissions:[…]}                   (role.manage)
 *   PUT    /api/v1/enterprise/roles/:id     {name, permissions:[…]}                   (role.manage)
 *   DELETE /api/v1/enterprise/roles/:id     refused (409) while a member holds it     (role.manage)
 *   GET    /api/v1/enterprise/role-options  roles to pick from when assigning one     (employee.manage)
 * Every query is scoped by the caller's enterprise: another enterprise's
 * role answers 404 like one that does not exist. Default roles (管理员,
 * 业务员, 只读) are created when the enterprise is approved, or here on
 * first use if that did not happen; they can be renamed and re-ticked but
 * not deleted. Nobody but the legal rep can grant a permission they do not
 * hold themselves (member_internal.h).
 */
#include "member/member.h"
#include "member/member_internal.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

#define ROLE_PAGE_DEFAULT MB_ROLE_MAX
#define ROLE_PAGE_MAX 100
#define PERMS_IN_MAX 32        /* items accepted in `permissions` before refusing the shape */

static const struct {
    const char *name;
    const char *perms;
} default_roles[] = {
    /* everything but role.manage: who may define rights stays the legal
     * rep's decision unless they tick it for someone (decisions-members.md) */
    {"管理员", "policy.view subscription.manage trade.report declaration.submit survey.answer consult.submit"
              " profile.edit employee.manage"},
    {"业务员", "policy.view trade.report declaration.submit survey.answer consult.submit"},
    {"只读", "policy.view"},
};

static const char SQL_HAS_DEFAULT[] = "SELECT 1 FROM enterprise_role WHERE enterprise_id = $1 AND is_default = 1";
static const char SQL_DEFAULT_INSERT[] =
    "INSERT INTO enterprise_role(enterprise_id, name, is_default, created_at, updated_at) VALUES ($1, $2, 1, $3, $3)"
    " ON CONFLICT (enterprise_id, name) DO NOTHING RETURNING id";
static const char SQL_PERM_INSERT[] = "INSERT INTO enterprise_role_perm(role_id, perm) VALUES ($1, $2)";
static const char SQL_PERM_CLEAR[] = "DELETE FROM enterprise_role_perm WHERE role_id = $1";
static const char SQL_ROLE_COUNT[] = "SELECT COUNT(*) FROM enterprise_role WHERE enterprise_id = $1";
static const char SQL_ROLE_LIST[] =
    "SELECT r.id, r.name, r.is_default, r.created_at, r.updated_at,"
    " (SELECT COUNT(*) FROM membership m WHERE m.enterprise_id = r.enterprise_id AND m.role_id = r.id"
    " AND m.status = 'active')"
    " FROM enterprise_role r WHERE r.enterprise_id = $1 ORDER BY r.is_default DESC, r.id LIMIT $2 OFFSET $3";
static const char SQL_ENT_PERMS[] =
    "SELECT p.role_id, p.perm FROM enterprise_role_perm p JOIN enterprise_role r ON r.id = p.role_id"
    " WHERE r.enterprise_id = $1";
static const char SQL_NAME_TAKEN[] =
    "SELECT 1 FROM enterprise_role WHERE enterprise_id = $1 AND name = $2 AND id <> $3";
static const char SQL_ROLE_INSERT[] =
    "INSERT INTO enterprise_role(enterprise_id, name, is_default, created_at, updated_at) VALUES ($1, $2, 0, $3, $3)"
    " RETURNING id";
static const char SQL_ROLE_RENAME[] =
    "UPDATE enterprise_role SET name = $1, updated_at = $2 WHERE id = $3 AND enterprise_id = $4";
static const char SQL_ROLE_DELETE[] = "DELETE FROM enterprise_role WHERE id = $1 AND enterprise_id = $2";
static const char SQL_ROLE_USERS[] =
    "SELECT COUNT(*) FROM membership WHERE enterprise_id = $1 AND role_id = $2 AND status = 'active'";

/* ---- default roles ---- */

static int insert_perms(db_conn *db, int64_t role_id, unsigned mask)
{
    size_t n;
    const member_perm *cat = member_perms(&n);
    for (size_t i = 0; i < n; i++) {
        if (!(mask & (1u << i))) continue;
        db_stmt *s = db_prepare(db, SQL_PERM_INSERT);
        if (!s) return DB_ERR;
        db_bind_int64(s, 1, role_id);
        db_bind_text(s, 2, cat[i].code, -1);
        int rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    return DB_OK;
}

int member_create_default_roles(db_conn *db, int64_t enterprise_id, int64_t now)
{
    bool own_tx = !db_in_tx(db);
    int rc, created = 0;
    if (own_tx && (rc = db_begin(db, true)) != DB_OK) return rc;
    db_stmt *s = db_prepare(db, SQL_HAS_DEFAULT);
    if (!s) {
        rc = DB_ERR;
        goto fail;
    }
    db_bind_int64(s, 1, enterprise_id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) goto fail;
    if (rc == DB_DONE) {
        for (size_t i = 0; i < sizeof default_roles / sizeof default_roles[0]; i++) {
            if (!(s = db_prepare(db, SQL_DEFAULT_INSERT))) {
                rc = DB_ERR;
                goto fail;
            }
            db_bind_int64(s, 1, enterprise_id);
            db_bind_text(s, 2, default_roles[i].name, -1);
            db_bind_int64(s, 3, now);
            rc = db_step(s);
            int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
            db_stmt_done(s);
            if (rc != DB_ROW && rc != DB_DONE) goto fail;
            if (!id) continue; /* the name is taken by a role of the enterprise's own */
            if ((rc = insert_perms(db, id, member_perm_mask(default_roles[i].perms))) != DB_OK) goto fail;
            created++;
        }
    }
    if (own_tx && (rc = db_commit(db)) != DB_OK) goto fail;
    return created;
fail:
    if (rc >= 0) rc = DB_ERR;
    if (own_tx && db_in_tx(db)) db_rollback(db);
    return rc;
}

/* Inside the caller's transaction: default roles if the enterprise has
 * none yet (its approval predates this module, or nobody wired the call),
 * audited as role.defaults: its own record, since it happens on the way
 * to whatever the request does (a GET included). DB_OK or a negative db_rc. */
static int ensure_defaults_tx(zq_req *q)
{
    int n = member_create_default_roles(q->db, q->session->enterprise_id, q->now);
    if (n < 0) return n;
    if (n > 0 && hk_record(q, q->session->enterprise_id, "role.defaults", "enterprise", q->session->enterprise_id,
                           zq_arena_printf(q->arena, "{\"created\":%d}", n), NULL) != 0)
        return DB_ERR;
    return DB_OK;
}

/* Outside a transaction (GET handlers): a cheap look first. */
static int ensure_defaults(zq_req *q)
{
    db_stmt *s = db_prepare(q->db, SQL_HAS_DEFAULT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->enterprise_id);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_ROW) return DB_OK;
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if ((rc = db_begin(q->db, true)) != DB_OK) return rc;
    if ((rc = ensure_defaults_tx(q)) != DB_OK) {
        db_rollback(q->db);
        return rc;
    }
    return db_commit(q->db);
}

/* ---- reading roles ---- */

typedef struct {
    int64_t id, created_at, updated_at, members;
    const char *name;
    bool is_default;
    unsigned perms;
} role_row;

static void write_role(zq_jw *w, const role_row *r)
{
    zq_jw_obj(w);
    zq_jw_kint(w, "id", r->id);
    zq_jw_kstr(w, "name", r->name);
    zq_jw_kbool(w, "is_default", r->is_default);
    mb_jw_perms(w, "permissions", r->perms);
    zq_jw_kint(w, "member_count", r->members);
    hk_jw_time(w, "created_at", r->created_at);
    hk_jw_time(w, "updated_at", r->updated_at);
    zq_jw_obj_end(w);
}

/* One page of the enterprise's roles with their permissions into *rows. */
static int load_roles(zq_req *q, int64_t limit, int64_t offset, role_row **rows, int *n)
{
    *n = 0;
    *rows = zq_arena_alloc(q->arena, sizeof **rows * (size_t)(limit > 0 ? limit : 1));
    if (!*rows) return DB_ERR;
    db_stmt *s = db_prepare(q->db, SQL_ROLE_LIST);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_int64(s, 2, limit);
    db_bind_int64(s, 3, offset);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < limit) {
        role_row *x = &(*rows)[(*n)++];
        x->id = db_col_int64(s, 0);
        x->name = zq_arena_strdup(q->arena, db_col_text(s, 1));
        x->is_default = db_col_int64(s, 2) != 0;
        x->created_at = db_col_int64(s, 3);
        x->updated_at = db_col_int64(s, 4);
        x->members = db_col_int64(s, 5);
        x->perms = 0;
        if (!x->name) {
            rc = DB_ERR;
            break;
        }
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if (!(s = db_prepare(q->db, SQL_ENT_PERMS))) return DB_ERR;
    db_bind_int64(s, 1, q->session->enterprise_id);
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t rid = db_col_int64(s, 0);
        for (int i = 0; i < *n; i++)
            if ((*rows)[i].id == rid) (*rows)[i].perms |= member_perm_bit(db_col_text(s, 1));
    }
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int count_q(zq_req *q, const char *sql, int64_t a, int64_t b, bool has_b, int64_t *out)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, a);
    if (has_b) db_bind_int64(s, 2, b);
    int rc = db_step(s);
    if (rc == DB_ROW) *out = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static zq_err perms_list(zq_req *q, zq_resp *r)
{
    size_t n;
    const member_perm *cat = member_perms(&n);
    unsigned mine = mb_caller_mask(q->session);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "code", cat[i].code);
        zq_jw_kstr(&w, "name", cat[i].name);
        zq_jw_kbool(&w, "granted", (mine & (1u << i)) != 0);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err role_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size, total = 0;
    zq_in_page(q, r, &page, &page_size, ROLE_PAGE_DEFAULT, ROLE_PAGE_MAX);
    if (r->err) return r->err;
    int rc = ensure_defaults(q);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = count_q(q, SQL_ROLE_COUNT, q->session->enterprise_id, 0, false, &total)) != DB_OK)
        return hk_fail_db(q, r, rc);
    role_row *rows;
    int n;
    if ((rc = load_roles(q, page_size, (page - 1) * page_size, &rows, &n)) != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw w;
    zq_list_begin(r, &w);
    for (int i = 0; i < n; i++) write_role(&w, &rows[i]);
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

/* Roles an employee manager may pick from; `assignable` is false for those
 * holding permissions the caller lacks. */
static zq_err role_options(zq_req *q, zq_resp *r)
{
    int rc = ensure_defaults(q);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    role_row *rows;
    int n;
    if ((rc = load_roles(q, MB_ROLE_MAX, 0, &rows, &n)) != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (int i = 0; i < n; i++) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", rows[i].id);
        zq_jw_kstr(&w, "name", rows[i].name);
        mb_jw_perms(&w, "permissions", rows[i].perms);
        zq_jw_kbool(&w, "assignable", mb_covers(q->session, rows[i].perms));
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* ---- writing roles ---- */

/* {name, permissions:[…]}: both required, permissions may be empty. */
static void read_role(zq_req *q, zq_resp *r, const char **name, unsigned *mask)
{
    static const char *const keys[] = {"name", "permissions", NULL};
    zq_in_only(q, r, keys);
    *name = zq_in_str(q, r, "name", "角色名称", true, MB_ROLE_NAME_MAX_CHARS);
    *mask = 0;
    json_t *v = q->json ? json_object_get(q->json, "permissions") : NULL;
    if (!v || json_is_null(v)) {
        zq_fail_field(q, r, "permissions", "请选择权限（可为空列表）");
        return;
    }
    if (!json_is_array(v) || json_array_size(v) > PERMS_IN_MAX) {
        zq_fail_field(q, r, "permissions", "权限格式不正确");
        return;
    }
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        const char *code = json_string_value(it);
        unsigned bit = member_perm_bit(code);
        if (!bit) {
            bool printable = code && strlen(code) <= 32 && strspn(code, "abcdefghijklmnopqrstuvwxyz._") == strlen(code);
            zq_fail_field(q, r, "permissions",
                          printable ? zq_arena_printf(q->arena, "未知的权限：%s", code) : "权限格式不正确");
            return;
        }
        *mask |= bit;
    }
}

static int name_taken(zq_req *q, const char *name, int64_t except_id, bool *taken)
{
    db_stmt *s = db_prepare(q->db, SQL_NAME_TAKEN);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_text(s, 2, name, -1);
    db_bind_int64(s, 3, except_id);
    int rc = db_step(s);
    db_stmt_done(s);
    *taken = rc == DB_ROW;
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* Answers with role id (after a write in this request). */
static zq_err respond_role(zq_req *q, zq_resp *r, int64_t id, int status)
{
    mb_role role;
    int64_t members = 0;
    int rc = mb_role_lock(q, id, &role);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if ((rc = count_q(q, SQL_ROLE_USERS, q->session->enterprise_id, id, true, &members)) != DB_OK)
        return hk_fail_db(q, r, rc);
    role_row row = {.id = role.id, .created_at = role.created_at, .updated_at = role.updated_at,
                    .members = members, .name = role.name, .is_default = role.is_default, .perms = role.perms};
    zq_jw w;
    zq_resp_json(r, &w, status);
    write_role(&w, &row);
    return ZQ_OK;
}

static const char *role_detail(zq_req *q, const char *name, unsigned mask)
{
    const char *perms = mb_perms_json(q, mask);
    return zq_arena_printf(q->arena, "{\"name\":%s,\"permissions\":%s}", hk_json_str(q, name), perms ? perms : "null");
}

static const char MSG_GRANT[] = "不能授予您自己没有的权限";
static const char MSG_NAME_TAKEN[] = "已有同名角色，请换一个名称";

static zq_err role_create(zq_req *q, zq_resp *r)
{
    const char *name;
    unsigned mask;
    read_role(q, r, &name, &mask);
    if (r->err) return r->err;
    if (!mb_covers(q->session, mask)) return zq_fail(r, ZQ_E_FORBIDDEN, MSG_GRANT);

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = ensure_defaults_tx(q)) != DB_OK) return hk_fail_db(q, r, rc);
    int64_t count = 0;
    if ((rc = count_q(q, SQL_ROLE_COUNT, q->session->enterprise_id, 0, false, &count)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if (count >= MB_ROLE_MAX)
        return hk_fail_tx(q, r, ZQ_E_UNPROCESSABLE,
                          zq_arena_printf(q->arena, "每个企业最多设置 %d 个角色", MB_ROLE_MAX));
    bool taken;
    if ((rc = name_taken(q, name, 0, &taken)) != DB_OK) return hk_fail_db(q, r, rc);
    if (taken) return hk_fail_tx(q, r, ZQ_E_CONFLICT, MSG_NAME_TAKEN);
    db_stmt *s = db_prepare(q->db, SQL_ROLE_INSERT);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, q->session->enterprise_id);
    db_bind_text(s, 2, name, -1);
    db_bind_int64(s, 3, q->now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT) return hk_fail_tx(q, r, ZQ_E_CONFLICT, MSG_NAME_TAKEN);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if ((rc = insert_perms(q->db, id, mask)) != DB_OK) return hk_fail_db(q, r, rc);
    if (hk_note(q, q->session->enterprise_id, "enterprise_role", id, role_detail(q, name, mask)) != 0)
        return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return respond_role(q, r, id, 201);
}

static zq_err role_update(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    const char *name;
    unsigned mask;
    read_role(q, r, &name, &mask);
    if (r->err) return r->err;
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    mb_role old;
    rc = mb_role_lock(q, id, &old);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "角色不存在或已被删除");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (!mb_covers(q->session, old.perms)) return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, "该角色含有您没有的权限，不能修改");
    if (!mb_covers(q->session, mask)) return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, MSG_GRANT);
    bool taken;
    if ((rc = name_taken(q, name, id, &taken)) != DB_OK) return hk_fail_db(q, r, rc);
    if (taken) return hk_fail_tx(q, r, ZQ_E_CONFLICT, MSG_NAME_TAKEN);
    db_stmt *s = db_prepare(q->db, SQL_ROLE_RENAME);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, name, -1);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, id);
    db_bind_int64(s, 4, q->session->enterprise_id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT) return hk_fail_tx(q, r, ZQ_E_CONFLICT, MSG_NAME_TAKEN);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (!(s = db_prepare(q->db, SQL_PERM_CLEAR))) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if ((rc = insert_perms(q->db, id, mask)) != DB_OK) return hk_fail_db(q, r, rc);
    const char *detail = zq_arena_printf(q->arena, "{\"before\":%s,\"after\":%s}", role_detail(q, old.name, old.perms),
                                         role_detail(q, name, mask));
    if (hk_note(q, q->session->enterprise_id, "enterprise_role", id, detail) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return respond_role(q, r, id, 200);
}

static zq_err role_delete(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    if (zq_in_none(q, r)) return r->err;
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    mb_role role;
    rc = mb_role_lock(q, id, &role);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "角色不存在或已被删除");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (role.is_default)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "系统默认角色不能删除，可以修改它的名称和权限");
    if (!mb_covers(q->session, role.perms)) return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, "该角色含有您没有的权限，不能删除");
    int64_t members = 0;
    if ((rc = count_q(q, SQL_ROLE_USERS, q->session->enterprise_id, id, true, &members)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if (members > 0)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT,
                          zq_arena_printf(q->arena, "该角色正由 %lld 名员工使用，请先为他们更换角色后再删除",
                                          (long long)members));
    db_stmt *s = db_prepare(q->db, SQL_PERM_CLEAR);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (!(s = db_prepare(q->db, SQL_ROLE_DELETE))) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (hk_note(q, q->session->enterprise_id, "enterprise_role", id, role_detail(q, role.name, role.perms)) != 0)
        return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", id);
    zq_jw_kbool(&w, "deleted", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/permissions", perms_list, ZQ_ACCESS_MEMBER, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/enterprise/roles", role_list, ZQ_ACCESS_MEMBER, "role.manage", 0, 0, NULL},
    {ZQ_POST, "/api/v1/enterprise/roles", role_create, ZQ_ACCESS_MEMBER, "role.manage", ZQ_RF_JSON, 0, "role.create"},
    {ZQ_PUT, "/api/v1/enterprise/roles/:id", role_update, ZQ_ACCESS_MEMBER, "role.manage", ZQ_RF_JSON, 0, "role.update"},
    {ZQ_DELETE, "/api/v1/enterprise/roles/:id", role_delete, ZQ_ACCESS_MEMBER, "role.manage", ZQ_RF_JSON, 0, "role.delete"},
    {ZQ_GET, "/api/v1/enterprise/role-options", role_options, ZQ_ACCESS_MEMBER, "employee.manage", 0, 0, NULL},
};
const zq_route_group role_routes = {routes, sizeof routes / sizeof routes[0]};
