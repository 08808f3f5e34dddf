/*
 * test_dicts.c — API tests of dictionary editing (issue 10 item 9): staff
 * add, rename, reorder, disable and delete items; bad input stores nothing;
 * who may edit (anonymous 401, enterprise user 403, district staff 403,
 * city and super staff yes); an item in use is never deleted; a disabled
 * item leaves the public dictionary but stays valid on the records that
 * hold it; every edit bumps the version and is audited; the cache and its
 * ETag change at once on the instance that edited and within a second on
 * a second instance over the same database. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_reg.h"
#include "support/fixtures_roles.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    zt_env *e;
    zt_client city, super, district, user, anon;
    int64_t ent;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    zr_staff(w->e, &w->city, "cityclerk", "city", NULL);
    zr_staff(w->e, &w->super, "superclerk", "super", NULL);
    zr_staff(w->e, &w->district, "gulouclerk", "district", "350102");
    w->ent = zm_enterprise(w->e, &w->user, "福州甲贸易有限公司", "13900000001", NULL);
    zt_client_init(&w->anon);
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

#define ITEMS(type) "/api/v1/admin/dicts/" type "/items"

static long long version(zt_env *e)
{
    return zt_count(e, "SELECT version FROM dict_version WHERE id = 1");
}

/* Index of the item with this code in r's items, -1 if none. */
static int find_code(const zt_resp *r, const char *code)
{
    json_t *items = zt_json(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        const char *c = json_string_value(json_object_get(json_array_get(items, i), "code"));
        if (c && strcmp(c, code) == 0) return (int)i;
    }
    return -1;
}

/* Whether the public dictionary offers code. */
static bool public_has(zt_env *e, const char *type, const char *code)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/dicts/%s", type);
    zt_resp *r = zt_get(e, NULL, path);
    assert_int_equal(r->status, 200);
    bool has = find_code(r, code) >= 0;
    zt_resp_free(r);
    return has;
}

static const char *admin_field(zt_env *e, zt_client *c, const char *type, const char *code, const char *key)
{
    static char out[128];
    char path[96];
    snprintf(path, sizeof path, "/api/v1/admin/dicts/%s", type);
    zt_resp *r = zt_get(e, c, path);
    assert_int_equal(r->status, 200);
    int i = find_code(r, code);
    assert_true(i >= 0);
    json_t *v = json_object_get(json_array_get(zt_json(r, "items"), (size_t)i), key);
    if (json_is_string(v)) snprintf(out, sizeof out, "%s", json_string_value(v));
    else if (json_is_boolean(v)) snprintf(out, sizeof out, "%s", json_is_true(v) ? "true" : "false");
    else if (json_is_integer(v)) snprintf(out, sizeof out, "%lld", (long long)json_integer_value(v));
    else snprintf(out, sizeof out, "null");
    zt_resp_free(r);
    return out;
}

/* ---- reading ---- */

static void test_admin_list(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->city, "/api/v1/admin/dicts/scale");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 4);
    assert_true(json_is_true(zt_json(r, "can_edit")));
    assert_int_equal(zt_int(r, "version"), version(w->e));
    int small = find_code(r, "small");
    json_t *it = json_array_get(zt_json(r, "items"), (size_t)small);
    assert_string_equal(json_string_value(json_object_get(it, "name")), "小型");
    assert_int_equal(json_integer_value(json_object_get(it, "usage")), 1); /* the fixture firm */
    assert_true(json_is_false(json_object_get(it, "disabled")));
    zt_resp_free(r);

    r = zt_get(w->e, &w->district, "/api/v1/admin/dicts/region");
    assert_int_equal(r->status, 200);
    assert_true(json_is_false(zt_json(r, "can_edit")));
    zt_resp_free(r);

    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/dicts/nope"), 404, "not_found");
    zt_expect(zt_get(w->e, &w->anon, "/api/v1/admin/dicts/scale"), 401, "unauthenticated");
    zt_expect(zt_get(w->e, &w->user, "/api/v1/admin/dicts/scale"), 403, "forbidden");
}

