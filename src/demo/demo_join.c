/*
 * demo_join.c — pending join requests for the demo firm whose login
 * `make run` prints first (手机号 13900000004), so its 加入申请 and the
 * mobile 我的员工 have people to approve. The askers are other demo
 * accounts; nothing is added when they or the firm are missing.
 */
#include "demo/demo.h"
#include "db/db.h"
#include <stddef.h>

static const char SQL_FIRM[] =
    "SELECT m.enterprise_id FROM membership m JOIN app_user u ON u.id = m.user_id"
    " JOIN enterprise e ON e.id = m.enterprise_id"
    " WHERE u.phone = $1 AND m.is_legal_rep = 1 AND e.status = 'approved' ORDER BY m.id LIMIT 1";
static const char SQL_USER[] = "SELECT id FROM app_user WHERE phone = $1";
static const char SQL_ASK[] =
    "INSERT INTO join_request (enterprise_id, user_id, status, message, created_at) VALUES ($1, $2, 'pending', $3, $4)"
    " ON CONFLICT DO NOTHING";

static int64_t id_by_phone(db_conn *db, const char *sql, const char *phone)
{
    db_stmt *s = db_prepare(db, sql);
    if (!s) return -1;
    db_bind_text(s, 1, phone, -1);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : rc == DB_DONE ? 0 : -1;
    db_stmt_done(s);
    return id;
}

int demo_join_requests(db_conn *db, int64_t now)
{
    static const struct {
        const char *phone, *message;
    } ASKERS[] = {
        {"13900000001", "我是采购部的员工，申请加入本企业以便填报外贸数据"},
        {"13900000002", "销售部新同事，请通过"},
    };
    int64_t eid = id_by_phone(db, SQL_FIRM, "13900000004");
    if (eid <= 0) return eid < 0 ? DB_ERR : DB_OK;
    for (size_t i = 0; i < sizeof ASKERS / sizeof ASKERS[0]; i++) {
        int64_t uid = id_by_phone(db, SQL_USER, ASKERS[i].phone);
        if (uid < 0) return DB_ERR;
        if (uid == 0) continue;
        db_stmt *s = db_prepare(db, SQL_ASK);
        if (!s) return DB_ERR;
        db_bind_int64(s, 1, eid);
        db_bind_int64(s, 2, uid);
        db_bind_text(s, 3, ASKERS[i].message, -1);
        db_bind_int64(s, 4, now - 3600 * (int64_t)(i + 1));
        int rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    return DB_OK;
}
