/*
 * demo_bulk.c — `seed-demo --bulk N`: N generated enterprises for load
 * tests of the directory (scripts/bench.d/30-directory.sh). Everything is
 * derived from the row's index, so two runs give the same firms; USCCs are
 * valid (check character computed) and distinct because the index is
 * written into them. No accounts: these firms exist to be searched and
 * exported.
 */
#include "demo/demo.h"
#include "audit/audit.h"
#include "db/db.h"
#include <stdio.h>
#include <string.h>

#define COMMIT_EVERY 10000

static const char SQL_REGIONS[] = "SELECT code FROM dict_item WHERE type = 'region' AND parent IS NOT NULL ORDER BY sort, code";
static const char SQL_DIVISIONS[] = "SELECT code FROM dict_item WHERE type = 'industry' AND parent IS NOT NULL ORDER BY sort, code";
static const char SQL_ENT[] =
    "INSERT INTO enterprise(name, uscc, status, applicant_role, legal_rep_name, legal_rep_phone, contact_name,"
    " contact_phone, region, industry, scale, address, registered_capital, founded_on, trade_type, channel,"
    " completeness, reviewed_at, submitted_at, created_at, updated_at)"
    " VALUES ($1, $2, $3, 'legal_rep', $4, $5, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'seed', $13, $14, $15, $15, $15)"
    " ON CONFLICT DO NOTHING RETURNING id";
static const char SQL_CHAR[] =
    "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING";

static const char *const WORD1[] = {"闽江", "榕城", "海峡", "鼓山", "三坊", "乌山", "马尾", "南台", "闽都", "左海",
                                    "旗山", "屏山", "西湖", "琅岐", "螺洲", "龙腰", "恒宇", "嘉禾", "连坂", "金山"};
static const char *const WORD2[] = {"华兴", "泰和", "永盛", "鑫源", "宏达", "联创", "锦程", "瑞丰", "博远", "中科",
                                    "新航", "安泰", "天成", "盛世", "汇通", "众诚", "佳美", "宝龙", "信达", "万象"};
static const char *const TRADE[] = {"科技", "电子", "贸易", "食品", "纺织", "服饰", "机械", "新材料", "生物医药",
                                    "进出口", "软件", "光电", "汽车配件", "茶业", "水产", "建材", "鞋业", "物流"};
static const char *const SURNAME[] = {"林", "陈", "黄", "郑", "王", "张", "吴", "刘", "李", "杨", "许", "蔡"};
static const char *const GIVEN[] = {"志强", "建华", "丽娟", "晓明", "雪梅", "文斌", "海燕", "国平", "秀英", "永福"};
static const char *const SCALES[] = {"large", "medium", "medium", "small", "small", "small", "micro", "micro"};
static const char *const TRADES[] = {"none", "export", "import", "both"};
static const char *const CHARS[] = {"private", "state", "foreign", "hmt", "hightech", "srdi", "tech_sme",
                                    "listed", "above_scale", "foreign_trade"};
#define COUNT(a) (int)(sizeof(a) / sizeof((a)[0]))

