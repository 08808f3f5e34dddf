/*
 * zipper.h — a zip of stored blobs written to a file without holding the
 * archive or more than one chunk in memory (zipper.c, libzip).
 */
#ifndef ZQ_DECLARE_ZIPPER_H
#define ZQ_DECLARE_ZIPPER_H
#include <stdint.h>
#include "http/req.h"

typedef struct {
    const char *name;      /* path inside the archive, UTF-8 (cleaned by decl_zip_name) */
    const char *sha256;    /* file_blob */
    int64_t size;
} decl_zip_entry;

/* Called before each entry is read: (entries done so far). */
typedef void (*decl_zip_progress)(zq_req *q, int64_t done, void *ctx);

/* Writes the entries, stored uncompressed (the materials are PDFs, Office
 * files and images: compressed already), into a new zip at path. 0 or -1. */
int decl_zip_write(zq_req *q, const char *path, const decl_zip_entry *e, int n, decl_zip_progress cb, void *ctx);

/* One path component from a name people typed: no '/', '\\', control
 * characters or reserved punctuation, no leading dots, at most 80
 * characters, never empty (arena). So no archive path can climb out of
 * its folder. */
const char *decl_zip_name(zq_req *q, const char *name);

/* Sends the finished zip at path as the response (the file is unlinked
 * and streamed from its open descriptor). ZQ_OK or the error. */
zq_err decl_zip_send(zq_req *q, zq_resp *r, const char *path, const char *download_name);

#endif
