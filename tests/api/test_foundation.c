/*
 * test_foundation.c — API tests of the foundation: health, dictionaries,
 * the error envelope, unknown routes and methods, limits on paths, queries
 * and bodies, security headers, and static file serving with its
 * containment rules. Runs on SQLite and, with ZQ_TEST_DB, on PostgreSQL.
 */
#include "support/zt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static int setup(void **st)
{
    *st = zt_start();
    return 0;
}

static int teardown(void **st)
{
    zt_stop(*st);
    return 0;
}

static void test_health(void **st)
{
    zt_env *e = *st;
    zt_resp *r = zt_get(e, NULL, "/api/v1/health");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "ok");
    const char *db = zt_str(r, "db");
    assert_true(strcmp(db, "sqlite") == 0 || strcmp(db, "postgres") == 0);
    assert_non_null(zt_str(r, "version"));
    zt_resp_free(r);
}

static void test_health_503_when_db_fails(void **st)
{
    zt_env *e = *st;
    /* the health query can no longer run: the instance must say it is unusable */
    zt_exec(e, "ALTER TABLE dict_type RENAME TO dict_type_gone");
    zt_resp *r = zt_get(e, NULL, "/api/v1/health");
    assert_int_equal(r->status, 503);
    assert_string_equal(zt_str(r, "error.code"), "service_unavailable");
    zt_resp_free(r);
    zt_exec(e, "ALTER TABLE dict_type_gone RENAME TO dict_type");
    zt_expect(zt_get(e, NULL, "/api/v1/health"), 200, NULL);
}

static void test_dict_region(void **st)
{
    zt_env *e = *st;
    zt_resp *r = zt_get(e, NULL, "/api/v1/dicts/region");
    assert_int_equal(r->status, 200);
    json_t *items = zt_json(r, "items");
    assert_int_equal(json_array_size(items), 14);
    assert_string_equal(zt_str(r, "items.0.code"), "350100");
    assert_null(zt_json(r, "items.0.parent"));
    assert_string_equal(zt_str(r, "items.1.name"), "鼓楼区");
    assert_string_equal(zt_str(r, "items.1.parent"), "350100");
    assert_non_null(zt_header(r, "ETag"));
    assert_string_equal(zt_header(r, "Content-Type"), "application/json; charset=utf-8");
    zt_resp_free(r);
}

static void test_dict_industry_flat_and_tree(void **st)
{
    zt_env *e = *st;
    zt_resp *r = zt_get(e, NULL, "/api/v1/dicts/industry");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 117);
    zt_resp_free(r);

    r = zt_get(e, NULL, "/api/v1/dicts/industry?tree=1");
    assert_int_equal(r->status, 200);
    json_t *items = zt_json(r, "items");
    assert_int_equal(json_array_size(items), 20);
    size_t divisions = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        divisions += json_array_size(json_object_get(json_array_get(items, i), "children"));
    assert_int_equal(divisions, 97);
    assert_string_equal(zt_str(r, "items.0.code"), "A");
    assert_string_equal(zt_str(r, "items.0.children.0.code"), "01");
    assert_null(zt_json(r, "items.0.children.0.parent"));
    zt_resp_free(r);
}

static void test_dict_types(void **st)
{
    zt_env *e = *st;
    const char *types[] = {"region", "industry", "characteristic", "scale", "staff_size",
                           "financing_stage", "trade_type", "policy_type", "consult_category"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/dicts/%s", types[i]);
        zt_resp *r = zt_get(e, NULL, path);
        assert_int_equal(r->status, 200);
        assert_true(json_array_size(zt_json(r, "items")) >= 4);
        zt_resp_free(r);
    }
    zt_resp *r = zt_get(e, NULL, "/api/v1/dicts/trade_type");
    assert_string_equal(zt_str(r, "items.0.code"), "none");
    assert_string_equal(zt_str(r, "items.3.code"), "both");
    zt_resp_free(r);
    r = zt_get(e, NULL, "/api/v1/dicts");
    assert_int_equal(json_array_size(zt_json(r, "items")), 9);
    zt_resp_free(r);
}

static void test_dict_unknown(void **st)
{
    zt_env *e = *st;
    zt_expect(zt_get(e, NULL, "/api/v1/dicts/nope"), 404, "not_found");
    zt_expect(zt_get(e, NULL, "/api/v1/dicts/x%27%20OR%201%3D1--"), 404, "not_found");
}

