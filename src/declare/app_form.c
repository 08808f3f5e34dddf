/*
 * app_form.c — an application's body checked against its call: every form
 * field by its type and bounds, every material by its slot (the firm's own
 * upload, an allowed type, under the size cap). Saving a draft checks what
 * is there; submitting also checks that nothing required is missing, each
 * missing one named under its own field.
 */
#include "declare/declare_internal.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_DEFAULT 200
#define TEXTAREA_MAX_DEFAULT 2000

static const char SQL_UPLOAD[] = "SELECT mime, size, name FROM upload WHERE id = $1 AND enterprise_id = $2";
static const char SQL_SLOT_COUNT[] = "SELECT slot_key, COUNT(*) FROM decl_material WHERE app_id = $1 GROUP BY slot_key";

static const struct {
    const char *type, *mime;
} MIMES[] = {
    {"pdf", "application/pdf"},
    {"doc", "application/msword"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xls", "application/vnd.ms-excel"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"jpg", "image/jpeg"},
    {"png", "image/png"},
    {"zip", "application/zip"},
};

static bool type_allows(json_t *types, const char *mime)
{
    size_t i;
    json_t *t;
    json_array_foreach(types, i, t) for (size_t k = 0; k < sizeof MIMES / sizeof *MIMES; k++) if (
        strcmp(json_string_value(t), MIMES[k].type) == 0 && strcmp(mime, MIMES[k].mime) == 0) return true;
    return false;
}

static const char *types_text(zq_req *q, json_t *types)
{
    const char *s = "";
    size_t i;
    json_t *t;
    json_array_foreach(types, i, t) s = zq_arena_printf(q->arena, "%s%s%s", s, i ? "、" : "", json_string_value(t));
    return s;
}

static json_t *parse(const char *text)
{
    return json_loads(text ? text : "[]", 0, NULL);
}

static bool in_options(json_t *opts, const char *v)
{
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o) if (strcmp(json_string_value(o), v) == 0) return true;
    return false;
}

/* Checks one value against its field definition; the reason or NULL. */
static const char *field_problem(zq_req *q, json_t *def, json_t *v)
{
    const char *type = json_string_value(json_object_get(def, "type"));
    json_t *mn = json_object_get(def, "min"), *mx = json_object_get(def, "max"), *ml = json_object_get(def, "max_length");
    if (strcmp(type, "text") == 0 || strcmp(type, "textarea") == 0) {
        size_t max = json_is_integer(ml) ? (size_t)json_integer_value(ml)
                                         : strcmp(type, "text") == 0 ? TEXT_MAX_DEFAULT : TEXTAREA_MAX_DEFAULT;
        if (!json_is_string(v)) return "须为文字";
        if (!zq_utf8_valid(json_string_value(v), json_string_length(v))) return "包含无法识别的字符";
        if (zq_utf8_len(json_string_value(v)) > max) return zq_arena_printf(q->arena, "不能超过 %zu 个字", max);
        return NULL;
    }
    if (strcmp(type, "number") == 0 || strcmp(type, "amount") == 0) {
        if (!json_is_number(v)) return strcmp(type, "amount") == 0 ? "须为金额（万元）" : "须为数字";
        double d = json_number_value(v);
        if (strcmp(type, "amount") == 0 && (d < 0 || d > 1e8)) return "金额须在 0 到 1 亿万元之间";
        if (json_is_number(mn) && d < json_number_value(mn))
            return zq_arena_printf(q->arena, "不能小于 %g", json_number_value(mn));
        if (json_is_number(mx) && d > json_number_value(mx))
            return zq_arena_printf(q->arena, "不能大于 %g", json_number_value(mx));
        return NULL;
    }
    if (strcmp(type, "date") == 0)
        return json_is_string(v) && zq_date_ymd(json_string_value(v), NULL, NULL, NULL) ? NULL : "日期格式须为 YYYY-MM-DD";
    if (strcmp(type, "bool") == 0) return json_is_boolean(v) ? NULL : "须为是或否";
    json_t *opts = json_object_get(def, "options");
    if (strcmp(type, "single") == 0)
        return json_is_string(v) && in_options(opts, json_string_value(v)) ? NULL : "请从选项中选择";
    if (!json_is_array(v) || json_array_size(v) > json_array_size(opts)) return "请从选项中选择";
    size_t i, k;
    json_t *o;
    json_array_foreach(v, i, o)
    {
        if (!json_is_string(o) || !in_options(opts, json_string_value(o))) return "请从选项中选择";
        for (k = 0; k < i; k++)
            if (json_equal(json_array_get(v, k), o)) return "选项重复";
    }
    return NULL;
}

static bool empty_value(json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
           (json_is_array(v) && json_array_size(v) == 0);
}

static json_t *find(json_t *defs, const char *member, const char *key)
{
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d) if (strcmp(json_string_value(json_object_get(d, member)), key) == 0) return d;
    return NULL;
}

static void read_fields(zq_req *q, zq_resp *r, json_t *defs, json_t *in, decl_app_input *out)
{
    json_t *canon = json_object();
    const char *key;
    json_t *v;
    if (!json_is_object(in)) zq_fail_field(q, r, "fields", "申报表单须为对象");
    else
        json_object_foreach(in, key, v)
        {
            json_t *def = find(defs, "key", key);
            if (!def) {
                zq_fail_field(q, r, zq_arena_printf(q->arena, "fields.%.40s", key), "申报表单中没有这一项");
                continue;
            }
            if (empty_value(v)) continue;
            const char *why = field_problem(q, def, v);
            if (why)
                zq_fail_field(q, r, zq_arena_printf(q->arena, "fields.%s", key),
                              zq_arena_printf(q->arena, "「%s」%s", json_string_value(json_object_get(def, "label")), why));
            else json_object_set(canon, key, v);
        }
    char *s = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS);
    out->fields_json = s ? zq_arena_strdup(q->arena, s) : NULL;
    free(s);
    json_decref(canon);
}

