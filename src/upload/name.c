/*
 * name.c — the rules for an uploaded file's original name and its safe
 * rendering in Content-Disposition. The name is shown to people and handed
 * back as the download's file name, so anything that could act as a path on
 * the saving side, or hide characters from the reader, is refused up front
 * instead of being silently rewritten.
 */
#include "upload/upload.h"
#include "upload/upload_internal.h"
#include "core/text.h"
#include <string.h>

const char *up_name_problem(const char *name)
{
    if (!name || !*name) return "请提供文件名";
    size_t n = strlen(name);
    if (!zq_utf8_valid(name, n)) return "文件名包含无效字符";
    if (zq_utf8_len(name) > UP_NAME_MAX_CHARS) return "文件名不能超过 120 个字";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f) return "文件名不能包含控制字符";
        /* C1 controls (U+0080‥U+009F) are encoded C2 80‥C2 9F */
        if (c == 0xc2 && i + 1 < n && (unsigned char)name[i + 1] >= 0x80 && (unsigned char)name[i + 1] <= 0x9f)
            return "文件名不能包含控制字符";
        if (c == '/' || c == '\\') return "文件名不能包含路径（/ 或 \\）";
    }
    if (strcmp(name, "..") == 0 || strstr(name, "..") == name) return "文件名不能包含“..”";
    if (name[0] == '.') return "文件名不能以“.”开头";
    bool visible = false; /* something other than spaces and dots */
    for (const char *p = name; *p;) {
        uint32_t cp = zq_utf8_next(&p);
        if (zq_cp_invisible(cp)) return "文件名不能包含不可见的格式字符（如文字方向控制符）";
        if (!zq_cp_space(cp) && cp != '.') visible = true;
    }
    if (!visible) return "文件名不能只由空格或“.”组成";
    return NULL;
}

static int is_attr_char(unsigned char c)
{
    /* RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~" */
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c) != NULL;
}

const char *upload_disposition(zq_arena *a, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(name);
    /* the fallback keeps printable ASCII other than quote and backslash
     * (both already refused or dropped) and turns the rest into '_', so a
     * Chinese name still keeps its extension for old clients */
    char *ascii = zq_arena_alloc(a, n + 1);
    char *pct = zq_arena_alloc(a, 3 * n + 1);
    if (!ascii || !pct) return NULL;
    size_t ai = 0, pi = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x80) {
            ascii[ai++] = c == '"' || c == '\\' || c == '%' || c < 0x20 ? '_' : (char)c;
        } else if ((c & 0xc0) != 0x80) {
            ascii[ai++] = '_'; /* one '_' per non-ASCII character, not per byte */
        }
        if (is_attr_char(c)) {
            pct[pi++] = (char)c;
        } else {
            pct[pi++] = '%';
            pct[pi++] = hex[c >> 4];
            pct[pi++] = hex[c & 15];
        }
    }
    ascii[ai] = '\0';
    pct[pi] = '\0';
    return zq_arena_printf(a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, pct);
}
