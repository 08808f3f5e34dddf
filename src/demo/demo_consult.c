/*
 * demo_consult.c — the demo city's consultations (issue 14): handling
 * units for the districts with the city's 林科长 as supervisor, routing
 * rules, the SLA rows and the coming holidays, and Fuzhou firms' questions
 * in every state — submitted, acknowledged, answered, reopened, closed with
 * each rating (one 不满意 up for review), overdue and escalated — plus a
 * visitor's suggestion and answered ones published to the public Q&A.
 * Written directly (timestamps in the past), by the seeding command only.
 */
#include "demo/demo.h"
#include "core/clock.h"
#include "core/workday.h"
#include "db/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define HOUR 3600

typedef struct {
    const char *category, *kind, *title, *content, *reply, *follow_up;
    const char *status;   /* the state it ends in */
    int days_ago;         /* asked that many days ago */
    int answer_hours;     /* first answer after that many hours (0 = none) */
    const char *rating;   /* closed ones */
    const char *comment;
    int publish;          /* 1 = on the public Q&A */
    int overdue;          /* 1 = past its deadline (escalated when 2) */
} demo_consult;

static const demo_consult ITEMS[] = {
    {"trade", "question", "出口退税进度如何查询？",
     "我司今年 3 月申报的一批机电产品出口退税至今未到账，请问在哪里可以查询办理进度？大概还需要多久？",
     "<p>您好！出口退税办理进度可登录<strong>国际贸易“单一窗口”</strong>出口退税（外贸企业版）查询，"
     "也可通过电子税务局“出口退税管理”模块查看。正常情况下，资料齐全的申报自受理之日起 3 个工作日内办结。"
     "如超过时限仍未到账，请联系主管税务机关进出口税收管理科。</p>",
     NULL, "closed", 30, 20, "satisfied", "回复很及时，问题已解决。", 1, 0},
    {"trade", "question", "跨境电商企业备案需要哪些材料？",
     "我们计划开展跨境电商 B2B 出口业务，想了解海关跨境电商企业备案需要准备哪些材料、在哪里办理。",
     "<p>跨境电商企业备案通过<strong>中国国际贸易单一窗口</strong>“跨境电商”模块在线办理，需提供："
     "</p><ul><li>营业执照；</li><li>海关进出口货物收发货人备案回执；</li><li>企业法定代表人身份证明。</li></ul>"
     "<p>备案完成后即可开展 9710、9810 模式出口申报。</p>",
     NULL, "closed", 26, 30, "basically", "材料清单清楚，但希望能有线下指导。", 1, 0},
    {"project", "question", "境外展会补贴怎么申请？",
     "我司拟参加今年 10 月德国科隆五金展，请问展位费补贴的申请条件、比例和申报时间？",
     "<p>根据《福州市促进外贸稳规模优结构若干措施》，参加商务部门组织的境外重点展会，"
     "按展位费的 <strong>70%</strong> 给予补助，单家企业年度不超过 20 万元。展会结束后 3 个月内，"
     "通过本平台“项目申报”模块提交参展合同、展位费发票和参展照片。</p>",
     "展会是企业自行报名的，不是商务部门组织的，是否也能申请？", "reopened", 12, 26, NULL, NULL, 0, 0},
    {"policy", "question", "出口信用保险保费补贴的比例是多少？",
     "我司为小微外贸企业，去年投保了短期出口信用保险，请问保费补贴比例是多少，如何申请？",
     "<p>对小微外贸企业投保短期出口信用保险的保费给予<strong>全额补贴</strong>，其他企业按实缴保费的 50% 补助。"
     "请于每年 4 月底前通过平台提交保单及缴费凭证。</p>",
     NULL, "answered", 6, 40, NULL, NULL, 0, 0},
    {"business_env", "suggestion", "建议增加周末办事窗口",
     "外贸企业业务繁忙，工作日很难抽出时间到大厅办理，建议政务服务中心周六上午开放商务窗口。",
     "<p>感谢您的建议！我局已与市行政服务中心沟通，自下月起每周六上午 9:00–12:00 开放商务综合窗口，"
     "同时大部分业务可在本平台全程网办。</p>",
     NULL, "closed", 20, 100, "unsatisfied", "只开半天，还是不方便。", 0, 0},
    {"project", "question", "商贸流通企业销售增长奖励如何认定？",
     "我司为限额以上批发企业，去年销售额同比增长 12%，请问是否符合奖励条件，需要什么证明材料？",
     NULL, NULL, "acknowledged", 2, 0, NULL, NULL, 0, 0},
    {"trade", "question", "RCEP 原产地证书如何办理？",
     "我司出口日本的货物想享受 RCEP 关税优惠，请问原产地证书在哪里申领，需要多长时间？",
     NULL, NULL, "submitted", 1, 0, NULL, NULL, 0, 0},
    {"policy", "question", "外贸企业贷款贴息政策还有吗？",
     "去年有保单融资贴息政策，今年是否继续执行？贴息比例有无调整？", NULL, NULL, "submitted", 9, 0, NULL,
     NULL, 0, 2},
    {"other", "question", "海外仓建设补助申报时间",
     "我司在马来西亚自建了公共海外仓，请问海外仓建设补助今年什么时候开始申报？", NULL, NULL, "acknowledged", 8, 0,
     NULL, NULL, 0, 1},
};

