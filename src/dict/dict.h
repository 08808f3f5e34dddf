/*
 * dict.h — dictionaries (regions, industries, characteristics, …): the code
 * lists every form and filter uses. Bureau staff edit them (add, rename,
 * reorder, disable; delete only what nothing references): dict_admin.c.
 * Read often, so rendered JSON is cached per type in the app context with
 * an ETag; every edit bumps one version in the database, and each instance
 * drops its renderings when it sees a newer one (at once where the edit was
 * made, within about half a second elsewhere: dict_cache.c).
 *
 * A disabled item leaves the pickers (the public GET omits it) but stays
 * valid on records that already hold it: validators ask dict_lookup and
 * accept DICT_DISABLED only for the value a record already had.
 */
#ifndef ZQ_DICT_H
#define ZQ_DICT_H
#include <stdbool.h>
#include <stdint.h>
#include "http/req.h"
#include "http/route.h"

struct db_conn;
typedef struct dict_cache dict_cache;

dict_cache *dict_cache_new(void);
void dict_cache_free(dict_cache *c);
/* Drop every cached rendering. */
void dict_cache_invalidate(dict_cache *c);
/* The database's dictionary version is now `version` (an edit this
 * instance committed, or a periodic check): renderings built at an older
 * version are dropped at once. Older or equal versions change nothing. */
void dict_cache_saw_version(dict_cache *c, int64_t version);

/* True if `code` is an item of dictionary `type`, enabled or disabled: for
 * filters over stored records, which must reach the records that hold a
 * disabled item. Forms choosing a value use dict_lookup. */
bool dict_has_code(struct db_conn *db, const char *type, const char *code);
/* Name of an item (arena copy) or NULL. */
const char *dict_name(zq_req *q, const char *type, const char *code);

typedef enum {
    DICT_ERROR = -1,   /* the database could not answer */
    DICT_ABSENT = 0,   /* no such item (or, with leaf_only, not a leaf) */
    DICT_ENABLED,
    DICT_DISABLED,
} dict_state;
/* State of item (type, code). leaf_only: only items with a parent count
 * (a district of the city, an industry division). *name (may be NULL) gets
 * the item's name, an arena copy, when it exists. */
dict_state dict_lookup(zq_req *q, const char *type, const char *code, bool leaf_only, const char **name);

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group dict_routes;            /* dict_api.c */
extern const zq_route_group dict_admin_routes;      /* dict_admin.c */

#endif
