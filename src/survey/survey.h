/*
 * survey.h — questionnaires 问卷调查 (issue 14, manual 8): the bureau's
 * builder, publication and results, the firms' answering. Route groups and
 * the periodic reminder task.
 */
#ifndef ZQ_SURVEY_H
#define ZQ_SURVEY_H
#include "http/route.h"
#include "db/db.h"
#include <stdbool.h>
#include <stdint.h>

extern const zq_route_group survey_admin_routes;
extern const zq_route_group survey_results_routes;
extern const zq_route_group survey_answer_routes;

/* Periodic task (src/jobs/tasks.c): reminds the firms that have not
 * submitted a questionnaire closing within a day, once per firm per day. */
int survey_remind_due(db_conn *c, int64_t now, void *ctx);

/* Stores one response of firm enterprise_id (in the audience) to
 * questionnaire survey_id outside a request (seed-demo, bench), body
 * {"answers":{…},"other":{…}} checked as the API checks it; submit adds the
 * counted rows. Joins the caller's transaction. DB_OK, 1 when the answers
 * are refused, or a db_rc. */
int survey_store_response(db_conn *db, int64_t survey_id, int64_t enterprise_id, int64_t user_id,
                          const char *body_json, bool submit, int64_t now);

/* The same in the API's two steps: the reads and checks, before any
 * transaction (NULL with *rc 1 when refused, else a db_rc), then the
 * writes inside the caller's. The bench times a request's shape. */
typedef struct survey_prepared survey_prepared;
survey_prepared *survey_prepare_response(db_conn *db, int64_t survey_id, int64_t enterprise_id, int64_t user_id,
                                         const char *body_json, bool submit, int64_t now, int *rc);
int survey_write_response(db_conn *db, survey_prepared *p);
void survey_prepared_free(survey_prepared *p);

#endif
