/*
 * demo_seed.c — the demo city generator (see demo.h).
 */
#include "auth/staff_role.h"
#include "demo/demo.h"
#include "demo/demo_firm.h"
#include "core/clock.h"
#include "profile/profile.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "db/db.h"
#include "member/member.h"
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const REJECT_REASONS[] = {
    "营业执照照片不清晰，请重新核对企业名称与信用代码",
    "统一社会信用代码与营业执照不一致，请核对后重新提交",
    "注册地址与营业执照登记住所不一致，请补充说明",
};

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
    " reviewed_at, submitted_at, created_at, updated_at, invite_id)"
    " VALUES ($1,$2,$3,'legal_rep',$4,$5,$4,$5,$6,$7,$8,$9,$10,$11,$12,$10,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$23,$23,$24)"
    " RETURNING id";
/* ON CONFLICT keeps a PostgreSQL transaction alive where a failed INSERT would abort it */
static const char SQL_CHAR[] =
    "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES ($1,$2) ON CONFLICT DO NOTHING";
static const char SQL_MEMBER[] =
    "INSERT INTO membership(enterprise_id, user_id, is_legal_rep, status, created_at, updated_at) VALUES ($1,$2,1,'active',$3,$3)";

static int step_id(db_stmt *s, int64_t *id)
{
    int rc = db_step(s);
    if (rc == DB_ROW && id) *id = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static int add_staff(db_conn *db, const char *user, const char *name, const char *phone, const char *hash,
                     const char *role, const char *region, int64_t now, int64_t *id)
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
    int64_t sid = 0;
    if (step_id(s, &sid)) return -1;
    if (id) *id = sid;
    return !sid || staff_role_grant_builtin(db, sid, role) == DB_OK ? 0 : -1;
}

/* What one seeded registration looks like beside its firm. */
typedef struct {
    const char *uscc, *status, *channel, *phone, *reject_reason;
    int64_t invite_id, user_id, submitted;
} seed_reg;

static int insert_firm(db_conn *db, const demo_firm *f, const seed_reg *g, int64_t *eid)
{
    db_stmt *s = db_prepare(db, SQL_ENT);
    if (!s) return -1;
    db_bind_text(s, 1, f->name, -1);
    db_bind_text(s, 2, g->uscc, -1);
    db_bind_text(s, 3, g->status, -1);
    db_bind_text(s, 4, f->person, -1);
    db_bind_text(s, 5, g->phone, -1);
    db_bind_text(s, 6, f->dist->code, -1);
    if (f->industry) db_bind_text(s, 7, f->industry, -1);
    else db_bind_null(s, 7);
    db_bind_text(s, 8, f->scale, -1);
    db_bind_text(s, 9, f->arch->scope, -1);
    db_bind_text(s, 10, f->founded, -1);
    db_bind_text(s, 11, f->address, -1);
    db_bind_int64(s, 12, f->capital_yuan);
    db_bind_text(s, 13, f->staff_size, -1);
    db_bind_text(s, 14, f->stage, -1);
    db_bind_text(s, 15, f->email, -1);
    db_bind_text(s, 16, f->arch->intro, -1);
    if (f->customs[0]) db_bind_text(s, 17, f->customs, -1);
    else db_bind_null(s, 17);
    db_bind_text(s, 18, f->trade, -1);
    db_bind_text(s, 19, g->channel, -1);
    db_bind_int64(s, 20, g->user_id);
    if (g->reject_reason) db_bind_text(s, 21, g->reject_reason, -1);
    else db_bind_null(s, 21);
    db_bind_int64(s, 22, strcmp(g->status, "pending") == 0 ? 0 : g->submitted + 86400);
    db_bind_int64(s, 23, g->submitted);
    if (g->invite_id) db_bind_int64(s, 24, g->invite_id);
    else db_bind_null(s, 24);
    return step_id(s, eid);
}

static int insert_chars(db_conn *db, const demo_firm *f, int64_t eid)
{
    for (int k = 0; k < f->nchars; k++) {
        db_stmt *s = db_prepare(db, SQL_CHAR);
        if (!s) return -1;
        db_bind_int64(s, 1, eid);
        db_bind_text(s, 2, f->chars[k], -1);
        if (step_id(s, NULL)) return -1;
    }
    return 0;
}

