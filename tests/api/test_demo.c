/*
 * test_demo.c — `zhengqi seed-demo` on the database under test (SQLite and
 * PostgreSQL): it fills the demo city, approved firms carry profile records
 * that the API serves and whose completeness is stored (`--bulk` firms'
 * too: the app's own computation), a second run leaves
 * the data alone, and a demo firm's legal rep can read the profile. The
 * firms make sense (demo_firm.h): every one, seeded or `--bulk`, belongs to
 * one archetype whose divisions, name words and scope it carries, sits in a
 * division where firms register (never sections S/T/U), holds only
 * dictionary codes and valid codes and dates, and came through an invite
 * when its channel says link or qr; its profile fits its scale and trade;
 * a seed gives the same city twice.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "cli/cli.h"
#include "db/db.h"
#include "demo/demo_firm.h"
#include "enterprise/validate.h"
#include "profile/profile.h"
#include "core/clock.h"
#include "core/contact.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int setup(void **st)
{
    *st = zt_start();
    return *st ? 0 : -1;
}

static int teardown(void **st)
{
    zt_stop(*st);
    return 0;
}

static void test_seed_demo(void **st)
{
    zt_env *e = *st;
    int rc = 0;
    char logins[600];
    snprintf(logins, sizeof logins, "/tmp/zq-demo-logins-%d.txt", (int)getpid());
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--enterprises", "40", "--logins-file", logins, NULL));
    assert_int_equal(rc, 0);
    unlink(logins);
    long long approved = zt_count(e, "SELECT COUNT(*) FROM enterprise WHERE status = 'approved'");
    assert_true(approved > 0);
    /* every approved firm has its real score stored, most have records */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise WHERE status = 'approved' AND completeness = 0"), 0);
    assert_true(zt_count(e, "SELECT COUNT(DISTINCT enterprise_id) FROM enterprise_operation") >= approved / 2);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise_operation o JOIN enterprise e ON e.id = o.enterprise_id"
                                 " WHERE e.status <> 'approved'"), 0);
    /* consultations in every state, some published, one escalated, a visitor's */
    assert_int_equal(zt_count(e, "SELECT COUNT(DISTINCT status) FROM consultation"), 5);
    /* declarations: calls in every state, applications at every stage, and
     * every application carries its required materials (a file to review) */
    assert_int_equal(zt_count(e, "SELECT COUNT(DISTINCT status) FROM decl_call"), 4);
    assert_int_equal(zt_count(e, "SELECT COUNT(DISTINCT status) FROM decl_app"), 8);
    /* 受理'd ones at both review levels, each with its accept event */
    assert_true(zt_count(e, "SELECT COUNT(*) FROM decl_app WHERE status = 'district_review'") > 0);
    assert_true(zt_count(e, "SELECT COUNT(*) FROM decl_app WHERE status = 'city_review'") > 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM decl_app a WHERE a.status IN ('district_review', 'city_review')"
                                 " AND NOT EXISTS (SELECT 1 FROM decl_event v WHERE v.app_id = a.id AND v.action = 'accept')"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM decl_app a WHERE (SELECT COUNT(*) FROM decl_material m"
                                 " JOIN upload u ON u.id = m.upload_id AND u.enterprise_id = a.enterprise_id"
                                 " JOIN file_chunk c ON c.sha256 = u.sha256 WHERE m.app_id = a.id) <> 2"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM decl_version WHERE materials_json NOT LIKE '%项目计划书.pdf%'"), 0);
    /* the manual's order: a call with a template was downloaded by every firm that applied */
    assert_true(zt_count(e, "SELECT COUNT(*) FROM decl_template") >= 3);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM decl_app a WHERE EXISTS (SELECT 1 FROM decl_template t"
                                 " WHERE t.call_id = a.call_id) AND NOT EXISTS (SELECT 1 FROM decl_download d"
                                 " WHERE d.call_id = a.call_id AND d.enterprise_id = a.enterprise_id)"), 0);
    assert_true(zt_count(e, "SELECT COUNT(*) FROM consultation WHERE published_at > 0") >= 1);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM consultation WHERE escalated_at > 0"), 1);
    assert_true(zt_count(e, "SELECT COUNT(*) FROM consultation WHERE enterprise_id IS NULL") >= 1);
    long long ops = zt_count(e, "SELECT COUNT(*) FROM enterprise_operation");
    /* work waiting for the bureau and for the first printed firm's legal rep */
    assert_true(zt_count(e, "SELECT COUNT(*) FROM enterprise_change c JOIN enterprise e ON e.id = c.enterprise_id"
                            " WHERE c.status = 'pending' AND e.status = 'approved' AND c.old_name = e.name") >= 2);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM join_request j JOIN membership m ON m.enterprise_id = j.enterprise_id"
                                 " JOIN app_user u ON u.id = m.user_id WHERE u.phone = '13900000004' AND m.is_legal_rep = 1"
                                 " AND j.status = 'pending'"),
                     2);

    /* --bulk adds generated firms with valid, distinct USCCs; a second run continues the numbering */
    long long before = zt_count(e, "SELECT COUNT(*) FROM enterprise");
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--bulk", "300", NULL));
    assert_int_equal(rc, 0);
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--bulk", "200", NULL));
    assert_int_equal(rc, 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise"), before + 500);
    assert_int_equal(zt_count(e, "SELECT COUNT(DISTINCT uscc) FROM enterprise WHERE channel = 'seed'"), 500);
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--bulk", "0", NULL));
    assert_int_not_equal(rc, 0);
    /* their stored completeness is what the app computes from their records:
     * recomputing every firm with the app's own function (the start-up
     * upgrade of migration 0029) changes none of them */
    zt_exec(e, "CREATE TABLE bulk_saved AS SELECT id, completeness FROM enterprise WHERE channel = 'seed'");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM bulk_saved WHERE completeness > 0"), 500);
    zt_exec(e, "UPDATE derived_rule SET version = 0 WHERE name = 'completeness'");
    db_conn *conn = db_pool_acquire(e->app->pool);
    assert_non_null(conn);
    int64_t recomputed = 0;
    assert_int_equal(profile_completeness_upgrade(conn, &recomputed), DB_OK);
    db_pool_release(e->app->pool, conn);
    assert_true(recomputed >= 500);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM bulk_saved b JOIN enterprise x ON x.id = b.id"
                                 " WHERE x.completeness <> b.completeness"),
                     0);
    zt_exec(e, "DROP TABLE bulk_saved");
    zt_execf(e, "DELETE FROM enterprise_characteristic WHERE enterprise_id IN (SELECT id FROM enterprise WHERE channel = 'seed')");
    zt_execf(e, "DELETE FROM enterprise WHERE channel = 'seed'");

    /* a second run sees the demo city and adds nothing */
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--enterprises", "40", NULL));
    assert_int_equal(rc, 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise_operation"), ops);

    /* the records read back through the API as the sections' spec says */
    long long eid = zt_count(e, "SELECT MIN(enterprise_id) FROM enterprise_operation");
    long long uid = zt_countf(e, "SELECT user_id FROM membership WHERE enterprise_id = %lld AND is_legal_rep = 1", eid);
    char phone[32];
    long long n = zt_countf(e, "SELECT COUNT(*) FROM app_user WHERE id = %lld", uid);
    assert_int_equal(n, 1);
    zt_execf(e, "UPDATE app_user SET must_change_password = 0 WHERE id = %lld", uid);
    /* the seeded password is the documented demo one */
    zt_client c;
    zt_client_init(&c);
    long long ph = zt_countf(e, "SELECT CAST(phone AS BIGINT) FROM app_user WHERE id = %lld", uid);
    snprintf(phone, sizeof phone, "%lld", ph);
    zt_login(e, &c, phone, "Demo@2026");
    zt_resp *r = zt_get(e, &c, "/api/v1/enterprise/operations");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 3);
    zt_resp_free(r);
    r = zt_get(e, &c, "/api/v1/enterprise");
    assert_true(zt_int(r, "completeness.score") > 0);
    zt_resp_free(r);
}

