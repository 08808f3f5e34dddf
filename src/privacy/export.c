/*
 * export.c — GET /api/v1/me/data-export: every personal datum the
 * platform holds about the caller (个人信息保护法 art. 45, the right to
 * access and copy), as one JSON attachment. The 个人信息 pages of the
 * console and mobile show the same document grouped.
 *
 * Sections are table-driven (one query, its binding and its columns) so a
 * new table holding personal data is one entry here. Each section is
 * capped at EXPORT_ROWS_MAX rows, newest first; a capped section is named
 * in "truncated". SMS rows give when and what for, never a code; audit
 * records are those where the caller is the actor.
 */
#include "privacy/privacy.h"
#include "handler/kit.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "db/db.h"
#include <string.h>

#define EXPORT_ROWS_MAX 1000

typedef enum { COL_INT, COL_TEXT, COL_TIME, COL_BOOL } col_kind;

typedef struct {
    const char *key;
    col_kind kind;
} col_spec;

typedef struct {
    const char *name;        /* key of the section in the document */
    bool by_phone;           /* $1 is the account's phone, else its id */
    const char *sql;         /* $1 = who, $2 = row limit */
    col_spec cols[13];       /* {NULL} ends */
} section;

static const section SECTIONS[] = {
    {"memberships", false,
     "SELECT m.enterprise_id, e.name, e.uscc, m.is_legal_rep, r.name, m.status, m.created_at, m.updated_at"
     " FROM membership m JOIN enterprise e ON e.id = m.enterprise_id"
     " LEFT JOIN enterprise_role r ON r.id = m.role_id AND r.enterprise_id = m.enterprise_id"
     " WHERE m.user_id = $1 ORDER BY m.id DESC LIMIT $2",
     {{"enterprise_id", COL_INT}, {"enterprise_name", COL_TEXT}, {"uscc", COL_TEXT}, {"is_legal_rep", COL_BOOL},
      {"role", COL_TEXT}, {"status", COL_TEXT}, {"since", COL_TIME}, {"updated_at", COL_TIME}, {NULL, 0}}},
    {"enterprises_registered", false,
     "SELECT id, name, uscc, status, applicant_role, legal_rep_name, legal_rep_phone, contact_name, contact_phone,"
     " region, channel, submitted_at FROM enterprise WHERE applicant_user_id = $1 ORDER BY id DESC LIMIT $2",
     {{"id", COL_INT}, {"name", COL_TEXT}, {"uscc", COL_TEXT}, {"status", COL_TEXT}, {"applicant_role", COL_TEXT},
      {"legal_rep_name", COL_TEXT}, {"legal_rep_phone", COL_TEXT}, {"contact_name", COL_TEXT},
      {"contact_phone", COL_TEXT}, {"region", COL_TEXT}, {"channel", COL_TEXT}, {"submitted_at", COL_TIME}, {NULL, 0}}},
    {"join_requests", false,
     "SELECT j.id, e.name, e.uscc, j.status, j.message, j.reason, j.created_at, j.decided_at"
     " FROM join_request j JOIN enterprise e ON e.id = j.enterprise_id WHERE j.user_id = $1"
     " ORDER BY j.id DESC LIMIT $2",
     {{"id", COL_INT}, {"enterprise_name", COL_TEXT}, {"uscc", COL_TEXT}, {"status", COL_TEXT},
      {"message", COL_TEXT}, {"reason", COL_TEXT}, {"created_at", COL_TIME}, {"decided_at", COL_TIME}, {NULL, 0}}},
    {"consents", false,
     "SELECT terms_version, privacy_version, channel, ip, user_agent, created_at FROM user_consent"
     " WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
     {{"terms_version", COL_INT}, {"privacy_version", COL_INT}, {"channel", COL_TEXT}, {"ip", COL_TEXT},
      {"user_agent", COL_TEXT}, {"at", COL_TIME}, {NULL, 0}}},
    {"sessions", false,
     "SELECT created_at, last_seen_at, expires_at, revoked_at, ip, user_agent FROM session"
     " WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
     {{"created_at", COL_TIME}, {"last_seen_at", COL_TIME}, {"expires_at", COL_TIME}, {"revoked_at", COL_TIME},
      {"ip", COL_TEXT}, {"user_agent", COL_TEXT}, {NULL, 0}}},
    {"activity", false,
     "SELECT at, action, object_type, object_id, result, ip, detail FROM audit_log"
     " WHERE actor_kind = 'user' AND actor_id = $1 ORDER BY id DESC LIMIT $2",
     {{"at", COL_TIME}, {"action", COL_TEXT}, {"object_type", COL_TEXT}, {"object_id", COL_TEXT},
      {"result", COL_TEXT}, {"ip", COL_TEXT}, {"detail", COL_TEXT}, {NULL, 0}}},
    {"sms_codes", true,
     "SELECT purpose, ip, created_at, expires_at, used_at FROM sms_code WHERE phone = $1 ORDER BY id DESC LIMIT $2",
     {{"purpose", COL_TEXT}, {"requested_from_ip", COL_TEXT}, {"created_at", COL_TIME}, {"expires_at", COL_TIME},
      {"used_at", COL_TIME}, {NULL, 0}}},
    {"sms_messages", true,
     "SELECT created_at, provider, status FROM sms_outbox WHERE phone = $1 ORDER BY id DESC LIMIT $2",
     {{"sent_at", COL_TIME}, {"provider", COL_TEXT}, {"status", COL_TEXT}, {NULL, 0}}},
};

