/*
 * server.c — libmicrohttpd glue (see server.h).
 *
 * libmicrohttpd 0.9.75 closes keep-alive connections when a response is
 * queued on the first access-handler call, so every request answers on a
 * later call (DESIGN.md: 37k → 148k req/s). The per-request context is
 * created in the URI-log callback, which sees the raw, undecoded URI: the
 * pipeline decodes the path itself, strictly, once. Before the pipeline,
 * framing.c refuses malformed framing libmicrohttpd lets through, so that
 * answer is still the JSON envelope with the security headers.
 */
#include "app/server.h"
#include "http/mhd_wire.h"
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADERS ZQ_HEADER_COUNT_MAX
#define DISCARD_MAX (8u << 20)
/* libmicrohttpd answers a head that outgrows its per-connection memory with
 * its own HTML 431. Its use for a head is about the head's size plus a copy
 * of the Cookie line plus ~50 bytes per field, so 32 KiB holds any head up
 * to ZQ_HEADER_BYTES_MAX (12 KiB) even when it is all cookie, and framing.c
 * answers the oversized ones in JSON up to about 15 KiB of cookie or 31 KiB
 * of other fields. Not more: the pool is zeroed on every request
 * (docs/performance.md). */
#define CONN_MEMORY (32u << 10)

struct zq_server {
    zq_app *app;
    struct MHD_Daemon *d;
    unsigned port;
};

typedef struct {
    zq_req q;
    zq_resp r;
    zq_buf body;
    int64_t start_us;
    uintptr_t target_at;   /* where libmicrohttpd's buffer held the raw target */
    size_t target_len;
    const char *target;    /* copy of the raw target */
    size_t body_cap;
    bool started, too_large, answered, begun;
    uint64_t discarded;
    int status;
    uint64_t bytes;
} req_ctx;

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int zq_parse_listen(const char *s, struct sockaddr_storage *ss, unsigned *len)
{
    char host[64];
    const char *colon;
    memset(ss, 0, sizeof *ss);
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || end[1] != ':' || (size_t)(end - s - 1) >= sizeof host) return -1;
        memcpy(host, s + 1, (size_t)(end - s - 1));
        host[end - s - 1] = '\0';
        colon = end + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= sizeof host) return -1;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
        if (!host[0]) strcpy(host, "127.0.0.1");
    }
    char *endp;
    errno = 0;
    long port = strtol(colon + 1, &endp, 10);
    if (errno || *endp || colon[1] == '\0' || port < 0 || port > 65535) return -1;
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        *len = sizeof *a4;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *len = sizeof *a6;
        return 0;
    }
    return -1;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    zq_server *srv = cls;
    req_ctx *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->start_us = mono_us();
    if (zq_req_begin(srv->app, &c->q, &c->r) != 0) {
        free(c);
        return NULL;
    }
    c->begun = true;
    atomic_fetch_add(&srv->app->inflight, 1);
    c->target_at = (uintptr_t)uri;
    c->target_len = strlen(uri);
    c->target = zq_arena_strdup(c->q.arena, uri);
    const char *qm = strchr(uri, '?');
    if (qm) {
        c->q.path = zq_arena_strndup(c->q.arena, uri, (size_t)(qm - uri));
        c->q.raw_query = zq_arena_strdup(c->q.arena, qm + 1);
    } else {
        c->q.path = zq_arena_strdup(c->q.arena, uri);
    }
    zq_buf_init(&c->body, 1);
    return c;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    req_ctx *c = cls;
    if (c->q.headers.n >= MAX_HEADERS) return MHD_NO;
    char *k = zq_arena_strdup(c->q.arena, key);
    if (!k) return MHD_NO;
    for (char *p = k; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    zq_kvs_add(c->q.arena, &c->q.headers, k, zq_arena_strdup(c->q.arena, value ? value : ""));
    return MHD_YES;
}

static void fill_client_ip(req_ctx *c, struct MHD_Connection *con)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[INET6_ADDRSTRLEN] = "unknown";
    if (ci && ci->client_addr) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip, sizeof ip);
    }
    c->q.client_ip = zq_arena_strdup(c->q.arena, ip);
}

/* Framing libmicrohttpd accepted that zhengqi refuses: sets the error. */
static bool framing_refused(req_ctx *c, struct MHD_Connection *con, const char *method, const char *version)
{
    zq_wire_req w;
    const char *why = NULL;
    zq_err e = zq_mhd_wire(con, c->q.arena, method, version, c->target_at, c->target_len, c->target, &w) == 0
                   ? zq_framing_check(&w, &why)
                   : ZQ_E_INTERNAL;
    if (e == ZQ_OK) return false;
    zq_fail(&c->r, e, why);
    return true;
}

