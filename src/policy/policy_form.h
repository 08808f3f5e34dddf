/*
 * policy_form.h — the body of POST/PUT /api/v1/admin/policies|notices/…
 * (form.c): read and checked before anything is written.
 */
#ifndef ZQ_POLICY_FORM_H
#define ZQ_POLICY_FORM_H
#include "policy/policy_internal.h"

/* The two families of the admin API: policies (news, interpretation) and
 * notices, each with its permission and audit names. */
typedef struct {
    const char *kinds;         /* "news interpretation" | "notice" */
    const char *default_kind;  /* NULL | "notice" */
    const char *audit_prefix;  /* "policy" | "notice" */
    const char *noun;          /* 政策 | 公告, for messages */
} pol_family;

typedef struct {
    const char *kind, *title, *summary, *department, *doc_no, *effective_from, *effective_to;
    const char *body_html, *body_text;
    const char **types;
    int ntypes;
    int64_t *attachments;
    int nattach;
    int64_t interprets, cover;
    targets targets;
    bool redeliver;
    /* which keys the body had (PUT changes only those) */
    bool has_kind, has_title, has_summary, has_department, has_doc_no, has_from, has_to, has_body, has_types,
        has_attachments, has_interprets, has_cover, has_targets;
} pol_form;

/* Reads q->json into f (create: the required fields must be there). Field
 * errors go into r; returns r->err. */
zq_err pol_form_read(zq_req *q, zq_resp *r, pol_form *f, const pol_family *fam, bool create);
/* The interpretation link for an item of `kind` (the final kind after the
 * edit): an interpretation needs a news item that is not withdrawn (and
 * not itself); other kinds take none. Returns r->err. */
zq_err pol_form_check_link(zq_req *q, zq_resp *r, const pol_form *f, const char *kind, int64_t self_id);

#endif
