/*
 * reveal_budget.c — the shared hourly budget of phone reveals
 * (reveal_budget.h). One rate key per staff member, so the directory's
 * and 人员管理's reveals draw on one budget.
 */
#include "handler/reveal_budget.h"
#include "handler/kit.h"
#include "rate/rate.h"
#include "db/db.h"

#define REVEAL_WINDOW 3600

zq_err hk_reveal_begin(zq_req *q, zq_resp *r, hk_reveal_denied_fn denied, void *ctx)
{
    if (db_begin(q->db, true) != DB_OK) return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    int64_t wait = 0;
    const char *key = zq_arena_printf(q->arena, "reveal:%lld", (long long)q->session->staff_id);
    int n = key ? rate_hit(q->db, key, REVEAL_WINDOW, q->now, &wait) : -1;
    if (n < 0) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    if (n <= HK_REVEALS_PER_HOUR) return ZQ_OK;
    if (denied(q, ctx) != 0 || db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    r->retry_after = wait;
    return zq_fail(r, ZQ_E_RATE_LIMITED,
                   zq_arena_printf(q->arena, "查看明文过于频繁（每小时最多 %d 次），请稍后再试", HK_REVEALS_PER_HOUR));
}

zq_err hk_reveal_not_found(zq_req *q, zq_resp *r)
{
    if (db_commit(q->db) != DB_OK) return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
    return zq_fail(r, ZQ_E_NOT_FOUND, NULL);
}