/* ---- the firms make sense ---- */

static const char SQL_FIRMS[] =
    "SELECT e.id, e.name, e.uscc, e.region, e.industry, e.business_scope, e.channel, e.invite_id, e.legal_rep_phone,"
    " e.email, e.founded_on, e.customs_code, e.trade_type, e.scale,"
    " (SELECT COUNT(*) FROM enterprise_ip p WHERE p.enterprise_id = e.id AND p.kind = 'patent'),"
    " (SELECT MAX(o.revenue) FROM enterprise_operation o WHERE o.enterprise_id = e.id)"
    " FROM enterprise e ORDER BY e.id";

static const demo_arch *arch_of_scope(const char *scope)
{
    for (int a = 0; scope && a < DEMO_N_ARCHS; a++)
        if (strcmp(DEMO_ARCHS[a].scope, scope) == 0) return &DEMO_ARCHS[a];
    return NULL;
}

static bool name_fits(const demo_arch *a, const char *name)
{
    for (int k = 0; k < DEMO_MAX_WORDS && a->words[k]; k++)
        if (strstr(name, a->words[k])) return true;
    return false;
}

static bool in_divs(const demo_arch *a, const char *industry)
{
    return !industry || strcmp(industry, a->divs[0]) == 0 || (a->divs[1] && strcmp(industry, a->divs[1]) == 0);
}

