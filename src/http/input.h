/*
 * input.h — reading fields from a JSON request body with the checks every
 * handler needs: presence, type, length in characters, no control
 * characters, no unknown keys. Failures become per-field Chinese messages
 * in the response (validation_failed), so a handler reads all fields, then
 * returns if r->err is set — before touching the database.
 */
#ifndef ZQ_HTTP_INPUT_H
#define ZQ_HTTP_INPUT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "http/req.h"

/* Refuses keys of the body that are not in `allowed` (NULL-terminated). */
void zq_in_only(zq_req *q, zq_resp *r, const char *const *allowed);
/* A trimmed string field. label names it in messages ("企业名称").
 * Returns an arena copy, or NULL when absent/empty (an error if required). */
const char *zq_in_str(zq_req *q, zq_resp *r, const char *field, const char *label, bool required, size_t max_chars);
/* Integer field within [min,max]; *present tells if it was given. */
int64_t zq_in_int(zq_req *q, zq_resp *r, const char *field, const char *label, bool required, int64_t min, int64_t max, bool *present);
/* Boolean field; returns dflt when absent. */
bool zq_in_bool(zq_req *q, zq_resp *r, const char *field, const char *label, bool dflt);
/* Array of short strings; returns arena array (n items) or NULL. */
const char **zq_in_str_list(zq_req *q, zq_resp *r, const char *field, const char *label, bool required, int max_items, size_t max_chars, int *n);
/* For actions that take no fields: refuses any key in the body (an empty
 * body or {} is fine). Returns r->err. */
zq_err zq_in_none(zq_req *q, zq_resp *r);
/* True if the body has this key at all. */
bool zq_in_has(const zq_req *q, const char *field);

/* Query-string helpers for lists: page (≥1) and page_size (1..cap, default dflt). */
void zq_in_page(zq_req *q, zq_resp *r, int64_t *page, int64_t *page_size, int64_t dflt, int64_t cap);

#endif
