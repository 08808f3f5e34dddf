/*
 * dict_admin.c — the bureau edits dictionaries (DESIGN.md: dictionaries are
 * data staff edit):
 *   GET    /api/v1/admin/dicts/:type              every item, disabled ones too, with usage (staff)
 *   POST   /api/v1/admin/dicts/:type/items        {code, name, parent?, sort?, kind?}  (dict.edit)
 *   PUT    /api/v1/admin/dicts/:type/items/:code  {name?, sort?, disabled?, move?}    (dict.edit)
 *   DELETE /api/v1/admin/dicts/:type/items/:code  only an item nothing references     (dict.edit)
 * Codes never change once made (records store them); names, order and the
 * enabled flag do. Every change bumps dict_version in its transaction, is
 * audited (dict.item.create|update|delete with before/after) and drops
 * this instance's cached renderings at once (dict.h).
 *
 * Trees (regions under the city, industry divisions under sections) keep
 * one rule: an enabled item's parent is enabled. So a parent is disabled
 * only after its children, and a child enabled only under an enabled
 * parent; pickers then never show an orphan.
 */
#include "dict/dict_internal.h"
#include "app/app.h"
#include "app/routes.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define DA_NAME_MAX 40
#define DA_SORT_MAX 999999
#define DA_ITEMS_MAX 5000

static const char SQL_TYPE[] = "SELECT name, hierarchical FROM dict_type WHERE type = $1";
static const char SQL_LIST[] =
    "SELECT id, code, name, parent, kind, sort, enabled, updated_at FROM dict_item WHERE type = $1"
    " ORDER BY sort, code";
static const char SQL_ITEM[] =
    "SELECT id, code, name, parent, kind, sort, enabled, updated_at FROM dict_item WHERE type = $1 AND code = $2";
/* first statement of every edit: serializes concurrent edits (the row lock
 * on PostgreSQL) and versions the change in the same transaction */
static const char SQL_BUMP[] = "UPDATE dict_version SET version = version + 1 WHERE id = 1 RETURNING version";
static const char SQL_NAME_TAKEN_ROOT[] =
    "SELECT code FROM dict_item WHERE type = $1 AND name = $2 AND parent IS NULL AND code <> $3";
static const char SQL_NAME_TAKEN_CHILD[] =
    "SELECT code FROM dict_item WHERE type = $1 AND name = $2 AND parent = $4 AND code <> $3";
static const char SQL_NEXT_SORT[] = "SELECT COALESCE(MAX(sort), 0) + 1 FROM dict_item WHERE type = $1";
static const char SQL_INSERT[] =
    "INSERT INTO dict_item(type, code, name, parent, kind, sort, enabled, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE dict_item SET name = $1, sort = $2, enabled = $3, updated_at = $4 WHERE id = $5";
static const char SQL_SET_SORT[] = "UPDATE dict_item SET sort = $1, updated_at = $2 WHERE id = $3";
static const char SQL_CHILDREN[] = "SELECT COUNT(*) FROM dict_item WHERE type = $1 AND parent = $2";
static const char SQL_ENABLED_CHILDREN[] =
    "SELECT COUNT(*) FROM dict_item WHERE type = $1 AND parent = $2 AND enabled = 1";
static const char SQL_SIBLINGS_ROOT[] =
    "SELECT id, code, sort FROM dict_item WHERE type = $1 AND parent IS NULL ORDER BY sort, code";
static const char SQL_SIBLINGS_CHILD[] =
    "SELECT id, code, sort FROM dict_item WHERE type = $1 AND parent = $2 ORDER BY sort, code";
static const char SQL_DELETE[] = "DELETE FROM dict_item WHERE id = $1";

typedef struct {
    int64_t id, sort, updated_at;
    const char *code, *name, *parent, *kind;
    bool enabled;
} da_item;

typedef struct {
    const char *type, *name;
    bool hierarchical;
} da_type;

/* ---- small helpers ---- */

static zq_err fail_tx(zq_req *q, zq_resp *r, zq_err e, const char *message)
{
    if (q->db && db_in_tx(q->db)) db_rollback(q->db);
    return zq_fail(r, e, message);
}

