/*
 * dict_item.c — what the dictionary editor's handlers share (dict_edit.h):
 * reading a type and an item, the version bump that opens every edit, the
 * audit record and the answer, refusals that roll back, name checks, and
 * who may edit.
 */
#include "dict/dict_edit.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include <stdlib.h>
#include <string.h>

static const char SQL_TYPE[] = "SELECT name, hierarchical FROM dict_type WHERE type = $1";
static const char SQL_ITEM[] =
    "SELECT id, code, name, parent, kind, sort, enabled, updated_at FROM dict_item WHERE type = $1 AND code = $2";
/* first statement of every edit: serializes concurrent edits (the row lock
 * on PostgreSQL) and versions the change in the same transaction */
static const char SQL_BUMP[] = "UPDATE dict_version SET version = version + 1 WHERE id = 1 RETURNING version";
static const char SQL_NAME_TAKEN_ROOT[] =
    "SELECT code FROM dict_item WHERE type = $1 AND name = $2 AND parent IS NULL AND code <> $3";
static const char SQL_NAME_TAKEN_CHILD[] =
    "SELECT code FROM dict_item WHERE type = $1 AND name = $2 AND parent = $4 AND code <> $3";

/* A field refusal that is a conflict with stored data (409), not bad input. */
zq_err da_conflict_field(zq_req *q, zq_resp *r, const char *field, const char *message)
{
    zq_fail_field(q, r, field, message);
    return hk_fail_tx(q, r, ZQ_E_CONFLICT, message);
}

/* whether the list's caller may edit (the gate enforces it on the writes) */
bool da_may_edit(const zq_session *s)
{
    return s && s->staff_id && auth_has_perm(s, "dict.edit");
}


int da_load_type(zq_req *q, const char *type, da_type *t)
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

void da_row_item(zq_req *q, db_stmt *s, da_item *it)
{
    it->id = db_col_int64(s, 0);
    it->code = zq_arena_strdup(q->arena, db_col_text(s, 1));
    it->name = zq_arena_strdup(q->arena, db_col_text(s, 2));
    it->parent = db_col_dup(q->arena, s, 3);
    it->kind = db_col_dup(q->arena, s, 4);
    it->sort = db_col_int64(s, 5);
    it->enabled = db_col_int64(s, 6) != 0;
    it->updated_at = db_col_int64(s, 7);
}

/* DB_ROW (found), DB_DONE or a negative db_rc. */
int da_load_item(zq_req *q, const char *type, const char *code, da_item *it)
{
    db_stmt *s = db_prepare(q->db, SQL_ITEM);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, type, -1);
    db_bind_text(s, 2, code, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) da_row_item(q, s, it);
    db_stmt_done(s);
    return rc;
}

int da_count2(zq_req *q, const char *sql, const char *a, const char *b, int64_t *n)
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

int da_bump_version(zq_req *q, int64_t *version)
{
    db_stmt *s = db_prepare(q->db, SQL_BUMP);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *version = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

void da_write_item(zq_jw *w, const char *type, const da_item *it)
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

zq_err da_answer_item(zq_resp *r, int status, const char *type, const da_item *it)
{
    zq_jw w;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    da_write_item(&w, type, it);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

json_t *da_item_json(const da_item *it)
{
    return json_pack("{s:s, s:s?, s:s?, s:I, s:b}", "name", it->name, "parent", it->parent, "kind", it->kind,
                     "sort", (json_int_t)it->sort, "disabled", !it->enabled);
}

/* dict.item.<verb> with {"type","code","before","after"} (either may be NULL). */
int da_audit_item(zq_req *q, const char *action, const char *type, const char *code, json_t *before,
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
    return a.object_id && a.detail ? audit_emit(q, &a) : -1;
}

/* A display name: 1–40 characters, no control or invisible format characters. */
const char *da_read_name(zq_req *q, zq_resp *r, bool required)
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

/* 409 when a sibling already has this name (pickers would show two alike). */
zq_err da_check_name_free(zq_req *q, zq_resp *r, const char *type, const char *parent, const char *name,
                              const char *self)
{
    db_stmt *s = db_prepare(q->db, parent ? SQL_NAME_TAKEN_CHILD : SQL_NAME_TAKEN_ROOT);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, type, -1);
    db_bind_text(s, 2, name, -1);
    db_bind_text(s, 3, self ? self : "", -1);
    if (parent) db_bind_text(s, 4, parent, -1);
    int rc = db_step(s);
    const char *other = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 0)) : NULL;
    db_stmt_done(s);
    if (rc == DB_DONE) return ZQ_OK;
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    return da_conflict_field(q, r, "name",
                          zq_arena_printf(q->arena, "同一级中已有名称为「%s」的条目（代码 %s）", name, other));
}

