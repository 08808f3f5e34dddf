/*
 * staff_api.c — bureau staff: logging in to the bureau console and, for
 * the `super` role, managing staff accounts.
 *   POST /api/v1/admin/auth/login {username, password[, sms_code]}
 *        without --dev the first call (no sms_code) sends a code to the
 *        staff phone and answers 202 {"sms_required":true,…}; the second,
 *        with sms_code, logs in. With --dev the code is not asked for.
 *   GET  /api/v1/admin/staff?q=&role=&region=&disabled=&page=&page_size=
 *   POST /api/v1/admin/staff {username, name?, phone, role_ids:[…] | role, region?}
 *   GET  /api/v1/admin/staff/:id   (phones masked, as in the list: staff_reveal.c)
 *   PUT  /api/v1/admin/staff/:id {name?, phone?, role_ids?, role?, region?, disabled?}
 * role_ids names staff roles (staff_role_api.c); region is the data scope,
 * "" or absent = the whole city. The legacy `role` (super | city |
 * district) still works and picks the matching built-in role.
 *   POST /api/v1/admin/staff/:id/reset-password
 * New accounts and resets get a one-time password that must be changed at
 * the first login (POST /api/v1/auth/password). Disabling an account or
 * resetting its password ends its sessions. Every change is audited.
 */
#include "http/context.h"
#include "auth/auth.h"
#include "handler/filter.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "auth/login.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/staff.h"
#include "auth/staff_role.h"
#include <jansson.h>
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "http/input.h"
#include "sms/sms.h"
#include "core/contact.h"
#include <sodium.h>
#include <string.h>

static const char SQL_STAFF_BY_NAME[] =
    "SELECT id, password_hash, phone, disabled, region FROM staff WHERE username = $1";
#define STAFF_COLS                                                                                         \
    "SELECT s.id, s.username, s.name, s.phone, s.role, s.region, d.name, s.disabled, s.must_change_password," \
    " s.created_at, s.updated_at, l.locked_until FROM staff s"                                                \
    " LEFT JOIN dict_item d ON d.type = 'region' AND d.code = s.region"                                       \
    " LEFT JOIN login_lock l ON l.subject = 'staff:' || s.username"
/* the list's WHERE comes from the filter builder (handler/filter.h) */
static const char SQL_STAFF_LIST[] = STAFF_COLS "%s ORDER BY s.id";
static const char SQL_STAFF_ONE[] =
    "SELECT s.id, s.username, s.name, s.phone, s.role, s.region, d.name, s.disabled, s.must_change_password,"
    " s.created_at, s.updated_at, l.locked_until FROM staff s"
    " LEFT JOIN dict_item d ON d.type = 'region' AND d.code = s.region"
    " LEFT JOIN login_lock l ON l.subject = 'staff:' || s.username WHERE s.id = $1";
static const char SQL_STAFF_CUR[] =
    "SELECT username, name, phone, role, region, disabled FROM staff WHERE id = $1";
static const char SQL_STAFF_UPDATE[] =
    "UPDATE staff SET name = $1, phone = $2, role = $3, region = $4, disabled = $5, updated_at = $6 WHERE id = $7";
static const char SQL_STAFF_RESET[] =
    "UPDATE staff SET password_hash = $1, must_change_password = 1, password_changed_at = $2, updated_at = $2"
    " WHERE id = $3";
static const char SQL_LOCK_CLEAR_STAFF[] = "DELETE FROM login_lock WHERE subject = $1";

#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100
#define LOGIN_BAD_MESSAGE "用户名或密码错误"

/* ---- POST /admin/auth/login ---- */

typedef struct {
    int64_t id;
    const char *hash, *phone, *region;
    bool disabled;
} staff_row;

