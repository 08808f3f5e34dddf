/*
 * directory_api.c — the bureau's enterprise directory (企业库, docs/profile.md
 * "Bureau directory"):
 *   GET /api/v1/admin/enterprises?region=&industry=&scale=&characteristic=
 *        &trade_type=&status=&completeness_min=&completeness_max=&q=&page=&page_size=
 *   GET /api/v1/admin/enterprises/:id   the whole record, its sections, its members
 * District staff are pinned to their district: the scope is a bound
 * parameter of every statement, so another district's firm is neither
 * listed nor found (404). The WHERE clause is one fixed text; an empty
 * parameter switches its condition off.
 */
#include "app/routes.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "core/text.h"
#include "db/db.h"
#include "dict/dict.h"
#include "enterprise/form.h"
#include "http/input.h"
#include "profile/profile.h"
#include <stdlib.h>
#include <string.h>

#define Q_MAX_CHARS 100
#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100

#define DIR_WHERE                                                                                                  \
    " WHERE ($1 = '' OR e.region = $1) AND ($2 = '' OR e.region = $2) AND ($3 = '' OR e.status = $3)"           \
    " AND ($4 = '' OR e.name LIKE $4 ESCAPE '\\' OR e.uscc LIKE $5 ESCAPE '\\')"                                  \
    " AND ($6 = '' OR e.scale = $6) AND ($7 = '' OR e.trade_type = $7) AND ($8 = '' OR e.industry = $8)"         \
    " AND ($9 = '' OR e.industry IN (SELECT d.code FROM dict_item d WHERE d.type = 'industry' AND d.parent = $9))" \
    " AND ($10 = '' OR EXISTS (SELECT 1 FROM enterprise_characteristic c"                                         \
    "                          WHERE c.enterprise_id = e.id AND c.code = $10))"                                  \
    " AND e.completeness >= $11 AND e.completeness <= $12"
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM enterprise e" DIR_WHERE;
static const char SQL_LIST[] =
    "SELECT e.id, e.name, e.uscc, e.region, rg.name, e.industry, ind.name, e.scale, e.trade_type, e.status,"
    " e.completeness, e.legal_rep_name, e.created_at"
    " FROM enterprise e"
    " LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = e.region"
    " LEFT JOIN dict_item ind ON ind.type = 'industry' AND ind.code = e.industry" DIR_WHERE
    " ORDER BY e.id DESC LIMIT $13 OFFSET $14";
static const char SQL_SCOPED[] = "SELECT 1 FROM enterprise WHERE id = $1 AND ($2 = '' OR region = $2)";
static const char SQL_MEMBERS[] =
    "SELECT m.user_id, u.name, u.phone, r.name, m.is_legal_rep FROM membership m"
    " JOIN app_user u ON u.id = m.user_id LEFT JOIN enterprise_role r ON r.id = m.role_id"
    " WHERE m.enterprise_id = $1 AND m.status = 'active' ORDER BY m.is_legal_rep DESC, m.id";

typedef struct {
    const char *v[10]; /* $1..$10 */
    int64_t cmin, cmax;
} dir_filter;

/* An optional dictionary code of the query: "" when absent, NULL (with a
 * field error) when it names nothing. */
static const char *code_param(zq_req *q, zq_resp *r, const char *name, const char *type, const char *label)
{
    const char *v = zq_req_query(q, name);
    if (!v || !*v) return "";
    if (strlen(v) > 32 || !dict_has_code(q->db, type, v)) {
        zq_fail_field(q, r, name, zq_arena_printf(q->arena, "%s不存在，请从列表中选择", label));
        return NULL;
    }
    return v;
}

static int64_t score_param(zq_req *q, zq_resp *r, const char *name, int64_t dflt)
{
    const char *v = zq_req_query(q, name);
    int64_t x;
    if (!v || !*v) return dflt;
    if (!zq_parse_int64(v, 0, 100, &x)) {
        zq_fail_field(q, r, name, "完整度须为 0 到 100 的整数");
        return dflt;
    }
    return x;
}

