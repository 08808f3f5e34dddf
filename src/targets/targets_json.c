/*
 * targets_json.c — the targets object in and out of JSON: reading it from a
 * request body (every code checked against its dictionary), the canonical
 * text stored beside an item (sorted, deduplicated, all five keys, so equal
 * audiences compare equal), reading that text back, and writing it into a
 * response.
 */
#include "targets/targets.h"
#include "dict/dict.h"
#include <stdlib.h>
#include <string.h>

#define CODE_MAX 32

/* The five lists in their fixed order: key, dictionary type, label. */
typedef struct {
    const char *key, *dict, *label;
    size_t off;
} targets_field;
#define F(k, d, l) {#k, d, l, offsetof(targets, k)}
static const targets_field fields[] = {
    F(regions, "region", "地区"),
    F(industries, "industry", "行业"),
    F(scales, "scale", "企业规模"),
    F(characteristics, "characteristic", "企业特性"),
    F(trade_types, "trade_type", "进出口贸易"),
};
#undef F
#define NFIELDS (sizeof fields / sizeof fields[0])

static targets_set *set_of(targets *t, size_t i) { return (targets_set *)((char *)t + fields[i].off); }
static const targets_set *cset_of(const targets *t, size_t i)
{
    return (const targets_set *)((const char *)t + fields[i].off);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Sorts and removes duplicates in place. */
static void canon(targets_set *s)
{
    if (s->n < 2) return;
    qsort((void *)s->v, s->n, sizeof *s->v, cmp_str);
    size_t k = 1;
    for (size_t i = 1; i < s->n; i++)
        if (strcmp(s->v[i], s->v[k - 1]) != 0) s->v[k++] = s->v[i];
    s->n = k;
}

/* A code of the list as its dictionary knows it. Disabled items stay valid:
 * they select the firms that still hold them. Industries: a section letter
 * or a division. 1 ok, 0 unknown, -1 database error. */
static int code_ok(zq_req *q, const char *dict, const char *code)
{
    dict_state st = dict_lookup(q, dict, code, false, NULL);
    if (st == DICT_ERROR) return -1;
    return st != DICT_ABSENT;
}

static zq_err read_list(zq_req *q, zq_resp *r, json_t *v, size_t i, targets_set *out)
{
    const char *field = zq_arena_printf(q->arena, "targets.%s", fields[i].key);
    out->v = NULL;
    out->n = 0;
    if (!v || json_is_null(v)) return ZQ_OK;
    if (!json_is_array(v)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s须为代码列表", fields[i].label));
        return ZQ_E_VALIDATION;
    }
    size_t n = json_array_size(v);
    if (n > TARGETS_LIST_MAX) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s最多选择 %d 项", fields[i].label, TARGETS_LIST_MAX));
        return ZQ_E_VALIDATION;
    }
    const char **list = n ? zq_arena_alloc(q->arena, n * sizeof *list) : NULL;
    if (n && !list) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    for (size_t k = 0; k < n; k++) {
        const char *s = json_string_value(json_array_get(v, k));
        if (!s || !*s || strlen(s) > CODE_MAX) {
            zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s代码格式不正确", fields[i].label));
            return ZQ_E_VALIDATION;
        }
        int ok = code_ok(q, fields[i].dict, s);
        if (ok < 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        if (!ok) {
            /* the code is echoed only when it is short printable ASCII */
            bool plain = true;
            for (const char *p = s; *p; p++)
                if (*p < 0x21 || *p > 0x7e) plain = false;
            zq_fail_field(q, r, field,
                          plain ? zq_arena_printf(q->arena, "%s代码 %s 不存在", fields[i].label, s)
                                : zq_arena_printf(q->arena, "%s代码不存在", fields[i].label));
            return ZQ_E_VALIDATION;
        }
        list[k] = zq_arena_strdup(q->arena, s);
    }
    out->v = list;
    out->n = n;
    canon(out);
    return ZQ_OK;
}

zq_err targets_read(zq_req *q, zq_resp *r, json_t *obj, targets *out)
{
    memset(out, 0, sizeof *out);
    json_t *t = obj ? json_object_get(obj, "targets") : NULL;
    if (!t || json_is_null(t)) return ZQ_OK;
    if (!json_is_object(t)) {
        zq_fail_field(q, r, "targets", "适用对象格式不正确");
        return ZQ_E_VALIDATION;
    }
    const char *key;
    json_t *v;
    json_object_foreach(t, key, v) {
        bool known = false;
        for (size_t i = 0; i < NFIELDS; i++) known = known || strcmp(key, fields[i].key) == 0;
        if (!known) {
            zq_fail_field(q, r, "targets", "适用对象含有不支持的条件");
            return ZQ_E_VALIDATION;
        }
    }
    zq_err first = ZQ_OK;
    for (size_t i = 0; i < NFIELDS; i++) {
        zq_err e = read_list(q, r, json_object_get(t, fields[i].key), i, set_of(out, i));
        if (e == ZQ_E_INTERNAL) return e;
        if (e && !first) first = e;
    }
    if (first) memset(out, 0, sizeof *out);
    return first;
}

bool targets_empty(const targets *t)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (cset_of(t, i)->n) return false;
    return true;
}

