/*
 * targets_sql.c — a targets object as SQL over the enterprise table (for
 * set-based fan-out and counts) and as a per-firm verdict with reasons.
 * Every code is a bound parameter; a list of n codes is "$k … $k+n-1" and
 * appears twice where a parent code stands for its children (a city for its
 * districts, a section letter for its divisions), so the SQL for the same
 * shape of targets is the same text whatever the codes.
 */
#include "targets/targets.h"
#include "core/buf.h"
#include <stdio.h>
#include <string.h>

/* The lists in bind order, as in targets_where. */
static const targets_set *list_at(const targets *t, int i)
{
    const targets_set *l[] = {&t->regions, &t->industries, &t->scales, &t->characteristics, &t->trade_types};
    return l[i];
}

/* "$k,$k+1,…" for n codes from k. */
static const char *params(zq_arena *a, int k, size_t n)
{
    zq_buf b;
    zq_buf_init(&b, 16 * TARGETS_LIST_MAX);
    for (size_t i = 0; i < n; i++) zq_buf_printf(&b, "%s$%d", i ? "," : "", k + (int)i);
    const char *out = b.overflow ? NULL : zq_arena_strndup(a, b.data ? b.data : "", b.len);
    zq_buf_free(&b);
    return out;
}

const char *targets_where(zq_arena *a, const targets *t, const char *alias, int first_param, int *nparams)
{
    int k = first_param;
    const char *e = alias;
    char *out = zq_arena_printf(a, " AND %s.status = 'approved'", e);
    for (int i = 0; i < 5 && out; i++) {
        const targets_set *s = list_at(t, i);
        if (!s->n) continue;
        const char *p = params(a, k, s->n);
        if (!p) return NULL;
        k += (int)s->n;
        const char *cond = NULL;
        switch (i) {
        case 0: /* a district, or a city meaning every district under it */
            cond = zq_arena_printf(a,
                                   "%s.region IN (SELECT d.code FROM dict_item d WHERE d.type = 'region' AND "
                                   "(d.code IN (%s) OR d.parent IN (%s)))",
                                   e, p, p);
            break;
        case 1: /* a division, or a section letter meaning every division under it */
            cond = zq_arena_printf(a,
                                   "%s.industry IN (SELECT d.code FROM dict_item d WHERE d.type = 'industry' AND "
                                   "(d.code IN (%s) OR d.parent IN (%s)))",
                                   e, p, p);
            break;
        case 2: cond = zq_arena_printf(a, "%s.scale IN (%s)", e, p); break;
        case 3: /* any of them */
            cond = zq_arena_printf(a,
                                   "EXISTS (SELECT 1 FROM enterprise_characteristic tc WHERE tc.enterprise_id = %s.id "
                                   "AND tc.code IN (%s))",
                                   e, p);
            break;
        default: cond = zq_arena_printf(a, "%s.trade_type IN (%s)", e, p); break;
        }
        out = cond ? zq_arena_printf(a, "%s AND %s", out, cond) : NULL;
    }
    if (nparams) *nparams = k - first_param;
    return out;
}

void targets_bind(db_stmt *s, const targets *t, int first_param)
{
    int k = first_param;
    for (int i = 0; i < 5; i++) {
        const targets_set *l = list_at(t, i);
        for (size_t j = 0; j < l->n; j++) db_bind_text(s, k++, l->v[j], -1);
    }
}

int64_t targets_count(db_conn *c, zq_arena *a, const targets *t)
{
    int n = 0;
    const char *w = targets_where(a, t, "e", 1, &n);
    const char *sql = w ? zq_arena_printf(a, "SELECT COUNT(*) FROM enterprise e WHERE 1 = 1%s", w) : NULL;
    if (!sql) return -1;
    /* the text differs per shape of targets; the statement cache keys on
     * the pointer's text, so identical shapes reuse one plan */
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    targets_bind(s, t, 1);
    int64_t out = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_stmt_done(s);
    return out;
}
