/*
 * form.c — the enterprise application form: read, check, store, show
 * (see form.h).
 */
#include "enterprise/form.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "core/text.h"
#include "db/db.h"
#include "dict/dict.h"
#include "enterprise/validate.h"
#include "core/clock.h"
#include "core/contact.h"
#include "core/money.h"
#include "http/input.h"
#include "profile/profile.h"
#include <string.h>

static const char SQL_KEPT[] =
    "SELECT region, industry, scale, staff_size, financing_stage, trade_type FROM enterprise WHERE id = $1";
static const char SQL_USCC_TAKEN[] =
    "SELECT id FROM enterprise WHERE uscc = $1 AND status <> 'rejected' AND id <> $2";
static const char SQL_INSERT[] =
    "INSERT INTO enterprise(name, uscc, status, applicant_role, legal_rep_name, legal_rep_phone,"
    " contact_name, contact_phone, region, industry, scale, business_scope, term_start, term_end,"
    " address, registered_capital, founded_on, staff_size, financing_stage, email, intro,"
    " customs_code, trade_type, channel, invite_id, applicant_user_id, submitted_at, created_at, updated_at)"
    " VALUES ($1,$2,'pending',$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,"
    " $23,$24,$25,$26,$26,$26) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE enterprise SET name = $1, uscc = $2, applicant_role = $3, legal_rep_name = $4,"
    " legal_rep_phone = $5, contact_name = $6, contact_phone = $7, region = $8, industry = $9,"
    " scale = $10, business_scope = $11, term_start = $12, term_end = $13, address = $14,"
    " registered_capital = $15, founded_on = $16, staff_size = $17, financing_stage = $18,"
    " email = $19, intro = $20, customs_code = $21, trade_type = $22, status = 'pending',"
    " reject_reason = NULL, reviewed_by = NULL, reviewed_at = 0, submitted_at = $23, updated_at = $23"
    " WHERE id = $24";
static const char SQL_CHAR_DEL[] = "DELETE FROM enterprise_characteristic WHERE enterprise_id = $1";
static const char SQL_CHAR_INS[] = "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES ($1, $2)";
static const char SQL_CHARS[] =
    "SELECT code FROM enterprise_characteristic WHERE enterprise_id = $1 ORDER BY code";
static const char SQL_APP[] =
    "SELECT e.id, e.name, e.uscc, e.status, e.applicant_role, e.legal_rep_name, e.legal_rep_phone,"
    " e.contact_name, e.contact_phone, e.region, rg.name, e.industry, ind.name, e.scale,"
    " e.business_scope, e.term_start, e.term_end, e.address, e.registered_capital, e.founded_on,"
    " e.staff_size, e.financing_stage, e.email, e.intro, e.customs_code, e.trade_type, e.channel,"
    " e.invite_id, e.reject_reason, e.reviewed_at, e.submitted_at, e.created_at, e.updated_at,"
    " st.name, e.applicant_user_id, u.name, u.phone"
    " FROM enterprise e"
    " LEFT JOIN dict_item rg ON rg.type = 'region' AND rg.code = e.region"
    " LEFT JOIN dict_item ind ON ind.type = 'industry' AND ind.code = e.industry"
    " LEFT JOIN staff st ON st.id = e.reviewed_by"
    " LEFT JOIN app_user u ON u.id = e.applicant_user_id"
    " WHERE e.id = $1";

#define NAME_MAX_CHARS 100
#define PERSON_MAX_CHARS 30
#define LONG_TEXT_MAX_CHARS 2000
#define ADDRESS_MAX_CHARS 200
#define EMAIL_MAX_CHARS 120

/* The dictionary codes a record already holds: a code disabled since it
 * was chosen stays valid there (dict.h), so editing other fields never
 * forces the firm to re-pick it. */
typedef struct {
    const char *region, *industry, *scale, *staff_size, *financing_stage, *trade_type;
    const char **characteristics;
    int n_characteristics;
} ent_kept;

/* Reads enterprise id's codes into k (all NULL for id 0 or on failure:
 * then only enabled items pass, which refuses rather than lets through). */