/* ---- adding ---- */

static void test_create_flat(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, NULL, "/api/v1/dicts/scale"); /* warm the cache */
    char etag[64];
    snprintf(etag, sizeof etag, "%s", zt_header(r, "ETag"));
    zt_resp_free(r);
    long long v0 = version(w->e), audits = zm_audits(w->e, "dict.item.create");

    r = zm_send(w->e, &w->city, "POST", ITEMS("scale"), "{\"code\":\"nano\",\"name\":\"  超微型 \"}");
    assert_int_equal(r->status, 201);
    assert_true(zt_int(r, "id") > 0);
    assert_string_equal(zt_str(r, "code"), "nano");
    assert_string_equal(zt_str(r, "name"), "超微型");
    assert_int_equal(zt_int(r, "sort"), 5); /* after the four seeded scales */
    assert_true(json_is_false(zt_json(r, "disabled")));
    zt_resp_free(r);
    assert_int_equal(version(w->e), v0 + 1);
    assert_int_equal(zm_audits(w->e, "dict.item.create"), audits + 1);
    char *detail = zr_text(w->e, "SELECT detail FROM audit_log WHERE action = 'dict.item.create' ORDER BY id DESC");
    assert_non_null(strstr(detail, "\"after\""));
    assert_non_null(strstr(detail, "超微型"));
    free(detail);

    /* this instance's cache and ETag changed at once */
    r = zt_get(w->e, NULL, "/api/v1/dicts/scale");
    assert_true(find_code(r, "nano") == 4);
    assert_string_not_equal(zt_header(r, "ETag"), etag);
    assert_string_equal(zt_header(r, "Cache-Control"), "public, no-cache");
    zt_resp_free(r);

    /* super staff may edit too; an explicit sort is kept */
    r = zm_send(w->e, &w->super, "POST", ITEMS("policy_type"), "{\"code\":\"green_2030\",\"name\":\"绿色低碳\",\"sort\":3}");
    assert_int_equal(r->status, 201);
    assert_int_equal(zt_int(r, "sort"), 3);
    zt_resp_free(r);
}

static void test_create_tree(void **st)
{
    world *w = *st;
    zt_resp *r = zm_send(w->e, &w->city, "POST", ITEMS("industry"), "{\"code\":\"98\",\"name\":\"数字经济试点\",\"parent\":\"I\"}");
    assert_int_equal(r->status, 201);
    assert_string_equal(zt_str(r, "kind"), "division");
    assert_string_equal(zt_str(r, "parent"), "I");
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/dicts/industry?tree=1");
    bool under_i = false;
    json_t *items = zt_json(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *sec = json_array_get(items, i);
        if (strcmp(json_string_value(json_object_get(sec, "code")), "I") != 0) continue;
        json_t *kids = json_object_get(sec, "children");
        for (size_t k = 0; k < json_array_size(kids); k++)
            under_i |= strcmp(json_string_value(json_object_get(json_array_get(kids, k), "code")), "98") == 0;
    }
    assert_true(under_i);
    zt_resp_free(r);

    r = zm_send(w->e, &w->city, "POST", ITEMS("industry"), "{\"code\":\"U\",\"name\":\"试验门类\"}");
    assert_int_equal(r->status, 201);
    assert_string_equal(zt_str(r, "kind"), "section");
    json_t *parent = zt_json(r, "parent");
    assert_true(!parent || json_is_null(parent));
    zt_resp_free(r);

    r = zm_send(w->e, &w->city, "POST", ITEMS("region"), "{\"code\":\"350199\",\"name\":\"福州高新区\",\"parent\":\"350100\"}");
    assert_int_equal(r->status, 201);
    assert_string_equal(zt_str(r, "kind"), "district");
    zt_resp_free(r);
    assert_true(public_has(w->e, "region", "350199"));
}

