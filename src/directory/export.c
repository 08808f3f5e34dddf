/*
 * export.c — GET /api/v1/admin/enterprises/export?<the list's filters>
 * [&progress=<token>]: the filtered directory as an .xlsx attachment
 * (docs/profile.md, "Bureau directory").
 *
 * Memory stays flat however many rows match: libxlsxwriter runs in
 * constant-memory mode (each row goes to a temporary file as it is
 * written), rows are read in id-keyed batches (libpq would otherwise hold
 * the whole result), each batch lives in its own small arena, and the
 * finished file is sent from an unlinked temporary file by descriptor.
 */
#include "directory/directory.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "directory/export_progress.h"
#include "directory/export_sheet.h"
#include "directory/filter.h"
#include "http/input.h"
#include "upload/upload.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPORT_MAX_ROWS 200000
#define BATCH_ROWS 1000
#define BATCH_ARENA (4u << 20) /* a batch of 1000 rows needs well under 1 MiB */

#define EXPORT_COLUMNS                                                                                    \
    "SELECT e.id, e.name, e.uscc, rg.name, e.industry, ind.name, sc.name, tt.name, e.status,"            \
    " e.completeness, e.legal_rep_name, e.contact_name, e.contact_phone, e.registered_capital,"          \
    " e.founded_on, e.address, e.created_at"                                                             \
    " FROM enterprise e%s"                                                                               \
    " LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = e.region"                               \
    " LEFT JOIN dict_item ind ON ind.type = 'industry' AND ind.code = e.industry"                        \
    " LEFT JOIN dict_item sc ON sc.type = 'scale' AND sc.code = e.scale"                                 \
    " LEFT JOIN dict_item tt ON tt.type = 'trade_type' AND tt.code = e.trade_type"
static const char SQL_CHARS[] =
    "SELECT c.enterprise_id, d.name FROM enterprise_characteristic c"
    " JOIN dict_item d ON d.type = 'characteristic' AND d.code = c.code"
    " WHERE c.enterprise_id >= $1 AND c.enterprise_id <= $2 ORDER BY c.enterprise_id DESC, d.sort, d.code";

/* Query names kept in the audit record, so the log says what was exported. */
static const char *const FILTER_NAMES[] = {"region", "industry", "scale", "characteristic", "trade_type",
                                           "status", "completeness_min", "completeness_max", "q", NULL};

typedef struct {
    zq_req *q;
    const dir_filter *f;
    const char *sql_batch;
    int nparams;
    const char *token; /* NULL without progress */
    export_sheet *sheet;
    int64_t done;
} export_job;

