/*
 * public.c — the portal's policies and notices, for anyone:
 *   GET /api/v1/policies?q=&kind=&type=&department=&from=&to=&page=&page_size=
 *   GET /api/v1/policies/:id      (with its interpretations, or the policy it interprets)
 *   GET /api/v1/notices?q=&page=&page_size=
 *   GET /api/v1/notices/:id
 *   GET /api/v1/policies|notices/:id/attachments/:file_id   (the file itself)
 * Only published items exist here: drafts, scheduled and withdrawn ones
 * answer 404. Every list answer comes from the in-memory cache
 * (public_cache.c) with an ETag once rendered: the unfiltered first pages
 * in slots of their own, so the portal's landing lists cost no database
 * work, and any other query (a search, a filter, a deeper page) by a
 * digest of what it asks, until the next publication, withdrawal or edit
 * of a published item; the keyword search goes through the gram index of
 * migration 0017 (search.c).
 */
#include "policy/policy_internal.h"
#include "policy/policy_search.h"
#include "http/context.h"
#include "core/clock.h"
#include "core/text.h"
#include "core/vcache.h"
#include "db/db.h"
#include "dict/dict.h"
#include "http/input.h"
#include "upload/upload.h"
#include <string.h>

#define PUB_PAGE_DEFAULT 20
#define PUB_CACHED_PAGES 5

static const char SQL_DETAIL[] = "SELECT " POL_ITEM_COLS " FROM content_item c WHERE c.id = $1 AND c.status = 'published'";
static const char SQL_INTERPS[] =
    "SELECT " POL_ITEM_COLS " FROM content_item c WHERE c.interprets_id = $1 AND c.status = 'published'"
    " AND c.kind = 'interpretation' ORDER BY c.published_at DESC, c.id DESC LIMIT 50";
static const char SQL_FILE[] =
    "SELECT f.name, f.mime, f.size, f.sha256, b.chunk_count FROM content_attachment a"
    " JOIN bureau_file f ON f.id = a.file_id JOIN file_blob b ON b.sha256 = f.sha256"
    " WHERE a.item_id = $1 AND a.file_id = $2";

static const char SQL_COVER[] =
    "SELECT f.name, f.mime, f.size, f.sha256, b.chunk_count FROM content_item c"
    " JOIN bureau_file f ON f.id = c.cover_file_id JOIN file_blob b ON b.sha256 = f.sha256"
    " WHERE c.id = $1 AND c.cover_file_id = $2";

static bool is_notices(const zq_req *q)
{
    return strncmp(q->route->pattern, "/api/v1/notices", 15) == 0;
}

/* Reads the filters; false with a field error in r on bad input. */
static bool read_filter(zq_req *q, zq_resp *r, pol_filter *f, bool notices)
{
    memset(f, 0, sizeof *f);
    f->notices = notices;
    zq_in_page(q, r, &f->page, &f->page_size, PUB_PAGE_DEFAULT, POL_PAGE_MAX);
    f->q = zq_req_query(q, "q");
    if (f->q && !*f->q) f->q = NULL;
    if (f->q && zq_utf8_len(f->q) > POL_QUERY_MAX)
        zq_fail_field(q, r, "q", zq_arena_printf(q->arena, "关键词不能超过 %d 个字符", POL_QUERY_MAX));
    if (!notices) {
        f->kind = zq_req_query(q, "kind");
        if (f->kind && !*f->kind) f->kind = NULL;
        if (f->kind && strcmp(f->kind, "news") != 0 && strcmp(f->kind, "interpretation") != 0)
            zq_fail_field(q, r, "kind", "类别只能是 news（政策资讯）或 interpretation（政策解读）");
        f->type = zq_req_query(q, "type");
        if (f->type && !*f->type) f->type = NULL;
        if (f->type && (strlen(f->type) > 32 || !dict_has_code(q->db, "policy_type", f->type)))
            zq_fail_field(q, r, "type", "政策类型不存在");
        f->department = zq_req_query(q, "department");
        if (f->department && !*f->department) f->department = NULL;
        if (f->department && zq_utf8_len(f->department) > POL_DEPT_MAX) zq_fail_field(q, r, "department", "发布部门过长");
        const char *from = zq_req_query(q, "from"), *to = zq_req_query(q, "to");
        if (from && *from && !zq_date_parse(from, &f->from)) zq_fail_field(q, r, "from", "开始日期须为 YYYY-MM-DD");
        if (to && *to) {
            if (!zq_date_parse(to, &f->to)) zq_fail_field(q, r, "to", "结束日期须为 YYYY-MM-DD");
            else f->to += 86400; /* the whole day */
        }
        if (f->from && f->to && f->from >= f->to) zq_fail_field(q, r, "to", "结束日期不能早于开始日期");
    }
    return !r->err;
}