static void load_kept(zq_req *q, int64_t id, ent_kept *k)
{
    memset(k, 0, sizeof *k);
    if (!id) return;
    db_stmt *s = db_prepare(q->db, SQL_KEPT);
    if (!s) return;
    db_bind_int64(s, 1, id);
    if (db_step(s) == DB_ROW) {
        k->region = db_col_dup(q->arena, s, 0);
        k->industry = db_col_dup(q->arena, s, 1);
        k->scale = db_col_dup(q->arena, s, 2);
        k->staff_size = db_col_dup(q->arena, s, 3);
        k->financing_stage = db_col_dup(q->arena, s, 4);
        k->trade_type = db_col_dup(q->arena, s, 5);
    }
    db_stmt_done(s);
    const char **codes = zq_arena_alloc(q->arena, sizeof *codes * ENT_MAX_CHARACTERISTICS);
    if (!codes || !(s = db_prepare(q->db, SQL_CHARS))) return;
    db_bind_int64(s, 1, id);
    int n = 0;
    while (db_step(s) == DB_ROW && n < ENT_MAX_CHARACTERISTICS) codes[n++] = db_col_dup(q->arena, s, 0);
    db_stmt_done(s);
    k->characteristics = codes;
    k->n_characteristics = n;
}

/* Whether code v of dictionary `type` may stand in `field`: an enabled item,
 * or a disabled one the record already held (kept). Otherwise a field
 * error: `absent` when there is no such item, a 已停用 message naming it
 * when it was disabled. */
static bool code_ok(zq_req *q, zq_resp *r, const char *field, const char *label, const char *type, const char *v,
                    bool leaf_only, bool kept, const char *absent)
{
    const char *name = NULL;
    switch (dict_lookup(q, type, v, leaf_only, &name)) {
    case DICT_ENABLED:
        return true;
    case DICT_DISABLED:
        if (kept) return true;
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "「%s」已停用，请重新选择%s", name ? name : v, label));
        return false;
    case DICT_ABSENT:
        zq_fail_field(q, r, field, absent);
        return false;
    case DICT_ERROR:
        break;
    }
    zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    return false;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Optional dictionary code: absent is fine, present must exist. */
static const char *read_code(zq_req *q, zq_resp *r, const char *field, const char *label, const char *type,
                             bool required, const char *kept)
{
    const char *v = zq_in_str(q, r, field, label, required, 32);
    if (v && !code_ok(q, r, field, label, type, v, false, same(v, kept),
                      zq_arena_printf(q->arena, "请选择有效的%s", label)))
        return NULL;
    return v;
}

static const char *read_phone(zq_req *q, zq_resp *r, const char *field, const char *label)
{
    const char *v = zq_in_str(q, r, field, label, false, 32);
    if (v && !zq_mobile_valid(v)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s须为 11 位手机号码", label));
        return NULL;
    }
    return v;
}

static const char *read_date(zq_req *q, zq_resp *r, const char *field, const char *label)
{
    const char *v = zq_in_str(q, r, field, label, false, 16);
    if (v && !zq_date_ymd(v, NULL, NULL, NULL)) {
        zq_fail_field(q, r, field, zq_arena_printf(q->arena, "%s须为有效日期（YYYY-MM-DD）", label));
        return NULL;
    }
    return v;
}