/* Rows are in descending id order, so a binary search finds a firm's row. */
static export_row *find_row(export_row *rows, int n, int64_t id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (rows[mid].id == id) return &rows[mid];
        if (rows[mid].id > id) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

static int load_characteristics(db_conn *db, zq_arena *a, export_row *rows, int n)
{
    db_stmt *s = db_prepare(db, SQL_CHARS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, rows[n - 1].id);
    db_bind_int64(s, 2, rows[0].id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        export_row *row = find_row(rows, n, db_col_int64(s, 0));
        if (!row) continue; /* a firm in the id range the filter left out */
        const char *name = db_col_text(s, 1);
        row->characteristics =
            row->characteristics ? zq_arena_printf(a, "%s、%s", row->characteristics, name) : zq_arena_strdup(a, name);
        if (!row->characteristics) rc = DB_ERR;
        if (rc == DB_ERR) break;
    }
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* One batch of firms with ids below *cursor; *n = rows written (0 = end). */
static int export_batch(export_job *j, int64_t *cursor, int *n)
{
    *n = 0;
    zq_arena *a = zq_arena_new(BATCH_ARENA);
    export_row *rows = a ? zq_arena_alloc(a, sizeof *rows * BATCH_ROWS) : NULL;
    int rc = DB_ERR;
    if (!rows) goto fail;
    db_stmt *s = db_prepare(j->q->db, j->sql_batch);
    if (!s) goto fail;
    dir_filter_bind(s, j->f);
    db_bind_int64(s, j->nparams + 1, *cursor);
    db_bind_int64(s, j->nparams + 2, BATCH_ROWS);
    int count = 0;
    while (count < BATCH_ROWS && (rc = db_step(s)) == DB_ROW) {
        export_row *row = &rows[count++];
        row->id = db_col_int64(s, 0);
        for (int c = 0; c < EXPORT_TEXT_COLS; c++) row->text[c] = db_col_dup(a, s, c + 1);
        row->completeness = db_col_int64(s, 9);
        row->legal_rep_name = db_col_dup(a, s, 10);
        row->contact_name = db_col_dup(a, s, 11);
        row->contact_phone = db_col_dup(a, s, 12);
        row->has_capital = !db_col_is_null(s, 13);
        row->capital_yuan = row->has_capital ? db_col_int64(s, 13) : 0;
        row->founded_on = db_col_dup(a, s, 14);
        row->address = db_col_dup(a, s, 15);
        row->created_at = db_col_int64(s, 16);
    }
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) goto fail;
    if (count > 0 && (rc = load_characteristics(j->q->db, a, rows, count)) != DB_OK) goto fail;
    for (int i = 0; i < count; i++)
        if (export_sheet_row(j->sheet, &rows[i]) != 0) {
            rc = DB_ERR;
            goto fail;
        }
    if (count > 0) *cursor = rows[count - 1].id;
    *n = count;
    zq_arena_free(a);
    return DB_OK;
fail:
    zq_arena_free(a);
    return rc < 0 ? rc : DB_ERR;
}

static int run_batches(export_job *j)
{
    int64_t cursor = INT64_MAX;
    for (;;) {
        int n, rc = export_batch(j, &cursor, &n);
        if (rc != DB_OK) return rc;
        j->done += n;
        if (j->token && n > 0) export_progress_update(j->q->db, j->token, j->done, "running", j->q->now);
        if (n < BATCH_ROWS) return DB_OK;
    }
}

static const char *audit_detail(zq_req *q, int64_t rows)
{
    json_t *o = json_object();
    json_object_set_new(o, "rows", json_integer(rows));
    for (int i = 0; FILTER_NAMES[i]; i++) {
        const char *v = zq_req_query(q, FILTER_NAMES[i]);
        if (v && *v) json_object_set_new(o, FILTER_NAMES[i], json_string(v));
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    const char *out = s ? zq_arena_strdup(q->arena, s) : NULL;
    free(s);
    return out;
}

static int audit_export(zq_req *q, const dir_filter *f, int64_t rows)
{
    audit_entry e = {.action = "enterprise.export", .object_type = "enterprise", .detail = audit_detail(q, rows)};
    if (*f->scope) e.region = f->scope;
    return e.detail ? audit_record(q, &e) : -1;
}

/* 企业库导出-YYYYMMDD-HHMM.xlsx in Beijing time */
static const char *file_name(zq_req *q)
{
    time_t t = (time_t)(q->now + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    return zq_arena_printf(q->arena, "企业库导出-%04d%02d%02d-%02d%02d.xlsx", tm.tm_year + 1900, tm.tm_mon + 1,
                           tm.tm_mday, tm.tm_hour, tm.tm_min);
}

static zq_err export_get(zq_req *q, zq_resp *r)
{
    dir_filter f;
    dir_filter_read(q, r, &f);
    const char *token = zq_req_query(q, "progress");
    if (token && !export_token_ok(token))
        zq_fail_field(q, r, "progress", "进度标识须为 32 位字母或数字");
    if (r->err) return r->err;

    int n;
    const char *where = dir_filter_where(q->arena, &f, &n);
    if (!where) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    int64_t total = dir_filter_count(q, &f, where);
    if (total < 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (total > EXPORT_MAX_ROWS)
        return zq_fail(r, ZQ_E_UNPROCESSABLE,
                       zq_arena_printf(q->arena, "符合条件的企业共 %lld 家，超过单次导出上限 %d 家，请增加筛选条件后分批导出",
                                       (long long)total, EXPORT_MAX_ROWS));
    if (token) {
        int rc = export_progress_start(q->db, token, q->session->staff_id, total, q->now);
        if (rc == DB_ECONSTRAINT) return zq_fail(r, ZQ_E_CONFLICT, "导出进度标识已被使用，请重新导出");
        if (rc != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }

    export_job j = {.q = q, .f = &f, .nparams = n, .token = token};
    /* Each batch must walk the table in id order from the cursor and stop
     * after BATCH_ROWS matches. Without statistics SQLite prefers an index
     * of a filter column and then sorts every match, once per batch — the
     * export turns quadratic. NOT INDEXED keeps it on the rowid (which is
     * not an index, so the id range still seeks). PostgreSQL's planner,
     * with its statistics, walks the primary key backwards by itself. */
    const char *hint = db_conn_engine(q->db) == DB_SQLITE ? " NOT INDEXED" : "";
    j.sql_batch = zq_arena_printf(q->arena, EXPORT_COLUMNS "%s AND e.id < $%d ORDER BY e.id DESC LIMIT $%d", hint,
                                  where, n + 1, n + 2);
    char path[] = "/tmp/zq-export-XXXXXX";
    int fd = mkstemp(path);
    int out = -1;
    if (fd < 0 || !j.sql_batch) goto fail;
    close(fd);
    if (!(j.sheet = export_sheet_open(path, q, total))) goto fail;
    if (run_batches(&j) != DB_OK) goto fail;
    int rc_close = export_sheet_close(j.sheet);
    j.sheet = NULL;
    if (rc_close != 0) goto fail;
    uint64_t size = 0;
    fd = -1; /* upload_temp_take unlinks the path, done or not */
    if ((out = upload_temp_take(path, &size)) < 0) goto fail;
    if (audit_export(q, &f, j.done) != 0) goto fail;
    if (token) export_progress_update(q->db, token, j.done, "done", q->now);
    upload_send_fd(q, r, out, size, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file_name(q));
    return ZQ_OK;
fail:
    if (j.sheet) export_sheet_close(j.sheet);
    if (out >= 0) close(out);
    if (fd >= 0) unlink(path);
    if (token) export_progress_update(q->db, token, j.done, "failed", q->now);
    return zq_fail(r, ZQ_E_INTERNAL, "导出失败，请稍后重试");
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/enterprises/export", export_get, ZQ_ACCESS_STAFF, "enterprise.export", ZQ_RF_HEAVY | ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group export_routes = {routes, sizeof routes / sizeof routes[0]};