static const char SQL_FIRMS[] =
    "SELECT e.id, e.region, m.user_id FROM enterprise e JOIN membership m ON m.enterprise_id = e.id"
    " AND m.is_legal_rep = 1 AND m.status = 'active' WHERE e.status = 'approved' ORDER BY e.id LIMIT 9";
static const char SQL_CITY_STAFF[] = "SELECT id FROM staff WHERE username = 'city'";
static const char SQL_UNIT[] =
    "INSERT INTO consult_unit(name, region, supervisor_id, created_at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (name) DO NOTHING";
static const char SQL_UNIT_ID[] = "SELECT id FROM consult_unit WHERE name = $1";
static const char SQL_RULE[] =
    "INSERT INTO consult_route_rule(category, region, unit_id) VALUES ($1, $2, $3) ON CONFLICT (category, region) DO NOTHING";
static const char SQL_HOLIDAY[] =
    "INSERT INTO consult_holiday(day, workday, name) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING";
static const char SQL_INSERT[] =
    "INSERT INTO consultation(enterprise_id, user_id, visitor_phone, region, kind, category, title, content, publishable,"
    " status, unit_id, due_at, ack_due_at, acknowledged_at, answered_at, last_reply_at, closed_at, escalated_at, rating,"
    " rating_comment, review_needed, published_at, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, $19, $20, $21, $22, $22)"
    " RETURNING id";
static const char SQL_MESSAGE[] =
    "INSERT INTO consult_message(consultation_id, author_kind, author_id, body_html, body_text, attachments, created_at)"
    " VALUES ($1, $2, $3, $4, $5, '[]', $6)";
static const char SQL_EVENT[] =
    "INSERT INTO consult_event(consultation_id, event, actor_kind, detail, created_at) VALUES ($1, $2, $3, '', $4)";

static int run(db_stmt *s)
{
    if (!s) return DB_ERR;
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int64_t one_id(db_conn *db, const char *sql, const char *text)
{
    db_stmt *s = db_prepare(db, sql);
    if (!s) return 0;
    if (text) db_bind_text(s, 1, text, -1);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    return id;
}

static int unit(db_conn *db, const char *name, const char *region, int64_t sup, int64_t now, int64_t *id)
{
    db_stmt *s = db_prepare(db, SQL_UNIT);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, name, -1);
    if (region) db_bind_text(s, 2, region, -1);
    else db_bind_null(s, 2);
    if (sup) db_bind_int64(s, 3, sup);
    else db_bind_null(s, 3);
    db_bind_int64(s, 4, now);
    int rc = run(s);
    if (rc != DB_OK) return rc;
    *id = one_id(db, SQL_UNIT_ID, name);
    return *id ? DB_OK : DB_ERR;
}

