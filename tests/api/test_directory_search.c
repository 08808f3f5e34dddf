/*
 * test_directory_search.c — the directory's keyword and totals (migration
 * 0014, issue 10.8): one- and two-character keywords answered from the gram
 * index give the scan's answers (names as substrings, USCCs as prefixes, a
 * wildcard character as itself, renamed and deleted firms followed); the
 * total is exact from the per-region/status tally and otherwise counted up
 * to 10,000, 1,000 for a keyword (total_capped); GET /api/v1/health tells staff, and only staff,
 * which keyword path is active; on PostgreSQL without the right to create
 * pg_trgm the migration still succeeds and the keyword scans. SQLite and
 * PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "db/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LIST "/api/v1/admin/enterprises"
#define BULK 10050
#define CAP 10000
#define CAP_KEYWORD 1000

typedef struct {
    zt_env *e;
    zt_client city, gulou, user;
    int64_t a, b, c, d;
} world;

static bool on_pg(void)
{
    const char *url = getenv("ZQ_TEST_DB");
    return url && strncmp(url, "postgres", 8) == 0;
}

static void populate(world *w)
{
    zt_env *e = w->e;
    int64_t lr = zt_make_user(e, "13900000001", ZT_PASSWORD);
    w->a = zt_make_enterprise(e, "福州闽江软件有限公司", "350102", "approved", lr);
    w->b = zt_make_enterprise(e, "福州台江食品有限公司", "350103", "approved", 0);
    w->c = zt_make_enterprise(e, "ABC贸易（福州）有限公司", "350102", "pending", 0);
    w->d = zt_make_enterprise(e, "福州%折扣商行", "350103", "rejected", 0);
    zt_make_staff(e, "city1", "city", NULL, ZT_PASSWORD);
    zt_make_staff(e, "gulou1", "district", "350102", ZT_PASSWORD);
    zt_staff_login(e, &w->city, "city1", ZT_PASSWORD);
    zt_staff_login(e, &w->gulou, "gulou1", ZT_PASSWORD);
    zt_login(e, &w->user, "13900000001", ZT_PASSWORD);
}

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    populate(w);
    *st = w;
    return 0;
}

static int teardown(void **st)
{
    world *w = *st;
    zt_stop(w->e);
    free(w);
    return 0;
}

/* The list at path (LIST + query) for c: its total, first item's id and total_capped. */
static long long list(world *w, zt_client *c, const char *query, long long *first, bool *capped)
{
    char path[300];
    snprintf(path, sizeof path, LIST "?%s", query);
    zt_resp *r = zt_get(w->e, c, path);
    if (r->status != 200) fail_msg("%s → %d %s", path, r->status, r->body);
    long long t = zt_int(r, "total");
    if (first) *first = json_array_size(zt_json(r, "items")) ? zt_int(r, "items.0.id") : 0;
    json_t *cap = zt_json(r, "total_capped");
    if (!json_is_boolean(cap)) fail_msg("%s: no total_capped: %s", path, r->body);
    if (capped) *capped = json_is_true(cap);
    zt_resp_free(r);
    return t;
}

static long long total(world *w, zt_client *c, const char *query)
{
    bool capped;
    long long t = list(w, c, query, NULL, &capped);
    assert_false(capped);
    return t;
}

