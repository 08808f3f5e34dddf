/*
 * deliver.c — publication: the inbox fan-out over the targets and the
 * subscriptions as one INSERT … SELECT, the notifications through notify/
 * for the same firms, and the scheduler's task that publishes due items.
 * Exactly once: the status moves from draft/scheduled to published by a
 * conditional UPDATE, and the inbox and notify rows are keyed so a second
 * pass adds nothing.
 */
#include "policy/policy_internal.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

#define DUE_BATCH 50

/* The firm subscribes to one of the item's types: an extra type it chose,
 * or a default one a rule derives from its profile. An item without types
 * (a notice to everyone, say) needs no subscription. $1 = the item. */
#define SUBSCRIBED                                                                                                   \
    " AND (NOT EXISTS (SELECT 1 FROM content_type t0 WHERE t0.item_id = $1)"                                        \
    " OR EXISTS (SELECT 1 FROM content_type t JOIN enterprise_subscription s ON s.policy_type = t.code"              \
    " WHERE t.item_id = $1 AND s.enterprise_id = e.id)"                                                              \
    " OR EXISTS (SELECT 1 FROM content_type t JOIN subscription_rule r ON r.policy_type = t.code WHERE t.item_id = $1"\
    " AND ((r.cond_type = 'trade_type' AND r.cond_value = e.trade_type)"                                            \
    " OR (r.cond_type = 'characteristic' AND EXISTS (SELECT 1 FROM enterprise_characteristic ec"                   \
    " WHERE ec.enterprise_id = e.id AND ec.code = r.cond_value))"                                                    \
    " OR (r.cond_type = 'industry_section' AND EXISTS (SELECT 1 FROM dict_item d WHERE d.type = 'industry'"        \
    " AND d.code = e.industry AND d.parent = r.cond_value)))))"

static const char SQL_ITEM[] = "SELECT kind, title, doc_no, department, targets_json FROM content_item WHERE id = $1";
static const char SQL_FANOUT_HEAD[] =
    "INSERT INTO policy_inbox(enterprise_id, item_id, delivered_at) SELECT e.id, CAST($1 AS BIGINT), CAST($2 AS BIGINT) FROM enterprise e WHERE 1 = 1";
static const char SQL_FANOUT_TAIL[] = SUBSCRIBED " ON CONFLICT (enterprise_id, item_id) DO NOTHING";
static const char SQL_RECIPIENTS[] = "SELECT enterprise_id FROM policy_inbox WHERE item_id = $1";
static const char SQL_MARK_PUBLISHED[] =
    "UPDATE content_item SET status = 'published', publish_at = 0, withdrawn_at = 0, updated_at = $2,"
    " published_at = CASE WHEN published_at = 0 THEN $2 ELSE published_at END"
    " WHERE id = $1 AND status IN ('draft', 'scheduled')";
static const char SQL_MARK_DUE[] =
    "UPDATE content_item SET status = 'published', publish_at = 0, updated_at = $2,"
    " published_at = CASE WHEN published_at = 0 THEN $2 ELSE published_at END"
    " WHERE id = $1 AND status = 'scheduled' AND publish_at <= $2";
static const char SQL_DUE[] =
    "SELECT id FROM content_item WHERE status = 'scheduled' AND publish_at <= $1 ORDER BY publish_at, id LIMIT $2";
static const char SQL_REGION[] = "SELECT region FROM content_item WHERE id = $1";

typedef struct {
    int64_t item_id;
} recip_ctx;

static void bind_item(db_stmt *s, void *ctx)
{
    db_bind_int64(s, 1, ((recip_ctx *)ctx)->item_id);
}

/* {"title":…,"doc_no":…,"department":…,"kind":…} for the templates. */
static const char *params_json(zq_arena *a, const char *kind, const char *title, const char *doc_no, const char *dept)
{
    zq_buf b;
    zq_jw w;
    zq_buf_init(&b, 16384);
    zq_jw_init(&w, &b);
    zq_jw_obj(&w);
    zq_jw_kstr(&w, "title", title);
    zq_jw_kstr(&w, "doc_no", doc_no ? doc_no : "");
    zq_jw_kstr(&w, "department", dept ? dept : "");
    zq_jw_kstr(&w, "kind", strcmp(kind, "notice") == 0 ? "通知公告" : strcmp(kind, "interpretation") == 0 ? "政策解读" : "政策资讯");
    zq_jw_obj_end(&w);
    const char *out = zq_jw_ok(&w) ? zq_arena_strndup(a, b.data, b.len) : NULL;
    zq_buf_free(&b);
    return out;
}

