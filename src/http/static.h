/*
 * static.h — serves the built web UI from one directory: ETag/304,
 * immutable caching for hashed assets, index.html for SPA routes, and no
 * request path ever resolving outside the root (.., encoded dots, NUL,
 * symlinks).
 */
#ifndef ZQ_HTTP_STATIC_H
#define ZQ_HTTP_STATIC_H
#include "http/req.h"

typedef struct zq_static zq_static;

/* Opens the web root (must contain index.html). NULL + err on failure. */
zq_static *zq_static_open(const char *dir, char *err, size_t errlen);
void zq_static_free(zq_static *s);
/* Answers GET/HEAD for q->path (already percent-decoded). */
zq_err zq_static_serve(const zq_static *s, zq_req *q, zq_resp *r);
/* MIME type for a file name by its extension. */
const char *zq_mime_type(const char *name);

#endif
