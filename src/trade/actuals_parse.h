/*
 * actuals_parse.h — reading the rows of an actuals file: CSV (UTF-8, an
 * optional BOM, quoted cells, CRLF or LF) and .xlsx (the first worksheet,
 * shared and inline strings). Both hand each row's first five cells to a
 * callback; the import (actuals.c) checks their meaning.
 */
#ifndef ZQ_TRADE_ACTUALS_PARSE_H
#define ZQ_TRADE_ACTUALS_PARSE_H
#include <stddef.h>

#define TRADE_CELLS 5
typedef struct {
    const char *cell[TRADE_CELLS];   /* "" when empty; valid during the callback */
    int line;                        /* 1-based row number in the file */
} trade_cells;
/* 0 to go on, non-zero to stop (returned by the parser). */
typedef int (*trade_row_fn)(void *ctx, const trade_cells *c);

/* 0 when the whole file was read, -1 when it is not a CSV/xlsx file we can
 * read, or the callback's non-zero value. */
int trade_csv_rows(const char *buf, size_t len, trade_row_fn fn, void *ctx);
int trade_xlsx_rows(const char *buf, size_t len, trade_row_fn fn, void *ctx);

#endif
