/*
 * demo_policy.c — the demo city's policies, interpretations, notices and
 * services (issue 11): texts in the bureau's own register, published on
 * staggered days through the real publication path (policy_publish_now:
 * inbox rows for the firms they concern, messages, outbox rows), a
 * scheduled item and a draft for the bureau's lists, some inbox rows read
 * and some deliveries sent or failed so the reach pages have something to
 * show. Made by the seeding command, never by a handler.
 */
#include "demo/demo.h"
#include "core/arena.h"
#include "db/db.h"
#include "policy/policy.h"
#include "richtext/richtext.h"
#include <stdio.h>
#include <string.h>

#define DAY 86400

typedef struct {
    const char *kind, *title, *summary, *dept, *doc_no, *types, *targets, *region;
    const char *clauses[5];
    int days_ago;      /* published that many days ago; -N = scheduled in N days; 0 = draft */
    int interprets;    /* index + 1 of the item it interprets */
} demo_item;

static const demo_item ITEMS[] = {
    {"news", "福州市商务局关于印发《福州市促进外贸稳规模优结构若干措施》的通知",
     "从开拓国际市场、出口信用保险、贸易融资、外贸新业态等方面提出十二条措施。", "福州市商务局", "榕商务〔2026〕12号",
     "trade", "{\"trade_types\":[\"both\",\"export\",\"import\"]}", NULL,
     {"支持企业开拓国际市场：对企业参加商务部门组织的境外重点展会，按展位费的 70% 给予补助，单家企业年度补助不超过 20 万元。",
      "扩大出口信用保险覆盖面：对小微外贸企业投保短期出口信用保险的保费给予全额补贴，对其他企业按实缴保费的 50% 给予补助。",
      "加大贸易融资支持：对企业以出口信用保险保单融资的，按实际融资额的 1% 给予贴息。",
      "培育外贸新业态：对新认定的市级跨境电商产业园给予一次性奖励 50 万元。",
      "本措施自印发之日起施行，有效期至 2026 年 12 月 31 日。"},
     24, 0},
    {"news", "福州市商务局关于组织开展2026年度跨境电商发展专项资金申报工作的通知",
     "跨境电商企业、跨境电商产业园及公共海外仓可按本通知申报专项资金。", "福州市商务局", "榕商务〔2026〕18号",
     "ecommerce finance", "{}", NULL,
     {"申报对象：在本市依法注册、具有独立法人资格的跨境电商企业、产业园运营主体和公共海外仓运营企业。",
      "支持内容：跨境电商 B2B 出口额、海外仓建设、品牌培育及人才培训。",
      "申报时间：2026 年 3 月 1 日至 3 月 31 日，逾期不予受理。",
      "申报方式：登录福州市商务局政企互动平台“项目申报”模块在线填报，并上传相关证明材料。"},
     20, 0},
    {"news", "福州市促进消费扩容提质若干措施", "围绕商贸流通、餐饮住宿和夜间经济，提出十项促进消费的政策措施。",
     "福州市商务局", "榕商务〔2026〕25号", "consume", "{\"industries\":[\"F\",\"H\"]}", NULL,
     {"支持限额以上批发零售企业扩大销售：对年度销售额增长 10% 以上的企业给予最高 30 万元奖励。",
      "支持住宿餐饮企业提质升级：对新获评“福州老字号”的餐饮企业给予 10 万元奖励。",
      "发展夜间经济：对新认定的市级夜间经济示范街区给予 100 万元补助。"},
     15, 0},
    {"news", "福州市支持高新技术企业研发投入奖补实施细则", "对高新技术企业和科技型中小企业的研发投入按增量给予奖补。",
     "福州市科学技术局", "榕科〔2026〕7号", "tech", "{\"characteristics\":[\"hightech\",\"tech_sme\"]}", NULL,
     {"对上年度研发费用增长的高新技术企业，按增量部分的 10% 给予奖补，单家企业最高 200 万元。",
      "对首次认定的国家高新技术企业一次性奖励 20 万元。",
      "奖补资金通过政企互动平台受理，由科技部门会同财政部门审核拨付。"},
     12, 0},
    {"news", "鼓楼区促进楼宇经济高质量发展若干措施", "鼓楼区对新入驻重点楼宇的企业给予租金补贴和贡献奖励。",
     "鼓楼区商务局", "鼓商务〔2026〕3号", "finance", "{\"regions\":[\"350102\"]}", "350102",
     {"对新入驻重点商务楼宇、年纳税额 50 万元以上的企业，按实际租金的 30% 给予三年补贴。",
      "对楼宇运营主体引进总部企业的，给予每家 10 万元奖励。"},
     8, 0},
    {"news", "福州市外贸企业出口信用保险保费补助办法", "明确出口信用保险保费补助的对象、标准和申领流程。",
     "福州市商务局", "榕商务〔2026〕9号", "trade finance_support",
     "{\"trade_types\":[\"both\",\"export\"]}", NULL,
     {"补助对象为在本市注册、有出口实绩并投保短期出口信用保险的企业。",
      "补助标准：小微企业按实缴保费全额补助，其他企业按实缴保费的 50% 补助，单家企业年度不超过 100 万元。",
      "企业可在保单生效后 6 个月内通过平台提交申请。"},
     30, 0},
    {"news", "福州市商贸流通企业稳岗扩岗人才引进补贴办法", "对商贸流通企业新引进的高校毕业生和技能人才给予补贴。",
     "福州市商务局", "榕商务〔2026〕31号", "talent", "{\"industries\":[\"F\",\"H\",\"L\"]}", NULL,
     {"对新招用本市户籍高校毕业生并签订一年以上劳动合同的商贸流通企业，按每人 3000 元给予一次性补贴。",
      "对引进高级技能人才的企业，按每人每年 1 万元给予补贴，连续补贴三年。"},
     5, 0},
    {"news", "关于开展2027年度外经贸发展专项资金申报的预通知", "2027 年度外经贸发展专项资金申报工作将于明年初启动，请企业提前准备。",
     "福州市商务局", "榕商务〔2026〕40号", "trade finance", "{}", NULL,
     {"申报工作拟于 2027 年 1 月启动，具体以正式通知为准。", "请企业提前整理 2026 年度进出口实绩和相关票据。"},
     -3, 0},
    {"news", "福州市促进会展经济发展若干措施（征求意见稿）", "征求意见稿，尚未发布。", "福州市商务局", NULL, "consume", "{}", NULL,
     {"对在本市举办的展览面积 1 万平方米以上的展会，按面积给予补助。"}, 0, 0},
    {"interpretation", "《福州市促进外贸稳规模优结构若干措施》政策解读", "一图读懂外贸十二条：谁能申报、补多少、怎么申请。",
     "福州市商务局", NULL, "trade", "{\"trade_types\":[\"both\",\"export\",\"import\"]}", NULL,
     {"出台背景：为应对外需波动，稳住外贸基本盘，市商务局会同市财政局制定了本措施。",
      "主要内容：措施共十二条，涵盖展会补助、出口信保、贸易融资和外贸新业态四个方面。",
      "申报提示：各项补助均通过政企互动平台“项目申报”模块受理，企业可在“政策计算器”中查看适用条款。"},
     22, 1},
    {"interpretation", "图解：出口信用保险保费补助怎么申请", "三步完成出口信保保费补助申请。", "福州市商务局", NULL,
     "trade finance_support", "{\"trade_types\":[\"both\",\"export\"]}", NULL,
     {"第一步：在中国出口信用保险公司福建分公司投保短期出口信用保险。", "第二步：保单生效后登录平台，上传保单及缴费凭证。",
      "第三步：商务部门审核通过后，补助资金直接拨付至企业账户。"},
     27, 6},
    {"interpretation", "《福州市促进消费扩容提质若干措施》解读", "解读促消费十条的适用对象与兑现方式。", "福州市商务局", NULL,
     "consume", "{\"industries\":[\"F\",\"H\"]}", NULL,
     {"适用对象为本市限额以上批发零售、住宿餐饮企业。", "奖励资金实行“免申即享”，由商务部门根据统计数据直接兑现。"}, 13, 3},
    {"notice", "关于2026年“闽货出海”境外展会组展工作的通知", "2026 年度重点境外展会组展计划发布，欢迎企业报名参展。",
     "福州市商务局", "榕商务〔2026〕15号", NULL, "{\"trade_types\":[\"both\",\"export\"]}", NULL,
     {"本年度重点组展展会包括广交会、东盟博览会、迪拜中东国际贸易博览会等 15 个展会。", "有意参展企业请于展会开幕前 60 日通过平台报名。"},
     18, 0},
    {"notice", "关于做好2026年春节期间商贸流通领域安全生产工作的通知", "请各商贸流通企业落实节日期间安全生产主体责任。",
     "福州市商务局", NULL, NULL, "{}", NULL,
     {"各企业要开展一次安全隐患全面排查，重点检查消防通道、电气线路和燃气设施。", "节日期间实行 24 小时值班制度，遇有突发情况及时报告。"},
     40, 0},
    {"notice", "关于福州市商务局政企互动平台系统升级维护的公告", "平台将于本周六凌晨进行升级维护。", "福州市商务局", NULL, NULL,
     "{}", NULL, {"维护时间：周六 00:00 至 06:00，期间平台暂停服务，给您带来不便，敬请谅解。"}, 2, 0},
};
#define N_ITEMS (sizeof ITEMS / sizeof ITEMS[0])

