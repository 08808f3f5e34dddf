/*
 * proxy.c — trusted-proxy CIDRs and the forwarded client address (see
 * proxy.h). Parsing is strict because a typo here either trusts the world
 * (anyone can pick their own address, dodging every per-address limit) or
 * nobody (everybody shares the proxy's address and one attacker locks all
 * out); both should stop the server at start-up, not show up in production.
 */
#include "http/proxy.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define CIDR_TEXT_MAX 64
#define XFF_MAX_ENTRIES 32        /* a longer chain is not worth walking */

/* Address bytes of an IP literal; IPv4-mapped IPv6 becomes IPv4 so that a
 * dual-stack listener and an IPv4 CIDR agree. */
static bool ip_bytes(const char *s, unsigned char b[16], bool *v6)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (inet_pton(AF_INET, s, b) == 1) {
        *v6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, s, b) != 1) return false;
    if (memcmp(b, mapped, sizeof mapped) == 0) {
        memmove(b, b + 12, 4);
        *v6 = false;
    } else {
        *v6 = true;
    }
    return true;
}

static bool prefix_match(const unsigned char *a, const unsigned char *net, unsigned prefix)
{
    unsigned full = prefix / 8, rest = prefix % 8;
    if (memcmp(a, net, full) != 0) return false;
    if (!rest) return true;
    unsigned char mask = (unsigned char)(0xffu << (8 - rest));
    return (a[full] & mask) == (net[full] & mask);
}

int zq_cidr_parse(const char *s, zq_cidr *out, char *err, size_t errlen)
{
    char buf[CIDR_TEXT_MAX];
    size_t n = strlen(s);
    memset(out, 0, sizeof *out);
    if (n == 0 || n >= sizeof buf) {
        snprintf(err, errlen, "'%.*s': not an IP address or CIDR", CIDR_TEXT_MAX, s);
        return -1;
    }
    memcpy(buf, s, n + 1);
    char *slash = strchr(buf, '/');
    if (slash) *slash = '\0';
    unsigned char b[16] = {0};
    bool v6 = false;
    /* a mapped IPv6 network would silently become an IPv4 one: refuse it, the
     * operator writes the IPv4 form */
    if (strchr(buf, ':') && strchr(buf, '.')) {
        snprintf(err, errlen, "'%s': write IPv4 networks in dotted form (e.g. 10.0.0.0/8)", s);
        return -1;
    }
    if (!ip_bytes(buf, b, &v6)) {
        snprintf(err, errlen, "'%s': '%s' is not an IPv4 or IPv6 address", s, buf);
        return -1;
    }
    unsigned max = v6 ? 128 : 32, prefix = max;
    if (slash) {
        const char *p = slash + 1;
        size_t len = strlen(p);
        bool digits = len >= 1 && len <= 3 && !(len > 1 && p[0] == '0');
        for (size_t i = 0; digits && i < len; i++) digits = p[i] >= '0' && p[i] <= '9';
        prefix = 0;
        for (size_t i = 0; digits && i < len; i++) prefix = prefix * 10 + (unsigned)(p[i] - '0');
        if (!digits || prefix > max) {
            snprintf(err, errlen, "'%s': the prefix length must be 0..%u", s, max);
            return -1;
        }
    }
    unsigned char net[16] = {0};
    memcpy(net, b, prefix / 8);
    if (prefix % 8) net[prefix / 8] = (unsigned char)(b[prefix / 8] & (0xffu << (8 - prefix % 8)));
    if (memcmp(net, b, v6 ? 16 : 4) != 0) {
        char want[ZQ_IP_TEXT_MAX];
        inet_ntop(v6 ? AF_INET6 : AF_INET, net, want, sizeof want);
        snprintf(err, errlen, "'%s': the address has bits set past the /%u prefix (the network is %s/%u)", s,
                 prefix, want, prefix);
        return -1;
    }
    memcpy(out->addr, net, sizeof net);
    out->v6 = v6;
    out->prefix = (unsigned char)prefix;
    return 0;
}