static zq_err fail_db(zq_req *q, zq_resp *r, int rc)
{
    return fail_tx(q, r, rc == DB_EBUSY || rc == DB_EUNAVAIL ? ZQ_E_UNAVAILABLE : ZQ_E_INTERNAL, NULL);
}

/* A field refusal that is a conflict with stored data (409), not bad input. */
static zq_err conflict_field(zq_req *q, zq_resp *r, const char *field, const char *message)
{
    zq_fail_field(q, r, field, message);
    return fail_tx(q, r, ZQ_E_CONFLICT, message);
}

/* until the staff permission catalogue (issue 10 item 1) lands: dict.edit = super or city staff */
static bool staff_may_edit_dicts(const zq_session *s)
{
    return s && s->staff_id && s->staff_role &&
           (strcmp(s->staff_role, "super") == 0 || strcmp(s->staff_role, "city") == 0);
}

/* Refused like the gate refuses: 403, recorded as access.denied. */
static zq_err refuse_edit(zq_req *q, zq_resp *r)
{
    return auth_deny(q, r, "字典由市级商务局维护，区级账号不能修改");
}

static int load_type(zq_req *q, const char *type, da_type *t)
{
    if (strlen(type) > 32) return DB_DONE;
    db_stmt *s = db_prepare(q->db, SQL_TYPE);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, type, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        t->type = type;
        t->name = zq_arena_strdup(q->arena, db_col_text(s, 0));
        t->hierarchical = db_col_int64(s, 1) != 0;
    }
    db_stmt_done(s);
    return rc;
}

static const char *col_opt(zq_req *q, db_stmt *s, int c)
{
    return db_col_is_null(s, c) ? NULL : zq_arena_strdup(q->arena, db_col_text(s, c));
}

static void row_item(zq_req *q, db_stmt *s, da_item *it)
{
    it->id = db_col_int64(s, 0);
    it->code = zq_arena_strdup(q->arena, db_col_text(s, 1));
    it->name = zq_arena_strdup(q->arena, db_col_text(s, 2));
    it->parent = col_opt(q, s, 3);
    it->kind = col_opt(q, s, 4);
    it->sort = db_col_int64(s, 5);
    it->enabled = db_col_int64(s, 6) != 0;
    it->updated_at = db_col_int64(s, 7);
}

/* DB_ROW (found), DB_DONE or a negative db_rc. */
static int load_item(zq_req *q, const char *type, const char *code, da_item *it)
{
    db_stmt *s = db_prepare(q->db, SQL_ITEM);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, type, -1);
    db_bind_text(s, 2, code, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) row_item(q, s, it);
    db_stmt_done(s);
    return rc;
}

static int count2(zq_req *q, const char *sql, const char *a, const char *b, int64_t *n)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, a, -1);
    db_bind_text(s, 2, b, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) *n = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int bump_version(zq_req *q, int64_t *version)
{
    db_stmt *s = db_prepare(q->db, SQL_BUMP);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *version = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static void write_item(zq_jw *w, const char *type, const da_item *it)
{
    char iso[26];
    zq_jw_kint(w, "id", it->id);
    zq_jw_kstr(w, "type", type);
    zq_jw_kstr(w, "code", it->code);
    zq_jw_kstr(w, "name", it->name);
    zq_jw_kstr(w, "parent", it->parent);
    zq_jw_kstr(w, "kind", it->kind);
    zq_jw_kint(w, "sort", it->sort);
    zq_jw_kbool(w, "disabled", !it->enabled);
    if (it->updated_at > 0) {
        zq_time_iso(it->updated_at, iso);
        zq_jw_kstr(w, "updated_at", iso);
    } else {
        zq_jw_kstr(w, "updated_at", NULL);
    }
}

static zq_err answer_item(zq_resp *r, int status, const char *type, const da_item *it)
{
    zq_jw w;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    write_item(&w, type, it);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static json_t *item_json(const da_item *it)
{
    return json_pack("{s:s, s:s?, s:s?, s:I, s:b}", "name", it->name, "parent", it->parent, "kind", it->kind,
                     "sort", (json_int_t)it->sort, "disabled", !it->enabled);
}

/* dict.item.<verb> with {"type","code","before","after"} (either may be NULL). */
static int audit_item(zq_req *q, const char *action, const char *type, const char *code, json_t *before,
                      json_t *after)
{
    json_t *d = json_pack("{s:s, s:s, s:o?, s:o?}", "type", type, "code", code, "before", before, "after", after);
    char *txt = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!txt) return -1;
    audit_entry a = {
        .action = action,
        .object_type = "dict_item",
        .object_id = zq_arena_printf(q->arena, "%s:%s", type, code),
        .detail = zq_arena_strdup(q->arena, txt),
    };
    free(txt);
    return a.object_id && a.detail ? audit_record(q, &a) : -1;
}

/* ---- input rules ---- */

static bool all_of(const char *s, size_t min, size_t max, const char *set)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, set) == n;
}

