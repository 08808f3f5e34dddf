/*
 * admin.c — the bureau's content management, for two families with one
 * engine (docs/policy.md):
 *   /api/v1/admin/policies  (policy.publish; kinds news, interpretation)
 *   /api/v1/admin/notices   (notice.publish; kind notice)
 * each with GET (list) / POST (create a draft), GET/PUT/DELETE /:id,
 * POST /:id/publish {"publish_at"?}, POST /:id/withdraw and
 * GET /:id/audience-preview. District staff work on their district's items
 * only (another district's or a city-wide item answers 404) and their
 * targets are forced to their district.
 */
#include "policy/policy_form.h"
#include "http/context.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "http/scope.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

#define SCHEDULE_MAX_AHEAD (366 * 86400)
#define EXCERPT_CHARS 120

static const pol_family POLICIES = {"news interpretation", NULL, "policy", "政策"};
static const pol_family NOTICES = {"notice", "notice", "notice", "公告"};

static const char SQL_INSERT[] =
    "INSERT INTO content_item(kind, status, title, summary, body_html, body_text, department, doc_no,"
    " effective_from, effective_to, targets_json, region, interprets_id, cover_file_id, created_by, updated_by,"
    " created_at, updated_at) VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $15)"
    " RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE content_item SET kind = $2, title = $3, summary = $4, body_html = COALESCE($5, body_html),"
    " body_text = COALESCE($6, body_text), department = $7, doc_no = $8, effective_from = $9, effective_to = $10,"
    " targets_json = $11, interprets_id = $12, cover_file_id = $13, updated_by = $14, updated_at = $15 WHERE id = $1";
static const char SQL_TYPES_CLEAR[] = "DELETE FROM content_type WHERE item_id = $1";
static const char SQL_TYPE_ADD[] = "INSERT INTO content_type(item_id, code) VALUES ($1, $2)";
static const char SQL_ATT_CLEAR[] = "DELETE FROM content_attachment WHERE item_id = $1";
static const char SQL_ATT_ADD[] = "INSERT INTO content_attachment(item_id, file_id, sort) VALUES ($1, $2, $3)";
static const char SQL_ATT_IDS[] = "SELECT file_id FROM content_attachment WHERE item_id = $1 ORDER BY sort";
static const char SQL_STATUS[] = "SELECT status FROM content_item WHERE id = $1";
static const char SQL_DELETE[] = "DELETE FROM content_item WHERE id = $1 AND status IN ('draft', 'scheduled')";
static const char SQL_PUBLISH[] =
    "UPDATE content_item SET status = 'published', publish_at = 0, withdrawn_at = 0, updated_at = $2, updated_by = $3,"
    " published_at = CASE WHEN published_at = 0 THEN $2 ELSE published_at END"
    " WHERE id = $1 AND status IN ('draft', 'scheduled', 'withdrawn')";
static const char SQL_SCHEDULE[] =
    "UPDATE content_item SET status = 'scheduled', publish_at = $2, updated_at = $3, updated_by = $4"
    " WHERE id = $1 AND status IN ('draft', 'scheduled')";
static const char SQL_WITHDRAW[] =
    "UPDATE content_item SET status = 'withdrawn', withdrawn_at = $2, updated_at = $2, updated_by = $3"
    " WHERE id = $1 AND status = 'published'";
static const char SQL_UNSCHEDULE[] =
    "UPDATE content_item SET status = 'draft', publish_at = 0, updated_at = $2, updated_by = $3"
    " WHERE id = $1 AND status = 'scheduled'";
static const char SQL_HISTORY[] =
    "SELECT action, staff_name, changes, at FROM content_history WHERE item_id = $1 ORDER BY id DESC LIMIT 200";

static const pol_family *fam_of(const zq_req *q)
{
    return q->route && q->route->perm && strcmp(q->route->perm, "notice.publish") == 0 ? &NOTICES : &POLICIES;
}

