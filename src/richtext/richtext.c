/*
 * richtext.c — the HTML sanitizer (see richtext.h): libxml2's HTML parser
 * builds the tree, and a walk writes back only what the allow-list names.
 */
#include "richtext/richtext.h"
#include "core/buf.h"
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#define RT_MAX_DEPTH 64          /* deeper nesting is flattened: its text stays */
#define RT_OUT_MAX (4u << 20)    /* escaping and forced rel= can grow the HTML a little */
#define RT_URL_MAX 2048

/* Elements kept as they are; h1/h5/h6 are renamed to the nearest kept heading. */
static const char *const keep_tags[] = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "strong", "b", "em", "i", "u", "blockquote", "a", "img", NULL,
};
/* Elements removed with everything inside them: code, styling, embedded
 * documents, foreign content (svg/math carry scripts and event handlers)
 * and form controls. */
static const char *const drop_tags[] = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "template", "noscript", "noembed", "noframes", "textarea", "select", "button", "input", "form",
    "head", "title", "meta", "link", "base", "xml", "video", "audio", "canvas", "source", "track",
    "param", "portal", "plaintext", "xmp", NULL,
};
/* Elements after which the plain text needs a break (block level). */
static const char *const block_tags[] = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "div", "blockquote", "table", NULL,
};

static bool in_list(const char *const *l, const char *name)
{
    for (; *l; l++)
        if (strcasecmp(*l, name) == 0) return true;
    return false;
}

static pthread_once_t rt_once = PTHREAD_ONCE_INIT;
static void rt_init(void) { xmlInitParser(); }

typedef struct {
    zq_buf html, text;
    bool text_space;   /* the text ends in a separator already */
} rt_ctx;

static void put_escaped(zq_buf *b, const char *s, bool attr)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&': zq_buf_puts(b, "&amp;"); break;
        case '<': zq_buf_puts(b, "&lt;"); break;
        case '>': zq_buf_puts(b, "&gt;"); break;
        case '"': zq_buf_puts(b, attr ? "&quot;" : "\""); break;
        case '\'': zq_buf_puts(b, attr ? "&#39;" : "'"); break;
        default: zq_buf_putc(b, *p);
        }
    }
}

/* Visible text, runs of white space collapsed to one space. */
static void put_text(rt_ctx *c, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f';
        if (sp) {
            if (!c->text_space && c->text.len) zq_buf_putc(&c->text, ' ');
            c->text_space = true;
        } else {
            zq_buf_putc(&c->text, (char)*p);
            c->text_space = false;
        }
    }
}

static void text_break(rt_ctx *c)
{
    if (!c->text_space && c->text.len) zq_buf_putc(&c->text, ' ');
    c->text_space = true;
}

/* url without the characters a browser drops from it (ASCII white space
 * and controls, anywhere), into out; false if too long. */
static bool url_clean(const char *url, char *out, size_t cap)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f) continue;
        if (o + 1 >= cap) return false;
        out[o++] = (char)*p;
    }
    out[o] = '\0';
    return true;
}

int richtext_link_ok(const char *url)
{
    char u[RT_URL_MAX];
    if (!url || !url_clean(url, u, sizeof u)) return 0;
    return (strncasecmp(u, "http://", 7) == 0 && u[7]) || (strncasecmp(u, "https://", 8) == 0 && u[8]);
}

/* Images only from this platform's own files: /api/v1/files/<id>. */
static bool img_src_ok(const char *src)
{
    static const char prefix[] = "/api/v1/files/";
    if (strncmp(src, prefix, sizeof prefix - 1) != 0) return false;
    const char *d = src + sizeof prefix - 1;
    if (!*d || strlen(d) > 18) return false;
    for (; *d; d++)
        if (*d < '0' || *d > '9') return false;
    return true;
}

static const char *attr_of(xmlNode *n, const char *name, xmlChar **hold)
{
    *hold = xmlGetProp(n, (const xmlChar *)name);
    return (const char *)*hold;
}

