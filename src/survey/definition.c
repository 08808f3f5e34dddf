/*
 * definition.c — a questionnaire's questions: reading and checking the
 * builder's "questions" array (types, options, bounds, matrix rows, 「其他」,
 * conditions that only look back at an existing option of an earlier
 * choice question), storing it as canonical JSON and parsing it back.
 */
#include "survey/survey_internal.h"
#include "core/buf.h"
#include "core/jsonw.h"
#include "core/text.h"
#include <math.h>
#include <string.h>

static const char *const TYPE_NAMES[] = {"single", "multiple", "text", "textarea", "number",
                                         "amount", "date",     "rating", "matrix", "file"};
#define NTYPES (sizeof TYPE_NAMES / sizeof TYPE_NAMES[0])

const char *sv_type_name(sv_type t)
{
    return (size_t)t < NTYPES ? TYPE_NAMES[t] : "text";
}

bool sv_type_choice(sv_type t)
{
    return t == SV_SINGLE || t == SV_MULTIPLE || t == SV_RATING || t == SV_MATRIX;
}

static int type_of(const char *s)
{
    for (size_t i = 0; s && i < NTYPES; i++)
        if (strcmp(TYPE_NAMES[i], s) == 0) return (int)i;
    return -1;
}

static bool key_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > SV_KEY_MAX) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_' || s[i] == '-'))
            return false;
    return true;
}

/* A display text: valid UTF-8, 1..max characters (0.. when optional), no control characters. */
static bool text_ok(const char *s, size_t max, bool required)
{
    if (!s) return !required;
    size_t n = strlen(s);
    if (!zq_utf8_valid(s, n)) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20) return false;
    size_t c = zq_utf8_len(s);
    return c <= max && (c > 0 || !required);
}

static const char *fld(zq_req *q, size_t i, const char *name)
{
    return name ? zq_arena_printf(q->arena, "questions[%zu].%s", i, name) : zq_arena_printf(q->arena, "questions[%zu]", i);
}

static const char *str_of(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* options / rows: [{"key","label","other"?}] */
static bool read_options(zq_req *q, zq_resp *r, size_t i, const char *name, json_t *arr, size_t maxn, bool allow_other,
                         sv_option **out, size_t *nout)
{
    const char *f = fld(q, i, name);
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > maxn) {
        zq_fail_field(q, r, f, zq_arena_printf(q->arena, "请填写 1–%zu 个选项", maxn));
        return false;
    }
    size_t n = json_array_size(arr);
    sv_option *o = zq_arena_alloc(q->arena, n * sizeof *o);
    for (size_t k = 0; k < n; k++) {
        json_t *e = json_array_get(arr, k);
        const char *key = json_is_object(e) ? str_of(e, "key") : NULL;
        const char *label = json_is_object(e) ? str_of(e, "label") : NULL;
        json_t *other = json_is_object(e) ? json_object_get(e, "other") : NULL;
        if (!key_ok(key)) {
            zq_fail_field(q, r, f, "选项编码应为 1–32 位字母、数字、下划线或连字符");
            return false;
        }
        if (!text_ok(label, 100, true)) {
            zq_fail_field(q, r, f, "选项文字应为 1–100 个字符");
            return false;
        }
        if (other && !json_is_boolean(other)) {
            zq_fail_field(q, r, f, "「其他」标记应为 true 或 false");
            return false;
        }
        if (json_is_true(other) && !allow_other) {
            zq_fail_field(q, r, f, "矩阵行不能设为「其他」");
            return false;
        }
        for (size_t j = 0; j < k; j++)
            if (strcmp(o[j].key, key) == 0) {
                zq_fail_field(q, r, f, zq_arena_printf(q->arena, "选项编码 %s 重复", key));
                return false;
            }
        o[k] = (sv_option){zq_arena_strdup(q->arena, key), zq_arena_strdup(q->arena, label), json_is_true(other)};
    }
    *out = o;
    *nout = n;
    return true;
}

