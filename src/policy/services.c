/*
 * services.c — 惠企服务, the catalogue of services for enterprises:
 *   GET /api/v1/services?q=&category=&page=&page_size=   published items, for anyone
 *   GET /api/v1/services/:id                             with its linked published policies
 *   /api/v1/admin/services (service.manage): GET (list) / POST (draft),
 *   GET/PUT/DELETE /:id, POST /:id/publish, POST /:id/withdraw.
 * Body: {name, category, department, summary, how_to_apply (rich text,
 * sanitized), contact, policies:[content ids]}. The catalogue is one for
 * the whole city (the routes are unscoped: a service is not a district's).
 */
#include "policy/policy_internal.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include "richtext/richtext.h"
#include <string.h>

#define SVC_LINKS_MAX 20

#define SVC_COLS "s.id, s.status, s.name, s.category, s.department, s.summary, s.how_to_apply, s.contact," \
                 " s.published_at, s.created_at, s.updated_at"

static const char SQL_ONE[] = "SELECT " SVC_COLS " FROM service_item s WHERE s.id = $1";
static const char SQL_LINKS[] =
    "SELECT c.id, c.title, c.kind, c.status, c.published_at FROM service_policy p JOIN content_item c ON c.id = p.item_id"
    " WHERE p.service_id = $1 AND ($2 = 0 OR c.status = 'published') ORDER BY c.published_at DESC, c.id DESC";
static const char SQL_INSERT[] =
    "INSERT INTO service_item(status, name, category, department, summary, how_to_apply, contact, created_by,"
    " created_at, updated_at) VALUES ('draft', $1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE service_item SET name = $2, category = $3, department = $4, summary = $5, how_to_apply = $6,"
    " contact = $7, updated_at = $8 WHERE id = $1";
static const char SQL_LINKS_CLEAR[] = "DELETE FROM service_policy WHERE service_id = $1";
static const char SQL_LINK_ADD[] = "INSERT INTO service_policy(service_id, item_id) VALUES ($1, $2)";
static const char SQL_POLICY_OK[] = "SELECT 1 FROM content_item WHERE id = $1 AND kind IN ('news', 'interpretation')";
static const char SQL_STATUS_SET[] =
    "UPDATE service_item SET status = $2, updated_at = $3,"
    " published_at = CASE WHEN $4 = 1 AND published_at = 0 THEN $3 ELSE published_at END WHERE id = $1";
static const char SQL_DELETE[] = "DELETE FROM service_item WHERE id = $1 AND status = 'draft'";

typedef struct {
    int64_t id, published_at, created_at, updated_at;
    const char *status, *name, *category, *department, *summary, *how, *contact;
} svc;

typedef struct {
    const char *name, *category, *department, *summary, *how, *contact;
    int64_t *links;
    int nlinks;
    bool has_links;
} svc_form;

/* The one audit call of this file. 0 or -1. */
static int svc_audit(zq_req *q, const char *verb, int64_t id)
{
    return audit_emit(q, &(audit_entry){.action = zq_arena_printf(q->arena, "service.%s", verb),
                                          .object_type = "service",
                                          .object_id = zq_arena_printf(q->arena, "%lld", (long long)id)});
}

static void svc_read(zq_req *q, db_stmt *s, svc *x)
{
    x->id = db_col_int64(s, 0);
    x->status = db_col_dup(q->arena, s, 1);
    x->name = db_col_dup(q->arena, s, 2);
    x->category = db_col_dup(q->arena, s, 3);
    x->department = db_col_dup(q->arena, s, 4);
    x->summary = db_col_dup(q->arena, s, 5);
    x->how = db_col_dup(q->arena, s, 6);
    x->contact = db_col_dup(q->arena, s, 7);
    x->published_at = db_col_int64(s, 8);
    x->created_at = db_col_int64(s, 9);
    x->updated_at = db_col_int64(s, 10);
}

/* DB_ROW, DB_DONE (none, or unpublished when public) or a db_rc. */
static int svc_load(zq_req *q, int64_t id, bool public_only, svc *x)
{
    db_stmt *s = id ? db_prepare(q->db, SQL_ONE) : NULL;
    if (!id) return DB_DONE;
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) svc_read(q, s, x);
    db_stmt_done(s);
    if (rc == DB_ROW && public_only && strcmp(x->status, "published") != 0) rc = DB_DONE;
    return rc;
}

