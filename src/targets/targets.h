/*
 * targets.h — the audience matcher. A `targets` object (regions, industries
 * by section or division, scales, characteristics, trade types; an empty
 * list = no condition on it) selects approved enterprises: as SQL for
 * set-based fan-out (policies, notices, trade tasks, declarations,
 * questionnaires) and as a per-firm check with a Chinese reason per
 * condition (policy calculator, 404 decisions). One writer of this logic:
 * later modules reuse it rather than filter firms themselves.
 */
#ifndef ZQ_TARGETS_H
#define ZQ_TARGETS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/arena.h"
#include "core/err.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "http/req.h"

/* Most codes one list may hold (a policy aimed at 200 divisions is a
 * mistake, not a policy; 97 divisions + 20 sections + districts fit). */
#define TARGETS_LIST_MAX 128

typedef struct targets_set { const char **v; size_t n; } targets_set;
typedef struct targets {
    targets_set regions;         /* dict region codes (district level; a city code = all its districts) */
    targets_set industries;      /* section letters "C" or division codes "13" (enterprise.industry is a division) */
    targets_set scales;          /* dict scale codes */
    targets_set characteristics; /* dict characteristic codes (enterprise_characteristic) — any of them */
    targets_set trade_types;     /* dict trade_type codes */
} targets;

/* Reads the `targets` member of a request body (NULL/missing = everyone). Checks every code against the
 * dictionaries (q->app->dicts), caps list sizes, sets field errors "targets.regions" … on r.
 * ZQ_OK or the error. Arena-owned. */
zq_err targets_read(zq_req *q, zq_resp *r, json_t *obj, targets *out);
/* Canonical JSON text (sorted, deduplicated) for storage, and back. */
const char *targets_to_json(zq_arena *a, const targets *t);
/* 0, or -1 when text is not a targets object (NULL/"" reads as everyone). */
int targets_from_json(zq_arena *a, const char *text, targets *out);
/* Writes the object into a response ({"regions":[…],…}, with names beside codes is optional extra). */
void targets_write(zq_jw *w, const targets *t);
/* District staff: force regions to {region}. */
void targets_force_region(zq_arena *a, targets *t, const char *region);
/* True when no list holds a code (everyone approved). */
bool targets_empty(const targets *t);

/* SQL: " AND …" conditions over the enterprise alias `alias` (always including status='approved'),
 * parameters numbered from first_param; *nparams gets how many it used. Arena-owned. */
const char *targets_where(zq_arena *a, const targets *t, const char *alias, int first_param, int *nparams);
void targets_bind(db_stmt *s, const targets *t, int first_param);
/* How many approved enterprises match (for audience preview); -1 on DB error. */
int64_t targets_count(db_conn *c, zq_arena *a, const targets *t);

/* One firm, each condition with its verdict and a Chinese reason (policy calculator, 404 decisions). */
typedef struct { const char *condition; /* "regions"… */ bool applies; /* false = no condition */ bool met; const char *reason; } targets_check_item;
typedef struct { bool met; int failed; /* conditions not met */ targets_check_item items[5]; } targets_verdict;
/* DB_OK with the verdict in *out (a firm that is not approved is never met,
 * whatever its conditions say); DB_DONE when no such firm; or a db_rc.
 * Strings arena-owned. */
int targets_check(db_conn *c, zq_arena *a, const targets *t, int64_t enterprise_id, targets_verdict *out);

#endif
