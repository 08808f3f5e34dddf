/*
 * test_targets.c — the audience matcher (src/targets/): each condition
 * alone (regions with a city meaning its districts, industries by section
 * letter or division, scales, characteristics — any of them, trade
 * types), combinations, empty = every approved firm, an unapproved firm
 * never matches; the per-firm check agrees with the SQL and says why in
 * Chinese; reading a body's `targets` checks every code against the
 * dictionaries and caps lists; the canonical JSON round-trips.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "core/arena.h"
#include "db/db.h"
#include "targets/targets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    db_conn *c;
    zq_arena *a;
    int64_t gulou_mfg, taijiang_trade, mawei_none, pending_gulou;
} world;

static int64_t firm(zt_env *e, const char *name, const char *region, const char *status, const char *industry,
                    const char *scale, const char *trade, const char *chars)
{
    int64_t id = zt_make_enterprise(e, name, region, status, 0);
    zt_execf(e, "UPDATE enterprise SET industry = %s%s%s, scale = '%s', trade_type = %s%s%s WHERE id = %lld",
             industry ? "'" : "", industry ? industry : "NULL", industry ? "'" : "", scale, trade ? "'" : "",
             trade ? trade : "NULL", trade ? "'" : "", (long long)id);
    if (chars) zt_execf(e, "INSERT INTO enterprise_characteristic VALUES (%lld, '%s')", (long long)id, chars);
    return id;
}

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->gulou_mfg = firm(w->e, "福州鼓楼食品制造有限公司", "350102", "approved", "13", "small", "export", "hightech");
    w->taijiang_trade = firm(w->e, "福州台江批发有限公司", "350103", "approved", "51", "micro", "none", "private");
    w->mawei_none = firm(w->e, "福州马尾新设有限公司", "350105", "approved", NULL, "medium", NULL, NULL);
    w->pending_gulou = firm(w->e, "福州鼓楼待审食品有限公司", "350102", "pending", "13", "small", "export", "hightech");
    w->c = db_pool_acquire(w->e->app->pool);
    w->a = zq_arena_new(4 << 20);
    *st = w;
    return 0;
}

static int teardown(void **st)
{
    world *w = *st;
    db_pool_release(w->e->app->pool, w->c);
    zq_arena_free(w->a);
    zt_stop(w->e);
    free(w);
    return 0;
}

/* Count and the per-firm verdicts must agree; returns the count. */
static int64_t count(world *w, const targets *t)
{
    int64_t n = targets_count(w->c, w->a, t);
    assert_true(n >= 0);
    int64_t ids[] = {w->gulou_mfg, w->taijiang_trade, w->mawei_none, w->pending_gulou}, met = 0;
    for (int i = 0; i < 4; i++) {
        targets_verdict v;
        assert_int_equal(targets_check(w->c, w->a, t, ids[i], &v), DB_OK);
        met += v.met;
        if (ids[i] == w->pending_gulou) assert_false(v.met);
    }
    assert_int_equal(met, n);
    return n;
}

#define SET(...) ((targets_set){(const char *[]){__VA_ARGS__}, sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)})

static void test_each_condition(void **st)
{
    world *w = *st;
    targets t = {0};
    assert_int_equal(count(w, &t), 3); /* empty = every approved firm */
    t = (targets){.regions = SET("350102")};
    assert_int_equal(count(w, &t), 1);
    t = (targets){.regions = SET("350100")}; /* the city: all its districts */
    assert_int_equal(count(w, &t), 3);
    t = (targets){.regions = SET("350103", "350105")};
    assert_int_equal(count(w, &t), 2);
    t = (targets){.industries = SET("C")}; /* section letter: its divisions */
    assert_int_equal(count(w, &t), 1);
    t = (targets){.industries = SET("51")}; /* a division */
    assert_int_equal(count(w, &t), 1);
    t = (targets){.industries = SET("C", "F")};
    assert_int_equal(count(w, &t), 2);
    t = (targets){.scales = SET("micro", "medium")};
    assert_int_equal(count(w, &t), 2);
    t = (targets){.characteristics = SET("hightech", "srdi")}; /* any of them */
    assert_int_equal(count(w, &t), 1);
    t = (targets){.trade_types = SET("export", "both")};
    assert_int_equal(count(w, &t), 1);
    t = (targets){.trade_types = SET("none")};
    assert_int_equal(count(w, &t), 1); /* a firm that never said is not "none" */
}