static int find_staff(zq_req *q, const char *username, staff_row *st)
{
    memset(st, 0, sizeof *st);
    db_stmt *s = db_prepare(q->db, SQL_STAFF_BY_NAME);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, username, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        st->id = db_col_int64(s, 0);
        st->hash = zq_arena_strdup(q->arena, db_col_text(s, 1));
        st->phone = zq_arena_strdup(q->arena, db_col_text(s, 2));
        st->disabled = db_col_int64(s, 3) != 0;
        st->region = db_col_dup(q->arena, s, 4);
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static audit_entry staff_login_entry(zq_req *q, const char *username, const staff_row *st, const char *result,
                                     const char *reason)
{
    audit_entry a = {
        .action = "auth.staff_login", .object_type = "staff",
        .object_id = st && st->id ? zq_arena_printf(q->arena, "%lld", (long long)st->id) : NULL,
        .result = result,
        .detail = reason ? zq_arena_printf(q->arena, "{\"username\":\"%s\",\"reason\":\"%s\"}", username, reason)
                         : zq_arena_printf(q->arena, "{\"username\":\"%s\"}", username),
        .region = st ? st->region : NULL,
    };
    return a;
}

static zq_err admin_login_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"username", "password", "sms_code", NULL};
    zq_in_only(q, r, keys);
    const char *name_in = zq_in_str(q, r, "username", "用户名", true, 32);
    const char *password = auth_in_password(q, r, "password", "密码");
    const char *code = zq_in_str(q, r, "sms_code", "短信验证码", false, 16);
    if (r->err) return r->err;
    /* usernames are lower-case; anything else simply matches no account.
     * Validated characters only, so the name is safe inside audit JSON. */
    char *username = staff_lower(zq_arena_strdup(q->arena, name_in));
    const char *shown = staff_check_username(username) ? "?" : username;
    zq_err e;
    if ((e = auth_ip_check(q, r)) != ZQ_OK) return e;
    const char *subject = auth_subject(q, "staff", username);
    int64_t until = 0;
    if (auth_lock_state(q->db, subject, q->now, &until) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (until) {
        audit_entry a = staff_login_entry(q, shown, NULL, "denied", "locked");
        return auth_refuse_locked(q, r, &a, until);
    }

    staff_row st;
    if (find_staff(q, username, &st) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    bool ok = auth_pw_verify(st.id ? st.hash : q->app->pw_dummy, password) && st.id;
    if (!ok) {
        audit_entry a = staff_login_entry(q, shown, NULL, "failed", st.id ? "bad_password" : "unknown_account");
        return auth_record_failure(q, r, subject, &a, ZQ_E_LOGIN, LOGIN_BAD_MESSAGE, NULL);
    }
    if (st.disabled) {
        audit_entry a = staff_login_entry(q, shown, &st, "denied", "disabled");
        if (audit_record(q, &a) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        return zq_fail(r, ZQ_E_FORBIDDEN, "该账号已停用");
    }

    if (!q->app->cfg.dev) {
        /* second factor: a code to the staff phone */
        if (!code) {
            if ((e = sms_send_code(q, r, st.phone, "staff_login")) != ZQ_OK) return e;
            audit_none(q); /* not logged in yet: the code sent is recorded as sms.send */
            zq_jw w;
            zq_resp_json(r, &w, 202);
            zq_jw_obj(&w);
            zq_jw_kbool(&w, "sms_required", true);
            zq_jw_kstr(&w, "phone", audit_mask_phone(q->arena, st.phone));
            zq_jw_kint(&w, "expires_in", SMS_CODE_TTL);
            zq_jw_kint(&w, "resend_after", 60);
            zq_jw_obj_end(&w);
            return ZQ_OK;
        }
        if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        e = sms_verify_code(q, r, st.phone, "staff_login", code, "sms_code");
        if (e == ZQ_E_INTERNAL) return hk_fail_tx_keep(q, r, e, NULL);
        if (e != ZQ_OK) {
            audit_entry a = staff_login_entry(q, shown, &st, "failed", "bad_code");
            if (auth_ip_fail(q) != 0 || audit_record(q, &a) != 0 || db_commit(q->db) != DB_OK) {
                r->err = ZQ_OK;
                r->err_fields.n = 0;
                return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
            }
            return r->err;
        }
    } else if (db_begin(q->db, true) != DB_OK) {
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    }
    if (auth_lock_clear(q->db, subject) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (auth_start_session(q, r, 0, st.id, 0) != ZQ_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    audit_entry a = staff_login_entry(q, shown, &st, NULL, NULL);
    if (q->app->cfg.dev) a.detail = zq_arena_printf(q->arena, "{\"username\":\"%s\",\"second_factor\":\"skipped (dev)\"}", shown);
    a.action = NULL; /* the route's, auth.staff_login */
    if (audit_note(q, &a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    return auth_write_me(q, r, 200);
}

/* ---- staff management (super) ---- */

static const char SQL_STAFF_ROLES[] =
    "SELECT r.id, r.name FROM staff_role_grant g JOIN staff_role_def r ON r.id = g.role_id"
    " WHERE g.staff_id = $1 ORDER BY r.id";

/* "roles":[{id,name}…] of one account; an unreadable list is written empty
 * rather than failing the page (the account row itself is authoritative) */
static void write_roles(zq_req *q, zq_jw *w, int64_t staff_id)
{
    zq_jw_key(w, "roles");
    zq_jw_arr(w);
    db_stmt *s = db_prepare(q->db, SQL_STAFF_ROLES);
    if (s) {
        db_bind_int64(s, 1, staff_id);
        while (db_step(s) == DB_ROW) {
            zq_jw_obj(w);
            zq_jw_kint(w, "id", db_col_int64(s, 0));
            zq_jw_kstr(w, "name", db_col_text(s, 1));
            zq_jw_obj_end(w);
        }
        db_stmt_done(s);
    }
    zq_jw_arr_end(w);
}

/* role_ids from the body: 1..STAFF_ROLES_PER_STAFF distinct positive ids.
 * NULL when absent (*n = 0) or refused (field error set). */
static int64_t *read_role_ids(zq_req *q, zq_resp *r, int *n)
{
    *n = 0;
    json_t *v = q->json ? json_object_get(q->json, "role_ids") : NULL;
    if (!v) return NULL;
    if (!json_is_array(v) || json_array_size(v) == 0) {
        zq_fail_field(q, r, "role_ids", "请至少选择一个角色");
        return NULL;
    }
    if (json_array_size(v) > STAFF_ROLES_PER_STAFF) {
        zq_fail_field(q, r, "role_ids", "一个账号最多 10 个角色");
        return NULL;
    }
    int64_t *ids = zq_arena_alloc(q->arena, sizeof *ids * json_array_size(v));
    if (!ids) return NULL;
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        json_int_t id = json_is_integer(it) ? json_integer_value(it) : 0;
        if (id <= 0) {
            zq_fail_field(q, r, "role_ids", "角色格式不正确");
            return NULL;
        }
        for (int k = 0; k < *n; k++)
            if (ids[k] == id) {
                zq_fail_field(q, r, "role_ids", "角色有重复项");
                return NULL;
            }
        ids[(*n)++] = id;
    }
    return ids;
}

/* Checks role ids exist (field error when not); *all_perms as staff_role_check. */
static zq_err check_role_ids(zq_req *q, zq_resp *r, const int64_t *ids, int n, bool *all_perms)
{
    int64_t missing = 0;
    if (staff_role_check(q->db, ids, n, &missing, all_perms) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (missing) zq_fail_field(q, r, "role_ids", "所选角色不存在");
    return r->err;
}

static void write_staff(zq_req *q, zq_jw *w, db_stmt *s, bool full_phone)
{
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 0));
    zq_jw_kstr(w, "username", db_col_text(s, 1));
    zq_jw_kstr(w, "name", db_col_text(s, 2));
    zq_jw_kstr(w, "phone", full_phone ? db_col_text(s, 3) : audit_mask_phone(q->arena, db_col_text(s, 3)));
    zq_jw_kstr(w, "role", db_col_text(s, 4));
    hk_jw_col_str(w, "region", s, 5);
    hk_jw_col_str(w, "region_name", s, 6);
    zq_jw_kbool(w, "disabled", db_col_int64(s, 7) != 0);
    zq_jw_kbool(w, "must_change_password", db_col_int64(s, 8) != 0);
    hk_jw_time(w, "created_at", db_col_int64(s, 9));
    hk_jw_time(w, "updated_at", db_col_int64(s, 10));
    int64_t locked = db_col_int64(s, 11);
    hk_jw_time(w, "locked_until", locked > q->now ? locked : 0);
    write_roles(q, w, db_col_int64(s, 0));
    zq_jw_obj_end(w);
}

/* Writes {"staff":{…}[, "one_time_password":"…"]} for one account. */
static zq_err respond_staff(zq_req *q, zq_resp *r, int64_t id, int status, const char *otp)
{
    db_stmt *s = db_prepare(q->db, SQL_STAFF_ONE);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_INTERNAL, NULL);
    }
    zq_jw w;
    zq_resp_json(r, &w, status);
    zq_jw_obj(&w);
    zq_jw_key(&w, "staff");
    /* in full only in the answer to its creation (the number the creator
     * just typed); otherwise masked, revealed one at a time with an audit
     * record (staff_reveal.c) */
    write_staff(q, &w, s, status == 201);
    if (otp) zq_jw_kstr(&w, "one_time_password", otp);
    zq_jw_obj_end(&w);
    db_stmt_done(s);
    return ZQ_OK;
}

static zq_err staff_list(zq_req *q, zq_resp *r)
{
    int64_t page, page_size;
    zq_in_page(q, r, &page, &page_size, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    const char *text = zq_req_query(q, "q"), *role = zq_req_query(q, "role"), *region = zq_req_query(q, "region"),
               *disabled = zq_req_query(q, "disabled");
    if (role && *role && staff_check_role(role)) zq_fail_field(q, r, "role", "角色不正确");
    if (disabled && *disabled && strcmp(disabled, "0") != 0 && strcmp(disabled, "1") != 0 &&
        strcmp(disabled, "true") != 0 && strcmp(disabled, "false") != 0)
        zq_fail_field(q, r, "disabled", "disabled 须为 true 或 false");
    if (text && zq_utf8_len(text) > 50) zq_fail_field(q, r, "q", "搜索词不能超过 50 个字符");
    if (r->err) return r->err;

    hk_filter f;
    hk_filter_init(&f, 1);
    hk_filter_contains(&f, q->arena,
                       "(s.username LIKE $%d ESCAPE '\\' OR s.name LIKE $%d ESCAPE '\\' OR s.phone LIKE $%d ESCAPE '\\')", text);
    hk_filter_text(&f, "s.role = $%d", role);
    hk_filter_text(&f, "s.region = $%d", region);
    if (disabled && *disabled)
        hk_filter_num(&f, "s.disabled = $%d", strcmp(disabled, "1") == 0 || strcmp(disabled, "true") == 0);
    int64_t total = 0;
    db_stmt *s;
    if (hk_filter_page(q, r, &f, "SELECT COUNT(*) FROM staff s%s", SQL_STAFF_LIST, page, page_size, &total, &s) != ZQ_OK)
        return r->err;
    zq_jw w;
    zq_list_begin(r, &w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) write_staff(q, &w, s, false);
    db_stmt_done(s);
    if (rc != DB_DONE) {
        zq_buf_reset(&r->body);
        return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }
    zq_list_end(&w, total, page, page_size);
    return ZQ_OK;
}

static zq_err staff_get(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    return respond_staff(q, r, id, 200, NULL);
}

static const char *read_phone(zq_req *q, zq_resp *r, bool required)
{
    const char *phone = zq_in_str(q, r, "phone", "手机号", required, 16);
    if (phone && !zq_mobile_valid(phone)) {
        zq_fail_field(q, r, "phone", "请输入正确的手机号");
        return NULL;
    }
    return phone;
}

static const char *staff_audit_detail(zq_req *q, const char *username, const char *role, const char *region,
                                      const char *phone, const char *extra)
{
    return zq_arena_printf(q->arena, "{\"username\":\"%s\",\"role\":\"%s\",\"region\":%s%s%s,\"phone\":\"%s\"%s%s}",
                           username, role, region ? "\"" : "", region ? region : "null", region ? "\"" : "",
                           audit_mask_phone(q->arena, phone), extra ? "," : "", extra ? extra : "");
}

static zq_err staff_create(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"username", "name", "phone", "role", "role_ids", "region", NULL};
    zq_in_only(q, r, keys);
    const char *uname = zq_in_str(q, r, "username", "用户名", true, 32);
    const char *name = zq_in_str(q, r, "name", "姓名", false, STAFF_NAME_MAX_CHARS);
    const char *phone = read_phone(q, r, true);
    int n_roles = 0;
    int64_t *role_ids = read_role_ids(q, r, &n_roles);
    bool ids_given = zq_in_has(q, "role_ids");
    const char *role = zq_in_str(q, r, "role", "角色", !ids_given, 16);
    const char *region = zq_in_str(q, r, "region", "所属区县", false, 12);
    if (region && !*region) region = NULL; /* "" = the whole city */
    char *username = uname ? staff_lower(zq_arena_strdup(q->arena, uname)) : NULL;
    const char *why;
    if (username && (why = staff_check_username(username))) zq_fail_field(q, r, "username", why);
    if (ids_given && role) zq_fail_field(q, r, "role", "请只填写 role_ids 或 role 其中之一");
    if (role_ids && !r->err) {
        bool all = false, dberr;
        if (check_role_ids(q, r, role_ids, n_roles, &all) == ZQ_E_INTERNAL) return r->err;
        role = staff_role_legacy(all, region);
        /* the scope: the whole city, or one district below it */
        if (region && (why = staff_check_region(q->db, "district", region, &dberr))) {
            if (dberr) return zq_fail(r, ZQ_E_INTERNAL, NULL);
            zq_fail_field(q, r, "region", why);
        }
    } else if (ids_given) {
        /* role_ids was refused above */
    } else if (role && (why = staff_check_role(role))) zq_fail_field(q, r, "role", why);
    else if (role) {
        bool dberr;
        why = staff_check_region(q->db, role, region, &dberr);
        if (dberr) return zq_fail(r, ZQ_E_INTERNAL, NULL);
        if (why) zq_fail_field(q, r, "region", why);
    }
    if (r->err) return r->err;

    char otp[STAFF_OTP_LEN + 1], hash[AUTH_PW_HASH_MAX];
    staff_one_time_password(phone, otp);
    auth_pw_cost cost = {q->app->pw_ops, q->app->pw_mem};
    if (auth_pw_hash(otp, cost, hash) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    staff_input in = {username, name, phone, role, region, role_ids, n_roles};
    int64_t id = 0;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    int rc = staff_insert(q->db, &in, hash, q->now, &id);
    if (rc == DB_ECONSTRAINT) {
        db_rollback(q->db);
        zq_fail(r, ZQ_E_CONFLICT, "该用户名已存在");
        zq_fail_field(q, r, "username", "该用户名已存在");
        return r->err;
    }
    if (rc != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    /* a name used before (failed logins on it) starts clean */
    db_stmt *s = db_prepare(q->db, SQL_LOCK_CLEAR_STAFF);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, auth_subject(q, "staff", username), -1);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    audit_entry a = {.object_type = "staff",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)id), .region = region,
                     .detail = staff_audit_detail(q, username, role, region, phone, NULL)};
    if (audit_note(q, &a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    zq_err e = respond_staff(q, r, id, 201, otp);
    sodium_memzero(otp, sizeof otp);
    return e;
}

static zq_err staff_update(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"name", "phone", "role", "role_ids", "region", "disabled", NULL};
    int64_t id = hk_param_id(q, "id");
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    zq_in_only(q, r, keys);
    const char *name = zq_in_str(q, r, "name", "姓名", false, STAFF_NAME_MAX_CHARS);
    const char *phone = read_phone(q, r, false);
    int n_roles = 0;
    int64_t *role_ids = read_role_ids(q, r, &n_roles);
    const char *role = zq_in_str(q, r, "role", "角色", false, 16);
    bool region_given = zq_in_has(q, "region");
    const char *region = zq_in_str(q, r, "region", "所属区县", false, 12);
    if (region && !*region) region = NULL; /* "" = the whole city */
    bool disabled_given = zq_in_has(q, "disabled");
    bool disabled = zq_in_bool(q, r, "disabled", "停用", false);
    const char *why;
    if (role_ids && role) zq_fail_field(q, r, "role", "请只填写 role_ids 或 role 其中之一");
    else if (role && (why = staff_check_role(role))) zq_fail_field(q, r, "role", why);
    bool all = false;
    if (role_ids && !r->err && check_role_ids(q, r, role_ids, n_roles, &all) == ZQ_E_INTERNAL) return r->err;
    if (r->err) return r->err;

    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_STAFF_CUR);
    if (!s) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return hk_fail_tx_keep(q, r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_INTERNAL, NULL);
    }
    const char *username = zq_arena_strdup(q->arena, db_col_text(s, 0));
    const char *old_name = zq_arena_strdup(q->arena, db_col_text(s, 1));
    const char *old_phone = zq_arena_strdup(q->arena, db_col_text(s, 2));
    const char *old_role = zq_arena_strdup(q->arena, db_col_text(s, 3));
    const char *old_region = db_col_dup(q->arena, s, 4);
    bool was_disabled = db_col_int64(s, 5) != 0;
    db_stmt_done(s);

    const char *new_region = region_given ? region : old_region;
    const char *new_role;
    if (role_ids) {
        /* roles and scope are independent: any set of roles, city-wide or one district */
        new_role = staff_role_legacy(all, new_region);
    } else {
        new_role = role ? role : old_role;
        /* a legacy role without districts drops the region; otherwise keep it unless given */
        if (strcmp(new_role, "district") != 0) new_region = NULL;
    }
    bool new_disabled = disabled_given ? disabled : was_disabled;
    bool dberr;
    if ((why = role_ids ? (new_region ? staff_check_region(q->db, "district", new_region, &dberr) : (dberr = false, NULL))
                        : staff_check_region(q->db, new_role, new_region, &dberr))) {
        if (dberr) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
        db_rollback(q->db);
        zq_fail_field(q, r, "region", why);
        return r->err;
    }
    if (id == q->session->staff_id && (new_disabled || strcmp(new_role, "super") != 0))
        return hk_fail_tx_keep(q, r, ZQ_E_UNPROCESSABLE, "不能停用自己的账号或取消自己的系统管理员角色");
    /* a new role set, or a legacy role that changed: the grants follow */
    if (role_ids ? staff_role_grant(q->db, id, role_ids, n_roles) != DB_OK
                 : role && strcmp(role, old_role) != 0 &&
                       (staff_role_grant(q->db, id, NULL, 0) != DB_OK ||
                        staff_role_grant_builtin(q->db, id, role) != DB_OK))
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);

    if (!(s = db_prepare(q->db, SQL_STAFF_UPDATE))) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, name ? name : old_name, -1);
    db_bind_text(s, 2, phone ? phone : old_phone, -1);
    db_bind_text(s, 3, new_role, -1);
    if (new_region) db_bind_text(s, 4, new_region, -1);
    else db_bind_null(s, 4);
    db_bind_int64(s, 5, new_disabled ? 1 : 0);
    db_bind_int64(s, 6, q->now);
    db_bind_int64(s, 7, id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (new_disabled && !was_disabled && auth_session_revoke_all(q->db, 0, id, 0, q->now) != 0)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    const char *change = zq_arena_printf(
        q->arena, "\"disabled\":%s,\"was\":{\"role\":\"%s\",\"region\":%s%s%s,\"disabled\":%s}",
        new_disabled ? "true" : "false", old_role, old_region ? "\"" : "", old_region ? old_region : "null",
        old_region ? "\"" : "", was_disabled ? "true" : "false");
    /* staff.update, refined to staff.disable for the change that stops the account */
    audit_entry a = {.action = new_disabled && !was_disabled ? "staff.disable" : NULL,
                     .object_type = "staff", .object_id = zq_arena_printf(q->arena, "%lld", (long long)id),
                     .region = new_region ? new_region : old_region,
                     .detail = staff_audit_detail(q, username, new_role, new_region, phone ? phone : old_phone, change)};
    if (audit_note(q, &a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    return respond_staff(q, r, id, 200, NULL);
}

static zq_err staff_reset_password(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (zq_in_none(q, r)) return r->err;
    db_stmt *s = db_prepare(q->db, SQL_STAFF_CUR);
    if (!s) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return zq_fail(r, rc == DB_DONE ? ZQ_E_NOT_FOUND : ZQ_E_INTERNAL, NULL);
    }
    const char *username = zq_arena_strdup(q->arena, db_col_text(s, 0));
    const char *phone = zq_arena_strdup(q->arena, db_col_text(s, 2));
    const char *region = db_col_dup(q->arena, s, 4);
    db_stmt_done(s);

    char otp[STAFF_OTP_LEN + 1], hash[AUTH_PW_HASH_MAX];
    staff_one_time_password(phone, otp);
    auth_pw_cost cost = {q->app->pw_ops, q->app->pw_mem};
    if (auth_pw_hash(otp, cost, hash) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (!(s = db_prepare(q->db, SQL_STAFF_RESET))) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_text(s, 1, hash, -1);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, id);
    rc = db_step(s);
    db_stmt_done(s);
    sodium_memzero(hash, sizeof hash);
    if (rc != DB_DONE) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    /* whoever held the old password is out, and the account's lock is lifted */
    if (auth_session_revoke_all(q->db, 0, id, id == q->session->staff_id ? q->session->id : 0, q->now) != 0 ||
        auth_lock_clear(q->db, auth_subject(q, "staff", username)) != DB_OK)
        return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    audit_entry a = {.object_type = "staff",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)id), .region = region,
                     .detail = zq_arena_printf(q->arena, "{\"username\":\"%s\"}", username)};
    if (audit_note(q, &a) != 0) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
    if (id == q->session->staff_id) auth_session_reload(q);
    zq_err e = respond_staff(q, r, id, 200, otp);
    sodium_memzero(otp, sizeof otp);
    return e;
}

