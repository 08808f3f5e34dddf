/*
 * bench_declare.c — the HTTP client of the declaration submit bench (issue
 * 13 "Measure", scripts/bench.d/50-declare.sh):
 *   bench_declare PORT FILE CLIENTS
 * FILE holds one prepared submit a line, "APP_ID ZQ_SID CSRF". CLIENTS
 * threads each open one keep-alive connection to 127.0.0.1:PORT, wait for
 * the others (all connected before the clock starts), then take the next
 * line and POST /api/v1/enterprise/applications/APP_ID/submit with that
 * firm's session cookie and X-CSRF-Token until the lines run out, timing
 * each request from its first byte sent to its last byte received.
 * A process per request (curl) would measure process start-up, not the route.
 * Prints key=value lines: submits, per-status counts, submit_s,
 * submit_per_s (200 answers over the wall time), p50/p99/max in ms.
 */
#include "bench_stats.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 256
#define MAX_SUBMITS 100000
#define NSTATUS 600

typedef struct {
    long long app;
    char sid[64], csrf[64];
} submit_line;

typedef struct {
    int port;
    const submit_line *lines;
    int total;
    atomic_int *next;
    pthread_barrier_t *go;
    double *lat;
    int status[NSTATUS]; /* [0]: no answer (connection failed or broken) */
    char first_error[256];
} client;

static int dial(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Value of header NAME in the header block h (NUL-terminated), or NULL. */
static const char *header(const char *h, const char *name)
{
    size_t n = strlen(name);
    for (const char *l = strstr(h, "\r\n"); l; l = strstr(l + 2, "\r\n")) {
        if (strncasecmp(l + 2, name, n) == 0 && l[2 + n] == ':') {
            const char *v = l + 3 + n;
            while (*v == ' ') v++;
            return v;
        }
    }
    return NULL;
}

/* Reads one response on fd into buf (cap bytes kept, the rest of a long body
 * is read and dropped). Returns the status, or -1 if the connection broke
 * before a whole response; *keep is false when the server closes it. */
static int read_response(int fd, char *buf, size_t cap, size_t *got, int *keep)
{
    size_t n = 0;
    char *end = NULL;
    *got = 0;
    while (!end) {
        if (n + 1 >= cap) return -1;
        ssize_t k = recv(fd, buf + n, cap - 1 - n, 0);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        n += (size_t)k;
        *got = n;
        buf[n] = 0;
        end = strstr(buf, "\r\n\r\n");
    }
    *end = 0;
    int status = 0;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1) return -1;
    /* read the headers before the body moves over them */
    const char *cl = header(buf, "Content-Length"), *conn = header(buf, "Connection");
    const char *te = header(buf, "Transfer-Encoding");
    bool has_length = cl != NULL, chunked = te && strncasecmp(te, "chunked", 7) == 0;
    size_t want = cl ? (size_t)strtoull(cl, NULL, 10) : 0;
    *keep = !(conn && strncasecmp(conn, "close", 5) == 0);
    size_t head = (size_t)(end - buf) + 4, body = n - head;
    memmove(buf, buf + head, body);
    if (chunked) {
        /* our answers are small JSON: read until the last-chunk marker */
        buf[body] = 0;
        while (!strstr(buf, "0\r\n\r\n")) {
            if (body + 1 >= cap) return -1;
            ssize_t k = recv(fd, buf + body, cap - 1 - body, 0);
            if (k <= 0) return -1;
            body += (size_t)k;
            buf[body] = 0;
        }
    } else if (has_length) {
        char sink[4096];
        while (body < want) {
            char *to = body + 1 < cap ? buf + body : sink;
            size_t room = body + 1 < cap ? cap - 1 - body : sizeof sink;
            if (room > want - body) room = want - body;
            ssize_t k = recv(fd, to, room, 0);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) return -1;
            body += (size_t)k;
        }
    } else {
        *keep = 0; /* body runs to the close */
    }
    if (body >= cap) body = cap - 1;
    buf[body] = 0;
    *got = body;
    return status;
}

