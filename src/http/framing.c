/*
 * framing.c — the framing refusals (see framing.h), in the order a reader
 * of RFC 9112 would check them: size, line structure, request target,
 * field syntax, then the fields that decide where the message ends.
 */
#include "http/framing.h"
#include <string.h>
#include <strings.h>

/* RFC 9110 §5.6.2 tchar */
static bool is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool name_ok(const zq_wire_header *h)
{
    if (h->name_len == 0) return false;
    for (size_t i = 0; i < h->name_len; i++)
        if (!is_tchar((unsigned char)h->name[i])) return false;
    return true;
}

/* field-value: VCHAR, SP, HTAB and obs-text; never CR, LF, NUL or DEL */
static bool value_ok(const zq_wire_header *h)
{
    for (size_t i = 0; i < h->value_len; i++) {
        unsigned char c = (unsigned char)h->value[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    }
    return true;
}

static bool named(const zq_wire_header *h, const char *lower)
{
    return h->name_len == strlen(lower) && strncasecmp(h->name, lower, h->name_len) == 0;
}

static bool digits_only(const zq_wire_header *h)
{
    if (h->value_len == 0) return false;
    for (size_t i = 0; i < h->value_len; i++)
        if (h->value[i] < '0' || h->value[i] > '9') return false;
    return true;
}

static zq_err bad(const char **message, const char *why)
{
    *message = why;
    return ZQ_E_BAD_REQUEST;
}

zq_err zq_framing_check(const zq_wire_req *w, const char **message)
{
    *message = NULL;
    if (w->header_bytes > ZQ_HEADER_BYTES_MAX || w->n_headers > ZQ_HEADER_COUNT_MAX) {
        *message = "请求头过大，请清除本站 Cookie 后重试";
        return ZQ_E_HEADERS_TOO_LARGE;
    }
    switch (w->fault) {
    case ZQ_WIRE_OK: break;
    case ZQ_WIRE_BARE_LF: return bad(message, "请求格式不正确：每一行必须以 CRLF 结尾");
    case ZQ_WIRE_NUL: return bad(message, "请求格式不正确：请求行或请求头中含有空字符");
    case ZQ_WIRE_FOLD: return bad(message, "请求格式不正确：请求头不能折行");
    case ZQ_WIRE_LAYOUT: return bad(message, "请求行格式不正确");
    }
    for (size_t i = 0; i < w->target_len; i++) {
        unsigned char c = (unsigned char)w->target[i];
        if (c <= 0x20 || c == 0x7f) return bad(message, "请求地址包含非法字符");
    }
    /* decoded, a NUL would cut the path short in any C string after us */
    if (memmem(w->target, w->target_len, "%00", 3)) return bad(message, "请求地址包含空字符");
    bool http11 = strcmp(w->version, "HTTP/1.1") == 0;
    int host = 0, length = 0, coding = 0;
    const zq_wire_header *te = NULL;
    for (int i = 0; i < w->n_headers; i++) {
        const zq_wire_header *h = &w->headers[i];
        if (!name_ok(h)) return bad(message, "请求头名称包含非法字符");
        if (!value_ok(h)) return bad(message, "请求头的值包含控制字符");
        if (named(h, "host")) host++;
        if (named(h, "content-length")) {
            if (!digits_only(h)) return bad(message, "Content-Length 格式不正确");
            length++;
        }
        if (named(h, "transfer-encoding")) {
            te = h;
            coding++;
        }
    }
    if (host > 1) return bad(message, "请求中有多个 Host 头");
    if (host == 0 && http11) return bad(message, "HTTP/1.1 请求缺少 Host 头");
    if (length > 1) return bad(message, "请求中有多个 Content-Length 头");
    if (coding) {
        /* §6.1: TE on HTTP/1.0 is faulty framing; with Content-Length the
         * two lengths could be read differently by a proxy and by us */
        if (!http11) return bad(message, "HTTP/1.0 请求不能使用 Transfer-Encoding");
        if (length) return bad(message, "请求不能同时带有 Content-Length 和 Transfer-Encoding");
        if (coding > 1 || te->value_len != 7 || strncasecmp(te->value, "chunked", 7) != 0)
            return bad(message, "只支持 Transfer-Encoding: chunked");
    }
    return ZQ_OK;
}
