/*
 * zt_sock.c — raw HTTP over loopback (see zt_sock.h).
 */
#include "support/zt_sock.h"
#include "http/server.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int zt_sock_dial(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

void zt_sock_send_n(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

void zt_sock_send(int fd, const char *s)
{
    zt_sock_send_n(fd, s, strlen(s));
}

int zt_sock_read(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    long want = -1;
    for (;;) {
        ssize_t r = recv(fd, buf + len, cap - 1 - len, 0);
        if (r <= 0) break;
        len += (size_t)r;
        buf[len] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end && want < 0) {
            char *cl = strcasestr(buf, "\r\nContent-Length:");
            want = (long)(end + 4 - buf) + (cl && cl < end ? strtol(cl + 17, NULL, 10) : 0);
        }
        if (want >= 0 && (long)len >= want) break;
        if (len >= cap - 1) break;
    }
    buf[len] = '\0';
    int status = -1;
    if (len >= 12 && sscanf(buf, "HTTP/1.1 %d", &status) == 1) return status;
    return -1;
}

int zt_sock_get(unsigned port, const char *path)
{
    char buf[32768];
    size_t rl = strlen(path) + 128;
    char *req = malloc(rl);
    int fd = zt_sock_dial(port);
    if (fd < 0) {
        free(req);
        return -1;
    }
    snprintf(req, rl, "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", path);
    zt_sock_send(fd, req);
    free(req);
    int st = zt_sock_read(fd, buf, sizeof buf);
    close(fd);
    return st;
}

int zt_sock_exchange(unsigned port, const void *raw, size_t n, char *buf, size_t cap)
{
    int fd = zt_sock_dial(port);
    if (fd < 0) return -1;
    zt_sock_send_n(fd, raw, n);
    int st = zt_sock_read(fd, buf, cap);
    close(fd);
    return st;
}

zt_served *zt_serve(zt_env *env)
{
    zt_served *s = calloc(1, sizeof *s);
    char err[256];
    assert_non_null(s);
    s->env = env;
    s->srv = zq_server_start(env->app, err, sizeof err);
    if (!s->srv) fail_msg("server: %s", err);
    s->port = zq_server_port(s->srv);
    return s;
}

void zt_serve_stop(zt_served *s)
{
    if (!s) return;
    if (s->srv) zq_server_stop(s->srv, 2000);
    zt_stop(s->env);
    free(s);
}
