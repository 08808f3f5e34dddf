/*
 * zt_routes.c — route-table walking helpers for tests (zt_routes.h).
 */
#include "zt_routes.h"
#include "http/req.h"
#include <stdio.h>
#include <string.h>

const char *zw_method_of(unsigned m)
{
    if (m & ZQ_GET) return "GET";
    if (m & ZQ_POST) return "POST";
    if (m & ZQ_PUT) return "PUT";
    if (m & ZQ_PATCH) return "PATCH";
    if (m & ZQ_DELETE) return "DELETE";
    return NULL;
}

const char *zw_concrete(const char *pattern, long long id)
{
    static char buf[256];
    size_t o = 0;
    for (const char *p = pattern; *p && o < sizeof buf - 24;) {
        if (*p == ':') {
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%lld", id);
            while (*p && *p != '/') p++;
        } else {
            buf[o++] = *p++;
        }
    }
    buf[o] = '\0';
    return buf;
}

bool zw_names_alternative(const char *perm, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = perm; (p = strstr(p, code)) != NULL; p += n)
        if ((p == perm || p[-1] == '|') && (p[n] == '\0' || p[n] == '|')) return true;
    return false;
}
