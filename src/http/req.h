/*
 * req.h — the project's own request and response. Handlers see only these,
 * never libmicrohttpd, so every endpoint runs in-process in tests and the
 * HTTP library could be swapped. Everything in a zq_req lives in its arena.
 */
#ifndef ZQ_HTTP_REQ_H
#define ZQ_HTTP_REQ_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/jsonw.h"

struct zq_app;
struct db_conn;
struct zq_route;
struct zq_session;
struct audit_stage;

typedef enum {
    ZQ_GET = 1 << 0,
    ZQ_HEAD = 1 << 1,
    ZQ_POST = 1 << 2,
    ZQ_PUT = 1 << 3,
    ZQ_PATCH = 1 << 4,
    ZQ_DELETE = 1 << 5,
    ZQ_OPTIONS = 1 << 6,
} zq_method;

typedef struct {
    const char *name;
    const char *value;
} zq_kv;

typedef struct {
    zq_kv *items;
    int n, cap;
} zq_kvs;

#define ZQ_REQ_MAX_PARAMS 8
#define ZQ_RESP_BODY_MAX (64u << 20)   /* a response body larger than this is a bug */

typedef struct zq_req {
    zq_arena *arena;
    struct zq_app *app;
    zq_method method;
    const char *method_name;
    const char *path;          /* percent-decoded, no query */
    const char *raw_query;     /* after '?', not decoded ("" if none) */
    zq_kvs query;              /* decoded query parameters */
    zq_kvs params;             /* :name captures from the route */
    zq_kvs cookies;
    zq_kvs headers;            /* names lower-cased */
    const char *body;
    size_t body_len;
    json_t *json;              /* parsed JSON body (owned; freed at request end) */
    const char *client_ip;
    char request_id[20];
    int64_t now;               /* unix seconds when the request arrived */
    const struct zq_route *route;
    struct db_conn *db;        /* acquired by the pipeline for API routes */
    struct zq_session *session;/* NULL when anonymous */
    const char *scope_region;  /* staff routes marked ZQ_RF_SCOPED: "" = every district, else the
                                * one region the account is bound to; NULL elsewhere. Set by the
                                * gate only; read through zq_scope_where() (http/scope.h) */
    struct audit_stage *audit; /* unsafe routes: the record the pipeline writes (audit/stage.c) */
} zq_req;

typedef struct zq_resp {
    int status;
    const char *content_type;
    zq_buf body;
    zq_kvs headers;            /* extra headers (arena strings) */
    int file_fd;               /* >=0: send this file (static files), body unused */
    /* shared read-only body (e.g. a cached rendering) sent instead of `body`
     * without copying; ext_release(ext_ctx) runs once the bytes are sent */
    const char *ext_body;
    size_t ext_len;
    void (*ext_release)(void *ctx);
    void *ext_ctx;
    uint64_t file_size;
    /* error detail, written as the envelope by the pipeline */
    zq_err err;
    const char *err_message;   /* NULL = default message of err */
    zq_kvs err_fields;         /* field → reason */
    int64_t retry_after;       /* seconds, for 429/423 (0 = none) */
} zq_resp;

/* Lists (arena-backed). */
int zq_kvs_add(zq_arena *a, zq_kvs *l, const char *name, const char *value);
const char *zq_kvs_get(const zq_kvs *l, const char *name);

const char *zq_req_query(const zq_req *r, const char *name);
const char *zq_req_param(const zq_req *r, const char *name);
const char *zq_req_cookie(const zq_req *r, const char *name);
const char *zq_req_header(const zq_req *r, const char *lower_name);

/* Parse "a=1&b=%E4%B8%AD" into l. Refuses (-1) bad escapes, NUL, invalid
 * UTF-8 and more than max_pairs pairs. */
int zq_parse_query(zq_arena *a, const char *q, size_t n, zq_kvs *l, int max_pairs);
/* Parse a Cookie header "a=1; b=2" into l (values not decoded). -1 on junk. */
int zq_parse_cookies(zq_arena *a, const char *h, zq_kvs *l, int max_pairs);

/* Response helpers. */
void zq_resp_init(zq_resp *r);
void zq_resp_free(zq_resp *r);
int zq_resp_header(zq_arena *a, zq_resp *r, const char *name, const char *value);
/* Drops a shared body (releasing it) if one is set. */
void zq_resp_drop_ext(zq_resp *r);
/* Start a JSON body (status 200 unless set): returns a writer into r->body. */
void zq_resp_json(zq_resp *r, zq_jw *w, int status);

/* Lists: {"items":[ … ],"total":N,"page":P,"page_size":S}. list_begin opens
 * the body up to the items array; list_end closes it with the paging keys. */
void zq_list_begin(zq_resp *r, zq_jw *w);
void zq_list_end(zq_jw *w, int64_t total, int64_t page, int64_t page_size);
/* The same with "total_capped": true when total is only a lower bound
 * (the list stopped counting there). */
void zq_list_end_capped(zq_jw *w, int64_t total, bool capped, int64_t page, int64_t page_size);

/* Set an error for the pipeline to write as the envelope; returns e so a
 * handler can `return zq_fail(...)`. message may be NULL (default text). */
zq_err zq_fail(zq_resp *r, zq_err e, const char *message);
/* Add a field error (validation_failed). Strings must outlive the request
 * (literals or arena). */
void zq_fail_field(zq_req *q, zq_resp *r, const char *field, const char *why);

#endif
