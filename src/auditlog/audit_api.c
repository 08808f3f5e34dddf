/*
 * audit_api.c — bureau staff search the audit log:
 *   GET /api/v1/admin/audit?action=&actor=&from=&to=&result=&region=&page=&page_size=
 * city and super staff see every record; district staff only the records
 * of their own district (region). Newest first. Phones in the records are
 * masked when written (audit.h), so nothing needs unmasking or masking here.
 */
#include "http/scope.h"
#include "auditlog/auditlog.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>

#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100
#define FILTERS_MAX 8

static const char SQL_COLS[] =
    "SELECT id, at, actor_kind, actor_id, actor_name, enterprise_id, region, ip, action, object_type, object_id,"
    " result, detail FROM audit_log";

typedef struct {
    zq_buf where;
    const char *vals[FILTERS_MAX];
    int n;
} filter;

/* Appends fragment (which names its parameter as $%d, possibly several
 * times) bound to val. */
static void add(filter *f, const char *fragment, const char *val)
{
    if (f->n >= FILTERS_MAX) return;
    f->vals[f->n++] = val;
    zq_buf_printf(&f->where, fragment, f->n, f->n, f->n);
}

static bool action_ok(const char *a)
{
    size_t n = strlen(a);
    if (!n || n > 64) return false;
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || (c == '*' && i == n - 1)))
            return false;
    }
    return true;
}

static void kstr_col(zq_jw *w, const char *key, db_stmt *s, int col)
{
    zq_jw_kstr(w, key, db_col_is_null(s, col) ? NULL : db_col_text(s, col));
}

static void kint_col(zq_jw *w, const char *key, db_stmt *s, int col)
{
    zq_jw_key(w, key);
    if (db_col_is_null(s, col)) zq_jw_null(w);
    else zq_jw_int(w, db_col_int64(s, col));
}

static zq_err audit_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size, from = 0, to = 0;
    zq_in_page(q, r, &page, &page_size, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    const char *action = zq_req_query(q, "action"), *actor = zq_req_query(q, "actor"),
               *from_s = zq_req_query(q, "from"), *to_s = zq_req_query(q, "to"),
               *result = zq_req_query(q, "result"), *region = zq_req_query(q, "region");
    if (action && *action && !action_ok(action))
        zq_fail_field(q, r, "action", "操作类型格式不正确（如 auth.login，或 auth.* 表示一类）");
    if (actor && zq_utf8_len(actor) > 64) zq_fail_field(q, r, "actor", "操作人不能超过 64 个字符");
    if (from_s && *from_s && !zq_date_parse(from_s, &from)) zq_fail_field(q, r, "from", "开始日期格式应为 YYYY-MM-DD");
    if (to_s && *to_s && !zq_date_parse(to_s, &to)) zq_fail_field(q, r, "to", "结束日期格式应为 YYYY-MM-DD");
    if (from_s && *from_s && to_s && *to_s && from && to && from > to)
        zq_fail_field(q, r, "to", "结束日期不能早于开始日期");
    if (result && *result && strcmp(result, "ok") != 0 && strcmp(result, "denied") != 0 && strcmp(result, "failed") != 0)
        zq_fail_field(q, r, "result", "结果须为 ok、denied 或 failed");
    if (region && zq_utf8_len(region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (r->err) return r->err;

    filter f = {.n = 0};
    zq_buf_init(&f.where, 4096);
    zq_buf_puts(&f.where, " WHERE 1 = 1");
    /* the data scope: district staff see their district's records only */
    int next = f.n + 1;
    zq_scope sc = zq_scope_where(q, "region", &next);
    zq_buf_puts(&f.where, sc.sql);
    if (sc.value) f.vals[f.n++] = sc.value;
    if (region && *region) add(&f, " AND region = $%d", region);
    if (action && *action) {
        size_t n = strlen(action);
        if (action[n - 1] == '*')
            add(&f, " AND action LIKE $%d ESCAPE '\\'", zq_like_pattern(q->arena, zq_arena_strndup(q->arena, action, n - 1), ZQ_LIKE_PREFIX));
        else
            add(&f, " AND action = $%d", action);
    }
    if (actor && *actor) add(&f, " AND actor_name LIKE $%d ESCAPE '\\'", zq_like_pattern(q->arena, actor, ZQ_LIKE_CONTAINS));
    if (from_s && *from_s) add(&f, " AND at >= CAST($%d AS BIGINT)", zq_arena_printf(q->arena, "%lld", (long long)from));
    if (to_s && *to_s) add(&f, " AND at < CAST($%d AS BIGINT)", zq_arena_printf(q->arena, "%lld", (long long)(to + 86400)));
    if (result && *result) add(&f, " AND result = $%d", result);

    const char *count_sql = zq_arena_printf(q->arena, "SELECT COUNT(*) FROM audit_log%s", f.where.data);
    const char *list_sql = zq_arena_printf(q->arena, "%s%s ORDER BY id DESC LIMIT $%d OFFSET $%d", SQL_COLS,
                                           f.where.data, f.n + 1, f.n + 2);
    bool overflow = f.where.overflow;
    zq_buf_free(&f.where);
    for (int i = 0; i < f.n; i++)
        if (!f.vals[i]) overflow = true;
    if (overflow || !count_sql || !list_sql) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    int64_t total = 0;
    if (db_query_int64(q->db, count_sql, &total, f.n, f.vals) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_stmt *s = db_prepare(q->db, list_sql);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    for (int i = 0; i < f.n; i++) db_bind_text(s, i + 1, f.vals[i], -1);
    db_bind_int64(s, f.n + 1, page_size);
    db_bind_int64(s, f.n + 2, (page - 1) * page_size);
    zq_jw w;
    zq_list_begin(r, &w);
    int rc;
    char iso[26];
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", db_col_int64(s, 0));
        zq_time_iso(db_col_int64(s, 1), iso);
        zq_jw_kstr(&w, "at", iso);
        kstr_col(&w, "actor_kind", s, 2);
        kint_col(&w, "actor_id", s, 3);
        kstr_col(&w, "actor_name", s, 4);
        kint_col(&w, "enterprise_id", s, 5);
        kstr_col(&w, "region", s, 6);
        kstr_col(&w, "ip", s, 7);
        kstr_col(&w, "action", s, 8);
        kstr_col(&w, "object_type", s, 9);
        kstr_col(&w, "object_id", s, 10);
        kstr_col(&w, "result", s, 11);
        kstr_col(&w, "detail", s, 12);
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) {
        zq_buf_reset(&r->body);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/audit", audit_list, ZQ_ACCESS_STAFF, "audit.view", ZQ_RF_SCOPED, 0, NULL},
};
const zq_route_group audit_routes = {routes, sizeof routes / sizeof routes[0]};
