/*
 * declare_internal.h — what the files of src/declare/ share: the call and
 * application rows, their phases, times as the API writes them, failures.
 */
#ifndef ZQ_DECLARE_INTERNAL_H
#define ZQ_DECLARE_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "http/req.h"
#include "db/db.h"
#include "handler/kit.h"
#include "handler/filter.h"

#define DECL_PAGE_MAX 100
#define DECL_SLOTS_MAX 20
#define DECL_FIELDS_MAX 40
#define DECL_TEMPLATES_MAX 20
#define DECL_FILES_PER_SLOT 10

typedef struct {
    int64_t id, policy_id, open_at, close_at, published_at, closed_at, results_at, objection_until, created_at,
        updated_at;
    const char *status, *title, *body_html, *department, *contact, *targets_json, *region, *levels, *slots_json,
        *fields_json, *criteria_json;
} decl_call;

#define DECL_CALL_COLS                                                                                               \
    "c.id, c.status, c.title, c.body_html, c.department, c.contact, c.targets_json, c.region, c.levels,"            \
    " c.slots_json, c.fields_json, c.criteria_json, c.policy_id, c.open_at, c.close_at, c.published_at,"            \
    " c.closed_at, c.results_at, c.objection_until, c.created_at, c.updated_at"

typedef struct {
    int64_t id, call_id, enterprise_id, version, submitted_at, return_deadline, decided_at, created_at, updated_at;
    const char *region, *status, *no, *fields_json, *return_reason, *ent_name;
} decl_app;

#define DECL_APP_COLS                                                                                                \
    "a.id, a.call_id, a.enterprise_id, a.region, a.status, a.no, a.fields_json, a.version, a.submitted_at,"         \
    " a.return_reason, a.return_deadline, a.decided_at, a.created_at, a.updated_at, e.name"

void decl_call_read(zq_req *q, db_stmt *s, decl_call *c);
/* DB_ROW, DB_DONE (no such call) or a db_rc. */
int decl_call_load(zq_req *q, int64_t id, decl_call *c);
void decl_app_read(zq_req *q, db_stmt *s, decl_app *a);
int decl_app_load(zq_req *q, int64_t id, decl_app *a);

/* draft | upcoming (未开始) | open (申报中) | closed (已截止) | results (已公示) */
const char *decl_phase(const decl_call *c, int64_t now);
/* True when the call has a district level. */
bool decl_has_district(const decl_call *c);

/* The call as the API writes it; full adds body, slots, fields, criteria, templates. */
int decl_write_call(zq_req *q, zq_jw *w, const decl_call *c, bool full);
void decl_write_app(zq_req *q, zq_jw *w, const decl_app *a);
int decl_write_timeline(zq_req *q, zq_jw *w, int64_t app_id);
int decl_write_materials(zq_req *q, zq_jw *w, int64_t app_id);

/* Strict "YYYY-MM-DDTHH:MM:SS+08:00". */
/* A timeline row in the caller's transaction. DB_OK or a db_rc. */
int decl_event_add(zq_req *q, int64_t app_id, const char *action, const char *level, const char *reason);

/* Whether the firm matches the call's targets (approved, conditions met). */
bool decl_call_reaches(zq_req *q, const decl_call *c, int64_t enterprise_id);

/* {"title":…,"open":…,"close":…} + extra members for the templates (arena). */
const char *decl_params(zq_arena *a, const decl_call *c, const char *extra_key, const char *extra_val,
                        const char *k2, const char *v2);

/* The bureau's filters over the applications (a, joined to e) of one call,
 * each only when set: the request's data scope, the district, the status,
 * and a keyword on the firm's name or the 申报编号 (kw NULL: none). The
 * statuses a list always leaves out are its own SQL. (review, export, zip) */
void decl_app_filter(zq_req *q, hk_filter *f, int64_t call_id, const char *region, const char *status, const char *kw);
/* 受理 (accept.c): moves a submitted application to district_review (a
 * call with a district level) or city_review in the caller's transaction, with
 * its timeline event; a->status follows. DB_OK, DB_DONE (no longer
 * submitted) or a db_rc. */
int decl_accept_move(zq_req *q, decl_app *a, const decl_call *c);
/* POST /api/v1/admin/applications/:id/accept (listed in review.c). */
zq_err decl_accept(zq_req *q, zq_resp *r);
/* Tells the firm's declaring members of a step ("已受理", a decision) in
 * the caller's transaction, template declaration.decision. DB_OK or a db_rc. */
int decl_tell_firm(zq_req *q, const decl_app *a, const decl_call *c, const char *what);
/* 200 with the application and its timeline (after a bureau step). */
zq_err decl_answer_app(zq_req *q, zq_resp *r, int64_t id);

/* Validates the application body's fields/materials against the call
 * (app_form.c); `submit` also requires every required one. Errors as
 * field errors on r ("fields.amount", "materials.plan"). */
typedef struct {
    const char *fields_json;   /* canonical JSON of the fields (arena) */
    int nmat;
    const char *mat_slot[DECL_SLOTS_MAX * DECL_FILES_PER_SLOT];
    int64_t mat_upload[DECL_SLOTS_MAX * DECL_FILES_PER_SLOT];
    bool has_fields, has_materials;
} decl_app_input;
zq_err decl_app_input_read(zq_req *q, zq_resp *r, const decl_call *c, int64_t enterprise_id, decl_app_input *in);
/* The stored application checked as a whole before submit. */
zq_err decl_app_check_complete(zq_req *q, zq_resp *r, const decl_call *c, const decl_app *a);

#endif