static void write_head(zq_jw *w, const svc *x)
{
    zq_jw_kint(w, "id", x->id);
    zq_jw_kstr(w, "title", x->name);
    zq_jw_kstr(w, "name", x->name);
    zq_jw_kstr(w, "kind", "service");
    zq_jw_kstr(w, "status", x->status);
    zq_jw_ktime(w, "published_at", x->published_at);
    zq_jw_kstr(w, "category", x->category);
    zq_jw_kstr(w, "department", x->department);
    zq_jw_kstr(w, "summary", x->summary);
}

static zq_err answer(zq_req *q, zq_resp *r, int64_t id, bool public_only, int status)
{
    svc x;
    int rc = svc_load(q, id, public_only, &x);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "服务事项不存在");
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    write_head(&w, &x);
    zq_jw_kstr(&w, "how_to_apply", x.how);
    zq_jw_kstr(&w, "contact", x.contact);
    if (!public_only) {
        zq_jw_ktime(&w, "created_at", x.created_at);
        zq_jw_ktime(&w, "updated_at", x.updated_at);
    }
    zq_jw_key(&w, "policies");
    zq_jw_arr(&w);
    db_stmt *s = db_prepare(q->db, SQL_LINKS);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, public_only ? 1 : 0);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", db_col_int64(s, 0));
        zq_jw_kstr(&w, "title", db_col_text(s, 1));
        zq_jw_kstr(&w, "kind", db_col_text(s, 2));
        zq_jw_kstr(&w, "status", db_col_text(s, 3));
        zq_jw_ktime(&w, "published_at", db_col_int64(s, 4));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

/* ---- lists ---- */

static zq_err list(zq_req *q, zq_resp *r, bool public_only)
{
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, POL_PAGE_MAX);
    const char *kw = zq_req_query(q, "q"), *cat = zq_req_query(q, "category"), *status = zq_req_query(q, "status");
    if (kw && zq_utf8_len(kw) > 50) zq_fail_field(q, r, "q", "关键词不能超过 50 个字符");
    if (cat && zq_utf8_len(cat) > 50) zq_fail_field(q, r, "category", "服务类别过长");
    if (!public_only && status && *status && strcmp(status, "draft") && strcmp(status, "published") &&
        strcmp(status, "withdrawn"))
        zq_fail_field(q, r, "status", "状态只能是 draft、published 或 withdrawn");
    if (r->err) return r->err;
    const char *st = public_only ? "published" : status && *status ? status : "";
    const char *like = kw && *kw ? zq_like_pattern(q->arena, kw, ZQ_LIKE_CONTAINS) : "";
    static const char count_sql[] = "SELECT COUNT(*) FROM service_item s WHERE ($1 = '' OR s.status = $1)"
                                    " AND ($2 = '' OR s.category = $2)"
                                    " AND ($3 = '' OR s.name LIKE $3 ESCAPE '\\' OR s.summary LIKE $3 ESCAPE '\\')";
    static const char list_sql[] = "SELECT " SVC_COLS " FROM service_item s WHERE ($1 = '' OR s.status = $1)"
                                   " AND ($2 = '' OR s.category = $2)"
                                   " AND ($3 = '' OR s.name LIKE $3 ESCAPE '\\' OR s.summary LIKE $3 ESCAPE '\\')"
                                   " ORDER BY s.published_at DESC, s.id DESC LIMIT $4 OFFSET $5";
    db_stmt *s = db_prepare(q->db, count_sql);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_text(s, 1, st, -1);
    db_bind_text(s, 2, cat ? cat : "", -1);
    db_bind_text(s, 3, like, -1);
    int rc = db_step(s);
    int64_t total = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW || !(s = db_prepare(q->db, list_sql))) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_text(s, 1, st, -1);
    db_bind_text(s, 2, cat ? cat : "", -1);
    db_bind_text(s, 3, like, -1);
    db_bind_int64(s, 4, size);
    db_bind_int64(s, 5, (page - 1) * size);
    zq_jw w;
    zq_list_begin(r, &w);
    svc x;
    while ((rc = db_step(s)) == DB_ROW) {
        svc_read(q, s, &x);
        zq_jw_obj(&w);
        write_head(&w, &x);
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_list_end(&w, total, page, size);
    return ZQ_OK;
}

