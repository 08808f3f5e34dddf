/*
 * staff_reveal.c — a staff account's phone shown in full, audited. 人员管理
 * shows staff phones masked (138****1234) like every other person's phone;
 * the full number is one audited request away:
 *   POST /api/v1/admin/staff/:id/reveal {} → {"value":"13912345678"}
 * For whoever manages staff accounts (staff.manage). Each reveal is an
 * audit record (staff.reveal_phone: who, whose account), written in the
 * transaction that reads the number, so no number leaves unrecorded. It
 * counts against the same hourly budget as the enterprise reveals
 * (handler/reveal_budget.h); past it 429, itself audited.
 */
#include "auth/auth.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "handler/reveal_budget.h"
#include "db/db.h"
#include "http/input.h"


static const char SQL_PHONE[] = "SELECT phone, region FROM staff WHERE id = $1";

/* The record of one reveal (phone given, the route's note) or of a refusal. */
static int record(zq_req *q, int64_t id, const char *region, const char *phone, const char *result)
{
    audit_entry a = {
        .action = "staff.reveal_phone",
        .object_type = "staff",
        .object_id = zq_arena_printf(q->arena, "%lld", (long long)id),
        .result = result,
        .region = region,
        .detail = phone ? zq_arena_printf(q->arena, "{\"phone\":\"%s\"}", audit_mask_phone(q->arena, phone)) : NULL,
    };
    return audit_emit(q, &a);
}

static int staff_denied(zq_req *q, void *ctx)
{
    return record(q, *(const int64_t *)ctx, NULL, NULL, "denied");
}

static zq_err staff_reveal(zq_req *q, zq_resp *r)
{
    int64_t id = hk_param_id(q, "id");
    if (zq_in_none(q, r)) return r->err;
    if (!id) return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
    if (hk_reveal_begin(q, r, staff_denied, &id) != ZQ_OK) return r->err;
    db_stmt *s = db_prepare(q->db, SQL_PHONE);
    if (!s) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    const char *phone = rc == DB_ROW ? db_col_dup(q->arena, s, 0) : NULL;
    const char *region = rc == DB_ROW ? db_col_dup(q->arena, s, 1) : NULL;
    db_stmt_done(s);
    if (rc == DB_DONE) return hk_reveal_not_found(q, r);
    if (rc != DB_ROW || !phone) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (record(q, id, region, phone, NULL) != 0 || db_commit(q->db) != DB_OK)
        return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "value", phone);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

/* staff accounts are the bureau's own, not a district's data: unscoped */
static const zq_route routes[] = {
    {ZQ_POST, "/api/v1/admin/staff/:id/reveal", staff_reveal, ZQ_ACCESS_STAFF, "staff.manage",
     ZQ_RF_JSON | ZQ_RF_UNSCOPED, 1024, "staff.reveal_phone"},
};
const zq_route_group staff_reveal_routes = {routes, sizeof routes / sizeof routes[0]};
