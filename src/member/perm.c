/*
 * perm.c — a member's permission set as the role screens and the
 * escalation rule use it (member_internal.h), over the catalogue in
 * auth/member_perm.h.
 */
#include "member/member_internal.h"
#include "auth/member_perm.h"
#include <stdio.h>

unsigned mb_caller_mask(const zq_session *s)
{
    if (!s) return 0;
    if (s->is_legal_rep) return member_perm_all_mask();
    return member_perm_mask(s->perms);
}

bool mb_covers(const zq_session *s, unsigned mask)
{
    return (mask & ~mb_caller_mask(s)) == 0;
}

void mb_jw_perms(zq_jw *w, const char *key, unsigned mask)
{
    size_t n;
    const member_perm *cat = member_perms(&n);
    zq_jw_key(w, key);
    zq_jw_arr(w);
    for (size_t i = 0; i < n; i++)
        if (mask & (1u << i)) zq_jw_str(w, cat[i].code);
    zq_jw_arr_end(w);
}

const char *mb_perms_json(zq_req *q, unsigned mask)
{
    size_t n;
    const member_perm *cat = member_perms(&n);
    char buf[512];
    size_t o = 0;
    buf[o++] = '[';
    for (size_t i = 0; i < n; i++) {
        if (!(mask & (1u << i))) continue;
        /* codes are plain ASCII without quotes or backslashes */
        int w = snprintf(buf + o, sizeof buf - o, "%s\"%s\"", o > 1 ? "," : "", cat[i].code);
        if (w < 0 || (size_t)w >= sizeof buf - o) return NULL;
        o += (size_t)w;
    }
    if (o + 2 > sizeof buf) return NULL;
    buf[o++] = ']';
    buf[o] = '\0';
    return zq_arena_strdup(q->arena, buf);
}