static bool has_option(const sv_question *c, const char *key)
{
    if (c->type == SV_RATING) return key[0] >= '1' && key[0] <= '5' && !key[1];
    for (size_t k = 0; k < c->noptions; k++)
        if (strcmp(c->options[k].key, key) == 0) return true;
    return false;
}

static bool read_bound(zq_req *q, zq_resp *r, size_t i, json_t *o, const char *k, bool *has, double *v)
{
    json_t *x = json_object_get(o, k);
    *has = false;
    if (!x || json_is_null(x)) return true;
    if (!json_is_number(x) || !isfinite(json_number_value(x)) || fabs(json_number_value(x)) > 1e12) {
        zq_fail_field(q, r, fld(q, i, k), "应为数字");
        return false;
    }
    *has = true;
    *v = json_number_value(x);
    return true;
}

static const char *const Q_KEYS[] = {"key", "type", "title", "required", "options", "min", "max",
                                     "rows", "show_if", "section", "unit", NULL};

static bool only_keys(json_t *o)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        bool ok = false;
        for (size_t i = 0; Q_KEYS[i] && !ok; i++) ok = strcmp(Q_KEYS[i], k) == 0;
        if (!ok) return false;
    }
    return true;
}

/* One question at index i (earlier ones in d->q[0..i-1]). */
static bool read_question(zq_req *q, zq_resp *r, json_t *o, size_t i, sv_def *d)
{
    sv_question *x = &d->q[i];
    memset(x, 0, sizeof *x);
    x->cond_q = -1;
    if (!json_is_object(o) || !only_keys(o)) {
        zq_fail_field(q, r, fld(q, i, NULL), "题目格式不正确");
        return false;
    }
    x->key = str_of(o, "key");
    if (!key_ok(x->key)) {
        zq_fail_field(q, r, fld(q, i, "key"), "题目编码应为 1–32 位字母、数字、下划线或连字符");
        return false;
    }
    if (sv_def_find(&(sv_def){d->q, i}, x->key) >= 0) {
        zq_fail_field(q, r, fld(q, i, "key"), zq_arena_printf(q->arena, "题目编码 %s 重复", x->key));
        return false;
    }
    int t = type_of(str_of(o, "type"));
    if (t < 0) {
        zq_fail_field(q, r, fld(q, i, "type"), "题型不正确");
        return false;
    }
    x->type = (sv_type)t;
    x->title = str_of(o, "title");
    if (!text_ok(x->title, 200, true)) {
        zq_fail_field(q, r, fld(q, i, "title"), "请填写题目（不超过 200 个字符）");
        return false;
    }
    x->section = str_of(o, "section");
    if (json_object_get(o, "section") && !json_is_null(json_object_get(o, "section")) && !text_ok(x->section, 100, false)) {
        zq_fail_field(q, r, fld(q, i, "section"), "分节标题不超过 100 个字符");
        return false;
    }
    if (x->section && !*x->section) x->section = NULL;
    x->unit = str_of(o, "unit");
    if (json_object_get(o, "unit") && !json_is_null(json_object_get(o, "unit")) && !text_ok(x->unit, 20, false)) {
        zq_fail_field(q, r, fld(q, i, "unit"), "单位不超过 20 个字符");
        return false;
    }
    if (x->unit && !*x->unit) x->unit = NULL;
    json_t *req = json_object_get(o, "required");
    if (req && !json_is_boolean(req)) {
        zq_fail_field(q, r, fld(q, i, "required"), "必答标记应为 true 或 false");
        return false;
    }
    x->required = json_is_true(req);
    if (!read_bound(q, r, i, o, "min", &x->has_min, &x->min) || !read_bound(q, r, i, o, "max", &x->has_max, &x->max))
        return false;
    if (x->has_min && x->has_max && x->min > x->max) {
        zq_fail_field(q, r, fld(q, i, "max"), "最大值不能小于最小值");
        return false;
    }
    bool wants_options = x->type == SV_SINGLE || x->type == SV_MULTIPLE || x->type == SV_MATRIX;
    json_t *opts = json_object_get(o, "options");
    if (wants_options) {
        if (!read_options(q, r, i, "options", opts, SV_MAX_OPTIONS, x->type != SV_MATRIX, &x->options, &x->noptions))
            return false;
    } else if (opts && !json_is_null(opts) && json_array_size(opts)) {
        zq_fail_field(q, r, fld(q, i, "options"), "该题型没有选项");
        return false;
    }
    json_t *rows = json_object_get(o, "rows");
    if (x->type == SV_MATRIX) {
        if (!read_options(q, r, i, "rows", rows, SV_MAX_ROWS, false, &x->rows, &x->nrows)) return false;
    } else if (rows && !json_is_null(rows) && json_array_size(rows)) {
        zq_fail_field(q, r, fld(q, i, "rows"), "只有矩阵题有行");
        return false;
    }
    if (x->type == SV_MULTIPLE) {
        /* min/max are picks */
        if ((x->has_min && (x->min < 0 || x->min > (double)x->noptions || x->min != floor(x->min))) ||
            (x->has_max && (x->max < 1 || x->max > (double)x->noptions || x->max != floor(x->max)))) {
            zq_fail_field(q, r, fld(q, i, "max"), "最少/最多选择数应在 1 到选项数之间");
            return false;
        }
    } else if (x->type != SV_NUMBER && x->type != SV_AMOUNT && (x->has_min || x->has_max)) {
        zq_fail_field(q, r, fld(q, i, "min"), "该题型不设上下限");
        return false;
    }
    if (x->type == SV_AMOUNT && x->has_min && x->min < 0) {
        zq_fail_field(q, r, fld(q, i, "min"), "金额下限不能为负数");
        return false;
    }
    json_t *cond = json_object_get(o, "show_if");
    if (cond && !json_is_null(cond)) {
        const char *f = fld(q, i, "show_if");
        const char *ref = json_is_object(cond) ? str_of(cond, "q") : NULL;
        json_t *in = json_is_object(cond) ? json_object_get(cond, "in") : NULL;
        if (!ref || !json_is_array(in) || json_array_size(in) == 0 || json_array_size(in) > SV_MAX_OPTIONS ||
            json_object_size(cond) != 2) {
            zq_fail_field(q, r, f, "显示条件应为 {\"q\":题目编码,\"in\":[选项编码…]}");
            return false;
        }
        int c = sv_def_find(&(sv_def){d->q, i}, ref);
        if (c < 0) {
            zq_fail_field(q, r, f,
                          sv_def_find(d, ref) >= 0 || strcmp(ref, x->key) == 0
                              ? "显示条件只能引用前面的题目"
                              : zq_arena_printf(q->arena, "显示条件引用的题目 %s 不存在或在本题之后", ref));
            return false;
        }
        sv_question *cq = &d->q[c];
        if (cq->type != SV_SINGLE && cq->type != SV_MULTIPLE && cq->type != SV_RATING) {
            zq_fail_field(q, r, f, "显示条件只能引用单选、多选或评分题");
            return false;
        }
        x->cond_q = c;
        x->ncond = json_array_size(in);
        x->cond_in = zq_arena_alloc(q->arena, x->ncond * sizeof *x->cond_in);
        for (size_t k = 0; k < x->ncond; k++) {
            json_t *v = json_array_get(in, k);
            const char *ok = json_is_string(v) ? json_string_value(v) : NULL;
            if (!ok || !has_option(cq, ok)) {
                zq_fail_field(q, r, f, zq_arena_printf(q->arena, "显示条件中的选项在题目 %s 中不存在", cq->key));
                return false;
            }
            x->cond_in[k] = ok;
        }
    }
    return true;
}