/* Each bad body is refused with a field error and stores nothing. */
static void test_create_bad_input(void **st)
{
    world *w = *st;
    static const struct {
        const char *type, *body, *field;
    } cases[] = {
        {"scale", "{\"code\":\"Tiny\",\"name\":\"超小\"}", "code"},
        {"scale", "{\"code\":\"a-b\",\"name\":\"超小\"}", "code"},
        {"scale", "{\"code\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"name\":\"超小\"}", "code"},
        {"scale", "{\"name\":\"超小\"}", "code"},
        {"region", "{\"code\":\"35019\",\"name\":\"某区\",\"parent\":\"350100\"}", "code"},
        {"region", "{\"code\":\"35019x\",\"name\":\"某区\",\"parent\":\"350100\"}", "code"},
        {"industry", "{\"code\":\"C1\",\"name\":\"某业\",\"parent\":\"C\"}", "code"},
        {"industry", "{\"code\":\"c\",\"name\":\"某业\"}", "code"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"\"}", "name"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"   \"}", "name"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"}", "name"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"超\\u202e小\"}", "name"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"超\\u200b小\"}", "name"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"超\\u0007小\"}", "name"},
        {"scale", "{\"code\":\"tiny\",\"name\":12}", "name"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"超小\",\"parent\":\"large\"}", "parent"},
        {"region", "{\"code\":\"350199\",\"name\":\"某区\"}", "parent"},
        {"region", "{\"code\":\"350199\",\"name\":\"某区\",\"parent\":\"350102\"}", "parent"},
        {"region", "{\"code\":\"350199\",\"name\":\"某区\",\"parent\":\"350100\",\"kind\":\"province\"}", "kind"},
        {"industry", "{\"code\":\"98\",\"name\":\"某业\"}", "parent"},
        {"industry", "{\"code\":\"V\",\"name\":\"某门类\",\"parent\":\"C\"}", "parent"},
        {"industry", "{\"code\":\"98\",\"name\":\"某业\",\"parent\":\"Z\"}", "parent"},
        {"industry", "{\"code\":\"98\",\"name\":\"某业\",\"parent\":\"13\"}", "parent"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"超小\",\"sort\":-1}", "sort"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"超小\",\"sort\":\"1\"}", "sort"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"超小\",\"kind\":\"x\"}", "kind"},
        {"scale", "{\"code\":\"tiny\",\"name\":\"超小\",\"enabled\":true}", "enabled"},
    };
    long long items = zt_count(w->e, "SELECT COUNT(*) FROM dict_item");
    long long v0 = version(w->e), audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/admin/dicts/%s/items", cases[i].type);
        zt_resp *r = zm_send(w->e, &w->city, "POST", path, "%s", cases[i].body);
        if (r->status != 400) fail_msg("case %zu (%s): %d %s", i, cases[i].body, r->status, r->body);
        assert_string_equal(zt_str(r, "error.code"), "validation_failed");
        char key[64];
        snprintf(key, sizeof key, "error.fields.%s", cases[i].field);
        if (!zt_str(r, key)) fail_msg("case %zu (%s): no %s in %s", i, cases[i].body, key, r->body);
        zt_resp_free(r);
    }
    zt_expect(zm_send(w->e, &w->city, "POST", ITEMS("nope"), "{\"code\":\"x\",\"name\":\"某\"}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->city, "POST", ITEMS("scale"), "[1]"), 400, "invalid_json");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM dict_item"), items);
    assert_int_equal(version(w->e), v0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log"), audits);

    /* a clear message in Chinese */
    zt_resp *r = zm_send(w->e, &w->city, "POST", ITEMS("region"), "{\"code\":\"35019\",\"name\":\"某区\",\"parent\":\"350100\"}");
    assert_non_null(strstr(zt_str(r, "error.fields.code"), "6 位数字"));
    zt_resp_free(r);
}