/* the archetype whose divisions hold industry and whose words the name
 * uses (the longest word wins: 不锈钢制品 is hardware, 不锈钢 steel) */
static const demo_arch *arch_of_name(const char *name, const char *industry)
{
    const demo_arch *best = NULL;
    size_t best_len = 0;
    for (int a = 0; a < DEMO_N_ARCHS; a++) {
        if (!in_divs(&DEMO_ARCHS[a], industry)) continue;
        for (int k = 0; k < DEMO_MAX_WORDS && DEMO_ARCHS[a].words[k]; k++)
            if (strstr(name, DEMO_ARCHS[a].words[k]) && strlen(DEMO_ARCHS[a].words[k]) > best_len) {
                best = &DEMO_ARCHS[a];
                best_len = strlen(DEMO_ARCHS[a].words[k]);
            }
    }
    return best;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

/* revenue (元) a scale allows, with three years of growth or decline */
static bool revenue_fits(const char *scale, long long yuan)
{
    long long wan = yuan / 10000;
    if (strcmp(scale, "large") == 0) return wan >= 34000 && wan <= 390000;
    if (strcmp(scale, "medium") == 0) return wan >= 4250 && wan <= 52000;
    if (strcmp(scale, "small") == 0) return wan >= 425 && wan <= 6500;
    return wan >= 25 && wan <= 650;
}

/* Checks every firm in the database; returns a digest of what was seen
 * (FNV-1a over the generated columns) for the determinism check. */
static uint64_t check_firms(zt_env *e, long long *firms)
{
    char today[11];
    zq_today((int64_t)time(NULL), today);
    uint64_t digest = 1469598103934665603ull;
    db_conn *c = db_pool_acquire(e->app->pool);
    db_stmt *s = db_prepare(c, SQL_FIRMS);
    assert_non_null(s);
    *firms = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        (*firms)++;
        const char *name = db_col_text(s, 1), *uscc = db_col_text(s, 2), *region = db_col_text(s, 3);
        const char *industry = db_col_text(s, 4), *scope = db_col_text(s, 5), *channel = db_col_text(s, 6);
        const char *phone = db_col_text(s, 8), *email = db_col_text(s, 9), *founded = db_col_text(s, 10);
        const char *customs = db_col_text(s, 11), *trade = db_col_text(s, 12), *scale = db_col_text(s, 13);
        long long patents = db_col_int64(s, 14);
        /* a seeded firm's scope names its archetype; a bulk firm has none, its name and industry do */
        const demo_arch *a = strcmp(channel, "seed") == 0 ? arch_of_name(name, industry) : arch_of_scope(scope);
        if (!a) fail_msg("%s: its scope is no archetype's: %s", name, scope ? scope : "(none)");
        /* the industry is one of the archetype's divisions, the scope says what it does */
        if (!in_divs(a, industry))
            fail_msg("%s (%s): industry %s is not one of its kind's", name, a->key, industry);
        if (scope ? !strstr(scope, a->keyword) || !ends_with(scope, DEMO_SCOPE_TAIL) : strcmp(channel, "seed") != 0)
            fail_msg("%s (%s): scope lacks %s or the closing clause", name, a->key, a->keyword);
        if (!name_fits(a, name)) fail_msg("%s (%s): the name has none of its kind's words", name, a->key);
        bool home = false;
        for (int k = 0; k < DEMO_MAX_HOMES && a->homes[k]; k++) home |= strcmp(a->homes[k], region) == 0;
        if (a->home_only && !home) fail_msg("%s (%s) is in %s, away from its coast", name, a->key, region);
        /* codes and dates the registration form would accept */
        char canon[19], cc[11];
        if (ent_uscc_normalize(uscc, canon) != ENT_USCC_OK || strncmp(uscc + 2, region, 6) != 0)
            fail_msg("%s: USCC %s is invalid or not of district %s", name, uscc, region);
        if (!zq_mobile_valid(phone)) fail_msg("%s: phone %s", name, phone);
        if (email && !zq_email_valid(email)) fail_msg("%s: e-mail %s", name, email);
        if (!zq_date_ymd(founded, NULL, NULL, NULL) || strcmp(founded, today) > 0 || atoi(founded) < a->since)
            fail_msg("%s (%s): founded %s", name, a->key, founded);
        if ((customs != NULL) != (strcmp(trade, "none") != 0) || (customs && !ent_customs_code_normalize(customs, cc)))
            fail_msg("%s: trade %s with customs code %s", name, trade, customs ? customs : "(none)");
        /* only manufacturers and tech firms hold patents; revenue fits the scale */
        if (patents && !(a->profile & DEMO_P_PATENT)) fail_msg("%s (%s) holds a patent", name, a->key);
        if (!db_col_is_null(s, 15) && !revenue_fits(scale, db_col_int64(s, 15)))
            fail_msg("%s: revenue %lld for a %s firm", name, (long long)db_col_int64(s, 15), scale);
        const char *cols[] = {name, uscc, region, industry ? industry : "-", channel, scale, trade, founded};
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            for (const unsigned char *p = (const unsigned char *)cols[k]; *p; p++)
                digest = (digest ^ *p) * 1099511628211ull;
    }
    db_stmt_done(s);
    db_pool_release(e->app->pool, c);
    assert_int_equal(rc, DB_DONE);
    return digest;
}

