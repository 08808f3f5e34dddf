/*
 * zt_fake.c — the fake HTTP service of zt_fake.h, and the WeChat API fake
 * built on it.
 */
#include "support/zt_fake.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define REQ_MAX 65536

struct zt_fake {
    int lfd, port;
    zt_fake_handler h;
    void *ctx;
    pthread_t th;
    atomic_int requests;
    atomic_bool stop;
    char base[64];
};

static void serve_one(zt_fake *f, int fd)
{
    char *req = malloc(REQ_MAX + 1), out[8192];
    size_t len = 0, want = 0;
    if (!req) return;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 3000) <= 0) break;
        ssize_t n = read(fd, req + len, REQ_MAX - len);
        if (n <= 0) break;
        len += (size_t)n;
        req[len] = '\0';
        char *end = strstr(req, "\r\n\r\n");
        if (end && !want) {
            char *cl = strcasestr(req, "Content-Length: ");
            want = (size_t)(end + 4 - req) + (cl && cl < end ? strtoul(cl + 16, NULL, 10) : 0);
        }
        if (want && len >= want) break;
    }
    req[len] = '\0';
    char method[16] = "", target[2048] = "";
    sscanf(req, "%15s %2047s", method, target);
    char *body = strstr(req, "\r\n\r\n");
    body = body ? body + 4 : req + len;
    out[0] = '\0';
    int status = f->h(f->ctx, method, target, body, out, sizeof out);
    atomic_fetch_add(&f->requests, 1);
    if (status == 0) {
        /* hang: hold the connection until the client closes it or the stop */
        char buf[64];
        struct pollfd p = {fd, POLLIN, 0};
        while (!atomic_load(&f->stop) && poll(&p, 1, 200) >= 0)
            if ((p.revents & (POLLIN | POLLHUP)) && read(fd, buf, sizeof buf) <= 0) break;
    } else {
        char head[256];
        int hn = snprintf(head, sizeof head,
                          "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                          "Connection: close\r\n\r\n",
                          status, strlen(out));
        if (write(fd, head, (size_t)hn) < 0 || write(fd, out, strlen(out)) < 0) {
        }
    }
    free(req);
}

static void *run(void *arg)
{
    zt_fake *f = arg;
    while (!atomic_load(&f->stop)) {
        struct pollfd p = {f->lfd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        int fd = accept(f->lfd, NULL, NULL);
        if (fd < 0) continue;
        serve_one(f, fd);
        close(fd);
    }
    return NULL;
}

zt_fake *zt_fake_start(zt_fake_handler h, void *ctx)
{
    zt_fake *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->h = h;
    f->ctx = ctx;
    f->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof a;
    if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(f->lfd, 16) != 0 ||
        getsockname(f->lfd, (struct sockaddr *)&a, &sl) != 0) {
        if (f->lfd >= 0) close(f->lfd);
        free(f);
        return NULL;
    }
    f->port = ntohs(a.sin_port);
    snprintf(f->base, sizeof f->base, "http://127.0.0.1:%d", f->port);
    if (pthread_create(&f->th, NULL, run, f) != 0) {
        close(f->lfd);
        free(f);
        return NULL;
    }
    return f;
}

const char *zt_fake_base(const zt_fake *f)
{
    return f->base;
}

int zt_fake_requests(const zt_fake *f)
{
    return atomic_load(&((zt_fake *)f)->requests);
}

void zt_fake_stop(zt_fake *f)
{
    if (!f) return;
    atomic_store(&f->stop, true);
    pthread_join(f->th, NULL);
    close(f->lfd);
    free(f);
}

int zt_wx_handler(void *ctx, const char *method, const char *target, const char *body, char *out, size_t outlen)
{
    zt_wx *w = ctx;
    if (strncmp(target, "/cgi-bin/token?", 15) == 0) {
        w->tokens++;
        snprintf(out, outlen, "{\"access_token\":\"tok-%d\",\"expires_in\":7200}", w->tokens);
        return 200;
    }
    if (strncmp(target, "/sns/jscode2session?", 20) == 0) {
        const char *c = strstr(target, "js_code=");
        char code[128] = "";
        if (c) sscanf(c + 8, "%127[^&]", code);
        if (!*code || strcmp(code, "bad") == 0) {
            snprintf(out, outlen, "{\"errcode\":40029,\"errmsg\":\"invalid code\"}");
            return 200;
        }
        snprintf(out, outlen, "{\"openid\":\"o-%s\",\"session_key\":\"k\"}", code);
        return 200;
    }
    if (strcmp(method, "POST") == 0 && strncmp(target, "/cgi-bin/message/subscribe/send?", 32) == 0) {
        w->sends++;
        snprintf(w->last_send, sizeof w->last_send, "%s", body);
        switch (w->mode) {
        case ZT_WX_BUSY: snprintf(out, outlen, "{\"errcode\":-1,\"errmsg\":\"system busy\"}"); return 200;
        case ZT_WX_HTTP500: snprintf(out, outlen, "{}"); return 500;
        case ZT_WX_EXPIRED_ONCE:
            w->mode = ZT_WX_OK;
            snprintf(out, outlen, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
            return 200;
        default: break;
        }
        w->delivered++;
        snprintf(out, outlen, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        return 200;
    }
    snprintf(out, outlen, "{\"errcode\":404}");
    return 404;
}