#define DIGITS "0123456789"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* Why `code` cannot be a code of `type`, or NULL. Industry codes are
 * sections (one capital letter) or divisions (two digits), GB/T 4754;
 * region codes are GB/T 2260's six digits; the other dictionaries use
 * short lower-case words (some seeded codes hold digits: 20_99, lt20). */
static const char *code_problem(const char *type, const char *code)
{
    if (strcmp(type, "region") == 0)
        return all_of(code, 6, 6, DIGITS) ? NULL : "行政区划代码须为 6 位数字（GB/T 2260）";
    if (strcmp(type, "industry") == 0)
        return all_of(code, 1, 1, UPPER) || all_of(code, 2, 2, DIGITS)
                   ? NULL
                   : "行业代码须为 1 位大写字母（门类）或 2 位数字（大类）";
    return all_of(code, 1, 32, "abcdefghijklmnopqrstuvwxyz" DIGITS "_") ? NULL
                                                                         : "代码须为 1–32 位小写字母、数字或下划线";
}

/* A display name: 1–40 characters, no control or invisible format characters. */
static const char *read_name(zq_req *q, zq_resp *r, bool required)
{
    const char *name = zq_in_str(q, r, "name", "名称", required, DA_NAME_MAX);
    if (!name) return NULL;
    for (const char *p = name; *p;) {
        uint32_t cp = zq_utf8_next(&p);
        if (zq_cp_invisible(cp)) {
            zq_fail_field(q, r, "name", "名称包含不可见的格式字符，请重新输入");
            return NULL;
        }
    }
    return name;
}

static const char *const REGION_KINDS[] = {"district", "county", "county-level-city", NULL};

/* ---- sibling checks, inside the edit's transaction ---- */

/* 409 when a sibling already has this name (pickers would show two alike). */
static zq_err check_name_free(zq_req *q, zq_resp *r, const char *type, const char *parent, const char *name,
                              const char *self)
{
    db_stmt *s = db_prepare(q->db, parent ? SQL_NAME_TAKEN_CHILD : SQL_NAME_TAKEN_ROOT);
    if (!s) return fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, type, -1);
    db_bind_text(s, 2, name, -1);
    db_bind_text(s, 3, self ? self : "", -1);
    if (parent) db_bind_text(s, 4, parent, -1);
    int rc = db_step(s);
    const char *other = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 0)) : NULL;
    db_stmt_done(s);
    if (rc == DB_DONE) return ZQ_OK;
    if (rc != DB_ROW) return fail_db(q, r, rc);
    return conflict_field(q, r, "name",
                          zq_arena_printf(q->arena, "同一级中已有名称为「%s」的条目（代码 %s）", name, other));
}

/* The parent of a new item in a tree: must exist at the top level of the
 * same dictionary, be a section for an industry division, and be enabled. */
static zq_err check_parent(zq_req *q, zq_resp *r, const da_type *t, const char *parent)
{
    da_item p;
    int rc = load_item(q, t->type, parent, &p);
    if (rc == DB_DONE || (rc == DB_ROW && p.parent)) {
        zq_fail_field(q, r, "parent", zq_arena_printf(q->arena, "上级「%s」不存在，请从列表中选择", parent));
        return fail_tx(q, r, ZQ_E_VALIDATION, NULL);
    }
    if (rc != DB_ROW) return fail_db(q, r, rc);
    if (!p.enabled)
        return conflict_field(q, r, "parent", zq_arena_printf(q->arena, "上级「%s」已停用，请先启用上级", p.name));
    return ZQ_OK;
}

/* ---- GET /api/v1/admin/dicts/:type ---- */

