/*
 * client.h — a small outbound HTTP/1.1 client for the services zhengqi
 * calls (SMS gateway, WeChat API): plain http:// to a relay on the local
 * network (TLS is the relay's job, docs/decisions-sms.md), one request per
 * connection, one deadline over resolve-connect-send-receive, answers read
 * up to a cap. Blocking; call it with no transaction open.
 */
#ifndef ZQ_HTTP_CLIENT_H
#define ZQ_HTTP_CLIENT_H
#include <stdbool.h>
#include <stddef.h>
#include "core/buf.h"

/* Largest answer body kept (larger answers fail). */
#define ZQ_HTTPC_BODY_MAX (256 * 1024)

/* Checks "http://host[:port]/path[?query]" (host a name, IPv4 or [IPv6]).
 * 0, or -1 with the reason in err. `what` names the URL in the reason
 * ("gateway URL"). */
int zq_httpc_url_check(const char *url, const char *what, char *err, size_t errlen);

/* Sends method url with body (NULL = none; content type JSON) and extra
 * header lines ("Name: value\r\n", may be NULL). *status gets the HTTP
 * status; when resp is not NULL it receives the body (chunked answers
 * decoded). 0 when an HTTP answer came, -1 with a reason for operators in
 * err (never shown to users) when none did within timeout_ms. */
int zq_httpc_do(const char *method, const char *url, const char *extra_headers, const char *body, size_t body_len,
                unsigned timeout_ms, int *status, zq_buf *resp, char *err, size_t errlen);

#endif
