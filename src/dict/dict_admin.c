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
#include "dict/dict_edit.h"
#include "http/context.h"
#include "dict/dict.h"
#include "handler/kit.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

static const char SQL_LIST[] =
    "SELECT id, code, name, parent, kind, sort, enabled, updated_at FROM dict_item WHERE type = $1"
    " ORDER BY sort, code";
static const char SQL_NEXT_SORT[] = "SELECT COALESCE(MAX(sort), 0) + 1 FROM dict_item WHERE type = $1";
static const char SQL_INSERT[] =
    "INSERT INTO dict_item(type, code, name, parent, kind, sort, enabled, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id";
static const char SQL_CHILDREN[] = "SELECT COUNT(*) FROM dict_item WHERE type = $1 AND parent = $2";
static const char SQL_DELETE[] = "DELETE FROM dict_item WHERE id = $1";

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

static const char *const REGION_KINDS[] = {"district", "county", "county-level-city", NULL};

/* The parent of a new item in a tree: must exist at the top level of the
 * same dictionary, be a section for an industry division, and be enabled. */
static zq_err check_parent(zq_req *q, zq_resp *r, const da_type *t, const char *parent)
{
    da_item p;
    int rc = da_load_item(q, t->type, parent, &p);
    if (rc == DB_DONE || (rc == DB_ROW && p.parent)) {
        zq_fail_field(q, r, "parent", zq_arena_printf(q->arena, "上级「%s」不存在，请从列表中选择", parent));
        return hk_fail_tx(q, r, ZQ_E_VALIDATION, NULL);
    }
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (!p.enabled)
        return da_conflict_field(q, r, "parent", zq_arena_printf(q->arena, "上级「%s」已停用，请先启用上级", p.name));
    return ZQ_OK;
}

/* ---- GET /api/v1/admin/dicts/:type ---- */

