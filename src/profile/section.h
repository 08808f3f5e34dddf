/*
 * section.h — the table-driven engine behind the seven profile sections
 * (docs/profile.md, "Sections"). Each section is one static prof_section:
 * its fields with type, limits, Chinese label, whether they are required and
 * for which kinds they apply. Validation, the INSERT/UPDATE/SELECT SQL, the
 * JSON rendering and the demo seeder all read the same spec, so a section is
 * described once. Internal to src/profile and src/demo.
 */
#ifndef ZQ_PROFILE_SECTION_H
#define ZQ_PROFILE_SECTION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/jsonw.h"
#include "http/req.h"

struct db_conn;
struct db_stmt;

typedef enum {
    PROF_STR,         /* text ≤ max characters */
    PROF_INT,         /* integer min..max */
    PROF_YEAR,        /* 1949..(this year + 1) */
    PROF_DATE,        /* YYYY-MM-DD */
    PROF_MONEY,       /* 万元 decimal string ≥ 0, stored as 元 */
    PROF_MONEY_SIGNED,/* the same, a leading '-' allowed */
    PROF_DEC2,        /* decimal string ≥ 0 with ≤ 2 decimals, stored ×100 */
    PROF_ENUM,        /* one of values[] */
    PROF_FILE,        /* an upload id of the same enterprise */
} prof_type;

typedef struct {
    const char *code, *label;
} prof_choice;

#define PROF_ALL_KINDS 0xffu

typedef struct {
    const char *name;          /* JSON key = column name */
    const char *label;         /* Chinese name for messages */
    prof_type type;
    int64_t min, max;          /* INT range; STR max characters */
    const prof_choice *values; /* ENUM, {NULL} terminated */
    unsigned kinds;            /* bit i: applies to kind value i (PROF_ALL_KINDS: always) */
    unsigned required;         /* bit i: required for kind value i */
} prof_field;

typedef struct { bool set; int64_t i; const char *s; } prof_val;

struct prof_section;
/* Cross-field rules after every field passed its own check. */
typedef void (*prof_check)(zq_req *q, zq_resp *r, const struct prof_section *sec, const prof_val *v);

typedef struct prof_section {
    const char *path;          /* "qualifications" — URL segment, audit name, JSON key */
    const char *table;
    const char *label;         /* 企业资质 */
    const prof_field *fields;
    int nfields;
    int kind_field;            /* index of the enum that selects the kind, -1 none */
    const char *unique_year;   /* per-year section: "year" (409 conflict on a duplicate) */
    int unique_kind;           /* …only among records of this kind index (-1: all) */
    const char *expiry_field;  /* renders "expired" from this date, or NULL */
    prof_check check;
} prof_section;

#define PROF_MAX_FIELDS 12
#define PROF_SQL_MAX 1024

/* The seven sections in docs/profile.md order. */
const prof_section *const *prof_sections(size_t *n);
const prof_section *prof_section_by_path(const char *path);

/* Index of field name, -1 when the section has none. */
int prof_field_index(const prof_section *sec, const char *name);
/* The kind index of the values (0 when the section has no kinds, -1 when the
 * kind is missing or invalid). */
int prof_kind_of(const prof_section *sec, const prof_val *v);

/* Reads and checks every field of q->json into v[nfields] (errors into r).
 * file_id values are checked against enterprise_id. */
void prof_read(zq_req *q, zq_resp *r, const prof_section *sec, int64_t enterprise_id, prof_val *v);

/* SQL texts built from the spec (fixed fragments, $N only) into buf.
 *   insert: $1 enterprise, $2 created_by, $3 now, $4.. fields; RETURNING id
 *   update: $1 id, $2 enterprise, $3 now, $4.. fields
 *   select: id, created_at, updated_at, fields…; $1 enterprise [, $2 id]
 *   delete: $1 id, $2 enterprise
 *   year:   id of a record with $1 enterprise, $2 year, other than $3 [, $4 kind] */
/* Each returns false, leaving buf empty, when the text does not fit in n
 * bytes: a statement is refused, never run cut short. */
bool prof_sql_insert(const prof_section *sec, char *buf, size_t n);
bool prof_sql_update(const prof_section *sec, char *buf, size_t n);
bool prof_sql_select(const prof_section *sec, bool one, char *buf, size_t n);
bool prof_sql_delete(const prof_section *sec, char *buf, size_t n);
bool prof_sql_year(const prof_section *sec, char *buf, size_t n);
/* Binds v to $first.. in field order (unset = NULL). */
void prof_bind(struct db_stmt *s, const prof_section *sec, const prof_val *v, int first);

/* Writes the current row of a prof_sql_select statement as one object.
 * db (may be NULL: file as {id} only, for audit details) resolves files;
 * today decides "expired". */
void prof_write_row(struct db_conn *db, const prof_section *sec, struct db_stmt *s, const char *today, zq_jw *w);
/* Writes "key": [every record of the section, newest first]. Returns
 * DB_OK or a negative db_rc. */
int prof_write_list(struct db_conn *db, const prof_section *sec, int64_t enterprise_id, const char *today, zq_jw *w);

/* Inserts one record outside HTTP (demo seeder): created_by NULL. Returns
 * DB_OK or a negative db_rc. */
int prof_insert_raw(struct db_conn *db, const prof_section *sec, int64_t enterprise_id, int64_t now,
                    const prof_val *v, int64_t *id);

#endif
