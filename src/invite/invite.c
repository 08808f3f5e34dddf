/*
 * invite.c — district invite links and their QR codes (see invite.h):
 *   POST /api/v1/admin/invites              create (district staff: own district; city: any)
 *   GET  /api/v1/admin/invites              list (scoped)
 *   POST /api/v1/admin/invites/:id/revoke   revoke
 *   GET  /api/v1/admin/invites/:id/qr.svg   QR code of <origin>/r/<token>?via=qr
 *   GET  /api/v1/admin/invites/:id/qr.png
 *   GET  /api/v1/invites/:token             public: the district to pre-select
 */
#include "invite/invite.h"
#include "http/scope.h"
#include "handler/kit.h"
#include "invite/qr.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "core/text.h"
#include "db/db.h"
#include "dict/dict.h"
#include "core/clock.h"
#include "http/input.h"
#include <sodium.h>
#include <string.h>

#define INVITE_TOKEN_BYTES 16        /* 128 random bits → 22 base64url characters */
#define INVITE_NOTE_MAX_CHARS 200
#define INVITE_MAX_DAYS 3650
#define HOST_MAX_BYTES 255

static const char SQL_FIND[] =
    "SELECT id, region, channel FROM invite WHERE token = $1 AND revoked_at = 0"
    " AND (expires_at = 0 OR expires_at > $2)";
static const char SQL_USE[] =
    "UPDATE invite SET uses = uses + 1 WHERE id = $1 AND revoked_at = 0 AND (expires_at = 0 OR expires_at > $2)";
static const char SQL_REGION_OK[] =
    "SELECT 1 FROM dict_item WHERE type = 'region' AND code = $1 AND enabled = 1 AND parent IS NOT NULL";
static const char SQL_INSERT[] =
    "INSERT INTO invite(token, region, channel, note, created_by, expires_at, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
#define INVITE_COLS                                                                                      \
    "SELECT i.id, i.token, i.region, rg.name, i.channel, i.note, i.expires_at, i.revoked_at, i.uses,"   \
    " i.created_at, st.name FROM invite i"                                                               \
    " LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = i.region"                               \
    " LEFT JOIN staff st ON st.id = i.created_by"
static const char SQL_ONE[] = INVITE_COLS " WHERE i.id = $1";
static const char SQL_LIST[] = INVITE_COLS " WHERE ($1 = '' OR i.region = $1) AND ($2 = '' OR i.region = $2)"
                                           " ORDER BY i.created_at DESC, i.id DESC LIMIT $3 OFFSET $4";
static const char SQL_COUNT[] =
    "SELECT COUNT(*) FROM invite i WHERE ($1 = '' OR i.region = $1) AND ($2 = '' OR i.region = $2)";
static const char SQL_REVOKE[] =
    "UPDATE invite SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0 AND ($3 = '' OR region = $3)";
static const char SQL_SCOPE[] = "SELECT region, token, revoked_at, expires_at FROM invite WHERE id = $1";

/* ---- helpers ---- */

static bool token_well_formed(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    if (n == 0 || n > 64) return false;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}


/* "<scheme>://<host>" of the request, from Host and X-Forwarded-Proto (zhengqi
 * listens behind nginx, which sets both). NULL when Host is missing or holds
 * anything but host-name characters, so no injected text reaches a QR code. */
static const char *request_origin(zq_req *q)
{
    const char *host = zq_req_header(q, "host");
    size_t n = host ? strlen(host) : 0;
    if (n == 0 || n > HOST_MAX_BYTES) return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = host[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == ':' || c == '[' || c == ']'))
            return NULL;
    }
    const char *proto = zq_req_header(q, "x-forwarded-proto");
    bool https = proto && strcmp(proto, "https") == 0;
    return zq_arena_printf(q->arena, "%s://%s", https ? "https" : "http", host);
}

static bool invite_live(int64_t revoked_at, int64_t expires_at, int64_t now)
{
    return revoked_at == 0 && (expires_at == 0 || expires_at > now);
}

/* One invite row (INVITE_COLS) as a JSON object. */
static void write_invite(zq_req *q, zq_jw *w, db_stmt *s, const char *origin)
{
    const char *token = db_col_dup(q->arena, s, 1);
    int64_t expires = db_col_int64(s, 6), revoked = db_col_int64(s, 7);
    const char *path = zq_arena_printf(q->arena, "/r/%s", token ? token : "");
    char iso[26];
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 0));
    zq_jw_kstr(w, "token", token);
    zq_jw_kstr(w, "region", db_col_dup(q->arena, s, 2));
    zq_jw_kstr(w, "region_name", db_col_dup(q->arena, s, 3));
    zq_jw_kstr(w, "channel", db_col_dup(q->arena, s, 4));
    zq_jw_kstr(w, "note", db_col_dup(q->arena, s, 5));
    zq_jw_kstr(w, "path", path);
    zq_jw_kstr(w, "url", origin ? zq_arena_printf(q->arena, "%s%s", origin, path) : NULL);
    zq_jw_kstr(w, "qr_url", origin ? zq_arena_printf(q->arena, "%s%s?via=qr", origin, path) : NULL);
    zq_jw_key(w, "expires_at");
    if (expires) {
        zq_time_iso(expires, iso);
        zq_jw_str(w, iso);
    } else {
        zq_jw_null(w);
    }
    zq_jw_key(w, "revoked_at");
    if (revoked) {
        zq_time_iso(revoked, iso);
        zq_jw_str(w, iso);
    } else {
        zq_jw_null(w);
    }
    zq_jw_kint(w, "uses", db_col_int64(s, 8));
    zq_time_iso(db_col_int64(s, 9), iso);
    zq_jw_kstr(w, "created_at", iso);
    zq_jw_kstr(w, "created_by_name", db_col_dup(q->arena, s, 10));
    zq_jw_kbool(w, "valid", invite_live(revoked, expires, q->now));
    zq_jw_obj_end(w);
}

