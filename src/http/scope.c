/*
 * scope.c — a staff request's data scope (see scope.h).
 */
#include "http/scope.h"
#include "core/arena.h"
#include <assert.h>
#include <string.h>

zq_scope zq_scope_where(zq_req *q, const char *col, int *next_param)
{
    zq_scope sc = {"", NULL};
    /* asked on a route that declared no scope: a programmer error; fail closed in release builds */
    assert(q->scope_region != NULL);
    if (!q->scope_region) {
        sc.sql = " AND 1 = 0";
        return sc;
    }
    if (!*q->scope_region) return sc;
    sc.sql = zq_arena_printf(q->arena, " AND %s = $%d", col, (*next_param)++);
    sc.value = q->scope_region;
    if (!sc.sql) sc.sql = " AND 1 = 0";
    return sc;
}

bool zq_scope_allows(const zq_req *q, const char *region)
{
    if (!q->scope_region) return false;
    if (!*q->scope_region) return true;
    return region && strcmp(region, q->scope_region) == 0;
}

const char *zq_scope_value(const zq_req *q)
{
    return q->scope_region ? q->scope_region : "-";
}

bool zq_scope_citywide(const zq_req *q)
{
    return q->scope_region && !*q->scope_region;
}