static zq_err dict_admin_list(zq_req *q, zq_resp *r)
{
    da_type t;
    int64_t version = 0;
    int rc = da_load_type(q, zq_req_param(q, "type"), &t);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if ((rc = dict_version_read(q->db, &version)) != DB_OK) return hk_fail_db(q, r, rc);

    da_item *items = zq_arena_alloc(q->arena, sizeof *items * DA_ITEMS_MAX);
    const char **codes = zq_arena_alloc(q->arena, sizeof *codes * DA_ITEMS_MAX);
    int64_t *usage = zq_arena_alloc(q->arena, sizeof *usage * DA_ITEMS_MAX);
    if (!items || !codes || !usage) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    int n = 0;
    db_stmt *s = db_prepare(q->db, SQL_LIST);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, t.type, -1);
    while ((rc = db_step(s)) == DB_ROW && n < DA_ITEMS_MAX) {
        da_row_item(q, s, &items[n]);
        codes[n] = items[n].code;
        n++;
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return hk_fail_db(q, r, rc);
    if ((rc = dict_usage_counts(q, t.type, codes, usage, n)) != DB_OK) return hk_fail_db(q, r, rc);

    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "type", t.type);
    zq_jw_kstr(&w, "name", t.name);
    zq_jw_kbool(&w, "hierarchical", t.hierarchical);
    zq_jw_kint(&w, "version", version);
    zq_jw_kbool(&w, "can_edit", da_may_edit(q->session));
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (int i = 0; i < n; i++) {
        zq_jw_obj(&w);
        da_write_item(&w, t.type, &items[i]);
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
    da_type t;
    int rc = da_load_type(q, zq_req_param(q, "type"), &t);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);

    zq_in_only(q, r, keys);
    const char *code = zq_in_str(q, r, "code", "代码", true, 32);
    const char *why = code ? code_problem(t.type, code) : NULL;
    if (why) zq_fail_field(q, r, "code", why);
    const char *name = da_read_name(q, r, true);
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
    if ((rc = db_begin(q->db, true)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = da_bump_version(q, &version)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = da_count2(q, "SELECT COUNT(*) FROM dict_item WHERE type = $1 AND code = $2", t.type, code, &n)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if (n) return da_conflict_field(q, r, "code", zq_arena_printf(q->arena, "代码「%s」已存在", code));
    if (parent && (e = check_parent(q, r, &t, parent)) != ZQ_OK) return e;
    if ((e = da_check_name_free(q, r, t.type, parent, name, NULL)) != ZQ_OK) return e;
    if (!has_sort) {
        db_stmt *s = db_prepare(q->db, SQL_NEXT_SORT);
        if (!s) return hk_fail_db(q, r, DB_ERR);
        db_bind_text(s, 1, t.type, -1);
        rc = db_step(s);
        if (rc == DB_ROW) sort = db_col_int64(s, 0);
        db_stmt_done(s);
        if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    }
    it.sort = sort;

    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return hk_fail_db(q, r, DB_ERR);
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
    if (rc == DB_ECONSTRAINT) return da_conflict_field(q, r, "code", zq_arena_printf(q->arena, "代码「%s」已存在", code));
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (da_audit_item(q, "dict.item.create", t.type, code, NULL, da_item_json(&it)) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    dict_cache_saw_version(q->app->dicts, version);
    return da_answer_item(r, 201, t.type, &it);
}

/* ---- DELETE /api/v1/admin/dicts/:type/items/:code ---- */

static zq_err dict_item_delete(zq_req *q, zq_resp *r)
{
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    da_type t;
    const char *code = zq_req_param(q, "code");
    int rc = da_load_type(q, zq_req_param(q, "type"), &t);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);

    int64_t version = 0, children = 0;
    da_item it;
    const char *used = NULL;
    if ((rc = db_begin(q->db, true)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = da_bump_version(q, &version)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = da_load_item(q, t.type, code, &it)) == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "字典条目不存在");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if ((rc = da_count2(q, SQL_CHILDREN, t.type, it.code, &children)) != DB_OK) return hk_fail_db(q, r, rc);
    if (children)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT,
                       zq_arena_printf(q->arena, "「%s」下还有 %lld 个下级条目，不能删除", it.name, (long long)children));
    if ((rc = dict_usage_text(q, t.type, it.code, &used)) != DB_OK) return hk_fail_db(q, r, rc);
    if (used)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT,
                       zq_arena_printf(q->arena, "「%s」已被 %s 使用，不能删除；不再使用时请将其停用", it.name, used));
    db_stmt *s = db_prepare(q->db, SQL_DELETE);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, it.id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (da_audit_item(q, "dict.item.delete", t.type, it.code, da_item_json(&it), NULL) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    dict_cache_saw_version(q->app->dicts, version);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "code", it.code);
    zq_jw_kbool(&w, "deleted", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* Dictionaries are the city's, not a district's: unscoped. Reading them is
 * part of viewing the firms they describe (enterprise.view); changing them
 * takes dict.edit, which the gate enforces. */
static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/dicts/:type", dict_admin_list, ZQ_ACCESS_STAFF, "dict.edit|enterprise.view", ZQ_RF_UNSCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/dicts/:type/items", dict_item_create, ZQ_ACCESS_STAFF, "dict.edit", ZQ_RF_JSON | ZQ_RF_UNSCOPED, 4096, "dict.item.create"},
    {ZQ_PUT, "/api/v1/admin/dicts/:type/items/:code", dict_item_update, ZQ_ACCESS_STAFF, "dict.edit", ZQ_RF_JSON | ZQ_RF_UNSCOPED,
     4096, "dict.item.update"},
    {ZQ_DELETE, "/api/v1/admin/dicts/:type/items/:code", dict_item_delete, ZQ_ACCESS_STAFF, "dict.edit", ZQ_RF_JSON | ZQ_RF_UNSCOPED,
     4096, "dict.item.delete"},
};
const zq_route_group dict_admin_routes = {routes, sizeof routes / sizeof routes[0]};
