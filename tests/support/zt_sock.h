/*
 * zt_sock.h — a plain HTTP/1.1 client over loopback sockets, for tests that
 * must see what a real client sees (keep-alive, framing on the wire, a
 * server process started by the test): dial, send, read one response
 * framed by its Content-Length, and spawn/stop a `zhengqi serve` process.
 */
#ifndef ZT_SOCK_H
#define ZT_SOCK_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Connects to 127.0.0.1:port with send/receive timeouts of timeout_ms;
 * the socket, or -1. */
int zs_dial(unsigned port, unsigned timeout_ms);

/* Sends all of s (len bytes; len 0 = strlen); false when the peer is gone. */
bool zs_send(int fd, const char *s, size_t len);

/* Reads one response (headers + Content-Length body) into buf (NUL-ended,
 * truncated at cap - 1 bytes but still consumed from the socket). Returns
 * the status, or -1 when the peer closed or the timeout passed first.
 * *body_off (may be NULL) gets where the body starts in buf. */
int zs_read_response(int fd, char *buf, size_t cap, size_t *body_off);

/* Sends n raw bytes (NULs allowed) on a fresh connection and reads one
 * response into buf: its status, or -1. */
int zs_exchange(unsigned port, const void *raw, size_t n, char *buf, size_t cap);

/* GET path on a fresh connection (Connection: close): its status, or -1. */
int zs_get(unsigned port, const char *path);

/* A port on 127.0.0.1 that was free a moment ago. */
unsigned zs_free_port(void);

/* Milliseconds on the monotonic clock. */
long long zs_now_ms(void);

/* Starts `bin serve --listen 127.0.0.1:port --db url <extra args…>` with its
 * stderr in log_path, and waits up to wait_ms for /api/v1/health to answer
 * 200. The child's pid, or -1 (and the child is killed). */
pid_t zs_spawn_server(const char *bin, unsigned port, const char *url, const char *log_path, unsigned wait_ms,
                      const char *const *extra_args);

/* Sends sig to pid and waits up to wait_ms for it to exit. The exit status
 * as waitpid gives it, or -1 when it was still running (it is then killed
 * with SIGKILL and reaped). */
int zs_stop_server(pid_t pid, int sig, unsigned wait_ms);

/* The server binary tests start: $ZQ_SERVER_BIN, else build/zhengqi-test
 * (tests run from the repository root). */
const char *zs_server_bin(void);

#endif
