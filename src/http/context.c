/*
 * context.c — a pooled connection for a request that was routed without
 * one (see context.h).
 */
#include "http/context.h"
#include "db/db.h"

/* Seconds a client is asked to wait when no connection came free in time. */
#define POOL_RETRY_AFTER_S 2

zq_err zq_req_db(zq_req *q, zq_resp *r)
{
    if (q->db) return ZQ_OK;
    q->db = db_pool_acquire(q->app->pool);
    if (q->db) return ZQ_OK;
    r->retry_after = POOL_RETRY_AFTER_S;
    return zq_fail(r, ZQ_E_UNAVAILABLE, "服务繁忙，请稍后重试");
}