static zq_err dict_admin_list(zq_req *q, zq_resp *r)
{
    da_type t;
    int64_t version = 0;
    int rc = load_type(q, zq_req_param(q, "type"), &t);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    if (rc != DB_ROW) return fail_db(q, r, rc);
    if ((rc = dict_version_read(q->db, &version)) != DB_OK) return fail_db(q, r, rc);

    da_item *items = zq_arena_alloc(q->arena, sizeof *items * DA_ITEMS_MAX);
    const char **codes = zq_arena_alloc(q->arena, sizeof *codes * DA_ITEMS_MAX);
    int64_t *usage = zq_arena_alloc(q->arena, sizeof *usage * DA_ITEMS_MAX);
    if (!items || !codes || !usage) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    int n = 0;
    db_stmt *s = db_prepare(q->db, SQL_LIST);
    if (!s) return fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, t.type, -1);
    while ((rc = db_step(s)) == DB_ROW && n < DA_ITEMS_MAX) {
        row_item(q, s, &items[n]);
        codes[n] = items[n].code;
        n++;
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return fail_db(q, r, rc);
    if ((rc = dict_usage_counts(q, t.type, codes, usage, n)) != DB_OK) return fail_db(q, r, rc);

    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "type", t.type);
    zq_jw_kstr(&w, "name", t.name);
    zq_jw_kbool(&w, "hierarchical", t.hierarchical);
    zq_jw_kint(&w, "version", version);
    zq_jw_kbool(&w, "can_edit", staff_may_edit_dicts(q->session));
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (int i = 0; i < n; i++) {
        zq_jw_obj(&w);
        write_item(&w, t.type, &items[i]);
        zq_jw_kint(&w, "usage", usage[i]);
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_kint(&w, "total", n);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

/* ---- POST /api/v1/admin/dicts/:type/items ---- */

/* Checks the shape of a new item against its dictionary (before any write). */
static void check_new_shape(zq_req *q, zq_resp *r, const da_type *t, const char *code, const char *parent,
                            const char *kind)
{
    bool region = strcmp(t->type, "region") == 0, industry = strcmp(t->type, "industry") == 0;
    bool section = industry && code && strlen(code) == 1;
    if (!t->hierarchical && parent) zq_fail_field(q, r, "parent", "该字典不分级，不能指定上级");
    if (region && !parent) zq_fail_field(q, r, "parent", "请选择上级行政区划");
    if (industry && code && section && parent) zq_fail_field(q, r, "parent", "门类是最上一级，不能指定上级");
    if (industry && code && !section && !parent) zq_fail_field(q, r, "parent", "请选择该大类所属的门类");
    if (kind && !region) zq_fail_field(q, r, "kind", "该字典不需要指定类别");
    if (kind && region) {
        bool ok = false;
        for (int i = 0; REGION_KINDS[i]; i++) ok |= strcmp(kind, REGION_KINDS[i]) == 0;
        if (!ok) zq_fail_field(q, r, "kind", "类别须为区（district）、县（county）或县级市（county-level-city）");
    }
}

static zq_err dict_item_create(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"code", "name", "parent", "sort", "kind", NULL};
    if (!staff_may_edit_dicts(q->session)) return refuse_edit(q, r);
    da_type t;
    int rc = load_type(q, zq_req_param(q, "type"), &t);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    if (rc != DB_ROW) return fail_db(q, r, rc);

    zq_in_only(q, r, keys);
    const char *code = zq_in_str(q, r, "code", "代码", true, 32);
    const char *why = code ? code_problem(t.type, code) : NULL;
    if (why) zq_fail_field(q, r, "code", why);
    const char *name = read_name(q, r, true);
    const char *parent = zq_in_str(q, r, "parent", "上级", false, 32);
    bool has_sort = false;
    int64_t sort = zq_in_int(q, r, "sort", "排序", false, 0, DA_SORT_MAX, &has_sort);
    const char *kind = zq_in_str(q, r, "kind", "类别", false, 32);
    check_new_shape(q, r, &t, code, parent, kind);
    if (r->err) return r->err;

    da_item it = {.code = code, .name = name, .parent = parent, .enabled = true, .updated_at = q->now};
    if (strcmp(t.type, "region") == 0) it.kind = kind ? kind : "district";
    if (strcmp(t.type, "industry") == 0) it.kind = parent ? "division" : "section";

    int64_t version = 0, n = 0;
    zq_err e;
    if ((rc = db_begin(q->db, true)) != DB_OK) return fail_db(q, r, rc);
    if ((rc = bump_version(q, &version)) != DB_OK) return fail_db(q, r, rc);
    if ((rc = count2(q, "SELECT COUNT(*) FROM dict_item WHERE type = $1 AND code = $2", t.type, code, &n)) != DB_OK)
        return fail_db(q, r, rc);
    if (n) return conflict_field(q, r, "code", zq_arena_printf(q->arena, "代码「%s」已存在", code));
    if (parent && (e = check_parent(q, r, &t, parent)) != ZQ_OK) return e;
    if ((e = check_name_free(q, r, t.type, parent, name, NULL)) != ZQ_OK) return e;
    if (!has_sort) {
        db_stmt *s = db_prepare(q->db, SQL_NEXT_SORT);
        if (!s) return fail_db(q, r, DB_ERR);
        db_bind_text(s, 1, t.type, -1);
        rc = db_step(s);
        if (rc == DB_ROW) sort = db_col_int64(s, 0);
        db_stmt_done(s);
        if (rc != DB_ROW) return fail_db(q, r, rc);
    }
    it.sort = sort;

    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, t.type, -1);
    db_bind_text(s, 2, code, -1);
    db_bind_text(s, 3, name, -1);
    db_bind_text(s, 4, parent, -1);
    db_bind_text(s, 5, it.kind, -1);
    db_bind_int64(s, 6, sort);
    db_bind_int64(s, 7, q->now);
    rc = db_step(s);
    if (rc == DB_ROW) it.id = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT) return conflict_field(q, r, "code", zq_arena_printf(q->arena, "代码「%s」已存在", code));
    if (rc != DB_ROW) return fail_db(q, r, rc);
    if (audit_item(q, "dict.item.create", t.type, code, NULL, item_json(&it)) != 0) return fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return fail_db(q, r, rc);
    dict_cache_saw_version(q->app->dicts, version);
    return answer_item(r, 201, t.type, &it);
}

