/*
 * gram.h — keyword search over a gram index, the one way the public lists
 * search Chinese text (policies and notices, the consultations' Q&A).
 * SQLite: an FTS5 table with the zq_gram tokenizer (src/db/sqlite_gram.c:
 * every character and pair of characters) answers one or two characters as
 * one token — exactly, so 补贴 needs no recheck — and longer keywords as
 * the AND of their pairs, rechecked with LIKE. PostgreSQL does the same
 * with a stored gram array (zq_search_grams, migration 0014) and its GIN
 * index.
 */
#ifndef ZQ_SEARCH_GRAM_H
#define ZQ_SEARCH_GRAM_H
#include "core/arena.h"
#include "db/db.h"

#define GRAM_QUERY_MAX 50   /* characters of a keyword that count */

/* Where a table's gram index is (static strings of the caller). */
typedef struct {
    const char *fts_table;  /* SQLite FTS5 table whose rowid is id_col's value: "content_gram" */
    const char *id_col;     /* "c.id" */
    const char *grams_col;  /* PostgreSQL stored gram array: "c.search_grams" */
    const char *like_a;     /* the columns a 3+ character keyword is rechecked on: "c.title" */
    const char *like_b;     /* "c.body_text" */
} gram_index;

/* The condition (no leading AND) matching kw over ix, its parameters
 * numbered from first_param; their values are appended to vals (room for
 * max_vals, at least GRAM_QUERY_MAX) and *nvals advanced. "" when kw has no
 * characters (no condition), NULL when out of memory. Arena-owned. */
const char *gram_where(zq_arena *a, db_engine engine, const gram_index *ix, const char *kw, int first_param,
                       const char **vals, int *nvals, int max_vals);

#endif