static zq_err pub_list(zq_req *q, zq_resp *r) { return list(q, r, true); }
static zq_err adm_list(zq_req *q, zq_resp *r) { return list(q, r, false); }
static zq_err pub_get(zq_req *q, zq_resp *r) { return answer(q, r, pol_param_id(q, "id"), true, 200); }
static zq_err adm_get(zq_req *q, zq_resp *r) { return answer(q, r, pol_param_id(q, "id"), false, 200); }

/* ---- writes ---- */

static bool policy_ok(zq_req *q, int64_t id)
{
    db_stmt *s = db_prepare(q->db, SQL_POLICY_OK);
    if (!s) return false;
    db_bind_int64(s, 1, id);
    bool ok = db_step(s) == DB_ROW;
    db_stmt_done(s);
    return ok;
}

static zq_err form_read(zq_req *q, zq_resp *r, svc_form *f, const svc *old)
{
    static const char *const keys[] = {"name", "category", "department", "summary", "how_to_apply", "contact",
                                       "policies", NULL};
    memset(f, 0, sizeof *f);
    if (!q->json) return zq_fail(r, ZQ_E_BAD_REQUEST, "请求内容须为 JSON 对象");
    zq_in_only(q, r, keys);
#define FIELD(dst, key, label, req, max)                                                                         \
    f->dst = zq_in_has(q, key) || !old ? zq_in_str(q, r, key, label, req, max) : old->dst
    FIELD(name, "name", "服务名称", true, 100);
    FIELD(category, "category", "服务类别", false, 50);
    FIELD(department, "department", "服务部门", false, POL_DEPT_MAX);
    FIELD(summary, "summary", "服务简介", false, POL_SUMMARY_MAX);
    FIELD(contact, "contact", "联系方式", false, 200);
#undef FIELD
    if (zq_in_has(q, "how_to_apply") || !old) {
        const char *how = zq_in_str(q, r, "how_to_apply", "办理指引", false, 50000);
        richtext_out o = {"", ""};
        if (how && richtext_clean(q->arena, how, strlen(how), &o) != 0)
            zq_fail_field(q, r, "how_to_apply", "办理指引过长或无法解析");
        f->how = o.html;
    } else {
        f->how = old->how;
    }
    json_t *v = json_object_get(q->json, "policies");
    if (v && !json_is_null(v)) {
        f->has_links = true;
        if (!json_is_array(v) || json_array_size(v) > SVC_LINKS_MAX) {
            zq_fail_field(q, r, "policies", "关联政策格式不正确（最多 20 个）");
            return r->err;
        }
        f->links = zq_arena_alloc(q->arena, sizeof *f->links * (json_array_size(v) + 1));
        size_t i;
        json_t *it;
        json_array_foreach(v, i, it) {
            json_int_t id = json_is_integer(it) ? json_integer_value(it) : 0;
            bool dup = false;
            for (int k = 0; k < f->nlinks; k++) dup = dup || f->links[k] == id;
            if (id <= 0 || dup || !policy_ok(q, id)) {
                zq_fail_field(q, r, "policies", "关联的政策不存在或重复");
                break;
            }
            f->links[f->nlinks++] = id;
        }
    }
    return r->err;
}

static int write_links(zq_req *q, int64_t id, const svc_form *f)
{
    return pol_replace_set(q->db, SQL_LINKS_CLEAR, SQL_LINK_ADD, id, f->links, NULL, f->nlinks, false);
}

static void bind_form(db_stmt *s, int first, const svc_form *f)
{
    const char *v[] = {f->name, f->category, f->department, f->summary, f->how ? f->how : "", f->contact};
    for (int i = 0; i < 6; i++) {
        if (v[i]) db_bind_text(s, first + i, v[i], -1);
        else db_bind_null(s, first + i);
    }
}

