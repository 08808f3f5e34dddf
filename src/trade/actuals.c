/*
 * actuals.c — customs actuals imported by the bureau (manual 6 实际数据导入):
 *   POST /api/v1/admin/trade/actuals/import?dry_run=1   body: the .xlsx or .csv file   (trade.manage, city staff)
 *   GET  /api/v1/admin/trade/actuals/template           the CSV template
 * Columns: 海关代码, 年份, 月份, 方向 (出口/进口), 金额（万元）; a header row
 * is skipped. Every row is checked first (unknown customs code, bad year
 * or month, direction, negative or malformed amount, a repeat of an
 * earlier row) and classified insert / update / unchanged / refused; a dry
 * run stops there, a real one writes the good rows in one transaction and
 * answers the same report.
 */
#include "trade/trade.h"
#include "trade/trade_internal.h"
#include "trade/actuals_parse.h"
#include "audit/audit.h"
#include "core/money.h"
#include "core/text.h"
#include "http/scope.h"
#include <stdlib.h>
#include <string.h>

#define IMPORT_BODY_MAX (48u << 20)
#define IMPORT_ROWS_MAX 200000
#define LIST_MAX 1000

static const char SQL_FIRMS[] =
    "SELECT customs_code, id, region FROM enterprise WHERE status = 'approved' AND customs_code IS NOT NULL"
    " AND customs_code <> ''";
static const char SQL_EXISTING[] =
    "SELECT enterprise_id, direction, year, month, amount FROM trade_actual WHERE year >= $1 AND year <= $2";
static const char SQL_UPSERT[] =
    "INSERT INTO trade_actual(enterprise_id, year, month, direction, amount, imported_by, imported_at, region)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (enterprise_id, direction, year, month)"
    " DO UPDATE SET amount = $5, imported_by = $6, imported_at = $7, region = $8";

enum { A_INSERT, A_UPDATE, A_SAME, A_REFUSED };
static const char *const action_names[] = {"insert", "update", "unchanged", "refused"};

typedef struct {
    int line, year, month, action;
    char dir;                 /* 'e' | 'i' */
    const char *region;       /* the firm's, from the firm list */
    int64_t eid, amount;
    char code[12];
    const char *reason;
} in_row;

typedef struct { char code[12]; int64_t id; char region[13]; } firm;
typedef struct {
    in_row *rows;
    size_t n, cap;
    firm *firms;
    size_t nfirms;
    bool too_many;
} import_ctx;

static int firm_cmp(const void *a, const void *b)
{
    return strcmp(((const firm *)a)->code, ((const firm *)b)->code);
}

static bool is_year(const char *s, int64_t *y)
{
    return zq_parse_int64(s, 2000, 2100, y);
}

static int take_row(void *vctx, const trade_cells *c)
{
    import_ctx *x = vctx;
    int64_t y, m;
    if (x->n == 0 && c->line == 1 && !is_year(c->cell[1], &y)) return 0;   /* header */
    if (x->n >= IMPORT_ROWS_MAX) {
        x->too_many = true;
        return 1;
    }
    if (x->n == x->cap) {
        in_row *grown = realloc(x->rows, (x->cap = x->cap ? x->cap * 2 : 4096) * sizeof *grown);
        if (!grown) return -1;
        x->rows = grown;
    }
    in_row *r = &x->rows[x->n++];
    memset(r, 0, sizeof *r);
    r->line = c->line;
    snprintf(r->code, sizeof r->code, "%s", c->cell[0]);
    const char *d = c->cell[3];
    r->dir = strcmp(d, "出口") == 0 || strcmp(d, "export") == 0   ? 'e'
             : strcmp(d, "进口") == 0 || strcmp(d, "import") == 0 ? 'i'
                                                                  : 0;
    firm key;
    snprintf(key.code, sizeof key.code, "%s", c->cell[0]);
    const firm *f = x->nfirms && strlen(c->cell[0]) <= 10 ? bsearch(&key, x->firms, x->nfirms, sizeof *f, firm_cmp) : NULL;
    zq_money_rc mrc = ZQ_MONEY_FORMAT;
    if (!f) r->reason = "海关代码不存在或企业未通过审核";
    else if (!is_year(c->cell[1], &y)) r->reason = "年份不正确（2000–2100）";
    else if (!zq_parse_int64(c->cell[2], 1, 12, &m)) r->reason = "月份不正确（1–12）";
    else if (!r->dir) r->reason = "方向只能是出口或进口";
    else if ((mrc = zq_wan_to_yuan(c->cell[4], &r->amount)) != ZQ_MONEY_OK) r->reason = zq_money_message(mrc);
    else if (r->amount > TRADE_MAX_YUAN) r->reason = "金额不能超过100亿万元";
    if (r->reason) {
        r->action = A_REFUSED;
        return 0;
    }
    r->eid = f->id;
    r->region = f->region;
    r->year = (int)y;
    r->month = (int)m;
    return 0;
}

