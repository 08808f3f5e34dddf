/*
 * directory_api.c — the bureau's enterprise directory (企业库, docs/profile.md
 * "Bureau directory"):
 *   GET /api/v1/admin/enterprises?region=&industry=&scale=&characteristic=
 *        &trade_type=&status=&completeness_min=&completeness_max=&q=&page=&page_size=
 *   GET /api/v1/admin/enterprises/:id   the whole record, its sections, its members
 * District staff are pinned to their district: the scope is a bound
 * parameter of every statement, so another district's firm is neither
 * listed nor found (404). The WHERE clause is one fixed text; an empty
 * parameter switches its condition off.
 */
#include "directory/directory.h"
#include "http/scope.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "db/db.h"
#include "directory/filter.h"
#include "http/input.h"
#include "profile/profile.h"
#include "core/buf.h"
#include <stdlib.h>

#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100
/* Beyond these the list's total says "more than" (total_capped): each
 * counted match costs an index entry, and on PostgreSQL a keyword's match
 * a heap visit (10,000 of a one-character keyword: ~100 ms at 300,000
 * firms). A keyword that broad is refined, not paged through. */
#define TOTAL_CAP 10000
#define TOTAL_CAP_KEYWORD 1000

/* A page is two statements: its ids, chosen from the filter's index
 * alone, then only those firms' rows. Sorting every match's whole row to
 * keep twenty cost 60 ms for a city-wide industry over 100,000 firms; and
 * on PostgreSQL, which plans a filtered statement again on each run (a
 * custom plan for its values), the ids' statement names one table to plan
 * while the rows' statement, whose plan no id changes, is planned once
 * (0.3–0.5 ms a request at 300,000 firms; docs/performance.md).
 * LIMIT and OFFSET are written as numbers (checked integers, never input
 * text): as parameters PostgreSQL's cached plan would sort every firm. */
#define IDS_PAGE "SELECT %s AS id%s ORDER BY %s DESC LIMIT %lld OFFSET %lld"
/* A LIKE keyword on PostgreSQL (3+ characters): its matches up to the cap
 * are taken once, counted and sorted here. The trigram index only names
 * candidates and the LIKE decides on each row, so counting then paging
 * read every match twice; and left to itself the page walked every firm's
 * id down testing the LIKE, on the planner's guess of how common the
 * keyword is (闽江华兴 at 300,000 firms: 750 matches, 7,601 firms tested). */
#define IDS_ALL "SELECT %s AS id%s LIMIT %lld"
#define ROWS_HEAD                                                                                             \
    "SELECT e.id, e.name, e.uscc, e.region, rg.name, e.industry, ind.name, e.scale, e.trade_type, e.status," \
    " e.completeness, e.legal_rep_name, e.created_at FROM enterprise e"                                      \
    " LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = e.region"                                   \
    " LEFT JOIN dict_item ind ON ind.type = 'industry' AND ind.code = e.industry WHERE e.id IN ("
#define ROWS_TAIL ") ORDER BY e.id DESC"
static const char SQL_SCOPED[] = "SELECT 1 FROM enterprise WHERE id = $1 AND ($2 = '' OR region = $2)";
static const char SQL_MEMBERS[] =
    "SELECT m.user_id, u.name, u.phone, r.name, m.is_legal_rep FROM membership m"
    " JOIN app_user u ON u.id = m.user_id LEFT JOIN enterprise_role r ON r.id = m.role_id"
    " WHERE m.enterprise_id = $1 AND m.status = 'active' ORDER BY m.is_legal_rep DESC, m.id";

typedef struct {
    int64_t page, page_size;
    dir_filter f;
    const char *from, *order;
    int nparams;
} list_query;

/* The ids sql (IDS_PAGE or IDS_ALL) selects, up to max, into ids. DB_OK or a db_rc. */
static int read_ids(zq_req *q, const list_query *l, const char *sql, int64_t *ids, int64_t max, int64_t *n)
{
    *n = 0;
    db_stmt *s = sql ? db_prepare(q->db, sql) : NULL;
    if (!s) return DB_ERR;
    dir_filter_bind(s, &l->f);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < max) ids[(*n)++] = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static void write_item(zq_jw *w, db_stmt *s)
{
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 0));
    hk_jw_col_str(w, "name", s, 1);
    hk_jw_col_str(w, "uscc", s, 2);
    hk_jw_col_str(w, "region", s, 3);
    hk_jw_col_str(w, "region_name", s, 4);
    hk_jw_col_str(w, "industry", s, 5);
    hk_jw_col_str(w, "industry_name", s, 6);
    hk_jw_col_str(w, "scale", s, 7);
    hk_jw_col_str(w, "trade_type", s, 8);
    hk_jw_col_str(w, "status", s, 9);
    zq_jw_kint(w, "completeness", db_col_int64(s, 10));
    hk_jw_col_str(w, "legal_rep_name", s, 11);
    hk_jw_time(w, "created_at", db_col_int64(s, 12));
    zq_jw_obj_end(w);
}

