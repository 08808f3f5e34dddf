/*
 * call_form.c — a call's body checked field by field, with Chinese reasons
 * under the field's path ("slots[0].types"): title, sanitized body, times
 * in Asia/Shanghai, targets (src/targets), templates (bureau files), the
 * material slots, the form's typed fields, review levels and criteria.
 * Stored slots/fields/criteria are rebuilt from what was checked, so
 * unknown members never reach the database.
 */
#include "declare/call_form.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include "richtext/richtext.h"
#include "upload/upload.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 120
#define DEPT_MAX 60
#define CONTACT_MAX 100
#define BODY_MAX_CHARS 100000
#define KEY_MAX 32
#define LABEL_MAX 60
#define OPTIONS_MAX 30
#define CRITERIA_MAX 10

static const char *const TYPES[] = {"pdf", "doc", "docx", "xls", "xlsx", "jpg", "png", "zip"};
static const char *const FIELD_TYPES[] = {"text", "textarea", "number", "amount", "date", "single", "multiple", "bool"};

static bool in_list(const char *v, const char *const *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, l[i]) == 0) return true;
    return false;
}

static bool key_ok(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > KEY_MAX || !((k[0] >= 'a' && k[0] <= 'z'))) return false;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_')) return false;
    return true;
}

static const char *path(zq_req *q, const char *list, size_t i, const char *member)
{
    return member ? zq_arena_printf(q->arena, "%s[%zu].%s", list, i, member) : zq_arena_printf(q->arena, "%s[%zu]", list, i);
}

static const char *str_of(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool text_ok(const char *s, size_t max)
{
    return s && *s && zq_utf8_len(s) <= max;
}

static const char *dump(zq_req *q, json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT);
    const char *out = s ? zq_arena_strdup(q->arena, s) : NULL;
    free(s);
    json_decref(v);
    return out;
}

static void read_slots(zq_req *q, zq_resp *r, decl_call_form *f)
{
    json_t *in = json_object_get(q->json, "slots"), *out = json_array();
    if (in && !json_is_array(in)) zq_fail_field(q, r, "slots", "申报材料须为列表");
    else if (json_array_size(in) > DECL_SLOTS_MAX)
        zq_fail_field(q, r, "slots", zq_arena_printf(q->arena, "申报材料最多 %d 项", DECL_SLOTS_MAX));
    size_t i;
    json_t *o;
    json_array_foreach(json_is_array(in) && json_array_size(in) <= DECL_SLOTS_MAX ? in : NULL, i, o)
    {
        const char *key = str_of(o, "key"), *name = str_of(o, "name");
        json_t *types = json_object_get(o, "types"), *mb = json_object_get(o, "max_mb"), *req = json_object_get(o, "required");
        if (!key || !key_ok(key)) zq_fail_field(q, r, path(q, "slots", i, "key"), "标识须为小写字母开头的字母、数字或下划线，最长 32 位");
        for (size_t k = 0; key && k < i; k++)
            if (strcmp(key, str_of(json_array_get(in, k), "key") ? str_of(json_array_get(in, k), "key") : "") == 0)
                zq_fail_field(q, r, path(q, "slots", i, "key"), "材料标识重复");
        if (!text_ok(name, LABEL_MAX)) zq_fail_field(q, r, path(q, "slots", i, "name"), "请填写材料名称（不超过 60 个字）");
        if (req && !json_is_boolean(req)) zq_fail_field(q, r, path(q, "slots", i, "required"), "是否必传须为 true 或 false");
        json_t *tout = json_array();
        if (!json_is_array(types) || json_array_size(types) == 0 || json_array_size(types) > 8)
            zq_fail_field(q, r, path(q, "slots", i, "types"), "请选择允许的文件类型");
        else {
            size_t k;
            json_t *t;
            json_array_foreach(types, k, t)
            {
                if (!json_is_string(t) || !in_list(json_string_value(t), TYPES, sizeof TYPES / sizeof *TYPES)) {
                    zq_fail_field(q, r, path(q, "slots", i, "types"), "文件类型只能是 pdf、doc、docx、xls、xlsx、jpg、png 或 zip");
                    break;
                }
                json_array_append(tout, t);
            }
        }
        json_int_t max_mb = json_is_integer(mb) ? json_integer_value(mb) : mb ? -1 : 10;
        if (max_mb < 1 || max_mb > 10) zq_fail_field(q, r, path(q, "slots", i, "max_mb"), "大小上限须为 1–10 MB 的整数");
        json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:o,s:I}", "key", key ? key : "", "name", name ? name : "",
                                             "required", req ? json_is_true(req) : 1, "types", tout, "max_mb", max_mb));
    }
    f->slots_json = dump(q, out);
}