/* key order: firm, direction, year, month, then file order */
static int key_cmp(const void *a, const void *b)
{
    const in_row *p = *(in_row *const *)a, *q = *(in_row *const *)b;
    if (p->eid != q->eid) return (p->eid > q->eid) - (p->eid < q->eid);
    if (p->dir != q->dir) return p->dir - q->dir;
    if (p->year != q->year) return p->year - q->year;
    if (p->month != q->month) return p->month - q->month;
    return p->line - q->line;
}

typedef struct { int64_t eid, amount; char dir; int year, month; } existing;

static int ex_cmp(const void *a, const void *b)
{
    const existing *p = a, *q = b;
    if (p->eid != q->eid) return (p->eid > q->eid) - (p->eid < q->eid);
    if (p->dir != q->dir) return p->dir - q->dir;
    if (p->year != q->year) return p->year - q->year;
    return p->month - q->month;
}

static int load_firms(db_conn *c, import_ctx *x)
{
    db_stmt *s = db_prepare(c, SQL_FIRMS);
    if (!s) return DB_ERR;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (x->nfirms == cap) {
            firm *grown = realloc(x->firms, (cap = cap ? cap * 2 : 1024) * sizeof *grown);
            if (!grown) break;
            x->firms = grown;
        }
        snprintf(x->firms[x->nfirms].code, sizeof x->firms[0].code, "%s", db_col_text(s, 0));
        snprintf(x->firms[x->nfirms].region, sizeof x->firms[0].region, "%s", db_col_text(s, 2));
        x->firms[x->nfirms++].id = db_col_int64(s, 1);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return DB_ERR;
    if (x->nfirms) qsort(x->firms, x->nfirms, sizeof *x->firms, firm_cmp);
    return DB_OK;
}

