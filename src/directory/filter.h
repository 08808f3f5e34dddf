/*
 * filter.h — the directory's filters (企业库), shared by the list and the
 * export so that both select exactly the same firms. Reading checks every
 * value (dictionary codes, score bounds, keyword length) and records field
 * errors on the response; the SQL is parameterized only.
 */
#ifndef ZQ_DIRECTORY_FILTER_H
#define ZQ_DIRECTORY_FILTER_H

#include "db/db.h"
#include "http/req.h"
#include <stdint.h>

/* How the keyword is answered (docs/performance.md, migrations 0010/0014/0027). */
typedef enum {
    DIR_KW_NONE = 0,
    DIR_KW_PG_LIKE,     /* 3+ characters on PostgreSQL: LIKE, served by pg_trgm's GIN indexes where they exist */
    DIR_KW_PG_GRAMS,    /* 1–2 characters on PostgreSQL: the (gram, firm) table directory_gram */
    DIR_KW_FTS_TRIGRAM, /* 3+ characters on SQLite: FTS5 trigram table enterprise_search */
    DIR_KW_FTS_GRAM,    /* 1–2 characters on SQLite: FTS5 zq_gram table enterprise_gram */
} dir_kw_path;

typedef struct {
    const char *scope;          /* district of district staff, "" for city staff */
    const char *region, *status, *name_like, *uscc_like, *scale, *trade_type;
    const char *division;       /* industry division (two digits) or "" */
    const char *section;        /* industry section letter or "" */
    const char *characteristic;
    int64_t cmin, cmax;         /* completeness bounds, 0..100 */
    bool lite;                  /* SQLite (the planner hints differ) */
    dir_kw_path kw;
    bool kw_exact;              /* FTS and PG gram paths: the index's answer needs no LIKE after it */
    bool kw_wide;               /* DIR_KW_PG_LIKE: a character beyond ASCII (no USCC can hold it) */
    const char *kw_match;       /* FTS5 paths: the keyword as one quoted phrase */
    const char *kw_gram, *kw_head; /* DIR_KW_PG_GRAMS: the keyword; "^" and its upper case (a USCC head) */
} dir_filter;

/* Reads the query's filters; on a bad value a field error is set on r. */
void dir_filter_read(zq_req *q, zq_resp *r, dir_filter *f);

/* " WHERE …" over `enterprise e` using $1..$n; *nparams receives n, so a
 * caller's own parameters continue at $n+1. Allocated in the arena. */
const char *dir_filter_where(zq_arena *a, const dir_filter *f, int *nparams);

/* " FROM … WHERE …" selecting the same firms as dir_filter_where, for the
 * list: a filter that is one index's set of ids alone is answered from
 * that index without reading the firms. *order receives the id column
 * to sort by. Same parameters, in the same order, as dir_filter_where. */
const char *dir_filter_from(zq_arena *a, const dir_filter *f, int *nparams, const char **order);

/* Binds $1..$n of the text dir_filter_where/_from made for the same filter. */
void dir_filter_bind(db_stmt *s, const dir_filter *f);

/* How many firms `where` (from dir_filter_where) selects; -1 on a database error. */
int64_t dir_filter_count(zq_req *q, const dir_filter *f, const char *where);

/* The list's total: exact from the tallies (migrations 0014, 0032) when
 * only scope, region, status and industry are set; otherwise the matches of `from`
 * (dir_filter_from) counted up to cap, *capped set when there are more
 * (the total is then cap). -1 on a database error. */
int64_t dir_filter_count_capped(zq_req *q, const dir_filter *f, const char *from, int64_t cap, bool *capped);

/* The keyword path the database offers for three characters or more:
 * "fts5_trigram" (SQLite), "pg_trgm" (the index of migration 0014 exists)
 * or "scan"; NULL on a database error. */
const char *dir_search_path(db_conn *c);

#endif