static bool fam_has(const pol_family *fam, const char *kind)
{
    size_t n = strlen(kind);
    for (const char *p = fam->kinds; (p = strstr(p, kind)); p++)
        if ((p == fam->kinds || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return true;
    return false;
}

/* The route's audit record (the pipeline writes it at the commit); the verb
 * refines the route's action for one outcome (publish → schedule when
 * publish_at lies ahead, withdraw → unschedule). 0 or -1. */
static int ct_audit(zq_req *q, const char *verb, int64_t id, const char *region, const char *detail)
{
    const pol_family *fam = fam_of(q);
    return audit_note(q, &(audit_entry){.action = zq_arena_printf(q->arena, "%s.%s", fam->audit_prefix, verb),
                                          .object_type = "content",
                                          .object_id = zq_arena_printf(q->arena, "%lld", (long long)id),
                                          .detail = detail,
                                          .region = region});
}

int pol_admin_load(zq_req *q, zq_resp *r, pol_item *it)
{
    int64_t id = pol_param_id(q, "id");
    int rc = id ? pol_item_load(q, id, it) : DB_DONE;
    if (rc == DB_ROW && (!fam_has(fam_of(q), it->kind) || !pol_scope_ok(q, it->region))) rc = DB_DONE;
    if (rc == DB_DONE) zq_fail(r, ZQ_E_NOT_FOUND, zq_arena_printf(q->arena, "%s不存在", fam_of(q)->noun));
    else if (rc != DB_ROW) zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return rc;
}

static int write_types(zq_req *q, int64_t id, const pol_form *f)
{
    return pol_replace_set(q->db, SQL_TYPES_CLEAR, SQL_TYPE_ADD, id, NULL, f->types, f->ntypes, false);
}

static int write_attachments(zq_req *q, int64_t id, const pol_form *f)
{
    return pol_replace_set(q->db, SQL_ATT_CLEAR, SQL_ATT_ADD, id, f->attachments, NULL, f->nattach, true);
}

static void bind_opt(db_stmt *s, int idx, const char *v)
{
    if (v) db_bind_text(s, idx, v, -1);
    else db_bind_null(s, idx);
}

/* The detail answer: the item with attachments and history. */
static zq_err answer_item(zq_req *q, zq_resp *r, int64_t id, int status, int64_t delivered)
{
    pol_item it;
    int rc = pol_item_load(q, id, &it);
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, status);
    pol_write_item(q, &w, &it, true);
    if (delivered >= 0) zq_jw_kint(&w, "delivered", delivered);
    if (pol_write_attachments(q, &w, &it, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s;
    zq_jw_key(&w, "history");
    zq_jw_arr(&w);
    if (!(s = db_prepare(q->db, SQL_HISTORY))) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, id);
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "action", db_col_text(s, 0));
        zq_jw_kstr(&w, "staff_name", db_col_text(s, 1));
        zq_jw_key(&w, "changes");
        const char *ch = db_col_text(s, 2);
        zq_jw_raw(&w, ch ? ch : "{}", ch ? strlen(ch) : 2);
        zq_jw_ktime(&w, "at", db_col_int64(s, 3));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

/* ---- list ---- */

static zq_err ct_list(zq_req *q, zq_resp *r)
{
    const pol_family *fam = fam_of(q);
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, POL_PAGE_MAX);
    const char *status = zq_req_query(q, "status"), *kind = zq_req_query(q, "kind"), *kw = zq_req_query(q, "q");
    if (status && *status && strcmp(status, "draft") && strcmp(status, "scheduled") && strcmp(status, "published") &&
        strcmp(status, "withdrawn"))
        zq_fail_field(q, r, "status", "状态只能是 draft、scheduled、published 或 withdrawn");
    if (kind && *kind && !fam_has(fam, kind)) zq_fail_field(q, r, "kind", "类别不正确");
    if (kw && zq_utf8_len(kw) > 100) zq_fail_field(q, r, "q", "关键词不能超过 100 个字符");
    if (r->err) return r->err;

    int np = 1;
    const char *vals[4];
    int nv = 0;
    /* the family's kinds are constants of this file, never input */
    const char *where = fam->default_kind ? " WHERE c.kind = 'notice'" : " WHERE c.kind IN ('news', 'interpretation')";
    if (status && *status) {
        where = zq_arena_printf(q->arena, "%s AND c.status = $%d", where, np++);
        vals[nv++] = status;
    }
    if (kind && *kind) {
        where = zq_arena_printf(q->arena, "%s AND c.kind = $%d", where, np++);
        vals[nv++] = kind;
    }
    if (kw && *kw) {
        where = zq_arena_printf(q->arena, "%s AND c.title LIKE $%d ESCAPE '\\'", where, np++);
        vals[nv++] = zq_like_pattern(q->arena, kw, ZQ_LIKE_CONTAINS);
    }
    zq_scope sc = zq_scope_where(q, "c.region", &np);
    if (sc.value) vals[nv++] = sc.value;
    where = zq_arena_printf(q->arena, "%s%s", where, sc.sql);
    const char *count_sql = zq_arena_printf(q->arena, "SELECT COUNT(*) FROM content_item c%s", where);
    const char *list_sql = zq_arena_printf(q->arena,
                                           "SELECT " POL_ITEM_COLS " FROM content_item c%s"
                                           " ORDER BY c.updated_at DESC, c.id DESC LIMIT $%d OFFSET $%d",
                                           where, np, np + 1);
    if (!count_sql || !list_sql) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_stmt *s = db_prepare(q->db, count_sql);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    for (int i = 0; i < nv; i++) db_bind_text(s, i + 1, vals[i], -1);
    int rc = db_step(s);
    int64_t total = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);

    pol_item *items = zq_arena_alloc(q->arena, sizeof *items * (size_t)size);
    int n = 0;
    if (!items || !(s = db_prepare(q->db, list_sql))) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    for (int i = 0; i < nv; i++) db_bind_text(s, i + 1, vals[i], -1);
    db_bind_int64(s, np, size);
    db_bind_int64(s, np + 1, (page - 1) * size);
    while ((rc = db_step(s)) == DB_ROW && n < size) pol_item_read(q, s, &items[n++]);
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_list_begin(r, &w);
    for (int i = 0; i < n; i++) {
        if (pol_item_types(q, &items[i]) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        zq_jw_obj(&w);
        pol_write_head(q, &w, &items[i]);
        zq_jw_kstr(&w, "region", items[i].region);
        zq_jw_ktime(&w, "publish_at", items[i].publish_at);
        zq_jw_ktime(&w, "updated_at", items[i].updated_at);
        zq_jw_obj_end(&w);
    }
    zq_list_end(&w, total, page, size);
    return ZQ_OK;
}

/* ---- create / update ---- */

static zq_err ct_create(zq_req *q, zq_resp *r)
{
    const pol_family *fam = fam_of(q);
    pol_form f;
    if (pol_form_read(q, r, &f, fam, true) != ZQ_OK) return r->err;
    if (pol_form_check_link(q, r, &f, f.kind, 0) != ZQ_OK) return r->err;
    const char *region = *q->scope_region ? q->scope_region : NULL;
    if (region) targets_force_region(q->arena, &f.targets, region);
    const char *tj = targets_to_json(q->arena, &f.targets);
    if (!tj) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_text(s, 1, f.kind, -1);
    db_bind_text(s, 2, f.title, -1);
    bind_opt(s, 3, f.summary);
    db_bind_text(s, 4, f.body_html, -1);
    db_bind_text(s, 5, f.body_text, -1);
    bind_opt(s, 6, f.department);
    bind_opt(s, 7, f.doc_no);
    bind_opt(s, 8, f.effective_from);
    bind_opt(s, 9, f.effective_to);
    db_bind_text(s, 10, tj, -1);
    bind_opt(s, 11, region);
    if (f.interprets) db_bind_int64(s, 12, f.interprets);
    if (f.cover) db_bind_int64(s, 13, f.cover);
    db_bind_int64(s, 14, q->session->staff_id);
    db_bind_int64(s, 15, q->now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!id) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (write_types(q, id, &f) != DB_OK || write_attachments(q, id, &f) != DB_OK ||
        pol_history_add(q->db, id, "create", q->session->staff_id, q->session->actor_name, "{}", q->now, NULL) != DB_OK ||
        ct_audit(q, "create", id, region, NULL) != 0)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer_item(q, r, id, 201, -1);
}

/* The first EXCERPT_CHARS characters of s (arena). */
static const char *excerpt(zq_req *q, const char *s)
{
    if (!s) return NULL;
    const char *p = s;
    for (int i = 0; i < EXCERPT_CHARS && *p; i++) zq_utf8_next(&p);
    return *p ? zq_arena_printf(q->arena, "%.*s…", (int)(p - s), s) : s;
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void diff_str(zq_jw *w, int *n, const char *field, const char *before, const char *after)
{
    if (same(before, after)) return;
    zq_jw_key(w, field);
    zq_jw_obj(w);
    zq_jw_kstr(w, "before", before);
    zq_jw_kstr(w, "after", after);
    zq_jw_obj_end(w);
    (*n)++;
}

static const char *types_text(zq_req *q, const char *const *v, int n)
{
    const char *out = "";
    for (int i = 0; i < n && out; i++) out = zq_arena_printf(q->arena, "%s%s%s", out, i ? "," : "", v[i]);
    return out;
}

/* The item's stored targets in the canonical form targets_to_json gives
 * (older and demo rows hold shorter spellings: "{}", one key), so the same
 * audience compares equal; the stored text when it does not parse. */
static const char *targets_canon(zq_req *q, const char *stored)
{
    targets t;
    const char *c = targets_from_json(q->arena, stored, &t) == 0 ? targets_to_json(q->arena, &t) : NULL;
    return c ? c : stored;
}

/* "3,1,2": the attachment file ids in their order, stored (n < 0: read the
 * item's) or given; NULL when the read fails. */
static const char *attach_text(zq_req *q, int64_t item, const int64_t *ids, int n)
{
    const char *out = "";
    if (n >= 0) {
        for (int i = 0; i < n && out; i++) out = zq_arena_printf(q->arena, "%s%s%lld", out, i ? "," : "", (long long)ids[i]);
        return out;
    }
    db_stmt *s = db_prepare(q->db, SQL_ATT_IDS);
    if (!s) return NULL;
    db_bind_int64(s, 1, item);
    int rc;
    for (int i = 0; (rc = db_step(s)) == DB_ROW && out; i++)
        out = zq_arena_printf(q->arena, "%s%s%lld", out, i ? "," : "", (long long)db_col_int64(s, 0));
    db_stmt_done(s);
    return rc == DB_DONE ? out : NULL;
}

/* "n 个" for a list attach_text wrote. */
static const char *attach_count(zq_req *q, const char *list)
{
    int n = *list ? 1 : 0;
    for (const char *p = list; *p; p++) n += *p == ',';
    return zq_arena_printf(q->arena, "%d 个", n);
}

static zq_err ct_update(zq_req *q, zq_resp *r)
{
    const pol_family *fam = fam_of(q);
    pol_item it;
    if (pol_admin_load(q, r, &it) != DB_ROW) return r->err;
    pol_form f;
    if (pol_form_read(q, r, &f, fam, false) != ZQ_OK) return r->err;
    const char *kind = f.has_kind && f.kind ? f.kind : it.kind;
    pol_form link = f;
    link.interprets = f.has_interprets ? f.interprets : (strcmp(kind, "interpretation") == 0 ? it.interprets_id : 0);
    if (pol_form_check_link(q, r, &link, kind, it.id) != ZQ_OK) return r->err;
    if (f.redeliver && strcmp(it.status, "published") != 0)
        return zq_fail(r, ZQ_E_CONFLICT, "只有已发布的内容可以重新推送");

    /* final values: what the body gave, else what the item holds */
#define PICK(has, nv, ov) ((has) ? (nv) : (ov))
    const char *title = PICK(f.has_title, f.title, it.title), *summary = PICK(f.has_summary, f.summary, it.summary);
    const char *dept = PICK(f.has_department, f.department, it.department);
    const char *doc_no = PICK(f.has_doc_no, f.doc_no, it.doc_no);
    const char *from = PICK(f.has_from, f.effective_from, it.effective_from);
    const char *to = PICK(f.has_to, f.effective_to, it.effective_to);
    int64_t cover = PICK(f.has_cover, f.cover, it.cover);
#undef PICK
    if (from && to && strcmp(from, to) > 0) {
        zq_fail_field(q, r, "effective_to", "失效日期不能早于生效日期");
        return r->err;
    }
    const char *tj = it.targets_json;
    if (f.has_targets) {
        if (*q->scope_region) targets_force_region(q->arena, &f.targets, q->scope_region);
        if (!(tj = targets_to_json(q->arena, &f.targets))) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }

    /* the history's changes, field by field */
    zq_buf b;
    zq_jw w;
    int nchanged = 0;
    zq_buf_init(&b, 1 << 20);
    zq_jw_init(&w, &b);
    zq_jw_obj(&w);
    diff_str(&w, &nchanged, "kind", it.kind, kind);
    diff_str(&w, &nchanged, "title", it.title, title);
    diff_str(&w, &nchanged, "summary", it.summary, summary);
    diff_str(&w, &nchanged, "department", it.department, dept);
    diff_str(&w, &nchanged, "doc_no", it.doc_no, doc_no);
    diff_str(&w, &nchanged, "effective_from", it.effective_from, from);
    diff_str(&w, &nchanged, "effective_to", it.effective_to, to);
    if (f.has_body) diff_str(&w, &nchanged, "body_html", excerpt(q, it.body_html), excerpt(q, f.body_html));
    if (f.has_types)
        diff_str(&w, &nchanged, "types", types_text(q, it.types, it.ntypes), types_text(q, f.types, f.ntypes));
    if (f.has_targets) diff_str(&w, &nchanged, "targets", targets_canon(q, it.targets_json), tj);
    if (link.interprets != it.interprets_id)
        diff_str(&w, &nchanged, "interprets", zq_arena_printf(q->arena, "%lld", (long long)it.interprets_id),
                 zq_arena_printf(q->arena, "%lld", (long long)link.interprets));
    if (f.has_attachments) {
        const char *was = attach_text(q, it.id, NULL, -1), *now = attach_text(q, 0, f.attachments, f.nattach);
        if (!was || !now) {
            zq_buf_free(&b);
            return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        }
        if (!same(was, now)) {
            const char *before = attach_count(q, was), *after = attach_count(q, now);
            /* as many files as before, but others or in another order */
            if (same(before, after)) after = zq_arena_printf(q->arena, "%s（已更换或调整顺序）", after);
            diff_str(&w, &nchanged, "attachments", before, after);
        }
    }
    if (cover != it.cover)
        diff_str(&w, &nchanged, "cover", zq_arena_printf(q->arena, "%lld", (long long)it.cover),
                 zq_arena_printf(q->arena, "%lld", (long long)cover));
    zq_jw_obj_end(&w);
    const char *changes = zq_jw_ok(&w) ? zq_arena_strndup(q->arena, b.data, b.len) : NULL;
    zq_buf_free(&b);
    if (!changes) return zq_fail(r, ZQ_E_TOO_LARGE, "修改内容过多");
    if (!nchanged && !f.redeliver) return answer_item(q, r, it.id, 200, -1);

    bool published = strcmp(it.status, "published") == 0;
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_UPDATE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, it.id);
    db_bind_text(s, 2, kind, -1);
    db_bind_text(s, 3, title, -1);
    bind_opt(s, 4, summary);
    bind_opt(s, 5, f.has_body ? f.body_html : NULL);
    bind_opt(s, 6, f.has_body ? f.body_text : NULL);
    bind_opt(s, 7, dept);
    bind_opt(s, 8, doc_no);
    bind_opt(s, 9, from);
    bind_opt(s, 10, to);
    db_bind_text(s, 11, tj, -1);
    if (link.interprets) db_bind_int64(s, 12, link.interprets);
    if (cover) db_bind_int64(s, 13, cover);
    db_bind_int64(s, 14, q->session->staff_id);
    db_bind_int64(s, 15, q->now);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    int64_t hid = 0, delivered = -1;
    if ((f.has_types && write_types(q, it.id, &f) != DB_OK) ||
        (f.has_attachments && write_attachments(q, it.id, &f) != DB_OK) ||
        pol_history_add(q->db, it.id, "edit", q->session->staff_id, q->session->actor_name, changes, q->now, &hid) !=
            DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (f.redeliver && pol_deliver(q->db, q->now, it.id, hid, &delivered) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    int64_t version = 0;
    if ((published && pol_version_bump(q->db, &version) != DB_OK) ||
        ct_audit(q, "update", it.id, it.region,
                 zq_arena_printf(q->arena, "{\"fields\":%d,\"redeliver\":%s}", nchanged, f.redeliver ? "true" : "false")) != 0)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (version) policy_cache_saw(q->app->policies, version);
    if (f.redeliver) notify_kick(q->app);
    return answer_item(q, r, it.id, 200, delivered);
}

/* ---- delete / publish / withdraw ---- */

/* Opens the write transaction and re-reads the item's status under it
 * (row lock on PostgreSQL). DB_ROW with *status, else the answer in r. */
static int lock_status(zq_req *q, zq_resp *r, int64_t id, const char **status)
{
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL), DB_ERR;
    db_stmt *s = db_for_update(q->db, SQL_STATUS, NULL);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL), DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) *status = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_tx(q, r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, NULL), DB_ERR;
    return DB_ROW;
}

