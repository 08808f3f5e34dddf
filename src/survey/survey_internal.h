/*
 * survey_internal.h — what the survey files share: the parsed definition,
 * the answer checker, loading a questionnaire in the caller's scope.
 */
#ifndef ZQ_SURVEY_INTERNAL_H
#define ZQ_SURVEY_INTERNAL_H
#include "survey/survey.h"
#include "http/req.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define SV_MAX_QUESTIONS 200
#define SV_MAX_OPTIONS 50
#define SV_MAX_ROWS 50
#define SV_KEY_MAX 32
#define SV_MAX_LIST 5000 /* explicit enterprise_ids */

typedef enum { SV_SINGLE, SV_MULTIPLE, SV_TEXT, SV_TEXTAREA, SV_NUMBER, SV_AMOUNT, SV_DATE, SV_RATING, SV_MATRIX, SV_FILE } sv_type;

typedef struct {
    const char *key, *label;
    bool other; /* 「其他」: a text goes with it */
} sv_option;

typedef struct {
    const char *key, *title, *section, *unit;
    sv_type type;
    bool required;
    bool has_min, has_max;
    double min, max;
    sv_option *options;
    size_t noptions;
    sv_option *rows; /* matrix rows (label only) */
    size_t nrows;
    int cond_q;              /* index of the question the condition looks at, -1 = always shown */
    const char **cond_in;    /* option keys */
    size_t ncond;
} sv_question;

typedef struct {
    sv_question *q;
    size_t n;
} sv_def;

const char *sv_type_name(sv_type t);
bool sv_type_choice(sv_type t); /* single, multiple, rating, matrix: counted by option */

/* Reads and checks a "questions" array (field errors "questions[3].options" on r).
 * ZQ_OK or the error. Arena-owned. */
zq_err sv_def_read(zq_req *q, zq_resp *r, json_t *arr, sv_def *out);
/* The stored text back (it was checked when written); 0 or -1. */
int sv_def_parse(zq_arena *a, const char *text, sv_def *out);
/* Canonical JSON of the definition (for storage and answers). */
void sv_def_write(zq_jw *w, const sv_def *d);
const char *sv_def_json(zq_arena *a, const sv_def *d);
int sv_def_find(const sv_def *d, const char *key);

/* One checked answer row, for survey_answer. */
typedef struct {
    char kind; /* 'c' 'n' 't' */
    const char *qkey, *sub, *value;
    double num;
    bool lead; /* the question's first row: counts a respondent */
} sv_row;

typedef struct {
    const char *json;  /* {"answers":{…},"other":{…}}: only shown questions */
    sv_row *rows;
    size_t nrows;
    size_t answered;   /* shown questions with an answer */
    size_t shown;
} sv_checked;

/* Checks answers (object) and other (object or NULL) against d; `final`
 * adds the required checks (submit). Field errors "answers.q1" on r.
 * enterprise_id: file uploads must be the firm's. */
zq_err sv_answers_check(zq_req *q, zq_resp *r, const sv_def *d, json_t *answers, json_t *other, bool final,
                        int64_t enterprise_id, sv_checked *out);

/* store.c: replaces response rid's answer rows with ck's. DB_OK or a db_rc. */
int sv_write_rows(db_conn *db, zq_arena *a, int64_t survey_id, int64_t rid, const char *region, const char *industry,
                  const char *scale, const sv_checked *ck);

/* A questionnaire row. */
typedef struct {
    int64_t id, open_at, close_at, published_at, closed_at, created_at, updated_at, copied_from;
    const char *status, *per, *region, *title, *description, *targets_json, *enterprise_ids, *definition;
    bool anonymous, allow_edit;
} sv_survey;

#define SV_COLS                                                                                                   \
    "id, status, per, anonymous, allow_edit, open_at, close_at, published_at, closed_at, region, copied_from,"   \
    " created_at, updated_at, title, description, targets_json, enterprise_ids, definition"

/* DB_ROW / DB_DONE / error. */
int sv_load(zq_req *q, int64_t id, sv_survey *s);
/* Staff: the survey in the caller's scope (read: city surveys too; write:
 * only the caller's own region). DB_ROW, or the error answered on r. */
int sv_admin_load(zq_req *q, zq_resp *r, bool write, sv_survey *s);
void sv_write_survey(zq_req *q, zq_jw *w, const sv_survey *s, bool with_def);
/* "answers":{…},"other":{…} members from a stored response text (NULL = empty). */
void sv_write_answers(zq_jw *w, const char *stored);
/* Whether answers are still taken. */
bool sv_open_now(const sv_survey *s, int64_t now);
/* The route's audit record (audit_note, the action the route declares)
 * about questionnaire id of region, once on success before the commit.
 * 0 or -1. */
int sv_note(zq_req *q, int64_t id, const char *region, const char *detail);
/* "2026-12-31 18:00" for templates. */
const char *sv_local_time(zq_arena *a, int64_t t);
/* Notifies a published questionnaire's audience (template survey.published)
 * or, reminder, the firms in it that have not submitted, in region ("" =
 * all), once per firm per day (template survey.reminder). *firms gets how
 * many firms it concerned. Joins the caller's transaction. DB_OK or a db_rc. */
int sv_notify(db_conn *c, int64_t now, int64_t survey_id, const char *title, int64_t close_at, bool reminder,
              const char *region, int64_t *firms);

/* lifecycle.c: the publish / close / remind handlers */
zq_err sv_publish(zq_req *q, zq_resp *r);
zq_err sv_close(zq_req *q, zq_resp *r);
zq_err sv_remind(zq_req *q, zq_resp *r);
/* results.c: the results handler (also timed by tests/bench/bench_survey.c) */
zq_err sv_results(zq_req *q, zq_resp *r);
/* responses.c: the raw responses, paged and as a workbook */
zq_err sv_responses(zq_req *q, zq_resp *r);
zq_err sv_export(zq_req *q, zq_resp *r);

#endif
