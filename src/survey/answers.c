/*
 * answers.c — checks a firm's answers against the questionnaire, the same
 * rules the screens apply: a question is shown when its condition holds on
 * the (kept) answer it looks at and that question is itself shown, so
 * nested conditions chain; answers to hidden questions are dropped, not
 * stored; required applies only to shown questions and only on submit.
 * Produces the canonical stored JSON and the rows the results count.
 */
#include "survey/survey_internal.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/text.h"
#include "upload/upload.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define TEXT_MAX 200
#define TEXTAREA_MAX 2000
#define OTHER_MAX 200

typedef struct {
    zq_req *q;
    zq_resp *r;
    sv_row *rows;
    size_t nrows, cap;
} acc;

static void add_row(acc *a, char kind, const char *qkey, const char *sub, const char *value, double num)
{
    if (a->nrows == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 64;
        sv_row *n = zq_arena_alloc(a->q->arena, nc * sizeof *n);
        if (a->nrows) memcpy(n, a->rows, a->nrows * sizeof *n);
        a->rows = n;
        a->cap = nc;
    }
    a->rows[a->nrows++] = (sv_row){kind, qkey, sub, value, num, false};
}

static void bad(acc *a, const char *key, const char *why)
{
    zq_fail_field(a->q, a->r, zq_arena_printf(a->q->arena, "answers.%s", key), why);
}

static const sv_option *option(const sv_question *x, const char *key)
{
    for (size_t k = 0; key && k < x->noptions; k++)
        if (strcmp(x->options[k].key, key) == 0) return &x->options[k];
    return NULL;
}

static bool text_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (!zq_utf8_valid(s, n)) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') return false;
    return zq_utf8_len(s) <= max;
}

/* Whether a kept answer v of choice question c has one of the keys in. */
static bool answer_in(json_t *v, const sv_question *x)
{
    char buf[8];
    for (size_t k = 0; k < x->ncond; k++) {
        const char *want = x->cond_in[k];
        if (json_is_string(v) && strcmp(json_string_value(v), want) == 0) return true;
        if (json_is_integer(v)) {
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            if (strcmp(buf, want) == 0) return true;
        }
        size_t i;
        json_t *e;
        if (json_is_array(v)) json_array_foreach(v, i, e) if (json_is_string(e) && strcmp(json_string_value(e), want) == 0) return true;
    }
    return false;
}

/* Checks one shown answer; on success returns the value to keep (new
 * reference) and adds its rows; NULL after a field error. *wants_other:
 * an option with 「其他」 was chosen. */
