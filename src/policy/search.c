/*
 * search.c — the public lists' query (policy_search.h). The WHERE clause is
 * put together from fixed fragments, one per filter that is set, values
 * always bound. The keyword: SQLite's content_gram table (zq_gram: every
 * character and pair of characters) answers one or two characters as one
 * token — exactly, so 补贴 needs no recheck — and longer keywords as the
 * AND of their pairs, rechecked with LIKE over title and body text.
 * PostgreSQL does the same with the stored gram array and its GIN index.
 */
#include "policy/policy_search.h"
#include "core/text.h"
#include "db/db.h"
#include <string.h>

#define MAX_VALS (POL_QUERY_MAX + 8)

typedef struct {
    const char *sql;
    const char *text[MAX_VALS];
    int64_t num[MAX_VALS];
    bool is_num[MAX_VALS];
    int n;
} where_b;

static void add(zq_req *q, where_b *w, const char *frag)
{
    w->sql = w->sql ? zq_arena_printf(q->arena, "%s AND %s", w->sql, frag) : NULL;
}

static int push_text(where_b *w, const char *v)
{
    w->text[w->n] = v;
    w->is_num[w->n] = false;
    return ++w->n;
}

static int push_num(where_b *w, int64_t v)
{
    w->num[w->n] = v;
    w->is_num[w->n] = true;
    return ++w->n;
}

/* The characters of s as an array of UTF-8 pieces; returns how many. */
static int chars_of(zq_req *q, const char *s, const char **out, int max)
{
    int n = 0;
    for (const char *p = s; *p && n < max;) {
        const char *st = p;
        zq_utf8_next(&p);
        out[n++] = zq_arena_strndup(q->arena, st, (size_t)(p - st));
    }
    return n;
}

/* One FTS5 token: the text in quotes, its own quotes doubled. */
static const char *fts_token(zq_req *q, const char *g)
{
    if (!g) return NULL;
    size_t n = strlen(g);
    char *out = zq_arena_alloc(q->arena, 2 * n + 3), *o = out;
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
static const char *fts_query(zq_req *q, const char *kw, const char *const *ch, int n)
{
    if (n <= 2) return fts_token(q, kw);
    const char *out = NULL;
    for (int i = 0; i + 1 < n; i++) {
        const char *t = fts_token(q, zq_arena_printf(q->arena, "%s%s", ch[i], ch[i + 1]));
        out = !t ? NULL : out ? zq_arena_printf(q->arena, "%s AND %s", out, t) : t;
        if (!out) return NULL;
    }
    return out;
}

static void keyword(zq_req *q, where_b *w, const char *kw)
{
    const char *ch[POL_QUERY_MAX + 1];
    int n = chars_of(q, kw, ch, POL_QUERY_MAX);
    if (n == 0) return;
    bool exact = n <= 2;
    if (db_conn_engine(q->db) == DB_SQLITE) {
        const char *m = fts_query(q, kw, ch, n);
        int p = push_text(w, m);
        add(q, w, zq_arena_printf(q->arena, "c.id IN (SELECT rowid FROM content_gram WHERE content_gram MATCH $%d)", p));
    } else if (exact) {
        int p = push_text(w, kw);
        add(q, w, zq_arena_printf(q->arena, "c.search_grams && ARRAY[lower(CAST($%d AS TEXT))]", p));
    } else {
        const char *arr = "";
        for (int i = 0; i + 1 < n; i++) {
            int p = push_text(w, zq_arena_printf(q->arena, "%s%s", ch[i], ch[i + 1]));
            arr = zq_arena_printf(q->arena, "%s%slower(CAST($%d AS TEXT))", arr, i ? ", " : "", p);
        }
        add(q, w, zq_arena_printf(q->arena, "c.search_grams @> ARRAY[%s]", arr));
    }
    if (!exact) {
        int p = push_text(w, zq_like_pattern(q->arena, kw, ZQ_LIKE_CONTAINS));
        /* LIKE folds ASCII on SQLite as zq_gram does; ILIKE folds all as lower() of the grams does */
        const char *like = db_conn_engine(q->db) == DB_POSTGRES ? "ILIKE" : "LIKE";
        add(q, w, zq_arena_printf(q->arena, "(c.title %s $%d ESCAPE '\\' OR c.body_text %s $%d ESCAPE '\\')", like, p,
                                  like, p));
    }
}

static void bind_all(db_stmt *s, const where_b *w)
{
    for (int i = 0; i < w->n; i++) {
        if (w->is_num[i]) db_bind_int64(s, i + 1, w->num[i]);
        else db_bind_text(s, i + 1, w->text[i], -1);
    }
}

int pol_search(zq_req *q, const pol_filter *f, pol_item *items, int *n, int64_t *total)
{
    where_b w = {.sql = f->notices ? "c.status = 'published' AND c.kind = 'notice'"
                                   : "c.status = 'published' AND c.kind IN ('news', 'interpretation')"};
    *n = 0;
    *total = 0;
    if (f->kind) add(q, &w, zq_arena_printf(q->arena, "c.kind = $%d", push_text(&w, f->kind)));
    if (f->type)
        add(q, &w, zq_arena_printf(q->arena, "c.id IN (SELECT t.item_id FROM content_type t WHERE t.code = $%d)",
                                   push_text(&w, f->type)));
    if (f->department) add(q, &w, zq_arena_printf(q->arena, "c.department = $%d", push_text(&w, f->department)));
    if (f->from) add(q, &w, zq_arena_printf(q->arena, "c.published_at >= $%d", push_num(&w, f->from)));
    if (f->to) add(q, &w, zq_arena_printf(q->arena, "c.published_at < $%d", push_num(&w, f->to)));
    if (f->q) keyword(q, &w, f->q);
    if (!w.sql) return DB_ERR;
    const char *count_sql = zq_arena_printf(q->arena, "SELECT COUNT(*) FROM content_item c WHERE %s", w.sql);
    const char *list_sql = zq_arena_printf(q->arena,
                                           "SELECT " POL_ITEM_COLS " FROM content_item c WHERE %s"
                                           " ORDER BY c.published_at DESC, c.id DESC LIMIT $%d OFFSET $%d",
                                           w.sql, w.n + 1, w.n + 2);
    if (!count_sql || !list_sql) return DB_ERR;
    db_stmt *s = db_prepare(q->db, count_sql);
    if (!s) return DB_ERR;
    bind_all(s, &w);
    int rc = db_step(s);
    if (rc == DB_ROW) *total = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if (!(s = db_prepare(q->db, list_sql))) return DB_ERR;
    bind_all(s, &w);
    db_bind_int64(s, w.n + 1, f->page_size);
    db_bind_int64(s, w.n + 2, (f->page - 1) * f->page_size);
    while ((rc = db_step(s)) == DB_ROW && *n < f->page_size) pol_item_read(q, s, &items[(*n)++]);
    db_stmt_done(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}
