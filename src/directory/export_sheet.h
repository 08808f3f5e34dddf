/*
 * export_sheet.h — the directory export's workbook (libxlsxwriter in
 * constant-memory mode): a sheet 企业库 written row by row in order, and a
 * sheet 导出说明 saying who exported what, when, with which filters.
 */
#ifndef ZQ_DIRECTORY_EXPORT_SHEET_H
#define ZQ_DIRECTORY_EXPORT_SHEET_H

#include "http/req.h"
#include <stdbool.h>
#include <stdint.h>

/* name, uscc, region name, industry code, industry name, scale name, trade
 * type name, status code — in this order, NULL when empty */
#define EXPORT_TEXT_COLS 8

typedef struct {
    int64_t id;
    const char *text[EXPORT_TEXT_COLS];
    const char *characteristics; /* names joined with 、 */
    int64_t completeness;
    const char *legal_rep_name, *contact_name, *contact_phone;
    bool has_capital;
    int64_t capital_yuan;
    const char *founded_on, *address;
    int64_t created_at;
} export_row;

typedef struct export_sheet export_sheet;

/* Opens a workbook that will be written to path on close; `total` is the
 * number of rows expected, for the 导出说明 sheet. NULL on failure. */
export_sheet *export_sheet_open(const char *path, zq_req *q, int64_t total);
int export_sheet_row(export_sheet *s, const export_row *row);
/* Writes the file and frees s; 0 on success. */
int export_sheet_close(export_sheet *s);

#endif
