/*
 * form.h — the enterprise application form of manual 1.1 (企业注册): reading
 * and checking every field of a request body, storing it as an enterprise
 * row (+ its characteristics), and writing an application back as JSON.
 * Shared by public registration, “添加企业” of a logged-in account,
 * correction/resubmission by the applicant and the bureau's review.
 */
#ifndef ZQ_ENTERPRISE_FORM_H
#define ZQ_ENTERPRISE_FORM_H
#include <stdbool.h>
#include <stdint.h>
#include "http/req.h"

struct db_conn;
struct db_stmt;

#define ENT_MAX_CHARACTERISTICS 20

typedef struct {
    const char *name, *uscc, *applicant_role;
    const char *legal_rep_name, *legal_rep_phone, *contact_name, *contact_phone;
    const char *region, *industry, *scale;
    const char **characteristics;
    int n_characteristics;
    const char *business_scope, *term_start, *term_end, *address, *founded_on;
    const char *staff_size, *financing_stage, *email, *intro, *customs_code, *trade_type;
    bool has_capital;
    int64_t capital_yuan;
} ent_form;

/* The JSON keys of the form, for zq_in_only lists (no terminator). */
#define ENT_FORM_KEYS                                                                                  \
    "name", "uscc", "applicant_role", "legal_rep_name", "legal_rep_phone", "contact_name",            \
        "contact_phone", "region", "industry", "characteristics", "scale", "business_scope",          \
        "term_start", "term_end", "address", "registered_capital", "founded_on", "staff_size",        \
        "financing_stage", "email", "intro", "customs_code", "trade_type"

/* Reads every form field of q->json into f (arena strings), adding a
 * Chinese field error to r for each bad one; dictionary codes are checked
 * against q->db. The caller tests r->err afterwards; f is only meaningful
 * when no error was added.
 *
 * account_phone: NULL when the form creates the account (contact_phone is
 * then required); otherwise the logged-in account's phone, which
 * contact_phone defaults to and must equal.
 *
 * applicant_role `legal_rep`: legal_rep_name / legal_rep_phone may be left
 * out and are copied from contact_name / contact_phone; when given they must
 * equal them. `staff`: both are required and the legal rep's phone must
 * differ from the applicant's. The USCC and customs code come back
 * upper-cased; registered_capital (万元 string) as integer 元. */
void ent_form_read(zq_req *q, zq_resp *r, ent_form *f, const char *account_phone);
/* The same for a form that replaces enterprise existing_id's record (0 =
 * a new enterprise): a dictionary item disabled since the record chose it
 * keeps passing in the field that holds it, while choosing a disabled item
 * anew is refused with a message naming it (dict.h). */
void ent_form_read_for(zq_req *q, zq_resp *r, ent_form *f, const char *account_phone, int64_t existing_id);

/* Inside the caller's transaction: inserts a `pending` enterprise with the
 * form's fields and characteristics. invite_id / applicant_user_id 0 = none.
 * *id gets the new id. Returns DB_OK, DB_ECONSTRAINT when a live enterprise
 * already holds the USCC, or another negative db_rc. */
int ent_form_insert(zq_req *q, const ent_form *f, const char *channel, int64_t invite_id,
                    int64_t applicant_user_id, int64_t *id);

/* Inside the caller's transaction: replaces the application's fields and
 * characteristics and puts it (back) to `pending` with a fresh submitted_at,
 * clearing the previous review. Returns DB_OK, DB_ECONSTRAINT (USCC now held
 * by another live enterprise) or another negative db_rc. */
int ent_form_update(zq_req *q, const ent_form *f, int64_t id);

/* Inside the caller's transaction: the same replacement for an enterprise
 * in force (the profile's PATCH) — its status and review stay as they are. */
int ent_form_apply(zq_req *q, const ent_form *f, int64_t id);

/* True (in *taken) when a pending or approved enterprise other than
 * except_id holds uscc. Returns DB_OK or a negative db_rc. */
int ent_uscc_taken(struct db_conn *db, const char *uscc, int64_t except_id, bool *taken);

/* Writes the whole application `id` as one JSON object value into w:
 * every form field, region_name / industry_name, status,
 * reject_reason, channel, invite_id, times as ISO 8601 (+08:00). staff_view
 * adds the reviewer's name and the applicant account; otherwise `can_edit`
 * tells whether the session's user may correct it (its applicant, while
 * pending or rejected). Phones (legal_rep_phone, contact_phone, the
 * applicant's) are masked, except for the form's applicant and holders of
 * profile.edit in the session's enterprise, who edit them. Returns DB_OK,
 * DB_DONE when there is no such enterprise (nothing written), or a
 * negative db_rc. */
int ent_app_write(zq_req *q, zq_jw *w, int64_t id, bool staff_view);
/* The same, but leaves the object open so the caller can add its own keys
 * (the profile adds completeness and sections) and close it. */
int ent_app_write_open(zq_req *q, zq_jw *w, int64_t id, bool staff_view);

/* "key": column c of s as a string, left out when the column is NULL
 * (hk_jw_col_str writes null instead). */
void ent_jw_col_opt(zq_jw *w, const char *key, struct db_stmt *s, int c);


#endif
