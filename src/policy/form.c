/*
 * form.c — reading and checking the body of POST/PUT on a content item
 * (policy_form.h): every field's shape, the dictionaries, the linked
 * policy and uploads, the targets (src/targets) and the sanitized body
 * (src/richtext). Nothing is written here.
 */
#include "policy/policy_form.h"
#include "core/clock.h"
#include "db/db.h"
#include "dict/dict.h"
#include "http/input.h"
#include "richtext/richtext.h"
#include "upload/upload.h"
#include <string.h>

#define BODY_MAX_CHARS 150000

static const char SQL_INTERPRETS[] = "SELECT kind, status, region FROM content_item WHERE id = $1";

static const char *const allowed_keys[] = {
    "kind", "title", "summary", "body_html", "department", "doc_no", "types", "targets", "attachments",
    "interprets", "effective_from", "effective_to", "cover", "redeliver", NULL,
};

/* An array of bureau file ids (or absent): staff upload them through
 * /api/v1/admin/uploads, and the portal serves them once published. A
 * district editor uses only the files its scope reaches (the staff
 * download's rule, so attaching a file is no way around it). */
static void read_attachments(zq_req *q, zq_resp *r, pol_form *f)
{
    json_t *v = json_object_get(q->json, "attachments");
    if (!v || json_is_null(v)) return;
    f->has_attachments = true;
    if (!json_is_array(v) || json_array_size(v) > POL_ATTACH_MAX) {
        zq_fail_field(q, r, "attachments", "附件格式不正确（最多 20 个）");
        return;
    }
    f->attachments = zq_arena_alloc(q->arena, sizeof *f->attachments * (json_array_size(v) + 1));
    if (!f->attachments) return;
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        json_int_t id = json_is_integer(it) ? json_integer_value(it) : 0;
        const char *mime;
        int rc = id > 0 ? upload_bureau_reach(q, id, &mime) : DB_DONE;
        if (rc != DB_ROW && rc != DB_DONE) {
            zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
            return;
        }
        if (rc == DB_DONE) {
            zq_fail_field(q, r, "attachments", "附件不存在，请重新上传");
            return;
        }
        for (int k = 0; k < f->nattach; k++)
            if (f->attachments[k] == id) {
                zq_fail_field(q, r, "attachments", "附件有重复项");
                return;
            }
        f->attachments[f->nattach++] = id;
    }
}

static void read_types(zq_req *q, zq_resp *r, pol_form *f)
{
    if (!zq_in_has(q, "types")) return;
    f->has_types = true;
    f->types = zq_in_str_list(q, r, "types", "政策类型", false, POL_TYPES_MAX, 32, &f->ntypes);
    for (int i = 0; i < f->ntypes; i++) {
        dict_state st = dict_lookup(q, "policy_type", f->types[i], false, NULL);
        if (st == DICT_ERROR) {
            zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
            return;
        }
        if (st != DICT_ENABLED) {
            zq_fail_field(q, r, "types", "政策类型不存在或已停用，请从列表中选择");
            return;
        }
    }
}

static const char *read_date(zq_req *q, zq_resp *r, const char *field, const char *label, bool *has)
{
    *has = zq_in_has(q, field);
    const char *v = zq_in_str(q, r, field, label, false, 10);
    int64_t t;
    if (v && !zq_date_parse(v, &t)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s须为 YYYY-MM-DD 格式的日期", label));
        return NULL;
    }
    return v;
}

static int64_t read_id(zq_req *q, zq_resp *r, const char *field, const char *label, bool *has)
{
    json_t *v = json_object_get(q->json, field);
    *has = v != NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s格式不正确", label));
        return 0;
    }
    return json_integer_value(v);
}

/* The cover is a bureau file whose content (sniffed at upload) is an
 * image: the portal shows it in an <img>, so a PDF or a spreadsheet would
 * be a broken picture on every page that lists the item. */
static void read_cover(zq_req *q, zq_resp *r, pol_form *f)
{
    f->cover = read_id(q, r, "cover", "封面图片", &f->has_cover);
    if (!f->cover) return;
    const char *mime = NULL;
    int rc = upload_bureau_reach(q, f->cover, &mime);
    if (rc != DB_ROW && rc != DB_DONE) zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    else if (rc == DB_DONE) zq_fail_field(q, r, "cover", "封面图片不存在，请重新上传");
    else if (!pol_cover_mime_ok(mime)) zq_fail_field(q, r, "cover", "封面图片只能是 JPG 或 PNG 格式的图片");
}