static void test_create_conflicts(void **st)
{
    world *w = *st;
    long long items = zt_count(w->e, "SELECT COUNT(*) FROM dict_item"), v0 = version(w->e);
    zt_resp *r = zm_send(w->e, &w->city, "POST", ITEMS("scale"), "{\"code\":\"small\",\"name\":\"小小型\"}");
    assert_int_equal(r->status, 409);
    assert_string_equal(zt_str(r, "error.code"), "conflict");
    assert_non_null(strstr(zt_str(r, "error.fields.code"), "已存在"));
    zt_resp_free(r);
    r = zm_send(w->e, &w->city, "POST", ITEMS("scale"), "{\"code\":\"tiny\",\"name\":\"小型\"}");
    assert_int_equal(r->status, 409);
    assert_non_null(zt_str(r, "error.fields.name"));
    zt_resp_free(r);
    /* the same name under another parent is fine: 房地产业 is a section and a division */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM dict_item WHERE type = 'industry' AND name = '房地产业'"), 2);
    /* a disabled parent takes no new children */
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("industry") "/97", "{\"disabled\":true}"), 200, NULL);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("industry") "/T", "{\"disabled\":true}"), 200, NULL);
    items = zt_count(w->e, "SELECT COUNT(*) FROM dict_item");
    v0 = version(w->e);
    r = zm_send(w->e, &w->city, "POST", ITEMS("industry"), "{\"code\":\"98\",\"name\":\"某业\",\"parent\":\"T\"}");
    assert_int_equal(r->status, 409);
    assert_non_null(strstr(zt_str(r, "error.fields.parent"), "已停用"));
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM dict_item"), items);
    assert_int_equal(version(w->e), v0);
}

/* ---- who may edit ---- */

static void test_access(void **st)
{
    world *w = *st;
    const char *body = "{\"code\":\"tiny\",\"name\":\"超小型\"}";
    long long items = zt_count(w->e, "SELECT COUNT(*) FROM dict_item");
    long long denied = zm_audits(w->e, "access.denied");
    zt_expect(zm_send(w->e, &w->anon, "POST", ITEMS("scale"), "%s", body), 401, "unauthenticated");
    zt_expect(zm_send(w->e, &w->user, "POST", ITEMS("scale"), "%s", body), 403, "forbidden");
    zt_resp *r = zm_send(w->e, &w->district, "POST", ITEMS("scale"), "%s", body);
    assert_int_equal(r->status, 403);
    assert_string_equal(zt_str(r, "error.code"), "forbidden");
    assert_non_null(strstr(zt_str(r, "error.message"), "市级"));
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->district, "PUT", ITEMS("scale") "/small", "{\"name\":\"小\"}"), 403, "forbidden");
    zt_expect(zm_send(w->e, &w->district, "DELETE", ITEMS("scale") "/small", NULL), 403, "forbidden");
    zt_expect(zm_send(w->e, &w->user, "PUT", ITEMS("scale") "/small", "{\"name\":\"小\"}"), 403, "forbidden");
    zt_expect(zm_send(w->e, &w->anon, "DELETE", ITEMS("scale") "/small", NULL), 401, "unauthenticated");
    /* without the CSRF header a logged-in city clerk is refused too */
    zt_client nocsrf = w->city;
    nocsrf.csrf[0] = '\0';
    zt_expect(zm_send(w->e, &nocsrf, "POST", ITEMS("scale"), "%s", body), 403, "csrf_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM dict_item"), items);
    assert_string_equal(admin_field(w->e, &w->city, "scale", "small", "name"), "小型");
    /* the district clerk's refusals are recorded (user and anonymous ones by the gate) */
    assert_true(zm_audits(w->e, "access.denied") >= denied + 3);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"
                                    " AND detail = 'dict.edit' AND region = '350102'"),
                     3);
}

/* ---- renaming, reordering, disabling ---- */