void targets_write(zq_jw *w, const targets *t)
{
    zq_jw_obj(w);
    for (size_t i = 0; i < NFIELDS; i++) {
        const targets_set *s = cset_of(t, i);
        zq_jw_key(w, fields[i].key);
        zq_jw_arr(w);
        for (size_t k = 0; k < s->n; k++) zq_jw_str(w, s->v[k]);
        zq_jw_arr_end(w);
    }
    zq_jw_obj_end(w);
}

const char *targets_to_json(zq_arena *a, const targets *t)
{
    /* canonical order without touching the caller's lists */
    targets c = *t;
    for (size_t i = 0; i < NFIELDS; i++) {
        targets_set *s = set_of(&c, i);
        if (!s->n) continue;
        const char **v = zq_arena_alloc(a, s->n * sizeof *v);
        if (!v) return NULL;
        memcpy(v, s->v, s->n * sizeof *v);
        s->v = v;
        canon(s);
    }
    zq_buf b;
    zq_buf_init(&b, 64 * 1024);
    zq_jw w;
    zq_jw_init(&w, &b);
    targets_write(&w, &c);
    const char *out = zq_jw_ok(&w) ? zq_arena_strndup(a, b.data, b.len) : NULL;
    zq_buf_free(&b);
    return out;
}

int targets_from_json(zq_arena *a, const char *text, targets *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text) return 0;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    int rc = -1;
    if (!root || !json_is_object(root)) goto done;
    for (size_t i = 0; i < NFIELDS; i++) {
        json_t *v = json_object_get(root, fields[i].key);
        targets_set *s = set_of(out, i);
        if (!v || json_is_null(v)) continue;
        if (!json_is_array(v) || json_array_size(v) > TARGETS_LIST_MAX) goto done;
        size_t n = json_array_size(v);
        s->v = n ? zq_arena_alloc(a, n * sizeof *s->v) : NULL;
        if (n && !s->v) goto done;
        for (size_t k = 0; k < n; k++) {
            const char *str = json_string_value(json_array_get(v, k));
            if (!str || !*str || !(s->v[k] = zq_arena_strdup(a, str))) goto done;
        }
        s->n = n;
        canon(s);
    }
    rc = 0;
done:
    json_decref(root);
    if (rc) memset(out, 0, sizeof *out);
    return rc;
}

void targets_force_region(zq_arena *a, targets *t, const char *region)
{
    /* never widen the audience on failure: an impossible code selects no one */
    static const char *none[] = {"-"};
    const char **v = zq_arena_alloc(a, sizeof *v);
    if (v && region && (v[0] = zq_arena_strdup(a, region)))
        t->regions = (targets_set){v, 1};
    else
        t->regions = (targets_set){none, 1};
}
