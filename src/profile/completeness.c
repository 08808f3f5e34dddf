/*
 * completeness.c — the profile completeness score (docs/profile.md,
 * "Completeness"): 50 points for the basic record, 50 for the sections.
 * Stored in enterprise.completeness so the bureau directory can filter on
 * it without recomputing; recomputed in the transaction of every change,
 * and for every firm once when the database holds a score of an older rule.
 */
#include "profile/completeness.h"
#include "profile/section.h"
#include "db/db.h"
#include <stdio.h>
#include <string.h>

static const char SQL_STORE[] = "UPDATE enterprise SET completeness = $1 WHERE id = $2";
static const char SQL_RULE[] = "SELECT version FROM derived_rule WHERE name = 'completeness'";
static const char SQL_RULE_SET[] = "UPDATE derived_rule SET version = $1 WHERE name = 'completeness' AND version < $1";
static const char SQL_BATCH[] = "SELECT id FROM enterprise WHERE id > $1 ORDER BY id LIMIT 500";

/* The version of the score's rule. Raise it with any change to what the
 * score counts (BASIC, the sections, their points): databases holding an
 * older one are recomputed at the next start (profile_completeness_upgrade,
 * migration 0029). 1: kept current in every change (issue 10, item 10). */
#define RULE_VERSION 1
#define BATCH 500

/* Basic fields in the order of the SELECT, with their weight. */
static const struct {
    const char *key, *label;
    int points;
} BASIC[] = {
    {"industry", "行业分类", 10},       {"address", "企业地址", 5},     {"business_scope", "经营范围", 5},
    {"founded_on", "成立日期", 5},      {"registered_capital", "注册资本", 5}, {"staff_size", "人员规模", 5},
    {"email", "企业邮箱", 5},           {"intro", "企业简介", 5},       {"characteristics", "企业特色", 5},
};
#define NBASIC ((int)(sizeof BASIC / sizeof BASIC[0]))

static int section_points(size_t i, size_t n)
{
    /* 50 spread over the sections; the first ones take the remainder */
    return (int)(50 / n) + (i < 50 % n ? 1 : 0);
}

/* One statement for the whole score: the basic fields, the characteristic
 * count, then 1/0 per section in prof_sections() order. Its text comes only
 * from the static spec (table names), never from input. */
static void score_sql(char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n,
                                  "SELECT e.industry, e.address, e.business_scope, e.founded_on, e.registered_capital,"
                                  " e.staff_size, e.email, e.intro,"
                                  " (SELECT COUNT(*) FROM enterprise_characteristic c WHERE c.enterprise_id = e.id)");
    size_t nsec;
    const prof_section *const *secs = prof_sections(&nsec);
    for (size_t i = 0; i < nsec && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len,
                                ", CASE WHEN EXISTS (SELECT 1 FROM %s x WHERE x.enterprise_id = e.id) THEN 1 ELSE 0 END",
                                secs[i]->table);
    if (len < n) snprintf(buf + len, n - len, " FROM enterprise e WHERE e.id = $1");
}

int prof_completeness(db_conn *db, int64_t enterprise_id, prof_completeness_t *out)
{
    memset(out, 0, sizeof *out);
    char sql[1024];
    score_sql(sql, sizeof sql);
    db_stmt *s = db_prepare(db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, enterprise_id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? DB_DONE : rc < 0 ? rc : DB_ERR;
    }
    for (int i = 0; i < NBASIC; i++) {
        bool have = i == NBASIC - 1 ? db_col_int64(s, i) > 0
                                    : !db_col_is_null(s, i) && (db_col_text(s, i)[0] != '\0');
        if (have) out->score += BASIC[i].points;
        else out->missing[out->nmissing++] = (prof_missing){BASIC[i].key, BASIC[i].label};
    }
    size_t n;
    const prof_section *const *secs = prof_sections(&n);
    for (size_t i = 0; i < n; i++) {
        if (db_col_int64(s, NBASIC + (int)i) > 0) out->score += section_points(i, n);
        else out->missing[out->nmissing++] = (prof_missing){secs[i]->path, secs[i]->label};
    }
    db_stmt_done(s);
    return DB_OK;
}

int profile_completeness_refresh(db_conn *db, int64_t enterprise_id)
{
    prof_completeness_t c;
    int rc = prof_completeness(db, enterprise_id, &c);
    if (rc != DB_OK) return rc == DB_DONE ? DB_OK : rc;
    db_stmt *s = db_prepare(db, SQL_STORE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, c.score);
    db_bind_int64(s, 2, enterprise_id);
    rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? c.score : rc < 0 ? rc : DB_ERR;
}

/* The next ids after `after` (up to BATCH) into ids; their count or a
 * negative db_rc. */
static int next_ids(db_conn *db, int64_t after, int64_t ids[BATCH])
{
    db_stmt *s = db_prepare(db, SQL_BATCH);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, after);
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && n < BATCH) ids[n++] = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_DONE || rc == DB_ROW ? n : rc < 0 ? rc : DB_ERR;
}

int profile_completeness_upgrade(db_conn *db, int64_t *recomputed)
{
    int64_t version = 0;
    *recomputed = 0;
    int rc = db_query_int64(db, SQL_RULE, &version, 0, NULL);
    if (rc != DB_OK || version >= RULE_VERSION) return rc;
    /* batches of their own transactions: a city of 300,000 firms never
     * holds the write lock for long; a start cut short begins again (the
     * stamp comes last) and computes the same scores. Not audited: no one
     * changed anything, the stored copy now says what the record says. */
    int64_t ids[BATCH], last = 0;
    for (;;) {
        if ((rc = db_begin(db, true)) != DB_OK) return rc;
        int n = next_ids(db, last, ids);
        for (int i = 0; i < n; i++) {
            int score = profile_completeness_refresh(db, ids[i]);
            if (score < 0) n = score;
        }
        if (n < 0) {
            db_rollback(db);
            return n;
        }
        if ((rc = db_commit(db)) != DB_OK) return rc;
        *recomputed += n;
        if (n < BATCH) break;
        last = ids[n - 1];
    }
    db_stmt *s = db_prepare(db, SQL_RULE_SET);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, RULE_VERSION);
    rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

void prof_completeness_write(const prof_completeness_t *c, zq_jw *w)
{
    zq_jw_key(w, "completeness");
    zq_jw_obj(w);
    zq_jw_kint(w, "score", c->score);
    zq_jw_key(w, "missing");
    zq_jw_arr(w);
    for (int i = 0; i < c->nmissing; i++) {
        zq_jw_obj(w);
        zq_jw_kstr(w, "key", c->missing[i].key);
        zq_jw_kstr(w, "label", c->missing[i].label);
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
    zq_jw_obj_end(w);
}