static void test_update(void **st)
{
    world *w = *st;
    long long v0 = version(w->e);
    assert_true(public_has(w->e, "financing_stage", "angel"));
    zt_resp *r = zm_send(w->e, &w->city, "PUT", ITEMS("financing_stage") "/angel", "{\"name\":\"天使轮融资\"}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "name"), "天使轮融资");
    zt_resp_free(r);
    assert_int_equal(version(w->e), v0 + 1);
    r = zt_get(w->e, NULL, "/api/v1/dicts/financing_stage");
    assert_string_equal(zt_str(r, "items.1.name"), "天使轮融资");
    zt_resp_free(r);
    char *detail = zr_text(w->e, "SELECT detail FROM audit_log WHERE action = 'dict.item.update' ORDER BY id DESC");
    assert_non_null(strstr(detail, "\"before\":{\"name\":\"天使轮\""));
    assert_non_null(strstr(detail, "\"after\":{\"name\":\"天使轮融资\""));
    free(detail);

    /* move: angel (2nd) goes down below a (3rd) */
    r = zm_send(w->e, &w->city, "PUT", ITEMS("financing_stage") "/angel", "{\"move\":\"down\"}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/dicts/financing_stage");
    assert_string_equal(zt_str(r, "items.1.code"), "a");
    assert_string_equal(zt_str(r, "items.2.code"), "angel");
    zt_resp_free(r);
    /* the first cannot go further up: nothing written */
    long long v1 = version(w->e);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("financing_stage") "/none", "{\"move\":\"up\"}"), 200, NULL);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("financing_stage") "/none", "{\"name\":\"未融资\"}"), 200, NULL);
    assert_int_equal(version(w->e), v1);
    /* absolute sort */
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("financing_stage") "/not_needed", "{\"sort\":0}"), 200, NULL);
    r = zt_get(w->e, NULL, "/api/v1/dicts/financing_stage");
    assert_string_equal(zt_str(r, "items.0.code"), "not_needed");
    zt_resp_free(r);

    /* disable: gone from the public list, still listed for staff with the flag */
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("financing_stage") "/pre_ipo", "{\"disabled\":true}"), 200, NULL);
    assert_false(public_has(w->e, "financing_stage", "pre_ipo"));
    assert_string_equal(admin_field(w->e, &w->city, "financing_stage", "pre_ipo", "disabled"), "true");
    /* pages that show names of held codes ask for all=1: disabled ones come marked */
    r = zt_get(w->e, NULL, "/api/v1/dicts/financing_stage?all=1");
    int i = find_code(r, "pre_ipo");
    assert_true(i >= 0);
    assert_true(json_is_true(json_object_get(json_array_get(zt_json(r, "items"), (size_t)i), "disabled")));
    assert_null(json_object_get(json_array_get(zt_json(r, "items"), 0), "disabled"));
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->super, "PUT", ITEMS("financing_stage") "/pre_ipo", "{\"disabled\":false}"), 200, NULL);
    assert_true(public_has(w->e, "financing_stage", "pre_ipo"));

    /* trees: a parent goes after its children, a child comes back after its parent */
    r = zm_send(w->e, &w->city, "PUT", ITEMS("industry") "/K", "{\"disabled\":true}");
    assert_int_equal(r->status, 409);
    assert_non_null(strstr(zt_str(r, "error.message"), "请先停用下级"));
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("industry") "/70", "{\"disabled\":true}"), 200, NULL);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("industry") "/K", "{\"disabled\":true}"), 200, NULL);
    r = zm_send(w->e, &w->city, "PUT", ITEMS("industry") "/70", "{\"disabled\":false}");
    assert_int_equal(r->status, 409);
    assert_non_null(strstr(zt_str(r, "error.message"), "请先启用上级"));
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/dicts/industry?tree=1");
    assert_null(strstr(r->body, "\"房地产业\""));
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/dicts/industry?tree=1&all=1");
    assert_non_null(strstr(r->body, "{\"code\":\"K\",\"name\":\"房地产业\",\"kind\":\"section\",\"disabled\":true,"));
    zt_resp_free(r);
}

