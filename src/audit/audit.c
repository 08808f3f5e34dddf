/*
 * audit.c — appends to and verifies the hash-chained audit log (see audit.h).
 *
 * Appenders take the chain head row first (FOR UPDATE on PostgreSQL; on
 * SQLite the write transaction already serialises writers), so concurrent
 * instances produce one linear chain.
 */
#include "audit/audit.h"
#include "http/session.h"
#include "core/text.h"
#include "db/db.h"
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char SQL_HEAD[] = "SELECT last_hash FROM audit_head WHERE id = 1";
static const char SQL_INSERT[] =
    "INSERT INTO audit_log(at, actor_kind, actor_id, actor_name, enterprise_id, region, ip, action,"
    " object_type, object_id, result, detail, prev_hash, hash)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id";
static const char SQL_HEAD_SET[] = "UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1";
static const char SQL_WALK[] =
    "SELECT id, at, actor_kind, actor_id, actor_name, enterprise_id, region, ip, action, object_type,"
    " object_id, result, detail, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT 1000";

typedef struct {
    int64_t at, actor_id, enterprise_id;
    const char *actor_kind, *actor_name, *region, *ip, *action, *object_type, *object_id, *result, *detail;
} audit_fields;

static void feed(crypto_hash_sha256_state *st, const char *s)
{
    /* length-prefixed so that field boundaries cannot be shifted */
    char len[24];
    size_t n = s ? strlen(s) : 0;
    snprintf(len, sizeof len, "%zu:", s ? n : (size_t)-1);
    crypto_hash_sha256_update(st, (const unsigned char *)len, strlen(len));
    if (n) crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

static void feed_int(crypto_hash_sha256_state *st, int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%" PRId64, v);
    feed(st, b);
}

static void chain_hash(const char *prev, const audit_fields *f, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    feed(&st, prev);
    feed_int(&st, f->at);
    feed(&st, f->actor_kind);
    feed_int(&st, f->actor_id);
    feed(&st, f->actor_name);
    feed_int(&st, f->enterprise_id);
    feed(&st, f->region);
    feed(&st, f->ip);
    feed(&st, f->action);
    feed(&st, f->object_type);
    feed(&st, f->object_id);
    feed(&st, f->result);
    feed(&st, f->detail);
    crypto_hash_sha256_final(&st, h);
    zq_hex(h, sizeof h, out);
}

static void bind_opt_int(db_stmt *s, int idx, int64_t v)
{
    if (v) db_bind_int64(s, idx, v);
    else db_bind_null(s, idx);
}

int audit_record_as(db_conn *db, const audit_actor *who, int64_t now, const audit_entry *e)
{
    bool own_tx = !db_in_tx(db);
    db_stmt *s = NULL;
    char prev[65], hash[65];
    int64_t id = 0;
    audit_fields f = {
        .at = now, .actor_id = who->id, .enterprise_id = e->enterprise_id,
        .actor_kind = who->kind, .actor_name = who->name, .region = e->region, .ip = who->ip,
        .action = e->action, .object_type = e->object_type, .object_id = e->object_id,
        .result = e->result ? e->result : "ok", .detail = e->detail,
    };
    if (own_tx && db_begin(db, true) != DB_OK) return -1;

    s = db_for_update(db, SQL_HEAD, NULL);
    if (!s || db_step(s) != DB_ROW) goto fail;
    snprintf(prev, sizeof prev, "%s", db_col_text(s, 0));
    db_stmt_done(s);

    chain_hash(prev, &f, hash);
    if (!(s = db_prepare(db, SQL_INSERT))) goto fail;
    db_bind_int64(s, 1, f.at);
    db_bind_text(s, 2, f.actor_kind, -1);
    bind_opt_int(s, 3, f.actor_id);
    db_bind_text(s, 4, f.actor_name, -1);
    bind_opt_int(s, 5, f.enterprise_id);
    db_bind_text(s, 6, f.region, -1);
    db_bind_text(s, 7, f.ip, -1);
    db_bind_text(s, 8, f.action, -1);
    db_bind_text(s, 9, f.object_type, -1);
    db_bind_text(s, 10, f.object_id, -1);
    db_bind_text(s, 11, f.result, -1);
    db_bind_text(s, 12, f.detail, -1);
    db_bind_text(s, 13, prev, -1);
    db_bind_text(s, 14, hash, -1);
    if (db_step(s) != DB_ROW) goto fail;
    id = db_col_int64(s, 0);
    db_stmt_done(s);

    if (!(s = db_prepare(db, SQL_HEAD_SET))) goto fail;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, hash, -1);
    if (db_step(s) != DB_DONE) goto fail;
    db_stmt_done(s);
    s = NULL;
    if (own_tx && db_commit(db) != DB_OK) goto fail;
    return 0;
fail:
    if (s) db_stmt_done(s);
    if (own_tx) db_rollback(db);
    return -1;
}

