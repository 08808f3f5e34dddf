/*
 * deliver_internal.h — the pieces of the delivery pass the worker thread
 * (worker.c) and the one-shot jobs_deliver_batch share.
 */
#ifndef ZQ_JOBS_DELIVER_INTERNAL_H
#define ZQ_JOBS_DELIVER_INTERNAL_H
#include <stdatomic.h>
#include <stdint.h>
#include "http/context.h"
#include "db/db.h"

struct wechat_client;

/* Rows one pass claims at most, and the seconds it may spend sending
 * before it gives the rest back (a slow gateway then holds few rows). */
#define JOBS_DELIVER_PASS_MAX 5000
#define JOBS_DELIVER_PASS_S 30

/* One pass: claims up to max due rows, sends them (checking *stop, when not
 * NULL, between sends), records outcomes, gives back what it did not try.
 * DB_OK or a db_rc. */
int jobs_deliver_pass(db_conn *c, const zq_config *cfg, struct wechat_client *wx, int64_t now, int max,
                      const atomic_bool *stop, int *sent);
/* Rows due now (pending, or claimed by a pass that outlived its claim); -1 on error. */
int64_t jobs_deliver_due(db_conn *c, int64_t now);
/* Seconds to wait after the attempts-th failure. */
int64_t jobs_deliver_backoff(int attempts);

#endif
