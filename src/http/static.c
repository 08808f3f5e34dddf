/*
 * static.c — static file serving for the web UI (see static.h).
 *
 * Containment: the decoded path is refused if any segment is "." or "..",
 * starts with a dot, or holds a backslash; then the file is opened and its
 * realpath must still lie under the root's realpath, which defeats symlinks
 * pointing out of the tree.
 */
#include "http/static.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct zq_static {
    char root[PATH_MAX];
    size_t rootlen;
};

zq_static *zq_static_open(const char *dir, char *err, size_t errlen)
{
    zq_static *s = calloc(1, sizeof *s);
    char idx[PATH_MAX + 16];
    struct stat st;
    if (!s) goto fail;
    if (!realpath(dir, s->root)) {
        snprintf(err, errlen, "web directory %s: %s", dir, strerror(errno));
        goto fail;
    }
    s->rootlen = strlen(s->root);
    snprintf(idx, sizeof idx, "%s/index.html", s->root);
    if (stat(idx, &st) != 0) {
        snprintf(err, errlen, "web directory %s has no index.html (run: make web)", dir);
        goto fail;
    }
    return s;
fail:
    free(s);
    return NULL;
}

void zq_static_free(zq_static *s)
{
    free(s);
}

static const struct {
    const char *ext, *type;
} mime[] = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"},
    {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
    {".gif", "image/gif"}, {".webp", "image/webp"}, {".ico", "image/x-icon"},
    {".woff", "font/woff"}, {".woff2", "font/woff2"}, {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"}, {".map", "application/json; charset=utf-8"},
    {".webmanifest", "application/manifest+json"}, {".wasm", "application/wasm"},
};

const char *zq_mime_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof mime / sizeof mime[0]; i++)
            if (strcasecmp(dot, mime[i].ext) == 0) return mime[i].type;
    return "application/octet-stream";
}

/* Every segment must be a plain name: no "", ".", "..", leading dot, backslash. */
static int path_is_clean(const char *p)
{
    if (strchr(p, '\\')) return 0;
    for (const char *s = p; *s;) {
        while (*s == '/') s++;
        if (!*s) break;
        if (*s == '.') return 0;
        while (*s && *s != '/') s++;
    }
    return 1;
}

static int open_under_root(const zq_static *s, const char *rel, struct stat *st)
{
    char full[PATH_MAX], real[PATH_MAX];
    int n = snprintf(full, sizeof full, "%s/%s", s->root, rel);
    if (n < 0 || (size_t)n >= sizeof full) return -1;
    if (!realpath(full, real)) return -1;
    if (strncmp(real, s->root, s->rootlen) != 0 || real[s->rootlen] != '/') return -1;
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

zq_err zq_static_serve(const zq_static *s, zq_req *q, zq_resp *r)
{
    const char *rel = q->path + 1;
    struct stat st;
    int fd = -1;
    bool is_asset = strncmp(rel, "assets/", 7) == 0;

    if (!path_is_clean(q->path)) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (*rel) fd = open_under_root(s, rel, &st);
    if (fd < 0) {
        /* SPA: unknown non-asset paths get the app shell; missing assets are real 404s */
        const char *last = strrchr(q->path, '/');
        if (is_asset || (last && strchr(last, '.') && !strstr(last, ".html")))
            return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
        rel = "index.html";
        fd = open_under_root(s, rel, &st);
        if (fd < 0) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    }

    char *etag = zq_arena_printf(q->arena, "\"%llx-%llx\"", (unsigned long long)st.st_size,
                                 (unsigned long long)st.st_mtim.tv_sec * 1000000000ull + (unsigned long long)st.st_mtim.tv_nsec);
    bool html = strstr(rel, ".html") != NULL;
    zq_resp_header(q->arena, r, "ETag", etag);
    zq_resp_header(q->arena, r, "Cache-Control",
                   is_asset && !html ? "public, max-age=31536000, immutable" : "no-cache");
    const char *inm = zq_req_header(q, "if-none-match");
    if (inm && (strcmp(inm, etag) == 0 || strstr(inm, etag))) {
        close(fd);
        r->status = 304;
        return ZQ_OK;
    }
    r->status = 200;
    r->content_type = zq_mime_type(rel);
    r->file_fd = fd;
    r->file_size = (uint64_t)st.st_size;
    return ZQ_OK;
}