static void test_dict_etag_304(void **st)
{
    zt_env *e = *st;
    zt_resp *r = zt_get(e, NULL, "/api/v1/dicts/scale");
    char etag[64], hdr[128];
    snprintf(etag, sizeof etag, "%s", zt_header(r, "ETag"));
    zt_resp_free(r);
    snprintf(hdr, sizeof hdr, "If-None-Match: %s\n", etag);
    r = zt_req(e, NULL, "GET", "/api/v1/dicts/scale", NULL, hdr);
    assert_int_equal(r->status, 304);
    assert_int_equal(r->len, 0);
    zt_resp_free(r);
    r = zt_req(e, NULL, "GET", "/api/v1/dicts/scale", NULL, "If-None-Match: \"other\"\n");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
}

static void test_unknown_route_and_method(void **st)
{
    zt_env *e = *st;
    zt_resp *r = zt_get(e, NULL, "/api/v1/nothing-here");
    assert_int_equal(r->status, 404);
    assert_string_equal(zt_str(r, "error.code"), "not_found");
    assert_non_null(zt_str(r, "error.request_id"));
    assert_string_equal(zt_header(r, "X-Request-Id"), zt_str(r, "error.request_id"));
    zt_resp_free(r);

    r = zt_req(e, NULL, "DELETE", "/api/v1/health", NULL, NULL);
    assert_int_equal(r->status, 405);
    assert_string_equal(zt_str(r, "error.code"), "method_not_allowed");
    assert_string_equal(zt_header(r, "Allow"), "GET, HEAD");
    zt_resp_free(r);

    r = zt_req(e, NULL, "TRACE", "/api/v1/health", NULL, NULL);
    assert_int_equal(r->status, 405);
    zt_resp_free(r);
}

static void test_security_headers(void **st)
{
    zt_env *e = *st;
    zt_resp *r = zt_get(e, NULL, "/api/v1/health");
    assert_string_equal(zt_header(r, "X-Content-Type-Options"), "nosniff");
    assert_string_equal(zt_header(r, "X-Frame-Options"), "DENY");
    assert_non_null(strstr(zt_header(r, "Content-Security-Policy"), "frame-ancestors 'none'"));
    assert_non_null(zt_header(r, "Referrer-Policy"));
    assert_non_null(strstr(zt_header(r, "Content-Type"), "charset=utf-8"));
    assert_string_equal(zt_header(r, "Cache-Control"), "no-store");
    zt_resp_free(r);
}

static void test_bad_paths_and_queries(void **st)
{
    zt_env *e = *st;
    zt_expect(zt_get(e, NULL, "/api/v1/dicts/%00"), 400, "bad_request");
    zt_expect(zt_get(e, NULL, "/api/v1/dicts/%ff%fe"), 400, "bad_request");
    zt_expect(zt_get(e, NULL, "/api/v1/dicts/region?x=%ff"), 400, "bad_request");
    zt_expect(zt_get(e, NULL, "/api/v1/dicts/region?x=%zz"), 400, "bad_request");
    char *huge = malloc(20000);
    strcpy(huge, "/api/v1/dicts/region?q=");
    memset(huge + strlen(huge), 'a', 19000);
    huge[19023] = '\0';
    zt_expect(zt_get(e, NULL, huge), 414, "uri_too_long");
    memset(huge, 'a', 19000);
    huge[0] = '/';
    huge[19000] = '\0';
    zt_expect(zt_get(e, NULL, huge), 414, "uri_too_long");
    free(huge);
}

static void test_body_on_get_route(void **st)
{
    zt_env *e = *st;
    /* a body larger than the cap is refused before any handler runs */
    size_t n = (1u << 20) + 10;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    zt_expect(zt_req(e, NULL, "GET", "/api/v1/health", big, NULL), 413, "payload_too_large");
    free(big);
}

static void test_bad_json_bodies(void **st)
{
    zt_env *e = *st;
    const char *bodies[] = {
        "{\"name\":", "not json", "{\"name\":\"a\",\"name\":\"b\"}", "[1,2]", "\"text\"",
        "{\"name\":\"\xff\xfe\"}", "{\"name\":\"\xc0\xaf\"}", "{\"a\":1} trailing",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        zt_resp *r = zt_post(e, NULL, "/api/v1/register", bodies[i]);
        if (r->status != 400) fail_msg("body %zu: want 400, got %d %s", i, r->status, r->body);
        assert_string_equal(zt_str(r, "error.code"), "invalid_json");
        assert_non_null(zt_str(r, "error.message"));
        zt_resp_free(r);
    }
    zt_expect(zt_req(e, NULL, "POST", "/api/v1/register", "name=x", "Content-Type: application/x-www-form-urlencoded\n"),
              415, "unsupported_media_type");
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM enterprise"), 0);
    assert_int_equal(zt_count(e, "SELECT COUNT(*) FROM app_user"), 0);
}