static void read_materials(zq_req *q, zq_resp *r, json_t *slots, json_t *in, int64_t eid, decl_app_input *out)
{
    const char *key;
    json_t *v;
    if (!json_is_object(in)) {
        zq_fail_field(q, r, "materials", "申报材料须为对象");
        return;
    }
    json_object_foreach(in, key, v)
    {
        const char *fk = zq_arena_printf(q->arena, "materials.%.40s", key);
        json_t *slot = find(slots, "key", key);
        if (!slot) {
            zq_fail_field(q, r, fk, "申报材料中没有这一项");
            continue;
        }
        const char *sname = json_string_value(json_object_get(slot, "name"));
        if (!json_is_array(v) || json_array_size(v) > DECL_FILES_PER_SLOT) {
            zq_fail_field(q, r, fk, zq_arena_printf(q->arena, "「%s」最多 %d 个文件", sname, DECL_FILES_PER_SLOT));
            continue;
        }
        json_int_t max_mb = json_integer_value(json_object_get(slot, "max_mb"));
        json_t *types = json_object_get(slot, "types");
        size_t i;
        json_t *id;
        json_array_foreach(v, i, id)
        {
            db_stmt *s = json_is_integer(id) ? db_prepare(q->db, SQL_UPLOAD) : NULL;
            int rc = DB_DONE;
            const char *mime = NULL;
            int64_t size = 0;
            if (s) {
                db_bind_int64(s, 1, json_integer_value(id));
                db_bind_int64(s, 2, eid);
                rc = db_step(s);
                if (rc == DB_ROW) {
                    mime = zq_arena_strdup(q->arena, db_col_text(s, 0));
                    size = db_col_int64(s, 1);
                }
                db_stmt_done(s);
            }
            if (rc != DB_ROW) {
                zq_fail_field(q, r, fk, zq_arena_printf(q->arena, "「%s」的文件不存在，请重新上传", sname));
                break;
            }
            if (!type_allows(types, mime)) {
                zq_fail_field(q, r, fk,
                              zq_arena_printf(q->arena, "「%s」只能上传 %s 文件", sname, types_text(q, types)));
                break;
            }
            if (size > (int64_t)max_mb * 1024 * 1024) {
                zq_fail_field(q, r, fk, zq_arena_printf(q->arena, "「%s」的文件不能超过 %lld MB", sname, (long long)max_mb));
                break;
            }
            bool dup = false;
            for (int k = 0; k < out->nmat; k++)
                dup |= out->mat_upload[k] == json_integer_value(id) && strcmp(out->mat_slot[k], key) == 0;
            if (!dup && out->nmat < DECL_SLOTS_MAX * DECL_FILES_PER_SLOT) {
                out->mat_slot[out->nmat] = zq_arena_strdup(q->arena, key);
                out->mat_upload[out->nmat++] = json_integer_value(id);
            }
        }
    }
}

zq_err decl_app_input_read(zq_req *q, zq_resp *r, const decl_call *c, int64_t eid, decl_app_input *in)
{
    memset(in, 0, sizeof *in);
    static const char *const allowed[] = {"fields", "materials", NULL};
    zq_in_only(q, r, allowed);
    json_t *fdefs = parse(c->fields_json), *sdefs = parse(c->slots_json);
    if (!fdefs || !sdefs) {
        json_decref(fdefs);
        json_decref(sdefs);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    json_t *f = json_object_get(q->json, "fields"), *m = json_object_get(q->json, "materials");
    if ((in->has_fields = f != NULL)) read_fields(q, r, fdefs, f, in);
    if ((in->has_materials = m != NULL)) read_materials(q, r, sdefs, m, eid, in);
    json_decref(fdefs);
    json_decref(sdefs);
    if (in->has_fields && !in->fields_json && !r->err) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return r->err;
}

zq_err decl_app_check_complete(zq_req *q, zq_resp *r, const decl_call *c, const decl_app *a)
{
    json_t *fdefs = parse(c->fields_json), *sdefs = parse(c->slots_json), *vals = parse(a->fields_json);
    db_stmt *s = db_prepare(q->db, SQL_SLOT_COUNT);
    if (!fdefs || !sdefs || !vals || !s) {
        if (s) db_stmt_done(s);
        json_decref(fdefs);
        json_decref(sdefs);
        json_decref(vals);
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    json_t *have = json_object();
    db_bind_int64(s, 1, a->id);
    while (db_step(s) == DB_ROW) json_object_set_new(have, db_col_text(s, 0), json_integer(db_col_int64(s, 1)));
    db_stmt_done(s);
    size_t i;
    json_t *d;
    json_array_foreach(fdefs, i, d)
    {
        const char *key = json_string_value(json_object_get(d, "key"));
        json_t *v = json_object_get(vals, key);
        if (json_is_true(json_object_get(d, "required")) && empty_value(v))
            zq_fail_field(q, r, zq_arena_printf(q->arena, "fields.%s", key),
                          zq_arena_printf(q->arena, "请填写「%s」", json_string_value(json_object_get(d, "label"))));
    }
    json_array_foreach(sdefs, i, d)
    {
        const char *key = json_string_value(json_object_get(d, "key"));
        if (json_is_true(json_object_get(d, "required")) && !json_object_get(have, key))
            zq_fail_field(q, r, zq_arena_printf(q->arena, "materials.%s", key),
                          zq_arena_printf(q->arena, "请上传「%s」", json_string_value(json_object_get(d, "name"))));
    }
    json_decref(have);
    json_decref(fdefs);
    json_decref(sdefs);
    json_decref(vals);
    return r->err;
}
