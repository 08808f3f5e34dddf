/*
 * stats.c — the bureau's consultation statistics, in the caller's district
 * scope (permission consult.supervise):
 *   GET /api/v1/admin/consultations/stats?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=xlsx]
 * volume by category, unit, district and month; mean and 90th-percentile
 * hours to the first answer; overdue rate (answered after the deadline or
 * still open past it); satisfaction rate (满意 + 基本满意 of the rated).
 * One scan of the period's rows aggregated here, so both engines give the
 * same figures (no engine-specific date or percentile SQL). format=xlsx
 * answers the same tables as an Excel workbook.
 */
#include "consult/consult_internal.h"
#include "core/clock.h"
#include "dict/dict.h"
#include "http/scope.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define STATS_ROWS_MAX 200000   /* a period larger than this is refused, not truncated */
#define KEYS_MAX 256

static const char SQL_COUNT[] =
    "SELECT COUNT(*) FROM consultation c WHERE ($1 = '' OR c.region = $1) AND c.created_at >= $2 AND c.created_at < $3";
static const char SQL_ROWS[] =
    "SELECT c.category, c.unit_id, u.name, c.region, c.created_at, c.answered_at, c.due_at, c.status, c.rating"
    " FROM consultation c LEFT JOIN consult_unit u ON u.id = c.unit_id"
    " WHERE ($1 = '' OR c.region = $1) AND c.created_at >= $2 AND c.created_at < $3";

typedef struct {
    const char *key, *name;
    int64_t n;
} tally;

typedef struct {
    tally v[KEYS_MAX];
    int n;
} tallies;

typedef struct {
    tallies category, unit, district, month;
    int64_t total, answered, overdue, rated, satisfied;
    double mean_hours, p90_hours;
} stats;

static void count(zq_req *q, tallies *t, const char *key, const char *name)
{
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, key)) {
            t->v[i].n++;
            return;
        }
    if (t->n == KEYS_MAX) return;  /* more distinct keys than any dictionary holds */
    t->v[t->n++] = (tally){zq_arena_strdup(q->arena, key), name ? zq_arena_strdup(q->arena, name) : NULL, 1};
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int compute(zq_req *q, int64_t from, int64_t to, int64_t total, stats *st)
{
    memset(st, 0, sizeof *st);
    int64_t *waits = total ? malloc(sizeof *waits * (size_t)total) : NULL;
    if (total && !waits) return DB_ERR;
    db_stmt *s = db_prepare(q->db, SQL_ROWS);
    if (!s) {
        free(waits);
        return DB_ERR;
    }
    db_bind_text(s, 1, zq_scope_value(q), -1);
    db_bind_int64(s, 2, from);
    db_bind_int64(s, 3, to);
    int rc;
    int64_t nw = 0, sum = 0;
    while ((rc = db_step(s)) == DB_ROW && st->total < total) {
        st->total++;
        const char *cat = db_col_text(s, 0);
        count(q, &st->category, cat, dict_name(q, "consult_category", cat));
        const char *unit = db_col_is_null(s, 1) ? "" : db_col_text(s, 1);
        count(q, &st->unit, unit, db_col_is_null(s, 2) ? "未分派" : db_col_text(s, 2));
        const char *region = db_col_is_null(s, 3) ? "" : db_col_text(s, 3);
        count(q, &st->district, region, *region ? dict_name(q, "region", region) : "访客（无区县）");
        char day[11];
        int64_t created = db_col_int64(s, 4), answered = db_col_int64(s, 5), due = db_col_int64(s, 6);
        zq_today(created, day);
        day[7] = '\0';
        count(q, &st->month, day, NULL);
        const char *status = db_col_text(s, 7);
        if (answered) {
            st->answered++;
            waits[nw++] = answered - created;
            sum += answered - created;
        }
        if ((answered && answered > due) || (!answered && cs_status_open(status) && q->now > due)) st->overdue++;
        if (!db_col_is_null(s, 8)) {
            st->rated++;
            if (strcmp(db_col_text(s, 8), "unsatisfied") != 0) st->satisfied++;
        }
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) {
        free(waits);
        return rc < 0 ? rc : DB_ERR;
    }
    if (nw) {
        qsort(waits, (size_t)nw, sizeof *waits, cmp_i64);
        st->mean_hours = (double)sum / (double)nw / 3600.0;
        /* nearest-rank 90th percentile */
        int64_t k = (nw * 90 + 99) / 100;
        st->p90_hours = (double)waits[k - 1] / 3600.0;
    }
    free(waits);
    return DB_OK;
}

static double rate_of(int64_t part, int64_t whole)
{
    return whole ? (double)part / (double)whole : 0.0;
}

