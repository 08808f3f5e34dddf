/*
 * dict.h — dictionaries (regions, industries, characteristics, …): the code
 * lists every form and filter uses. Read often, edited rarely, so rendered
 * JSON is cached per type in the app context for a few seconds (other
 * instances on PostgreSQL see an edit within that time) with an ETag.
 */
#ifndef ZQ_DICT_H
#define ZQ_DICT_H
#include <stdbool.h>
#include "http/req.h"

struct db_conn;
typedef struct dict_cache dict_cache;

dict_cache *dict_cache_new(void);
void dict_cache_free(dict_cache *c);
/* Drop every cached rendering (after an edit on this instance). */
void dict_cache_invalidate(dict_cache *c);

/* True if `code` is an enabled item of dictionary `type`. For validators. */
bool dict_has_code(struct db_conn *db, const char *type, const char *code);
/* Name of an item (arena copy) or NULL. */
const char *dict_name(zq_req *q, const char *type, const char *code);

#endif
