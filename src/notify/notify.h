/*
 * notify.h — the ONE delivery path every module uses to tell a firm or an
 * account something (docs/notify.md). A call writes the in-app message(s)
 * and an outbox row per channel each recipient opted into for the topic;
 * the worker in jobs/ sends the outbox (SMS provider, WeChat client) after
 * commit, with retries. Texts come from staff-editable message_template
 * rows, filled with the caller's parameters.
 */
#ifndef ZQ_NOTIFY_H
#define ZQ_NOTIFY_H
#include <stdint.h>
#include "db/db.h"
#include "http/route.h"

struct zq_app;

typedef struct notify_msg {
    const char *topic;         /* notify-settings key: "policy" | "notice" | "trade" | "declaration" | "survey" | "consult" | "account" */
    const char *template_code; /* message_template.code, e.g. "policy.published" (staff-editable data: in-app text, SMS text, WeChat template id + field map) */
    const char *ref_type;      /* "policy", … — with ref_id, recipient and channel the idempotency key */
    int64_t ref_id;
    const char *params_json;   /* {"title":"…","doc_no":"…"} filled into the template's {title} placeholders */
    const char *link;          /* in-app route the message opens, e.g. "/console/policies/received/12" */
} notify_msg;

/* Every member of the enterprise who holds `perm` (NULL = every member): one in-app message each, plus an
 * outbox row per channel the member opted into for the topic (sms, wechat — wechat only when bound and a
 * grant remains at send time). Idempotent per (ref_type, ref_id, template_code, recipient, channel): a second call adds nothing.
 * Joins the caller's open transaction (never commits it). DB_OK or a db_rc. *added may be NULL. */
int notify_enterprise(db_conn *c, int64_t now, const notify_msg *m, int64_t enterprise_id, const char *perm, int64_t *added);
/* The same for every enterprise id the query `ent_sql` returns (one column, its own $1..$n bound by bind(s, ctx)),
 * as set-based INSERT … SELECT (100,000 firms must fan out in well under a second on SQLite). */
int notify_enterprises_sql(db_conn *c, int64_t now, const notify_msg *m, const char *perm,
                           const char *ent_sql, void (*bind)(db_stmt *s, void *ctx), void *ctx, int64_t *added);
/* One account: kind "user" (enterprise-side app_user) or "staff". */
int notify_account(db_conn *c, int64_t now, const notify_msg *m, const char *kind, int64_t account_id);
/* Wakes the delivery worker now (after commit), instead of at its next tick. NULL-safe. */
void notify_kick(struct zq_app *app);

extern const zq_route_group message_routes;         /* messages_api.c */
extern const zq_route_group notify_settings_routes; /* settings_api.c */
extern const zq_route_group notify_admin_routes;    /* admin_api.c */

#endif