static bool span_ok(const char *v)
{
    if (!v || !*v || strlen(v) > 2) return false;
    for (const char *p = v; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return v[0] != '0';
}

/* The start tag of a kept element with its allowed attributes; false when
 * the element must be unwrapped instead (a link or image failing its URL
 * rule). */
static bool open_tag(rt_ctx *c, xmlNode *n, const char *tag)
{
    xmlChar *h1 = NULL, *h2 = NULL;
    bool ok = true;
    if (strcmp(tag, "a") == 0) {
        const char *href = attr_of(n, "href", &h1), *target = attr_of(n, "target", &h2);
        char u[RT_URL_MAX];
        if (!href || !richtext_link_ok(href) || !url_clean(href, u, sizeof u)) {
            ok = false;
            goto out;
        }
        zq_buf_puts(&c->html, "<a href=\"");
        put_escaped(&c->html, u, true);
        zq_buf_putc(&c->html, '"');
        if (target && strcmp(target, "_blank") == 0) zq_buf_puts(&c->html, " target=\"_blank\"");
        zq_buf_puts(&c->html, " rel=\"noopener noreferrer\">");
    } else if (strcmp(tag, "img") == 0) {
        const char *src = attr_of(n, "src", &h1), *alt = attr_of(n, "alt", &h2);
        if (!src || !img_src_ok(src)) {
            ok = false;
            goto out;
        }
        zq_buf_puts(&c->html, "<img src=\"");
        put_escaped(&c->html, src, true);
        zq_buf_putc(&c->html, '"');
        if (alt && strlen(alt) <= 200) {
            zq_buf_puts(&c->html, " alt=\"");
            put_escaped(&c->html, alt, true);
            zq_buf_putc(&c->html, '"');
        }
        zq_buf_putc(&c->html, '>');
    } else if (strcmp(tag, "td") == 0 || strcmp(tag, "th") == 0) {
        const char *cs = attr_of(n, "colspan", &h1), *rs = attr_of(n, "rowspan", &h2);
        zq_buf_printf(&c->html, "<%s", tag);
        if (span_ok(cs)) zq_buf_printf(&c->html, " colspan=\"%s\"", cs);
        if (span_ok(rs)) zq_buf_printf(&c->html, " rowspan=\"%s\"", rs);
        zq_buf_putc(&c->html, '>');
    } else {
        zq_buf_printf(&c->html, "<%s>", tag);
    }
out:
    xmlFree(h1);
    xmlFree(h2);
    return ok;
}

static const char *kept_name(const char *name)
{
    if (strcasecmp(name, "h1") == 0) return "h2";
    if (strcasecmp(name, "h5") == 0 || strcasecmp(name, "h6") == 0) return "h4";
    for (const char *const *l = keep_tags; *l; l++)
        if (strcasecmp(*l, name) == 0) return *l;
    return NULL;
}

static void walk(rt_ctx *c, xmlNode *n, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE) {
            if (n->content) {
                put_escaped(&c->html, (const char *)n->content, false);
                put_text(c, (const char *)n->content);
            }
            continue;
        }
        /* comments, CDATA, processing instructions, DTDs: never copied */
        if (n->type != XML_ELEMENT_NODE || !n->name) continue;
        const char *name = (const char *)n->name;
        if (in_list(drop_tags, name)) continue;
        const char *tag = depth < RT_MAX_DEPTH ? kept_name(name) : NULL;
        bool block = in_list(block_tags, name);
        if (block) text_break(c);
        bool opened = tag && open_tag(c, n, tag);
        bool is_void = tag && (strcmp(tag, "br") == 0 || strcmp(tag, "img") == 0);
        if (!is_void) walk(c, n->children, depth + 1);
        if (opened && !is_void) zq_buf_printf(&c->html, "</%s>", tag);
        if (block) text_break(c);
    }
}

static xmlNode *find_body(xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && n->name && strcasecmp((const char *)n->name, "body") == 0) return n;
        xmlNode *b = find_body(n->children);
        if (b) return b;
    }
    return NULL;
}

int richtext_clean(zq_arena *a, const char *in, size_t n, richtext_out *out)
{
    int rc = -1;
    htmlDocPtr doc = NULL;
    rt_ctx c;
    zq_buf_init(&c.html, RT_OUT_MAX);
    zq_buf_init(&c.text, RT_OUT_MAX);
    c.text_space = true;
    out->html = out->text = NULL;
    if (n > RICHTEXT_MAX_IN) goto done;
    if (n == 0) {
        out->html = out->text = "";
        return 0;
    }
    pthread_once(&rt_once, rt_init);
    /* NONET: no fetches; NOIMPLIED is not set, so a fragment gets its
     * html/body and the walk starts at body like a browser's innerHTML */
    doc = htmlReadMemory(in, (int)n, NULL, "UTF-8",
                         HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER);
    if (doc) {
        xmlNode *body = find_body(xmlDocGetRootElement(doc));
        if (body) walk(&c, body->children, 0);
    } /* a document of nothing but markup the parser drops: empty */
    if (c.html.overflow || c.text.overflow) goto done;
    /* the text's trailing separator */
    while (c.text.len && c.text.data[c.text.len - 1] == ' ') c.text.len--;
    out->html = zq_arena_strndup(a, c.html.data ? c.html.data : "", c.html.len);
    out->text = zq_arena_strndup(a, c.text.data ? c.text.data : "", c.text.len);
    rc = out->html && out->text ? 0 : -1;
done:
    if (doc) xmlFreeDoc(doc);
    zq_buf_free(&c.html);
    zq_buf_free(&c.text);
    return rc;
}
