/*
 * client.c — the outbound HTTP client (see client.h): a plain socket with
 * one deadline, "Connection: close", the answer read until the peer closes
 * or its Content-Length is in.
 */
#include "http/client.h"
#include "http/context.h"
#include "core/text.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define URL_MAX 1024

typedef struct {
    char host[256];   /* without brackets */
    char port[8];
    char path[URL_MAX];
    bool v6;          /* host was written [..] */
} http_url;

static int parse_url(const char *url, const char *what, http_url *u, char *err, size_t errlen)
{
    memset(u, 0, sizeof *u);
    if (!url || !*url) {
        snprintf(err, errlen, "no %s configured", what);
        return -1;
    }
    if (strlen(url) >= URL_MAX || strncmp(url, "http://", 7) != 0) {
        snprintf(err, errlen, "%s must be http://host[:port]/path (TLS is the relay's job)", what);
        return -1;
    }
    const char *p = url + 7, *host_end, *after;
    if (*p == '[') {
        host_end = strchr(p, ']');
        if (!host_end || host_end == p + 1) goto bad;
        snprintf(u->host, sizeof u->host, "%.*s", (int)(host_end - p - 1), p + 1);
        u->v6 = true;
        after = host_end + 1;
    } else {
        host_end = p + strcspn(p, ":/?#");
        if (host_end == p || (size_t)(host_end - p) >= sizeof u->host) goto bad;
        snprintf(u->host, sizeof u->host, "%.*s", (int)(host_end - p), p);
        after = host_end;
    }
    for (const char *h = u->host; *h; h++)
        if (!(((*h | 32) >= 'a' && (*h | 32) <= 'z') || (*h >= '0' && *h <= '9') || *h == '.' || *h == '-' ||
              (u->v6 && *h == ':')))
            goto bad;
    snprintf(u->port, sizeof u->port, "80");
    if (*after == ':') {
        int64_t port;
        size_t n = strcspn(after + 1, "/?#");
        char tmp[8];
        if (n == 0 || n >= sizeof tmp) goto bad;
        memcpy(tmp, after + 1, n);
        tmp[n] = '\0';
        if (!zq_parse_int64(tmp, 1, 65535, &port)) goto bad;
        snprintf(u->port, sizeof u->port, "%d", (int)port);
        after += 1 + n;
    }
    if (*after == '#') goto bad;
    snprintf(u->path, sizeof u->path, "%s", *after == '/' ? after : "/");
    if (*after == '?') snprintf(u->path, sizeof u->path, "/%s", after);
    for (const char *c = u->path; *c; c++)
        if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == '#') goto bad;
    return 0;
bad:
    snprintf(err, errlen, "%s is not a valid http://host[:port]/path", what);
    return -1;
}

int zq_httpc_url_check(const char *url, const char *what, char *err, size_t errlen)
{
    http_url u;
    return parse_url(url, what, &u, err, errlen);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0) return 0;
        struct pollfd pfd = {fd, events, 0};
        int n = poll(&pfd, 1, (int)left);
        if (n < 0 && errno == EINTR) continue;
        return n;
    }
}

/* A connected non-blocking socket, or -1 with err set. */
static int dial(const http_url *u, int64_t deadline, char *err, size_t errlen)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(u->host, u->port, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", u->host, gai_strerror(gai));
        return -1;
    }
    int fd = -1;
    snprintf(err, errlen, "cannot connect to %s:%s", u->host, u->port);
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        if (errno == EINPROGRESS) {
            int w = wait_fd(fd, POLLOUT, deadline);
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            if (w > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0) break;
            if (w == 0) snprintf(err, errlen, "timed out connecting to %s:%s", u->host, u->port);
            else snprintf(err, errlen, "cannot connect to %s:%s: %s", u->host, u->port, strerror(soerr ? soerr : errno));
        } else {
            snprintf(err, errlen, "cannot connect to %s:%s: %s", u->host, u->port, strerror(errno));
        }
        close(fd);
        fd = -1;
        if (now_ms() >= deadline) break;
    }
    freeaddrinfo(res);
    return fd;
}

static int send_all(int fd, const char *p, size_t n, int64_t deadline)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_fd(fd, POLLOUT, deadline) <= 0) return -1;
            continue;
        }
        return -1;
    }
    return 0;
}

