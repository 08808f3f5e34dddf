/*
 * route.h — the route table. Each route declares what a caller needs
 * (public, a session, an enterprise member with a permission, bureau staff
 * with a permission) so the pipeline checks it before any handler runs; a
 * handler cannot forget the check.
 */
#ifndef ZQ_HTTP_ROUTE_H
#define ZQ_HTTP_ROUTE_H
#include <stddef.h>
#include "http/req.h"

typedef zq_err (*zq_handler)(zq_req *q, zq_resp *r);

typedef enum {
    ZQ_ACCESS_PUBLIC = 0,  /* anyone */
    ZQ_ACCESS_SESSION,     /* any logged-in account (enterprise user or staff) */
    ZQ_ACCESS_USER,        /* logged-in enterprise-side account, enterprise optional */
    ZQ_ACCESS_MEMBER,      /* member of the selected, approved enterprise; `perm` checked */
    ZQ_ACCESS_STAFF,       /* bureau staff; `perm` (required) names a code of src/auth/staff_perm.c,
                            * "a|b" = either; scope declared by ZQ_RF_SCOPED / ZQ_RF_UNSCOPED */
} zq_access;

enum {
    ZQ_RF_JSON = 1 << 0,        /* body, if any, must be JSON (parsed into q->json) */
    ZQ_RF_NO_CSRF = 1 << 1,     /* unsafe method allowed without the CSRF header (login etc.) */
    ZQ_RF_NO_DB = 1 << 2,       /* does not need a database connection */
    ZQ_RF_ALLOW_PWCHANGE = 1 << 3, /* reachable while a password change is pending */
    ZQ_RF_HEAVY = 1 << 4,       /* long work (exports, batch files): runs only in one of the
                                 * instance's few heavy slots, else 503 with Retry-After, so
                                 * some worker thread is always free for light requests */
    ZQ_RF_ALLOW_CONSENT = 1 << 5,  /* reachable before the account agreed to the current 用户协议/隐私政策 */
    /* Every ZQ_ACCESS_STAFF route declares exactly one of these two
     * (tests/api/test_staff_routes.c walks the table). SCOPED: the gate
     * sets q->scope_region from the staff account (see http/scope.h) and
     * the handler filters through zq_scope_where(). UNSCOPED: a deliberate
     * exception for city-wide matters (staff accounts, roles, dictionaries,
     * legal documents); say why beside the route. */
    ZQ_RF_SCOPED = 1 << 6,
    ZQ_RF_UNSCOPED = 1 << 7,
};

typedef struct zq_route {
    unsigned methods;       /* zq_method bits */
    const char *pattern;    /* "/api/v1/dicts/:type" */
    zq_handler handler;
    zq_access access;
    const char *perm;       /* permission code or NULL */
    unsigned flags;         /* ZQ_RF_* */
    size_t body_max;        /* 0 = the server default (1 MiB) */
    /* The audit action of an unsafe (POST/PUT/PATCH/DELETE) route, the code
     * its record carries ("invite.create"; web/src/utils/auditActions.js
     * labels them); NULL on safe routes. tests/api/test_route_table.c fails
     * on an unsafe route without one or a safe route with one, so a new
     * state-changing route cannot be added unaudited. */
    const char *audit;
} zq_route;

typedef struct {
    const zq_route *routes;
    size_t n;
} zq_route_group;

typedef struct zq_router zq_router;

/* Build a router over several groups (copied; patterns must be static). NULL on error. */
zq_router *zq_router_new(const zq_route_group *groups, size_t ngroups);
void zq_router_free(zq_router *rt);

typedef enum { ZQ_MATCH_OK, ZQ_MATCH_NONE, ZQ_MATCH_METHOD } zq_match;

/* Match method+path. On OK sets *out and adds :params to q->params. On
 * METHOD, *allowed gets the union of methods the path accepts. */
zq_match zq_router_match(const zq_router *rt, zq_req *q, const zq_route **out, unsigned *allowed);

/* The twin of a matched route for the other side of the house: the route
 * with the same pattern and method declared for bureau staff (staff=true)
 * or for the enterprise side (staff=false), NULL when there is none.
 * A path serves both only where the issue says so (POST /api/v1/uploads:
 * a member's upload is the firm's file, a staff member's the bureau's);
 * the pipeline switches to the twin once the session is known, so each
 * side keeps its own access, permission, scope and audit declaration.
 *
 * The rule: twins agree on everything the pipeline reads BEFORE the switch,
 * because until the session is loaded the route matched first (whichever
 * the table lists first) stands for both — its methods (the twin must serve
 * the same ones), body_max (the server sizes and reads the body under it)
 * and the flags ZQ_RF_JSON (whether the body is parsed as JSON) and
 * ZQ_RF_NO_DB (whether a session is loaded at all; without one there is
 * no switch).
 * zq_router_new refuses a table whose twins differ in any of them, and
 * tests/api/test_route_table.c checks the real table with
 * zq_route_twins_check. Everything read after the switch (access, perm,
 * scope, HEAVY, CSRF, audit) may differ: that is what twins are for. */
const zq_route *zq_router_twin(const zq_router *rt, const zq_route *route, bool staff);

/* Checks the rule above over a table: the number of twin pairs that differ
 * in something read before the switch (0 = fine), the first described in
 * why ("POST /api/v1/uploads: twins differ in body_max"). */
int zq_route_twins_check(const zq_route_group *groups, size_t ngroups, char *why, size_t whylen);

/* "GET, HEAD, POST" for a method mask, into buf. */
void zq_methods_str(unsigned mask, char *buf, size_t len);
zq_method zq_method_parse(const char *s);

#endif