static const struct {
    const char *name, *category, *dept, *summary, *how, *contact;
    int policy; /* index + 1 of a linked policy */
} SERVICES[] = {
    {"出口信用保险投保补助申请指引", "外贸服务", "福州市商务局对外贸易处", "小微外贸企业出口信保保费全额补助，其他企业补助 50%。",
     "<p>一、登录平台，进入“项目申报”。</p><p>二、上传保单、缴费凭证和出口报关单。</p><p>三、审核通过后 15 个工作日内拨付。</p>",
     "0591-87000001（工作日 9:00—17:00）", 6},
    {"跨境电商专项资金申报指引", "外贸服务", "福州市商务局电子商务处", "跨境电商企业、产业园和公共海外仓专项资金申报说明。",
     "<p>申报材料：申报表、营业执照、跨境电商出口数据证明。</p><p>申报时间：每年 3 月。</p>", "0591-87000002", 2},
    {"外贸企业出口退税咨询服务", "外贸服务", "福州市商务局对外贸易处", "联合税务部门为外贸企业提供出口退税政策咨询和辅导。",
     "<p>企业可通过平台“咨询建议”提交问题，或预约线下辅导。</p>", "0591-87000003", 0},
    {"商贸企业用工招聘对接服务", "人才服务", "福州市商务局流通业发展处", "为商贸流通企业对接高校毕业生和技能人才招聘资源。",
     "<p>每季度举办一次商贸企业专场招聘会，企业可在平台报名。</p>", "0591-87000004", 7},
    {"境外展会参展补助申请", "外贸服务", "福州市商务局对外贸易处", "参加重点境外展会的展位费补助申请。",
     "<p>展会结束后 3 个月内提交参展合同、发票和现场照片。</p>", "0591-87000001", 1},
};