static void read_filter(zq_req *q, zq_resp *r, dir_filter *f)
{
    memset(f, 0, sizeof *f);
    const char *scope = ent_staff_scope(q);
    f->v[0] = scope ? scope : "";
    f->v[1] = code_param(q, r, "region", "region", "行政区划");
    const char *status = zq_req_query(q, "status");
    if (status && *status && strcmp(status, "pending") != 0 && strcmp(status, "approved") != 0 &&
        strcmp(status, "rejected") != 0)
        zq_fail_field(q, r, "status", "状态须为 pending（待审核）、approved（已认证）或 rejected（已退回）");
    f->v[2] = status ? status : "";
    const char *text = zq_req_query(q, "q");
    if (text && zq_utf8_len(text) > Q_MAX_CHARS) zq_fail_field(q, r, "q", "关键字不能超过100个字");
    f->v[3] = text && *text ? zq_like_pattern(q->arena, text, ZQ_LIKE_CONTAINS) : "";
    f->v[4] = text && *text ? zq_like_pattern(q->arena, text, ZQ_LIKE_UPPER) : "";
    f->v[5] = code_param(q, r, "scale", "scale", "企业规模");
    f->v[6] = code_param(q, r, "trade_type", "trade_type", "进出口贸易类型");
    const char *ind = code_param(q, r, "industry", "industry", "行业分类");
    /* a section letter means every division under it */
    bool section = ind && *ind && ind[0] >= 'A' && ind[0] <= 'Z';
    f->v[7] = section ? "" : ind;
    f->v[8] = section ? ind : "";
    f->v[9] = code_param(q, r, "characteristic", "characteristic", "企业特性");
    f->cmin = score_param(q, r, "completeness_min", 0);
    f->cmax = score_param(q, r, "completeness_max", 100);
    if (!r->err && f->cmin > f->cmax) zq_fail_field(q, r, "completeness_max", "完整度上限不能小于下限");
}

static void bind_filter(db_stmt *s, const dir_filter *f)
{
    for (int i = 0; i < 10; i++) db_bind_text(s, i + 1, f->v[i] ? f->v[i] : "", -1);
    db_bind_int64(s, 11, f->cmin);
    db_bind_int64(s, 12, f->cmax);
}

static void kcol(zq_jw *w, const char *key, db_stmt *s, int c)
{
    zq_jw_kstr(w, key, db_col_is_null(s, c) ? NULL : db_col_text(s, c));
}

static zq_err directory_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size;
    zq_in_page(q, r, &page, &page_size, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    dir_filter f;
    read_filter(q, r, &f);
    if (r->err) return r->err;
    if (!f.v[3] || !f.v[4]) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    int64_t total = 0;
    db_stmt *s = db_prepare(q->db, SQL_COUNT);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    bind_filter(s, &f);
    int rc = db_step(s);
    if (rc == DB_ROW) total = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    if (!(s = db_prepare(q->db, SQL_LIST))) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    bind_filter(s, &f);
    db_bind_int64(s, 13, page_size);
    db_bind_int64(s, 14, (page - 1) * page_size);
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", db_col_int64(s, 0));
        kcol(&w, "name", s, 1);
        kcol(&w, "uscc", s, 2);
        kcol(&w, "region", s, 3);
        kcol(&w, "region_name", s, 4);
        kcol(&w, "industry", s, 5);
        kcol(&w, "industry_name", s, 6);
        kcol(&w, "scale", s, 7);
        kcol(&w, "trade_type", s, 8);
        kcol(&w, "status", s, 9);
        zq_jw_kint(&w, "completeness", db_col_int64(s, 10));
        kcol(&w, "legal_rep_name", s, 11);
        ent_jw_time(&w, "created_at", db_col_int64(s, 12));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

static int write_members(zq_req *q, int64_t id, zq_jw *w)
{
    db_stmt *s = db_prepare(q->db, SQL_MEMBERS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc;
    zq_jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(w);
        zq_jw_kint(w, "user_id", db_col_int64(s, 0));
        kcol(w, "name", s, 1);
        zq_jw_kstr(w, "phone", audit_mask_phone(q->arena, db_col_text(s, 2)));
        kcol(w, "role_name", s, 3);
        zq_jw_kbool(w, "is_legal_rep", db_col_int64(s, 4) != 0);
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static zq_err directory_get(zq_req *q, zq_resp *r)
{
    int64_t id = ent_param_id(q);
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    const char *scope = ent_staff_scope(q);
    db_stmt *s = db_prepare(q->db, SQL_SCOPED);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, scope ? scope : "", -1);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    /* the record, then its members inside the same object */
    zq_jw w;
    zq_resp_json(r, &w, 200);
    rc = profile_write_enterprise_open(q, id, true, &w);
    if (rc != DB_OK) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_INTERNAL, NULL);
    zq_jw_key(&w, "members");
    if ((rc = write_members(q, id, &w)) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/enterprises", directory_list, ZQ_ACCESS_STAFF, NULL, 0, 0},
    {ZQ_GET, "/api/v1/admin/enterprises/:id", directory_get, ZQ_ACCESS_STAFF, NULL, 0, 0},
};
const zq_route_group directory_routes = {routes, sizeof routes / sizeof routes[0]};