static enum MHD_Result queue(req_ctx *c, struct MHD_Connection *con)
{
    zq_resp *r = &c->r;
    struct MHD_Response *resp;
    if (r->file_fd >= 0 && r->status == 200) {
        resp = MHD_create_response_from_fd64(r->file_size, r->file_fd);
        if (resp) r->file_fd = -1; /* MHD owns it now */
        c->bytes = r->file_size;
    } else if (r->ext_body) {
        resp = MHD_create_response_from_buffer_with_free_callback_cls(r->ext_len, (void *)r->ext_body,
                                                                     r->ext_release, r->ext_ctx);
        if (resp) r->ext_release = NULL; /* MHD releases it after sending */
        c->bytes = r->ext_len;
    } else {
        size_t len = 0;
        char *data = zq_buf_detach(&r->body, &len);
        resp = MHD_create_response_from_buffer(len, data ? data : (void *)"", data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (!resp) free(data);
        c->bytes = len;
    }
    if (!resp) return MHD_NO;
    if (r->content_type) MHD_add_response_header(resp, "Content-Type", r->content_type);
    for (int i = 0; i < r->headers.n; i++) MHD_add_response_header(resp, r->headers.items[i].name, r->headers.items[i].value);
    c->status = r->status;
    c->answered = true;
    enum MHD_Result ret = MHD_queue_response(con, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    zq_server *srv = cls;
    req_ctx *c = *con_cls;
    if (!c) return MHD_NO;
    zq_app *app = srv->app;

    if (!c->started) {
        c->started = true;
        c->q.method = zq_method_parse(method);
        c->q.method_name = zq_arena_strdup(c->q.arena, method);
        MHD_get_connection_values(con, MHD_HEADER_KIND, collect_header, c);
        fill_client_ip(c, con);
        if (framing_refused(c, con, method, version)) {
            zq_app_run(&c->q, &c->r);
            /* where this message ends is in doubt: read nothing more from this connection */
            if (!zq_kvs_get(&c->r.headers, "Connection")) zq_resp_header(c->q.arena, &c->r, "Connection", "close");
            return queue(c, con);
        }
        c->body_cap = zq_app_prepare(&c->q, &c->r);
        const char *cl = zq_req_header(&c->q, "content-length");
        if (cl && c->body_cap) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || *end || n > c->body_cap) {
                c->too_large = true;
                zq_fail(&c->r, ZQ_E_TOO_LARGE, NULL);
            }
        }
        zq_buf_init(&c->body, c->body_cap + 1);
        if (c->too_large) { /* refuse before reading a byte of the body */
            zq_app_run(&c->q, &c->r);
            return queue(c, con);
        }
        return MHD_YES;
    }
    if (c->answered) { /* refused on the first call: swallow anything still in flight */
        *upload_size = 0;
        return MHD_YES;
    }
    if ((uint64_t)(mono_us() - c->start_us) > (uint64_t)app->cfg.request_timeout * 1000000u)
        return MHD_NO; /* slow client past the absolute deadline: drop the connection */
    if (*upload_size) {
        if (c->too_large) {
            /* over the cap: read and drop the rest (libmicrohttpd cannot answer
             * mid-body), answer 413 at its end; a client that keeps sending far
             * past the cap is cut off */
            c->discarded += *upload_size;
            *upload_size = 0;
            return c->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
        }
        if (c->r.err == ZQ_OK && zq_buf_append(&c->body, upload, *upload_size) != 0) {
            c->too_large = true;
            zq_buf_free(&c->body);
            zq_fail(&c->r, ZQ_E_TOO_LARGE, NULL);
        }
        *upload_size = 0;
        return MHD_YES;
    }

    c->q.body = c->body.data;
    c->q.body_len = c->body.len;
    zq_app_run(&c->q, &c->r);
    return queue(c, con);
}

static void log_line(req_ctx *c, zq_app *app)
{
    if (!app->cfg.access_log) return;
    char line[1024], path[256];
    size_t o = 0;
    const char *p = c->q.path ? c->q.path : "-";
    /* the path is client-controlled: keep the log line one line of printable bytes */
    for (; *p && o < sizeof path - 4; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x20 || ch == 0x7f || ch == ' ' || ch == '"') {
            o += (size_t)snprintf(path + o, sizeof path - o, "%%%02X", ch);
        } else {
            path[o++] = (char)ch;
        }
    }
    path[o] = '\0';
    time_t t = time(NULL);
    struct tm tm;
    char ts[32];
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int n = snprintf(line, sizeof line, "%s %s %s %s %d %llu %lldus\n", ts, c->q.request_id,
                     c->q.method_name ? c->q.method_name : "-", path, c->status,
                     (unsigned long long)c->bytes, (long long)(mono_us() - c->start_us));
    if (n > 0) {
        ssize_t w = write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        (void)w;
    }
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    zq_server *srv = cls;
    req_ctx *c = *con_cls;
    if (!c) return;
    if (!c->answered) c->status = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
    log_line(c, srv->app);
    zq_buf_free(&c->body);
    if (c->begun) {
        zq_req_end(&c->q, &c->r);
        atomic_fetch_sub(&srv->app->inflight, 1);
    }
    free(c);
    *con_cls = NULL;
}

zq_server *zq_server_start(zq_app *app, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    unsigned sslen;
    zq_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    srv->app = app;
    if (zq_parse_listen(app->cfg.listen, &ss, &sslen) != 0) {
        snprintf(err, errlen, "bad listen address %s (want ADDR:PORT)", app->cfg.listen);
        goto fail;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_TURBO;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    srv->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
                              MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                              MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads,
                              MHD_OPTION_CONNECTION_LIMIT, app->cfg.max_conns,
                              MHD_OPTION_PER_IP_CONNECTION_LIMIT, app->cfg.per_ip_conns,
                              MHD_OPTION_CONNECTION_TIMEOUT, app->cfg.idle_timeout,
                              MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
                              MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
                              MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
                              MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
                              MHD_OPTION_END);
    if (!srv->d) {
        snprintf(err, errlen, "cannot listen on %s: %s", app->cfg.listen, strerror(errno));
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : 0;
    return srv;
fail:
    free(srv);
    return NULL;
}

unsigned zq_server_port(const zq_server *s)
{
    return s->port;
}

void zq_server_stop(zq_server *s, unsigned grace_ms)
{
    if (!s) return;
    atomic_store(&s->app->draining, true);
    MHD_socket ls = MHD_quiesce_daemon(s->d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    for (unsigned waited = 0; waited < grace_ms && atomic_load(&s->app->inflight) > 0; waited += 20)
        usleep(20000);
    MHD_stop_daemon(s->d);
    free(s);
}