static json_t *check_one(acc *a, const sv_question *x, json_t *v, int64_t eid, bool *wants_other)
{
    *wants_other = false;
    switch (x->type) {
    case SV_SINGLE: {
        const sv_option *o = json_is_string(v) ? option(x, json_string_value(v)) : NULL;
        if (!json_is_string(v)) return bad(a, x->key, "应为一个选项编码"), NULL;
        if (!o) return bad(a, x->key, "所选项不在选项中"), NULL;
        *wants_other = o->other;
        add_row(a, 'c', x->key, "", o->key, 0);
        return json_string(o->key);
    }
    case SV_MULTIPLE: {
        if (!json_is_array(v)) return bad(a, x->key, "应为选项编码的列表"), NULL;
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(v, i);
            const sv_option *o = json_is_string(e) ? option(x, json_string_value(e)) : NULL;
            if (!o) return bad(a, x->key, "所选项不在选项中"), NULL;
            for (size_t j = 0; j < i; j++)
                if (strcmp(json_string_value(json_array_get(v, j)), o->key) == 0)
                    return bad(a, x->key, "选项重复"), NULL;
            if (o->other) *wants_other = true;
        }
        if (x->has_max && (double)n > x->max)
            return bad(a, x->key, zq_arena_printf(a->q->arena, "最多选择 %d 项", (int)x->max)), NULL;
        if (n && x->has_min && (double)n < x->min)
            return bad(a, x->key, zq_arena_printf(a->q->arena, "至少选择 %d 项", (int)x->min)), NULL;
        for (size_t i = 0; i < n; i++)
            add_row(a, 'c', x->key, "", zq_arena_strdup(a->q->arena, json_string_value(json_array_get(v, i))), 0);
        return json_deep_copy(v);
    }
    case SV_TEXT:
    case SV_TEXTAREA: {
        size_t max = x->type == SV_TEXT ? TEXT_MAX : TEXTAREA_MAX;
        if (!json_is_string(v)) return bad(a, x->key, "应为文字"), NULL;
        if (!text_ok(json_string_value(v), max))
            return bad(a, x->key, zq_arena_printf(a->q->arena, "不超过 %zu 个字符，且不含控制字符", max)), NULL;
        add_row(a, 't', x->key, "", zq_arena_strdup(a->q->arena, json_string_value(v)), 0);
        return json_string(json_string_value(v));
    }
    case SV_NUMBER: {
        if (!json_is_number(v) || !isfinite(json_number_value(v)) || fabs(json_number_value(v)) > 1e12)
            return bad(a, x->key, "应为数字"), NULL;
        double d = json_number_value(v);
        if ((x->has_min && d < x->min) || (x->has_max && d > x->max))
            return bad(a, x->key, zq_arena_printf(a->q->arena, "应在 %g 到 %g 之间", x->has_min ? x->min : -1e12,
                                                   x->has_max ? x->max : 1e12)),
                   NULL;
        add_row(a, 'n', x->key, "", zq_arena_printf(a->q->arena, "%.10g", d), d);
        return json_is_integer(v) ? json_integer(json_integer_value(v)) : json_real(d);
    }
    case SV_AMOUNT: {
        char tmp[48];
        const char *s = json_is_string(v) ? json_string_value(v) : NULL;
        if (json_is_integer(v)) snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v)), s = tmp;
        int64_t yuan = 0;
        zq_money_rc mrc = s ? zq_wan_to_yuan(s, &yuan) : ZQ_MONEY_FORMAT;
        if (mrc != ZQ_MONEY_OK) return bad(a, x->key, zq_money_message(mrc)), NULL;
        double d = (double)yuan / 10000.0;
        if ((x->has_min && d < x->min) || (x->has_max && d > x->max))
            return bad(a, x->key, zq_arena_printf(a->q->arena, "金额应在 %g 到 %g 万元之间", x->has_min ? x->min : 0,
                                                   x->has_max ? x->max : 1e12)),
                   NULL;
        char wan[32];
        zq_yuan_to_wan(yuan, wan);
        add_row(a, 'n', x->key, "", zq_arena_strdup(a->q->arena, wan), d);
        return json_string(wan);
    }
    case SV_DATE: {
        int y, m, d;
        if (!json_is_string(v) || !zq_date_ymd(json_string_value(v), &y, &m, &d))
            return bad(a, x->key, "日期格式应为 YYYY-MM-DD"), NULL;
        add_row(a, 't', x->key, "", zq_arena_strdup(a->q->arena, json_string_value(v)), 0);
        return json_string(json_string_value(v));
    }
    case SV_RATING: {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5)
            return bad(a, x->key, "评分应为 1–5 的整数"), NULL;
        int64_t s = json_integer_value(v);
        add_row(a, 'c', x->key, "", zq_arena_printf(a->q->arena, "%lld", (long long)s), (double)s);
        return json_integer(s);
    }
    case SV_MATRIX: {
        if (!json_is_object(v)) return bad(a, x->key, "应为 {行编码: 选项编码}"), NULL;
        const char *rk;
        json_t *e;
        json_object_foreach(v, rk, e)
        {
            bool row = false;
            for (size_t i = 0; i < x->nrows && !row; i++) row = strcmp(x->rows[i].key, rk) == 0;
            if (!row) return bad(a, x->key, zq_arena_printf(a->q->arena, "行 %s 不存在", rk)), NULL;
            if (!json_is_string(e) || !option(x, json_string_value(e)))
                return bad(a, x->key, "所选项不在选项中"), NULL;
        }
        json_object_foreach(v, rk, e)
            add_row(a, 'c', x->key, zq_arena_strdup(a->q->arena, rk), zq_arena_strdup(a->q->arena, json_string_value(e)), 0);
        return json_deep_copy(v);
    }
    case SV_FILE: {
        if (!json_is_integer(v) || json_integer_value(v) <= 0) return bad(a, x->key, "应为已上传文件的编号"), NULL;
        if (!upload_belongs_to(a->q->db, json_integer_value(v), eid)) return bad(a, x->key, "文件不存在"), NULL;
        add_row(a, 't', x->key, "", zq_arena_printf(a->q->arena, "%lld", (long long)json_integer_value(v)), 0);
        return json_integer(json_integer_value(v));
    }
    }
    return NULL;
}