static void test_short_keywords(void **st)
{
    world *w = *st;
    long long first;
    assert_int_equal(list(w, &w->city, "q=%E9%97%BD", &first, NULL), 1); /* 闽 */
    assert_int_equal(first, w->a);
    assert_int_equal(list(w, &w->city, "q=%E5%8F%B0%E6%B1%9F", &first, NULL), 1); /* 台江 */
    assert_int_equal(first, w->b);
    assert_int_equal(total(w, &w->city, "q=%E6%B1%9F"), 2);         /* 江: 闽江, 台江 */
    assert_int_equal(total(w, &w->city, "q=%E7%A6%8F%E5%B7%9E"), 4); /* 福州, also inside （福州） */
    assert_int_equal(total(w, &w->city, "q=%E5%B7%9E%EF%BC%89"), 1); /* 州） across the bracket */
    /* a wildcard character is itself */
    assert_int_equal(list(w, &w->city, "q=%25", &first, NULL), 1);
    assert_int_equal(first, w->d);
    assert_int_equal(total(w, &w->city, "q=_"), 0);
    assert_int_equal(list(w, &w->city, "q=AB", &first, NULL), 1);
    assert_int_equal(first, w->c);
    /* the USCC is a prefix (typed in either case), never a substring */
    assert_int_equal(total(w, &w->city, "q=9"), 4);
    assert_int_equal(total(w, &w->city, "q=91"), 4);
    assert_int_equal(total(w, &w->city, "q=MB"), 0);
    assert_int_equal(total(w, &w->city, "q=13"), 0);
    /* district staff: their district only */
    assert_int_equal(list(w, &w->gulou, "q=%E6%B1%9F", &first, NULL), 1);
    assert_int_equal(first, w->a);
    assert_int_equal(total(w, &w->gulou, "q=%E5%8F%B0%E6%B1%9F"), 0);
    /* with other filters */
    assert_int_equal(total(w, &w->city, "q=%E7%A6%8F%E5%B7%9E&status=approved"), 2);
    assert_int_equal(total(w, &w->city, "q=%E7%A6%8F%E5%B7%9E&region=350103&status=rejected"), 1);
    /* the index follows renames and deletions */
    zt_execf(w->e, "UPDATE enterprise SET name = '福州仓山食品有限公司' WHERE id = %lld", (long long)w->b);
    assert_int_equal(total(w, &w->city, "q=%E5%8F%B0%E6%B1%9F"), 0);                   /* 台江 */
    assert_int_equal(list(w, &w->city, "q=%E4%BB%93%E5%B1%B1", &first, NULL), 1); /* 仓山 */
    assert_int_equal(first, w->b);
    zt_execf(w->e, "DELETE FROM enterprise WHERE id = %lld", (long long)w->d);
    assert_int_equal(total(w, &w->city, "q=%25"), 0);
    assert_int_equal(total(w, &w->city, ""), 3);
    /* a new USCC: found by its head, no longer by the old one, its name kept */
    zt_execf(w->e, "UPDATE enterprise SET uscc = 'Y1350100MA2XXXXXX1' WHERE id = %lld", (long long)w->a);
    assert_int_equal(list(w, &w->city, "q=y1", &first, NULL), 1);
    assert_int_equal(first, w->a);
    assert_int_equal(total(w, &w->city, "q=Y"), 1);
    assert_int_equal(total(w, &w->city, "q=91"), 2);
    assert_int_equal(total(w, &w->city, "q=%E9%97%BD"), 1); /* 闽 */
    /* a new firm is found at once, with other filters too */
    int64_t n = zt_make_enterprise(w->e, "福州新店闽侯商贸有限公司", "350102", "pending", 0);
    assert_int_equal(list(w, &w->city, "q=%E6%96%B0%E5%BA%97", &first, NULL), 1); /* 新店 */
    assert_int_equal(first, n);
    assert_int_equal(list(w, &w->city, "q=%E9%97%BD", &first, NULL), 2); /* 闽: 闽江, 闽侯 */
    assert_int_equal(first, n);
    assert_int_equal(total(w, &w->gulou, "q=%E9%97%BD&status=pending"), 1);
    assert_int_equal(total(w, &w->city, "q=%E9%97%BD&region=350103"), 0);
}

/* BULK generated firms 批量企业1号…, pending, industry 13, in 350104 */
static void bulk(world *w)
{
    zt_execf(w->e,
             "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d)"
             " INSERT INTO enterprise(name, uscc, status, applicant_role, legal_rep_name, legal_rep_phone,"
             " contact_name, contact_phone, region, industry, scale, channel, submitted_at, created_at, updated_at)"
             " SELECT '批量企业' || CAST(i AS TEXT) || '号', '913' || CAST(100000000000000 + i AS TEXT), 'pending',"
             " 'legal_rep', '王五', '13700000000', '王五', '13700000000', '350104', '13', 'small', 'seed', 1, 1, 1"
             " FROM s",
             BULK);
}