static void read_fields(zq_req *q, zq_resp *r, decl_call_form *f)
{
    json_t *in = json_object_get(q->json, "fields"), *out = json_array();
    if (in && !json_is_array(in)) zq_fail_field(q, r, "fields", "申报表单须为列表");
    else if (json_array_size(in) > DECL_FIELDS_MAX)
        zq_fail_field(q, r, "fields", zq_arena_printf(q->arena, "申报表单最多 %d 项", DECL_FIELDS_MAX));
    size_t i;
    json_t *o;
    json_array_foreach(json_is_array(in) && json_array_size(in) <= DECL_FIELDS_MAX ? in : NULL, i, o)
    {
        const char *key = str_of(o, "key"), *label = str_of(o, "label"), *type = str_of(o, "type");
        json_t *req = json_object_get(o, "required"), *opts = json_object_get(o, "options");
        if (!key || !key_ok(key)) zq_fail_field(q, r, path(q, "fields", i, "key"), "标识须为小写字母开头的字母、数字或下划线，最长 32 位");
        for (size_t k = 0; key && k < i; k++)
            if (strcmp(key, str_of(json_array_get(in, k), "key") ? str_of(json_array_get(in, k), "key") : "") == 0)
                zq_fail_field(q, r, path(q, "fields", i, "key"), "字段标识重复");
        if (!text_ok(label, LABEL_MAX)) zq_fail_field(q, r, path(q, "fields", i, "label"), "请填写字段名称（不超过 60 个字）");
        if (!type || !in_list(type, FIELD_TYPES, sizeof FIELD_TYPES / sizeof *FIELD_TYPES))
            zq_fail_field(q, r, path(q, "fields", i, "type"), "字段类型不正确");
        if (req && !json_is_boolean(req)) zq_fail_field(q, r, path(q, "fields", i, "required"), "是否必填须为 true 或 false");
        json_t *fo = json_pack("{s:s,s:s,s:s,s:b}", "key", key ? key : "", "label", label ? label : "", "type",
                               type ? type : "", "required", req ? json_is_true(req) : 0);
        bool choice = type && (strcmp(type, "single") == 0 || strcmp(type, "multiple") == 0);
        if (choice) {
            if (!json_is_array(opts) || json_array_size(opts) < 2 || json_array_size(opts) > OPTIONS_MAX)
                zq_fail_field(q, r, path(q, "fields", i, "options"), "选择题须有 2–30 个选项");
            else {
                size_t k;
                json_t *t;
                json_array_foreach(opts, k, t) if (!json_is_string(t) || !text_ok(json_string_value(t), LABEL_MAX))
                {
                    zq_fail_field(q, r, path(q, "fields", i, "options"), "选项须为不超过 60 个字的文字");
                    break;
                }
                json_object_set(fo, "options", opts);
            }
        }
        /* bounds: numbers/amounts min/max, texts max length */
        json_t *mn = json_object_get(o, "min"), *mx = json_object_get(o, "max"), *ml = json_object_get(o, "max_length");
        if (mn && !json_is_number(mn)) zq_fail_field(q, r, path(q, "fields", i, "min"), "下限须为数字");
        if (mx && !json_is_number(mx)) zq_fail_field(q, r, path(q, "fields", i, "max"), "上限须为数字");
        if (json_is_number(mn) && json_is_number(mx) && json_number_value(mn) > json_number_value(mx))
            zq_fail_field(q, r, path(q, "fields", i, "max"), "上限不能小于下限");
        if (ml && (!json_is_integer(ml) || json_integer_value(ml) < 1 || json_integer_value(ml) > 5000))
            zq_fail_field(q, r, path(q, "fields", i, "max_length"), "长度上限须为 1–5000 的整数");
        if (json_is_number(mn)) json_object_set(fo, "min", mn);
        if (json_is_number(mx)) json_object_set(fo, "max", mx);
        if (json_is_integer(ml)) json_object_set(fo, "max_length", ml);
        json_array_append_new(out, fo);
    }
    f->fields_json = dump(q, out);
}

static void read_levels_criteria(zq_req *q, zq_resp *r, decl_call_form *f)
{
    json_t *lv = json_object_get(q->json, "levels");
    f->levels = "district,city";
    if (lv) {
        bool d = json_is_array(lv) && json_array_size(lv) == 2 && json_is_string(json_array_get(lv, 0)) &&
                 strcmp(json_string_value(json_array_get(lv, 0)), "district") == 0 &&
                 json_is_string(json_array_get(lv, 1)) && strcmp(json_string_value(json_array_get(lv, 1)), "city") == 0;
        bool c = json_is_array(lv) && json_array_size(lv) == 1 && json_is_string(json_array_get(lv, 0)) &&
                 strcmp(json_string_value(json_array_get(lv, 0)), "city") == 0;
        if (c) f->levels = "city";
        else if (!d) zq_fail_field(q, r, "levels", "审核层级只能是 [\"district\",\"city\"] 或 [\"city\"]");
    }
    json_t *in = json_object_get(q->json, "criteria"), *out = json_array();
    if (in && (!json_is_array(in) || json_array_size(in) > CRITERIA_MAX))
        zq_fail_field(q, r, "criteria", "评分标准须为列表，最多 10 项");
    size_t i;
    json_t *o;
    json_int_t sum = 0;
    json_array_foreach(json_is_array(in) && json_array_size(in) <= CRITERIA_MAX ? in : NULL, i, o)
    {
        const char *name = str_of(o, "name");
        json_t *wt = json_object_get(o, "weight");
        if (!text_ok(name, LABEL_MAX)) zq_fail_field(q, r, path(q, "criteria", i, "name"), "请填写评分项名称（不超过 60 个字）");
        for (size_t k = 0; name && k < i; k++)
            if (strcmp(name, str_of(json_array_get(in, k), "name") ? str_of(json_array_get(in, k), "name") : "") == 0)
                zq_fail_field(q, r, path(q, "criteria", i, "name"), "评分项重复");
        if (!json_is_integer(wt) || json_integer_value(wt) < 1 || json_integer_value(wt) > 100)
            zq_fail_field(q, r, path(q, "criteria", i, "weight"), "权重须为 1–100 的整数");
        else sum += json_integer_value(wt);
        json_array_append_new(out, json_pack("{s:s,s:I}", "name", name ? name : "", "weight",
                                             json_is_integer(wt) ? json_integer_value(wt) : 0));
    }
    if (json_array_size(out) > 0 && sum != 100 && !r->err) zq_fail_field(q, r, "criteria", "评分权重合计须为 100");
    f->criteria_json = dump(q, out);
}