static void read_people(zq_req *q, zq_resp *r, ent_form *f, const char *account_phone)
{
    f->applicant_role = zq_in_str(q, r, "applicant_role", "角色", true, 16);
    if (f->applicant_role && strcmp(f->applicant_role, "legal_rep") != 0 && strcmp(f->applicant_role, "staff") != 0) {
        zq_fail_field(q, r, "applicant_role", "请选择角色：法人或非法人");
        f->applicant_role = NULL;
    }
    f->contact_name = zq_in_str(q, r, "contact_name", "姓名", false, PERSON_MAX_CHARS);
    f->contact_phone = read_phone(q, r, "contact_phone", "联系电话");
    f->legal_rep_name = zq_in_str(q, r, "legal_rep_name", "法人姓名", false, PERSON_MAX_CHARS);
    f->legal_rep_phone = read_phone(q, r, "legal_rep_phone", "法人联系电话");

    if (account_phone) {
        if (f->contact_phone && strcmp(f->contact_phone, account_phone) != 0)
            zq_fail_field(q, r, "contact_phone", "联系电话须为当前登录账号的手机号");
        f->contact_phone = account_phone;
    } else if (!f->contact_phone && !zq_kvs_get(&r->err_fields, "contact_phone")) {
        zq_fail_field(q, r, "contact_phone", "请填写联系电话");
    }

    bool legal = f->applicant_role && strcmp(f->applicant_role, "legal_rep") == 0;
    bool staff = f->applicant_role && strcmp(f->applicant_role, "staff") == 0;
    if (legal) {
        /* the applicant is the legal representative: one person, one phone */
        if (!f->contact_name) f->contact_name = f->legal_rep_name;
        if (f->legal_rep_name && f->contact_name && strcmp(f->legal_rep_name, f->contact_name) != 0)
            zq_fail_field(q, r, "legal_rep_name", "选择“法人”时，法人姓名须与本人姓名一致");
        if (f->legal_rep_phone && f->contact_phone && strcmp(f->legal_rep_phone, f->contact_phone) != 0)
            zq_fail_field(q, r, "legal_rep_phone", "选择“法人”时，法人联系电话须与本人联系电话一致");
        f->legal_rep_name = f->contact_name;
        f->legal_rep_phone = f->contact_phone;
    } else if (staff) {
        if (!f->legal_rep_name && !zq_kvs_get(&r->err_fields, "legal_rep_name"))
            zq_fail_field(q, r, "legal_rep_name", "请填写法人姓名");
        if (!f->legal_rep_phone && !zq_kvs_get(&r->err_fields, "legal_rep_phone"))
            zq_fail_field(q, r, "legal_rep_phone", "请填写法人联系电话");
        if (f->legal_rep_phone && f->contact_phone && strcmp(f->legal_rep_phone, f->contact_phone) == 0)
            zq_fail_field(q, r, "legal_rep_phone", "选择“非法人”时，法人联系电话不能与本人联系电话相同");
    }
    if (!f->contact_name && !zq_kvs_get(&r->err_fields, "contact_name"))
        zq_fail_field(q, r, "contact_name", "请填写姓名");
}

static void read_characteristics(zq_req *q, zq_resp *r, ent_form *f, const ent_kept *k)
{
    f->characteristics = zq_in_str_list(q, r, "characteristics", "企业特性", true, ENT_MAX_CHARACTERISTICS, 32,
                                        &f->n_characteristics);
    for (int i = 0; f->characteristics && i < f->n_characteristics; i++) {
        const char *c = f->characteristics[i];
        bool kept = false;
        for (int j = 0; j < k->n_characteristics && !kept; j++) kept = same(c, k->characteristics[j]);
        if (!code_ok(q, r, "characteristics", "企业特性", "characteristic", c, false, kept, "请选择有效的企业特性"))
            break;
    }
}

static void read_capital(zq_req *q, zq_resp *r, ent_form *f)
{
    json_t *v = q->json ? json_object_get(q->json, "registered_capital") : NULL;
    f->has_capital = false;
    if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) return;
    if (!json_is_string(v)) {
        /* a JSON number may already have lost digits in a double: refuse it */
        zq_fail_field(q, r, "registered_capital", "注册资本须以文本形式填写，如 \"100.5\"（单位：万元）");
        return;
    }
    const char *s = zq_in_str(q, r, "registered_capital", "注册资本", false, 32);
    if (!s) {
        if (!zq_kvs_get(&r->err_fields, "registered_capital"))
            zq_fail_field(q, r, "registered_capital", zq_money_message(ZQ_MONEY_FORMAT));
        return;
    }
    zq_money_rc rc = zq_wan_to_yuan(s, &f->capital_yuan);
    if (rc != ZQ_MONEY_OK) {
        zq_fail_field(q, r, "registered_capital", zq_arena_printf(q->arena, "注册资本：%s", zq_money_message(rc)));
        return;
    }
    f->has_capital = true;
}

void ent_form_read(zq_req *q, zq_resp *r, ent_form *f, const char *account_phone)
{
    ent_form_read_for(q, r, f, account_phone, 0);
}

