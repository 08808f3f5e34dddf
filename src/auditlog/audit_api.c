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
#include "handler/filter.h"
#include "handler/kit.h"
#include "http/input.h"
#include <string.h>

#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100

static const char SQL_LIST[] =
    "SELECT id, at, actor_kind, actor_id, actor_name, enterprise_id, region, ip, action, object_type, object_id,"
    " result, detail FROM audit_log%s ORDER BY id DESC";

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

    hk_filter f;
    hk_filter_init(&f, 1);
    /* the data scope: district staff see their district's records only */
    hk_filter_scope(&f, q, "region");
    hk_filter_text(&f, "region = $%d", region);
    if (action && *action) {
        size_t n = strlen(action);
        if (action[n - 1] == '*')
            hk_filter_texts(&f, "action LIKE $%d ESCAPE '\\'",
                            (const char *[]){zq_like_pattern(q->arena, zq_arena_strndup(q->arena, action, n - 1), ZQ_LIKE_PREFIX), NULL});
        else
            hk_filter_text(&f, "action = $%d", action);
    }
    hk_filter_contains(&f, q->arena, "actor_name LIKE $%d ESCAPE '\\'", actor);
    if (from_s && *from_s) hk_filter_num(&f, "at >= $%d", from);
    if (to_s && *to_s) hk_filter_num(&f, "at < $%d", to + 86400);
    hk_filter_text(&f, "result = $%d", result);

    int64_t total = 0;
    db_stmt *s;
    if (hk_filter_page(q, r, &f, "SELECT COUNT(*) FROM audit_log%s", SQL_LIST, page, page_size, &total, &s) != ZQ_OK)
        return r->err;
    int rc;
    zq_jw w;
    zq_list_begin(r, &w);
    char iso[26];
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", db_col_int64(s, 0));
        zq_time_iso(db_col_int64(s, 1), iso);
        zq_jw_kstr(&w, "at", iso);
        hk_jw_col_str(&w, "actor_kind", s, 2);
        hk_jw_col_int(&w, "actor_id", s, 3);
        hk_jw_col_str(&w, "actor_name", s, 4);
        hk_jw_col_int(&w, "enterprise_id", s, 5);
        hk_jw_col_str(&w, "region", s, 6);
        hk_jw_col_str(&w, "ip", s, 7);
        hk_jw_col_str(&w, "action", s, 8);
        hk_jw_col_str(&w, "object_type", s, 9);
        hk_jw_col_str(&w, "object_id", s, 10);
        hk_jw_col_str(&w, "result", s, 11);
        hk_jw_col_str(&w, "detail", s, 12);
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
