/*
 * search.c — the public Q&A's list: published consultations, filtered by
 * category and a keyword through the shared gram search (search/gram.h,
 * the same the policy lists use) over title and question text.
 */
#include "consult/consult_search.h"
#include "search/gram.h"
#include <string.h>

static const gram_index consult_ix = {"consult_gram", "c.id", "c.search_grams", "c.title", "c.content"};

zq_err cs_search_respond(zq_req *q, zq_resp *r, const cs_query *cq)
{
    const char *vals[GRAM_QUERY_MAX + 2];
    int nv = 0;
    const char *where = "c.published_at > 0";
    if (cq->category && *cq->category) {
        vals[nv++] = cq->category;
        where = zq_arena_printf(q->arena, "%s AND c.category = $%d", where, nv);
    }
    const char *kw = gram_where(q->arena, db_conn_engine(q->db), &consult_ix, cq->kw, nv + 1, vals, &nv,
                                GRAM_QUERY_MAX + 2);
    if (!kw || !where) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (*kw) where = zq_arena_printf(q->arena, "%s AND %s", where, kw);
    const char *count_sql = zq_arena_printf(q->arena, "SELECT COUNT(*) FROM consultation c WHERE %s", where);
    const char *list_sql = zq_arena_printf(q->arena,
                                           "SELECT " CS_LIST_COLS " FROM consultation c WHERE %s"
                                           " ORDER BY c.published_at DESC, c.id DESC LIMIT $%d OFFSET $%d",
                                           where, nv + 1, nv + 2);
    if (!count_sql || !list_sql) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    int64_t total = 0;
    db_stmt *s = db_prepare(q->db, count_sql);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    for (int i = 0; i < nv; i++) db_bind_text(s, i + 1, vals[i], -1);
    int rc = db_step(s);
    if (rc == DB_ROW) total = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (!(s = db_prepare(q->db, list_sql))) return hk_fail_db(q, r, DB_ERR);
    for (int i = 0; i < nv; i++) db_bind_text(s, i + 1, vals[i], -1);
    db_bind_int64(s, nv + 1, cq->page_size);
    db_bind_int64(s, nv + 2, (cq->page - 1) * cq->page_size);
    return cs_respond_page(q, r, s, CS_VIEW_PUBLIC, total, cq->page, cq->page_size);
}
