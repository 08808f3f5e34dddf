/*
 * filter.c — the filter builder of list endpoints (filter.h).
 */
#include "handler/filter.h"
#include "http/scope.h"
#include "db/db.h"
#include "handler/kit.h"
#include "core/text.h"
#include <assert.h>
#include <string.h>

void hk_filter_init(hk_filter *f, int first)
{
    memset(f, 0, sizeof *f);
    f->first = first > 0 ? first : 1;
}

static hk_cond *slot(hk_filter *f)
{
    if (f->n >= HK_FILTER_CONDS) {
        f->overflow = true;
        return NULL;
    }
    hk_cond *c = &f->c[f->n++];
    memset(c, 0, sizeof *c);
    return c;
}

void hk_filter_text(hk_filter *f, const char *sql, const char *v)
{
    if (!v || !*v) return;
    hk_cond *c = slot(f);
    if (!c) return;
    c->sql = sql;
    c->text[0] = v;
}

void hk_filter_num(hk_filter *f, const char *sql, int64_t v)
{
    hk_cond *c = slot(f);
    if (!c) return;
    c->sql = sql;
    c->num = v;
}

void hk_filter_texts(hk_filter *f, const char *sql, const char *const *vals)
{
    hk_cond *c = slot(f);
    if (!c) return;
    c->sql = sql;
    int k = 0;
    for (; vals[k]; k++) {
        if (k == HK_FILTER_VALUES) {
            f->overflow = true;
            return;
        }
        c->text[k] = vals[k];
    }
    if (k == 0) f->overflow = true; /* a NULL value (out of memory upstream) */
}

void hk_filter_contains(hk_filter *f, zq_arena *a, const char *sql, const char *text)
{
    if (!text || !*text) return;
    const char *like = zq_like_pattern(a, text, ZQ_LIKE_CONTAINS);
    const char *vals[HK_FILTER_VALUES + 1] = {0};
    int n = 0;
    for (const char *p = sql; (p = strstr(p, "$%d")) != NULL; p += 3) {
        if (n == HK_FILTER_VALUES || !like) {
            f->overflow = true;
            return;
        }
        vals[n++] = like;
    }
    hk_filter_texts(f, sql, vals);
}

void hk_filter_scope(hk_filter *f, zq_req *q, const char *col)
{
    int next = 1;
    zq_scope sc = zq_scope_where(q, col, &next);
    if (sc.value) {
        hk_filter_text(f, zq_arena_printf(q->arena, "%s = $%%d", col), sc.value);
        return;
    }
    if (!*sc.sql) return; /* city-wide */
    /* a route without a scope: zq_scope_where's closed fragment */
    hk_cond *c = slot(f);
    if (!c) return;
    c->sql = "1 = 0";
    c->fixed = true;
}

/* Values a condition binds: its texts, or one number, or none (a fixed
 * fragment such as the closed scope). */
static int values_of(const hk_cond *c)
{
    int k = 0;
    while (k < HK_FILTER_VALUES && c->text[k]) k++;
    if (k) return k;
    return c->fixed ? 0 : 1;
}

const char *hk_filter_where(const hk_filter *f, zq_arena *a)
{
    if (f->overflow) return NULL;
    int p = f->first;
    const char *out = " WHERE 1 = 1";
    for (int i = 0; i < f->n && out; i++) {
        const char *frag = zq_arena_printf(a, f->c[i].sql, p, p + 1, p + 2, p + 3);
        p += values_of(&f->c[i]);
        out = frag ? zq_arena_printf(a, "%s AND %s", out, frag) : NULL;
    }
    return out;
}

int hk_filter_next(const hk_filter *f)
{
    int p = f->first;
    for (int i = 0; i < f->n; i++) p += values_of(&f->c[i]);
    return p;
}

int hk_filter_bind(const hk_filter *f, db_stmt *s)
{
    int p = f->first, rc = DB_OK;
    for (int i = 0; i < f->n; i++) {
        const hk_cond *c = &f->c[i];
        if (!c->text[0]) {
            if (!c->fixed && (rc = db_bind_int64(s, p++, c->num)) != DB_OK) return rc;
            continue;
        }
        for (int k = 0; k < HK_FILTER_VALUES && c->text[k]; k++)
            if ((rc = db_bind_text(s, p++, c->text[k], -1)) != DB_OK) return rc;
    }
    return rc;
}

int hk_filter_count(db_conn *db, const hk_filter *f, const char *sql, int64_t *total)
{
    *total = 0;
    db_stmt *s = sql ? db_prepare(db, sql) : NULL;
    if (!s) return DB_ERR;
    int rc = hk_filter_bind(f, s);
    if (rc == DB_OK) rc = db_step(s);
    if (rc == DB_ROW) *total = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

zq_err hk_filter_page(zq_req *q, zq_resp *r, const hk_filter *f, const char *count_fmt, const char *list_fmt,
                      int64_t page, int64_t page_size, int64_t *total, db_stmt **out)
{
    *out = NULL;
    /* the formats take the WHERE alone: a stray conversion would read an
     * argument that is not there */
    assert(!strstr(list_fmt, "%d") && !strstr(count_fmt, "%d"));
    const char *where = hk_filter_where(f, q->arena);
    const char *count_sql = where ? zq_arena_printf(q->arena, count_fmt, where) : NULL;
    const char *list = where ? zq_arena_printf(q->arena, list_fmt, where) : NULL;
    /* LIMIT and OFFSET as numbers (checked integers, never input text): as
     * parameters PostgreSQL cannot cache the statement's plan (its generic
     * plan for an unknown LIMIT reads every row), so each page was planned
     * again (docs/performance.md, the directory's page) */
    const char *list_sql = list ? zq_arena_printf(q->arena, "%s LIMIT %lld OFFSET %lld", list, (long long)page_size,
                                                  (long long)((page - 1) * page_size))
                                : NULL;
    if (!count_sql || !list_sql) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    int rc = hk_filter_count(q->db, f, count_sql, total);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    db_stmt *s = db_prepare(q->db, list_sql);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    if ((rc = hk_filter_bind(f, s)) != DB_OK) {
        db_stmt_done(s);
        return hk_fail_db(q, r, rc);
    }
    *out = s;
    return ZQ_OK;
}