static void test_update_bad_input(void **st)
{
    world *w = *st;
    static const char *const bodies[] = {
        "{}",
        "{\"move\":\"left\"}",
        "{\"move\":\"up\",\"sort\":3}",
        "{\"name\":\"\"}",
        "{\"name\":\"超\\u2066小\"}",
        "{\"name\":\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"}",
        "{\"sort\":1000000}",
        "{\"disabled\":\"yes\"}",
        "{\"code\":\"smaller\"}",
    };
    long long v0 = version(w->e), audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        zt_resp *r = zm_send(w->e, &w->city, "PUT", ITEMS("scale") "/small", "%s", bodies[i]);
        if (r->status != 400) fail_msg("body %s: %d %s", bodies[i], r->status, r->body);
        assert_string_equal(zt_str(r, "error.code"), "validation_failed");
        assert_non_null(zt_str(r, "error.message"));
        zt_resp_free(r);
    }
    zt_resp *r = zm_send(w->e, &w->city, "PUT", ITEMS("scale") "/small", "{\"name\":\"中型\"}");
    assert_int_equal(r->status, 409);
    assert_non_null(zt_str(r, "error.fields.name"));
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("scale") "/nothing", "{\"name\":\"某\"}"), 404, "not_found");
    zt_expect(zm_send(w->e, &w->city, "PUT", "/api/v1/admin/dicts/nope/items/small", "{\"name\":\"某\"}"), 404, "not_found");
    assert_int_equal(version(w->e), v0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log"), audits);
    assert_string_equal(admin_field(w->e, &w->city, "scale", "small", "name"), "小型");
    assert_string_equal(admin_field(w->e, &w->city, "scale", "small", "disabled"), "false");
}

/* ---- deleting ---- */

static void test_delete(void **st)
{
    world *w = *st;
    zt_expect(zm_send(w->e, &w->city, "POST", ITEMS("scale"), "{\"code\":\"typo\",\"name\":\"打错的\"}"), 201, NULL);
    long long audits = zm_audits(w->e, "dict.item.delete");
    zt_resp *r = zm_send(w->e, &w->city, "DELETE", ITEMS("scale") "/typo", NULL);
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "deleted")));
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM dict_item WHERE code = 'typo'"), 0);
    assert_int_equal(zm_audits(w->e, "dict.item.delete"), audits + 1);
    assert_false(public_has(w->e, "scale", "typo"));

    long long items = zt_count(w->e, "SELECT COUNT(*) FROM dict_item"), v0 = version(w->e);
    /* in use by the fixture firm */
    r = zm_send(w->e, &w->city, "DELETE", ITEMS("scale") "/small", NULL);
    assert_int_equal(r->status, 409);
    assert_string_equal(zt_str(r, "error.code"), "conflict");
    assert_non_null(strstr(zt_str(r, "error.message"), "1 家企业"));
    assert_non_null(strstr(zt_str(r, "error.message"), "停用"));
    zt_resp_free(r);
    /* a district held by a firm, a clerk and audit records */
    r = zm_send(w->e, &w->city, "DELETE", ITEMS("region") "/350102", NULL);
    assert_int_equal(r->status, 409);
    assert_non_null(strstr(zt_str(r, "error.message"), "商务局账号"));
    zt_resp_free(r);
    /* a characteristic a firm ticked; an industry a firm is in */
    zt_execf(w->e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'srdi')", (long long)w->ent);
    zt_expect(zm_send(w->e, &w->city, "DELETE", ITEMS("characteristic") "/srdi", NULL), 409, "conflict");
    zt_expect(zm_send(w->e, &w->city, "DELETE", ITEMS("industry") "/13", NULL), 409, "conflict");
    zt_execf(w->e, "UPDATE enterprise SET trade_type = 'both', staff_size = 'lt20', financing_stage = 'angel' WHERE id = %lld",
             (long long)w->ent);
    zt_expect(zm_send(w->e, &w->city, "DELETE", ITEMS("trade_type") "/both", NULL), 409, "conflict");
    zt_expect(zm_send(w->e, &w->city, "DELETE", ITEMS("staff_size") "/lt20", NULL), 409, "conflict");
    zt_expect(zm_send(w->e, &w->city, "DELETE", ITEMS("financing_stage") "/angel", NULL), 409, "conflict");
    /* a parent with children */
    r = zm_send(w->e, &w->city, "DELETE", ITEMS("industry") "/T", NULL);
    assert_int_equal(r->status, 409);
    assert_non_null(strstr(zt_str(r, "error.message"), "下级"));
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->city, "DELETE", ITEMS("scale") "/nothing", NULL), 404, "not_found");
    zt_expect(zm_send(w->e, &w->city, "DELETE", ITEMS("scale") "/medium", "{\"force\":true}"), 400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM dict_item"), items);
    assert_int_equal(version(w->e), v0);
    /* the editor shows how much each item is used */
    assert_string_equal(admin_field(w->e, &w->city, "region", "350102", "usage"), "2");
}