void ent_form_read_for(zq_req *q, zq_resp *r, ent_form *f, const char *account_phone, int64_t existing_id)
{
    ent_kept k;
    load_kept(q, existing_id, &k);
    memset(f, 0, sizeof *f);
    f->name = zq_in_str(q, r, "name", "企业名称", true, NAME_MAX_CHARS);

    const char *uscc = zq_in_str(q, r, "uscc", "统一社会信用代码", true, 32);
    if (uscc) {
        char canon[19];
        ent_uscc_rc rc = ent_uscc_normalize(uscc, canon);
        if (rc == ENT_USCC_OK) f->uscc = zq_arena_strdup(q->arena, canon);
        else zq_fail_field(q, r, "uscc", ent_uscc_message(rc));
    }

    read_people(q, r, f, account_phone);

    f->region = zq_in_str(q, r, "region", "行政区划", true, 12);
    if (f->region && !code_ok(q, r, "region", "行政区划", "region", f->region, true, same(f->region, k.region),
                              "请选择企业注册地所在的区（县、市）"))
        f->region = NULL;
    f->industry = zq_in_str(q, r, "industry", "行业分类", true, 8);
    if (f->industry && !code_ok(q, r, "industry", "行业分类", "industry", f->industry, true,
                                same(f->industry, k.industry), "请选择行业分类中的具体行业（大类）"))
        f->industry = NULL;
    read_characteristics(q, r, f, &k);
    f->scale = read_code(q, r, "scale", "企业规模", "scale", true, k.scale);

    f->business_scope = zq_in_str(q, r, "business_scope", "经营范围", false, LONG_TEXT_MAX_CHARS);
    f->term_start = read_date(q, r, "term_start", "经营期限开始日期");
    f->term_end = read_date(q, r, "term_end", "经营期限结束日期");
    if (f->term_start && f->term_end && strcmp(f->term_start, f->term_end) > 0)
        zq_fail_field(q, r, "term_end", "经营期限结束日期不能早于开始日期");
    f->address = zq_in_str(q, r, "address", "注册地址", false, ADDRESS_MAX_CHARS);
    read_capital(q, r, f);
    f->founded_on = read_date(q, r, "founded_on", "成立日期");
    if (f->founded_on) {
        char today[11];
        zq_today(q->now, today);
        if (strcmp(f->founded_on, today) > 0) zq_fail_field(q, r, "founded_on", "成立日期不能晚于今天");
    }
    f->staff_size = read_code(q, r, "staff_size", "人员规模", "staff_size", false, k.staff_size);
    f->financing_stage = read_code(q, r, "financing_stage", "融资阶段", "financing_stage", false, k.financing_stage);
    f->email = zq_in_str(q, r, "email", "企业邮箱", false, EMAIL_MAX_CHARS);
    if (f->email && !zq_email_valid(f->email)) zq_fail_field(q, r, "email", "请输入正确的邮箱地址");
    f->intro = zq_in_str(q, r, "intro", "企业简介", false, LONG_TEXT_MAX_CHARS);
    const char *cc = zq_in_str(q, r, "customs_code", "海关代码", false, 16);
    if (cc) {
        char canon[11];
        if (ent_customs_code_normalize(cc, canon)) f->customs_code = zq_arena_strdup(q->arena, canon);
        else zq_fail_field(q, r, "customs_code", "海关代码须为 10 位字母或数字");
    }
    f->trade_type = read_code(q, r, "trade_type", "进出口贸易类型", "trade_type", false, k.trade_type);
}

static void bind_opt(db_stmt *s, int idx, const char *v)
{
    if (v) db_bind_text(s, idx, v, -1);
    else db_bind_null(s, idx);
}

/* $1..$22: the form's columns in SQL_INSERT / SQL_UPDATE order. */
static void bind_form(db_stmt *s, const ent_form *f)
{
    db_bind_text(s, 1, f->name, -1);
    db_bind_text(s, 2, f->uscc, -1);
    db_bind_text(s, 3, f->applicant_role, -1);
    db_bind_text(s, 4, f->legal_rep_name, -1);
    db_bind_text(s, 5, f->legal_rep_phone, -1);
    db_bind_text(s, 6, f->contact_name, -1);
    db_bind_text(s, 7, f->contact_phone, -1);
    db_bind_text(s, 8, f->region, -1);
    bind_opt(s, 9, f->industry);
    db_bind_text(s, 10, f->scale, -1);
    bind_opt(s, 11, f->business_scope);
    bind_opt(s, 12, f->term_start);
    bind_opt(s, 13, f->term_end);
    bind_opt(s, 14, f->address);
    if (f->has_capital) db_bind_int64(s, 15, f->capital_yuan);
    else db_bind_null(s, 15);
    bind_opt(s, 16, f->founded_on);
    bind_opt(s, 17, f->staff_size);
    bind_opt(s, 18, f->financing_stage);
    bind_opt(s, 19, f->email);
    bind_opt(s, 20, f->intro);
    bind_opt(s, 21, f->customs_code);
    bind_opt(s, 22, f->trade_type);
}

