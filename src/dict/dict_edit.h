/*
 * dict_edit.h — what the dictionary editor's files share: dict_admin.c (the
 * routes; listing, adding, deleting), dict_update.c (renaming, reordering,
 * disabling) and dict_item.c (these helpers). Not for other modules.
 */
#ifndef ZQ_DICT_EDIT_H
#define ZQ_DICT_EDIT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "dict/dict_internal.h"
#include "auth/access.h"
#include "core/jsonw.h"

#define DA_NAME_MAX 40
#define DA_SORT_MAX 999999
#define DA_ITEMS_MAX 5000

struct db_stmt;

typedef struct {
    int64_t id, sort, updated_at;
    const char *code, *name, *parent, *kind;
    bool enabled;
} da_item;

typedef struct {
    const char *type, *name;
    bool hierarchical;
} da_type;

/* A field refusal that conflicts with stored data: 409 with fields[field]. */
zq_err da_conflict_field(zq_req *q, zq_resp *r, const char *field, const char *message);

/* Whether the session may edit dictionaries (the list's can_edit). */
bool da_may_edit(const zq_session *s);

/* Type `type` into *t: DB_ROW, DB_DONE (no such type) or a negative db_rc. */
int da_load_type(zq_req *q, const char *type, da_type *t);
/* Item (type, code) into *it: DB_ROW, DB_DONE or a negative db_rc. */
int da_load_item(zq_req *q, const char *type, const char *code, da_item *it);
/* A row of "id, code, name, parent, kind, sort, enabled, updated_at" into *it (arena copies). */
void da_row_item(zq_req *q, struct db_stmt *s, da_item *it);
/* COUNT(*) of sql bound with ($1 a, $2 b) into *n. DB_OK or a negative db_rc. */
int da_count2(zq_req *q, const char *sql, const char *a, const char *b, int64_t *n);
/* Inside the edit's transaction, first: dict_version + 1 into *version. */
int da_bump_version(zq_req *q, int64_t *version);

/* The item's keys into the open JSON object w. */
void da_write_item(zq_jw *w, const char *type, const da_item *it);
/* The item as the whole answer with this status. */
zq_err da_answer_item(zq_resp *r, int status, const char *type, const da_item *it);
/* {name, parent, kind, sort, disabled} (new reference) for audit details. */
json_t *da_item_json(const da_item *it);
/* dict.item.<verb> with {"type","code","before","after"}; takes the references. 0 or -1. */
int da_audit_item(zq_req *q, const char *action, const char *type, const char *code, json_t *before, json_t *after);

/* The body's "name": 1–40 characters, no control or invisible format characters. */
const char *da_read_name(zq_req *q, zq_resp *r, bool required);
/* Inside the transaction: 409 (fields.name) when a sibling other than self already has this name. */
zq_err da_check_name_free(zq_req *q, zq_resp *r, const char *type, const char *parent, const char *name,
                          const char *self);

/* PUT /api/v1/admin/dicts/:type/items/:code (dict_update.c). */
zq_err dict_item_update(zq_req *q, zq_resp *r);

#endif
