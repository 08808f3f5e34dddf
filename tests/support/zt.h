/*
 * zt.h — in-process API test harness. zt_env builds a real zq_app on a
 * fresh database (SQLite temp file, or the PostgreSQL URL in ZQ_TEST_DB
 * with its schema wiped first) and drives requests through the same
 * pipeline the HTTP server uses, without a socket. zt_client keeps a
 * session cookie and CSRF token like a browser does.
 */
#ifndef ZT_H
#define ZT_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include "app/app.h"

typedef struct {
    zq_app *app;
    char dir[256];
    char url[512];
} zt_env;

typedef struct {
    char cookie[128];     /* "zq_sid=…" or "" */
    char csrf[96];
    char ip[64];
    char user_agent[64];
} zt_client;

typedef struct {
    int status;
    char *body;
    size_t len;
    json_t *json;         /* parsed body (NULL if not JSON) */
    char headers[4096];   /* "Name: value\n" lines */
} zt_resp;

/* New app on a fresh database; web_dir may be NULL. Aborts the test on failure. */
zt_env *zt_start(void);
zt_env *zt_start_web(const char *web_dir);
/* Same, letting the test change the configuration first (e.g. cfg->dev = false). */
zt_env *zt_start_cfg(void (*tweak)(zq_config *cfg));
void zt_stop(zt_env *e);
/* A second app (its own pool and caches) over e's database, as another
 * instance or a restart would start; zq_app_free it. Aborts on failure. */
zq_app *zt_instance(const zt_env *e);

/* A fresh anonymous client at 127.0.0.1. */
void zt_client_init(zt_client *c);

/* Sends a request. body may be NULL; it is sent as application/json unless
 * extra_headers gives a Content-Type. extra_headers: "Name: value\n" lines.
 * Cookies from Set-Cookie and a "csrf_token" in the JSON answer are kept in c. */
zt_resp *zt_req(zt_env *e, zt_client *c, const char *method, const char *path, const char *body, const char *extra_headers);
zt_resp *zt_get(zt_env *e, zt_client *c, const char *path);
zt_resp *zt_post(zt_env *e, zt_client *c, const char *path, const char *body);
/* printf-style JSON body */
zt_resp *zt_postf(zt_env *e, zt_client *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void zt_resp_free(zt_resp *r);

/* Header value of r (static buffer per call) or NULL. */
const char *zt_header(const zt_resp *r, const char *name);
/* Dotted path into the JSON: "error.code", "items.0.name". */
const char *zt_str(const zt_resp *r, const char *path);
long long zt_int(const zt_resp *r, const char *path);
json_t *zt_json(const zt_resp *r, const char *path);

/* One integer from SQL (e.g. COUNT(*)); params are text. */
long long zt_count(zt_env *e, const char *sql);
/* fmt with one %lld filled in: a path with an id. The text lives until
 * seven more calls (enough for the paths of one request and its checks). */
const char *zt_path(const char *fmt, long long id);
/* Runs SQL (no params) directly on the database. */
void zt_exec(zt_env *e, const char *sql);

/* Asserts status and, for errors, the envelope code; frees r. */
void zt_expect(zt_resp *r, int status, const char *code);

/* A valid USCC built from a 17-char body (check char appended). */
void zt_uscc(const char *body17, char out[19]);

#endif
