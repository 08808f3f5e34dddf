/*
 * demo_survey.c — seed-demo's questionnaires: 2026年福州市外贸企业经营状况调查
 * (open, every approved firm asked, about two thirds answered, some
 * drafts), 营商环境满意度调查 (closed, anonymous) and a draft. Answers go
 * through survey_store_response, the API's own checks.
 */
#include "demo/demo.h"
#include "demo/demo_firm.h"
#include "db/db.h"
#include "survey/survey.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

static const char TRADE_DEF[] =
    "[{\"key\":\"q1\",\"type\":\"single\",\"title\":\"今年以来出口额较去年同期\",\"required\":true,\"section\":\"经营情况\","
    "\"options\":[{\"key\":\"a\",\"label\":\"增长\"},{\"key\":\"b\",\"label\":\"基本持平\"},{\"key\":\"c\",\"label\":\"下降\"}]},"
    "{\"key\":\"q2\",\"type\":\"multiple\",\"title\":\"增长主要来自哪些市场\",\"required\":true,\"min\":1,\"max\":3,"
    "\"show_if\":{\"q\":\"q1\",\"in\":[\"a\"]},\"options\":[{\"key\":\"m1\",\"label\":\"东盟\"},{\"key\":\"m2\",\"label\":\"欧盟\"},"
    "{\"key\":\"m3\",\"label\":\"美国\"},{\"key\":\"m4\",\"label\":\"“一带一路”沿线\"},{\"key\":\"m5\",\"label\":\"其他\",\"other\":true}]},"
    "{\"key\":\"q3\",\"type\":\"number\",\"title\":\"在手订单可支撑生产的月数\",\"required\":true,\"min\":0,\"max\":24,\"unit\":\"个月\"},"
    "{\"key\":\"q4\",\"type\":\"amount\",\"title\":\"上半年出口额\",\"min\":0,\"max\":1000000,\"unit\":\"万元\"},"
    "{\"key\":\"q5\",\"type\":\"rating\",\"title\":\"对外贸政策服务的满意度\",\"required\":true,\"section\":\"政策服务\"},"
    "{\"key\":\"q6\",\"type\":\"matrix\",\"title\":\"各项服务评价\",\"rows\":[{\"key\":\"r1\",\"label\":\"通关便利\"},"
    "{\"key\":\"r2\",\"label\":\"出口退税\"},{\"key\":\"r3\",\"label\":\"信保融资\"}],\"options\":[{\"key\":\"g\",\"label\":\"满意\"},"
    "{\"key\":\"o\",\"label\":\"一般\"},{\"key\":\"p\",\"label\":\"不满意\"}]},"
    "{\"key\":\"q7\",\"type\":\"textarea\",\"title\":\"当前的主要困难和建议\"}]";

static const char BIZ_DEF[] =
    "[{\"key\":\"q1\",\"type\":\"rating\",\"title\":\"对本区营商环境的总体评价\",\"required\":true},"
    "{\"key\":\"q2\",\"type\":\"single\",\"title\":\"办理业务平均跑动次数\",\"required\":true,\"options\":[{\"key\":\"a\",\"label\":\"0 次（全程网办）\"},"
    "{\"key\":\"b\",\"label\":\"1 次\"},{\"key\":\"c\",\"label\":\"2 次及以上\"}]},"
    "{\"key\":\"q3\",\"type\":\"text\",\"title\":\"最希望改进的一件事\"}]";

static const char *const HARD[] = {"海运费上涨，希望加大物流补贴", "汇率波动大，希望提供避险培训", "国外订单减少，希望组织展会",
                                   "招工难，希望对接职业院校", "退税到账时间可再缩短", ""};
static const char *const WISH[] = {"审批再提速", "政策解读更通俗", "线上办理更多事项", "减少重复填报", ""};

static const char SQL_SURVEY[] =
    "INSERT INTO survey(status, per, anonymous, allow_edit, open_at, close_at, published_at, closed_at, created_by,"
    " created_at, updated_at, title, description, definition) VALUES ($1, 'enterprise', $2, $3, $4, $5, $6, $7,"
    " (SELECT MIN(id) FROM staff), $4, $4, $8, $9, $10) RETURNING id";
static const char SQL_AUDIENCE[] =
    "INSERT INTO survey_audience(survey_id, enterprise_id, region, industry, scale) SELECT CAST($1 AS BIGINT), e.id, e.region,"
    " (SELECT d.parent FROM dict_item d WHERE d.type = 'industry' AND d.code = e.industry), e.scale FROM enterprise e"
    " WHERE e.status = 'approved'";
static const char SQL_FIRMS[] =
    "SELECT enterprise_id FROM survey_audience WHERE survey_id = $1 ORDER BY enterprise_id";