static const char USCC_ALPHA[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 91 + district + the index in base 31 (9 places) + check character */
static void bulk_uscc(const char *region, int64_t index, char out[19])
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    out[0] = '9';
    out[1] = '1';
    memcpy(out + 2, region, 6);
    for (int i = 16; i >= 8; i--) {
        out[i] = USCC_ALPHA[index % 31];
        index /= 31;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (int)(strchr(USCC_ALPHA, out[i]) - USCC_ALPHA) * w[i];
    out[17] = USCC_ALPHA[(31 - sum % 31) % 31];
    out[18] = '\0';
}

/* Up to `cap` codes of a one-column query, copied into buf. */
static int load_codes(db_conn *db, const char *sql, char codes[][16], int cap)
{
    db_stmt *s = db_prepare(db, sql);
    if (!s) return -1;
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && n < cap) snprintf(codes[n++], 16, "%s", db_col_text(s, 0));
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

static int insert_one(db_conn *db, int64_t i, int64_t now, char regions[][16], int nreg, char divisions[][16],
                      int ndiv, int64_t *inserted)
{
    /* a multiplicative hash spreads neighbouring indexes over the lists */
    uint64_t h = (uint64_t)i * 2654435761u;
    const char *region = regions[h % (uint64_t)nreg];
    char uscc[19], name[160], person[32], phone[16], addr[160], founded[16];
    bulk_uscc(region, i, uscc);
    snprintf(name, sizeof name, "福州%s%s%s有限公司", WORD1[i % COUNT(WORD1)], WORD2[(i / COUNT(WORD1)) % COUNT(WORD2)],
             TRADE[(h >> 8) % COUNT(TRADE)]);
    snprintf(person, sizeof person, "%s%s", SURNAME[(h >> 4) % COUNT(SURNAME)], GIVEN[(h >> 12) % COUNT(GIVEN)]);
    snprintf(phone, sizeof phone, "138%08lld", (long long)(i % 100000000));
    snprintf(addr, sizeof addr, "福建省福州市工业路%lld号", (long long)(i % 999 + 1));
    snprintf(founded, sizeof founded, "%04d-%02d-%02d", 1990 + (int)(h % 35), 1 + (int)((h >> 3) % 12),
             1 + (int)((h >> 7) % 28));
    const char *status = i % 10 == 0 ? "pending" : i % 25 == 1 ? "rejected" : "approved";
    int64_t at = now - (int64_t)(h % (3 * 365 * 86400u));

    db_stmt *s = db_prepare(db, SQL_ENT);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, name, -1);
    db_bind_text(s, 2, uscc, -1);
    db_bind_text(s, 3, status, -1);
    db_bind_text(s, 4, person, -1);
    db_bind_text(s, 5, phone, -1);
    db_bind_text(s, 6, region, -1);
    if (h % 20 == 0) db_bind_null(s, 7);
    else db_bind_text(s, 7, divisions[(h >> 16) % (uint64_t)ndiv], -1);
    db_bind_text(s, 8, SCALES[(h >> 5) % COUNT(SCALES)], -1);
    db_bind_text(s, 9, addr, -1);
    db_bind_int64(s, 10, (int64_t)(50 + (h >> 9) % 20000) * 10000);
    db_bind_text(s, 11, founded, -1);
    db_bind_text(s, 12, TRADES[(h >> 11) % COUNT(TRADES)], -1);
    db_bind_int64(s, 13, (int64_t)((h >> 13) % 101));
    db_bind_int64(s, 14, strcmp(status, "pending") == 0 ? 0 : at + 86400);
    db_bind_int64(s, 15, at);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if (!id) return DB_OK; /* that USCC is already live: skipped */
    (*inserted)++;
    int nch = (int)((h >> 17) % 4);
    for (int k = 0; k < nch; k++) {
        if (!(s = db_prepare(db, SQL_CHAR))) return DB_ERR;
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, CHARS[(k * 3 + (h >> (19 + k))) % COUNT(CHARS)], -1);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    return DB_OK;
}

int demo_bulk(db_conn *db, int64_t n, int64_t now, int64_t *inserted, char *err, size_t errlen)
{
    static char regions[64][16], divisions[128][16];
    *inserted = 0;
    int nreg = load_codes(db, SQL_REGIONS, regions, 64);
    int ndiv = load_codes(db, SQL_DIVISIONS, divisions, 128);
    if (nreg <= 0 || ndiv <= 0) {
        snprintf(err, errlen, "the region and industry dictionaries are empty or unreadable: %s", db_errmsg(db));
        return -1;
    }
    /* continue the numbering after earlier bulk runs, so USCCs stay distinct */
    int64_t base = 0;
    if (db_query_int64(db, "SELECT COUNT(*) FROM enterprise WHERE channel = 'seed' AND contact_phone LIKE '138%'", &base,
                       0, NULL) != DB_OK)
        goto dberr;
    for (int64_t i = 0; i < n; i++) {
        if (i % COMMIT_EVERY == 0 && db_begin(db, true) != DB_OK) goto dberr;
        if (insert_one(db, base + i + 1, now, regions, nreg, divisions, ndiv, inserted) != DB_OK) goto dberr_rb;
        if ((i + 1) % COMMIT_EVERY == 0 || i + 1 == n) {
            if (db_commit(db) != DB_OK) goto dberr;
        }
    }
    audit_actor sys = {"system", 0, "seed-demo", NULL};
    char detail[64];
    snprintf(detail, sizeof detail, "{\"bulk\":%lld}", (long long)*inserted);
    audit_entry ae = {.action = "demo.bulk", .detail = detail};
    if (audit_record_as(db, &sys, now, &ae) != 0) goto dberr;
    return 0;
dberr_rb:
    db_rollback(db);
dberr:
    snprintf(err, errlen, "database error after %lld firms: %s", (long long)*inserted, db_errmsg(db));
    return -1;
}