/* ---- PUT /api/v1/admin/dicts/:type/items/:code ---- */

typedef struct {
    int64_t id, sort;
} da_pos;

/* move up (-1) / down (+1) among its siblings: swaps the two positions.
 * Where the seeded order has ties, the siblings are renumbered in their
 * new order from the smallest value up, so every position is distinct.
 * *moved is false at either end (nothing to do). */
static int move_item(zq_req *q, const char *type, da_item *it, int dir, bool *moved, int64_t *neighbour_sort_before,
                     const char **neighbour)
{
    *moved = false;
    da_pos *pos = zq_arena_alloc(q->arena, sizeof *pos * DA_ITEMS_MAX);
    const char **codes = zq_arena_alloc(q->arena, sizeof *codes * DA_ITEMS_MAX);
    if (!pos || !codes) return DB_ERR;
    db_stmt *s = db_prepare(q->db, it->parent ? SQL_SIBLINGS_CHILD : SQL_SIBLINGS_ROOT);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, type, -1);
    if (it->parent) db_bind_text(s, 2, it->parent, -1);
    int n = 0, at = -1, rc;
    while ((rc = db_step(s)) == DB_ROW && n < DA_ITEMS_MAX) {
        pos[n].id = db_col_int64(s, 0);
        codes[n] = zq_arena_strdup(q->arena, db_col_text(s, 1));
        pos[n].sort = db_col_int64(s, 2);
        if (pos[n].id == it->id) at = n;
        n++;
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    int other = at + dir;
    if (at < 0 || other < 0 || other >= n) return DB_OK;
    *neighbour = codes[other];
    *neighbour_sort_before = pos[other].sort;

    int64_t *vals = zq_arena_alloc(q->arena, sizeof *vals * (size_t)n);
    if (!vals) return DB_ERR;
    for (int i = 0; i < n; i++) vals[i] = pos[i].sort; /* already ascending */
    da_pos tmp = pos[at];
    pos[at] = pos[other];
    pos[other] = tmp;
    for (int i = 1; i < n; i++)
        if (vals[i] <= vals[i - 1]) vals[i] = vals[i - 1] + 1;
    for (int i = 0; i < n; i++) {
        if (pos[i].id == it->id) it->sort = vals[i];
        if (vals[i] == pos[i].sort) continue;
        if (!(s = db_prepare(q->db, SQL_SET_SORT))) return DB_ERR;
        db_bind_int64(s, 1, vals[i]);
        db_bind_int64(s, 2, q->now);
        db_bind_int64(s, 3, pos[i].id);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    *moved = true;
    return DB_OK;
}

static zq_err dict_item_update(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"name", "sort", "disabled", "move", NULL};
    if (!staff_may_edit_dicts(q->session)) return refuse_edit(q, r);
    da_type t;
    const char *code = zq_req_param(q, "code");
    int rc = load_type(q, zq_req_param(q, "type"), &t);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    if (rc != DB_ROW) return fail_db(q, r, rc);

    zq_in_only(q, r, keys);
    const char *name = read_name(q, r, false);
    bool has_sort = false, has_disabled = zq_in_has(q, "disabled");
    int64_t sort = zq_in_int(q, r, "sort", "排序", false, 0, DA_SORT_MAX, &has_sort);
    bool disabled = zq_in_bool(q, r, "disabled", "停用", false);
    const char *move = zq_in_str(q, r, "move", "移动方向", false, 8);
    int dir = 0;
    if (move && strcmp(move, "up") == 0) dir = -1;
    else if (move && strcmp(move, "down") == 0) dir = 1;
    else if (move) zq_fail_field(q, r, "move", "移动方向须为 up 或 down");
    if (dir && has_sort) zq_fail_field(q, r, "move", "排序值与上移/下移不能同时提交");
    if (!r->err && !name && !has_sort && !has_disabled && !dir)
        return zq_fail(r, ZQ_E_VALIDATION, "请至少提交名称、排序、停用状态或移动方向中的一项");
    if (r->err) return r->err;

    int64_t version = 0;
    zq_err e;
    da_item it;
    if ((rc = db_begin(q->db, true)) != DB_OK) return fail_db(q, r, rc);
    if ((rc = bump_version(q, &version)) != DB_OK) return fail_db(q, r, rc);
    if ((rc = load_item(q, t.type, code, &it)) == DB_DONE) return fail_tx(q, r, ZQ_E_NOT_FOUND, "字典条目不存在");
    if (rc != DB_ROW) return fail_db(q, r, rc);
    json_t *before = item_json(&it);
    if (!before) return fail_db(q, r, DB_ERR);
    da_item was = it;

    if (name && strcmp(name, it.name) != 0) {
        if ((e = check_name_free(q, r, t.type, it.parent, name, it.code)) != ZQ_OK) goto refused;
        it.name = name;
    }
    if (has_sort) it.sort = sort;
    if (has_disabled && disabled != !it.enabled) {
        int64_t n = 0;
        if (disabled) {
            if ((rc = count2(q, SQL_ENABLED_CHILDREN, t.type, it.code, &n)) != DB_OK) goto db_failed;
            if (n) {
                e = fail_tx(q, r, ZQ_E_CONFLICT,
                            zq_arena_printf(q->arena, "「%s」下还有 %lld 个启用的下级条目，请先停用下级", it.name,
                                            (long long)n));
                goto refused;
            }
        } else if (it.parent) {
            da_item p;
            if ((rc = load_item(q, t.type, it.parent, &p)) != DB_ROW) goto db_failed;
            if (!p.enabled) {
                e = fail_tx(q, r, ZQ_E_CONFLICT, zq_arena_printf(q->arena, "上级「%s」已停用，请先启用上级", p.name));
                goto refused;
            }
        }
        it.enabled = !disabled;
    }
    bool moved = false;
    int64_t neighbour_before = 0;
    const char *neighbour = NULL;
    if (dir && (rc = move_item(q, t.type, &it, dir, &moved, &neighbour_before, &neighbour)) != DB_OK) goto db_failed;

    bool changed = moved || strcmp(it.name, was.name) != 0 || it.sort != was.sort || it.enabled != was.enabled;
    if (!changed) {
        /* nothing to write: the version bump goes with the rollback */
        json_decref(before);
        db_rollback(q->db);
        return answer_item(r, 200, t.type, &it);
    }
    it.updated_at = q->now;
    db_stmt *s = db_prepare(q->db, SQL_UPDATE);
    if (!s) goto db_failed_err;
    db_bind_text(s, 1, it.name, -1);
    db_bind_int64(s, 2, it.sort);
    db_bind_int64(s, 3, it.enabled ? 1 : 0);
    db_bind_int64(s, 4, q->now);
    db_bind_int64(s, 5, it.id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) goto db_failed;
    json_t *after = item_json(&it);
    if (after && moved)
        json_object_set_new(after, "swapped_with",
                            json_pack("{s:s, s:I}", "code", neighbour, "sort_before", (json_int_t)neighbour_before));
    if (audit_item(q, "dict.item.update", t.type, it.code, before, after) != 0) return fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return fail_db(q, r, rc);
    dict_cache_saw_version(q->app->dicts, version);
    return answer_item(r, 200, t.type, &it);

db_failed_err:
    rc = DB_ERR;
db_failed:
    json_decref(before);
    return fail_db(q, r, rc);
refused:
    json_decref(before);
    return e;
}

