/*
 * zip.c — the two batch downloads:
 *   GET /api/v1/admin/declarations/:id/materials.zip?region=&status=&q=&progress=<token>
 *       every material of the filtered, submitted applications in the
 *       caller's scope, one folder per firm 「申报编号-企业名称/材料-文件」
 *       (declaration.manage, heavy; progress as the directory export's)
 *   GET /api/v1/enterprise/declarations/:id/templates.zip
 *       the call's templates as one zip (批量下载), which counts as the
 *       firm's download of them
 * Both are written by zipper.c to an unlinked temporary file and streamed.
 */
#include "declare/declare.h"
#include "declare/declare_internal.h"
#include "declare/zipper.h"
#include "audit/audit.h"
#include "core/text.h"
#include "db/db.h"
#include "directory/export_progress.h"
#include "http/scope.h"
#include "http/session.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ZIP_MAX_FILES 20000

static const char SQL_MATERIALS[] =
    "SELECT a.no, e.name, m.slot_key, u.name, u.sha256, u.size FROM decl_app a JOIN enterprise e ON e.id = a.enterprise_id"
    " JOIN decl_material m ON m.app_id = a.id JOIN upload u ON u.id = m.upload_id"
    "%s AND a.status NOT IN ('draft', 'withdrawn') ORDER BY a.no, m.slot_key, m.sort LIMIT $%d";
static const char SQL_TEMPLATES[] =
    "SELECT f.name, f.sha256, f.size FROM decl_template t JOIN bureau_file f ON f.id = t.file_id WHERE t.call_id = $1"
    " ORDER BY t.sort";
static const char SQL_RECORD[] =
    "INSERT INTO decl_download(call_id, enterprise_id, user_id, at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (call_id, enterprise_id) DO NOTHING";

static void progress(zq_req *q, int64_t done, void *ctx)
{
    const char *token = ctx;
    if (token) export_progress_update(q->db, token, done, "running", q->now);
}

/* The slot's display name from the call's slots (arena), else its key. */
static const char *slot_name(zq_req *q, json_t *slots, const char *key)
{
    size_t i;
    json_t *d;
    json_array_foreach(slots, i, d) if (strcmp(json_string_value(json_object_get(d, "key")), key) == 0) return zq_arena_strdup(
        q->arena, json_string_value(json_object_get(d, "name")));
    return key;
}