static void write_tallies(zq_jw *w, const char *key, const tallies *t)
{
    zq_jw_key(w, key);
    zq_jw_arr(w);
    for (int i = 0; i < t->n; i++) {
        zq_jw_obj(w);
        zq_jw_kstr(w, "key", t->v[i].key);
        zq_jw_kstr(w, "name", t->v[i].name ? t->v[i].name : t->v[i].key);
        zq_jw_kint(w, "count", t->v[i].n);
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
}

static void kdouble(zq_req *q, zq_jw *w, const char *key, double v)
{
    zq_jw_key(w, key);
    const char *num = zq_arena_printf(q->arena, "%.4f", v);
    zq_jw_raw(w, num, strlen(num));
}

static int sort_month(const void *a, const void *b)
{
    return strcmp(((const tally *)a)->key, ((const tally *)b)->key);
}

/* ---- the Excel workbook ---- */

static void sheet_tallies(lxw_workbook *wb, const char *name, const char *head, const tallies *t, lxw_format *bold)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    worksheet_write_string(ws, 0, 0, head, bold);
    worksheet_write_string(ws, 0, 1, "数量", bold);
    for (int i = 0; i < t->n; i++) {
        worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, t->v[i].name ? t->v[i].name : t->v[i].key, NULL);
        worksheet_write_number(ws, (lxw_row_t)(i + 1), 1, (double)t->v[i].n, NULL);
    }
    worksheet_set_column(ws, 0, 0, 24, NULL);
}

static zq_err respond_xlsx(zq_req *q, zq_resp *r, const stats *st)
{
    char path[] = "/tmp/zq-consult-stats-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "总体");
    static const char *const heads[] = {"咨询总数", "已答复", "超期数", "超期率", "已评价", "满意率", "平均答复用时（小时）",
                                        "答复用时 P90（小时）"};
    double vals[] = {(double)st->total, (double)st->answered, (double)st->overdue, rate_of(st->overdue, st->total),
                     (double)st->rated, rate_of(st->satisfied, st->rated), st->mean_hours, st->p90_hours};
    for (int i = 0; i < 8; i++) {
        worksheet_write_string(ws, (lxw_row_t)i, 0, heads[i], bold);
        worksheet_write_number(ws, (lxw_row_t)i, 1, vals[i], NULL);
    }
    worksheet_set_column(ws, 0, 0, 24, NULL);
    sheet_tallies(wb, "按类别", "类别", &st->category, bold);
    sheet_tallies(wb, "按办理单位", "办理单位", &st->unit, bold);
    sheet_tallies(wb, "按区县", "区县", &st->district, bold);
    sheet_tallies(wb, "按月", "月份", &st->month, bold);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);  /* the open descriptor keeps the bytes until they are sent */
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0) close(fd);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    r->status = 200;
    r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    zq_resp_header(q->arena, r, "Content-Disposition",
                   "attachment; filename=\"consult-stats.xlsx\"; filename*=UTF-8''%E5%92%A8%E8%AF%A2%E7%BB%9F%E8%AE%A1.xlsx");
    r->file_fd = fd;
    r->file_size = (uint64_t)sb.st_size;
    return ZQ_OK;
}

static zq_err stats_get(zq_req *q, zq_resp *r)
{
    const char *f = zq_req_query(q, "from"), *t = zq_req_query(q, "to"), *format = zq_req_query(q, "format");
    int64_t from = 0, to = q->now + 1;
    if (f && *f && !zq_date_parse(f, &from)) zq_fail_field(q, r, "from", "开始日期格式应为 YYYY-MM-DD");
    if (t && *t) {
        if (!zq_date_parse(t, &to)) zq_fail_field(q, r, "to", "结束日期格式应为 YYYY-MM-DD");
        else to += 86400;  /* the whole end day */
    }
    if (!r->err && to <= from) zq_fail_field(q, r, "to", "结束日期不能早于开始日期");
    if (format && *format && strcmp(format, "xlsx") && strcmp(format, "json"))
        zq_fail_field(q, r, "format", "格式只能是 json 或 xlsx");
    if (r->err) return r->err;
    db_stmt *s = db_prepare(q->db, SQL_COUNT);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, zq_scope_value(q), -1);
    db_bind_int64(s, 2, from);
    db_bind_int64(s, 3, to);
    int rc = db_step(s);
    int64_t total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    if (total > STATS_ROWS_MAX) return zq_fail(r, ZQ_E_UNPROCESSABLE, "统计范围内的咨询过多，请缩短时间范围");
    stats *st = zq_arena_alloc(q->arena, sizeof *st);
    if (!st) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if ((rc = compute(q, from, to, total, st)) != DB_OK) return hk_fail_db(q, r, rc);
    qsort(st->month.v, (size_t)st->month.n, sizeof st->month.v[0], sort_month);
    if (format && !strcmp(format, "xlsx")) return respond_xlsx(q, r, st);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "total", st->total);
    zq_jw_kint(&w, "answered", st->answered);
    zq_jw_kint(&w, "overdue", st->overdue);
    kdouble(q, &w, "overdue_rate", rate_of(st->overdue, st->total));
    zq_jw_kint(&w, "rated", st->rated);
    kdouble(q, &w, "satisfaction_rate", rate_of(st->satisfied, st->rated));
    kdouble(q, &w, "mean_hours_to_answer", st->mean_hours);
    kdouble(q, &w, "p90_hours_to_answer", st->p90_hours);
    write_tallies(&w, "by_category", &st->category);
    write_tallies(&w, "by_unit", &st->unit);
    write_tallies(&w, "by_district", &st->district);
    write_tallies(&w, "by_month", &st->month);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static const zq_route routes[] = {
    /* before the queue's /:id routes: "stats" is not an id */
    {ZQ_GET, "/api/v1/admin/consultations/stats", stats_get, ZQ_ACCESS_STAFF, "consult.supervise",
     ZQ_RF_SCOPED | ZQ_RF_HEAVY, 0, NULL},
};
const zq_route_group consult_stats_routes = {routes, sizeof routes / sizeof routes[0]};