/* static files ---------------------------------------------------------- */

typedef struct {
    zt_env *e;
    char dir[128];
} web_fixture;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int web_setup(void **st)
{
    web_fixture *w = calloc(1, sizeof *w);
    char p[256];
    snprintf(w->dir, sizeof w->dir, "/tmp/ztweb.XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    snprintf(p, sizeof p, "%s/web", w->dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/web/assets", w->dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/web/index.html", w->dir);
    write_file(p, "<!doctype html><title>zhengqi</title>");
    snprintf(p, sizeof p, "%s/web/assets/app-abc123.js", w->dir);
    write_file(p, "console.log(1)");
    snprintf(p, sizeof p, "%s/secret.txt", w->dir);
    write_file(p, "outside");
    char target[256];
    snprintf(target, sizeof target, "%s/secret.txt", w->dir);
    snprintf(p, sizeof p, "%s/web/assets/link.js", w->dir);
    assert_int_equal(symlink(target, p), 0);
    snprintf(p, sizeof p, "%s/web", w->dir);
    w->e = zt_start_web(p);
    *st = w;
    return 0;
}

static int web_teardown(void **st)
{
    web_fixture *w = *st;
    char cmd[200];
    zt_stop(w->e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->dir);
    assert_int_equal(system(cmd), 0);
    free(w);
    return 0;
}

static void test_static_index_and_spa(void **st)
{
    web_fixture *w = *st;
    const char *paths[] = {"/", "/console", "/admin/registrations", "/m/login", "/index.html"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        zt_resp *r = zt_get(w->e, NULL, paths[i]);
        assert_int_equal(r->status, 200);
        assert_non_null(strstr(r->body, "<title>zhengqi</title>"));
        assert_string_equal(zt_header(r, "Content-Type"), "text/html; charset=utf-8");
        assert_string_equal(zt_header(r, "Cache-Control"), "no-cache");
        zt_resp_free(r);
    }
}

static void test_static_asset_cache_and_etag(void **st)
{
    web_fixture *w = *st;
    zt_resp *r = zt_get(w->e, NULL, "/assets/app-abc123.js");
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, "console.log(1)");
    assert_string_equal(zt_header(r, "Content-Type"), "text/javascript; charset=utf-8");
    assert_string_equal(zt_header(r, "Cache-Control"), "public, max-age=31536000, immutable");
    char hdr[128];
    snprintf(hdr, sizeof hdr, "If-None-Match: %s\n", zt_header(r, "ETag"));
    zt_resp_free(r);
    r = zt_req(w->e, NULL, "GET", "/assets/app-abc123.js", NULL, hdr);
    assert_int_equal(r->status, 304);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, NULL, "/assets/missing.js"), 404, "not_found");
}

static void test_static_containment(void **st)
{
    web_fixture *w = *st;
    const char *bad[] = {
        "/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt", "/assets/link.js", "/.hidden", "/assets\\..\\..\\secret.txt",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zt_resp *r = zt_get(w->e, NULL, bad[i]);
        assert_true(r->status == 404 || r->status == 400);
        assert_null(strstr(r->body, "outside"));
        zt_resp_free(r);
    }
    zt_expect(zt_get(w->e, NULL, "/index.html%00.js"), 400, "bad_request");
    zt_expect(zt_req(w->e, NULL, "POST", "/console", "{}", NULL), 405, "method_not_allowed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_health, setup, teardown),
        cmocka_unit_test_setup_teardown(test_health_503_when_db_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dict_region, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dict_industry_flat_and_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dict_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dict_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dict_etag_304, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_route_and_method, setup, teardown),
        cmocka_unit_test_setup_teardown(test_security_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_paths_and_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_on_get_route, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_json_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_static_index_and_spa, web_setup, web_teardown),
        cmocka_unit_test_setup_teardown(test_static_asset_cache_and_etag, web_setup, web_teardown),
        cmocka_unit_test_setup_teardown(test_static_containment, web_setup, web_teardown),
    };
    return cmocka_run_group_tests_name("foundation", tests, NULL, NULL);
}