static const char SQL_INSERT[] =
    "INSERT INTO content_item(kind, status, title, summary, body_html, body_text, department, doc_no, targets_json,"
    " region, interprets_id, publish_at, created_by, updated_by, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $14) RETURNING id";
static const char SQL_TYPE[] = "INSERT INTO content_type(item_id, code) VALUES ($1, $2)";
static const char SQL_HISTORY[] =
    "INSERT INTO content_history(item_id, action, staff_id, staff_name, changes, at) VALUES ($1, 'create', $2, $3, '{}', $4)";
static const char SQL_STAFF[] = "SELECT id, name FROM staff WHERE username = $1";
static const char SQL_SERVICE[] =
    "INSERT INTO service_item(status, name, category, department, summary, how_to_apply, contact, published_at, created_by,"
    " created_at, updated_at) VALUES ('published', $1, $2, $3, $4, $5, $6, $7, $8, $7, $7) RETURNING id";
static const char SQL_SERVICE_LINK[] = "INSERT INTO service_policy(service_id, item_id) VALUES ($1, $2)";
/* about two firms in five opened what they received, a few hours later */
static const char SQL_READ[] =
    "UPDATE policy_inbox SET read_at = delivered_at + 3600 * (1 + enterprise_id % 20),"
    " read_by = (SELECT m.user_id FROM membership m WHERE m.enterprise_id = policy_inbox.enterprise_id"
    " AND m.is_legal_rep = 1 LIMIT 1) WHERE enterprise_id % 5 < 2";
