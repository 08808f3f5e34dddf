/*
 * zt_sock.h — raw HTTP over loopback for the socket-level tests: a test
 * writes the exact bytes (NUL, bare LF, duplicate headers…) and reads the
 * answer back as text, the way an attacker's client would see it.
 */
#ifndef ZT_SOCK_H
#define ZT_SOCK_H
#include <stddef.h>
#include "support/zt.h"

struct zq_server;

/* A zt_env with the real HTTP server listening on 127.0.0.1:<port>. */
typedef struct {
    zt_env *env;
    struct zq_server *srv;
    unsigned port;
} zt_served;

/* Serves env (from zt_start_cfg with cfg->listen = "127.0.0.1:0"); aborts
 * the test on failure. stop stops the server and env and frees both. */
zt_served *zt_serve(zt_env *env);
void zt_serve_stop(zt_served *s);

/* Connected socket to 127.0.0.1:port (5 s receive timeout) or -1. */
int zt_sock_dial(unsigned port);
/* Writes all of s (strlen) / of n bytes. */
void zt_sock_send(int fd, const char *s);
void zt_sock_send_n(int fd, const void *p, size_t n);
/* Reads one response (head + Content-Length body) into buf; its status,
 * or -1 when the connection closed without one. */
int zt_sock_read(int fd, char *buf, size_t cap);
/* One GET on a fresh connection; its status. */
int zt_sock_get(unsigned port, const char *path);
/* Sends n raw bytes on a fresh connection, reads the answer into buf;
 * its status. */
int zt_sock_exchange(unsigned port, const void *raw, size_t n, char *buf, size_t cap);

#endif
