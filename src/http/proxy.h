/*
 * proxy.h — trusted reverse proxies (--trusted-proxy) and the client
 * address they forward. Behind nginx every socket peer is the proxy, so the
 * rate limits, login locks and the audit log would see one address for
 * everybody; a forwarded address is believed only when the peer itself is a
 * configured proxy, otherwise the headers are client-controlled and ignored.
 */
#ifndef ZQ_HTTP_PROXY_H
#define ZQ_HTTP_PROXY_H
#include <stdbool.h>
#include <stddef.h>
#include "http/req.h"

#define ZQ_PROXY_MAX 32           /* CIDRs one server trusts */
#define ZQ_IP_TEXT_MAX 46         /* INET6_ADDRSTRLEN */

typedef struct {
    unsigned char addr[16];       /* network address, IPv4 in the first 4 bytes */
    unsigned char v6;             /* 0 = IPv4, 1 = IPv6 */
    unsigned char prefix;         /* 0..32 or 0..128 */
} zq_cidr;

typedef struct {
    zq_cidr items[ZQ_PROXY_MAX];
    int n;
} zq_proxy_set;

/* "10.0.0.0/8", "fd00::/8", or a bare address (= /32, /128). Strict: no
 * spaces, no leading zeros in the prefix, no bits set past the prefix.
 * -1 with the reason (English, for the operator) in err. */
int zq_cidr_parse(const char *s, zq_cidr *out, char *err, size_t errlen);
/* Adds every CIDR of a comma- and/or space-separated list; -1 + err on the
 * first bad one (the set keeps what came before it). */
int zq_proxy_add_list(zq_proxy_set *set, const char *list, char *err, size_t errlen);
/* Whether the address literal ip lies inside one of the CIDRs (an
 * IPv4-mapped IPv6 address counts as its IPv4 address). */
bool zq_proxy_trusts(const zq_proxy_set *set, const char *ip);
/* The canonical text of an IP literal (IPv4-mapped IPv6 as IPv4) into out;
 * false when s is not exactly an address. */
bool zq_ip_canonical(const char *s, size_t n, char out[ZQ_IP_TEXT_MAX]);

/* The client's address for a request whose socket peer is peer, headers
 * lower-cased as in zq_req: the peer itself unless it is trusted; then a
 * single X-Real-IP that is not a proxy itself, else the right-most
 * X-Forwarded-For entry that is not a trusted proxy. A forwarded value that
 * is not an IP literal is ignored (the peer stands). Arena string. */
const char *zq_proxy_client(const zq_proxy_set *set, zq_arena *a, const char *peer, const zq_kvs *headers);

#endif
