/*
 * completeness.h — the score and what is missing (internal to src/profile;
 * other modules call profile_completeness_refresh in profile.h).
 */
#ifndef ZQ_PROFILE_COMPLETENESS_H
#define ZQ_PROFILE_COMPLETENESS_H
#include <stdint.h>
#include "core/jsonw.h"
#include "profile/profile.h"

struct db_conn;

typedef struct {
    const char *key, *label;
} prof_missing;

typedef struct {
    int score;
    int nmissing;
    prof_missing missing[20];
} prof_completeness_t;

/* Computes the score of enterprise_id. DB_OK, DB_DONE (no such enterprise)
 * or a negative db_rc. */
int prof_completeness(struct db_conn *db, int64_t enterprise_id, prof_completeness_t *out);
/* Writes "completeness": {score, missing:[{key,label}]}. */
void prof_completeness_write(const prof_completeness_t *c, zq_jw *w);

#endif
