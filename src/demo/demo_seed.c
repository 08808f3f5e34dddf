/*
 * demo_seed.c — the demo city generator (see demo.h).
 */
#include "demo/demo.h"
#include "profile/profile.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "db/db.h"
#include "member/member.h"
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct {
    uint64_t s;
} rng;

static uint64_t rnd(rng *r)
{
    /* splitmix64: tiny, seedable, good enough for demo data */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int pick(rng *r, int n)
{
    return (int)(rnd(r) % (uint64_t)n);
}

static const char *const districts[][3] = {
    {"350102", "鼓楼区", "gulou"}, {"350103", "台江区", "taijiang"}, {"350104", "仓山区", "cangshan"},
    {"350105", "马尾区", "mawei"}, {"350111", "晋安区", "jinan"}, {"350112", "长乐区", "changle"},
    {"350121", "闽侯县", "minhou"}, {"350122", "连江县", "lianjiang"}, {"350123", "罗源县", "luoyuan"},
    {"350124", "闽清县", "minqing"}, {"350125", "永泰县", "yongtai"}, {"350128", "平潭县", "pingtan"},
    {"350181", "福清市", "fuqing"},
};
#define N_DISTRICTS (int)(sizeof districts / sizeof districts[0])

static const char *const brand[] = {"闽江", "榕城", "海峡", "鼓山", "三坊", "乌山", "马尾", "南台", "闽都", "左海",
                                    "东街", "金山", "旗山", "青口", "琅岐", "江滨", "融侨", "华林", "屏山", "西湖",
                                    "龙腰", "螺洲", "连坂", "凤湖", "瑞达", "恒宇", "鑫源", "嘉禾", "宏泰", "信达"};
static const char *const trade[] = {"科技", "电子", "贸易", "食品", "纺织", "服饰", "机械", "新材料", "生物医药",
                                    "软件", "物流", "建材", "化工", "光电", "智能装备", "茶业", "水产", "汽车配件",
                                    "鞋业", "进出口"};
static const char *const surname[] = {"林", "陈", "黄", "郑", "王", "张", "吴", "刘", "李", "杨", "许", "蔡", "游", "翁", "何"};
static const char *const given[] = {"志强", "建华", "丽娟", "晓明", "雪梅", "文斌", "海燕", "国平", "秀英", "永福",
                                    "思远", "婷婷", "伟", "敏", "俊杰", "佳怡", "宏伟", "榕生", "闽生", "春燕"};
static const char *const streets[] = {"五四路", "八一七北路", "工业路", "湖东路", "江滨中大道", "福新中路",
                                      "浦上大道", "连江北路", "长乐南路", "东二环", "金山大道", "闽江大道"};
static const char *const scales[] = {"large", "medium", "medium", "small", "small", "small", "micro", "micro"};
static const char *const chars[] = {"private", "state", "foreign", "hmt", "hightech", "srdi", "tech_sme",
                                    "listed", "above_scale", "foreign_trade"};
static const char *const staff_sizes[] = {"lt20", "20_99", "100_299", "300_999", "1000_plus"};
static const char *const stages[] = {"none", "angel", "a", "b", "c_plus", "pre_ipo", "listed", "not_needed"};
static const char *const trades[] = {"none", "export", "import", "both"};

static const char USCC_ALPHA[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static void make_uscc(rng *r, const char *region, char out[19])
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    out[0] = '9';
    out[1] = '1';
    memcpy(out + 2, region, 6);
    for (int i = 8; i < 17; i++) out[i] = USCC_ALPHA[pick(r, 31)];
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (int)(strchr(USCC_ALPHA, out[i]) - USCC_ALPHA) * w[i];
    out[17] = USCC_ALPHA[(31 - sum % 31) % 31];
    out[18] = '\0';
}

static const char SQL_HAS_DEMO[] = "SELECT COUNT(*) FROM staff WHERE username = 'admin'";
static const char SQL_STAFF[] =
    "INSERT INTO staff(username, name, phone, password_hash, role, region, must_change_password, created_at, updated_at)"
    " VALUES ($1,$2,$3,$4,$5,$6,0,$7,$7) RETURNING id";
static const char SQL_USER[] =
    "INSERT INTO app_user(phone, name, password_hash, must_change_password, created_at, updated_at)"
    " VALUES ($1,$2,$3,0,$4,$4) RETURNING id";
/* demo people registered themselves, so they agreed to the documents then */
static const char SQL_CONSENT[] =
    "INSERT INTO user_consent(user_id, terms_version, privacy_version, channel, ip, created_at)"
    " SELECT $1, (SELECT MAX(version) FROM legal_doc WHERE kind = 'terms'),"
    " (SELECT MAX(version) FROM legal_doc WHERE kind = 'privacy'), 'web', '127.0.0.1', $2";
static const char SQL_ENT[] =
    "INSERT INTO enterprise(name, uscc, status, applicant_role, legal_rep_name, legal_rep_phone, contact_name,"
    " contact_phone, region, industry, scale, business_scope, term_start, address, registered_capital, founded_on,"
    " staff_size, financing_stage, email, intro, customs_code, trade_type, channel, applicant_user_id, reject_reason,"
    " reviewed_at, submitted_at, created_at, updated_at)"
    " VALUES ($1,$2,$3,'legal_rep',$4,$5,$4,$5,$6,$7,$8,$9,$10,$11,$12,$10,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$23,$23)"
    " RETURNING id";
/* the picks may repeat a code; ON CONFLICT keeps a PostgreSQL transaction alive where a failed INSERT would abort it */
static const char SQL_CHAR[] =
    "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES ($1,$2) ON CONFLICT DO NOTHING";
static const char SQL_MEMBER[] =
    "INSERT INTO membership(enterprise_id, user_id, is_legal_rep, status, created_at, updated_at) VALUES ($1,$2,1,'active',$3,$3)";
static const char SQL_DIVISIONS[] = "SELECT code FROM dict_item WHERE type = 'industry' AND parent IS NOT NULL ORDER BY sort";

static int step_id(db_stmt *s, int64_t *id)
{
    int rc = db_step(s);
    if (rc == DB_ROW && id) *id = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static int add_staff(db_conn *db, const char *user, const char *name, const char *phone, const char *hash,
                     const char *role, const char *region, int64_t now)
{
    db_stmt *s = db_prepare(db, SQL_STAFF);
    if (!s) return -1;
    db_bind_text(s, 1, user, -1);
    db_bind_text(s, 2, name, -1);
    db_bind_text(s, 3, phone, -1);
    db_bind_text(s, 4, hash, -1);
    db_bind_text(s, 5, role, -1);
    db_bind_text(s, 6, region, -1);
    db_bind_int64(s, 7, now);
    return step_id(s, NULL);
}

int demo_seed(db_conn *db, const demo_opts *o, FILE *logins, int *skipped, char *err, size_t errlen)
{
    rng r = {o->seed};
    char hash[AUTH_PW_HASH_MAX];
    char divisions[128][8];
    int ndiv = 0;
    int64_t have = 0, now = (int64_t)time(NULL);
    db_stmt *s = NULL;
    auth_pw_cost cost = {o->pw_ops, o->pw_mem};

    *skipped = 0;
    if (db_query_int64(db, SQL_HAS_DEMO, &have, 0, NULL) != DB_OK) goto dberr;
    if (have) {
        *skipped = 1;
        return 0;
    }
    if (!(s = db_prepare(db, SQL_DIVISIONS))) goto dberr;
    while (db_step(s) == DB_ROW && ndiv < 128) snprintf(divisions[ndiv++], 8, "%s", db_col_text(s, 0));
    db_stmt_done(s);
    if (!ndiv) {
        snprintf(err, errlen, "industry dictionary is empty: run migrate first");
        return -1;
    }
    /* every demo account shares one password; hash it once (argon2id is slow on purpose) */
    if (auth_pw_hash(o->password, cost, hash) != 0) {
        snprintf(err, errlen, "out of memory hashing the demo password");
        return -1;
    }
    if (db_begin(db, true) != DB_OK) goto dberr;

    if (add_staff(db, "admin", "系统管理员", "13700000000", hash, "super", NULL, now) ||
        add_staff(db, "city", "市商务局 林科长", "13700000001", hash, "city", NULL, now))
        goto dberr_rb;
    for (int d = 0; d < N_DISTRICTS; d++) {
        char phone[16], name[64];
        snprintf(phone, sizeof phone, "137000001%02d", d);
        snprintf(name, sizeof name, "%s商务局 %s%s", districts[d][1], surname[d % 15], given[d % 20]);
        if (add_staff(db, districts[d][2], name, phone, hash, "district", districts[d][0], now)) goto dberr_rb;
    }

    if (logins) {
        fprintf(logins, "演示账号 (demo logins) — 密码 password: %s\n", o->password);
        fprintf(logins, "  管理后台 /admin/login  用户名 admin (超级管理员)  city (市级)  gulou / taijiang / cangshan … (区县)\n");
    }
    int printed = 0;
    for (int i = 0; i < o->enterprises; i++) {
        int d = i < 6 ? 0 : pick(&r, N_DISTRICTS); /* the first firms sit in 鼓楼区 so its staff has work */
        const char *region = districts[d][0];
        char name[200], uscc[19], phone[24], person[32], addr[200], scope[300], email[80], customs[11], founded[11];
        snprintf(name, sizeof name, "福州%s%s%s有限公司", brand[pick(&r, 30)], brand[pick(&r, 30)], trade[pick(&r, 20)]);
        make_uscc(&r, region, uscc);
        snprintf(phone, sizeof phone, "139%08u", (unsigned)(i + 1) % 100000000u);
        snprintf(person, sizeof person, "%s%s", surname[pick(&r, 15)], given[pick(&r, 20)]);
        snprintf(addr, sizeof addr, "福建省福州市%s%s%d号", districts[d][1], streets[pick(&r, 12)], 1 + pick(&r, 300));
        snprintf(scope, sizeof scope, "%s产品的研发、生产与销售；货物及技术进出口。", trade[pick(&r, 20)]);
        snprintf(email, sizeof email, "contact%d@example.com", i + 1);
        snprintf(founded, sizeof founded, "%04d-%02d-%02d", 1995 + pick(&r, 30), 1 + pick(&r, 12), 1 + pick(&r, 28));
        const char *tt = trades[pick(&r, 4)];
        bool trades_abroad = strcmp(tt, "none") != 0;
        if (trades_abroad) snprintf(customs, sizeof customs, "3501%06u", (unsigned)(100000 + i) % 1000000u);
        int roll = pick(&r, 100);
        const char *status = i < 3 ? "pending" : roll < 80 ? "approved" : roll < 95 ? "pending" : "rejected";
        int64_t submitted = now - (int64_t)pick(&r, 180) * 86400 - pick(&r, 86400);

        int64_t uid = 0, eid = 0;
        if (!(s = db_prepare(db, SQL_USER))) goto dberr_rb;
        db_bind_text(s, 1, phone, -1);
        db_bind_text(s, 2, person, -1);
        db_bind_text(s, 3, hash, -1);
        db_bind_int64(s, 4, now);
        if (step_id(s, &uid)) goto dberr_rb;
        if (!(s = db_prepare(db, SQL_CONSENT))) goto dberr_rb;
        db_bind_int64(s, 1, uid);
        db_bind_int64(s, 2, submitted);
        if (step_id(s, NULL)) goto dberr_rb;

        if (!(s = db_prepare(db, SQL_ENT))) goto dberr_rb;
        db_bind_text(s, 1, name, -1);
        db_bind_text(s, 2, uscc, -1);
        db_bind_text(s, 3, status, -1);
        db_bind_text(s, 4, person, -1);
        db_bind_text(s, 5, phone, -1);
        db_bind_text(s, 6, region, -1);
        /* a tenth have no industry: the manual's 重点提示 asks them to fill it in */
        if (pick(&r, 10) == 0) db_bind_null(s, 7); else db_bind_text(s, 7, divisions[pick(&r, ndiv)], -1);
        db_bind_text(s, 8, scales[pick(&r, 8)], -1);
        db_bind_text(s, 9, scope, -1);
        db_bind_text(s, 10, founded, -1);
        db_bind_text(s, 11, addr, -1);
        db_bind_int64(s, 12, (int64_t)(50 + pick(&r, 20000)) * 10000);
        db_bind_text(s, 13, staff_sizes[pick(&r, 5)], -1);
        db_bind_text(s, 14, stages[pick(&r, 8)], -1);
        db_bind_text(s, 15, email, -1);
        db_bind_text(s, 16, "专注主营业务，积极拓展国内外市场。", -1);
        db_bind_text(s, 17, trades_abroad ? customs : NULL, -1);
        db_bind_text(s, 18, tt, -1);
        db_bind_text(s, 19, i % 3 == 0 ? "link" : i % 3 == 1 ? "web" : "mobile", -1);
        db_bind_int64(s, 20, uid);
        db_bind_text(s, 21, strcmp(status, "rejected") == 0 ? "营业执照照片不清晰，请重新核对企业名称与信用代码" : NULL, -1);
        db_bind_int64(s, 22, strcmp(status, "pending") == 0 ? 0 : submitted + 86400);
        db_bind_int64(s, 23, submitted);
        if (step_id(s, &eid)) goto dberr_rb;

        int nch = 1 + pick(&r, 3);
        for (int k = 0; k < nch; k++) {
            if (!(s = db_prepare(db, SQL_CHAR))) goto dberr_rb;
            db_bind_int64(s, 1, eid);
            db_bind_text(s, 2, chars[(k * 4 + pick(&r, 4)) % 10], -1);
            int rc = db_step(s);
            db_stmt_done(s);
            if (rc != DB_DONE && rc != DB_ECONSTRAINT) goto dberr_rb;
        }
        if (strcmp(status, "approved") == 0 && member_create_default_roles(db, eid, now) < 0) goto dberr_rb;
        /* most approved firms have kept their profile up; a few have not started */
        if (strcmp(status, "approved") == 0 &&
            (i % 7 != 3 ? demo_profile(db, eid, now) != DB_OK : profile_completeness_refresh(db, eid) < 0))
            goto dberr_rb;
        /* a few firms wait for the bureau to approve a new name (one also moves) */
        if (strcmp(status, "approved") == 0 && i % 13 == 6 &&
            demo_change(db, eid, uid, i % 26 == 6 ? districts[(d + 1) % N_DISTRICTS][0] : NULL, now) != DB_OK)
            goto dberr_rb;
        if (!(s = db_prepare(db, SQL_MEMBER))) goto dberr_rb;
        db_bind_int64(s, 1, eid);
        db_bind_int64(s, 2, uid);
        db_bind_int64(s, 3, now);
        if (step_id(s, NULL)) goto dberr_rb;

        if (logins && printed < 4 && (strcmp(status, "approved") == 0 || i == 0)) {
            fprintf(logins, "  企业后台 /login  手机号 %s  (%s, %s, %s)\n", phone, name, districts[d][1],
                    strcmp(status, "approved") == 0 ? "已认证" : "待审核");
            printed++;
        }
    }
    if (demo_join_requests(db, now) != DB_OK) goto dberr_rb;
    audit_actor sys = {"system", 0, "seed-demo", NULL};
    char detail[96];
    snprintf(detail, sizeof detail, "{\"enterprises\":%d,\"staff\":%d}", o->enterprises, N_DISTRICTS + 2);
    audit_entry ae = {.action = "demo.seed", .detail = detail};
    if (audit_record_as(db, &sys, now, &ae) != 0) goto dberr_rb;
    if (db_commit(db) != DB_OK) goto dberr;
    return 0;
dberr_rb:
    snprintf(err, errlen, "database error: %s", db_errmsg(db));
    db_rollback(db);
    return -1;
dberr:
    snprintf(err, errlen, "database error: %s", db_errmsg(db));
    return -1;
}