static zq_err adm_create(zq_req *q, zq_resp *r)
{
    svc_form f;
    if (form_read(q, r, &f, NULL) != ZQ_OK) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    bind_form(s, 1, &f);
    db_bind_int64(s, 7, q->session->staff_id);
    db_bind_int64(s, 8, q->now);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!id || write_links(q, id, &f) != DB_OK || svc_audit(q, "create", id) != 0)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer(q, r, id, false, 201);
}

static zq_err adm_update(zq_req *q, zq_resp *r)
{
    svc old;
    int64_t id = pol_param_id(q, "id");
    int rc = svc_load(q, id, false, &old);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "服务事项不存在");
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    svc_form f;
    if (form_read(q, r, &f, &old) != ZQ_OK) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_UPDATE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, id);
    bind_form(s, 2, &f);
    db_bind_int64(s, 8, q->now);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE || (f.has_links && write_links(q, id, &f) != DB_OK) || svc_audit(q, "update", id) != 0)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer(q, r, id, false, 200);
}

/* publish / withdraw / delete: a status move from the allowed ones. */
static zq_err move(zq_req *q, zq_resp *r, const char *verb, const char *to, const char *from1, const char *from2,
                   const char *refusal)
{
    svc x;
    int64_t id = pol_param_id(q, "id");
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    int rc = svc_load(q, id, false, &x);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "服务事项不存在");
    if (rc != DB_ROW) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (to && strcmp(x.status, to) == 0) {
        db_rollback(q->db);
        return answer(q, r, id, false, 200);
    }
    if (strcmp(x.status, from1) != 0 && (!from2 || strcmp(x.status, from2) != 0))
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, refusal);
    db_stmt *s = db_prepare(q->db, to ? SQL_STATUS_SET : SQL_DELETE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, id);
    if (to) {
        db_bind_text(s, 2, to, -1);
        db_bind_int64(s, 3, q->now);
        db_bind_int64(s, 4, strcmp(to, "published") == 0);
    }
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE || svc_audit(q, verb, id) != 0) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (to) return answer(q, r, id, false, 200);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "ok", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err adm_publish(zq_req *q, zq_resp *r)
{
    return move(q, r, "publish", "published", "draft", "withdrawn", "该服务事项不能发布");
}

static zq_err adm_withdraw(zq_req *q, zq_resp *r)
{
    return move(q, r, "withdraw", "withdrawn", "published", NULL, "该服务事项尚未发布，无需撤回");
}

static zq_err adm_delete(zq_req *q, zq_resp *r)
{
    return move(q, r, "delete", NULL, "draft", NULL, "已发布或已撤回的服务事项不能删除（可撤回）");
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/services", pub_list, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/services/:id", pub_get, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    /* unscoped: the catalogue is the city's, not a district's */
    {ZQ_GET, "/api/v1/admin/services", adm_list, ZQ_ACCESS_STAFF, "service.manage", ZQ_RF_UNSCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/services", adm_create, ZQ_ACCESS_STAFF, "service.manage", ZQ_RF_JSON | ZQ_RF_UNSCOPED, 0, "service.create"},
    {ZQ_GET, "/api/v1/admin/services/:id", adm_get, ZQ_ACCESS_STAFF, "service.manage", ZQ_RF_UNSCOPED, 0, NULL},
    {ZQ_PUT, "/api/v1/admin/services/:id", adm_update, ZQ_ACCESS_STAFF, "service.manage", ZQ_RF_JSON | ZQ_RF_UNSCOPED, 0, "service.update"},
    {ZQ_DELETE, "/api/v1/admin/services/:id", adm_delete, ZQ_ACCESS_STAFF, "service.manage", ZQ_RF_JSON | ZQ_RF_UNSCOPED, 0, "service.delete"},
    {ZQ_POST, "/api/v1/admin/services/:id/publish", adm_publish, ZQ_ACCESS_STAFF, "service.manage",
     ZQ_RF_JSON | ZQ_RF_UNSCOPED, 0, "service.publish"},
    {ZQ_POST, "/api/v1/admin/services/:id/withdraw", adm_withdraw, ZQ_ACCESS_STAFF, "service.manage",
     ZQ_RF_JSON | ZQ_RF_UNSCOPED, 0, "service.withdraw"},
};
const zq_route_group service_routes = {routes, sizeof routes / sizeof routes[0]};