/* Answers with invite id as the JSON body. */
static zq_err respond_invite(zq_req *q, zq_resp *r, int64_t id, int status)
{
    db_stmt *s = db_prepare(q->db, SQL_ONE);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    if (db_step(s) != DB_ROW) {
        db_stmt_done(s);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    zq_jw w;
    zq_resp_json(r, &w, status);
    write_invite(q, &w, s, request_origin(q));
    db_stmt_done(s);
    return ZQ_OK;
}

/* ---- what registration calls ---- */

int invite_find(zq_req *q, const char *token, invite_info *out)
{
    if (!token_well_formed(token)) return DB_DONE;
    db_stmt *s = db_prepare(q->db, SQL_FIND);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, token, -1);
    db_bind_int64(s, 2, q->now);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->id = db_col_int64(s, 0);
        out->region = db_col_dup(q->arena, s, 1);
        out->channel = db_col_dup(q->arena, s, 2);
    }
    db_stmt_done(s);
    return rc;
}

int invite_count_use(zq_req *q, int64_t id)
{
    db_stmt *s = db_prepare(q->db, SQL_USE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, q->now);
    int rc = db_step(s);
    int64_t changed = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    return changed == 1 ? DB_OK : DB_DONE;
}

/* ---- handlers ---- */

static zq_err invite_create(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"region", "note", "expires_in_days", "channel", NULL};
    const char *scope = zq_scope_value(q);
    zq_in_only(q, r, keys);
    const char *region = zq_in_str(q, r, "region", "行政区划", !*scope, 12);
    const char *note = zq_in_str(q, r, "note", "备注", false, INVITE_NOTE_MAX_CHARS);
    bool has_days = false;
    int64_t days = zq_in_int(q, r, "expires_in_days", "有效天数", false, 0, INVITE_MAX_DAYS, &has_days);
    const char *channel = zq_in_str(q, r, "channel", "渠道", false, 8);
    if (channel && strcmp(channel, "link") != 0 && strcmp(channel, "qr") != 0)
        zq_fail_field(q, r, "channel", "渠道须为 link（链接）或 qr（二维码）");
    if (*scope) {
        if (region && strcmp(region, scope) != 0)
            zq_fail_field(q, r, "region", "只能为本区县创建邀请");
        region = scope;
    } else if (region) {
        db_stmt *s = db_prepare(q->db, SQL_REGION_OK);
        if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        db_bind_text(s, 1, region, -1);
        bool ok = db_step(s) == DB_ROW;
        db_stmt_done(s);
        if (!ok) zq_fail_field(q, r, "region", "请选择区（县、市）");
    }
    if (r->err) return r->err;
    if (strcmp(region, "-") == 0) return zq_fail(r, ZQ_E_FORBIDDEN, "您的账号未绑定区县，不能创建邀请");

    unsigned char raw[INVITE_TOKEN_BYTES];
    char token[sodium_base64_ENCODED_LEN(INVITE_TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);

    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, token, -1);
    db_bind_text(s, 2, region, -1);
    db_bind_text(s, 3, channel ? channel : "link", -1);
    if (note) db_bind_text(s, 4, note, -1);
    else db_bind_null(s, 4);
    db_bind_int64(s, 5, q->session->staff_id);
    db_bind_int64(s, 6, has_days && days > 0 ? q->now + days * 86400 : 0);
    db_bind_int64(s, 7, q->now);
    int64_t id = 0;
    int rc = db_step(s);
    if (rc == DB_ROW) id = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    audit_entry a = {.object_type = "invite",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)id), .region = region};
    if (audit_note(q, &a) != 0) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    return respond_invite(q, r, id, 201);
}

