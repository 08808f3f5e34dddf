/*
 * common.c — what every policy handler file shares (policy_internal.h):
 * reading an item and its types, writing it as JSON, the staff scope rule,
 * the history rows and the content version the public caches follow.
 */
#include "policy/policy_internal.h"
#include "http/scope.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "dict/dict.h"
#include <string.h>

static const char SQL_ITEM[] = "SELECT " POL_ITEM_COLS " FROM content_item c WHERE c.id = $1";
static const char SQL_TYPES[] = "SELECT code FROM content_type WHERE item_id = $1 ORDER BY code";
static const char SQL_ATTACHMENTS[] =
    "SELECT f.id, f.name, f.size, f.mime FROM content_attachment a JOIN bureau_file f ON f.id = a.file_id"
    " WHERE a.item_id = $1 ORDER BY a.sort";
static const char SQL_VERSION_BUMP[] = "UPDATE content_version SET version = version + 1 WHERE id = 1 RETURNING version";
static const char SQL_HISTORY[] =
    "INSERT INTO content_history(item_id, action, staff_id, staff_name, changes, at) VALUES ($1, $2, $3, $4, $5, $6)"
    " RETURNING id";

void pol_item_read(zq_req *q, db_stmt *s, pol_item *it)
{
    memset(it, 0, sizeof *it);
    it->id = db_col_int64(s, 0);
    it->kind = db_col_dup(q->arena, s, 1);
    it->status = db_col_dup(q->arena, s, 2);
    it->title = db_col_dup(q->arena, s, 3);
    it->summary = db_col_dup(q->arena, s, 4);
    it->department = db_col_dup(q->arena, s, 5);
    it->doc_no = db_col_dup(q->arena, s, 6);
    it->effective_from = db_col_dup(q->arena, s, 7);
    it->effective_to = db_col_dup(q->arena, s, 8);
    it->targets_json = db_col_dup(q->arena, s, 9);
    it->region = db_col_dup(q->arena, s, 10);
    it->interprets_id = db_col_int64(s, 11);
    it->publish_at = db_col_int64(s, 12);
    it->published_at = db_col_int64(s, 13);
    it->withdrawn_at = db_col_int64(s, 14);
    it->created_at = db_col_int64(s, 15);
    it->updated_at = db_col_int64(s, 16);
    it->body_html = db_col_dup(q->arena, s, 17);
    it->cover = db_col_int64(s, 18);
}

int pol_item_types(zq_req *q, pol_item *it)
{
    db_stmt *s = db_prepare(q->db, SQL_TYPES);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, it->id);
    const char *buf[POL_TYPES_MAX];
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW)
        if (n < POL_TYPES_MAX) buf[n++] = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    it->types = zq_arena_alloc(q->arena, sizeof *it->types * (size_t)(n ? n : 1));
    if (!it->types) return DB_ERR;
    memcpy(it->types, buf, sizeof *buf * (size_t)n);
    it->ntypes = n;
    return DB_OK;
}

int pol_item_load(zq_req *q, int64_t id, pol_item *it)
{
    db_stmt *s = db_prepare(q->db, SQL_ITEM);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) pol_item_read(q, s, it);
    db_stmt_done(s);
    if (rc != DB_ROW) return rc;
    int trc = pol_item_types(q, it);
    return trc == DB_OK ? DB_ROW : trc;
}

const char *pol_type_name(zq_req *q, const char *code)
{
    const char *n = dict_name(q, "policy_type", code);
    return n ? n : code;
}

bool pol_cover_mime_ok(const char *mime)
{
    /* the bureau upload path sniffs JPEG and PNG only (src/upload/sniff.c) */
    return mime && (strcmp(mime, "image/jpeg") == 0 || strcmp(mime, "image/png") == 0);
}

static const char *family_path(const pol_item *it)
{
    return strcmp(it->kind, "notice") == 0 ? "notices" : "policies";
}

void pol_write_head(zq_req *q, zq_jw *w, const pol_item *it)
{
    zq_jw_kint(w, "id", it->id);
    zq_jw_kstr(w, "title", it->title);
    zq_jw_kstr(w, "kind", it->kind);
    zq_jw_kstr(w, "status", it->status);
    zq_jw_ktime(w, "published_at", it->published_at);
    zq_jw_kstr(w, "summary", it->summary);
    zq_jw_kstr(w, "department", it->department);
    zq_jw_kstr(w, "doc_no", it->doc_no);
    zq_jw_kstr(w, "effective_from", it->effective_from);
    zq_jw_kstr(w, "effective_to", it->effective_to);
    /* the public path: it answers once the item is published (lists and
     * the portal's detail show it as a thumbnail / header image) */
    if (it->cover)
        zq_jw_kstr(w, "cover_url", zq_arena_printf(q->arena, "/api/v1/%s/%lld/cover", family_path(it), (long long)it->id));
    if (it->interprets_id) zq_jw_kint(w, "interprets", it->interprets_id);
    else {
        zq_jw_key(w, "interprets");
        zq_jw_null(w);
    }
    zq_jw_key(w, "types");
    zq_jw_arr(w);
    for (int i = 0; i < it->ntypes; i++) {
        zq_jw_obj(w);
        zq_jw_kstr(w, "code", it->types[i]);
        zq_jw_kstr(w, "name", pol_type_name(q, it->types[i]));
        zq_jw_obj_end(w);
    }
    zq_jw_arr_end(w);
}

