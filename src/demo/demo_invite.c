/*
 * demo_invite.c — the registration invites behind the demo firms that
 * came in through a link or a QR code (see demo.h): each district's staff
 * member made one of each half a year ago, as invite.c would store them.
 * Tokens are random like real ones: a token is a credential, and the demo
 * city may be reachable by others.
 */
#include "demo/demo.h"
#include "demo/demo_firm.h"
#include "db/db.h"
#include <sodium.h>

#define TOKEN_BYTES 16
#define INVITE_AGE (200 * 86400)

static const char SQL_INSERT[] =
    "INSERT INTO invite(token, region, channel, note, created_by, expires_at, created_at)"
    " VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id";
static const char SQL_USES[] =
    "UPDATE invite SET uses = (SELECT COUNT(*) FROM enterprise e WHERE e.invite_id = invite.id)";

static int add_invite(db_conn *db, const char *region, const char *channel, const char *note, int64_t staff_id,
                      int64_t at, int64_t *id)
{
    unsigned char raw[TOKEN_BYTES];
    char token[sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    db_stmt *s = db_prepare(db, SQL_INSERT);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, token, -1);
    db_bind_text(s, 2, region, -1);
    db_bind_text(s, 3, channel, -1);
    db_bind_text(s, 4, note, -1);
    db_bind_int64(s, 5, staff_id);
    db_bind_int64(s, 6, at);
    int rc = db_step(s);
    if (rc == DB_ROW) *id = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int demo_invites(db_conn *db, const int64_t *staff_ids, int64_t now, int64_t (*ids)[2])
{
    for (int d = 0; d < DEMO_N_DISTRICTS; d++) {
        ids[d][0] = ids[d][1] = 0;
        if (!staff_ids[d]) continue;
        const char *region = DEMO_DISTRICTS[d].code;
        int rc = add_invite(db, region, "link", "企业服务月：商会、协会微信群转发的注册链接", staff_ids[d],
                            now - INVITE_AGE, &ids[d][0]);
        if (rc == DB_OK)
            rc = add_invite(db, region, "qr", "政务服务中心商务窗口张贴的注册二维码", staff_ids[d],
                            now - INVITE_AGE + 3600, &ids[d][1]);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

int demo_invites_count(db_conn *db)
{
    db_stmt *s = db_prepare(db, SQL_USES);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}
