/*
 * sniff.c — decides an upload's type from its bytes. libmagic names the
 * content; only allow-listed names pass. The extension is never enough on
 * its own: it only chooses between types the content already allows —
 * docx/xlsx versus plain zip (libmagic 5.44 calls a real .docx either
 * "application/zip" or the OOXML type depending on member order, so the
 * zip's members are checked with libzip), and .doc/.xls for the generic
 * Compound Document names.
 *
 * Cookies are opened per request rather than pooled: magic_load maps the
 * compiled database instead of parsing it, and measured 0.35 ms per
 * open+load+close here (libmagic 5.44, 8 MB magic.mgc) — noise next to
 * hashing and storing a file of up to 10 MiB — while a pool would add
 * shared mutable state to the app context for no visible gain. A magic_t
 * is never shared between threads this way.
 */
#include "upload/upload_internal.h"
#include <magic.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

static const char MIME_DOC[] = "application/msword";
static const char MIME_XLS[] = "application/vnd.ms-excel";
static const char MIME_DOCX[] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
static const char MIME_XLSX[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
static const char MIME_ZIP[] = "application/zip";

/* Types stored as libmagic names them. */
static const char *const DIRECT[] = {"application/pdf", "image/jpeg", "image/png", NULL};

static const char *extension(const char *name)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    return dot ? dot + 1 : "";
}

static bool has_member(zip_t *z, const char *member)
{
    return zip_name_locate(z, member, ZIP_FL_ENC_RAW) >= 0;
}

/* A zip whose members make it an Office Open XML document of the kind its
 * extension claims gets that type; any other readable zip is just a zip.
 * NULL when libzip cannot read it as a zip at all. */
static const char *zip_kind(const void *body, size_t len, const char *ext)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(body, len, 0, &err);
    const char *kind = NULL;
    if (!src) goto done;
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!z) {
        zip_source_free(src);
        goto done;
    }
    kind = MIME_ZIP;
    if (has_member(z, "[Content_Types].xml")) {
        if (strcasecmp(ext, "docx") == 0 && has_member(z, "word/document.xml")) kind = MIME_DOCX;
        else if (strcasecmp(ext, "xlsx") == 0 && has_member(z, "xl/workbook.xml")) kind = MIME_XLSX;
    }
    zip_discard(z); /* read-only: nothing to write back; also frees src */
done:
    zip_error_fini(&err);
    return kind;
}

static const char *classify(const char *magic, const void *body, size_t len, const char *ext)
{
    for (int i = 0; DIRECT[i]; i++)
        if (strcmp(magic, DIRECT[i]) == 0) return DIRECT[i];
    if (strcmp(magic, MIME_ZIP) == 0 || strcmp(magic, MIME_DOCX) == 0 || strcmp(magic, MIME_XLSX) == 0)
        return zip_kind(body, len, ext);
    if (strcmp(magic, MIME_DOC) == 0) return MIME_DOC;
    if (strcmp(magic, MIME_XLS) == 0) return MIME_XLS;
    /* libmagic's names for a Compound Document it cannot attribute further */
    if (strcmp(magic, "application/CDFV2") == 0 || strcmp(magic, "application/x-ole-storage") == 0) {
        if (strcasecmp(ext, "doc") == 0) return MIME_DOC;
        if (strcasecmp(ext, "xls") == 0) return MIME_XLS;
    }
    return NULL;
}

int up_sniff(const void *body, size_t len, const char *name, const char **mime)
{
    *mime = NULL;
    if (!body || len == 0) return 0;
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    if (!m) return -1;
    int rc = -1;
    if (magic_load(m, NULL) != 0) goto done;
    const char *magic = magic_buffer(m, body, len);
    if (!magic) goto done;
    *mime = classify(magic, body, len, extension(name));
    rc = 0;
done:
    magic_close(m);
    return rc;
}
