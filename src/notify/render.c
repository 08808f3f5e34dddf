/*
 * render.c — message templates filled with a call's parameters. Templates
 * are staff-edited data; the parameters come from code (a policy's title,
 * its document number). A placeholder is {name}; anything else passes
 * through as written, so a stray brace in a template is harmless.
 */
#include "notify/notify_internal.h"
#include "core/buf.h"
#include "core/text.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char SQL_TEMPLATE[] =
    "SELECT title, body, sms_text, wechat_template_id, wechat_fields FROM message_template WHERE code = $1";

#define NAME_MAX_LEN 32
#define CHINA_UTC_OFFSET (8 * 3600)

/* The first max_chars characters of s (whole UTF-8 sequences). */
static const char *cut(zq_arena *a, const char *s, size_t max_chars)
{
    const char *p = s;
    for (size_t n = 0; *p && n < max_chars; n++) zq_utf8_next(&p);
    return zq_arena_strndup(a, s, (size_t)(p - s));
}

static void put_value(zq_buf *b, json_t *params, const char *name, int64_t now)
{
    json_t *v = params ? json_object_get(params, name) : NULL;
    if (json_is_string(v)) {
        zq_buf_puts(b, json_string_value(v));
    } else if (json_is_integer(v)) {
        zq_buf_printf(b, "%lld", (long long)json_integer_value(v));
    } else if (!v && strcmp(name, "date") == 0) {
        time_t t = (time_t)(now + CHINA_UTC_OFFSET);
        struct tm tm;
        gmtime_r(&t, &tm);
        zq_buf_printf(b, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    }
}

static const char *fill_with(zq_arena *a, const char *text, json_t *params, int64_t now, size_t max_chars)
{
    zq_buf b;
    zq_buf_init(&b, 64 * 1024);
    for (const char *p = text ? text : ""; *p;) {
        const char *close = *p == '{' ? strchr(p + 1, '}') : NULL;
        size_t n = close ? (size_t)(close - p - 1) : 0;
        bool name = close && n > 0 && n <= NAME_MAX_LEN;
        for (size_t i = 0; name && i < n; i++) {
            char ch = p[1 + i];
            name = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
        }
        if (!name) {
            zq_buf_putc(&b, *p++);
            continue;
        }
        char key[NAME_MAX_LEN + 1];
        memcpy(key, p + 1, n);
        key[n] = '\0';
        put_value(&b, params, key, now);
        p = close + 1;
    }
    const char *out = cut(a, b.data ? b.data : "", max_chars);
    zq_buf_free(&b);
    return out;
}

const char *notify_fill(zq_arena *a, const char *text, const char *params_json, int64_t now, size_t max_chars)
{
    json_t *params = params_json && *params_json ? json_loads(params_json, 0, NULL) : NULL;
    const char *out = fill_with(a, text, json_is_object(params) ? params : NULL, now, max_chars);
    json_decref(params);
    return out;
}

/* {"thing1":{"value":"…"},…} from the template's field map, each value cut
 * to what WeChat accepts for its kind. "" when the map is empty or bad. */
static const char *wechat_data(zq_arena *a, const char *fields, json_t *params, int64_t now)
{
    json_t *map = fields && *fields ? json_loads(fields, 0, NULL) : NULL;
    const char *out = "";
    if (!json_is_object(map) || json_object_size(map) == 0) goto done;
    json_t *data = json_object();
    const char *key;
    json_t *tpl;
    json_object_foreach(map, key, tpl) {
        if (!json_is_string(tpl)) continue;
        size_t max = strncmp(key, "thing", 5) == 0 ? NOTIFY_WECHAT_THING_MAX : NOTIFY_WECHAT_VALUE_MAX;
        const char *v = fill_with(a, json_string_value(tpl), params, now, max);
        json_object_set_new(data, key, json_pack("{s:s}", "value", v ? v : ""));
    }
    char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(data);
    if (text && zq_utf8_len(text) <= NOTIFY_WECHAT_MAX) out = zq_arena_strdup(a, text);
    free(text);
done:
    json_decref(map);
    return out ? out : "";
}

int notify_render(db_conn *c, zq_arena *a, const notify_msg *m, int64_t now, notify_rendered *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(c, SQL_TEMPLATE);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, m->template_code, -1);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? DB_DONE : rc < 0 ? rc : DB_ERR;
    }
    const char *col[5];
    for (int i = 0; i < 5; i++) col[i] = zq_arena_strdup(a, db_col_text(s, i) ? db_col_text(s, i) : "");
    db_stmt_done(s);
    json_t *params = m->params_json && *m->params_json ? json_loads(m->params_json, 0, NULL) : NULL;
    json_t *p = json_is_object(params) ? params : NULL;
    out->title = fill_with(a, col[0], p, now, NOTIFY_TITLE_MAX);
    out->body = fill_with(a, col[1], p, now, NOTIFY_BODY_MAX);
    out->sms = *col[2] ? fill_with(a, col[2], p, now, NOTIFY_SMS_MAX) : "";
    out->wechat = *col[3] ? wechat_data(a, col[4], p, now) : "";
    json_decref(params);
    if (!out->title || !out->body || !out->sms || !out->wechat) return DB_ERR;
    return DB_OK;
}