zq_err pol_form_read(zq_req *q, zq_resp *r, pol_form *f, const pol_family *fam, bool create)
{
    memset(f, 0, sizeof *f);
    if (!q->json) return zq_fail(r, ZQ_E_BAD_REQUEST, "请求内容须为 JSON 对象");
    zq_in_only(q, r, allowed_keys);
    if (create && zq_in_has(q, "redeliver")) zq_fail_field(q, r, "redeliver", "不支持的字段");

    f->has_kind = zq_in_has(q, "kind");
    f->kind = zq_in_str(q, r, "kind", "类别", create && !fam->default_kind, 20);
    if (!f->kind && create) f->kind = fam->default_kind;
    if (f->kind && !strstr(fam->kinds, f->kind))
        zq_fail_field(q, r, "kind", fam->default_kind ? "类别只能是通知公告" : "类别只能是政策资讯或政策解读");
    else if (f->kind) {
        /* a whole word of the family's list, not a piece of one */
        bool word = false;
        for (const char *p = fam->kinds; (p = strstr(p, f->kind)); p++)
            if ((p == fam->kinds || p[-1] == ' ') && (p[strlen(f->kind)] == ' ' || !p[strlen(f->kind)])) word = true;
        if (!word) zq_fail_field(q, r, "kind", "类别不正确");
    }

    f->has_title = zq_in_has(q, "title");
    f->title = zq_in_str(q, r, "title", "标题", create || f->has_title, POL_TITLE_MAX);
    f->has_summary = zq_in_has(q, "summary");
    f->summary = zq_in_str(q, r, "summary", "摘要", false, POL_SUMMARY_MAX);
    f->has_department = zq_in_has(q, "department");
    f->department = zq_in_str(q, r, "department", "发布部门", false, POL_DEPT_MAX);
    f->has_doc_no = zq_in_has(q, "doc_no");
    f->doc_no = zq_in_str(q, r, "doc_no", "文号", false, POL_DOCNO_MAX);
    f->effective_from = read_date(q, r, "effective_from", "生效日期", &f->has_from);
    f->effective_to = read_date(q, r, "effective_to", "失效日期", &f->has_to);
    if (f->effective_from && f->effective_to && strcmp(f->effective_from, f->effective_to) > 0)
        zq_fail_field(q, r, "effective_to", "失效日期不能早于生效日期");
    f->redeliver = zq_in_bool(q, r, "redeliver", "重新推送", false);

    f->has_body = zq_in_has(q, "body_html");
    const char *body = zq_in_str(q, r, "body_html", "正文", create || f->has_body, BODY_MAX_CHARS);
    if (body) {
        richtext_out o;
        if (richtext_clean(q->arena, body, strlen(body), &o) != 0) {
            zq_fail_field(q, r, "body_html", "正文过长或无法解析");
        } else if (!*o.text && !strstr(o.html, "<img")) {
            zq_fail_field(q, r, "body_html", "正文不能为空");
        } else {
            f->body_html = o.html;
            f->body_text = o.text;
        }
    }

    read_types(q, r, f);
    read_attachments(q, r, f);
    read_cover(q, r, f);
    f->interprets = read_id(q, r, "interprets", "所解读的政策", &f->has_interprets);

    f->has_targets = zq_in_has(q, "targets");
    if (f->has_targets) {
        /* targets_read takes the body and reads its `targets` member */
        if (targets_read(q, r, q->json, &f->targets) != ZQ_OK && !r->err)
            zq_fail(r, ZQ_E_VALIDATION, NULL);
    } else {
        memset(&f->targets, 0, sizeof f->targets);
    }
    return r->err;
}

zq_err pol_form_check_link(zq_req *q, zq_resp *r, const pol_form *f, const char *kind, int64_t self_id)
{
    bool interp = kind && strcmp(kind, "interpretation") == 0;
    if (!interp) {
        if (f->interprets) zq_fail_field(q, r, "interprets", "只有政策解读可以关联所解读的政策");
        return r->err;
    }
    if (!f->interprets) {
        zq_fail_field(q, r, "interprets", "请选择所解读的政策");
        return r->err;
    }
    db_stmt *s = db_prepare(q->db, SQL_INTERPRETS);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, f->interprets);
    int rc = db_step(s);
    bool ok = rc == DB_ROW && f->interprets != self_id && strcmp(db_col_text(s, 0), "news") == 0 &&
              strcmp(db_col_text(s, 1), "withdrawn") != 0;
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (!ok) zq_fail_field(q, r, "interprets", "所解读的政策不存在或已撤回");
    return r->err;
}