static zq_err materials_zip(zq_req *q, zq_resp *r)
{
    int64_t cid = hk_param_id(q, "id");
    decl_call c;
    int rc = cid ? decl_call_load(q, cid, &c) : DB_DONE;
    if (rc == DB_ROW && (strcmp(c.status, "draft") == 0 || (c.region && !zq_scope_allows(q, c.region)))) rc = DB_DONE;
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, rc == DB_DONE ? "申报通知不存在" : NULL);
    const char *region = zq_req_query(q, "region"), *status = zq_req_query(q, "status"), *kw = zq_req_query(q, "q"),
               *token = zq_req_query(q, "progress");
    if (region && *region && !zq_scope_allows(q, region))
        zq_fail_field(q, r, "region", "只能下载本区县的申报材料");
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "区县代码不正确");
    if (status && strlen(status) > 16) zq_fail_field(q, r, "status", "状态不正确");
    if (kw && zq_utf8_len(kw) > 50) zq_fail_field(q, r, "q", "关键词不能超过 50 个字符");
    if (token && !export_token_ok(token)) zq_fail_field(q, r, "progress", "进度标识须为 32 位字母或数字");
    if (r->err) return r->err;
    hk_filter f;
    decl_app_filter(q, &f, c.id, region, status, kw);
    const char *where = hk_filter_where(&f, q->arena);
    const char *sql = where ? zq_arena_printf(q->arena, SQL_MATERIALS, where, hk_filter_next(&f)) : NULL;
    if (!sql) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    json_t *slots = json_loads(c.slots_json ? c.slots_json : "[]", 0, NULL);
    db_stmt *s = slots ? db_prepare(q->db, sql) : NULL;
    if (!s) {
        json_decref(slots);
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    hk_filter_bind(&f, s);
    db_bind_int64(s, hk_filter_next(&f), ZIP_MAX_FILES + 1);
    int cap = 256, n = 0;
    decl_zip_entry *e = malloc(sizeof *e * (size_t)cap);
    while (e && (rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            decl_zip_entry *ne = realloc(e, sizeof *e * (size_t)(cap *= 2));
            if (!ne) break;
            e = ne;
        }
        const char *folder = decl_zip_name(q, zq_arena_printf(q->arena, "%s-%s", db_col_text(s, 0), db_col_text(s, 1)));
        const char *file = decl_zip_name(
            q, zq_arena_printf(q->arena, "%s-%s", slot_name(q, slots, db_col_text(s, 2)), db_col_text(s, 3)));
        e[n++] = (decl_zip_entry){.name = zq_arena_printf(q->arena, "%s/%s", folder, file),
                                  .sha256 = zq_arena_strdup(q->arena, db_col_text(s, 4)),
                                  .size = db_col_int64(s, 5)};
    }
    db_stmt_done(s);
    json_decref(slots);
    if (!e || rc != DB_DONE) {
        free(e);
        return zq_fail(r, n > ZIP_MAX_FILES ? ZQ_E_UNPROCESSABLE : ZQ_E_UNAVAILABLE,
                       n > ZIP_MAX_FILES ? "文件过多，请增加筛选条件后分批下载" : NULL);
    }
    if (n == 0) {
        free(e);
        return zq_fail(r, ZQ_E_UNPROCESSABLE, "没有符合条件的申报材料");
    }
    if (token) {
        rc = export_progress_start(q->db, token, q->session->staff_id, n, q->now);
        if (rc != DB_OK) {
            free(e);
            return zq_fail(r, rc == DB_ECONSTRAINT ? ZQ_E_CONFLICT : ZQ_E_UNAVAILABLE,
                           rc == DB_ECONSTRAINT ? "进度标识已被使用，请重新下载" : NULL);
        }
    }
    char path[] = "/tmp/zq-decl-zip-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) close(fd);
    int w = fd >= 0 ? decl_zip_write(q, path, e, n, progress, (void *)token) : -1;
    free(e);
    if (w != 0) {
        if (fd >= 0) unlink(path); /* a half-written archive */
        if (token) export_progress_update(q->db, token, 0, "failed", q->now);
        return zq_fail(r, ZQ_E_INTERNAL, "打包失败，请稍后重试");
    }
    if (token) export_progress_update(q->db, token, n, "done", q->now);
    if (audit_record(q, &(audit_entry){.action = "declaration.materials_zip", .object_type = "declaration",
                                       .object_id = zq_arena_printf(q->arena, "%lld", (long long)c.id),
                                       .detail = zq_arena_printf(q->arena, "{\"files\":%d}", n),
                                       .region = c.region}) != 0) {
        unlink(path);
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    return decl_zip_send(q, r, path, zq_arena_printf(q->arena, "%s-申报材料.zip", decl_zip_name(q, c.title)));
}

static zq_err templates_zip(zq_req *q, zq_resp *r)
{
    int64_t cid = hk_param_id(q, "id");
    decl_call c;
    int rc = cid ? decl_call_load(q, cid, &c) : DB_DONE;
    if (rc == DB_ROW && (strcmp(c.status, "draft") == 0 || !decl_call_reaches(q, &c, q->session->enterprise_id)))
        rc = DB_DONE;
    if (rc != DB_ROW) return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_UNAVAILABLE, rc == DB_DONE ? "申报通知不存在" : NULL);
    db_stmt *s = db_prepare(q->db, SQL_TEMPLATES);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, c.id);
    decl_zip_entry e[DECL_TEMPLATES_MAX];
    int n = 0;
    while ((rc = db_step(s)) == DB_ROW && n < DECL_TEMPLATES_MAX)
        e[n++] = (decl_zip_entry){.name = decl_zip_name(q, db_col_text(s, 0)),
                                  .sha256 = zq_arena_strdup(q->arena, db_col_text(s, 1)),
                                  .size = db_col_int64(s, 2)};
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (n == 0) return zq_fail(r, ZQ_E_NOT_FOUND, "该申报通知没有申报附件");
    char path[] = "/tmp/zq-decl-tpl-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) close(fd);
    if (fd < 0 || decl_zip_write(q, path, e, n, NULL, NULL) != 0) {
        if (fd >= 0) unlink(path);
        return zq_fail(r, ZQ_E_INTERNAL, "打包失败，请稍后重试");
    }
    /* the firm counts as having downloaded only once the zip exists (the
     * 申报 button opens on this record) */
    if (!(s = db_prepare(q->db, SQL_RECORD))) {
        unlink(path);
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    db_bind_int64(s, 1, c.id);
    db_bind_int64(s, 2, q->session->enterprise_id);
    db_bind_int64(s, 3, q->session->user_id);
    db_bind_int64(s, 4, q->now);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) {
        unlink(path);
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    return decl_zip_send(q, r, path, zq_arena_printf(q->arena, "%s-申报附件.zip", decl_zip_name(q, c.title)));
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/admin/declarations/:id/materials.zip", materials_zip, ZQ_ACCESS_STAFF, "declaration.manage",
     ZQ_RF_HEAVY | ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/enterprise/declarations/:id/templates.zip", templates_zip, ZQ_ACCESS_MEMBER,
     "policy.view|declaration.submit", ZQ_RF_HEAVY, 0, NULL},
};
const zq_route_group decl_zip_routes = {routes, sizeof routes / sizeof routes[0]};