/* ---- DELETE /api/v1/admin/dicts/:type/items/:code ---- */

static zq_err dict_item_delete(zq_req *q, zq_resp *r)
{
    if (!staff_may_edit_dicts(q->session)) return refuse_edit(q, r);
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    da_type t;
    const char *code = zq_req_param(q, "code");
    int rc = load_type(q, zq_req_param(q, "type"), &t);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    if (rc != DB_ROW) return fail_db(q, r, rc);

    int64_t version = 0, children = 0;
    da_item it;
    const char *used = NULL;
    if ((rc = db_begin(q->db, true)) != DB_OK) return fail_db(q, r, rc);
    if ((rc = bump_version(q, &version)) != DB_OK) return fail_db(q, r, rc);
    if ((rc = load_item(q, t.type, code, &it)) == DB_DONE) return fail_tx(q, r, ZQ_E_NOT_FOUND, "字典条目不存在");
    if (rc != DB_ROW) return fail_db(q, r, rc);
    if ((rc = count2(q, SQL_CHILDREN, t.type, it.code, &children)) != DB_OK) return fail_db(q, r, rc);
    if (children)
        return fail_tx(q, r, ZQ_E_CONFLICT,
                       zq_arena_printf(q->arena, "「%s」下还有 %lld 个下级条目，不能删除", it.name, (long long)children));
    if ((rc = dict_usage_text(q, t.type, it.code, &used)) != DB_OK) return fail_db(q, r, rc);
    if (used)
        return fail_tx(q, r, ZQ_E_CONFLICT,
                       zq_arena_printf(q->arena, "「%s」已被 %s 使用，不能删除；不再使用时请将其停用", it.name, used));
    db_stmt *s = db_prepare(q->db, SQL_DELETE);
    if (!s) return fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, it.id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return fail_db(q, r, rc);
    if (audit_item(q, "dict.item.delete", t.type, it.code, item_json(&it), NULL) != 0) return fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return fail_db(q, r, rc);
    dict_cache_saw_version(q->app->dicts, version);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "code", it.code);
    zq_jw_kbool(&w, "deleted", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* "dict.edit" is the permission the coming staff catalogue grants; until
 * it lands the gate ignores it on staff routes and the handlers apply
 * staff_may_edit_dicts (above). */
static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/dicts/:type", dict_admin_list, ZQ_ACCESS_STAFF, NULL, 0, 0},
    {ZQ_POST, "/api/v1/admin/dicts/:type/items", dict_item_create, ZQ_ACCESS_STAFF, "dict.edit", ZQ_RF_JSON, 4096},
    {ZQ_PUT, "/api/v1/admin/dicts/:type/items/:code", dict_item_update, ZQ_ACCESS_STAFF, "dict.edit", ZQ_RF_JSON,
     4096},
    {ZQ_DELETE, "/api/v1/admin/dicts/:type/items/:code", dict_item_delete, ZQ_ACCESS_STAFF, "dict.edit", ZQ_RF_JSON,
     4096},
};
const zq_route_group dict_admin_routes = {routes, sizeof routes / sizeof routes[0]};
