/*
 * register.c — the applicant's side of enterprise registration (manual 1):
 *   POST /api/v1/register        public form: account + enterprise + consent to
 *                                the 用户协议/隐私政策 ("agree"), logs in
 *   POST /api/v1/enterprises     a logged-in account adds another enterprise
 *                                (“切换企业 — 添加企业”)
 *   GET  /api/v1/registration    the selected enterprise's application
 *   PUT  /api/v1/registration    its applicant corrects it; a rejected one
 *                                goes back to pending (resubmission)
 *   POST /api/v1/join-requests   ask to join an enterprise registered by
 *                                someone else (its legal rep decides later)
 * Every refusal leaves nothing stored; every change is audited in the
 * transaction that makes it. A new registration answers 201 with the same
 * "me" document as login (auth_write_me), so the UI treats both alike.
 */
#include "http/context.h"
#include "enterprise/enterprise.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "auth/login.h"
#include "auth/password.h"
#include "auth/password_policy.h"
#include "auth/user.h"
#include "auth/session.h"
#include "db/db.h"
#include "enterprise/form.h"
#include "enterprise/validate.h"
#include "http/input.h"
#include "invite/invite.h"
#include "legal/legal.h"
#include "sms/sms.h"
#include <string.h>

static const char SQL_USER_BY_ID[] = "SELECT password_hash, disabled FROM app_user WHERE id = $1";
static const char SQL_USER_INSERT[] =
    "INSERT INTO app_user(phone, name, password_hash, must_change_password, password_changed_at,"
    " created_at, updated_at) VALUES ($1, $2, $3, 0, $4, $4, $4) RETURNING id";
static const char SQL_USER_LAST[] = "UPDATE app_user SET last_enterprise_id = $1, updated_at = $2 WHERE id = $3";
static const char SQL_MEMBER_INSERT[] =
    "INSERT INTO membership(enterprise_id, user_id, is_legal_rep, status, created_at, updated_at)"
    " VALUES ($1, $2, $3, 'active', $4, $4)";
static const char SQL_MEMBER_ROLE[] =
    "UPDATE membership SET is_legal_rep = $1, updated_at = $2 WHERE enterprise_id = $3 AND user_id = $4";
static const char SQL_APP_STATE[] = "SELECT status, applicant_user_id, region FROM enterprise WHERE id = $1";
static const char SQL_ENT_BY_USCC[] =
    "SELECT id, name, region FROM enterprise WHERE uscc = $1 AND status <> 'rejected'";
static const char SQL_IS_MEMBER[] =
    "SELECT 1 FROM membership WHERE enterprise_id = $1 AND user_id = $2 AND status = 'active'";
static const char SQL_JOIN_PENDING[] =
    "SELECT 1 FROM join_request WHERE enterprise_id = $1 AND user_id = $2 AND status = 'pending'";
static const char SQL_JOIN_INSERT[] =
    "INSERT INTO join_request(enterprise_id, user_id, status, message, created_at)"
    " VALUES ($1, $2, 'pending', $3, $4) RETURNING id";

#define SMS_CODE_MAX_CHARS 16
#define JOIN_MESSAGE_MAX_CHARS 200

/* Where a registration came from: the form's channel, or the invite. */
typedef struct {
    const char *channel;   /* web | mobile | link | qr */
    int64_t invite_id;     /* 0 = none */
} reg_source;

/* 409 uscc_registered, with `"join_available": true` inside the error
 * object so the UI can offer “申请加入该企业”. The generic envelope has no
 * room for extra members, so this one is written here, in the same shape
 * (status and code still come from the one error table). */
static zq_err fail_uscc_registered(zq_req *q, zq_resp *r)
{
    if (db_in_tx(q->db)) db_rollback(q->db);
    zq_jw w;
    zq_resp_json(r, &w, zq_err_status(ZQ_E_USCC_REGISTERED));
    zq_jw_obj(&w);
    zq_jw_key(&w, "error");
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "code", zq_err_code(ZQ_E_USCC_REGISTERED));
    zq_jw_kstr(&w, "message", zq_err_message(ZQ_E_USCC_REGISTERED));
    zq_jw_kbool(&w, "join_available", true);
    zq_jw_kstr(&w, "request_id", q->request_id);
    zq_jw_obj_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* A password exactly as typed (no trimming: spaces may be part of it). */
