/*
 * survey_form.h — the bureau's questionnaire body, read and checked
 * (form.c), shared by create and update.
 */
#ifndef ZQ_SURVEY_FORM_H
#define ZQ_SURVEY_FORM_H
#include "survey/survey_internal.h"
#include "targets/targets.h"

typedef struct {
    const char *title, *description, *per, *enterprise_ids, *definition;
    targets targets;
    size_t nlist;
    int64_t open_at, close_at;
    bool anonymous, allow_edit;
    sv_def def;
} sv_form;

zq_err sv_form_read(zq_req *q, zq_resp *r, sv_form *f);
/* An optional time member ("2026-12-08T09:00:00+08:00"); false when absent or bad (error on r). */
bool sv_read_time(zq_req *q, zq_resp *r, const char *field, bool required, int64_t *out);

#endif
