/*
 * form.c — reads the bureau's questionnaire body (POST and PUT of
 * /api/v1/admin/surveys): title, description, audience (targets or an
 * explicit list of firms), open/close times, per, anonymous, allow_edit and
 * the questions. Every field checked before anything is written.
 */
#include "survey/survey_form.h"
#include "core/clock.h"
#include "http/input.h"
#include "http/scope.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPEN_SPAN (3 * 366 * 86400)

bool sv_read_time(zq_req *q, zq_resp *r, const char *field, bool required, int64_t *out)
{
    json_t *v = q->json ? json_object_get(q->json, field) : NULL;
    if (!v || json_is_null(v)) {
        if (required) zq_fail_field(q, r, field, "请填写时间");
        return false;
    }
    if (!json_is_string(v) || !zq_time_parse(json_string_value(v), out)) {
        zq_fail_field(q, r, field, "时间格式应为 2026-12-08T09:00:00+08:00");
        return false;
    }
    return true;
}

static const char *const KEYS[] = {"title", "description", "targets", "enterprise_ids", "open_at", "close_at", "per",
                                   "anonymous", "allow_edit", "questions", "copy_from", NULL};

static void read_list(zq_req *q, zq_resp *r, sv_form *f)
{
    json_t *v = json_object_get(q->json, "enterprise_ids");
    f->enterprise_ids = "[]";
    if (!v || json_is_null(v)) return;
    if (!json_is_array(v) || json_array_size(v) > SV_MAX_LIST) {
        zq_fail_field(q, r, "enterprise_ids", "企业名单应为不超过 5000 个企业编号的列表");
        return;
    }
    json_t *clean = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_integer(e) || json_integer_value(e) <= 0) {
            zq_fail_field(q, r, "enterprise_ids", "企业编号应为正整数");
            break;
        }
        json_array_append(clean, e);
    }
    f->nlist = json_array_size(clean);
    char *t = r->err ? NULL : json_dumps(clean, JSON_COMPACT);
    if (t) f->enterprise_ids = zq_arena_strdup(q->arena, t);
    free(t);
    json_decref(clean);
}

zq_err sv_form_read(zq_req *q, zq_resp *r, sv_form *f)
{
    memset(f, 0, sizeof *f);
    if (!q->json) return zq_fail(r, ZQ_E_BAD_REQUEST, "请求体应为 JSON 对象");
    zq_in_only(q, r, KEYS);
    f->title = zq_in_str(q, r, "title", "标题", true, 200);
    f->description = zq_in_str(q, r, "description", "说明", false, 2000);
    if (!f->description) f->description = "";
    if (targets_read(q, r, q->json, &f->targets) != ZQ_OK && !r->err) zq_fail_field(q, r, "targets", "对象范围不正确");
    const char *scope = zq_scope_value(q);
    if (scope && *scope) targets_force_region(q->arena, &f->targets, scope);
    read_list(q, r, f);
    f->open_at = q->now;
    sv_read_time(q, r, "open_at", false, &f->open_at);
    if (sv_read_time(q, r, "close_at", true, &f->close_at) && !r->err) {
        if (f->close_at <= f->open_at) zq_fail_field(q, r, "close_at", "截止时间应晚于开始时间");
        else if (f->close_at - f->open_at > MAX_OPEN_SPAN) zq_fail_field(q, r, "close_at", "填写期不超过三年");
    }
    f->per = "enterprise";
    json_t *per = json_object_get(q->json, "per");
    if (per && !json_is_null(per)) {
        const char *p = json_is_string(per) ? json_string_value(per) : "";
        if (strcmp(p, "enterprise") == 0 || strcmp(p, "member") == 0) f->per = p;
        else zq_fail_field(q, r, "per", "填写方式应为 enterprise（每企业一份）或 member（每人一份）");
    }
    f->anonymous = zq_in_bool(q, r, "anonymous", "匿名", false);
    f->allow_edit = zq_in_bool(q, r, "allow_edit", "提交后可修改", false);
    if (sv_def_read(q, r, json_object_get(q->json, "questions"), &f->def) == ZQ_OK)
        f->definition = sv_def_json(q->arena, &f->def);
    if (!r->err && !f->definition) zq_fail(r, ZQ_E_TOO_LARGE, "问卷内容过大");
    return r->err;
}