/* Decodes a chunked body in place; -1 when malformed. */
static int unchunk(zq_buf *b)
{
    size_t in = 0, out = 0;
    for (;;) {
        char *end = NULL;
        if (in >= b->len) return -1;
        unsigned long n = strtoul(b->data + in, &end, 16);
        char *eol = strstr(b->data + in, "\r\n");
        if (!eol || end == b->data + in) return -1;
        in = (size_t)(eol - b->data) + 2;
        if (n == 0) break;
        if (n > b->len - in) return -1;
        memmove(b->data + out, b->data + in, n);
        out += n;
        in += n + 2;
    }
    b->len = out;
    if (b->data) b->data[out] = '\0';
    return 0;
}

/* Reads the whole answer into raw; 0, or -1 when the deadline passed
 * before the peer finished. */
static int read_all(int fd, int64_t deadline, zq_buf *raw)
{
    char chunk[8192];
    size_t want = 0;
    for (;;) {
        if (!want && raw->data) {
            char *hend = strstr(raw->data, "\r\n\r\n");
            if (hend) {
                /* header names are case-insensitive; values are what we look for */
                const char *cl = strcasestr(raw->data, "\r\nContent-Length:");
                if (cl && cl < hend) want = (size_t)(hend + 4 - raw->data) + strtoul(cl + 17, NULL, 10);
            }
        }
        if (want && raw->len >= want) return 0;
        if (wait_fd(fd, POLLIN, deadline) <= 0) return -1;
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n <= 0) return 0;
        if (zq_buf_append(raw, chunk, (size_t)n) != 0) return -1;
    }
}

int zq_httpc_do(const char *method, const char *url, const char *extra_headers, const char *body, size_t body_len,
                unsigned timeout_ms, int *status, zq_buf *resp, char *err, size_t errlen)
{
    http_url u;
    int fd = -1, rc = -1;
    zq_buf req, raw;
    zq_buf_init(&req, 64 * 1024 + body_len);
    zq_buf_init(&raw, ZQ_HTTPC_BODY_MAX + 16 * 1024);
    *status = 0;
    if (parse_url(url, "URL", &u, err, errlen) != 0) goto done;
    int64_t deadline = now_ms() + (timeout_ms ? timeout_ms : 5000);
    bool default_port = strcmp(u.port, "80") == 0;
    zq_buf_printf(&req, "%s %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\nUser-Agent: zhengqi/%s\r\n%s", method, u.path,
                  u.v6 ? "[" : "", u.host, u.v6 ? "]" : "", default_port ? "" : ":", default_port ? "" : u.port,
                  ZQ_VERSION, extra_headers ? extra_headers : "");
    if (body)
        zq_buf_printf(&req, "Content-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n", body_len);
    zq_buf_puts(&req, "Connection: close\r\n\r\n");
    if (body) zq_buf_append(&req, body, body_len);
    if (req.overflow) {
        snprintf(err, errlen, "request too large");
        goto done;
    }
    if ((fd = dial(&u, deadline, err, errlen)) < 0) goto done;
    if (send_all(fd, req.data, req.len, deadline) != 0) {
        snprintf(err, errlen, "could not send the request to %s:%s", u.host, u.port);
        goto done;
    }
    if (read_all(fd, deadline, &raw) != 0) {
        snprintf(err, errlen, raw.overflow ? "the answer of %s:%s is too large" : "timed out waiting for %s:%s",
                 u.host, u.port);
        goto done;
    }
    int st = 0;
    if (raw.len < 12 || strncmp(raw.data, "HTTP/1.", 7) != 0 || raw.data[8] != ' ' ||
        sscanf(raw.data + 9, "%3d", &st) != 1 || st < 100) {
        snprintf(err, errlen, "%s:%s did not answer HTTP", u.host, u.port);
        goto done;
    }
    *status = st;
    if (resp) {
        char *hend = strstr(raw.data, "\r\n\r\n");
        zq_buf_reset(resp);
        if (hend) {
            zq_buf_append(resp, hend + 4, raw.len - (size_t)(hend + 4 - raw.data));
            const char *te = strcasestr(raw.data, "\r\nTransfer-Encoding: chunked");
            if (te && te < hend && unchunk(resp) != 0) {
                snprintf(err, errlen, "%s:%s sent a malformed chunked answer", u.host, u.port);
                goto done;
            }
        }
        if (resp->overflow) {
            snprintf(err, errlen, "the answer of %s:%s is too large", u.host, u.port);
            goto done;
        }
    }
    rc = 0;
done:
    if (fd >= 0) close(fd);
    zq_buf_free(&req);
    zq_buf_free(&raw);
    return rc;
}