static int message(db_conn *db, int64_t cid, const char *kind, int64_t author, const char *html, int64_t at)
{
    db_stmt *s = db_prepare(db, SQL_MESSAGE);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, cid);
    db_bind_text(s, 2, kind, -1);
    if (author) db_bind_int64(s, 3, author);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, html, -1);
    db_bind_text(s, 5, html, -1);  /* the demo's texts are short; search reads consultation.content */
    db_bind_int64(s, 6, at);
    return run(s);
}

static int event(db_conn *db, int64_t cid, const char *ev, const char *actor, int64_t at)
{
    db_stmt *s = db_prepare(db, SQL_EVENT);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, cid);
    db_bind_text(s, 2, ev, -1);
    db_bind_text(s, 3, actor, -1);
    db_bind_int64(s, 4, at);
    return run(s);
}

static int one(db_conn *db, const demo_consult *d, int64_t eid, int64_t uid, const char *region, const char *visitor,
               int64_t unit_id, int64_t staff, int64_t now)
{
    int64_t created = now - (int64_t)d->days_ago * DAY - 3 * HOUR;
    int64_t answered = d->answer_hours ? created + (int64_t)d->answer_hours * HOUR : 0;
    int64_t due = zq_workdays_due(created, !strcmp(d->kind, "suggestion") ? 10 : 5, NULL, 0);
    if (d->overdue) due = now - DAY;  /* its deadline has passed */
    if (!strcmp(d->status, "reopened")) due = zq_workdays_due(now - DAY, 5, NULL, 0);
    bool closed = !strcmp(d->status, "closed");
    db_stmt *s = db_prepare(db, SQL_INSERT);
    if (!s) return DB_ERR;
    if (eid) db_bind_int64(s, 1, eid);
    else db_bind_null(s, 1);
    if (uid) db_bind_int64(s, 2, uid);
    else db_bind_null(s, 2);
    if (visitor) db_bind_text(s, 3, visitor, -1);
    else db_bind_null(s, 3);
    if (region) db_bind_text(s, 4, region, -1);
    else db_bind_null(s, 4);
    db_bind_text(s, 5, d->kind, -1);
    db_bind_text(s, 6, d->category, -1);
    db_bind_text(s, 7, d->title, -1);
    db_bind_text(s, 8, d->content, -1);
    db_bind_int64(s, 9, d->publish || closed ? 1 : 0);
    db_bind_text(s, 10, d->status, -1);
    db_bind_int64(s, 11, unit_id);
    db_bind_int64(s, 12, due);
    db_bind_int64(s, 13, zq_workdays_due(created, 1, NULL, 0));
    db_bind_int64(s, 14, strcmp(d->status, "submitted") ? created + 2 * HOUR : 0);
    db_bind_int64(s, 15, answered);
    db_bind_int64(s, 16, closed ? answered + DAY : 0);
    db_bind_int64(s, 17, d->overdue == 2 ? now - HOUR : 0);
    if (d->rating) db_bind_text(s, 18, d->rating, -1);
    else db_bind_null(s, 18);
    if (d->comment) db_bind_text(s, 19, d->comment, -1);
    else db_bind_null(s, 19);
    db_bind_int64(s, 20, d->rating && !strcmp(d->rating, "unsatisfied") ? 1 : 0);
    db_bind_int64(s, 21, d->publish ? answered + 2 * DAY : 0);
    db_bind_int64(s, 22, created);
    int rc = db_step(s);
    int64_t cid = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    const char *asker = visitor ? "visitor" : "user";
    if ((rc = message(db, cid, asker, uid, d->content, created)) != DB_OK) return rc;
    if ((rc = event(db, cid, "submitted", asker, created)) != DB_OK) return rc;
    if (strcmp(d->status, "submitted") && (rc = event(db, cid, "assigned", "staff", created + 2 * HOUR)) != DB_OK)
        return rc;
    if (d->overdue == 2 && (rc = event(db, cid, "escalated", "system", now - HOUR)) != DB_OK) return rc;
    if (!answered) return DB_OK;
    if ((rc = message(db, cid, "staff", staff, d->reply, answered)) != DB_OK) return rc;
    if ((rc = event(db, cid, "replied", "staff", answered)) != DB_OK) return rc;
    if (d->follow_up) {
        if ((rc = message(db, cid, "user", uid, d->follow_up, now - DAY)) != DB_OK) return rc;
        if ((rc = event(db, cid, "reopened", "user", now - DAY)) != DB_OK) return rc;
    }
    if (d->rating && (rc = event(db, cid, "rated", asker, answered + DAY)) != DB_OK) return rc;
    if (d->publish && (rc = event(db, cid, "published", "staff", answered + 2 * DAY)) != DB_OK) return rc;
    return DB_OK;
}