zq_err sv_def_read(zq_req *q, zq_resp *r, json_t *arr, sv_def *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > SV_MAX_QUESTIONS) {
        zq_fail_field(q, r, "questions", "请添加 1–200 道题目");
        return r->err;
    }
    out->n = json_array_size(arr);
    out->q = zq_arena_alloc(q->arena, out->n * sizeof *out->q);
    if (!out->q) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    memset(out->q, 0, out->n * sizeof *out->q);
    for (size_t i = 0; i < out->n; i++)
        if (!read_question(q, r, json_array_get(arr, i), i, out)) return r->err;
    return ZQ_OK;
}

int sv_def_find(const sv_def *d, const char *key)
{
    for (size_t i = 0; key && i < d->n; i++)
        if (d->q[i].key && strcmp(d->q[i].key, key) == 0) return (int)i;
    return -1;
}

static void write_opts(zq_jw *w, const char *k, const sv_option *o, size_t n, bool other)
{
    zq_jw_key(w, k);
    zq_jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        zq_jw_obj(w);
        zq_jw_kstr(w, "key", o[i].key);
        zq_jw_kstr(w, "label", o[i].label);
        if (other) zq_jw_kbool(w, "other", o[i].other);
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
}

static void write_num(zq_jw *w, const char *k, double v)
{
    char b[40];
    snprintf(b, sizeof b, "%.10g", v);
    zq_jw_key(w, k);
    zq_jw_raw(w, b, strlen(b));
}

