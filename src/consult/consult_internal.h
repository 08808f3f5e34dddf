/*
 * consult_internal.h — what the consult handler files share: the SLA
 * (sla.c), routing to a handling unit (routing.c), reading a submission or
 * a rich-text reply (input.c), the thread's steps and its JSON (thread.c).
 */
#ifndef ZQ_CONSULT_INTERNAL_H
#define ZQ_CONSULT_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "consult/consult.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "handler/kit.h"

#define CS_TITLE_MAX 200
#define CS_CONTENT_MAX 5000
#define CS_COMMENT_MAX 500
#define CS_ATTACH_MAX 10
#define CS_NEAR_DUE_S (24 * 3600)   /* "near due": less than a day left */

/* ---- sla.c ---- */
/* Working days allowed for category: ack (acknowledge) and answer (kind
 * "suggestion" takes the suggestion figure). DB_OK or a db_rc. */
int cs_sla_days(db_conn *c, const char *category, const char *kind, int *ack, int *answer);
/* The deadline `days` working days after now over the holiday calendar. DB_OK or a db_rc. */
int cs_sla_due(db_conn *c, int64_t now, int days, int64_t *due);

/* ---- routing.c ---- */
/* The handling unit for category in region (rules: exact, then either side
 * '' as a wildcard). *unit 0 when no rule matches. DB_OK or a db_rc. */
int cs_route_unit(db_conn *c, const char *category, const char *region, int64_t *unit);

/* ---- input.c ---- */
typedef struct {
    const char *kind, *category, *title, *content_html, *content_text, *attachments_json;
    bool publishable;
} cs_submission;
/* Reads and checks a new consultation's fields into *out (field errors on
 * r, each in Chinese). extra: NULL-terminated keys also allowed (visitor's
 * phone and sms_code). ZQ_OK or the error. */
zq_err cs_read_submission(zq_req *q, zq_resp *r, const char *const *extra, cs_submission *out);
/* A rich-text body member `field` (required, at most max visible characters):
 * sanitized; markup that would run script is refused, not cleaned, so what
 * the person sees stored is what they wrote. Field errors on r. */
bool cs_read_rich(zq_req *q, zq_resp *r, const char *field, const char *label, size_t max, const char **html,
                  const char **text);
/* The `attachments` member: upload ids that exist, as a JSON array text. */
const char *cs_read_attachments(zq_req *q, zq_resp *r);

/* ---- thread.c ---- */
/* Inserts the consultation (status submitted, routed, due times set) with
 * its first message and steps; *id gets its id. Inside the caller's transaction. */
int cs_insert(zq_req *q, const cs_submission *s, int64_t eid, int64_t user_id, const char *visitor_phone,
              const char *region, int64_t *id);
/* Appends a message / a timestamped step to consultation id. */
int cs_add_message(zq_req *q, int64_t id, const char *author_kind, int64_t author_id, const char *html,
                   const char *text, const char *attachments_json);
int cs_add_event(zq_req *q, int64_t id, const char *event, const char *detail);

typedef enum { CS_VIEW_FIRM, CS_VIEW_STAFF, CS_VIEW_PUBLIC } cs_view;
typedef struct {
    int64_t id, enterprise_id, user_id, unit_id, due_at, answered_at, escalated_at, published_at;
    const char *status, *title, *region, *kind, *category;
    bool publishable;
} cs_row;
/* Loads consultation id as `view` may see it: FIRM — of enterprise eid;
 * STAFF — in the request's district scope; PUBLIC — published. DB_OK,
 * DB_DONE (not visible: answer 404) or a db_rc. for_update locks the row (PostgreSQL). */
int cs_load(zq_req *q, int64_t id, cs_view view, int64_t eid, bool for_update, cs_row *out);
/* Opens the request's transaction and loads the path's :id as `view` may
 * see it (eid as for cs_load), locked: first, so an id out of reach answers
 * 404 whatever the body says. ZQ_OK, or the failure (rolled back). */
zq_err cs_begin_on(zq_req *q, zq_resp *r, cs_view view, int64_t eid, cs_row *row);
/* The detail answer: the consultation and its thread (public view anonymised). */
zq_err cs_respond_detail(zq_req *q, zq_resp *r, int64_t id, cs_view view, int status);
/* Writes a list item from a row of CS_LIST_COLS (the columns' order below). */
#define CS_LIST_COLS                                                                                             \
    "c.id, c.kind, c.category, c.title, c.status, c.due_at, c.created_at, c.answered_at, c.closed_at,"         \
    " c.rating, c.escalated_at, c.unit_id, c.region, c.published_at, c.review_needed"
void cs_write_list_item(zq_req *q, zq_jw *w, db_stmt *s, cs_view view);
/* Steps s (a statement over CS_LIST_COLS, bound) and answers the page:
 * {items, total, page, page_size}. Finishes s. */
zq_err cs_respond_page(zq_req *q, zq_resp *r, db_stmt *s, cs_view view, int64_t total, int64_t page, int64_t size);
/* True for the statuses that wait for the bureau (the deadline runs). */
bool cs_status_open(const char *status);
/* The overdue / near-due flags of an open consultation. */
void cs_write_flags(zq_req *q, zq_jw *w, const char *status, int64_t due_at);

#endif
