/*
 * qr.h — QR codes for invite links, encoded by libqrencode and rendered
 * here: SVG as one path of horizontal runs, PNG by a minimal encoder
 * (1-bit greyscale, one zlib-compressed IDAT). Both keep the 4-module quiet
 * zone the standard asks for.
 */
#ifndef ZQ_INVITE_QR_H
#define ZQ_INVITE_QR_H
#include "core/buf.h"

#define INVITE_QR_PNG_SCALE 8   /* pixels per module */

/* Appends an SVG document of the QR code of text (error correction M) to
 * out. Returns 0, or -1 when the text cannot be encoded (too long, out of
 * memory) or out refused the bytes. */
int invite_qr_svg(const char *text, zq_buf *out);

/* Appends a PNG image of the QR code of text, `scale` pixels per module
 * (1..32), to out. Returns 0 or -1 as above. */
int invite_qr_png(const char *text, int scale, zq_buf *out);

#endif