/* ---- a disabled item on the enterprise form ---- */

static void test_disabled_on_form(void **st)
{
    world *w = *st;
    zt_execf(w->e, "UPDATE enterprise SET trade_type = 'export' WHERE id = %lld", (long long)w->ent);
    zt_execf(w->e, "INSERT INTO enterprise_characteristic(enterprise_id, code) VALUES (%lld, 'private'), (%lld, 'hmt')",
             (long long)w->ent, (long long)w->ent);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("characteristic") "/hmt", "{\"disabled\":true}"), 200, NULL);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("characteristic") "/listed", "{\"disabled\":true}"), 200, NULL);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("scale") "/small", "{\"disabled\":true}"), 200, NULL);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("trade_type") "/export", "{\"disabled\":true}"), 200, NULL);
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("scale") "/medium", "{\"disabled\":true}"), 200, NULL);

    /* the bureau's directory still reaches the firms that hold a disabled item */
    zt_resp *d = zt_get(w->e, &w->city, "/api/v1/admin/enterprises?scale=small");
    assert_int_equal(d->status, 200);
    assert_int_equal(zt_int(d, "total"), 1);
    zt_resp_free(d);

    /* the firm keeps its disabled scale and trade type while editing other fields */
    zt_resp *r = zm_send(w->e, &w->user, "PATCH", "/api/v1/enterprise", "{\"address\":\"福州市鼓楼区五四路1号\"}");
    if (r->status != 200) fail_msg("%s", r->body);
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->user, "PATCH", "/api/v1/enterprise", "{\"scale\":\"small\",\"trade_type\":\"export\"}"), 200, NULL);
    zt_expect(zm_send(w->e, &w->user, "PATCH", "/api/v1/enterprise", "{\"characteristics\":[\"hmt\",\"srdi\"]}"), 200, NULL);
    r = zm_send(w->e, &w->user, "PATCH", "/api/v1/enterprise", "{\"characteristics\":[\"hmt\",\"listed\"]}");
    assert_int_equal(r->status, 400);
    assert_string_equal(zt_str(r, "error.fields.characteristics"), "「上市企业」已停用，请重新选择企业特性");
    zt_resp_free(r);
    /* but cannot newly pick a disabled one */
    r = zm_send(w->e, &w->user, "PATCH", "/api/v1/enterprise", "{\"scale\":\"medium\"}");
    assert_int_equal(r->status, 400);
    assert_string_equal(zt_str(r, "error.fields.scale"), "「中型」已停用，请重新选择企业规模");
    zt_resp_free(r);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM enterprise WHERE id = %lld AND scale = 'small'", (long long)w->ent), 1);
    /* moving away from it works, and then it cannot be picked back */
    zt_expect(zm_send(w->e, &w->user, "PATCH", "/api/v1/enterprise", "{\"trade_type\":\"both\"}"), 200, NULL);
    r = zm_send(w->e, &w->user, "PATCH", "/api/v1/enterprise", "{\"trade_type\":\"export\"}");
    assert_int_equal(r->status, 400);
    assert_non_null(strstr(zt_str(r, "error.fields.trade_type"), "已停用"));
    zt_resp_free(r);

    /* a new registration cannot choose a disabled item */
    long long firms = zt_count(w->e, "SELECT COUNT(*) FROM enterprise");
    char uscc[19];
    zr_uscc(77, uscc);
    json_t *form = zr_form(uscc, "13900000077");
    zt_client c;
    zt_client_init(&c);
    r = zr_register(w->e, &c, form);
    assert_int_equal(r->status, 400);
    assert_non_null(strstr(zt_str(r, "error.fields.scale"), "「小型」已停用"));
    zt_resp_free(r);
    /* a disabled district is refused on a new form too */
    zt_expect(zm_send(w->e, &w->city, "PUT", ITEMS("region") "/350103", "{\"disabled\":true}"), 200, NULL);
    zr_set(form, "scale", "large");
    zr_set(form, "region", "350103");
    zr_set(form, "contact_phone", "13900000078"); /* a fresh phone: one SMS a minute per phone */
    r = zr_register(w->e, &c, form);
    assert_int_equal(r->status, 400);
    assert_non_null(strstr(zt_str(r, "error.fields.region"), "「台江区」已停用"));
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM enterprise"), firms);
    zr_set(form, "region", "350102");
    zr_set(form, "contact_phone", "13900000079");
    r = zr_register(w->e, &c, form);
    assert_int_equal(r->status, 201);
    zt_resp_free(r);
    json_decref(form);
}

