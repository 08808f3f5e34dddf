/*
 * demo_bulk.c — `seed-demo --bulk N`: N generated enterprises for load
 * tests of the directory (scripts/bench.d/30-directory.sh), drawn from the
 * same archetypes and districts as the demo city (demo_firm.h). Their
 * 经营范围 stays empty as before: it would add a third to the database
 * (and to its seeding time and every scan the benchmarks measure) for a
 * field no list shows. Everything is derived from the row's index, so two
 * runs give the same firms; USCCs are
 * valid (check character computed) and distinct because the index is
 * written into them. No accounts: these firms exist to be searched and
 * exported. Their stored completeness is the app's own computation
 * (profile_completeness_refresh) over what was written, so the directory's
 * completeness filter finds them where their records put them.
 */
#include "demo/demo.h"
#include "demo/demo_firm.h"
#include "audit/audit.h"
#include "db/db.h"
#include "core/clock.h"
#include "profile/profile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMIT_EVERY 10000

static const char SQL_ENT[] =
    "INSERT INTO enterprise(name, uscc, status, applicant_role, legal_rep_name, legal_rep_phone, contact_name,"
    " contact_phone, region, industry, scale, address, registered_capital, founded_on, trade_type, channel,"
    " completeness, reviewed_at, submitted_at, created_at, updated_at, staff_size, financing_stage, customs_code,"
    " term_start)"
    " VALUES ($1, $2, $3, 'legal_rep', $4, $5, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'seed', 0, $13, $14, $14, $14,"
    " $15, $16, $17, $11)"
    " ON CONFLICT DO NOTHING RETURNING id";
static const char SQL_CHAR[] =
    "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING";

/* 字号 of two words: the index walks them in order, so a name's pair (say
 * 闽江华兴, the bench's keyword) recurs once every 400 firms */
static const char *const WORD1[] = {"闽江", "榕城", "海峡", "恒信", "东南", "冠捷", "鑫达", "闽榕", "闽都", "左海",
                                    "永丰", "嘉诚", "富达", "金源", "鼎盛", "广源", "恒宇", "嘉禾", "德润", "宏信"};
static const char *const WORD2[] = {"华兴", "泰和", "永盛", "鑫源", "宏达", "联创", "锦程", "瑞丰", "博远", "中科",
                                    "新航", "安泰", "天成", "盛世", "汇通", "众诚", "佳美", "宝龙", "信达", "万象"};
#define COUNT(a) (int)(sizeof(a) / sizeof((a)[0]))

static void bind_opt(db_stmt *s, int idx, const char *v)
{
    if (v && *v) db_bind_text(s, idx, v, -1);
    else db_bind_null(s, idx);
}

static int insert_one(db_conn *db, int64_t i, int64_t now, int year, const demo_avail *av, int64_t *inserted)
{
    /* each row has its own generator stream: the firm depends on its index only */
    uint64_t st = (uint64_t)i * 0xD1B54A32D192ED03ull;
    char brand[32], uscc[19], phone[16];
    demo_firm f;
    snprintf(brand, sizeof brand, "%s%s", WORD1[i % COUNT(WORD1)], WORD2[(i / COUNT(WORD1)) % COUNT(WORD2)]);
    demo_firm_make(&st, av, -1, brand, NULL, year, i % 20 == 0, &f);
    demo_uscc_index(f.dist->code, i, uscc);
    snprintf(phone, sizeof phone, "138%08lld", (long long)(i % 100000000));
    const char *status = i % 10 == 0 ? "pending" : i % 25 == 1 ? "rejected" : "approved";
    int64_t at = now - (int64_t)(demo_rand(&st) % (3 * 365 * 86400u));

    db_stmt *s = db_prepare(db, SQL_ENT);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, f.name, -1);
    db_bind_text(s, 2, uscc, -1);
    db_bind_text(s, 3, status, -1);
    db_bind_text(s, 4, f.person, -1);
    db_bind_text(s, 5, phone, -1);
    db_bind_text(s, 6, f.dist->code, -1);
    bind_opt(s, 7, f.industry);
    db_bind_text(s, 8, f.scale, -1);
    db_bind_text(s, 9, f.address, -1);
    db_bind_int64(s, 10, f.capital_yuan);
    db_bind_text(s, 11, f.founded, -1);
    db_bind_text(s, 12, f.trade, -1);
    db_bind_int64(s, 13, strcmp(status, "pending") == 0 ? 0 : at + 86400);
    db_bind_int64(s, 14, at);
    db_bind_text(s, 15, f.staff_size, -1);
    db_bind_text(s, 16, f.stage, -1);
    bind_opt(s, 17, f.customs);
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if (!id) return DB_OK; /* that USCC is already live: skipped */
    (*inserted)++;
    for (int k = 0; k < f.nchars; k++) {
        if (!(s = db_prepare(db, SQL_CHAR))) return DB_ERR;
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, f.chars[k], -1);
        rc = db_step(s);
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    /* the score the app would store for this record (0 until then) */
    rc = profile_completeness_refresh(db, id);
    return rc < 0 ? rc : DB_OK;
}

int demo_bulk(db_conn *db, int64_t n, int64_t now, int64_t *inserted, char *err, size_t errlen)
{
    demo_avail av;
    char today[11];
    *inserted = 0;
    int rc = demo_avail_load(db, &av);
    if (rc != DB_OK) {
        snprintf(err, errlen, "the region and industry dictionaries are empty or unreadable: %s",
                 rc == DB_DONE ? "run migrate first" : db_errmsg(db));
        return -1;
    }
    zq_today(now, today);
    int year = atoi(today);
    /* continue the numbering after earlier bulk runs, so USCCs stay distinct */
    int64_t base = 0;
    if (db_query_int64(db, "SELECT COUNT(*) FROM enterprise WHERE channel = 'seed' AND contact_phone LIKE '138%'", &base,
                       0, NULL) != DB_OK)
        goto dberr;
    for (int64_t i = 0; i < n; i++) {
        if (i % COMMIT_EVERY == 0 && db_begin(db, true) != DB_OK) goto dberr;
        if (insert_one(db, base + i + 1, now, year, &av, inserted) != DB_OK) goto dberr_rb;
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