static zq_err ct_delete(zq_req *q, zq_resp *r)
{
    pol_item it;
    if (pol_admin_load(q, r, &it) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    const char *status;
    if (lock_status(q, r, it.id, &status) != DB_ROW) return r->err;
    if (strcmp(status, "draft") != 0 && strcmp(status, "scheduled") != 0)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "已发布或已撤回的内容不能删除（可撤回）");
    db_stmt *s = db_prepare(q->db, SQL_DELETE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, it.id);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该政策已有政策解读关联，请先删除或改关联解读");
    if (rc != DB_DONE || ct_audit(q, "delete", it.id, it.region, NULL) != 0)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kbool(&w, "ok", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err ct_publish(zq_req *q, zq_resp *r)
{
    const pol_family *fam = fam_of(q);
    pol_item it;
    if (pol_admin_load(q, r, &it) != DB_ROW) return r->err;
    static const char *const keys[] = {"publish_at", NULL};
    if (q->json) zq_in_only(q, r, keys);
    int64_t at = 0;
    json_t *v = q->json ? json_object_get(q->json, "publish_at") : NULL;
    if (v && !json_is_null(v) && (!json_is_string(v) || !zq_time_parse(json_string_value(v), &at)))
        zq_fail_field(q, r, "publish_at", "定时发布时间格式应为 2026-12-08T09:00:00+08:00");
    else if (at > q->now + SCHEDULE_MAX_AHEAD)
        zq_fail_field(q, r, "publish_at", "定时发布时间不能超过一年以后");
    if (r->err) return r->err;
    bool schedule = at > q->now;

    const char *status;
    if (lock_status(q, r, it.id, &status) != DB_ROW) return r->err;
    if (strcmp(status, "published") == 0) {
        /* a second click: already out, nothing more to send */
        db_rollback(q->db);
        audit_none(q);
        if (schedule) return zq_fail(r, ZQ_E_CONFLICT, zq_arena_printf(q->arena, "该%s已发布", fam->noun));
        return answer_item(q, r, it.id, 200, 0);
    }
    if (schedule && strcmp(status, "withdrawn") == 0)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "已撤回的内容请直接重新发布");
    db_stmt *s = db_prepare(q->db, schedule ? SQL_SCHEDULE : SQL_PUBLISH);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, it.id);
    if (schedule) {
        db_bind_int64(s, 2, at);
        db_bind_int64(s, 3, q->now);
        db_bind_int64(s, 4, q->session->staff_id);
    } else {
        db_bind_int64(s, 2, q->now);
        db_bind_int64(s, 3, q->session->staff_id);
    }
    int rc = db_step(s);
    int64_t moved = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE || moved != 1) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    int64_t delivered = 0, version = 0;
    const char *detail = NULL;
    if (schedule) {
        char iso[26];
        zq_time_iso(at, iso);
        detail = zq_arena_printf(q->arena, "{\"publish_at\":\"%s\"}", iso);
        if (pol_history_add(q->db, it.id, "schedule", q->session->staff_id, q->session->actor_name, detail, q->now,
                            NULL) != DB_OK)
            return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    } else {
        if (pol_deliver(q->db, q->now, it.id, 0, &delivered) != DB_OK ||
            pol_history_add(q->db, it.id, "publish", q->session->staff_id, q->session->actor_name, "{}", q->now,
                            NULL) != DB_OK ||
            pol_version_bump(q->db, &version) != DB_OK)
            return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        detail = zq_arena_printf(q->arena, "{\"delivered\":%lld}", (long long)delivered);
    }
    if (ct_audit(q, schedule ? "schedule" : "publish", it.id, it.region, detail) != 0)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (version) policy_cache_saw(q->app->policies, version);
    if (!schedule) notify_kick(q->app);
    return answer_item(q, r, it.id, 200, delivered);
}

