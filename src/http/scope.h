/*
 * scope.h — the data scope of a staff request, one meaning everywhere.
 * The gate sets q->scope_region for routes marked ZQ_RF_SCOPED ("" = every
 * district, else the account's one region); handlers never ask the session.
 */
#ifndef ZQ_HTTP_SCOPE_H
#define ZQ_HTTP_SCOPE_H
#include <stdbool.h>
#include "http/req.h"

typedef struct {
    const char *sql;    /* "" (every district) or " AND <col> = $<n>" */
    const char *value;  /* the region to bind at $<n>; NULL when sql is "" */
} zq_scope;

/* The WHERE fragment for column col, numbered *next_param (advanced when a
 * value is to be bound). On a route without a scope it fails closed: a
 * fragment that matches nothing. */
zq_scope zq_scope_where(zq_req *q, const char *col, int *next_param);

/* True when an object of region may be seen in this request's scope. */
bool zq_scope_allows(const zq_req *q, const char *region);

/* The scope as one bound value for fixed statements written
 * `($n = '' OR col = $n)`: "" = every district, else the region; "-"
 * (matches no region) on a route without a scope. */
const char *zq_scope_value(const zq_req *q);

/* True when the request's scope is the whole city. */
bool zq_scope_citywide(const zq_req *q);

#endif