static const char SQL_READ_MSG[] =
    "UPDATE message SET read_at = created_at + 3600 WHERE ref_type IN ('policy', 'notice') AND account_id % 5 < 2";
/* the worker would have sent the outbox long since; a few numbers bounced */
static const char SQL_SENT[] =
    "UPDATE notify_outbox SET status = 'sent', attempts = 1, sent_at = created_at + 30"
    " WHERE ref_type IN ('policy', 'notice') AND status = 'pending' AND id % 9 <> 4";
static const char SQL_FAILED[] =
    "UPDATE notify_outbox SET status = 'failed', attempts = 5, last_error = '短信网关返回：号码为空号（E1017）'"
    " WHERE ref_type IN ('policy', 'notice') AND status = 'pending' AND channel = 'sms'";
static const char SQL_SMS_ON[] =
    "INSERT INTO notify_setting(account_kind, account_id, topic, channel, enabled, updated_at)"
    " SELECT 'user', m.user_id, 'policy', 'sms', 1, $1 FROM membership m WHERE m.is_legal_rep = 1"
    " AND m.user_id % 3 = 0 ON CONFLICT DO NOTHING";

static int run(db_conn *db, const char *sql, int64_t now, bool bind_now)
{
    db_stmt *s = db_prepare(db, sql);
    if (!s) return DB_ERR;
    if (bind_now) db_bind_int64(s, 1, now);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int insert_item(db_conn *db, zq_arena *a, const demo_item *it, const int64_t *ids, int64_t staff,
                       const char *staff_name, int64_t now, int64_t *id)
{
    static const char *const nums[] = {"一、", "二、", "三、", "四、", "五、"};
    char html[4096] = "";
    for (int k = 0; k < 5 && it->clauses[k]; k++) {
        char p[1024];
        snprintf(p, sizeof p, "<p>%s%s</p>", strcmp(it->kind, "news") == 0 ? nums[k] : "", it->clauses[k]);
        strncat(html, p, sizeof html - strlen(html) - 1);
    }
    richtext_out o;
    if (richtext_clean(a, html, strlen(html), &o) != 0) return DB_ERR;
    int64_t created = now - (int64_t)(it->days_ago > 0 ? it->days_ago + 2 : 1) * DAY;
    db_stmt *s = db_prepare(db, SQL_INSERT);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, it->kind, -1);
    db_bind_text(s, 2, it->days_ago < 0 ? "scheduled" : "draft", -1);
    db_bind_text(s, 3, it->title, -1);
    db_bind_text(s, 4, it->summary, -1);
    db_bind_text(s, 5, o.html, -1);
    db_bind_text(s, 6, o.text, -1);
    db_bind_text(s, 7, it->dept, -1);
    db_bind_text(s, 8, it->doc_no, -1);
    db_bind_text(s, 9, it->targets, -1);
    db_bind_text(s, 10, it->region, -1);
    if (it->interprets) db_bind_int64(s, 11, ids[it->interprets - 1]);
    db_bind_int64(s, 12, it->days_ago < 0 ? now - (int64_t)it->days_ago * DAY : 0);
    db_bind_int64(s, 13, staff);
    db_bind_int64(s, 14, created);
    int rc = db_step(s);
    *id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!*id) return rc < 0 ? rc : DB_ERR;
    for (const char *t = it->types; t && *t;) {
        char code[33];
        size_t n = strcspn(t, " ");
        snprintf(code, sizeof code, "%.*s", (int)n, t);
        if (!(s = db_prepare(db, SQL_TYPE))) return DB_ERR;
        db_bind_int64(s, 1, *id);
        db_bind_text(s, 2, code, -1);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
        t += n;
        while (*t == ' ') t++;
    }
    if (!(s = db_prepare(db, SQL_HISTORY))) return DB_ERR;
    db_bind_int64(s, 1, *id);
    db_bind_int64(s, 2, staff);
    db_bind_text(s, 3, staff_name, -1);
    db_bind_int64(s, 4, created);
    rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int demo_policies(db_conn *db, int64_t now)
{
    int rc = DB_ERR;
    int64_t ids[N_ITEMS] = {0}, staff = 0;
    char staff_name[64] = "市商务局";
    zq_arena *a = zq_arena_new(4 << 20);
    if (!a) return DB_ERR;
    db_stmt *s = db_prepare(db, SQL_STAFF);
    if (!s) goto done;
    db_bind_text(s, 1, "city", -1);
    if (db_step(s) == DB_ROW) {
        staff = db_col_int64(s, 0);
        snprintf(staff_name, sizeof staff_name, "%s", db_col_text(s, 1));
    }
    db_stmt_done(s);
    /* some legal reps take policy texts by SMS too */
    if ((rc = run(db, SQL_SMS_ON, now, true)) != DB_OK) goto done;
    for (size_t i = 0; i < N_ITEMS; i++) {
        if ((rc = db_begin(db, true)) != DB_OK) goto done;
        rc = insert_item(db, a, &ITEMS[i], ids, staff, staff_name, now, &ids[i]);
        if (rc != DB_OK) {
            db_rollback(db);
            goto done;
        }
        if ((rc = db_commit(db)) != DB_OK) goto done;
        /* through the real path, on the day it came out */
        if (ITEMS[i].days_ago > 0 &&
            (rc = policy_publish_now(db, now - (int64_t)ITEMS[i].days_ago * DAY, ids[i], NULL)) != DB_OK)
            goto done;
    }
    if ((rc = db_begin(db, true)) != DB_OK) goto done;
    for (size_t i = 0; i < sizeof SERVICES / sizeof SERVICES[0]; i++) {
        if (!(s = db_prepare(db, SQL_SERVICE))) goto rb;
        db_bind_text(s, 1, SERVICES[i].name, -1);
        db_bind_text(s, 2, SERVICES[i].category, -1);
        db_bind_text(s, 3, SERVICES[i].dept, -1);
        db_bind_text(s, 4, SERVICES[i].summary, -1);
        db_bind_text(s, 5, SERVICES[i].how, -1);
        db_bind_text(s, 6, SERVICES[i].contact, -1);
        db_bind_int64(s, 7, now - (int64_t)(10 + i) * DAY);
        db_bind_int64(s, 8, staff);
        rc = db_step(s);
        int64_t sid = rc == DB_ROW ? db_col_int64(s, 0) : 0;
        db_stmt_done(s);
        if (!sid) goto rb;
        if (SERVICES[i].policy) {
            if (!(s = db_prepare(db, SQL_SERVICE_LINK))) goto rb;
            db_bind_int64(s, 1, sid);
            db_bind_int64(s, 2, ids[SERVICES[i].policy - 1]);
            rc = db_step(s);
            db_stmt_done(s);
            if (rc != DB_DONE) goto rb;
        }
    }
    if ((rc = run(db, SQL_READ, now, false)) != DB_OK || (rc = run(db, SQL_READ_MSG, now, false)) != DB_OK ||
        (rc = run(db, SQL_SENT, now, false)) != DB_OK || (rc = run(db, SQL_FAILED, now, false)) != DB_OK)
        goto rb;
    rc = db_commit(db);
    goto done;
rb:
    if (rc >= 0) rc = DB_ERR;
    db_rollback(db);
done:
    zq_arena_free(a);
    return rc;
}