void pol_write_item(zq_req *q, zq_jw *w, const pol_item *it, bool staff)
{
    zq_jw_obj(w);
    pol_write_head(q, w, it);
    zq_jw_kstr(w, "body_html", it->body_html);
    if (staff) {
        /* the editor keeps the id and previews a draft's cover through the
         * staff download route */
        zq_jw_key(w, "cover");
        if (it->cover) zq_jw_int(w, it->cover);
        else zq_jw_null(w);
        if (it->cover)
            zq_jw_kstr(w, "cover_staff_url", zq_arena_printf(q->arena, "/api/v1/admin/uploads/%lld", (long long)it->cover));
        targets t;
        if (targets_from_json(q->arena, it->targets_json, &t) == 0) {
            zq_jw_key(w, "targets");
            targets_write(w, &t);
        }
        zq_jw_kstr(w, "region", it->region);
        zq_jw_ktime(w, "publish_at", it->publish_at);
        zq_jw_ktime(w, "withdrawn_at", it->withdrawn_at);
        zq_jw_ktime(w, "created_at", it->created_at);
        zq_jw_ktime(w, "updated_at", it->updated_at);
    }
}

bool pol_scope_ok(const zq_req *q, const char *region)
{
    return zq_scope_allows(q, region);
}

int64_t pol_param_id(const zq_req *q, const char *name)
{
    const char *v = zq_req_param(q, name);
    int64_t id;
    return v && zq_parse_int64(v, 1, INT64_MAX, &id) ? id : 0;
}

int pol_version_bump(db_conn *c, int64_t *version)
{
    db_stmt *s = db_prepare(c, SQL_VERSION_BUMP);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW && version) *version = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int pol_history_add(db_conn *c, int64_t item_id, const char *action, int64_t staff_id, const char *staff_name,
                    const char *changes_json, int64_t now, int64_t *history_id)
{
    db_stmt *s = db_prepare(c, SQL_HISTORY);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, item_id);
    db_bind_text(s, 2, action, -1);
    if (staff_id) db_bind_int64(s, 3, staff_id);
    db_bind_text(s, 4, staff_name, -1);
    db_bind_text(s, 5, changes_json ? changes_json : "{}", -1);
    db_bind_int64(s, 6, now);
    int rc = db_step(s);
    if (rc == DB_ROW && history_id) *history_id = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int pol_replace_set(db_conn *c, const char *clear_sql, const char *add_sql, int64_t owner, const int64_t *nums,
                    const char *const *texts, int n, bool with_sort)
{
    db_stmt *s = db_prepare(c, clear_sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, owner);
    int rc = db_step(s);
    db_stmt_done(s);
    for (int i = 0; rc == DB_DONE && i < n; i++) {
        if (!(s = db_prepare(c, add_sql))) return DB_ERR;
        db_bind_int64(s, 1, owner);
        if (texts) db_bind_text(s, 2, texts[i], -1);
        else db_bind_int64(s, 2, nums[i]);
        if (with_sort) db_bind_int64(s, 3, i);
        rc = db_step(s);
        db_stmt_done(s);
    }
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int pol_write_attachments(zq_req *q, zq_jw *w, const pol_item *it, bool staff)
{
    /* the public download path: it answers once the item is published */
    const char *family = family_path(it);
    zq_jw_key(w, "attachments");
    zq_jw_arr(w);
    db_stmt *s = db_prepare(q->db, SQL_ATTACHMENTS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, it->id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t fid = db_col_int64(s, 0);
        zq_jw_obj(w);
        zq_jw_kint(w, "id", fid);
        zq_jw_kstr(w, "name", db_col_text(s, 1));
        zq_jw_kint(w, "size", db_col_int64(s, 2));
        zq_jw_kstr(w, "mime", db_col_text(s, 3));
        zq_jw_kstr(w, "url", zq_arena_printf(q->arena, "/api/v1/%s/%lld/attachments/%lld", family, (long long)it->id,
                                             (long long)fid));
        if (staff) zq_jw_kstr(w, "staff_url", zq_arena_printf(q->arena, "/api/v1/admin/uploads/%lld", (long long)fid));
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc;
}
