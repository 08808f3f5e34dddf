/*
 * reveal.c — one masked phone of an enterprise shown in full to bureau
 * staff, audited (issue 9, finding 7: 脱敏显示, 查看明文留痕):
 *   POST /api/v1/admin/enterprises/:id/reveal
 *        {"field":"legal_rep_phone|contact_phone|applicant_phone|member_phone", "member_id":N}
 *        → {"field":…, "value":"13912345678"}
 * Gated like the directory detail it belongs to (any staff; district staff
 * only for their district's firms — another district's answers 404). Every
 * reveal is an audit record (who, whose enterprise, which field, when),
 * written in the transaction that reads the number, so no number leaves
 * unrecorded. Each staff member has one hourly budget of reveals
 * (handler/reveal_budget.h, shared with 人员管理); past it 429, itself
 * audited.
 */
#include "directory/directory.h"
#include "http/scope.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "handler/reveal_budget.h"
#include "db/db.h"
#include "http/input.h"
#include <string.h>


static const char SQL_ENT[] =
    "SELECT e.region, e.legal_rep_phone, e.contact_phone, u.phone FROM enterprise e"
    " LEFT JOIN app_user u ON u.id = e.applicant_user_id WHERE e.id = $1 AND ($2 = '' OR e.region = $2)";
static const char SQL_MEMBER[] =
    "SELECT u.phone FROM membership m JOIN app_user u ON u.id = m.user_id"
    " WHERE m.enterprise_id = $1 AND m.user_id = $2 AND m.status = 'active'";

static const char *const FIELDS[] = {"legal_rep_phone", "contact_phone", "applicant_phone", "member_phone", NULL};

static int audit_reveal(zq_req *q, int64_t eid, const char *region, const char *field, int64_t member_id,
                        const char *phone, const char *result)
{
    const char *member = member_id ? zq_arena_printf(q->arena, ",\"member_id\":%lld", (long long)member_id) : "";
    const char *shown = phone ? zq_arena_printf(q->arena, ",\"phone\":\"%s\"", audit_mask_phone(q->arena, phone)) : "";
    audit_entry a = {
        .action = "enterprise.reveal_phone",
        .object_type = "enterprise",
        .object_id = zq_arena_printf(q->arena, "%lld", (long long)eid),
        .result = result,
        .detail = zq_arena_printf(q->arena, "{\"field\":\"%s\"%s%s}", field, member ? member : "", shown ? shown : ""),
        /* a refusal before the scope check names no enterprise: it is filed
         * under the staff member's own district */
        .enterprise_id = region ? eid : 0,
        .region = region ? region : q->session->staff_region,
    };
    /* the route's record when the number was shown; a refusal is kept apart */
    return audit_emit(q, &a);
}

/* The number behind field of enterprise eid (in the caller's scope) into
 * *phone (arena), its district into *region. DB_ROW, DB_DONE (no such
 * enterprise in scope, no applicant, no such member) or a negative db_rc. */
static int read_number(zq_req *q, int64_t eid, const char *field, int64_t member_id, const char **region,
                       const char **phone)
{
    *region = *phone = NULL;
    db_stmt *s = db_prepare(q->db, SQL_ENT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, eid);
    db_bind_text(s, 2, zq_scope_value(q), -1);
    int rc = db_step(s), c = strcmp(field, "legal_rep_phone") == 0 ? 1 : strcmp(field, "contact_phone") == 0 ? 2 : 3;
    if (rc == DB_ROW) {
        *region = zq_arena_strdup(q->arena, db_col_text(s, 0));
        if (strcmp(field, "member_phone") != 0 && !db_col_is_null(s, c)) *phone = zq_arena_strdup(q->arena, db_col_text(s, c));
    }
    db_stmt_done(s);
    if (rc != DB_ROW) return rc;
    if (strcmp(field, "member_phone") == 0) {
        if (!(s = db_prepare(q->db, SQL_MEMBER))) return DB_ERR;
        db_bind_int64(s, 1, eid);
        db_bind_int64(s, 2, member_id);
        rc = db_step(s);
        if (rc == DB_ROW) *phone = zq_arena_strdup(q->arena, db_col_text(s, 0));
        db_stmt_done(s);
        if (rc != DB_ROW && rc != DB_DONE) return rc;
    }
    return *phone && *phone[0] ? DB_ROW : DB_DONE;
}

/* What one reveal asks for, for its refusal record past the budget. */
typedef struct {
    int64_t eid;
    const char *field;
    int64_t member_id;
} reveal_ask;

static int reveal_denied(zq_req *q, void *ctx)
{
    const reveal_ask *a = ctx;
    return audit_reveal(q, a->eid, NULL, a->field, a->member_id, NULL, "denied");
}

static zq_err reveal_post(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"field", "member_id", NULL};
    int64_t eid = hk_param_id(q, "id");
    zq_in_only(q, r, keys);
    const char *field = zq_in_str(q, r, "field", "字段", true, 32);
    bool has_member = false;
    int64_t member_id = zq_in_int(q, r, "member_id", "成员", false, 1, INT64_MAX, &has_member);
    bool known = false;
    for (int i = 0; field && FIELDS[i]; i++) known = known || strcmp(field, FIELDS[i]) == 0;
    if (field && !known)
        zq_fail_field(q, r, "field", "字段须为 legal_rep_phone、contact_phone、applicant_phone 或 member_phone");
    if (known && strcmp(field, "member_phone") == 0 && !has_member) zq_fail_field(q, r, "member_id", "请指定成员");
    if (known && strcmp(field, "member_phone") != 0 && has_member)
        zq_fail_field(q, r, "member_id", "只有查看成员手机号时才需指定成员");
    if (r->err) return r->err;
    if (!eid) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (!has_member) member_id = 0;

    reveal_ask ask = {eid, field, member_id};
    if (hk_reveal_begin(q, r, reveal_denied, &ask) != ZQ_OK) return r->err;
    const char *region, *phone;
    int rc = read_number(q, eid, field, member_id, &region, &phone);
    if (rc == DB_DONE) return hk_reveal_not_found(q, r);
    if (rc != DB_ROW || !region) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (audit_reveal(q, eid, region, field, member_id, phone, NULL) != 0) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "field", field);
    if (member_id) zq_jw_kint(&w, "member_id", member_id);
    zq_jw_kstr(&w, "value", phone);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/admin/enterprises/:id/reveal", reveal_post, ZQ_ACCESS_STAFF, "enterprise.view", ZQ_RF_JSON | ZQ_RF_SCOPED, 1024, "enterprise.reveal_phone"},
};
const zq_route_group reveal_routes = {routes, sizeof routes / sizeof routes[0]};