static int holidays(db_conn *db, int64_t now)
{
    /* the coming New Year's Day, off */
    char today[11], day[32];
    zq_today(now, today);
    snprintf(day, sizeof day, "%d-01-01", atoi(today) + 1);
    db_stmt *s = db_prepare(db, SQL_HOLIDAY);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, day, -1);
    db_bind_int64(s, 2, 0);
    db_bind_text(s, 3, "元旦", -1);
    return run(s);
}

int demo_consults(db_conn *db, int64_t now)
{
    int64_t eids[9] = {0}, uids[9] = {0}, sup = one_id(db, SQL_CITY_STAFF, NULL), city_unit = 0, gulou_unit = 0;
    char regions[9][16] = {{0}};
    int n = 0, rc = db_begin(db, true);
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(db, SQL_FIRMS);
    if (!s) goto fail_err;
    while ((rc = db_step(s)) == DB_ROW && n < 9) {
        eids[n] = db_col_int64(s, 0);
        snprintf(regions[n], sizeof regions[n], "%s", db_col_is_null(s, 1) ? "" : db_col_text(s, 1));
        uids[n++] = db_col_int64(s, 2);
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) goto fail;
    if ((rc = unit(db, "市商务局综合处", NULL, sup, now, &city_unit)) != DB_OK) goto fail;
    if ((rc = unit(db, "市商务局对外贸易处", NULL, sup, now, &gulou_unit)) != DB_OK) goto fail;
    int64_t trade_unit = gulou_unit;
    if ((rc = unit(db, "鼓楼区商务局", "350102", sup, now, &gulou_unit)) != DB_OK) goto fail;
    /* 外贸 questions go to the city's 对外贸易处; everything else from 鼓楼 to its own bureau */
    if (!(s = db_prepare(db, SQL_RULE))) goto fail_err;
    db_bind_text(s, 1, "trade", -1);
    db_bind_text(s, 2, "", -1);
    db_bind_int64(s, 3, trade_unit);
    if ((rc = run(s)) != DB_OK) goto fail;
    if (!(s = db_prepare(db, SQL_RULE))) goto fail_err;
    db_bind_text(s, 1, "", -1);
    db_bind_text(s, 2, "350102", -1);
    db_bind_int64(s, 3, gulou_unit);
    if ((rc = run(s)) != DB_OK) goto fail;
    if ((rc = holidays(db, now)) != DB_OK) goto fail;
    for (size_t i = 0; i < sizeof ITEMS / sizeof ITEMS[0]; i++) {
        const demo_consult *d = &ITEMS[i];
        int k = n ? (int)(i % (size_t)n) : -1;
        bool visitor = k < 0 || !strcmp(d->kind, "suggestion");
        const char *region = visitor ? NULL : regions[k];
        int64_t u = !strcmp(d->category, "trade") ? trade_unit : region && !strcmp(region, "350102") ? gulou_unit : city_unit;
        rc = one(db, d, visitor ? 0 : eids[k], visitor ? 0 : uids[k], region && *region ? region : NULL,
                 visitor ? "13800138000" : NULL, u, sup, now);
        if (rc != DB_OK) goto fail;
    }
    return db_commit(db);
fail_err:
    rc = DB_ERR;
fail:
    if (rc >= 0) rc = DB_ERR;
    if (db_in_tx(db)) db_rollback(db);
    return rc;
}
