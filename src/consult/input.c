/*
 * input.c — reading a new consultation, a rich-text reply or follow-up,
 * and attachments. Everything is checked before anything is written, so a
 * refused request stores nothing.
 */
#include "consult/consult_internal.h"
#include "core/buf.h"
#include "core/text.h"
#include "dict/dict.h"
#include "http/input.h"
#include "richtext/richtext.h"
#include <jansson.h>
#include <string.h>
#include <strings.h>

/* the firm's own uploads only; staff may attach any of the bureau's files */
static const char SQL_UPLOAD[] = "SELECT 1 FROM upload WHERE id = $1 AND ($2 = 0 OR enterprise_id = $2)";

static const char *const submit_keys[] = {"kind", "category", "title", "content", "attachments", "publishable", NULL};

/* Markup that would run script: refused with a message rather than
 * silently cleaned (the bad input: "rich text with script"). */
static bool has_script(const char *s)
{
    static const char *const bad[] = {"<script", "javascript:", "vbscript:", "<iframe", "<object", "<embed",
                                      "onerror", "onload", "onclick", "onmouseover", "onfocus", NULL};
    for (int i = 0; bad[i]; i++)
        if (strcasestr(s, bad[i])) return true;
    return false;
}

bool cs_read_rich(zq_req *q, zq_resp *r, const char *field, const char *label, size_t max, const char **html,
                  const char **text)
{
    /* the visible text is what is limited; markup may add some, not unbounded */
    const char *in = zq_in_str(q, r, field, label, true, max * 4);
    if (!in) return false;
    if (has_script(in)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s包含脚本等不允许的内容，请删除后再提交", label));
        return false;
    }
    richtext_out o;
    if (richtext_clean(q->arena, in, strlen(in), &o) != 0) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s过长或无法解析", label));
        return false;
    }
    if (!*o.text) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "请填写%s", label));
        return false;
    }
    if (zq_utf8_len(o.text) > max) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s不能超过 %zu 个字", label, max));
        return false;
    }
    *html = o.html;
    *text = o.text;
    return true;
}

const char *cs_read_attachments(zq_req *q, zq_resp *r)
{
    json_t *v = json_object_get(q->json, "attachments");
    if (!v || json_is_null(v)) return "[]";
    if (!json_is_array(v) || json_array_size(v) > CS_ATTACH_MAX) {
        zq_fail_field(q, r, "attachments", "附件格式不正确（最多 10 个）");
        return NULL;
    }
    zq_buf b;
    zq_buf_init(&b, 512);
    zq_buf_putc(&b, '[');
    size_t i;
    json_t *it;
    int64_t eid = q->session && !q->session->staff_id ? q->session->enterprise_id : 0;
    json_array_foreach(v, i, it) {
        json_int_t id = json_is_integer(it) ? json_integer_value(it) : 0;
        bool ok = false;
        db_stmt *s = id > 0 ? db_prepare(q->db, SQL_UPLOAD) : NULL;
        if (s) {
            db_bind_int64(s, 1, id);
            db_bind_int64(s, 2, eid);
            ok = db_step(s) == DB_ROW;
            db_stmt_done(s);
        }
        if (!ok) {
            zq_buf_free(&b);
            zq_fail_field(q, r, "attachments", "附件不存在，请重新上传");
            return NULL;
        }
        zq_buf_printf(&b, "%s%lld", i ? "," : "", (long long)id);
    }
    zq_buf_putc(&b, ']');
    const char *out = b.overflow ? NULL : zq_arena_strdup(q->arena, b.data);
    zq_buf_free(&b);
    return out;
}

zq_err cs_read_submission(zq_req *q, zq_resp *r, const char *const *extra, cs_submission *out)
{
    memset(out, 0, sizeof *out);
    const char *keys[16];
    int n = 0;
    for (int i = 0; submit_keys[i]; i++) keys[n++] = submit_keys[i];
    for (int i = 0; extra && extra[i] && n < 15; i++) keys[n++] = extra[i];
    keys[n] = NULL;
    zq_in_only(q, r, keys);
    out->kind = zq_in_str(q, r, "kind", "类型", true, 16);
    if (out->kind && strcmp(out->kind, "question") != 0 && strcmp(out->kind, "suggestion") != 0)
        zq_fail_field(q, r, "kind", "类型只能是咨询或建议");
    out->category = zq_in_str(q, r, "category", "类别", true, 32);
    if (out->category && !dict_has_code(q->db, "consult_category", out->category))
        zq_fail_field(q, r, "category", "咨询类别不存在，请重新选择");
    out->title = zq_in_str(q, r, "title", "标题", true, CS_TITLE_MAX);
    cs_read_rich(q, r, "content", "内容", CS_CONTENT_MAX, &out->content_html, &out->content_text);
    out->attachments_json = cs_read_attachments(q, r);
    out->publishable = zq_in_bool(q, r, "publishable", "是否同意公开", false);
    return r->err;
}