static void expect_exact(world *w, zt_client *c, const char *query, const char *count_sql)
{
    bool capped;
    long long t = list(w, c, query, NULL, &capped);
    assert_false(capped);
    assert_int_equal(t, zt_count(w->e, count_sql));
}

static void test_totals(void **st)
{
    world *w = *st;
    bulk(w);
    long long first, first2;
    bool capped;
    /* exact from the tally, however many firms */
    expect_exact(w, &w->city, "", "SELECT COUNT(*) FROM enterprise");
    assert_int_equal(total(w, &w->city, ""), BULK + 4);
    expect_exact(w, &w->city, "status=pending", "SELECT COUNT(*) FROM enterprise WHERE status = 'pending'");
    expect_exact(w, &w->city, "region=350104&status=pending", "SELECT COUNT(*) FROM enterprise WHERE region = '350104'");
    expect_exact(w, &w->gulou, "", "SELECT COUNT(*) FROM enterprise WHERE region = '350102'");
    /* industry too (migration 0032): a division, a section, with a district */
    expect_exact(w, &w->city, "industry=13", "SELECT COUNT(*) FROM enterprise WHERE industry = '13'");
    expect_exact(w, &w->city, "industry=C",
                 "SELECT COUNT(*) FROM enterprise WHERE industry IN"
                 " (SELECT code FROM dict_item WHERE type = 'industry' AND parent = 'C')");
    expect_exact(w, &w->city, "region=350104&industry=C&status=pending",
                 "SELECT COUNT(*) FROM enterprise WHERE region = '350104' AND industry = '13' AND status = 'pending'");
    expect_exact(w, &w->gulou, "industry=13", "SELECT COUNT(*) FROM enterprise WHERE region = '350102' AND industry = '13'");
    /* other filters count up to the cap */
    assert_int_equal(list(w, &w->city, "scale=small", &first, &capped), CAP);
    assert_true(capped);
    assert_int_equal(first, zt_count(w->e, "SELECT MAX(id) FROM enterprise"));
    /* a keyword counts up to 1,000 */
    assert_int_equal(list(w, &w->city, "q=%E6%89%B9%E9%87%8F", &first, &capped), CAP_KEYWORD); /* 批量 */
    assert_true(capped);
    /* paging goes on past the first page in id order */
    zt_resp *r = zt_get(w->e, &w->city, LIST "?q=%E6%89%B9%E9%87%8F&page=2");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 20);
    first2 = zt_int(r, "items.0.id");
    zt_resp_free(r);
    assert_int_equal(first2, first - 20);
    /* three characters and more: 批量企业1 is 1, 10–19, 100–199, 1000–1999, 10000–10050 */
    assert_int_equal(list(w, &w->city, "q=%E6%89%B9%E9%87%8F%E4%BC%81%E4%B8%9A1", NULL, &capped), CAP_KEYWORD);
    assert_true(capped);
    /* 批量企业10: 10, 100–109, 1000–1099, 10000–10050 */
    assert_int_equal(list(w, &w->city, "q=%E6%89%B9%E9%87%8F%E4%BC%81%E4%B8%9A10", &first, &capped), 1 + 10 + 100 + 51);
    assert_false(capped);
    assert_int_equal(first, zt_count(w->e, "SELECT MAX(id) FROM enterprise WHERE name LIKE '%批量企业10%'"));
    /* its last page holds the rest, a page past the end none, the total kept (PostgreSQL: one statement
     * counts and pages the matches) */
    r = zt_get(w->e, &w->city, LIST "?q=%E6%89%B9%E9%87%8F%E4%BC%81%E4%B8%9A10&page=9");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 2);
    assert_int_equal(zt_int(r, "items.1.id"), zt_count(w->e, "SELECT MIN(id) FROM enterprise WHERE name LIKE '%批量企业10%'"));
    assert_int_equal(zt_int(r, "total"), 162);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, LIST "?q=%E6%89%B9%E9%87%8F%E4%BC%81%E4%B8%9A10&page=10");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 0);
    assert_int_equal(zt_int(r, "total"), 162);
    zt_resp_free(r);
    assert_int_equal(total(w, &w->city, "q=%E6%89%B9%E9%87%8F%E4%BC%81%E4%B8%9A10&status=pending&region=350104"),
                     1 + 10 + 100 + 51);
    assert_int_equal(total(w, &w->city, "q=%E6%89%B9%E9%87%8F%E4%BC%81%E4%B8%9A1%E5%8F%B7"), 1); /* 批量企业1号 */
    assert_int_equal(total(w, &w->city, "q=%E6%89%B9%E9%87%8F&status=approved"), 0);
    assert_int_equal(total(w, &w->city, "q=91310000000000000"), 9); /* a USCC prefix: …001 to …009 */
    /* the tally follows inserts, status and region changes, deletions */
    zt_exec(w->e, "UPDATE enterprise SET status = 'approved' WHERE name LIKE '批量企业1_号'");
    zt_exec(w->e, "UPDATE enterprise SET region = '350102' WHERE name LIKE '批量企业2_号'");
    zt_exec(w->e, "DELETE FROM enterprise WHERE name LIKE '批量企业3_号'");
    zt_exec(w->e, "UPDATE enterprise SET name = '改名企业' WHERE name = '批量企业40号'");
    zt_exec(w->e, "UPDATE enterprise SET industry = '14' WHERE name LIKE '批量企业5_号'");
    zt_exec(w->e, "UPDATE enterprise SET industry = NULL WHERE name LIKE '批量企业6_号'");
    zt_make_enterprise(w->e, "福州新店企业有限公司", "350102", "pending", 0);
    expect_exact(w, &w->city, "", "SELECT COUNT(*) FROM enterprise");
    expect_exact(w, &w->city, "status=approved", "SELECT COUNT(*) FROM enterprise WHERE status = 'approved'");
    expect_exact(w, &w->city, "status=pending", "SELECT COUNT(*) FROM enterprise WHERE status = 'pending'");
    expect_exact(w, &w->city, "region=350104", "SELECT COUNT(*) FROM enterprise WHERE region = '350104'");
    expect_exact(w, &w->gulou, "status=pending",
                 "SELECT COUNT(*) FROM enterprise WHERE region = '350102' AND status = 'pending'");
    expect_exact(w, &w->gulou, "", "SELECT COUNT(*) FROM enterprise WHERE region = '350102'");
    expect_exact(w, &w->city, "industry=13", "SELECT COUNT(*) FROM enterprise WHERE industry = '13'");
    expect_exact(w, &w->city, "industry=14", "SELECT COUNT(*) FROM enterprise WHERE industry = '14'");
    expect_exact(w, &w->city, "industry=C&status=approved",
                 "SELECT COUNT(*) FROM enterprise WHERE industry IN ('13', '14') AND status = 'approved'");
    expect_exact(w, &w->gulou, "industry=C",
                 "SELECT COUNT(*) FROM enterprise WHERE industry IN ('13', '14') AND region = '350102'");
    /* every firm is in the industry tally once, a firm without an industry under '' */
    assert_int_equal(zt_count(w->e, "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM enterprise_industry_tally"),
                     zt_count(w->e, "SELECT COUNT(*) FROM enterprise"));
    assert_int_equal(zt_count(w->e, "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM enterprise_industry_tally WHERE industry = ''"),
                     zt_count(w->e, "SELECT COUNT(*) FROM enterprise WHERE industry IS NULL"));
}

