/*
 * server.h — the libmicrohttpd front: turns connections into zq_req/zq_resp
 * and back, enforcing connection limits, idle timeouts, an absolute
 * per-request deadline, the framing rules (framing.h) and the body cap, and
 * writing the access log.
 */
#ifndef ZQ_APP_SERVER_H
#define ZQ_APP_SERVER_H
#include "app/app.h"

typedef struct zq_server zq_server;

/* Starts listening on app->cfg.listen. NULL + err on failure. */
zq_server *zq_server_start(zq_app *app, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned zq_server_port(const zq_server *s);
/* Stops accepting, lets in-flight requests finish (up to grace_ms), stops. */
void zq_server_stop(zq_server *s, unsigned grace_ms);

/* Parse "127.0.0.1:8080" / "[::1]:8080" / ":8080". 0 on success. */
struct sockaddr_storage;
int zq_parse_listen(const char *s, struct sockaddr_storage *ss, unsigned *len);

#endif
