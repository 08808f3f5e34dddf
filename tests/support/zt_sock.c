/*
 * zt_sock.c — loopback HTTP client and server-process helpers (zt_sock.h).
 */
#include "zt_sock.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

long long zs_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int zs_dial(unsigned port, unsigned timeout_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    struct timeval tv = {(time_t)(timeout_ms / 1000), (suseconds_t)(timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool zs_send(int fd, const char *s, size_t len)
{
    if (!len) len = strlen(s);
    while (len) {
        ssize_t w = send(fd, s, len, MSG_NOSIGNAL);
        if (w <= 0) return false;
        s += w;
        len -= (size_t)w;
    }
    return true;
}

int zs_read_response(int fd, char *buf, size_t cap, size_t *body_off)
{
    size_t len = 0;       /* bytes kept in buf */
    long long seen = 0;   /* bytes read from the socket */
    long long want = -1;  /* total bytes of this response, once known */
    char sink[16384];
    buf[0] = '\0';
    for (;;) {
        bool full = len >= cap - 1;
        char *dst = full ? sink : buf + len;
        size_t room = full ? sizeof sink : cap - 1 - len;
        if (want >= 0 && (long long)room > want - seen) room = (size_t)(want - seen);
        ssize_t r = recv(fd, dst, room, 0);
        if (r <= 0) return -1;
        seen += r;
        if (!full) {
            len += (size_t)r;
            buf[len] = '\0';
        }
        if (want < 0) {
            char *end = strstr(buf, "\r\n\r\n");
            if (end) {
                char *cl = strcasestr(buf, "\r\nContent-Length:");
                want = (long long)(end + 4 - buf) + (cl && cl < end ? strtoll(cl + 17, NULL, 10) : 0);
                if (body_off) *body_off = (size_t)(end + 4 - buf);
            } else if (full) {
                return -1; /* headers larger than the buffer */
            }
        }
        if (want >= 0 && seen >= want) break;
    }
    int status = -1;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1) return -1;
    return status;
}

int zs_exchange(unsigned port, const void *raw, size_t n, char *buf, size_t cap)
{
    int fd = zs_dial(port, 5000);
    if (fd < 0) return -1;
    int st = zs_send(fd, raw, n) ? zs_read_response(fd, buf, cap, NULL) : -1;
    close(fd);
    return st;
}

int zs_get(unsigned port, const char *path)
{
    static const char fmt[] = "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    char buf[32768];
    size_t cap = strlen(path) + sizeof fmt;
    char *head = malloc(cap);
    if (!head) return -1;
    int n = snprintf(head, cap, fmt, path);
    int st = zs_exchange(port, head, (size_t)n, buf, sizeof buf);
    free(head);
    return st;
}

unsigned zs_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    socklen_t al = sizeof a;
    unsigned port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &al) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

const char *zs_server_bin(void)
{
    const char *b = getenv("ZQ_SERVER_BIN");
    return b && *b ? b : "build/zhengqi-test";
}

static int health_status(unsigned port)
{
    int fd = zs_dial(port, 1000);
    if (fd < 0) return -1;
    char buf[4096];
    int st = -1;
    if (zs_send(fd, "GET /api/v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 0))
        st = zs_read_response(fd, buf, sizeof buf, NULL);
    close(fd);
    return st;
}

pid_t zs_spawn_server(const char *bin, unsigned port, const char *url, const char *log_path, unsigned wait_ms,
                      const char *const *extra_args)
{
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
    const char *argv[48] = {bin, "serve", "--listen", listen, "--db", url};
    int n = 6;
    for (int i = 0; extra_args && extra_args[i] && n < 47; i++) argv[n++] = extra_args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    for (long long until = zs_now_ms() + wait_ms; zs_now_ms() < until;) {
        if (health_status(port) == 200) return pid;
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) return -1; /* it died */
        usleep(50000);
    }
    zs_stop_server(pid, SIGKILL, 5000);
    return -1;
}

int zs_stop_server(pid_t pid, int sig, unsigned wait_ms)
{
    kill(pid, sig);
    for (long long until = zs_now_ms() + wait_ms; zs_now_ms() < until; usleep(20000)) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) return st;
    }
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    return -1;
}