static void *run_client(void *arg)
{
    client *c = arg;
    char req[1024], *buf = malloc(65536);
    int fd = dial(c->port);
    pthread_barrier_wait(c->go);
    for (int i; buf && (i = atomic_fetch_add(c->next, 1)) < c->total;) {
        const submit_line *l = &c->lines[i];
        int n = snprintf(req, sizeof req,
                         "POST /api/v1/enterprise/applications/%lld/submit HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                         "Cookie: zq_sid=%s\r\nX-CSRF-Token: %s\r\nContent-Type: application/json\r\n"
                         "Content-Length: 2\r\n\r\n{}",
                         l->app, c->port, l->sid, l->csrf);
        double t0 = bench_now_ms();
        int status = -1, keep = 0;
        size_t got = 0;
        /* a kept-alive connection the server dropped while idle fails
         * before any answer: one retry on a fresh connection */
        for (int attempt = 0; attempt < 2 && status < 0; attempt++) {
            if (fd < 0) fd = dial(c->port);
            if (fd < 0) break;
            if (send_all(fd, req, (size_t)n) == 0) status = read_response(fd, buf, 65536, &got, &keep);
            if (status < 0)
                fprintf(stderr, "bench_declare: app %lld: no whole answer after %.0f ms (attempt %d, %zu bytes)\n", l->app,
                        bench_now_ms() - t0, attempt + 1, got);
            if (status < 0 || !keep) {
                close(fd);
                fd = -1;
            }
        }
        c->lat[i] = bench_now_ms() - t0;
        c->status[status > 0 && status < NSTATUS ? status : 0]++;
        if (status != 200 && !c->first_error[0])
        {
            snprintf(c->first_error, sizeof c->first_error, "app %lld: %d %.200s", l->app, status, status > 0 ? buf : "");
            /* one key=value line */
            for (char *p = c->first_error; *p; p++)
                if (*p == '\n' || *p == '\r') *p = ' ';
        }
    }
    if (fd >= 0) close(fd);
    free(buf);
    return NULL;
}

static int read_lines(const char *path, submit_line *out, int cap)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    int n = 0;
    while (n < cap && fscanf(f, "%lld %63s %63s", &out[n].app, out[n].sid, out[n].csrf) == 3) n++;
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_declare PORT FILE CLIENTS\n");
        return 2;
    }
    int port = atoi(argv[1]), nclients = atoi(argv[3]);
    if (port <= 0 || port > 65535 || nclients < 1 || nclients > MAX_CLIENTS) {
        fprintf(stderr, "bench_declare: bad PORT or CLIENTS (1..%d)\n", MAX_CLIENTS);
        return 2;
    }
    submit_line *lines = malloc(MAX_SUBMITS * sizeof *lines);
    int total = lines ? read_lines(argv[2], lines, MAX_SUBMITS) : -1;
    if (total <= 0) {
        fprintf(stderr, "bench_declare: no submits read from %s\n", argv[2]);
        return 1;
    }
    double *lat = calloc((size_t)total, sizeof *lat);
    client *cs = calloc((size_t)nclients, sizeof *cs);
    pthread_t *t = calloc((size_t)nclients, sizeof *t);
    if (!lat || !cs || !t) return 1;
    atomic_int next = 0;
    pthread_barrier_t go;
    /* the main thread passes the barrier too: it starts the clock */
    pthread_barrier_init(&go, NULL, (unsigned)nclients + 1);
    for (int i = 0; i < nclients; i++) {
        cs[i] = (client){.port = port, .lines = lines, .total = total, .next = &next, .go = &go, .lat = lat};
        if (pthread_create(&t[i], NULL, run_client, &cs[i]) != 0) {
            fprintf(stderr, "bench_declare: cannot start client %d\n", i);
            return 1;
        }
    }
    pthread_barrier_wait(&go);
    double t0 = bench_now_ms();
    int status[NSTATUS] = {0};
    const char *first_error = "";
    for (int i = 0; i < nclients; i++) {
        pthread_join(t[i], NULL);
        for (int k = 0; k < NSTATUS; k++) status[k] += cs[i].status[k];
        if (!first_error[0]) first_error = cs[i].first_error;
    }
    double secs = (bench_now_ms() - t0) / 1e3;
    printf("submits=%d\nclients=%d\n", total, nclients);
    for (int k = 0; k < NSTATUS; k++)
        if (status[k]) printf("status_%d=%d\n", k, status[k]);
    printf("submit_s=%.3f\nsubmit_per_s=%.0f\n", secs, status[200] / secs);
    printf("p50_ms=%.1f\np99_ms=%.1f\n", bench_pct(lat, (size_t)total, 0.5), bench_pct(lat, (size_t)total, 0.99));
    printf("max_ms=%.1f\n", lat[total - 1]);
    if (first_error[0]) printf("first_error=%s\n", first_error);
    pthread_barrier_destroy(&go);
    free(t);
    free(cs);
    free(lat);
    free(lines);
    return 0;
}