static uint64_t seed_and_check(zt_env *e, const char *seed, long long *firms)
{
    int rc = 0;
    char logins[600];
    snprintf(logins, sizeof logins, "/tmp/zq-demo-logins-%d.txt", (int)getpid());
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--enterprises", "60", "--seed", seed,
                "--logins-file", logins, NULL));
    assert_int_equal(rc, 0);
    unlink(logins);
    free(zt_cli(cli_seed_demo, &rc, "seed-demo", "--db", e->url, "--bulk", "400", NULL));
    assert_int_equal(rc, 0);
    return check_firms(e, firms);
}

static void test_demo_firms_make_sense(void **st)
{
    zt_env *e = *st;
    long long firms = 0;
    uint64_t first = seed_and_check(e, "7", &firms);
    assert_int_equal(firms, 460);

    /* no firm in public administration, international organisations or their kin */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise e JOIN dict_item i ON i.type = 'industry'"
                                 " AND i.code = e.industry WHERE i.parent IN ('S', 'T', 'U') OR i.parent IS NULL"),
                     0);
    assert_true(zt_count(e, "SELECT COUNT(DISTINCT industry) FROM enterprise") >= 25);
    assert_int_equal(zt_count(e, "SELECT COUNT(DISTINCT region) FROM enterprise"), 13);
    /* every value is a dictionary code */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise e WHERE NOT EXISTS (SELECT 1 FROM dict_item d"
                                 " WHERE d.type = 'region' AND d.code = e.region AND d.parent IS NOT NULL)"
                                 " OR (e.industry IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dict_item d"
                                 " WHERE d.type = 'industry' AND d.code = e.industry AND d.parent IS NOT NULL))"
                                 " OR NOT EXISTS (SELECT 1 FROM dict_item d WHERE d.type = 'scale' AND d.code = e.scale)"
                                 " OR NOT EXISTS (SELECT 1 FROM dict_item d WHERE d.type = 'staff_size' AND d.code = e.staff_size)"
                                 " OR NOT EXISTS (SELECT 1 FROM dict_item d WHERE d.type = 'financing_stage'"
                                 " AND d.code = e.financing_stage)"
                                 " OR NOT EXISTS (SELECT 1 FROM dict_item d WHERE d.type = 'trade_type' AND d.code = e.trade_type)"),
                     0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise_characteristic c WHERE NOT EXISTS"
                                 " (SELECT 1 FROM dict_item d WHERE d.type = 'characteristic' AND d.code = c.code)"),
                     0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise e WHERE NOT EXISTS"
                                 " (SELECT 1 FROM enterprise_characteristic c WHERE c.enterprise_id = e.id)"),
                     0);
    /* link and qr registrations came through their district's invite of that channel */
    assert_true(zt_count(e, "SELECT COUNT(*) FROM enterprise WHERE channel IN ('link', 'qr')") > 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise e WHERE e.channel IN ('link', 'qr') AND NOT EXISTS"
                                 " (SELECT 1 FROM invite i WHERE i.id = e.invite_id AND i.channel = e.channel"
                                 " AND i.region = e.region AND i.created_at < e.submitted_at)"),
                     0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise WHERE channel NOT IN ('link', 'qr') AND invite_id IS NOT NULL"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM invite i WHERE i.uses <>"
                                 " (SELECT COUNT(*) FROM enterprise e WHERE e.invite_id = i.id)"),
                     0);
    /* exports and imports only where the firm trades abroad; tech firms are the 高新技术企业 */
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise_operation o JOIN enterprise e ON e.id = o.enterprise_id"
                                 " WHERE (o.export > 0 AND e.trade_type NOT IN ('export', 'both'))"
                                 " OR (o.import > 0 AND e.trade_type NOT IN ('import', 'both'))"),
                     0);
    assert_true(zt_count(e, "SELECT COUNT(*) FROM enterprise_operation o JOIN enterprise e ON e.id = o.enterprise_id"
                            " WHERE o.export > 0") > 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise_characteristic c JOIN enterprise e ON e.id = c.enterprise_id"
                                 " WHERE c.code = 'hightech' AND e.industry IN ('62', '61', '80', '81', '52', '70')"),
                     0);

    /* the registration form's own checks accept approved firms as they stand (PATCH
     * validates the whole record, and writes nothing when nothing changed) */
    long long audits = zt_count(e, "SELECT COUNT(*) FROM audit_log");
    for (int k = 0; k < 2; k++) {
        long long ph = zt_countf(e, "SELECT CAST(u.phone AS BIGINT) FROM app_user u JOIN membership m ON m.user_id = u.id"
                                    " JOIN enterprise e ON e.id = m.enterprise_id WHERE e.status = 'approved'"
                                    " AND e.industry IS NOT NULL AND m.is_legal_rep = 1 ORDER BY e.id LIMIT 1 OFFSET %d",
                                 k * 7);
        char phone[32];
        snprintf(phone, sizeof phone, "%lld", ph);
        zt_execf(e, "UPDATE app_user SET must_change_password = 0 WHERE phone = '%s'", phone);
        zt_client c;
        zt_client_init(&c);
        zt_login(e, &c, phone, "Demo@2026");
        zt_expect(zt_req(e, &c, "PATCH", "/api/v1/enterprise", "{}", NULL), 200, NULL);
    }
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM audit_log WHERE action = 'enterprise.update'"), 0);
    assert_true(zt_count(e, "SELECT COUNT(*) FROM audit_log") >= audits);

    /* the same seed gives the same city; another seed another one */
    zt_stop(e);
    *st = e = zt_start();
    assert_int_equal(seed_and_check(e, "7", &firms), first);
    zt_stop(e);
    *st = e = zt_start();
    assert_true(seed_and_check(e, "8", &firms) != first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seed_demo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_firms_make_sense, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
