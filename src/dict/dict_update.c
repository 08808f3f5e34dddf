/*
 * dict_update.c — PUT /api/v1/admin/dicts/:type/items/:code (dict.edit):
 * rename, set the position or move up/down among the siblings, disable or
 * enable an item (dict_admin.c says what the editor is; dict_edit.h what
 * its files share). A request that changes nothing writes nothing.
 */
#include "dict/dict_edit.h"
#include "http/context.h"
#include "handler/kit.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

static const char SQL_UPDATE[] =
    "UPDATE dict_item SET name = $1, sort = $2, enabled = $3, updated_at = $4 WHERE id = $5";
static const char SQL_SET_SORT[] = "UPDATE dict_item SET sort = $1, updated_at = $2 WHERE id = $3";
static const char SQL_ENABLED_CHILDREN[] =
    "SELECT COUNT(*) FROM dict_item WHERE type = $1 AND parent = $2 AND enabled = 1";
static const char SQL_SIBLINGS_ROOT[] =
    "SELECT id, code, sort FROM dict_item WHERE type = $1 AND parent IS NULL ORDER BY sort, code";
static const char SQL_SIBLINGS_CHILD[] =
    "SELECT id, code, sort FROM dict_item WHERE type = $1 AND parent = $2 ORDER BY sort, code";

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

zq_err dict_item_update(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"name", "sort", "disabled", "move", NULL};
    da_type t;
    const char *code = zq_req_param(q, "code");
    int rc = da_load_type(q, zq_req_param(q, "type"), &t);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "字典类型不存在");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);

    zq_in_only(q, r, keys);
    const char *name = da_read_name(q, r, false);
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
    if ((rc = db_begin(q->db, true)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = da_bump_version(q, &version)) != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = da_load_item(q, t.type, code, &it)) == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "字典条目不存在");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    json_t *before = da_item_json(&it);
    if (!before) return hk_fail_db(q, r, DB_ERR);
    da_item was = it;

    if (name && strcmp(name, it.name) != 0) {
        if ((e = da_check_name_free(q, r, t.type, it.parent, name, it.code)) != ZQ_OK) goto refused;
        it.name = name;
    }
    if (has_sort) it.sort = sort;
    if (has_disabled && disabled != !it.enabled) {
        int64_t n = 0;
        if (disabled) {
            if ((rc = da_count2(q, SQL_ENABLED_CHILDREN, t.type, it.code, &n)) != DB_OK) goto db_failed;
            if (n) {
                e = hk_fail_tx(q, r, ZQ_E_CONFLICT,
                            zq_arena_printf(q->arena, "「%s」下还有 %lld 个启用的下级条目，请先停用下级", it.name,
                                            (long long)n));
                goto refused;
            }
        } else if (it.parent) {
            da_item p;
            if ((rc = da_load_item(q, t.type, it.parent, &p)) != DB_ROW) goto db_failed;
            if (!p.enabled) {
                e = hk_fail_tx(q, r, ZQ_E_CONFLICT, zq_arena_printf(q->arena, "上级「%s」已停用，请先启用上级", p.name));
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
        audit_none(q);
        return da_answer_item(r, 200, t.type, &it);
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
    json_t *after = da_item_json(&it);
    if (after && moved)
        json_object_set_new(after, "swapped_with",
                            json_pack("{s:s, s:I}", "code", neighbour, "sort_before", (json_int_t)neighbour_before));
    if (da_audit_item(q, "dict.item.update", t.type, it.code, before, after) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    dict_cache_saw_version(q->app->dicts, version);
    return da_answer_item(r, 200, t.type, &it);

db_failed_err:
    rc = DB_ERR;
db_failed:
    json_decref(before);
    return hk_fail_db(q, r, rc);
refused:
    json_decref(before);
    return e;
}