/* Classifies the good rows against what is stored and against each other. */
static int classify(db_conn *c, import_ctx *x)
{
    int lo = 9999, hi = 0;
    size_t ngood = 0;
    for (size_t i = 0; i < x->n; i++)
        if (x->rows[i].action != A_REFUSED) {
            lo = x->rows[i].year < lo ? x->rows[i].year : lo;
            hi = x->rows[i].year > hi ? x->rows[i].year : hi;
            ngood++;
        }
    if (!ngood) return DB_OK;
    in_row **idx = malloc(ngood * sizeof *idx);
    if (!idx) return DB_ERR;
    size_t k = 0;
    for (size_t i = 0; i < x->n; i++)
        if (x->rows[i].action != A_REFUSED) idx[k++] = &x->rows[i];
    qsort(idx, ngood, sizeof *idx, key_cmp);
    existing *ex = NULL;
    size_t nex = 0, cap = 0;
    db_stmt *s = db_prepare(c, SQL_EXISTING);
    int rc = DB_ERR;
    if (!s) goto done;
    db_bind_int64(s, 1, lo);
    db_bind_int64(s, 2, hi);
    while ((rc = db_step(s)) == DB_ROW) {
        if (nex == cap) {
            existing *grown = realloc(ex, (cap = cap ? cap * 2 : 4096) * sizeof *grown);
            if (!grown) break;
            ex = grown;
        }
        const char *d = db_col_text(s, 1);
        ex[nex++] = (existing){db_col_int64(s, 0), db_col_int64(s, 4), d && d[0] == 'i' ? 'i' : 'e',
                               (int)db_col_int64(s, 2), (int)db_col_int64(s, 3)};
    }
    db_stmt_done(s);
    if (rc != DB_DONE) {
        rc = DB_ERR;
        goto done;
    }
    rc = DB_OK;
    if (nex) qsort(ex, nex, sizeof *ex, ex_cmp);
    for (size_t i = 0; i < ngood; i++) {
        in_row *r = idx[i];
        if (i > 0 && key_cmp(&idx[i - 1], &idx[i]) != 0 && idx[i - 1]->eid == r->eid && idx[i - 1]->dir == r->dir &&
            idx[i - 1]->year == r->year && idx[i - 1]->month == r->month) {
            r->action = A_REFUSED;
            r->reason = "与文件中前面的行重复（同一企业、年月、方向）";
            continue;
        }
        existing key = {r->eid, 0, r->dir, r->year, r->month};
        const existing *e = nex ? bsearch(&key, ex, nex, sizeof *ex, ex_cmp) : NULL;
        r->action = !e ? A_INSERT : e->amount == r->amount ? A_SAME : A_UPDATE;
    }
done:
    free(ex);
    free(idx);
    return rc;
}