static const char *read_password(zq_req *q, zq_resp *r, const char *field)
{
    json_t *v = q->json ? json_object_get(q->json, field) : NULL;
    if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
        zq_fail_field(q, r, field, "请填写密码");
        return NULL;
    }
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
        json_string_length(v) > AUTH_PW_MAX_BYTES) {
        zq_fail_field(q, r, field, "密码格式不正确");
        return NULL;
    }
    return zq_arena_strdup(q->arena, json_string_value(v));
}

static void read_source(zq_req *q, zq_resp *r, reg_source *src)
{
    const char *ch = zq_in_str(q, r, "channel", "注册渠道", false, 8);
    const char *token = zq_in_str(q, r, "invite", "邀请码", false, 64);
    src->invite_id = 0;
    if (ch && strcmp(ch, "web") != 0 && strcmp(ch, "mobile") != 0 && strcmp(ch, "link") != 0 &&
        strcmp(ch, "qr") != 0) {
        zq_fail_field(q, r, "channel", "注册渠道不正确");
        ch = NULL;
    }
    if (token) {
        invite_info inv;
        int rc = invite_find(q, token, &inv);
        if (rc == DB_ROW) src->invite_id = inv.id;
        else zq_fail_field(q, r, "invite", "邀请链接无效、已过期或已撤销，请向商务局索取新的链接");
        /* an invite link opened from its QR code carries ?via=qr, which the page passes on */
        src->channel = ch && strcmp(ch, "qr") == 0 ? "qr" : "link";
    } else {
        if (ch && (strcmp(ch, "link") == 0 || strcmp(ch, "qr") == 0))
            zq_fail_field(q, r, "channel", "通过邀请链接或二维码注册时才能使用该渠道");
        src->channel = ch ? ch : "web";
    }
}

