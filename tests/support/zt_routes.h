/*
 * zt_routes.h — what tests that walk the real route table share: a method
 * name for a route's method bits, a pattern made concrete with an id, and
 * whether a route permission ("a|b") names a code among its alternatives.
 */
#ifndef ZT_ROUTES_H
#define ZT_ROUTES_H
#include <stdbool.h>

/* "GET", "POST", "PUT", "PATCH" or "DELETE" for the first of those bits; NULL if none. */
const char *zw_method_of(unsigned methods);
/* pattern with every :param replaced by id (static buffer, overwritten by the next call). */
const char *zw_concrete(const char *pattern, long long id);
/* Whether code is one of the '|'-separated alternatives in perm. */
bool zw_names_alternative(const char *perm, const char *code);

#endif