/* The list of the firms ids (newest first) with its total. */
static zq_err write_list(zq_req *q, zq_resp *r, const list_query *l, const int64_t *ids, int64_t n, int64_t total,
                         bool capped)
{
    zq_jw w;
    zq_list_begin(r, &w);
    if (n > 0) {
        zq_buf b;
        zq_buf_init(&b, 4096); /* the head and up to PAGE_SIZE_MAX "$n" */
        int bad = zq_buf_puts(&b, ROWS_HEAD);
        for (int64_t i = 0; i < n && !bad; i++) bad = zq_buf_printf(&b, i ? ", $%lld" : "$%lld", (long long)i + 1);
        if (!bad) bad = zq_buf_puts(&b, ROWS_TAIL);
        db_stmt *s = bad ? NULL : db_prepare(q->db, b.data);
        zq_buf_free(&b);
        if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        for (int64_t i = 0; i < n; i++) db_bind_int64(s, (int)i + 1, ids[i]);
        int rc;
        while ((rc = db_step(s)) == DB_ROW) write_item(&w, s);
        db_stmt_done(s);
        if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    zq_list_end_capped(&w, total, capped, l->page, l->page_size);
    return ZQ_OK;
}

static int id_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* A LIKE keyword's matches up to cap (IDS_ALL): its page and total. ZQ_OK
 * with *capped set and nothing written when there are more (the caller
 * pages by walking the ids down). */
static zq_err list_small_set(zq_req *q, zq_resp *r, const list_query *l, int64_t cap, bool *capped)
{
    *capped = false;
    int64_t *ids = zq_arena_alloc(q->arena, (size_t)(cap + 1) * sizeof *ids), n;
    const char *sql = zq_arena_printf(q->arena, IDS_ALL, l->order, l->from, (long long)cap + 1);
    if (!ids || read_ids(q, l, sql, ids, cap + 1, &n) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (n > cap) {
        *capped = true;
        return ZQ_OK;
    }
    qsort(ids, (size_t)n, sizeof *ids, id_desc);
    int64_t skip = (l->page - 1) * l->page_size, take = n > skip ? n - skip : 0;
    return write_list(q, r, l, ids + (take ? skip : 0), take < l->page_size ? take : l->page_size, n, false);
}

static zq_err directory_list(zq_req *q, zq_resp *r)
{
    list_query l;
    zq_in_page(q, r, &l.page, &l.page_size, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    dir_filter_read(q, r, &l.f);
    if (r->err) return r->err;
    if (!(l.from = dir_filter_from(q->arena, &l.f, &l.nparams, &l.order))) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    int64_t cap = l.f.kw ? TOTAL_CAP_KEYWORD : TOTAL_CAP, total;
    bool capped = false;
    if (l.f.kw == DIR_KW_PG_LIKE) {
        zq_err e = list_small_set(q, r, &l, cap, &capped);
        if (e != ZQ_OK || !capped) return e;
        total = cap; /* counted already: more than cap */
    } else {
        total = dir_filter_count_capped(q, &l.f, l.from, cap, &capped);
        if (total < 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    int64_t ids[PAGE_SIZE_MAX], n;
    const char *sql = zq_arena_printf(q->arena, IDS_PAGE, l.order, l.from, l.order, (long long)l.page_size,
                                      (long long)(l.page - 1) * l.page_size);
    if (read_ids(q, &l, sql, ids, PAGE_SIZE_MAX, &n) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return write_list(q, r, &l, ids, n, total, capped);
}

static int write_members(zq_req *q, int64_t id, zq_jw *w)
{
    db_stmt *s = db_prepare(q->db, SQL_MEMBERS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc;
    zq_jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(w);
        zq_jw_kint(w, "user_id", db_col_int64(s, 0));
        hk_jw_col_str(w, "name", s, 1);
        zq_jw_kstr(w, "phone", audit_mask_phone(q->arena, db_col_text(s, 2)));
        hk_jw_col_str(w, "role_name", s, 3);
        zq_jw_kbool(w, "is_legal_rep", db_col_int64(s, 4) != 0);
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static zq_err directory_get(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    db_stmt *s = db_prepare(q->db, SQL_SCOPED);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, zq_scope_value(q), -1);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    /* the record, then its members inside the same object */
    zq_jw w;
    zq_resp_json(r, &w, 200);
    rc = profile_write_enterprise_open(q, id, true, &w);
    if (rc != DB_OK) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_INTERNAL, NULL);
    zq_jw_key(&w, "members");
    if ((rc = write_members(q, id, &w)) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/enterprises", directory_list, ZQ_ACCESS_STAFF, "enterprise.view", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/admin/enterprises/:id", directory_get, ZQ_ACCESS_STAFF, "enterprise.view", ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group directory_routes = {routes, sizeof routes / sizeof routes[0]};