static const char *health_path(world *w, zt_client *c)
{
    zt_resp *r = zt_get(w->e, c, "/api/v1/health");
    assert_int_equal(r->status, 200);
    static char path[32];
    const char *p = zt_str(r, "details.keyword_search");
    snprintf(path, sizeof path, "%s", p ? p : "");
    zt_resp_free(r);
    return path;
}

static void test_health(void **st)
{
    world *w = *st;
    zt_client anon;
    zt_client_init(&anon);
    zt_resp *r = zt_get(w->e, &anon, "/api/v1/health");
    assert_int_equal(r->status, 200);
    assert_null(zt_json(r, "details"));
    assert_string_equal(zt_str(r, "status"), "ok");
    zt_resp_free(r);
    r = zt_get(w->e, &w->user, "/api/v1/health");
    assert_null(zt_json(r, "details"));
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/health");
    assert_string_equal(zt_str(r, "details.short_keyword_search"), on_pg() ? "gram_table" : "fts5_gram");
    zt_resp_free(r);
    assert_string_equal(health_path(w, &w->city), on_pg() ? "pg_trgm" : "fts5_trigram");
    if (!on_pg()) return;
    /* without the trigram indexes: the scan, with the same answers */
    zt_exec(w->e, "DROP INDEX enterprise_name_trgm");
    zt_exec(w->e, "DROP INDEX enterprise_uscc_trgm");
    assert_string_equal(health_path(w, &w->gulou), "scan");
    assert_int_equal(total(w, &w->city, "q=%E9%97%BD%E6%B1%9F%E8%BD%AF"), 1); /* 闽江软 */
    assert_int_equal(total(w, &w->city, "q=ABC%E8%B4%B8"), 1);                /* ABC贸 */
}