/* Where the i-th firm's registration came from: mostly the web and mobile
 * forms; some through their district's invite link or QR code. */
static void pick_channel(uint64_t *r, const int64_t invite[2], seed_reg *g)
{
    int roll = demo_pick(r, 100);
    g->invite_id = 0;
    if (roll < 45) g->channel = "web";
    else if (roll < 75) g->channel = "mobile";
    else if (roll < 90 && invite[0]) g->channel = "link", g->invite_id = invite[0];
    else if (invite[1]) g->channel = "qr", g->invite_id = invite[1];
    else g->channel = "web";
}

int demo_seed(db_conn *db, const demo_opts *o, FILE *logins, int *skipped, char *err, size_t errlen)
{
    uint64_t r = o->seed;
    char hash[AUTH_PW_HASH_MAX], today[11];
    int64_t have = 0, now = (int64_t)time(NULL), staff_ids[16] = {0}, invites[16][2];
    auth_pw_cost cost = {o->pw_ops, o->pw_mem};
    demo_avail av;

    zq_today(now, today);
    int year = atoi(today);
    *skipped = 0;
    if (db_query_int64(db, SQL_HAS_DEMO, &have, 0, NULL) != DB_OK) goto dberr;
    if (have) {
        *skipped = 1;
        return 0;
    }
    int rc = demo_avail_load(db, &av);
    if (rc == DB_DONE) {
        snprintf(err, errlen, "the region or industry dictionary is empty: run migrate first");
        return -1;
    }
    if (rc != DB_OK) goto dberr;
    /* every demo account shares one password; hash it once (argon2id is slow on purpose) */
    if (auth_pw_hash(o->password, cost, hash) != 0) {
        snprintf(err, errlen, "out of memory hashing the demo password");
        return -1;
    }
    if (db_begin(db, true) != DB_OK) goto dberr;

    if (add_staff(db, "admin", "系统管理员", "13700000000", hash, "super", NULL, now, NULL) ||
        add_staff(db, "city", "市商务局 林科长", "13700000001", hash, "city", NULL, now, NULL))
        goto dberr_rb;
    uint64_t staff_rng = o->seed ^ 0x5354414646ull;
    for (int d = 0; d < DEMO_N_DISTRICTS; d++) {
        if (!av.dist_ok[d]) continue;
        char phone[24], person[16], name[64];
        snprintf(phone, sizeof phone, "137000001%02d", d);
        demo_person(&staff_rng, person);
        snprintf(name, sizeof name, "%s商务局 %s", DEMO_DISTRICTS[d].name, person);
        if (add_staff(db, DEMO_DISTRICTS[d].slug, name, phone, hash, "district", DEMO_DISTRICTS[d].code, now,
                      &staff_ids[d]))
            goto dberr_rb;
    }
    if (demo_invites(db, staff_ids, now, invites) != DB_OK) goto dberr_rb;

    if (logins) {
        fprintf(logins, "演示账号 (demo logins) — 密码 password: %s\n", o->password);
        fprintf(logins, "  管理后台 /admin/login  用户名 admin (超级管理员)  city (市级)  gulou / taijiang / cangshan … (区县)\n");
    }
    int printed = 0;
    for (int i = 0; i < o->enterprises; i++) {
        demo_firm f;
        char brand[32], uscc[19], phone[24];
        const char *pinyin;
        demo_brand(i, brand, &pinyin);
        /* the first firms sit in 鼓楼区 so its staff has work; a few leave the industry empty
         * (the manual's 重点提示 asks them to fill it in) */
        int home = i < 6 && av.dist_ok[0] ? 0 : -1;
        demo_firm_make(&r, &av, home, brand, pinyin, year, i % 15 == 7, &f);
        int d = (int)(f.dist - DEMO_DISTRICTS);
        demo_uscc_random(&r, f.dist->code, uscc);
        snprintf(phone, sizeof phone, "139%08u", (unsigned)(i + 1) % 100000000u);
        int roll = demo_pick(&r, 100);
        seed_reg g = {.uscc = uscc, .phone = phone};
        g.status = i < 3 ? "pending" : roll < 80 ? "approved" : roll < 95 ? "pending" : "rejected";
        g.reject_reason = strcmp(g.status, "rejected") == 0 ? REJECT_REASONS[demo_pick(&r, 3)] : NULL;
        g.submitted = now - (int64_t)demo_pick(&r, 180) * 86400 - demo_pick(&r, 86400);
        pick_channel(&r, invites[d], &g);
        bool approved = strcmp(g.status, "approved") == 0;

        int64_t eid = 0;
        db_stmt *s = db_prepare(db, SQL_USER);
        if (!s) goto dberr_rb;
        db_bind_text(s, 1, phone, -1);
        db_bind_text(s, 2, f.person, -1);
        db_bind_text(s, 3, hash, -1);
        db_bind_int64(s, 4, now);
        if (step_id(s, &g.user_id)) goto dberr_rb;
        /* a self-registered account agreed to the 用户协议/隐私政策 when it registered */
        if (!(s = db_prepare(db, SQL_CONSENT))) goto dberr_rb;
        db_bind_int64(s, 1, g.user_id);
        db_bind_int64(s, 2, g.submitted);
        if (step_id(s, NULL)) goto dberr_rb;
        if (insert_firm(db, &f, &g, &eid) || insert_chars(db, &f, eid)) goto dberr_rb;

        if (approved && member_create_default_roles(db, eid, now) < 0) goto dberr_rb;
        /* most approved firms have kept their profile up; a few have not
         * started; every firm's stored score is current (the directory lists it) */
        if (approved && i % 7 != 3 ? demo_profile(db, eid, &f, now) != DB_OK : profile_completeness_refresh(db, eid) < 0)
            goto dberr_rb;
        /* a few firms wait for the bureau to approve a new name (one also moves) */
        if (approved && i % 13 == 6 &&
            demo_change(db, eid, g.user_id, i % 26 == 6 ? DEMO_DISTRICTS[(d + 1) % DEMO_N_DISTRICTS].code : NULL, now) !=
                DB_OK)
            goto dberr_rb;
        if (!(s = db_prepare(db, SQL_MEMBER))) goto dberr_rb;
        db_bind_int64(s, 1, eid);
        db_bind_int64(s, 2, g.user_id);
        db_bind_int64(s, 3, now);
        if (step_id(s, NULL)) goto dberr_rb;

        if (logins && printed < 4 && (approved || i == 0)) {
            fprintf(logins, "  企业后台 /login  手机号 %s  (%s, %s, %s)\n", phone, f.name, f.dist->name,
                    approved ? "已认证" : "待审核");
            printed++;
        }
    }
    if (demo_invites_count(db) != DB_OK || demo_join_requests(db, now) != DB_OK || demo_trade(db, now) != DB_OK)
        goto dberr_rb;
    audit_actor sys = {"system", 0, "seed-demo", NULL};
    char detail[96];
    snprintf(detail, sizeof detail, "{\"enterprises\":%d,\"staff\":%d}", o->enterprises, DEMO_N_DISTRICTS + 2);
    audit_entry ae = {.action = "demo.seed", .detail = detail};
    if (audit_record_as(db, &sys, now, &ae) != 0) goto dberr_rb;
    if (db_commit(db) != DB_OK) goto dberr;
    /* after the firms: publication reaches the ones it concerns */
    if (demo_policies(db, now) != DB_OK) goto dberr;
    if (demo_declarations(db, now) != DB_OK) goto dberr;
    if (demo_surveys(db, now) != DB_OK) goto dberr;
    if (demo_consults(db, now) != DB_OK) goto dberr;
    return 0;
dberr_rb:
    snprintf(err, errlen, "database error: %s", db_errmsg(db));
    db_rollback(db);
    return -1;
dberr:
    snprintf(err, errlen, "database error: %s", db_errmsg(db));
    return -1;
}