/* The portal's own pages only (its page sizes, the first few pages): a
 * bounded set of keys, so odd page sizes cannot fill the cache's slots
 * before the landing page gets one. */
static bool cacheable(const pol_filter *f)
{
    return !f->q && !f->kind && !f->type && !f->department && !f->from && !f->to && f->page <= PUB_CACHED_PAGES &&
           (f->page_size == 10 || f->page_size == PUB_PAGE_DEFAULT);
}

/* The page as the list JSON into r->body. */
static zq_err render_list(zq_req *q, zq_resp *r, const pol_filter *f)
{
    pol_item *items = zq_arena_alloc(q->arena, sizeof *items * (size_t)f->page_size);
    int n = 0;
    int64_t total = 0;
    if (!items) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    int rc = pol_search(q, f, items, &n, &total);
    if (rc != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_list_begin(r, &w);
    for (int i = 0; i < n; i++) {
        if (pol_item_types(q, &items[i]) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        zq_jw_obj(&w);
        pol_write_head(q, &w, &items[i]);
        zq_jw_obj_end(&w);
    }
    zq_list_end(&w, total, f->page, f->page_size);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err pub_list(zq_req *q, zq_resp *r)
{
    pol_filter f;
    bool notices = is_notices(q);
    /* the filters that name dictionary codes need a connection; the
     * cached landing pages do not */
    bool plain = !zq_req_query(q, "q") && !zq_req_query(q, "type") && !zq_req_query(q, "kind") &&
                 !zq_req_query(q, "department") && !zq_req_query(q, "from") && !zq_req_query(q, "to");
    if (!plain) {
        zq_err de = zq_req_db(q, r);
        if (de != ZQ_OK) return de;
    }
    if (!read_filter(q, r, &f, notices)) return r->err;
    char key[48];
    if (!cacheable(&f)) {
        /* any other query, by a digest of everything it asks: the same
         * search asked again is served from memory until the next
         * publication, withdrawal or edit of a published item */
        const char *canon = zq_arena_printf(q->arena, "%d|%lld|%lld|%s|%s|%s|%s|%lld|%lld", notices,
                                            (long long)f.page, (long long)f.page_size, f.q ? f.q : "",
                                            f.kind ? f.kind : "", f.type ? f.type : "",
                                            f.department ? f.department : "", (long long)f.from, (long long)f.to);
        char digest[24];
        vcache_etag(canon, strlen(canon), digest);
        snprintf(key, sizeof key, "?%s", digest);
        return policy_cache_serve(q, r, key, render_list, &f);
    }
    snprintf(key, sizeof key, "%s|%lld|%lld", notices ? "n" : "p", (long long)f.page, (long long)f.page_size);
    return policy_cache_serve(q, r, key, render_list, &f);
}

/* One published item of the route's family, or 404. */
static int load_public(zq_req *q, zq_resp *r, pol_item *it)
{
    int64_t id = pol_param_id(q, "id");
    db_stmt *s = id ? db_prepare(q->db, SQL_DETAIL) : NULL;
    if (id && !s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL), DB_ERR;
    int rc = DB_DONE;
    if (s) {
        db_bind_int64(s, 1, id);
        rc = db_step(s);
        if (rc == DB_ROW) pol_item_read(q, s, it);
        db_stmt_done(s);
    }
    bool notice = rc == DB_ROW && strcmp(it->kind, "notice") == 0;
    if (rc == DB_ROW && notice != is_notices(q)) rc = DB_DONE;
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, is_notices(q) ? "公告不存在或已撤回" : "政策不存在或已撤回"), DB_DONE;
    if (rc != DB_ROW || pol_item_types(q, it) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL), DB_ERR;
    return DB_ROW;
}

zq_err pol_public_detail(zq_req *q, zq_resp *r, pol_item *it, bool staff)
{
    zq_jw w;
    zq_resp_json(r, &w, 200);
    pol_write_item(q, &w, it, staff);
    if (pol_write_attachments(q, &w, it, staff) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (strcmp(it->kind, "news") == 0) {
        zq_jw_key(&w, "interpretations");
        zq_jw_arr(&w);
        db_stmt *s = db_prepare(q->db, SQL_INTERPS);
        if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_int64(s, 1, it->id);
        pol_item x;
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            pol_item_read(q, s, &x);
            zq_jw_obj(&w);
            zq_jw_kint(&w, "id", x.id);
            zq_jw_kstr(&w, "title", x.title);
            zq_jw_kstr(&w, "kind", x.kind);
            zq_jw_kstr(&w, "status", x.status);
            zq_jw_ktime(&w, "published_at", x.published_at);
            zq_jw_kstr(&w, "summary", x.summary);
            zq_jw_obj_end(&w);
        }
        db_stmt_done(s);
        zq_jw_arr_end(&w);
        if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    } else if (it->interprets_id) {
        pol_item p;
        int rc = pol_item_load(q, it->interprets_id, &p);
        zq_jw_key(&w, "policy");
        if (rc == DB_ROW && strcmp(p.status, "published") == 0) {
            zq_jw_obj(&w);
            zq_jw_kint(&w, "id", p.id);
            zq_jw_kstr(&w, "title", p.title);
            zq_jw_kstr(&w, "kind", p.kind);
            zq_jw_kstr(&w, "status", p.status);
            zq_jw_ktime(&w, "published_at", p.published_at);
            zq_jw_kstr(&w, "doc_no", p.doc_no);
            zq_jw_obj_end(&w);
        } else {
            zq_jw_null(&w);
        }
    }
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static zq_err pub_detail(zq_req *q, zq_resp *r)
{
    pol_item it;
    if (load_public(q, r, &it) != DB_ROW) return r->err;
    return pol_public_detail(q, r, &it, false);
}

/* A published item's attachment: 404 for drafts, withdrawn items and files
 * the item does not list (no other bureau file is reachable this way). */
static zq_err pub_attachment(zq_req *q, zq_resp *r)
{
    pol_item it;
    if (load_public(q, r, &it) != DB_ROW) return r->err;
    upload_file f;
    if (upload_file_find(q, r, SQL_FILE, it.id, pol_param_id(q, "file_id"), &f) != DB_ROW) return r->err;
    return upload_send(q, r, &f);
}

/* A published item's cover image: 404 for drafts, withdrawn items and items
 * without one. Sent like the attachments (src/upload/send.c); an <img>
 * shows it regardless of the attachment disposition. */
static zq_err pub_cover(zq_req *q, zq_resp *r)
{
    pol_item it;
    if (load_public(q, r, &it) != DB_ROW) return r->err;
    upload_file f;
    if (!it.cover) return zq_fail(r, ZQ_E_NOT_FOUND, "该内容没有封面图片");
    if (upload_file_find(q, r, SQL_COVER, it.id, it.cover, &f) != DB_ROW) return r->err;
    return upload_send(q, r, &f);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/policies", pub_list, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_NO_DB, 0, NULL},
    {ZQ_GET, "/api/v1/policies/:id", pub_detail, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/policies/:id/attachments/:file_id", pub_attachment, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/policies/:id/cover", pub_cover, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/notices", pub_list, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_NO_DB, 0, NULL},
    {ZQ_GET, "/api/v1/notices/:id", pub_detail, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/notices/:id/attachments/:file_id", pub_attachment, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/notices/:id/cover", pub_cover, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
};
const zq_route_group policy_public_routes = {routes, sizeof routes / sizeof routes[0]};