/* PostgreSQL: the app's database role may not create extensions. */
static char noext_url[512];

static void as_noext(zq_config *cfg)
{
    /* zt_start has reset the schema as the superuser; hand it to the role */
    char err[256], sql[256];
    db_conn *c = db_open(getenv("ZQ_TEST_DB"), err, sizeof err);
    if (!c) fail_msg("cannot open: %s", err);
    snprintf(sql, sizeof sql, "ALTER SCHEMA public OWNER TO zt_noext_%d", (int)getpid());
    if (db_exec(c, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(c));
    db_close(c);
    cfg->db_url = noext_url;
}

static int setup_noext(void **st)
{
    if (!on_pg()) return setup(st);
    const char *url = getenv("ZQ_TEST_DB");
    char err[256], sql[256];
    db_conn *c = db_open(url, err, sizeof err);
    if (!c) fail_msg("cannot open %s: %s", url, err);
    /* a login role without CREATE on the database: CREATE EXTENSION is refused */
    snprintf(sql, sizeof sql, "DROP EXTENSION IF EXISTS pg_trgm CASCADE; CREATE ROLE zt_noext_%d LOGIN",
             (int)getpid());
    if (db_exec(c, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(c));
    db_close(c);
    const char *user = strstr(url, "user=");
    if (!user) fail_msg("ZQ_TEST_DB without user=: %s", url);
    const char *rest = strchr(user, '&');
    snprintf(noext_url, sizeof noext_url, "%.*suser=zt_noext_%d%s", (int)(user - url), url, (int)getpid(),
             rest ? rest : "");
    world *w = calloc(1, sizeof *w);
    w->e = zt_start_cfg(as_noext);
    populate(w);
    *st = w;
    return 0;
}

static int teardown_noext(void **st)
{
    teardown(st);
    if (!on_pg()) return 0;
    char err[256], sql[256];
    db_conn *c = db_open(getenv("ZQ_TEST_DB"), err, sizeof err);
    if (!c) fail_msg("cannot open: %s", err);
    snprintf(sql, sizeof sql,
             "DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP OWNED BY zt_noext_%d; DROP ROLE zt_noext_%d",
             (int)getpid(), (int)getpid());
    if (db_exec(c, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(c));
    db_close(c);
    return 0;
}

static void test_without_pg_trgm(void **st)
{
    world *w = *st;
    if (on_pg()) {
        assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM pg_extension WHERE extname = 'pg_trgm'"), 0);
        assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM schema_migrations WHERE number = 14"), 1);
    }
    assert_string_equal(health_path(w, &w->city), on_pg() ? "scan" : "fts5_trigram");
    long long first;
    assert_int_equal(list(w, &w->city, "q=%E9%97%BD%E6%B1%9F%E8%BD%AF%E4%BB%B6", &first, NULL), 1); /* 闽江软件 */
    assert_int_equal(first, w->a);
    assert_int_equal(total(w, &w->city, "q=%E9%97%BD"), 1);            /* 闽: the gram index needs no extension */
    assert_int_equal(total(w, &w->city, "q=913501"), 4);               /* USCC prefix */
    assert_int_equal(total(w, &w->gulou, "q=%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8"), 2); /* 有限公司 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_short_keywords, setup, teardown),
        cmocka_unit_test_setup_teardown(test_totals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_health, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_pg_trgm, setup_noext, teardown_noext),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