int zq_proxy_add_list(zq_proxy_set *set, const char *list, char *err, size_t errlen)
{
    const char *p = list;
    for (;;) {
        while (*p == ',' || *p == ' ' || *p == '\t') p++;
        if (!*p) return 0;
        size_t len = strcspn(p, ", \t");
        char tok[CIDR_TEXT_MAX + 1];
        if (len > CIDR_TEXT_MAX) {
            snprintf(err, errlen, "'%.*s…': not an IP address or CIDR", 20, p);
            return -1;
        }
        memcpy(tok, p, len);
        tok[len] = '\0';
        if (set->n >= ZQ_PROXY_MAX) {
            snprintf(err, errlen, "more than %d trusted proxies", ZQ_PROXY_MAX);
            return -1;
        }
        if (zq_cidr_parse(tok, &set->items[set->n], err, errlen) != 0) return -1;
        set->n++;
        p += len;
    }
}

bool zq_proxy_trusts(const zq_proxy_set *set, const char *ip)
{
    unsigned char b[16] = {0};
    bool v6;
    if (!set || !ip || !ip_bytes(ip, b, &v6)) return false;
    for (int i = 0; i < set->n; i++) {
        const zq_cidr *c = &set->items[i];
        if (c->v6 == v6 && prefix_match(b, c->addr, c->prefix)) return true;
    }
    return false;
}

bool zq_ip_canonical(const char *s, size_t n, char out[ZQ_IP_TEXT_MAX])
{
    char buf[ZQ_IP_TEXT_MAX];
    unsigned char b[16];
    bool v6;
    if (n == 0 || n >= sizeof buf || memchr(s, '\0', n)) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (!ip_bytes(buf, b, &v6)) return false;
    return inet_ntop(v6 ? AF_INET6 : AF_INET, b, out, ZQ_IP_TEXT_MAX) != NULL;
}

static bool ows(char c)
{
    return c == ' ' || c == '\t';
}

/* One list element [s, e) trimmed of optional whitespace. */
static void trim(const char **s, const char **e)
{
    while (*s < *e && ows(**s)) (*s)++;
    while (*e > *s && ows((*e)[-1])) (*e)--;
}

/* Walks the X-Forwarded-For elements right to left (the last header line
 * first): proxies append, so everything left of the first untrusted entry
 * was written by whoever that entry is and proves nothing. 1 = found (out
 * set), 0 = no entries, -1 = an entry that is not an address. */
static int xff_client(const zq_proxy_set *set, const zq_kvs *h, char out[ZQ_IP_TEXT_MAX])
{
    int seen = 0;
    for (int i = h->n - 1; i >= 0; i--) {
        if (strcmp(h->items[i].name, "x-forwarded-for") != 0) continue;
        const char *v = h->items[i].value, *end = v + strlen(v);
        for (;;) {
            const char *start = end;
            while (start > v && start[-1] != ',') start--;
            const char *s = start, *e = end;
            trim(&s, &e);
            if (s != e) { /* empty list elements are allowed (RFC 9110 §5.6.1) */
                if (++seen > XFF_MAX_ENTRIES || !zq_ip_canonical(s, (size_t)(e - s), out)) return -1;
                if (!zq_proxy_trusts(set, out)) return 1;
            }
            if (start == v) break;
            end = start - 1;
        }
    }
    /* every hop was a trusted proxy: the left-most is the best there is */
    return seen ? 1 : 0;
}

const char *zq_proxy_client(const zq_proxy_set *set, zq_arena *a, const char *peer, const zq_kvs *headers)
{
    if (!set || set->n == 0 || !peer || !zq_proxy_trusts(set, peer)) return peer;
    char real[ZQ_IP_TEXT_MAX], fwd[ZQ_IP_TEXT_MAX];
    const char *xri = NULL;
    int nxri = 0;
    for (int i = 0; i < headers->n; i++)
        if (strcmp(headers->items[i].name, "x-real-ip") == 0) {
            xri = headers->items[i].value;
            nxri++;
        }
    if (nxri > 1) return peer; /* a proxy sets exactly one: two mean someone else wrote one */
    if (xri) {
        const char *s = xri, *e = xri + strlen(xri);
        trim(&s, &e);
        if (!zq_ip_canonical(s, (size_t)(e - s), real)) return peer;
        /* set by a proxy further out (CDN → nginx): the chain tells more */
        if (!zq_proxy_trusts(set, real)) return zq_arena_strdup(a, real);
    }
    switch (xff_client(set, headers, fwd)) {
    case 1: return zq_arena_strdup(a, fwd);
    case 0: return xri ? zq_arena_strdup(a, real) : peer;
    default: return peer;
    }
}
