/*
 * reveal_budget.h — the hourly budget of phone reveals one staff member
 * shares across every 查看明文 (enterprise phones in the directory, staff
 * phones in 人员管理): enough to call a few people, too few to scrape the
 * directory. Attempts count, found or not.
 */
#ifndef ZQ_HANDLER_REVEAL_BUDGET_H
#define ZQ_HANDLER_REVEAL_BUDGET_H
#include "http/req.h"

#define HK_REVEALS_PER_HOUR 60

/* Writes the refusal record of one reveal past the budget (result
 * "denied"); 0 on success. */
typedef int (*hk_reveal_denied_fn)(zq_req *q, void *ctx);

/* Opens the reveal's write transaction and counts it against the caller's
 * budget. ZQ_OK: within budget, the transaction stays open for the read
 * and its record. Otherwise the answer is on r and the transaction is
 * closed: past the budget 429 with Retry-After, after denied(q, ctx)
 * recorded the refusal and it was committed with the count; on a database
 * error 503/500 with the transaction rolled back. */
zq_err hk_reveal_begin(zq_req *q, zq_resp *r, hk_reveal_denied_fn denied, void *ctx);

/* A reveal whose number does not exist: the attempt still counts against
 * the hour, so the count is committed before the 404. */
zq_err hk_reveal_not_found(zq_req *q, zq_resp *r);

#endif
