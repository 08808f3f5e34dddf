/*
 * provider_http.c — SMS through an HTTP gateway: POST {"phone","text","ts"}
 * as JSON to the configured http://host:port/path with the header
 * X-Signature: hex HMAC-SHA256(shared secret, body). A plain socket client
 * with one deadline over resolve-connect-send-receive; success is any 2xx
 * status. No TLS: production gateways sit behind a relay on the local
 * network or host (docs/decisions-sms.md).
 */
#include "sms/provider.h"
#include "http/context.h"
#include "core/buf.h"
#include "core/jsonw.h"
#include "core/text.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define URL_MAX 1024
#define RESPONSE_MAX 4096

typedef struct {
    char host[256];   /* without brackets */
    char port[8];
    char path[URL_MAX];
    bool v6;          /* host was written [..] */
} http_url;

static int parse_url(const char *url, http_url *u, char *err, size_t errlen)
{
    memset(u, 0, sizeof *u);
    if (!url || !*url) {
        snprintf(err, errlen, "no gateway URL configured (--sms-url)");
        return -1;
    }
    if (strlen(url) >= URL_MAX || strncmp(url, "http://", 7) != 0) {
        snprintf(err, errlen, "gateway URL must be http://host[:port]/path (TLS is the relay's job)");
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
    snprintf(err, errlen, "gateway URL is not a valid http://host[:port]/path");
    return -1;
}

int sms_http_url_check(const char *url, char *err, size_t errlen)
{
    http_url u;
    return parse_url(url, &u, err, errlen);
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

/* Reads until the status line is complete (or EOF/deadline); returns the
 * status code or -1. */
static int read_status(int fd, int64_t deadline, char *err, size_t errlen)
{
    char buf[RESPONSE_MAX];
    size_t len = 0;
    for (;;) {
        if (len && memchr(buf, '\n', len)) break;
        if (len + 1 >= sizeof buf) break;
        int w = wait_fd(fd, POLLIN, deadline);
        if (w <= 0) {
            snprintf(err, errlen, "timed out waiting for the gateway's answer");
            return -1;
        }
        ssize_t n = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n <= 0) break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    int status = 0;
    if (strncmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ' || sscanf(buf + 9, "%3d", &status) != 1 || status < 100) {
        snprintf(err, errlen, "the gateway did not answer HTTP");
        return -1;
    }
    return status;
}

static int http_send(const zq_config *cfg, const sms_message *m, char *err, size_t errlen)
{
    http_url u;
    int fd = -1, rc = -1;
    zq_buf body, req;
    zq_buf_init(&body, 8192);
    zq_buf_init(&req, 16384);
    if (parse_url(cfg->sms_url, &u, err, errlen) != 0) goto done;
    if (!cfg->sms_secret || !*cfg->sms_secret) {
        snprintf(err, errlen, "no shared secret configured (--sms-secret-file)");
        goto done;
    }
    int64_t deadline = now_ms() + (cfg->sms_timeout_ms ? cfg->sms_timeout_ms : SMS_HTTP_TIMEOUT_MS);

    zq_jw w;
    zq_jw_init(&w, &body);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "phone", m->phone);
    zq_jw_kstr(&w, "text", m->text);
    zq_jw_kint(&w, "ts", m->ts);
    zq_jw_obj_end(&w);
    if (!zq_jw_ok(&w)) {
        snprintf(err, errlen, "message too large");
        goto done;
    }

    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char sig[2 * sizeof mac + 1];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)cfg->sms_secret, strlen(cfg->sms_secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body.data, body.len);
    crypto_auth_hmacsha256_final(&st, mac);
    zq_hex(mac, sizeof mac, sig);

    bool default_port = strcmp(u.port, "80") == 0;
    zq_buf_printf(&req,
                  "POST %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\nUser-Agent: zhengqi/%s\r\n"
                  "Content-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n"
                  "X-Signature: %s\r\nConnection: close\r\n\r\n",
                  u.path, u.v6 ? "[" : "", u.host, u.v6 ? "]" : "", default_port ? "" : ":",
                  default_port ? "" : u.port, ZQ_VERSION, body.len, sig);
    zq_buf_append(&req, body.data, body.len);
    if (req.overflow) {
        snprintf(err, errlen, "message too large");
        goto done;
    }

    if ((fd = dial(&u, deadline, err, errlen)) < 0) goto done;
    if (send_all(fd, req.data, req.len, deadline) != 0) {
        snprintf(err, errlen, "could not send the request to the gateway");
        goto done;
    }
    int status = read_status(fd, deadline, err, errlen);
    if (status < 0) goto done;
    if (status < 200 || status > 299) {
        snprintf(err, errlen, "the gateway answered HTTP %d", status);
        goto done;
    }
    rc = 0;
done:
    if (fd >= 0) close(fd);
    zq_buf_free(&body);
    zq_buf_free(&req);
    return rc;
}

const sms_provider sms_provider_http = {"http", false, http_send};