static int write_characteristics(zq_req *q, const ent_form *f, int64_t id)
{
    db_stmt *s = db_prepare(q->db, SQL_CHAR_DEL);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    for (int i = 0; i < f->n_characteristics; i++) {
        if (!(s = db_prepare(q->db, SQL_CHAR_INS))) return DB_ERR;
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, f->characteristics[i], -1);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    return DB_OK;
}

int ent_form_insert(zq_req *q, const ent_form *f, const char *channel, int64_t invite_id,
                    int64_t applicant_user_id, int64_t *id)
{
    db_stmt *s = db_prepare(q->db, SQL_INSERT);
    if (!s) return DB_ERR;
    bind_form(s, f);
    db_bind_text(s, 23, channel, -1);
    if (invite_id) db_bind_int64(s, 24, invite_id);
    else db_bind_null(s, 24);
    if (applicant_user_id) db_bind_int64(s, 25, applicant_user_id);
    else db_bind_null(s, 25);
    db_bind_int64(s, 26, q->now);
    int rc = db_step(s);
    if (rc == DB_ROW) *id = db_col_int64(s, 0);
    db_stmt_done(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = write_characteristics(q, f, *id)) != DB_OK) return rc;
    /* the directory lists the stored score: current from the first write */
    return profile_completeness_refresh(q->db, *id) < 0 ? DB_ERR : DB_OK;
}

static const char SQL_APPLY[] =
    "UPDATE enterprise SET name = $1, uscc = $2, applicant_role = $3, legal_rep_name = $4,"
    " legal_rep_phone = $5, contact_name = $6, contact_phone = $7, region = $8, industry = $9,"
    " scale = $10, business_scope = $11, term_start = $12, term_end = $13, address = $14,"
    " registered_capital = $15, founded_on = $16, staff_size = $17, financing_stage = $18,"
    " email = $19, intro = $20, customs_code = $21, trade_type = $22, updated_at = $23"
    " WHERE id = $24";

/* SQL_UPDATE or SQL_APPLY: the form's $1..$22, then $23 now, $24 id */
static int replace_fields(zq_req *q, const char *sql, const ent_form *f, int64_t id)
{
    db_stmt *s = db_prepare(q->db, sql);
    if (!s) return DB_ERR;
    bind_form(s, f);
    db_bind_int64(s, 23, q->now);
    db_bind_int64(s, 24, id);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if ((rc = write_characteristics(q, f, id)) != DB_OK) return rc;
    return profile_completeness_refresh(q->db, id) < 0 ? DB_ERR : DB_OK;
}

int ent_form_apply(zq_req *q, const ent_form *f, int64_t id)
{
    return replace_fields(q, SQL_APPLY, f, id);
}

int ent_form_update(zq_req *q, const ent_form *f, int64_t id)
{
    return replace_fields(q, SQL_UPDATE, f, id);
}

int ent_uscc_taken(db_conn *db, const char *uscc, int64_t except_id, bool *taken)
{
    db_stmt *s = db_prepare(db, SQL_USCC_TAKEN);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, uscc, -1);
    db_bind_int64(s, 2, except_id);
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc < 0) return rc;
    *taken = rc == DB_ROW;
    return DB_OK;
}

void ent_jw_col_opt(zq_jw *w, const char *key, db_stmt *s, int c)
{
    if (!db_col_is_null(s, c)) zq_jw_kstr(w, key, db_col_text(s, c));
}

/* "key": a person's phone column, masked (138****1234) unless full. */
static void kphone_col(zq_req *q, zq_jw *w, const char *key, db_stmt *s, int c, bool full)
{
    const char *v = db_col_dup(q->arena, s, c);
    zq_jw_kstr(w, key, full || !v ? v : audit_mask_phone(q->arena, v));
}