static void test_combinations_and_reasons(void **st)
{
    world *w = *st;
    targets t = {.regions = SET("350100"), .industries = SET("C"), .scales = SET("small")};
    assert_int_equal(count(w, &t), 1);
    t = (targets){.regions = SET("350103"), .industries = SET("C")}; /* no firm is both */
    assert_int_equal(count(w, &t), 0);

    /* the verdict per condition, with a reason */
    t = (targets){.regions = SET("350102"), .characteristics = SET("hightech"), .trade_types = SET("export")};
    targets_verdict v;
    assert_int_equal(targets_check(w->c, w->a, &t, w->taijiang_trade, &v), DB_OK);
    assert_false(v.met);
    assert_int_equal(v.failed, 3);
    assert_string_equal(v.items[0].condition, "regions");
    assert_true(v.items[0].applies);
    assert_false(v.items[0].met);
    assert_non_null(strstr(v.items[0].reason, "台江区"));
    assert_non_null(strstr(v.items[0].reason, "鼓楼区"));
    assert_false(v.items[1].applies);
    assert_true(v.items[1].met);
    assert_string_equal(v.items[1].reason, "不限");
    assert_non_null(strstr(v.items[3].reason, "高新技术企业"));
    assert_int_equal(targets_check(w->c, w->a, &t, w->gulou_mfg, &v), DB_OK);
    assert_true(v.met);
    assert_int_equal(v.failed, 0);
    assert_non_null(strstr(v.items[3].reason, "具有适用的企业特性"));
    /* a firm without an industry is told so */
    t = (targets){.industries = SET("C")};
    assert_int_equal(targets_check(w->c, w->a, &t, w->mawei_none, &v), DB_OK);
    assert_non_null(strstr(v.items[1].reason, "未填写"));
    /* an unapproved firm meets nothing even when every condition holds */
    assert_int_equal(targets_check(w->c, w->a, &t, w->pending_gulou, &v), DB_OK);
    assert_false(v.met);
    assert_int_equal(v.failed, 0);
    assert_int_equal(targets_check(w->c, w->a, &t, 999999, &v), DB_DONE);
    /* district staff: regions forced to their own */
    t = (targets){.regions = SET("350100")};
    targets_force_region(w->a, &t, "350103");
    assert_int_equal(count(w, &t), 1);
}

/* targets_read through a request built by hand (no route reads targets alone) */
static zq_err read(world *w, const char *body, targets *out, zq_resp *r)
{
    zq_req q = {0};
    q.arena = w->a;
    q.db = w->c;
    q.app = w->e->app;
    q.json = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
    assert_non_null(q.json);
    zq_resp_init(r);
    zq_err e = targets_read(&q, r, q.json, out);
    json_decref(q.json);
    return e;
}

static const char *field(const zq_resp *r, const char *name)
{
    return zq_kvs_get(&r->err_fields, name);
}

static void test_read_and_json(void **st)
{
    world *w = *st;
    targets t;
    zq_resp r;
    assert_int_equal(read(w, "{}", &t, &r), ZQ_OK);
    assert_true(targets_empty(&t));
    zq_resp_free(&r);
    assert_int_equal(read(w, "{\"targets\":null}", &t, &r), ZQ_OK);
    zq_resp_free(&r);
    assert_int_equal(read(w,
                          "{\"targets\":{\"regions\":[\"350103\",\"350102\",\"350103\"],\"industries\":[\"C\",\"51\"],"
                          "\"scales\":[],\"characteristics\":[\"hightech\"],\"trade_types\":[\"export\"]}}",
                          &t, &r),
                     ZQ_OK);
    zq_resp_free(&r);
    /* sorted, deduplicated, all five keys */
    const char *json = targets_to_json(w->a, &t);
    assert_string_equal(json, "{\"regions\":[\"350102\",\"350103\"],\"industries\":[\"51\",\"C\"],\"scales\":[],"
                              "\"characteristics\":[\"hightech\"],\"trade_types\":[\"export\"]}");
    targets back;
    assert_int_equal(targets_from_json(w->a, json, &back), 0);
    assert_string_equal(targets_to_json(w->a, &back), json);
    assert_int_equal(targets_from_json(w->a, "[1]", &back), -1);
    assert_int_equal(targets_from_json(w->a, "", &back), 0);
    assert_true(targets_empty(&back));

    assert_int_equal(read(w, "{\"targets\":{\"regions\":[\"999999\"]}}", &t, &r), ZQ_E_VALIDATION);
    assert_non_null(strstr(field(&r, "targets.regions"), "999999"));
    zq_resp_free(&r);
    assert_int_equal(read(w, "{\"targets\":{\"industries\":[\"Z\"]}}", &t, &r), ZQ_E_VALIDATION);
    assert_non_null(field(&r, "targets.industries"));
    zq_resp_free(&r);
    assert_int_equal(read(w, "{\"targets\":{\"scales\":\"small\"}}", &t, &r), ZQ_E_VALIDATION);
    assert_non_null(field(&r, "targets.scales"));
    zq_resp_free(&r);
    assert_int_equal(read(w, "{\"targets\":{\"colour\":[\"red\"]}}", &t, &r), ZQ_E_VALIDATION);
    assert_non_null(field(&r, "targets"));
    zq_resp_free(&r);
    assert_int_equal(read(w, "{\"targets\":[]}", &t, &r), ZQ_E_VALIDATION);
    zq_resp_free(&r);
    /* a list past the cap */
    char big[8192] = "{\"targets\":{\"trade_types\":[";
    for (int i = 0; i <= TARGETS_LIST_MAX; i++) strcat(big, i ? ",\"none\"" : "\"none\"");
    strcat(big, "]}}");
    assert_int_equal(read(w, big, &t, &r), ZQ_E_VALIDATION);
    assert_non_null(field(&r, "targets.trade_types"));
    zq_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_each_condition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_combinations_and_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_and_json, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
