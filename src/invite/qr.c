/*
 * qr.c — renders invite QR codes as SVG and PNG (see qr.h).
 *
 * The PNG encoder writes exactly what a viewer needs: the signature, IHDR
 * (bit depth 1, colour type 0 = greyscale, no interlace), one IDAT holding
 * the zlib stream of the scanlines (each prefixed by filter byte 0) and
 * IEND, each chunk with its CRC-32.
 */
#include "invite/qr.h"
#include <qrencode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define QUIET 4            /* modules of white border on each side */
#define MAX_SCALE 32

static QRcode *encode(const char *text)
{
    if (!text || !*text) return NULL;
    return QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

static int dark(const QRcode *qr, int x, int y)
{
    return qr->data[y * qr->width + x] & 1;
}

int invite_qr_svg(const char *text, zq_buf *out)
{
    QRcode *qr = encode(text);
    if (!qr) return -1;
    int n = qr->width + 2 * QUIET;
    int rc = zq_buf_printf(out,
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                           " shape-rendering=\"crispEdges\">"
                           "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                           n, n, n * 8, n * 8, n, n);
    for (int y = 0; y < qr->width && rc == 0; y++) {
        for (int x = 0; x < qr->width && rc == 0;) {
            if (!dark(qr, x, y)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < qr->width && dark(qr, x + run, y)) run++;
            rc = zq_buf_printf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
            x += run;
        }
    }
    if (rc == 0) rc = zq_buf_puts(out, "\"/></svg>\n");
    QRcode_free(qr);
    return rc;
}

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static int png_chunk(zq_buf *out, const char type[4], const unsigned char *data, size_t len)
{
    unsigned char hdr[8], crc_be[4];
    if (len > 0x7fffffffu) return -1;
    be32(hdr, (uint32_t)len);
    memcpy(hdr + 4, type, 4);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, (const Bytef *)type, 4);
    if (len) crc = crc32(crc, data, (uInt)len);
    be32(crc_be, (uint32_t)crc);
    if (zq_buf_append(out, hdr, sizeof hdr) != 0) return -1;
    if (len && zq_buf_append(out, data, len) != 0) return -1;
    return zq_buf_append(out, crc_be, sizeof crc_be);
}

int invite_qr_png(const char *text, int scale, zq_buf *out)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char *raw = NULL, *z = NULL;
    int rc = -1;
    if (scale < 1 || scale > MAX_SCALE) return -1;
    QRcode *qr = encode(text);
    if (!qr) return -1;

    size_t px = (size_t)(qr->width + 2 * QUIET) * (size_t)scale;
    size_t stride = 1 + (px + 7) / 8;
    size_t raw_len = stride * px;
    raw = malloc(raw_len);
    if (!raw) goto fail;
    /* white everywhere (bit 1), then clear the bits of dark modules */
    for (size_t y = 0; y < px; y++) {
        unsigned char *row = raw + y * stride;
        row[0] = 0; /* filter: none */
        memset(row + 1, 0xff, stride - 1);
        size_t my = y / (size_t)scale;
        if (my < QUIET || my >= (size_t)qr->width + QUIET) continue;
        for (size_t x = 0; x < px; x++) {
            size_t mx = x / (size_t)scale;
            if (mx < QUIET || mx >= (size_t)qr->width + QUIET) continue;
            if (dark(qr, (int)(mx - QUIET), (int)(my - QUIET)))
                row[1 + x / 8] &= (unsigned char)~(0x80u >> (x % 8));
        }
    }
    uLongf z_len = compressBound((uLong)raw_len);
    z = malloc(z_len);
    if (!z || compress2(z, &z_len, raw, (uLong)raw_len, Z_BEST_COMPRESSION) != Z_OK) goto fail;

    unsigned char ihdr[13];
    be32(ihdr, (uint32_t)px);
    be32(ihdr + 4, (uint32_t)px);
    ihdr[8] = 1;  /* bit depth */
    ihdr[9] = 0;  /* greyscale */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* filter method 0 */
    ihdr[12] = 0; /* no interlace */
    if (zq_buf_append(out, sig, sizeof sig) != 0) goto fail;
    if (png_chunk(out, "IHDR", ihdr, sizeof ihdr) != 0) goto fail;
    if (png_chunk(out, "IDAT", z, z_len) != 0) goto fail;
    if (png_chunk(out, "IEND", NULL, 0) != 0) goto fail;
    rc = 0;
fail:
    free(z);
    free(raw);
    QRcode_free(qr);
    return rc;
}