static int64_t add_survey(db_conn *db, const char *status, bool anonymous, int64_t open_at, int64_t close_at,
                          int64_t closed_at, const char *title, const char *desc, const char *def)
{
    db_stmt *s = db_prepare(db, SQL_SURVEY);
    if (!s) return 0;
    db_bind_text(s, 1, status, -1);
    db_bind_int64(s, 2, anonymous);
    db_bind_int64(s, 3, anonymous ? 0 : 1);
    db_bind_int64(s, 4, open_at);
    db_bind_int64(s, 5, close_at);
    db_bind_int64(s, 6, strcmp(status, "draft") ? open_at : 0);
    db_bind_int64(s, 7, closed_at);
    db_bind_text(s, 8, title, -1);
    db_bind_text(s, 9, desc, -1);
    db_bind_text(s, 10, def, -1);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!id || !strcmp(status, "draft")) return id;
    if (!(s = db_prepare(db, SQL_AUDIENCE))) return 0;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? id : 0;
}

static const char *trade_answer(uint64_t *r, char *buf, size_t n)
{
    int q1 = demo_pick(r, 10);
    const char *k1 = q1 < 5 ? "a" : q1 < 8 ? "b" : "c";
    char q2[96] = "";
    if (*k1 == 'a') {
        static const char *const M[] = {"m1", "m2", "m3", "m4"};
        int first = demo_pick(r, 4), second = demo_pick(r, 4);
        if (second == first) snprintf(q2, sizeof q2, ",\"q2\":[\"%s\"]", M[first]);
        else snprintf(q2, sizeof q2, ",\"q2\":[\"%s\",\"%s\"]", M[first], M[second]);
    }
    static const char *const G[] = {"g", "g", "o", "p"};
    const char *hard = HARD[demo_pick(r, 6)];
    snprintf(buf, n,
             "{\"answers\":{\"q1\":\"%s\"%s,\"q3\":%d,\"q4\":\"%d.%d\",\"q5\":%d,\"q6\":{\"r1\":\"%s\",\"r2\":\"%s\",\"r3\":\"%s\"}"
             "%s%s%s}}",
             k1, q2, 1 + demo_pick(r, 9) + (*k1 == 'a' ? 3 : 0), 50 + demo_pick(r, 5000), demo_pick(r, 10),
             2 + demo_pick(r, 4) - (*k1 == 'c' && demo_pick(r, 2)), G[demo_pick(r, 4)], G[demo_pick(r, 4)],
             G[demo_pick(r, 4)], *hard ? ",\"q7\":\"" : "", hard, *hard ? "\"" : "");
    return buf;
}

static const char *biz_answer(uint64_t *r, char *buf, size_t n)
{
    static const char *const W[] = {"a", "a", "b", "c"};
    const char *wish = WISH[demo_pick(r, 5)];
    snprintf(buf, n, "{\"answers\":{\"q1\":%d,\"q2\":\"%s\"%s%s%s}}", 3 + demo_pick(r, 3) - (demo_pick(r, 6) == 0),
             W[demo_pick(r, 4)], *wish ? ",\"q3\":\"" : "", wish, *wish ? "\"" : "");
    return buf;
}

static int answer_some(db_conn *db, int64_t id, uint64_t *rng, int percent, int draft_percent, int64_t at,
                       const char *(*make)(uint64_t *, char *, size_t))
{
    static const size_t CAP = 20000;
    int64_t *firms = malloc(CAP * sizeof *firms);
    if (!firms) return DB_ERR;
    size_t n = 0;
    db_stmt *s = db_prepare(db, SQL_FIRMS);
    if (!s) {
        free(firms);
        return DB_ERR;
    }
    db_bind_int64(s, 1, id);
    while (db_step(s) == DB_ROW && n < CAP) firms[n++] = db_col_int64(s, 0);
    db_stmt_done(s);
    char buf[1024];
    for (size_t i = 0; i < n; i++) {
        int roll = demo_pick(rng, 100);
        if (roll >= percent + draft_percent) continue;
        int rc = survey_store_response(db, id, firms[i], 0, make(rng, buf, sizeof buf), roll < percent,
                                       at + (int64_t)demo_pick(rng, 3 * DAY));
        if (rc != DB_OK) {
            free(firms);
            return rc == 1 ? DB_ERR : rc;
        }
    }
    free(firms);
    return DB_OK;
}

int demo_surveys(db_conn *db, int64_t now)
{
    uint64_t rng = 0x5eed2026u;
    if (db_begin(db, true) != DB_OK) return DB_ERR;
    int64_t trade = add_survey(db, "published", false, now - 4 * DAY, now + 10 * DAY, 0,
                               "2026年福州市外贸企业经营状况调查",
                               "为掌握全市外贸企业经营情况、精准制定稳外贸政策，请贵企业如实填写，约需 5 分钟。", TRADE_DEF);
    int64_t biz = add_survey(db, "closed", true, now - 40 * DAY, now - 10 * DAY, now - 10 * DAY, "营商环境满意度调查",
                             "本问卷匿名填写，工作人员只能看到汇总结果。", BIZ_DEF);
    int64_t draft = add_survey(db, "draft", false, now + DAY, now + 15 * DAY, 0, "2027年展会参展意向调查",
                               "了解企业明年参展计划。", BIZ_DEF);
    int rc = trade && biz && draft ? DB_OK : DB_ERR;
    if (rc == DB_OK) rc = answer_some(db, trade, &rng, 62, 8, now - 4 * DAY, trade_answer);
    if (rc == DB_OK) rc = answer_some(db, biz, &rng, 75, 0, now - 40 * DAY, biz_answer);
    if (rc != DB_OK) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}