static int insert_membership(zq_req *q, int64_t eid, int64_t uid, bool legal_rep)
{
    db_stmt *s = db_prepare(q->db, SQL_MEMBER_INSERT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, uid);
    db_bind_int64(s, 3, legal_rep ? 1 : 0);
    db_bind_int64(s, 4, q->now);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int set_last_enterprise(zq_req *q, int64_t uid, int64_t eid)
{
    db_stmt *s = db_prepare(q->db, SQL_USER_LAST);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, uid);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int audit_submit(zq_req *q, const char *action, int64_t eid, const ent_form *f, const char *channel)
{
    audit_entry a = {
        .action = action,
        .object_type = "enterprise",
        .object_id = hk_id_str(q, eid),
        .enterprise_id = eid,
        .region = f->region,
        .detail = zq_arena_printf(q->arena, "{\"uscc\":\"%s\",\"applicant_role\":\"%s\",\"channel\":\"%s\",\"contact_phone\":\"%s\"}",
                                  f->uscc, f->applicant_role, channel ? channel : "",
                                  audit_mask_phone(q->arena, f->contact_phone)),
    };
    return audit_note(q, &a);
}

/* ---- POST /api/v1/register ---- */




/* Inside the transaction: the account found before it still has the hash
 * the password was checked against, and may act. */
static bool user_unchanged(zq_req *q, const auth_user *u, bool *disabled)
{
    db_stmt *s = db_prepare(q->db, SQL_USER_BY_ID);
    if (!s) return false;
    db_bind_int64(s, 1, u->id);
    bool same = false;
    if (db_step(s) == DB_ROW) {
        same = strcmp(db_col_text(s, 0), u->hash) == 0;
        *disabled = db_col_int64(s, 1) != 0;
    }
    db_stmt_done(s);
    return same;
}

static zq_err register_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {ENT_FORM_KEYS, "sms_code", "password", "invite", "channel", "agree", NULL};
    ent_form f;
    reg_source src;
    legal_agree agree;
    zq_in_only(q, r, keys);
    ent_form_read(q, r, &f, NULL);
    const char *code = zq_in_str(q, r, "sms_code", "短信验证码", true, SMS_CODE_MAX_CHARS);
    const char *password = read_password(q, r, "password");
    if (password && f.contact_phone) {
        auth_pw_owner who = {.phone = f.contact_phone, .name = f.contact_name, .uscc = {f.uscc}};
        const char *why = auth_pw_policy(q->arena, password, &who);
        if (why) zq_fail_field(q, r, "password", why);
    }
    read_source(q, r, &src);
    /* 我已阅读并同意《用户协议》和《隐私政策》: the versions the form showed */
    legal_read_agree(q, r, "agree", &agree);
    if (r->err) return r->err;

    /* The expensive argon2id work happens before the transaction, so the
     * write lock is never held across it. */
    auth_user u;
    int rc = auth_user_by_phone(q, f.contact_phone, &u);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    bool password_ok = false;
    char hash[AUTH_PW_HASH_MAX];
    if (u.id) {
        password_ok = auth_pw_verify(u.hash, password);
    } else {
        auth_pw_cost cost = {q->app->pw_ops, q->app->pw_mem};
        if (auth_pw_hash(password, cost, hash) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    }

    if ((rc = db_begin(q->db, true)) != DB_OK) return hk_fail_db(q, r, rc);
    /* The code first: nothing below is revealed to someone who does not
     * hold the phone. A wrong code is a refusal whose try must count, so
     * that transaction (holding only the try) is committed. */
    zq_err e = sms_verify_code(q, r, f.contact_phone, "register", code, "sms_code");
    if (e != ZQ_OK) {
        if (db_commit(q->db) != DB_OK && db_in_tx(q->db)) db_rollback(q->db);
        return e;
    }
    bool taken = false;
    if ((rc = ent_uscc_taken(q->db, f.uscc, 0, &taken)) != DB_OK) return hk_fail_db(q, r, rc);
    if (taken) return fail_uscc_registered(q, r);

    int64_t uid = u.id;
    if (uid) {
        bool disabled = u.disabled;
        if (!password_ok || !user_unchanged(q, &u, &disabled))
            return hk_fail_tx(q, r, ZQ_E_PHONE_REGISTERED, NULL);
        if (disabled) return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, "该账号已停用，请联系商务局");
    } else {
        db_stmt *s = db_prepare(q->db, SQL_USER_INSERT);
        if (!s) return hk_fail_db(q, r, DB_ERR);
        db_bind_text(s, 1, f.contact_phone, -1);
        db_bind_text(s, 2, f.contact_name, -1);
        db_bind_text(s, 3, hash, -1);
        db_bind_int64(s, 4, q->now);
        rc = db_step(s);
        if (rc == DB_ROW) uid = db_col_int64(s, 0);
        db_stmt_done(s);
        sodium_memzero(hash, sizeof hash);
        if (rc == DB_ECONSTRAINT) return hk_fail_tx(q, r, ZQ_E_PHONE_REGISTERED, NULL);
        if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    }

    if (src.invite_id && (rc = invite_count_use(q, src.invite_id)) != DB_OK) {
        if (rc != DB_DONE) return hk_fail_db(q, r, rc);
        db_rollback(q->db);
        zq_fail_field(q, r, "invite", "邀请链接已失效，请向商务局索取新的链接");
        return r->err;
    }
    int64_t eid = 0;
    rc = ent_form_insert(q, &f, src.channel, src.invite_id, uid, &eid);
    if (rc == DB_ECONSTRAINT) return fail_uscc_registered(q, r);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = insert_membership(q, eid, uid, strcmp(f.applicant_role, "legal_rep") == 0)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if ((rc = set_last_enterprise(q, uid, eid)) != DB_OK) return hk_fail_db(q, r, rc);
    /* log in as the (new or reused) account, on the new enterprise; a
     * session this browser already had is ended first. The audit record
     * then names the account as the actor. */
    if ((q->session && auth_session_logout(q, r) != ZQ_OK) || auth_session_create(q, r, uid, 0, eid) != ZQ_OK) {
        db_rollback(q->db);
        return r->err;
    }
    /* the consent belongs to the same transaction: no account without it */
    if (legal_record_consent(q, r, uid, &agree, src.channel, "agree") != ZQ_OK) return hk_fail_tx(q, r, r->err, r->err_message);
    if (audit_submit(q, NULL, eid, &f, src.channel) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return auth_write_me(q, r, 201);
}

/* ---- POST /api/v1/enterprises ---- */

static zq_err enterprise_add(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {ENT_FORM_KEYS, "invite", "channel", NULL};
    const zq_session *ss = q->session;
    ent_form f;
    reg_source src;
    zq_in_only(q, r, keys);
    ent_form_read(q, r, &f, ss->phone);
    read_source(q, r, &src);
    if (r->err) return r->err;

    int rc;
    if ((rc = db_begin(q->db, true)) != DB_OK) return hk_fail_db(q, r, rc);
    bool taken = false;
    if ((rc = ent_uscc_taken(q->db, f.uscc, 0, &taken)) != DB_OK) return hk_fail_db(q, r, rc);
    if (taken) return fail_uscc_registered(q, r);
    if (src.invite_id && (rc = invite_count_use(q, src.invite_id)) != DB_OK) {
        if (rc != DB_DONE) return hk_fail_db(q, r, rc);
        db_rollback(q->db);
        zq_fail_field(q, r, "invite", "邀请链接已失效，请向商务局索取新的链接");
        return r->err;
    }
    int64_t eid = 0, uid = ss->user_id;
    rc = ent_form_insert(q, &f, src.channel, src.invite_id, uid, &eid);
    if (rc == DB_ECONSTRAINT) return fail_uscc_registered(q, r);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if ((rc = insert_membership(q, eid, uid, strcmp(f.applicant_role, "legal_rep") == 0)) != DB_OK)
        return hk_fail_db(q, r, rc);
    if ((rc = set_last_enterprise(q, uid, eid)) != DB_OK) return hk_fail_db(q, r, rc);
    if (audit_submit(q, NULL, eid, &f, src.channel) != 0) return hk_fail_db(q, r, DB_ERR);
    /* the session moves to the new enterprise so its status is what the user sees */
    if (auth_session_set_enterprise(q, eid) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    return auth_write_me(q, r, 201);
}

/* ---- GET / PUT /api/v1/registration ---- */

static zq_err registration_get(zq_req *q, zq_resp *r)
{
    int64_t eid = q->session->enterprise_id;
    if (!eid) return zq_fail(r, ZQ_E_NOT_FOUND, "尚未选择企业");
    zq_jw w;
    zq_resp_json(r, &w, 200);
    int rc = ent_app_write(q, &w, eid, false);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return ZQ_OK;
}

static zq_err registration_put(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {ENT_FORM_KEYS, NULL};
    const zq_session *ss = q->session;
    int64_t eid = ss->enterprise_id;
    if (!eid) return zq_fail(r, ZQ_E_NOT_FOUND, "尚未选择企业");
    ent_form f;
    zq_in_only(q, r, keys);
    ent_form_read_for(q, r, &f, ss->phone, eid);
    if (r->err) return r->err;

    int rc;
    if ((rc = db_begin(q->db, true)) != DB_OK) return hk_fail_db(q, r, rc);
    db_stmt *s = db_prepare(q->db, SQL_APP_STATE);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, eid);
    rc = db_step(s);
    const char *status = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 0)) : NULL;
    int64_t applicant = rc == DB_ROW ? db_col_int64(s, 1) : 0;
    db_stmt_done(s);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, NULL);
    if (rc != DB_ROW || !status) return hk_fail_db(q, r, rc);
    if (applicant != ss->user_id) return hk_fail_tx(q, r, ZQ_E_FORBIDDEN, "只有提交注册申请的人可以修改注册信息");
    if (strcmp(status, "pending") != 0 && strcmp(status, "rejected") != 0)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "企业已通过审核，注册信息不能再修改，请在“企业信息”中更新");
    bool resubmit = strcmp(status, "rejected") == 0;

    bool taken = false;
    if ((rc = ent_uscc_taken(q->db, f.uscc, eid, &taken)) != DB_OK) return hk_fail_db(q, r, rc);
    if (taken) return fail_uscc_registered(q, r);
    rc = ent_form_update(q, &f, eid);
    if (rc == DB_ECONSTRAINT) return fail_uscc_registered(q, r);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    /* the applicant's membership follows the (possibly changed) role */
    if (!(s = db_prepare(q->db, SQL_MEMBER_ROLE))) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, strcmp(f.applicant_role, "legal_rep") == 0 ? 1 : 0);
    db_bind_int64(s, 2, q->now);
    db_bind_int64(s, 3, eid);
    db_bind_int64(s, 4, ss->user_id);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return hk_fail_db(q, r, rc);
    if (audit_submit(q, resubmit ? "registration.resubmit" : NULL, eid, &f, NULL) != 0)
        return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    if (ent_app_write(q, &w, eid, false) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return ZQ_OK;
}