void sv_def_write(zq_jw *w, const sv_def *d)
{
    zq_jw_arr(w);
    for (size_t i = 0; i < d->n; i++) {
        const sv_question *x = &d->q[i];
        zq_jw_obj(w);
        zq_jw_kstr(w, "key", x->key);
        zq_jw_kstr(w, "type", sv_type_name(x->type));
        zq_jw_kstr(w, "title", x->title);
        zq_jw_kbool(w, "required", x->required);
        if (x->section) zq_jw_kstr(w, "section", x->section);
        if (x->unit) zq_jw_kstr(w, "unit", x->unit);
        if (x->has_min) write_num(w, "min", x->min);
        if (x->has_max) write_num(w, "max", x->max);
        if (x->noptions) write_opts(w, "options", x->options, x->noptions, x->type != SV_MATRIX);
        if (x->nrows) write_opts(w, "rows", x->rows, x->nrows, false);
        if (x->cond_q >= 0) {
            zq_jw_key(w, "show_if");
            zq_jw_obj(w);
            zq_jw_kstr(w, "q", d->q[x->cond_q].key);
            zq_jw_key(w, "in");
            zq_jw_arr(w);
            for (size_t k = 0; k < x->ncond; k++) zq_jw_str(w, x->cond_in[k]);
            zq_jw_arr_end(w);
            zq_jw_obj_end(w);
        }
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
}

const char *sv_def_json(zq_arena *a, const sv_def *d)
{
    zq_buf b;
    zq_jw w;
    zq_buf_init(&b, 4u << 20);
    zq_jw_init(&w, &b);
    sv_def_write(&w, d);
    const char *out = zq_jw_ok(&w) ? zq_arena_strndup(a, b.data, b.len) : NULL;
    zq_buf_free(&b);
    return out;
}

int sv_def_parse(zq_arena *a, const char *text, sv_def *out)
{
    /* the stored text passed sv_def_read: reuse it with a throwaway request */
    json_t *arr = json_loads(text ? text : "", 0, NULL);
    if (!arr) return -1;
    zq_req q = {.arena = a};
    zq_resp r;
    zq_resp_init(&r);
    zq_err e = sv_def_read(&q, &r, arr, out);
    /* strings point into arr: keep copies */
    for (size_t i = 0; e == ZQ_OK && i < out->n; i++) {
        sv_question *x = &out->q[i];
        x->key = zq_arena_strdup(a, x->key);
        x->title = zq_arena_strdup(a, x->title);
        if (x->section) x->section = zq_arena_strdup(a, x->section);
        if (x->unit) x->unit = zq_arena_strdup(a, x->unit);
        for (size_t k = 0; k < x->ncond; k++) x->cond_in[k] = zq_arena_strdup(a, x->cond_in[k]);
    }
    zq_resp_free(&r);
    json_decref(arr);
    return e == ZQ_OK ? 0 : -1;
}