/* ---- freshness across instances ---- */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_second_instance_sees_edit(void **st)
{
    world *w = *st;
    /* instance B: its own app (pool, cache) over the same database */
    zt_env b = {.app = zt_instance(w->e)};

    zt_resp *r = zt_get(&b, NULL, "/api/v1/dicts/trade_type"); /* B caches the old rendering */
    char etag[64];
    snprintf(etag, sizeof etag, "%s", zt_header(r, "ETag"));
    assert_int_equal(find_code(r, "reexport"), -1);
    zt_resp_free(r);
    r = zt_get(&b, NULL, "/api/v1/dicts/trade_type");
    assert_string_equal(zt_header(r, "ETag"), etag); /* served from B's cache */
    zt_resp_free(r);

    zt_expect(zm_send(w->e, &w->city, "POST", ITEMS("trade_type"), "{\"code\":\"reexport\",\"name\":\"转口贸易\"}"), 201, NULL);
    int64_t t0 = mono_ms(), seen_after = -1;
    while (mono_ms() - t0 < 1500) {
        r = zt_get(&b, NULL, "/api/v1/dicts/trade_type");
        bool has = find_code(r, "reexport") >= 0;
        if (has) assert_string_not_equal(zt_header(r, "ETag"), etag);
        zt_resp_free(r);
        if (has) {
            seen_after = mono_ms() - t0;
            break;
        }
        struct timespec nap = {0, 20 * 1000000};
        nanosleep(&nap, NULL);
    }
    if (seen_after < 0 || seen_after > 1000) fail_msg("instance B showed the edit after %lld ms", (long long)seen_after);

    /* a disable made on B reaches A the same way */
    r = zt_get(w->e, NULL, "/api/v1/dicts/trade_type");
    zt_resp_free(r);
    zt_client bc;
    zr_staff(&b, &bc, "cityclerk2", "city", NULL);
    zt_expect(zm_send(&b, &bc, "PUT", ITEMS("trade_type") "/reexport", "{\"disabled\":true}"), 200, NULL);
    t0 = mono_ms();
    seen_after = -1;
    while (mono_ms() - t0 < 1500) {
        if (!public_has(w->e, "trade_type", "reexport")) {
            seen_after = mono_ms() - t0;
            break;
        }
        struct timespec nap = {0, 20 * 1000000};
        nanosleep(&nap, NULL);
    }
    if (seen_after < 0 || seen_after > 1000) fail_msg("instance A showed the edit after %lld ms", (long long)seen_after);
    zq_app_free(b.app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_admin_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_flat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled_on_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_instance_sees_edit, setup, teardown),
    };
    return cmocka_run_group_tests_name("dicts", tests, NULL, NULL);
}