int audit_record(zq_req *q, const audit_entry *e)
{
    audit_actor who = {"anonymous", 0, NULL, q->client_ip};
    const zq_session *s = q->session;
    if (s && s->staff_id) {
        who.kind = "staff";
        who.id = s->staff_id;
        who.name = s->actor_name;
    } else if (s && s->user_id) {
        who.kind = "user";
        who.id = s->user_id;
        who.name = s->actor_name;
    }
    audit_entry copy = *e;
    if (!copy.enterprise_id && s && s->user_id) copy.enterprise_id = s->enterprise_id;
    return audit_record_as(q->db, &who, q->now, &copy);
}

int audit_verify(db_conn *db, int64_t *checked, int64_t *bad_id, char *err, size_t errlen)
{
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    char hash[65];
    int64_t last = 0;
    int rc;
    *checked = 0;
    *bad_id = 0;
    for (;;) {
        db_stmt *s = db_prepare(db, SQL_WALK);
        if (!s) goto dberr;
        db_bind_int64(s, 1, last);
        int rows = 0;
        while ((rc = db_step(s)) == DB_ROW) {
            audit_fields f = {
                .at = db_col_int64(s, 1), .actor_kind = db_col_text(s, 2), .actor_id = db_col_int64(s, 3),
                .actor_name = db_col_text(s, 4), .enterprise_id = db_col_int64(s, 5), .region = db_col_text(s, 6),
                .ip = db_col_text(s, 7), .action = db_col_text(s, 8), .object_type = db_col_text(s, 9),
                .object_id = db_col_text(s, 10), .result = db_col_text(s, 11), .detail = db_col_text(s, 12),
            };
            last = db_col_int64(s, 0);
            rows++;
            chain_hash(prev, &f, hash);
            const char *stored_prev = db_col_text(s, 13), *stored = db_col_text(s, 14);
            if (!stored_prev || !stored || strcmp(stored_prev, prev) != 0 || strcmp(stored, hash) != 0) {
                db_stmt_done(s);
                *bad_id = last;
                snprintf(err, errlen, "audit record %" PRId64 " does not match the chain", last);
                return -1;
            }
            memcpy(prev, stored, 65);
            (*checked)++;
        }
        db_stmt_done(s);
        if (rc != DB_DONE) goto dberr;
        if (rows == 0) break;
    }
    /* the head must point at the last record: a truncated tail shows here */
    int64_t head_ok = 0;
    const char *params[] = {prev};
    if (db_query_int64(db, "SELECT COUNT(*) FROM audit_head WHERE id = 1 AND last_hash = $1", &head_ok, 1, params) != DB_OK)
        goto dberr;
    if (!head_ok) {
        *bad_id = last + 1;
        snprintf(err, errlen, "the chain head does not match the last record (records removed at the end?)");
        return -1;
    }
    return 0;
dberr:
    snprintf(err, errlen, "database error: %s", db_errmsg(db));
    return -1;
}

const char *audit_mask_phone(zq_arena *a, const char *phone)
{
    if (!phone) return NULL;
    size_t n = strlen(phone);
    if (n == 11) return zq_arena_printf(a, "%.3s****%.4s", phone, phone + 7);
    if (n <= 3) return "***";
    return zq_arena_printf(a, "%.3s****", phone);
}
