/*
 * policy.h — the policy module seen from outside: the content engine for
 * 政策资讯 / 政策解读 / 通知公告 and the 惠企服务 catalogue, subscriptions,
 * the enterprise inbox (docs/policy.md). Routes are in routes.h; this is
 * what the app context, the job list and the demo seeder call.
 */
#ifndef ZQ_POLICY_H
#define ZQ_POLICY_H
#include <stdint.h>
#include "db/db.h"
#include "http/route.h"

/* Route groups (src/app/routes.c lists them). */
extern const zq_route_group policy_admin_routes;  /* admin.c */
extern const zq_route_group policy_public_routes; /* public.c */
extern const zq_route_group policy_reach_routes;  /* reach.c */
extern const zq_route_group service_routes;       /* services.c */
extern const zq_route_group subscription_routes;  /* subscriptions.c */
extern const zq_route_group inbox_routes;         /* inbox.c */

typedef struct policy_cache policy_cache;

/* The public list cache the app context holds (public_cache.c). NULL when
 * out of memory. */
policy_cache *policy_cache_new(void);
void policy_cache_free(policy_cache *c);

/* Periodic task (jobs/tasks.c): publishes every scheduled item whose
 * publish_at has come, each in its own transaction with its deliveries,
 * exactly once (the status moves only from scheduled). DB_OK or a db_rc. */
int policy_publish_due(db_conn *c, int64_t now, void *ctx);

/* Publishes item `id` now, as the scheduler does (demo seeding, bench):
 * DB_OK, DB_DONE when it is not a draft or scheduled item, or a db_rc.
 * *delivered (may be NULL) gets the inbox rows added. */
int policy_publish_now(db_conn *c, int64_t now, int64_t id, int64_t *delivered);

#endif
