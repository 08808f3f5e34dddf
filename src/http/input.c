/*
 * input.c — checked reads of JSON body fields and paging parameters (input.h).
 */
#include "http/input.h"
#include "core/text.h"
#include <string.h>

void zq_in_only(zq_req *q, zq_resp *r, const char *const *allowed)
{
    const char *key;
    json_t *v;
    if (!q->json) return;
    json_object_foreach(q->json, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, key) == 0;
        if (!ok) {
            const char *k = strlen(key) > 64 ? "_unknown" : zq_arena_strdup(q->arena, key);
            zq_fail_field(q, r, k ? k : "_unknown", "不支持的字段");
        }
    }
}

zq_err zq_in_none(zq_req *q, zq_resp *r)
{
    static const char *const none[] = {NULL};
    zq_in_only(q, r, none);
    return r->err;
}

bool zq_in_has(const zq_req *q, const char *field)
{
    return q->json && json_object_get(q->json, field) != NULL;
}

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) return true;
    return false;
}

const char *zq_in_str(zq_req *q, zq_resp *r, const char *field, const char *label, bool required, size_t max_chars)
{
    json_t *v = q->json ? json_object_get(q->json, field) : NULL;
    if (!v || json_is_null(v)) {
        if (required) zq_fail_field(q, r, field, zq_arena_printf(q->arena, "请填写%s", label));
        return NULL;
    }
    if (!json_is_string(v)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s格式不正确", label));
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n) { /* embedded NUL (\u0000) */
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s包含无效字符", label));
        return NULL;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    char *out = zq_arena_strndup(q->arena, s, n);
    if (!out) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s过长", label));
        return NULL;
    }
    if (!*out) {
        if (required) zq_fail_field(q, r, field, zq_arena_printf(q->arena, "请填写%s", label));
        return NULL;
    }
    if (has_control(out)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s包含无效字符", label));
        return NULL;
    }
    if (zq_utf8_len(out) > max_chars) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s不能超过 %zu 个字符", label, max_chars));
        return NULL;
    }
    return out;
}

int64_t zq_in_int(zq_req *q, zq_resp *r, const char *field, const char *label, bool required, int64_t min, int64_t max, bool *present)
{
    json_t *v = q->json ? json_object_get(q->json, field) : NULL;
    if (present) *present = false;
    if (!v || json_is_null(v)) {
        if (required) zq_fail_field(q, r, field, zq_arena_printf(q->arena, "请填写%s", label));
        return 0;
    }
    if (!json_is_integer(v)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s必须是整数", label));
        return 0;
    }
    json_int_t x = json_integer_value(v);
    if (x < min || x > max) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s超出允许范围", label));
        return 0;
    }
    if (present) *present = true;
    return (int64_t)x;
}

bool zq_in_bool(zq_req *q, zq_resp *r, const char *field, const char *label, bool dflt)
{
    json_t *v = q->json ? json_object_get(q->json, field) : NULL;
    if (!v || json_is_null(v)) return dflt;
    if (!json_is_boolean(v)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s格式不正确", label));
        return dflt;
    }
    return json_is_true(v);
}

const char **zq_in_str_list(zq_req *q, zq_resp *r, const char *field, const char *label, bool required, int max_items, size_t max_chars, int *n)
{
    json_t *v = q->json ? json_object_get(q->json, field) : NULL;
    *n = 0;
    if (!v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0)) {
        if (required) zq_fail_field(q, r, field, zq_arena_printf(q->arena, "请选择%s", label));
        return NULL;
    }
    if (!json_is_array(v) || json_array_size(v) > (size_t)max_items) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s格式不正确", label));
        return NULL;
    }
    const char **out = zq_arena_alloc(q->arena, sizeof *out * json_array_size(v));
    if (!out) return NULL;
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        const char *s = json_string_value(it);
        if (!s || !*s || zq_utf8_len(s) > max_chars || has_control(s)) {
            zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s格式不正确", label));
            return NULL;
        }
        for (int k = 0; k < *n; k++)
            if (strcmp(out[k], s) == 0) {
                zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s有重复项", label));
                return NULL;
            }
        out[(*n)++] = zq_arena_strdup(q->arena, s);
    }
    return out;
}

void zq_in_page(zq_req *q, zq_resp *r, int64_t *page, int64_t *page_size, int64_t dflt, int64_t cap)
{
    const char *p = zq_req_query(q, "page"), *ps = zq_req_query(q, "page_size");
    *page = 1;
    *page_size = dflt;
    if (p && *p && !zq_parse_int64(p, 1, 1000000, page)) zq_fail_field(q, r, "page", "页码必须是正整数");
    if (ps && *ps && !zq_parse_int64(ps, 1, cap, page_size))
        zq_fail_field(q, r, "page_size", zq_arena_printf(q->arena, "每页条数须在 1 到 %lld 之间", (long long)cap));
}