static zq_err ct_withdraw(zq_req *q, zq_resp *r)
{
    const pol_family *fam = fam_of(q);
    pol_item it;
    if (pol_admin_load(q, r, &it) != DB_ROW) return r->err;
    if (zq_in_none(q, r) != ZQ_OK) return r->err;
    const char *status;
    if (lock_status(q, r, it.id, &status) != DB_ROW) return r->err;
    if (strcmp(status, "withdrawn") == 0) {
        db_rollback(q->db);
        return answer_item(q, r, it.id, 200, -1);
    }
    bool scheduled = strcmp(status, "scheduled") == 0;
    if (!scheduled && strcmp(status, "published") != 0)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, zq_arena_printf(q->arena, "该%s尚未发布，无需撤回", fam->noun));
    db_stmt *s = db_prepare(q->db, scheduled ? SQL_UNSCHEDULE : SQL_WITHDRAW);
    if (!s) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, it.id);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, q->session->staff_id);
    int rc = db_step(s);
    db_stmt_done(s);
    int64_t version = 0;
    if (rc != DB_DONE ||
        pol_history_add(q->db, it.id, scheduled ? "unschedule" : "withdraw", q->session->staff_id,
                        q->session->actor_name, "{}", q->now, NULL) != DB_OK ||
        (!scheduled && pol_version_bump(q->db, &version) != DB_OK) ||
        ct_audit(q, scheduled ? "unschedule" : "withdraw", it.id, it.region, NULL) != 0)
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (version) policy_cache_saw(q->app->policies, version);
    return answer_item(q, r, it.id, 200, -1);
}