/* staff accounts are the bureau's own, not a district's data: unscoped */
static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/admin/auth/login", admin_login_post, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_JSON | ZQ_RF_NO_CSRF, 4096, "auth.staff_login"},
    {ZQ_GET, "/api/v1/admin/staff", staff_list, ZQ_ACCESS_STAFF, "staff.manage", ZQ_RF_UNSCOPED, 0, NULL},
    {ZQ_POST, "/api/v1/admin/staff", staff_create, ZQ_ACCESS_STAFF, "staff.manage", ZQ_RF_JSON | ZQ_RF_UNSCOPED, 8192, "staff.create"},
    {ZQ_GET, "/api/v1/admin/staff/:id", staff_get, ZQ_ACCESS_STAFF, "staff.manage", ZQ_RF_UNSCOPED, 0, NULL},
    {ZQ_PUT, "/api/v1/admin/staff/:id", staff_update, ZQ_ACCESS_STAFF, "staff.manage", ZQ_RF_JSON | ZQ_RF_UNSCOPED, 8192, "staff.update"},
    {ZQ_POST, "/api/v1/admin/staff/:id/reset-password", staff_reset_password, ZQ_ACCESS_STAFF, "staff.manage",
     ZQ_RF_JSON | ZQ_RF_UNSCOPED, 1024, "staff.reset_password"},
};
const zq_route_group staff_routes = {routes, sizeof routes / sizeof routes[0]};
