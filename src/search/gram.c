/*
 * gram.c — the keyword condition over a gram index (gram.h). Values are
 * always bound; only the fixed column and table names of the caller's
 * gram_index are written into the SQL.
 */
#include "search/gram.h"
#include "core/text.h"
#include <string.h>

/* The characters of s as an array of UTF-8 pieces; returns how many. */
static int chars_of(zq_arena *a, const char *s, const char **out, int max)
{
    int n = 0;
    for (const char *p = s; *p && n < max;) {
        const char *st = p;
        zq_utf8_next(&p);
        out[n++] = zq_arena_strndup(a, st, (size_t)(p - st));
    }
    return n;
}

/* One FTS5 token: the text in quotes, its own quotes doubled. */
static const char *fts_token(zq_arena *a, const char *g)
{
    size_t n = strlen(g);
    char *out = zq_arena_alloc(a, 2 * n + 3), *o = out;
    if (!out) return NULL;
    *o++ = '"';
    for (const char *p = g; *p; p++) {
        if (*p == '"') *o++ = '"';
        *o++ = *p;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* The FTS5 query: the keyword as one token (one or two characters), else
 * the AND of its pairs. */
static const char *fts_query(zq_arena *a, const char *kw, const char *const *ch, int n)
{
    if (n <= 2) return fts_token(a, kw);
    const char *out = NULL;
    for (int i = 0; i + 1 < n; i++) {
        const char *t = fts_token(a, zq_arena_printf(a, "%s%s", ch[i], ch[i + 1]));
        out = !t ? NULL : out ? zq_arena_printf(a, "%s AND %s", out, t) : t;
        if (!out) return NULL;
    }
    return out;
}

const char *gram_where(zq_arena *a, db_engine engine, const gram_index *ix, const char *kw, int first_param,
                       const char **vals, int *nvals, int max_vals)
{
    const char *ch[GRAM_QUERY_MAX + 1];
    int n = kw ? chars_of(a, kw, ch, GRAM_QUERY_MAX) : 0;
    if (n == 0) return "";
    if (max_vals - *nvals < n) return NULL;
    int p = first_param;
    bool exact = n <= 2;
    const char *cond;
    if (engine == DB_SQLITE) {
        vals[(*nvals)++] = fts_query(a, kw, ch, n);
        cond = zq_arena_printf(a, "%s IN (SELECT rowid FROM %s WHERE %s MATCH $%d)", ix->id_col, ix->fts_table,
                               ix->fts_table, p++);
    } else if (exact) {
        vals[(*nvals)++] = kw;
        cond = zq_arena_printf(a, "%s && ARRAY[lower(CAST($%d AS TEXT))]", ix->grams_col, p++);
    } else {
        const char *arr = "";
        for (int i = 0; i + 1 < n; i++) {
            vals[(*nvals)++] = zq_arena_printf(a, "%s%s", ch[i], ch[i + 1]);
            arr = zq_arena_printf(a, "%s%slower(CAST($%d AS TEXT))", arr, i ? ", " : "", p++);
        }
        cond = zq_arena_printf(a, "%s @> ARRAY[%s]", ix->grams_col, arr);
    }
    if (!exact && cond) {
        vals[(*nvals)++] = zq_like_pattern(a, kw, ZQ_LIKE_CONTAINS);
        /* LIKE folds ASCII on SQLite as zq_gram does; ILIKE folds all as lower() of the grams does */
        const char *like = engine == DB_POSTGRES ? "ILIKE" : "LIKE";
        cond = zq_arena_printf(a, "%s AND (%s %s $%d ESCAPE '\\' OR %s %s $%d ESCAPE '\\')", cond, ix->like_a, like, p,
                               ix->like_b, like, p);
    }
    for (int i = 0; i < *nvals; i++)
        if (!vals[i]) return NULL;
    return cond;
}