static bool matrix_complete(const sv_question *x, json_t *v)
{
    for (size_t i = 0; i < x->nrows; i++)
        if (!json_is_string(json_object_get(v, x->rows[i].key))) return false;
    return true;
}

zq_err sv_answers_check(zq_req *q, zq_resp *r, const sv_def *d, json_t *answers, json_t *other, bool final,
                        int64_t enterprise_id, sv_checked *out)
{
    memset(out, 0, sizeof *out);
    acc a = {.q = q, .r = r};
    if (!json_is_object(answers)) {
        zq_fail_field(q, r, "answers", "答案应为对象");
        return r->err;
    }
    if (other && !json_is_null(other) && !json_is_object(other)) {
        zq_fail_field(q, r, "other", "「其他」内容应为对象");
        return r->err;
    }
    const char *k;
    json_t *v;
    json_object_foreach(answers, k, v) if (sv_def_find(d, k) < 0) bad(&a, k, "题目不存在");
    if (json_is_object(other)) json_object_foreach(other, k, v)
    {
        int i = sv_def_find(d, k);
        if (i < 0) zq_fail_field(q, r, zq_arena_printf(q->arena, "other.%s", k), "题目不存在");
        else if (!json_is_null(v) && (!json_is_string(v) || !text_ok(json_string_value(v), OTHER_MAX)))
            zq_fail_field(q, r, zq_arena_printf(q->arena, "other.%s", k), "「其他」内容应为不超过 200 个字符的文字");
    }
    if (r->err) return r->err;

    json_t *keep = json_object(), *keep_other = json_object();
    bool *shown = zq_arena_alloc(q->arena, d->n * sizeof *shown);
    for (size_t i = 0; i < d->n; i++) {
        const sv_question *x = &d->q[i];
        shown[i] = x->cond_q < 0 ||
                   (shown[x->cond_q] && answer_in(json_object_get(keep, d->q[x->cond_q].key), x));
        if (!shown[i]) continue; /* hidden: whatever came is dropped */
        out->shown++;
        v = json_object_get(answers, x->key);
        bool empty = !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v) && x->type != SV_SINGLE) ||
                     (json_is_array(v) && json_array_size(v) == 0) || (json_is_object(v) && json_object_size(v) == 0);
        if (empty) {
            if (final && x->required) bad(&a, x->key, "此题为必答题");
            continue;
        }
        bool wants_other = false;
        size_t first = a.nrows;
        json_t *kv = check_one(&a, x, v, enterprise_id, &wants_other);
        if (!kv) continue;
        if (a.nrows > first) a.rows[first].lead = true;
        if (final && x->required && x->type == SV_MATRIX && !matrix_complete(x, kv)) {
            bad(&a, x->key, "请为每一行作答");
            json_decref(kv);
            continue;
        }
        json_object_set_new(keep, x->key, kv);
        out->answered++;
        json_t *ot = json_is_object(other) ? json_object_get(other, x->key) : NULL;
        const char *otext = json_is_string(ot) && *json_string_value(ot) ? json_string_value(ot) : NULL;
        if (wants_other && otext) {
            json_object_set_new(keep_other, x->key, json_string(otext));
            add_row(&a, 't', x->key, "other", zq_arena_strdup(q->arena, otext), 0);
        } else if (otext) {
            zq_fail_field(q, r, zq_arena_printf(q->arena, "other.%s", x->key), "未选择「其他」项");
        } else if (wants_other && final) {
            zq_fail_field(q, r, zq_arena_printf(q->arena, "other.%s", x->key), "请填写「其他」的具体内容");
        }
    }
    if (!r->err) {
        json_t *all = json_pack("{s:O,s:O}", "answers", keep, "other", keep_other);
        char *txt = all ? json_dumps(all, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        out->json = txt ? zq_arena_strdup(q->arena, txt) : NULL;
        free(txt);
        json_decref(all);
        if (!out->json) zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    json_decref(keep);
    json_decref(keep_other);
    out->rows = a.rows;
    out->nrows = a.nrows;
    return r->err;
}
