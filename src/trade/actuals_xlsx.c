/*
 * actuals_xlsx.c — the first worksheet of an .xlsx file as rows of cells,
 * for the actuals import. The archive is opened in memory with libzip; the
 * two XML parts needed (xl/sharedStrings.xml, xl/worksheets/sheet1.xml)
 * are scanned directly: cells are <c r="B2" t="s|str|inlineStr|n"> with a
 * <v> or <is><t>, strings <si> with one or more <t>. Nothing else of
 * SpreadsheetML matters for a five-column table.
 */
#include "trade/actuals_parse.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define PART_MAX (64u << 20)   /* an uncompressed part larger than this is refused */
#define VAL_MAX 256

static char *read_part(zip_t *z, const char *name, size_t *len)
{
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > PART_MAX) return NULL;
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) return NULL;
    char *buf = malloc(st.size + 1);
    zip_int64_t got = buf ? zip_fread(f, buf, st.size) : -1;
    zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return NULL;
    }
    buf[st.size] = 0;
    *len = st.size;
    return buf;
}

/* Appends the text between p and end to out (entities decoded), capped. */
static void text_append(char *out, size_t *n, const char *p, const char *end)
{
    static const struct { const char *ent; char ch; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    while (p < end && *n + 1 < VAL_MAX) {
        char ch = *p++;
        if (ch == '&')
            for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++)
                if (strncmp(p - 1, ents[k].ent, strlen(ents[k].ent)) == 0) {
                    ch = ents[k].ch;
                    p += strlen(ents[k].ent) - 1;
                    break;
                }
        out[(*n)++] = ch;
    }
    out[*n] = 0;
}

/* The text of every <t …>…</t> between p and end, concatenated. */
static void t_text(const char *p, const char *end, char *out)
{
    size_t n = 0;
    out[0] = 0;
    while ((p = strstr(p, "<t")) && p < end) {
        if (p[2] != '>' && p[2] != ' ') {
            p += 2;
            continue;
        }
        const char *gt = strchr(p, '>');
        if (!gt || gt >= end) break;
        if (gt[-1] == '/') {   /* <t/> */
            p = gt + 1;
            continue;
        }
        const char *close = strstr(gt, "</t>");
        if (!close || close > end) break;
        text_append(out, &n, gt + 1, close);
        p = close + 4;
    }
}

typedef struct { char **v; size_t n; } strings;

static int shared_strings(const char *xml, strings *ss)
{
    size_t cap = 0;
    ss->v = NULL;
    ss->n = 0;
    if (!xml) return 0;
    const char *p = xml;
    char buf[VAL_MAX];
    while ((p = strstr(p, "<si"))) {
        const char *end = strstr(p, "</si>");
        if (!end) {
            const char *gt = strchr(p, '>');   /* <si/> */
            if (!gt) break;
            end = gt;
        }
        t_text(p, end, buf);
        if (ss->n == cap) {
            char **grown = realloc(ss->v, (cap = cap ? cap * 2 : 256) * sizeof *grown);
            if (!grown) return -1;
            ss->v = grown;
        }
        if (!(ss->v[ss->n++] = strdup(buf))) return -1;
        p = end + 1;
    }
    return 0;
}

/* Column index of a cell reference "C12" (A = 0), -1 if not one. */
static int col_of(const char *r)
{
    int c = 0, k = 0;
    while (r[k] >= 'A' && r[k] <= 'Z') c = c * 26 + (r[k++] - 'A' + 1);
    return k ? c - 1 : -1;
}

/* The value of attribute name in the tag [p, gt), copied into out. */
static bool attr(const char *p, const char *gt, const char *name, char *out, size_t cap)
{
    char key[16];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(p, key);
    if (!a || a > gt) return false;
    a += strlen(key);
    const char *q = strchr(a, '"');
    if (!q || q > gt || (size_t)(q - a) >= cap) return false;
    memcpy(out, a, (size_t)(q - a));
    out[q - a] = 0;
    return true;
}

static int sheet_rows(const char *xml, const strings *ss, trade_row_fn fn, void *ctx)
{
    char cells[TRADE_CELLS][VAL_MAX];
    const char *p = xml;
    while ((p = strstr(p, "<row"))) {
        const char *rend = strstr(p, "</row>");
        const char *gt = strchr(p, '>');
        if (!gt) return -1;
        char rnum[16] = "0";
        attr(p, gt, "r", rnum, sizeof rnum);
        if (gt[-1] == '/' || !rend) {   /* <row …/> */
            p = gt + 1;
            continue;
        }
        trade_cells row = {.line = atoi(rnum)};
        for (int k = 0; k < TRADE_CELLS; k++) cells[k][0] = 0;
        const char *c = gt + 1;
        int next = 0;
        while ((c = strstr(c, "<c")) && c < rend) {
            const char *cgt = strchr(c, '>');
            if (!cgt || cgt > rend) return -1;
            char ref[16] = "", type[16] = "n";
            int col = attr(c, cgt, "r", ref, sizeof ref) ? col_of(ref) : next;
            attr(c, cgt, "t", type, sizeof type);
            next = col + 1;
            if (cgt[-1] == '/') {
                c = cgt + 1;
                continue;
            }
            const char *cend = strstr(cgt, "</c>");
            if (!cend || cend > rend) return -1;
            if (col >= 0 && col < TRADE_CELLS) {
                if (strcmp(type, "inlineStr") == 0) {
                    t_text(cgt, cend, cells[col]);
                } else {
                    const char *v = strstr(cgt, "<v>");
                    const char *vend = v ? strstr(v, "</v>") : NULL;
                    char raw[VAL_MAX] = "";
                    size_t n = 0;
                    if (v && vend && vend < cend) text_append(raw, &n, v + 3, vend);
                    if (strcmp(type, "s") == 0) {
                        long idx = strtol(raw, NULL, 10);
                        snprintf(cells[col], VAL_MAX, "%s", idx >= 0 && (size_t)idx < ss->n ? ss->v[idx] : "");
                    } else {
                        snprintf(cells[col], VAL_MAX, "%s", raw);
                    }
                }
            }
            c = cend + 4;
        }
        bool empty = true;
        for (int k = 0; k < TRADE_CELLS; k++) {
            row.cell[k] = cells[k];
            empty &= cells[k][0] == 0;
        }
        p = rend + 6;
        if (empty) continue;
        int rc = fn(ctx, &row);
        if (rc) return rc;
    }
    return 0;
}

int trade_xlsx_rows(const char *buf, size_t len, trade_row_fn fn, void *ctx)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(buf, len, 0, &err);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
    if (!z) {
        if (src) zip_source_free(src);
        zip_error_fini(&err);
        return -1;
    }
    size_t slen = 0, wlen = 0;
    char *sst = read_part(z, "xl/sharedStrings.xml", &slen);
    char *sheet = read_part(z, "xl/worksheets/sheet1.xml", &wlen);
    strings ss = {NULL, 0};
    int rc = -1;
    if (sheet && shared_strings(sst, &ss) == 0) rc = sheet_rows(sheet, &ss, fn, ctx);
    for (size_t i = 0; i < ss.n; i++) free(ss.v[i]);
    free(ss.v);
    free(sst);
    free(sheet);
    zip_close(z);
    zip_error_fini(&err);
    return rc;
}
