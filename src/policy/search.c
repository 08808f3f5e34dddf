/*
 * search.c — the public lists' query (policy_search.h). The WHERE clause is
 * put together from fixed fragments, one per filter that is set, values
 * always bound. The keyword goes through the shared gram index search
 * (src/search/gram.h) over content_gram / search_grams, rechecked on
 * title and body text.
 */
#include "policy/policy_search.h"
#include "core/text.h"
#include "db/db.h"
#include "search/gram.h"
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

static void keyword(zq_req *q, where_b *w, const char *kw)
{
    static const gram_index ix = {"content_gram", "c.id", "c.search_grams", "c.title", "c.body_text"};
    const char *vals[GRAM_QUERY_MAX + 1];
    int nv = 0;
    const char *cond = gram_where(q->arena, db_conn_engine(q->db), &ix, kw, w->n + 1, vals, &nv, GRAM_QUERY_MAX + 1);
    if (cond && !*cond) return;
    for (int i = 0; i < nv; i++) push_text(w, vals[i]);
    if (cond) add(q, w, cond);
    else w->sql = NULL;
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
    /* With a keyword, the matches are counted in the pass that orders them
     * (the match and its substring check run once, not once for the count
     * and again for the page; the count is asked alone only past the end).
     * Without one, the count reads an index and the page walks
     * content_item_published in order, stopping at the page's end: a
     * window over every published item would read them all. */
    bool windowed = f->q != NULL;
    const char *count_sql = zq_arena_printf(q->arena, "SELECT COUNT(*) FROM content_item c WHERE %s", w.sql);
    /* the window runs over the narrow (id, published_at) rows; the page's
     * twenty full rows are joined after */
    const char *list_sql =
        windowed ? zq_arena_printf(q->arena,
                                   "SELECT " POL_ITEM_COLS ", t.total FROM (SELECT c.id AS id, c.published_at AS pa,"
                                   " COUNT(*) OVER () AS total FROM content_item c WHERE %s"
                                   " ORDER BY c.published_at DESC, c.id DESC LIMIT $%d OFFSET $%d) t"
                                   " JOIN content_item c ON c.id = t.id ORDER BY t.pa DESC, t.id DESC",
                                   w.sql, w.n + 1, w.n + 2)
                 : zq_arena_printf(q->arena,
                                   "SELECT " POL_ITEM_COLS " FROM content_item c WHERE %s"
                                   " ORDER BY c.published_at DESC, c.id DESC LIMIT $%d OFFSET $%d",
                                   w.sql, w.n + 1, w.n + 2);
    if (!count_sql || !list_sql) return DB_ERR;
    db_stmt *s = db_prepare(q->db, list_sql);
    if (!s) return DB_ERR;
    bind_all(s, &w);
    db_bind_int64(s, w.n + 1, f->page_size);
    db_bind_int64(s, w.n + 2, (f->page - 1) * f->page_size);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < f->page_size) {
        if (windowed) *total = db_col_int64(s, POL_ITEM_NCOLS);
        pol_item_read(q, s, &items[(*n)++]);
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc;
    if (windowed && (*n > 0 || f->page == 1)) return DB_OK;
    if (!(s = db_prepare(q->db, count_sql))) return DB_ERR;
    bind_all(s, &w);
    rc = db_step(s);
    if (rc == DB_ROW) *total = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}
