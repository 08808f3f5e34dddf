/*
 * consult_search.h — the public Q&A list with its keyword search
 * (search.c): published consultations only, anonymised.
 */
#ifndef ZQ_CONSULT_SEARCH_H
#define ZQ_CONSULT_SEARCH_H
#include "consult/consult_internal.h"

#define CS_QUERY_MAX 50

typedef struct {
    const char *kw, *category;  /* NULL or "" = no filter */
    int64_t page, page_size;
} cs_query;

/* Answers the page of published consultations matching cq. */
zq_err cs_search_respond(zq_req *q, zq_resp *r, const cs_query *cq);

#endif
