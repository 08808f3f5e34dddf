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

typedef struct {
    const char *scope;          /* district of district staff, "" for city staff */
    const char *region, *status, *name_like, *uscc_like, *scale, *trade_type;
    const char *division;       /* industry division (two digits) or "" */
    const char *section;        /* industry section letter or "" */
    const char *characteristic;
    int64_t cmin, cmax;         /* completeness bounds, 0..100 */
    bool trigram;               /* the keyword can use SQLite's trigram index (migration 0010) */
} dir_filter;

/* Reads the query's filters; on a bad value a field error is set on r. */
void dir_filter_read(zq_req *q, zq_resp *r, dir_filter *f);

/* " WHERE …" over `enterprise e` using $1..$n; *nparams receives n, so a
 * caller's own parameters continue at $n+1. Allocated in the arena. */
const char *dir_filter_where(zq_arena *a, const dir_filter *f, int *nparams);

/* Binds $1..$n of the text dir_filter_where made for the same filter. */
void dir_filter_bind(db_stmt *s, const dir_filter *f);

/* How many firms `where` (from dir_filter_where) selects; -1 on a database error. */
int64_t dir_filter_count(zq_req *q, const dir_filter *f, const char *where);

#endif