static zq_err invite_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size;
    zq_in_page(q, r, &page, &page_size, 20, 100);
    const char *region = zq_req_query(q, "region");
    if (region && strlen(region) > 12) zq_fail_field(q, r, "region", "行政区划不正确");
    if (r->err) return r->err;
    const char *scope = zq_scope_value(q);
    if (!region) region = "";

    int64_t total = 0;
    db_stmt *s = db_prepare(q->db, SQL_COUNT);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, scope, -1);
    db_bind_text(s, 2, region, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) total = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    if (!(s = db_prepare(q->db, SQL_LIST))) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, scope, -1);
    db_bind_text(s, 2, region, -1);
    db_bind_int64(s, 3, page_size);
    db_bind_int64(s, 4, (page - 1) * page_size);
    const char *origin = request_origin(q);
    zq_jw w;
    zq_list_begin(r, &w);
    while ((rc = db_step(s)) == DB_ROW) write_invite(q, &w, s, origin);
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

typedef struct {
    const char *region, *token;
    int64_t revoked_at, expires_at;
} invite_row;

/* Loads invite id if it is within the caller's scope: DB_ROW, DB_DONE (none
 * or another district's), or a negative db_rc. */
static int load_scoped(zq_req *q, int64_t id, invite_row *out)
{
    const char *scope = zq_scope_value(q);
    db_stmt *s = db_prepare(q->db, SQL_SCOPE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->region = db_col_dup(q->arena, s, 0);
        out->token = db_col_dup(q->arena, s, 1);
        out->revoked_at = db_col_int64(s, 2);
        out->expires_at = db_col_int64(s, 3);
        if (*scope && (!out->region || strcmp(out->region, scope) != 0)) rc = DB_DONE;
    }
    db_stmt_done(s);
    return rc;
}

static zq_err invite_revoke(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    invite_row row;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    int rc = load_scoped(q, id, &row);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_ROW) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    db_stmt *s = db_prepare(q->db, SQL_REVOKE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, q->now);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, zq_scope_value(q), -1);
    rc = db_step(s);
    int64_t changed = rc == DB_DONE ? db_changes(s) : 0;
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (changed != 1) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "该邀请已撤销");
    audit_entry a = {.object_type = "invite",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)id), .region = row.region};
    if (audit_note(q, &a) != 0) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    return respond_invite(q, r, id, 200);
}

static zq_err invite_qr(zq_req *q, zq_resp *r, bool png)
{
    int64_t id = hk_param_id(q, "id");
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    invite_row row;
    int rc = load_scoped(q, id, &row);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (!invite_live(row.revoked_at, row.expires_at, q->now))
        return zq_fail(r, ZQ_E_CONFLICT, "该邀请已撤销或已过期，不能再下载二维码");
    const char *origin = request_origin(q);
    if (!origin) return zq_fail(r, ZQ_E_BAD_REQUEST, "无法确定站点地址（缺少有效的 Host 请求头）");
    const char *link = zq_arena_printf(q->arena, "%s/r/%s?via=qr", origin, row.token);
    if (!link) return zq_fail(r, ZQ_E_INTERNAL, NULL);

    zq_buf_reset(&r->body);
    if ((png ? invite_qr_png(link, INVITE_QR_PNG_SCALE, &r->body) : invite_qr_svg(link, &r->body)) != 0) {
        zq_buf_reset(&r->body);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    r->status = 200;
    r->content_type = png ? "image/png" : "image/svg+xml; charset=utf-8";
    zq_resp_header(q->arena, r, "Content-Disposition",
                   zq_arena_printf(q->arena, "attachment; filename=\"invite-%lld.%s\"", (long long)id,
                                   png ? "png" : "svg"));
    return ZQ_OK;
}

static zq_err invite_qr_svg_get(zq_req *q, zq_resp *r) { return invite_qr(q, r, false); }
static zq_err invite_qr_png_get(zq_req *q, zq_resp *r) { return invite_qr(q, r, true); }

static zq_err invite_public_get(zq_req *q, zq_resp *r)
{
    invite_info inv;
    int rc = invite_find(q, zq_req_param(q, "token"), &inv);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "邀请链接无效、已过期或已撤销");
    if (rc != DB_ROW) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    const char *name = dict_name(q, "region", inv.region);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "region", inv.region);
    zq_jw_kstr(&w, "region_name", name);
    zq_jw_kstr(&w, "channel", inv.channel);
    zq_jw_kbool(&w, "valid", true);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/admin/invites", invite_create, ZQ_ACCESS_STAFF, "invite.manage", ZQ_RF_JSON | ZQ_RF_SCOPED, 0, "invite.create"},
    {ZQ_GET, "/api/v1/admin/invites", invite_list, ZQ_ACCESS_STAFF, "invite.manage", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/invites/:id/revoke", invite_revoke, ZQ_ACCESS_STAFF, "invite.manage", ZQ_RF_JSON | ZQ_RF_SCOPED, 0, "invite.revoke"},
    {ZQ_GET, "/api/v1/admin/invites/:id/qr.svg", invite_qr_svg_get, ZQ_ACCESS_STAFF, "invite.manage", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/admin/invites/:id/qr.png", invite_qr_png_get, ZQ_ACCESS_STAFF, "invite.manage", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_GET, "/api/v1/invites/:token", invite_public_get, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
};
const zq_route_group invite_routes = {routes, sizeof routes / sizeof routes[0]};