static void read_templates(zq_req *q, zq_resp *r, decl_call_form *f)
{
    json_t *in = json_object_get(q->json, "templates");
    f->ntemplates = 0;
    if (!in) return;
    if (!json_is_array(in) || json_array_size(in) > DECL_TEMPLATES_MAX) {
        zq_fail_field(q, r, "templates", "申报附件最多 20 个");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(in, i, v)
    {
        /* a district clerk uses only the files its scope reaches (upload.h) */
        int rc = json_is_integer(v) ? upload_bureau_reach(q, json_integer_value(v), NULL) : DB_DONE;
        if (rc != DB_ROW && rc != DB_DONE) {
            zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
            return;
        }
        if (rc == DB_DONE) {
            zq_fail_field(q, r, path(q, "templates", i, NULL), "附件不存在，请重新上传");
            continue;
        }
        int64_t id = json_integer_value(v);
        bool seen = false;
        for (int k = 0; k < f->ntemplates; k++) seen |= f->templates[k] == id;
        if (!seen) f->templates[f->ntemplates++] = id;
    }
}

zq_err decl_call_form_read(zq_req *q, zq_resp *r, decl_call_form *f)
{
    memset(f, 0, sizeof *f);
    static const char *const allowed[] = {"title", "body_html", "department", "policy_id", "targets", "open_at", "close_at",
                                          "contact", "templates", "slots", "fields", "levels", "criteria", NULL};
    zq_in_only(q, r, allowed);
    f->title = zq_in_str(q, r, "title", "标题", true, TITLE_MAX);
    const char *body = zq_in_str(q, r, "body_html", "正文", true, BODY_MAX_CHARS);
    if (body) {
        richtext_out o;
        if (richtext_clean(q->arena, body, strlen(body), &o) != 0) zq_fail_field(q, r, "body_html", "正文无法识别");
        else if (!*o.text) zq_fail_field(q, r, "body_html", "请填写正文");
        else {
            f->body_html = o.html;
            f->body_text = o.text;
        }
    }
    f->department = zq_in_str(q, r, "department", "发布部门", false, DEPT_MAX);
    f->contact = zq_in_str(q, r, "contact", "联系方式", false, CONTACT_MAX);
    json_t *pid = json_object_get(q->json, "policy_id");
    if (pid && !json_is_null(pid)) {
        if (!json_is_integer(pid) || json_integer_value(pid) < 1) zq_fail_field(q, r, "policy_id", "关联政策不存在");
        else {
            f->policy_id = json_integer_value(pid);
            db_stmt *s = db_prepare(q->db, "SELECT 1 FROM content_item WHERE id = $1 AND kind IN ('news', 'interpretation')");
            bool ok = s && (db_bind_int64(s, 1, f->policy_id), db_step(s) == DB_ROW);
            if (s) db_stmt_done(s);
            if (!ok) zq_fail_field(q, r, "policy_id", "关联政策不存在");
        }
    }
    const char *oa = zq_in_str(q, r, "open_at", "开始时间", true, 25), *ca = zq_in_str(q, r, "close_at", "截止时间", true, 25);
    if (oa && !zq_time_parse_opt(oa, ZQ_TIME_STRICT, &f->open_at)) zq_fail_field(q, r, "open_at", "时间格式须为 YYYY-MM-DDTHH:MM:SS+08:00");
    if (ca && !zq_time_parse_opt(ca, ZQ_TIME_STRICT, &f->close_at)) zq_fail_field(q, r, "close_at", "时间格式须为 YYYY-MM-DDTHH:MM:SS+08:00");
    if (f->open_at && f->close_at && f->close_at <= f->open_at) zq_fail_field(q, r, "close_at", "截止时间须晚于开始时间");
    zq_err te = targets_read(q, r, q->json, &f->targets);
    (void)te;
    read_templates(q, r, f);
    read_slots(q, r, f);
    read_fields(q, r, f);
    read_levels_criteria(q, r, f);
    if (!f->slots_json || !f->fields_json || !f->criteria_json) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return r->err;
}