/* ---- POST /api/v1/join-requests ---- */

static bool exists2(zq_req *q, const char *sql, int64_t a, int64_t b, int *rc)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) {
        *rc = DB_ERR;
        return false;
    }
    db_bind_int64(s, 1, a);
    db_bind_int64(s, 2, b);
    *rc = db_step(s);
    db_stmt_done(s);
    bool found = *rc == DB_ROW;
    if (*rc == DB_ROW || *rc == DB_DONE) *rc = DB_OK;
    return found;
}

static zq_err join_request_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"uscc", "message", NULL};
    zq_in_only(q, r, keys);
    const char *in = zq_in_str(q, r, "uscc", "统一社会信用代码", true, 32);
    const char *message = zq_in_str(q, r, "message", "申请说明", false, JOIN_MESSAGE_MAX_CHARS);
    char uscc[19];
    if (in) {
        ent_uscc_rc urc = ent_uscc_normalize(in, uscc);
        if (urc != ENT_USCC_OK) zq_fail_field(q, r, "uscc", ent_uscc_message(urc));
    }
    if (r->err) return r->err;

    int rc;
    int64_t uid = q->session->user_id;
    if ((rc = db_begin(q->db, true)) != DB_OK) return hk_fail_db(q, r, rc);
    db_stmt *s = db_prepare(q->db, SQL_ENT_BY_USCC);
    if (!s) return hk_fail_db(q, r, DB_ERR);
    db_bind_text(s, 1, uscc, -1);
    rc = db_step(s);
    int64_t eid = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    const char *name = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 1)) : NULL;
    const char *region = rc == DB_ROW ? zq_arena_strdup(q->arena, db_col_text(s, 2)) : NULL;
    db_stmt_done(s);
    if (rc == DB_DONE) return hk_fail_tx(q, r, ZQ_E_NOT_FOUND, "未找到使用该统一社会信用代码注册的企业");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);

    if (exists2(q, SQL_IS_MEMBER, eid, uid, &rc)) return hk_fail_tx(q, r, ZQ_E_CONFLICT, "您已是该企业的成员");
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if (exists2(q, SQL_JOIN_PENDING, eid, uid, &rc))
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "您已提交过加入该企业的申请，请等待企业法人审核");
    if (rc != DB_OK) return hk_fail_db(q, r, rc);

    if (!(s = db_prepare(q->db, SQL_JOIN_INSERT))) return hk_fail_db(q, r, DB_ERR);
    db_bind_int64(s, 1, eid);
    db_bind_int64(s, 2, uid);
    if (message) db_bind_text(s, 3, message, -1);
    else db_bind_null(s, 3);
    db_bind_int64(s, 4, q->now);
    rc = db_step(s);
    int64_t jid = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc == DB_ECONSTRAINT)
        return hk_fail_tx(q, r, ZQ_E_CONFLICT, "您已提交过加入该企业的申请，请等待企业法人审核");
    if (rc != DB_ROW) return hk_fail_db(q, r, rc);
    audit_entry a = {.object_type = "join_request", .object_id = hk_id_str(q, jid),
                     .enterprise_id = eid, .region = region};
    if (audit_note(q, &a) != 0) return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);

    zq_jw w;
    zq_resp_json(r, &w, 201);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", jid);
    zq_jw_kstr(&w, "status", "pending");
    zq_jw_key(&w, "enterprise");
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", eid);
    zq_jw_kstr(&w, "name", name);
    zq_jw_kstr(&w, "uscc", uscc);
    zq_jw_obj_end(&w);
    zq_jw_kstr(&w, "message", message);
    hk_jw_time(&w, "created_at", q->now);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/register", register_post, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_JSON, 0, "registration.submit"},
    {ZQ_POST, "/api/v1/enterprises", enterprise_add, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 0, "registration.submit"},
    {ZQ_GET, "/api/v1/registration", registration_get, ZQ_ACCESS_USER, NULL, 0, 0, NULL},
    {ZQ_PUT, "/api/v1/registration", registration_put, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 0, "registration.update"},
    {ZQ_POST, "/api/v1/join-requests", join_request_post, ZQ_ACCESS_USER, NULL, ZQ_RF_JSON, 0, "join.request"},
};
const zq_route_group registration_routes = {routes, sizeof routes / sizeof routes[0]};