static int app_write(zq_req *q, zq_jw *w, int64_t id, bool staff_view, bool close)
{
    /* characteristics first: one statement open at a time */
    const char *codes[ENT_MAX_CHARACTERISTICS * 2];
    int n = 0, rc;
    db_stmt *s = db_prepare(q->db, SQL_CHARS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    while ((rc = db_step(s)) == DB_ROW)
        if (n < (int)(sizeof codes / sizeof codes[0])) codes[n++] = db_col_dup(q->arena, s, 0);
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;

    if (!(s = db_prepare(q->db, SQL_APP))) return DB_ERR;
    db_bind_int64(s, 1, id);
    rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? DB_DONE : rc < 0 ? rc : DB_ERR;
    }
    /* Phones in full only to whoever edits this form: its applicant and
     * the holders of profile.edit (the profile's PATCH merges into this
     * very rendering). Staff see them masked and reveal one at a time,
     * audited (src/directory/reveal.c). */
    bool mine = q->session && q->session->user_id && db_col_int64(s, 34) == q->session->user_id;
    bool full = !staff_view && (mine || auth_has_perm(q->session, "profile.edit"));
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 0));
    hk_jw_col_str(w, "name", s, 1);
    hk_jw_col_str(w, "uscc", s, 2);
    hk_jw_col_str(w, "status", s, 3);
    hk_jw_col_str(w, "reject_reason", s, 28);
    hk_jw_col_str(w, "applicant_role", s, 4);
    hk_jw_col_str(w, "legal_rep_name", s, 5);
    kphone_col(q, w, "legal_rep_phone", s, 6, full);
    hk_jw_col_str(w, "contact_name", s, 7);
    kphone_col(q, w, "contact_phone", s, 8, full);
    hk_jw_col_str(w, "region", s, 9);
    hk_jw_col_str(w, "region_name", s, 10);
    hk_jw_col_str(w, "industry", s, 11);
    hk_jw_col_str(w, "industry_name", s, 12);
    zq_jw_key(w, "characteristics");
    zq_jw_arr(w);
    for (int i = 0; i < n; i++) zq_jw_str(w, codes[i]);
    zq_jw_arr_end(w);
    hk_jw_col_str(w, "scale", s, 13);
    hk_jw_col_str(w, "business_scope", s, 14);
    hk_jw_col_str(w, "term_start", s, 15);
    hk_jw_col_str(w, "term_end", s, 16);
    hk_jw_col_str(w, "address", s, 17);
    if (db_col_is_null(s, 18)) {
        zq_jw_key(w, "registered_capital");
        zq_jw_null(w);
    } else {
        char wan[32];
        zq_yuan_to_wan(db_col_int64(s, 18), wan);
        zq_jw_kstr(w, "registered_capital", wan);
    }
    hk_jw_col_str(w, "founded_on", s, 19);
    hk_jw_col_str(w, "staff_size", s, 20);
    hk_jw_col_str(w, "financing_stage", s, 21);
    hk_jw_col_str(w, "email", s, 22);
    hk_jw_col_str(w, "intro", s, 23);
    hk_jw_col_str(w, "customs_code", s, 24);
    hk_jw_col_str(w, "trade_type", s, 25);
    hk_jw_col_str(w, "channel", s, 26);
    zq_jw_key(w, "invite_id");
    if (db_col_is_null(s, 27)) zq_jw_null(w);
    else zq_jw_int(w, db_col_int64(s, 27));
    hk_jw_time(w, "submitted_at", db_col_int64(s, 30));
    hk_jw_time(w, "reviewed_at", db_col_int64(s, 29));
    hk_jw_time(w, "created_at", db_col_int64(s, 31));
    hk_jw_time(w, "updated_at", db_col_int64(s, 32));
    if (!staff_view) {
        /* the applicant may correct a pending or rejected application */
        const char *status = db_col_text(s, 3);
        zq_jw_kbool(w, "can_edit", mine && status && (strcmp(status, "pending") == 0 || strcmp(status, "rejected") == 0));
    } else {
        hk_jw_col_str(w, "reviewed_by_name", s, 33);
        zq_jw_key(w, "applicant");
        if (db_col_is_null(s, 34)) {
            zq_jw_null(w);
        } else {
            zq_jw_obj(w);
            zq_jw_kint(w, "user_id", db_col_int64(s, 34));
            hk_jw_col_str(w, "name", s, 35);
            kphone_col(q, w, "phone", s, 36, false);
            zq_jw_obj_end(w);
        }
    }
    if (close) zq_jw_obj_end(w);
    db_stmt_done(s);
    return DB_OK;
}

int ent_app_write(zq_req *q, zq_jw *w, int64_t id, bool staff_view)
{
    return app_write(q, w, id, staff_view, true);
}

int ent_app_write_open(zq_req *q, zq_jw *w, int64_t id, bool staff_view)
{
    return app_write(q, w, id, staff_view, false);
}


