/*
 * app.h — building the application context (http/context.h) and driving a
 * request through the pipeline. Only the fronts include this: the HTTP
 * server (server.c), the CLI and the in-process test kit; handlers see the
 * context through http/context.h and never this header.
 */
#ifndef ZQ_APP_H
#define ZQ_APP_H
#include <stddef.h>
#include "http/config.h"
#include "http/context.h"
#include "http/req.h"

/* Opens the database (migrating it), builds the router, opens the web root.
 * On failure returns NULL and writes a reason into err. */
zq_app *zq_app_new(const zq_config *cfg, char *err, size_t errlen);
void zq_app_free(zq_app *app);
/* After db_migrate: recomputes stored values an older rule computed
 * (profile_completeness_upgrade); zq_app_new and `zhengqi migrate` run it,
 * so an upgraded database needs no operator step. DB_OK or a db_rc with a
 * reason in err. */
struct db_conn;
int zq_app_upgrade_data(struct db_conn *c, char *err, size_t errlen);

/* Request life cycle, shared by the HTTP server and in-process tests.
 * begin: arena, request id, time. The caller then fills method, path (raw,
 * still percent-encoded), raw_query, headers, client_ip (the socket peer;
 * prepare replaces it with the forwarded address when the peer is a
 * trusted proxy). */
int zq_req_begin(zq_app *app, zq_req *q, zq_resp *r);
/* Stage 1, before the body is read: decode path and query, cookies, route
 * lookup. Returns the body cap for this request (0 when the request is
 * already answered with an error in r). */
size_t zq_app_prepare(zq_req *q, zq_resp *r);
/* Stage 2, with the body in q->body: JSON, session, CSRF, access, handler,
 * error envelope, security headers. */
void zq_app_run(zq_req *q, zq_resp *r);
/* Both stages for callers that already hold the whole body (tests). */
void zq_app_dispatch(zq_req *q, zq_resp *r);
/* Frees what the request holds (JSON, DB connection, arena). */
void zq_req_end(zq_req *q, zq_resp *r);

#endif
