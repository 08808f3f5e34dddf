/*
 * actuals_csv.c — CSV rows for the actuals import (RFC 4180 quoting, an
 * optional UTF-8 BOM, CRLF or LF). Cells past the fifth are ignored.
 */
#include "trade/actuals_parse.h"
#include <stdbool.h>
#include <string.h>

#define CELL_MAX 256

int trade_csv_rows(const char *buf, size_t len, trade_row_fn fn, void *ctx)
{
    static const char bom[] = "\xEF\xBB\xBF";
    size_t i = len >= 3 && memcmp(buf, bom, 3) == 0 ? 3 : 0;
    char cells[TRADE_CELLS][CELL_MAX];
    int line = 0;
    while (i < len) {
        trade_cells row = {.line = ++line};
        int col = 0;
        size_t n = 0;
        bool quoted = false, at_start = true;
        for (int k = 0; k < TRADE_CELLS; k++) cells[k][0] = 0;
        for (; i < len; i++) {
            char ch = buf[i];
            if (quoted) {
                if (ch == '"' && i + 1 < len && buf[i + 1] == '"') i++;
                else if (ch == '"') {
                    quoted = false;
                    continue;
                }
            } else if (ch == '"' && at_start) {
                quoted = true;
                at_start = false;
                continue;
            } else if (ch == ',' || ch == '\n' || ch == '\r') {
                if (col < TRADE_CELLS) cells[col][n < CELL_MAX ? n : CELL_MAX - 1] = 0;
                col++;
                n = 0;
                at_start = true;
                if (ch == ',') continue;
                if (ch == '\r' && i + 1 < len && buf[i + 1] == '\n') i++;
                i++;
                break;
            }
            at_start = false;
            if (col < TRADE_CELLS && n + 1 < CELL_MAX) cells[col][n++] = ch;

        }
        if (quoted) return -1;
        if (i >= len && !at_start && col < TRADE_CELLS) cells[col][n < CELL_MAX ? n : CELL_MAX - 1] = 0;
        bool empty = true;
        for (int k = 0; k < TRADE_CELLS; k++) {
            row.cell[k] = cells[k];
            empty &= cells[k][0] == 0;
        }
        if (empty) continue;   /* blank lines */
        int rc = fn(ctx, &row);
        if (rc) return rc;
    }
    return 0;
}
