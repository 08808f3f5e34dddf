/*
 * kit.c — the handler kit's small helpers (kit.h): path ids, the
 * roll-back-and-fail pair with the one DB-error mapping, JSON writers,
 * audit notes for an enterprise's objects.
 */
#include "handler/kit.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include <stdio.h>
#include <string.h>

static const char SQL_REGION[] = "SELECT region FROM enterprise WHERE id = $1";

int64_t hk_param_id(const zq_req *q, const char *name)
{
    int64_t id = 0;
    const char *p = zq_req_param(q, name);
    if (!p || !zq_parse_int64(p, 1, INT64_MAX, &id)) return 0;
    return id;
}

zq_err hk_fail_tx(zq_req *q, zq_resp *r, zq_err e, const char *msg)
{
    if (q->db && db_in_tx(q->db)) db_rollback(q->db);
    return zq_fail(r, e, msg);
}

zq_err hk_fail_tx_keep(zq_req *q, zq_resp *r, zq_err e, const char *msg)
{
    if (r->err) return hk_fail_tx(q, r, r->err, r->err_message);
    return hk_fail_tx(q, r, e, msg);
}

zq_err hk_fail_db(zq_req *q, zq_resp *r, int rc)
{
    /* read the reason before the rollback overwrites it */
    const char *why = q->db ? db_errmsg(q->db) : "";
    if (rc == DB_EBUSY || rc == DB_EUNAVAIL) {
        r->retry_after = HK_BUSY_RETRY_AFTER_S;
        return hk_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    }
    if (rc == DB_ECONSTRAINT) return hk_fail_tx(q, r, ZQ_E_CONFLICT, NULL);
    fprintf(stderr, "db error (request %s, %s %s): %s\n", q->request_id, q->method_name ? q->method_name : "",
            q->path ? q->path : "", why && *why ? why : "unknown");
    return hk_fail_tx(q, r, ZQ_E_INTERNAL, NULL);
}

const char *hk_id_str(zq_req *q, int64_t id)
{
    return zq_arena_printf(q->arena, "%lld", (long long)id);
}

void hk_jw_time(zq_jw *w, const char *key, int64_t t)
{
    zq_jw_key(w, key);
    if (t <= 0) {
        zq_jw_null(w);
        return;
    }
    char iso[26];
    zq_time_iso(t, iso);
    zq_jw_str(w, iso);
}

void hk_jw_col_str(zq_jw *w, const char *key, db_stmt *s, int col)
{
    zq_jw_kstr(w, key, db_col_is_null(s, col) ? NULL : db_col_text(s, col));
}

void hk_jw_col_int(zq_jw *w, const char *key, db_stmt *s, int col)
{
    zq_jw_key(w, key);
    if (db_col_is_null(s, col)) zq_jw_null(w);
    else zq_jw_int(w, db_col_int64(s, col));
}

const char *hk_json_str(zq_req *q, const char *s)
{
    if (!s) return "null";
    zq_buf b;
    zq_buf_init(&b, 8192);
    zq_json_escape(&b, s, strlen(s));
    const char *out = b.overflow ? NULL : zq_arena_strdup(q->arena, b.data);
    zq_buf_free(&b);
    return out ? out : "null";
}

/* The district of enterprise eid (arena copy), NULL when unknown. */
static const char *region_of(zq_req *q, int64_t eid)
{
    const char *region = NULL;
    db_stmt *s = eid ? db_prepare(q->db, SQL_REGION) : NULL;
    if (!s) return NULL;
    db_bind_int64(s, 1, eid);
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0)) region = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    return region;
}

int hk_note(zq_req *q, int64_t eid, const char *object_type, int64_t object_id, const char *detail)
{
    audit_entry a = {
        .object_type = object_type, .object_id = object_id ? hk_id_str(q, object_id) : NULL,
        .detail = detail, .enterprise_id = eid, .region = region_of(q, eid),
    };
    return audit_note(q, &a);
}

int hk_record(zq_req *q, int64_t eid, const char *action, const char *object_type, int64_t object_id,
              const char *detail, const char *result)
{
    audit_entry a = {
        .action = action, .object_type = object_type, .object_id = object_id ? hk_id_str(q, object_id) : NULL,
        .detail = detail, .result = result, .enterprise_id = eid, .region = region_of(q, eid),
    };
    return audit_record(q, &a);
}
