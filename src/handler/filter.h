/*
 * filter.h — the one filter builder of list endpoints (directory, audit
 * log, staff, registrations, employees). A WHERE clause is put together from
 * fixed SQL fragments, one per filter that is set, each naming its values
 * as "$%d"; the builder numbers them and binds the values in the same
 * order. Only real conditions reach the planner (a "$1 = '' OR …" form
 * hides every index from SQLite), and no input ever becomes SQL text.
 */
#ifndef ZQ_HANDLER_FILTER_H
#define ZQ_HANDLER_FILTER_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "http/req.h"

struct db_stmt;

#define HK_FILTER_CONDS 16   /* conditions per filter */
#define HK_FILTER_VALUES 4   /* values per condition */

typedef struct {
    const char *sql;                         /* fixed text, one "$%d" per value in bind order */
    const char *text[HK_FILTER_VALUES];      /* text values; text[0] NULL = one number */
    int64_t num;
    bool fixed;                              /* binds nothing (a closed scope) */
} hk_cond;

typedef struct {
    hk_cond c[HK_FILTER_CONDS];
    int n;
    int first;       /* number of the first value ($first); the caller's own go before */
    bool overflow;   /* more conditions than room, or a NULL value: the filter fails */
} hk_filter;

/* An empty filter whose first value is $first (1 unless the statement binds
 * values of its own before the filter's). */
void hk_filter_init(hk_filter *f, int first);
/* Adds condition sql with value v, only when v is set (non-NULL, non-empty). */
void hk_filter_text(hk_filter *f, const char *sql, const char *v);
/* Adds condition sql with one number. */
void hk_filter_num(hk_filter *f, const char *sql, int64_t v);
/* Adds condition sql with up to HK_FILTER_VALUES text values (NULL-terminated
 * list; a value used twice in sql is given twice). */
void hk_filter_texts(hk_filter *f, const char *sql, const char *const *vals);
/* Adds sql when text is set, every "$%d" of it bound to the same pattern:
 * text as a literal substring (LIKE wildcards escaped; sql says ESCAPE
 * '\\'). An out-of-memory pattern fails the filter. The one keyword
 * condition of the list endpoints. */
void hk_filter_contains(hk_filter *f, zq_arena *a, const char *sql, const char *text);
/* Adds the request's data scope on column col (http/scope.h): nothing for
 * city-wide staff, "col = <region>" for a district's. */
void hk_filter_scope(hk_filter *f, zq_req *q, const char *col);

/* " WHERE 1 = 1 AND …" ("1 = 1" so a caller may append " AND …" of its
 * own), numbered from f->first. Arena string; NULL on overflow or OOM. */
const char *hk_filter_where(const hk_filter *f, zq_arena *a);
/* The number of the first value after the filter's ($n for LIMIT …). */
int hk_filter_next(const hk_filter *f);
/* Binds the values at $first…; DB_OK or the first failed bind's code. */
int hk_filter_bind(const hk_filter *f, struct db_stmt *s);
/* Runs sql (a one-row COUNT ending in the filter's WHERE) with the filter's
 * values into *total. DB_OK or a negative db_rc. */
struct db_conn;
int hk_filter_count(struct db_conn *db, const hk_filter *f, const char *sql, int64_t *total);
/* One page of a filtered list. count_fmt ("SELECT COUNT(*) FROM t x%s") and
 * list_fmt ("SELECT … FROM t x%s ORDER BY …") are fixed texts taking the
 * WHERE alone; the list gets LIMIT and OFFSET here. *total gets the count;
 * *out the list statement, bound and ready to step (the caller steps it and
 * calls db_stmt_done). ZQ_OK, or the failure set on r. */
zq_err hk_filter_page(zq_req *q, zq_resp *r, const hk_filter *f, const char *count_fmt, const char *list_fmt,
                      int64_t page, int64_t page_size, int64_t *total, struct db_stmt **out);

#endif
