/*
 * demo.h — generates realistic demo data for a Fuzhou-like city: bureau
 * staff for the city and each district, and enterprises with their legal
 * representatives across districts, industries and review states. Data is
 * produced by a seeded generator, so the same seed gives the same city.
 */
#ifndef ZQ_DEMO_H
#define ZQ_DEMO_H
#include <stdint.h>
#include <stdio.h>

struct db_conn;
struct demo_firm;

typedef struct {
    int enterprises;        /* how many enterprises to generate */
    uint64_t seed;          /* generator seed */
    const char *password;   /* password of every demo account */
    unsigned long long pw_ops;
    size_t pw_mem;
} demo_opts;

/* Seeds the database unless demo data is already there (then *skipped=1).
 * Writes the demo logins to `logins` (may be NULL). 0 or -1 with err. */
int demo_seed(struct db_conn *db, const demo_opts *o, FILE *logins, int *skipped, char *err, size_t errlen);

/* Adds profile records that fit firm f (its scale, trade and kind of
 * business) to approved enterprise eid and stores its completeness
 * (src/demo/demo_profile.c). DB_OK or a db_rc. */
int demo_profile(struct db_conn *db, int64_t eid, const struct demo_firm *f, int64_t now);

/* One registration invite per district and channel (link, qr), made by
 * that district's staff member staff_ids[d] (0 = none: no invites there);
 * ids[d][0] / ids[d][1] get the link / qr invite (src/demo/demo_invite.c). */
int demo_invites(struct db_conn *db, const int64_t *staff_ids, int64_t now, int64_t (*ids)[2]);
/* Sets each invite's use count to the firms registered through it. */
int demo_invites_count(struct db_conn *db);

/* Opens a pending change request for approved enterprise eid: a new name,
 * and the district move_to when not NULL (src/demo/demo_change.c). */
int demo_change(struct db_conn *db, int64_t eid, int64_t user_id, const char *move_to, int64_t now);

/* Two pending join requests for the first printed demo firm (13900000004)
 * from other demo accounts (src/demo/demo_join.c). DB_OK or a db_rc. */
int demo_join_requests(struct db_conn *db, int64_t now);

/* Policies, interpretations, notices and services, published through the
 * real path on staggered days, with some inbox rows read and deliveries
 * sent or failed (src/demo/demo_policy.c). Its own transactions. DB_OK or
 * a db_rc. */
int demo_policies(struct db_conn *db, int64_t now);
/* Two years of monthly trade tasks, reports and customs actuals for the
 * approved trade firms (src/demo/demo_trade.c). DB_OK or a db_rc. */
int demo_trade(struct db_conn *db, int64_t now);

/* Declaration calls in every state and applications at every stage
 * (demo_declare.c). DB_OK or a db_rc. */
int demo_declarations(struct db_conn *db, int64_t now);

/* Questionnaires with hundreds of responses: one open, one closed and
 * anonymous, one draft (src/demo/demo_survey.c). DB_OK or a db_rc. */
int demo_surveys(struct db_conn *db, int64_t now);

/* Inserts n generated enterprises (no accounts) for load tests, committing
 * every 10,000 (src/demo/demo_bulk.c). *inserted counts them. 0 or -1 with err. */
int demo_bulk(struct db_conn *db, int64_t n, int64_t now, int64_t *inserted, char *err, size_t errlen);

/* Consultations in every state, units, routing rules and the coming
 * holiday (src/demo/demo_consult.c). Its own transaction. DB_OK or a db_rc. */
int demo_consults(struct db_conn *db, int64_t now);

#endif