static int write_rows(zq_req *q, import_ctx *x)
{
    for (size_t i = 0; i < x->n; i++) {
        const in_row *r = &x->rows[i];
        if (r->action != A_INSERT && r->action != A_UPDATE) continue;
        db_stmt *s = db_prepare(q->db, SQL_UPSERT);
        if (!s) return DB_ERR;
        db_bind_int64(s, 1, r->eid);
        db_bind_int64(s, 2, r->year);
        db_bind_int64(s, 3, r->month);
        db_bind_text(s, 4, r->dir == 'i' ? "import" : "export", -1);
        db_bind_int64(s, 5, r->amount);
        db_bind_int64(s, 6, q->session->staff_id);
        db_bind_int64(s, 7, q->now);
        db_bind_text(s, 8, r->region, -1);
        int rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    return DB_OK;
}

/* The one audit call of this file. */
static int audit(zq_req *q, const char *detail)
{
    audit_entry e = {.action = "trade.actuals_import", .object_type = "trade_actual", .detail = detail};
    return audit_emit(q, &e);
}

static void write_row(zq_jw *w, const in_row *r)
{
    char amt[40];
    zq_jw_obj(w);
    zq_jw_kint(w, "row", r->line);
    zq_jw_kstr(w, "customs_code", r->code);
    if (r->action != A_REFUSED) {
        zq_jw_kint(w, "year", r->year);
        zq_jw_kint(w, "month", r->month);
        zq_jw_kstr(w, "direction", r->dir == 'i' ? "import" : "export");
        snprintf(amt, sizeof amt, "%lld.%04lld", (long long)(r->amount / 10000), (long long)(r->amount % 10000));
        zq_jw_kstr(w, "amount", amt);
    }
    zq_jw_kstr(w, "action", action_names[r->action]);
    if (r->reason) zq_jw_kstr(w, "reason", r->reason);
    zq_jw_obj_end(w);
}

static zq_err import_actuals(zq_req *q, zq_resp *r)
{
    if (!zq_scope_citywide(q)) return zq_fail(r, ZQ_E_FORBIDDEN, "只有市级工作人员可以导入实际数据");
    const char *dry = zq_req_query(q, "dry_run");
    bool dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
    if (q->body_len == 0) return zq_fail(r, ZQ_E_BAD_REQUEST, "请上传 .xlsx 或 .csv 文件");
    bool xlsx = q->body_len >= 4 && memcmp(q->body, "PK\x03\x04", 4) == 0;
    import_ctx x = {0};
    zq_err out = ZQ_OK;
    if (load_firms(q->db, &x) != DB_OK) {
        out = trade_db_fail(q, r);
        goto done;
    }
    int prc = xlsx ? trade_xlsx_rows(q->body, q->body_len, take_row, &x)
                   : (zq_utf8_valid(q->body, q->body_len) ? trade_csv_rows(q->body, q->body_len, take_row, &x) : -1);
    if (x.too_many) {
        out = zq_fail(r, ZQ_E_TOO_LARGE, "一次最多导入200000行");
        goto done;
    }
    if (prc != 0) {
        zq_fail_field(q, r, "file", "无法读取文件，请使用下载的模板（.xlsx 或 UTF-8 编码的 .csv）");
        out = r->err;
        goto done;
    }
    if (x.n == 0) {
        zq_fail_field(q, r, "file", "文件中没有数据行");
        out = r->err;
        goto done;
    }
    if (!dry_run && db_begin(q->db, true) != DB_OK) {
        out = trade_db_fail(q, r);
        goto done;
    }
    if (classify(q->db, &x) != DB_OK) {
        out = trade_db_fail(q, r);
        goto done;
    }
    int64_t count[4] = {0};
    for (size_t i = 0; i < x.n; i++) count[x.rows[i].action]++;
    if (dry_run) audit_none(q); /* a dry run writes nothing, so it records nothing */
    if (!dry_run) {
        const char *detail = zq_arena_printf(
            q->arena, "{\"rows\":%zu,\"inserted\":%lld,\"updated\":%lld,\"unchanged\":%lld,\"refused\":%lld}", x.n,
            (long long)count[A_INSERT], (long long)count[A_UPDATE], (long long)count[A_SAME],
            (long long)count[A_REFUSED]);
        if (write_rows(q, &x) != DB_OK || trade_rev_bump(q->db) != DB_OK || audit(q, detail) != 0 ||
            db_commit(q->db) != DB_OK) {
            out = trade_db_fail(q, r);
            goto done;
        }
    }
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "dry_run", dry_run);
    zq_jw_kint(&w, "rows", (int64_t)x.n);
    zq_jw_kint(&w, "inserted", count[A_INSERT]);
    zq_jw_kint(&w, "updated", count[A_UPDATE]);
    zq_jw_kint(&w, "unchanged", count[A_SAME]);
    zq_jw_kint(&w, "refused", count[A_REFUSED]);
    zq_jw_key(&w, "refusals");
    zq_jw_arr(&w);
    for (size_t i = 0, k = 0; i < x.n && k < LIST_MAX; i++)
        if (x.rows[i].action == A_REFUSED) {
            write_row(&w, &x.rows[i]);
            k++;
        }
    zq_jw_arr_end(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (size_t i = 0; i < x.n && i < LIST_MAX; i++) write_row(&w, &x.rows[i]);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
done:
    free(x.rows);
    free(x.firms);
    return out;
}

static zq_err actuals_template(zq_req *q, zq_resp *r)
{
    static const char csv[] = "\xEF\xBB\xBF"
                              "海关代码,年份,月份,方向,金额（万元）\r\n"
                              "3501230001,2026,11,出口,1234.5678\r\n";
    r->status = 200;
    r->content_type = "text/csv; charset=utf-8";
    zq_resp_header(q->arena, r, "Content-Disposition",
                   "attachment; filename=\"trade-actuals-template.csv\"; filename*=UTF-8''%E5%AE%9E%E9%99%85%E6%95%B0%E6%8D%AE%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.csv");
    zq_buf_append(&r->body, csv, sizeof csv - 1);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/admin/trade/actuals/import", import_actuals, ZQ_ACCESS_STAFF, "trade.manage",
     ZQ_RF_SCOPED | ZQ_RF_HEAVY, IMPORT_BODY_MAX, "trade.actuals_import"},
    {ZQ_GET, "/api/v1/admin/trade/actuals/template", actuals_template, ZQ_ACCESS_STAFF, "trade.manage",
     ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group trade_actuals_routes = {routes, sizeof routes / sizeof routes[0]};
