/*
 * call_form.h — the bureau's call body read and checked (call_form.c).
 */
#ifndef ZQ_DECLARE_CALL_FORM_H
#define ZQ_DECLARE_CALL_FORM_H
#include "declare/declare_internal.h"
#include "targets/targets.h"

typedef struct {
    const char *title, *body_html, *body_text, *department, *contact;
    int64_t policy_id, open_at, close_at;
    targets targets;
    const char *levels;          /* "district,city" | "city" */
    const char *slots_json, *fields_json, *criteria_json;
    int ntemplates;
    int64_t templates[DECL_TEMPLATES_MAX];
} decl_call_form;

/* Reads the whole body (create and PUT take the same full object). Field
 * errors on r; ZQ_OK or the error. */
zq_err decl_call_form_read(zq_req *q, zq_resp *r, decl_call_form *f);

#endif
