/*
 * fuzz_proxy.c — libFuzzer target for the trusted-proxy code: the
 * --trusted-proxy list parser and the forwarded client address read from
 * client-controlled X-Real-IP / X-Forwarded-For values.
 *
 * Input layout: CIDR list \n peer \n then header lines "name: value"
 * (names lower-cased as the pipeline does).
 * Invariants: an untrusted peer is always the answer for itself; any other
 * answer is an IP literal in canonical form.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "http/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zq_arena *a = zq_arena_new(1 << 20);
    const char *p = (const char *)data, *end = p + size;
    const char *list = fuzz_part(a, &p, end), *peer = fuzz_part(a, &p, end);
    zq_proxy_set set = {0};
    char err[256];
    if (zq_proxy_add_list(&set, list, err, sizeof err) != 0 && !err[0]) abort(); /* a refusal says why */
    zq_kvs h = {0};
    while (p < end && h.n < 64) {
        const char *line = fuzz_part(a, &p, end);
        const char *colon = strchr(line, ':');
        if (!colon) continue;
        zq_kvs_add(a, &h, zq_arena_strndup(a, line, (size_t)(colon - line)), colon + 1);
    }
    const char *ip = zq_proxy_client(&set, a, peer, &h);
    if (!zq_proxy_trusts(&set, peer) && ip != peer) abort();
    if (ip != peer) {
        char canon[ZQ_IP_TEXT_MAX];
        if (!zq_ip_canonical(ip, strlen(ip), canon) || strcmp(canon, ip) != 0) abort();
    }
    zq_arena_free(a);
    return 0;
}