static zq_err ct_get(zq_req *q, zq_resp *r)
{
    pol_item it;
    if (pol_admin_load(q, r, &it) != DB_ROW) return r->err;
    return answer_item(q, r, it.id, 200, -1);
}

static zq_err ct_preview(zq_req *q, zq_resp *r)
{
    pol_item it;
    if (pol_admin_load(q, r, &it) != DB_ROW) return r->err;
    targets t;
    if (targets_from_json(q->arena, it.targets_json, &t) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    int64_t subscribed = 0, matching = targets_count(q->db, q->arena, &t);
    if (matching < 0 || pol_audience_count(q->db, q->arena, it.id, &t, &subscribed) != DB_OK)
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "count", subscribed);
    zq_jw_kint(&w, "matching", matching);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

#define CT_ROUTES(base, perm, act)                                                                                   \
    {ZQ_GET, base, ct_list, ZQ_ACCESS_STAFF, perm, ZQ_RF_SCOPED, 0, NULL},                                           \
    {ZQ_POST, base, ct_create, ZQ_ACCESS_STAFF, perm, ZQ_RF_JSON | ZQ_RF_SCOPED, 0, act ".create"},                  \
    {ZQ_GET, base "/:id", ct_get, ZQ_ACCESS_STAFF, perm, ZQ_RF_SCOPED, 0, NULL},                                     \
    {ZQ_PUT, base "/:id", ct_update, ZQ_ACCESS_STAFF, perm, ZQ_RF_JSON | ZQ_RF_SCOPED, 0, act ".update"},            \
    {ZQ_DELETE, base "/:id", ct_delete, ZQ_ACCESS_STAFF, perm, ZQ_RF_JSON | ZQ_RF_SCOPED, 0, act ".delete"},         \
    /* publish records act.publish, or act.schedule when publish_at lies ahead */                                    \
    {ZQ_POST, base "/:id/publish", ct_publish, ZQ_ACCESS_STAFF, perm, ZQ_RF_JSON | ZQ_RF_SCOPED, 0, act ".publish"}, \
    /* withdraw records act.withdraw, or act.unschedule for a scheduled item */                                      \
    {ZQ_POST, base "/:id/withdraw", ct_withdraw, ZQ_ACCESS_STAFF, perm, ZQ_RF_JSON | ZQ_RF_SCOPED, 0, act ".withdraw"}, \
    {ZQ_GET, base "/:id/audience-preview", ct_preview, ZQ_ACCESS_STAFF, perm, ZQ_RF_SCOPED, 0, NULL}

static const zq_route routes[] = {
    CT_ROUTES("/api/v1/admin/policies", "policy.publish", "policy"),
    CT_ROUTES("/api/v1/admin/notices", "notice.publish", "notice"),
};
const zq_route_group policy_admin_routes = {routes, sizeof routes / sizeof routes[0]};