int pol_deliver(db_conn *c, int64_t now, int64_t item_id, int64_t redeliver_ref, int64_t *delivered)
{
    int rc = DB_ERR;
    zq_arena *a = zq_arena_new(1 << 20);
    if (!a) return DB_ERR;
    const char *kind = NULL, *title = NULL, *doc_no = NULL, *dept = NULL, *tj = NULL;
    db_stmt *s = db_prepare(c, SQL_ITEM);
    if (!s) goto done;
    db_bind_int64(s, 1, item_id);
    rc = db_step(s);
    if (rc == DB_ROW) {
        kind = zq_arena_strdup(a, db_col_text(s, 0));
        title = zq_arena_strdup(a, db_col_text(s, 1));
        doc_no = db_col_dup(a, s, 2);
        dept = db_col_dup(a, s, 3);
        tj = zq_arena_strdup(a, db_col_text(s, 4));
    }
    db_stmt_done(s);
    if (rc != DB_ROW) {
        if (rc >= 0) rc = DB_ERR;
        goto done;
    }
    rc = DB_ERR;
    targets t;
    if (!kind || !title || targets_from_json(a, tj, &t) != 0) goto done;

    /* 1. the inbox: one set-based statement over the targets' conditions */
    int np = 0;
    const char *where = targets_where(a, &t, "e", 3, &np);
    const char *sql = where ? zq_arena_printf(a, "%s%s%s", SQL_FANOUT_HEAD, where, SQL_FANOUT_TAIL) : NULL;
    /* the text differs with the targets: not kept in the statement cache's
     * way (db_prepare keys by text), which is what we want */
    if (!sql || !(s = db_prepare(c, sql))) goto done;
    db_bind_int64(s, 1, item_id);
    db_bind_int64(s, 2, now);
    targets_bind(s, &t, 3);
    rc = db_step(s);
    int64_t added = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) {
        if (rc >= 0) rc = DB_ERR;
        goto done;
    }
    if (delivered) *delivered = added;

    /* 2. the members' notifications, for every firm in the inbox (keyed:
     * those already told are skipped) */
    bool notice = strcmp(kind, "notice") == 0;
    char link[64];
    snprintf(link, sizeof link, notice ? "/console/notices/%lld" : "/console/policies/received/%lld",
             (long long)item_id);
    notify_msg m = {
        .topic = notice ? "notice" : "policy",
        .template_code = notice ? "notice.published" : "policy.published",
        .ref_type = redeliver_ref ? (notice ? "notice_update" : "policy_update") : (notice ? "notice" : "policy"),
        .ref_id = redeliver_ref ? redeliver_ref : item_id,
        .params_json = params_json(a, kind, title, doc_no, dept),
        .link = link,
    };
    if (!m.params_json) {
        rc = DB_ERR;
        goto done;
    }
    recip_ctx rctx = {item_id};
    rc = notify_enterprises_sql(c, now, &m, "policy.view", SQL_RECIPIENTS, bind_item, &rctx, NULL);
done:
    zq_arena_free(a);
    return rc;
}

int pol_audience_count(db_conn *c, zq_arena *a, int64_t item_id, const targets *t, int64_t *count)
{
    int np = 0;
    const char *where = targets_where(a, t, "e", 3, &np);
    /* $2 is unused here; the same numbering as the fan-out keeps one SUBSCRIBED */
    const char *sql = where ? zq_arena_printf(a, "SELECT COUNT(*) FROM enterprise e WHERE $2 = $2%s%s", where,
                                              SUBSCRIBED) : NULL;
    db_stmt *s = sql ? db_prepare(c, sql) : NULL;
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, item_id);
    db_bind_int64(s, 2, 0);
    targets_bind(s, t, 3);
    int rc = db_step(s);
    if (rc == DB_ROW) *count = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* Publishes one item inside a transaction of its own; `mark` is the
 * conditional UPDATE that moves it. DB_OK, DB_DONE when it did not move
 * (someone else published it, or it is not publishable), or a db_rc. */
static int publish_one(db_conn *c, int64_t now, int64_t id, const char *mark, int64_t *delivered)
{
    int rc = db_begin(c, true);
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(c, mark);
    if (!s) {
        rc = DB_ERR;
        goto fail;
    }
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, now);
    rc = db_step(s);
    int64_t moved = db_changes(s);
    db_stmt_done(s);
    if (rc != DB_DONE) goto fail;
    if (!moved) {
        db_rollback(c);
        return DB_DONE;
    }
    if ((rc = pol_deliver(c, now, id, 0, delivered)) != DB_OK) goto fail;
    if ((rc = pol_history_add(c, id, "publish", 0, "定时发布", "{}", now, NULL)) != DB_OK) goto fail;
    if ((rc = pol_version_bump(c, NULL)) != DB_OK) goto fail;
    char region[16] = "", oid[24];
    if (!(s = db_prepare(c, SQL_REGION))) {
        rc = DB_ERR;
        goto fail;
    }
    db_bind_int64(s, 1, id);
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0)) snprintf(region, sizeof region, "%s", db_col_text(s, 0));
    db_stmt_done(s);
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    audit_actor who = {"system", 0, "定时发布", NULL};
    audit_entry e = {.action = "policy.publish", .object_type = "content", .object_id = oid,
                     .detail = "{\"scheduled\":true}", .region = region[0] ? region : NULL};
    if (audit_record_as(c, &who, now, &e) != 0) {
        rc = DB_ERR;
        goto fail;
    }
    return db_commit(c);
fail:
    if (rc >= 0) rc = DB_ERR;
    if (db_in_tx(c)) db_rollback(c);
    return rc;
}

int policy_publish_now(db_conn *c, int64_t now, int64_t id, int64_t *delivered)
{
    return publish_one(c, now, id, SQL_MARK_PUBLISHED, delivered);
}

int policy_publish_due(db_conn *c, int64_t now, void *ctx)
{
    (void)ctx;
    for (;;) {
        int64_t ids[DUE_BATCH];
        int n = 0, rc;
        db_stmt *s = db_prepare(c, SQL_DUE);
        if (!s) return DB_ERR;
        db_bind_int64(s, 1, now);
        db_bind_int64(s, 2, DUE_BATCH);
        while ((rc = db_step(s)) == DB_ROW && n < DUE_BATCH) ids[n++] = db_col_int64(s, 0);
        db_stmt_done(s);
        if (rc != DB_DONE && rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
        for (int i = 0; i < n; i++) {
            rc = publish_one(c, now, ids[i], SQL_MARK_DUE, NULL);
            if (rc != DB_OK && rc != DB_DONE) return rc;
        }
        if (n < DUE_BATCH) return DB_OK;
    }
}