static const char SQL_ACCOUNT[] =
    "SELECT id, phone, name, created_at, updated_at, password_changed_at FROM app_user WHERE id = $1";

static void write_col(zq_jw *w, db_stmt *s, int i, const col_spec *c)
{
    if (db_col_is_null(s, i)) {
        zq_jw_key(w, c->key);
        zq_jw_null(w);
        return;
    }
    switch (c->kind) {
    case COL_INT: zq_jw_kint(w, c->key, db_col_int64(s, i)); break;
    case COL_TEXT: zq_jw_kstr(w, c->key, db_col_text(s, i)); break;
    case COL_TIME: hk_jw_time(w, c->key, db_col_int64(s, i)); break;
    case COL_BOOL: zq_jw_kbool(w, c->key, db_col_int64(s, i) != 0); break;
    }
}

/* One section as an array; *capped when rows were left out. */
static int write_section(zq_req *q, zq_jw *w, const section *sec, const char *phone, bool *capped)
{
    db_stmt *s = db_prepare(q->db, sec->sql);
    if (!s) return DB_ERR;
    if (sec->by_phone) db_bind_text(s, 1, phone, -1);
    else db_bind_int64(s, 1, q->session->user_id);
    db_bind_int64(s, 2, EXPORT_ROWS_MAX + 1);
    zq_jw_key(w, sec->name);
    zq_jw_arr(w);
    int rc, n = 0;
    *capped = false;
    while ((rc = db_step(s)) == DB_ROW) {
        if (++n > EXPORT_ROWS_MAX) {
            *capped = true;
            continue;
        }
        zq_jw_obj(w);
        for (int i = 0; sec->cols[i].key; i++) write_col(w, s, i, &sec->cols[i]);
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    zq_jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int write_account(zq_req *q, zq_jw *w, const char **phone)
{
    static const col_spec cols[] = {{"id", COL_INT}, {"phone", COL_TEXT}, {"name", COL_TEXT},
                                    {"created_at", COL_TIME}, {"updated_at", COL_TIME},
                                    {"password_changed_at", COL_TIME}, {NULL, 0}};
    db_stmt *s = db_prepare(q->db, SQL_ACCOUNT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, q->session->user_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *phone = zq_arena_strdup(q->arena, db_col_text(s, 1));
        zq_jw_key(w, "account");
        zq_jw_obj(w);
        for (int i = 0; cols[i].key; i++) write_col(w, s, i, &cols[i]);
        zq_jw_obj_end(w);
    }
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int record_export(zq_req *q)
{
    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return rc;
    audit_entry a = {.action = "privacy.export", .object_type = "user",
                     .object_id = zq_arena_printf(q->arena, "%lld", (long long)q->session->user_id)};
    if (audit_record(q, &a) != 0) {
        db_rollback(q->db);
        return DB_ERR;
    }
    return db_commit(q->db);
}

static zq_err data_export_get(zq_req *q, zq_resp *r)
{
    /* recorded first: a copy of someone's data never leaves unrecorded */
    int rc = record_export(q);
    if (rc != DB_OK) {
        return hk_fail_db(q, r, rc);
    }
    const size_t nsec = sizeof SECTIONS / sizeof SECTIONS[0];
    bool capped[sizeof SECTIONS / sizeof SECTIONS[0]];
    const char *phone = NULL;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    hk_jw_time(&w, "exported_at", q->now);
    zq_jw_kstr(&w, "platform", "福州市商务局政企互动平台");
    if ((rc = write_account(q, &w, &phone)) != DB_OK) goto fail;
    for (size_t i = 0; i < nsec; i++)
        if ((rc = write_section(q, &w, &SECTIONS[i], phone, &capped[i])) != DB_OK) goto fail;
    zq_jw_key(&w, "truncated");
    zq_jw_arr(&w);
    for (size_t i = 0; i < nsec; i++)
        if (capped[i]) zq_jw_str(&w, SECTIONS[i].name);
    zq_jw_arr_end(&w);
    zq_jw_kint(&w, "rows_per_section_max", EXPORT_ROWS_MAX);
    zq_jw_obj_end(&w);
    zq_resp_header(q->arena, r, "Content-Disposition",
                   zq_arena_printf(q->arena, "attachment; filename=\"personal-data-%lld.json\"",
                                   (long long)q->session->user_id));
    return ZQ_OK;
fail:
    zq_buf_reset(&r->body);
    return zq_fail(r, rc == DB_EBUSY ? ZQ_E_UNAVAILABLE : ZQ_E_INTERNAL, NULL);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/me/data-export", data_export_get, ZQ_ACCESS_USER, NULL, 0, 0, NULL},
};
const zq_route_group privacy_export_routes = {routes, sizeof routes / sizeof routes[0]};
