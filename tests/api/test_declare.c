/*
 * test_declare.c — API tests of project declarations (issue 13): a call's
 * life cycle (draft, publish with notifications to the firms it targets,
 * extend, close, results on the portal), bad call bodies storing nothing,
 * the download-first rule, one application per firm (50 concurrent creates
 * → one), targeting (a firm outside the conditions gets 404), submit with
 * every missing field and slot named, disallowed types, immutability after
 * submit (409 on every write), the window enforced on the server at its
 * boundaries, withdraw, 受理 (accept by level, withdraw refused after it,
 * a decision implying it), review by level (district pass, wrong level and
 * other district refused, return and resubmit with both versions kept,
 * city scores and approval), district scope on bureau routes, the receipt,
 * the materials zip (names in Chinese, nothing climbing out of its folder),
 * and the reminders. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/zt_raw.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "support/fixtures_reg.h"
#include "core/clock.h"
#include "db/db.h"
#include "declare/declare.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

static const char PDF[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89};

typedef struct {
    zt_env *e;
    zt_client city, gulou, taijiang;  /* staff: city-wide, 鼓楼区, 台江区 */
    zt_client a, b, x;                /* legal reps: A 鼓楼, B 台江, X 晋安 (outside the targets) */
    int64_t ent_a, ent_b, ent_x;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zm_enterprise(w->e, &w->a, "福州闽江外贸有限公司", "13900000001", NULL);
    w->ent_b = zm_enterprise(w->e, &w->b, "福州台江外贸有限公司", "13900000002", NULL);
    w->ent_x = zm_enterprise(w->e, &w->x, "福州晋安软件有限公司", "13900000003", NULL);
    zt_execf(w->e, "UPDATE enterprise SET region = '350102' WHERE id = %lld", (long long)w->ent_a);
    zt_execf(w->e, "UPDATE enterprise SET region = '350103' WHERE id = %lld", (long long)w->ent_b);
    zt_execf(w->e, "UPDATE enterprise SET region = '350111' WHERE id = %lld", (long long)w->ent_x);
    /* district clerks here may also run calls (the zip scope is theirs) */
    zt_exec(w->e, "INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'declaration.manage' FROM staff_role_def"
                  " WHERE builtin = 'district'");
    zr_staff(w->e, &w->city, "city1", "city", NULL);
    zr_staff(w->e, &w->gulou, "gulou1", "district", "350102");
    zr_staff(w->e, &w->taijiang, "taijiang1", "district", "350103");
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

/* "YYYY-MM-DDTHH:MM:SS+08:00" of now + delta seconds. */
static const char *at(long long delta)
{
    static char buf[4][32];
    static int k;
    k = (k + 1) % 4;
    zq_time_iso((int64_t)time(NULL) + delta, buf[k]);
    return buf[k];
}

/* The field error under key (keys hold dots: "fields.amount"). */
static const char *fe(const zt_resp *r, const char *key)
{
    return json_string_value(json_object_get(zt_json(r, "error.fields"), key));
}

static int64_t upload_as(world *w, zt_client *c, const char *url, const char *name, const void *body, size_t len)
{
    char p[300];
    snprintf(p, sizeof p, "%s?name=%s", url, name);
    zt_resp *r = zt_raw(w->e, c, "POST", p, body, len, "Content-Type: application/octet-stream\n");
    if (r->status != 201) fail_msg("upload %s: %d %s", name, r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

/* A call body: template tpl (0 = none), slot plan (pdf, required), fields
 * amount (required) and intro (optional), district + city with criteria. */
static char *call_body(const char *title, long long open_d, long long close_d, int64_t tpl)
{
    char *b = malloc(4096);
    snprintf(b, 4096,
             "{\"title\":\"%s\",\"body_html\":\"<p>支持外贸企业开拓海外市场<script>x</script></p>\","
             "\"department\":\"福州市商务局\",\"targets\":{\"regions\":[\"350102\",\"350103\"]},"
             "\"open_at\":\"%s\",\"close_at\":\"%s\",\"templates\":[%s],"
             "\"slots\":[{\"key\":\"plan\",\"name\":\"项目计划书\",\"required\":true,\"types\":[\"pdf\"],\"max_mb\":5}],"
             "\"fields\":[{\"key\":\"amount\",\"label\":\"申请金额(万元)\",\"type\":\"amount\",\"required\":true},"
             "{\"key\":\"intro\",\"label\":\"项目简介\",\"type\":\"textarea\",\"required\":false}],"
             "\"levels\":[\"district\",\"city\"],\"criteria\":[{\"name\":\"创新性\",\"weight\":60},{\"name\":\"可行性\",\"weight\":40}]}",
             title, at(open_d), at(close_d), tpl ? zt_path("%lld", tpl) : "");
    return b;
}

static int64_t create_call(world *w, const char *title, long long open_d, long long close_d, int64_t tpl)
{
    char *b = call_body(title, open_d, close_d, tpl);
    zt_resp *r = zt_post(w->e, &w->city, "/api/v1/admin/declarations", b);
    free(b);
    if (r->status != 201) fail_msg("create %d: %s", r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

static void publish(world *w, int64_t id)
{
    zt_resp *r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/publish", id), "{}");
    if (r->status != 200) fail_msg("publish %d: %s", r->status, r->body);
    zt_resp_free(r);
}

/* A published, open call without templates (no download needed). */
static int64_t open_call(world *w, const char *title)
{
    int64_t id = create_call(w, title, -3600, 7 * 86400, 0);
    publish(w, id);
    return id;
}

static int64_t apply(world *w, zt_client *c, int64_t call)
{
    zt_resp *r = zt_post(w->e, c, zt_path("/api/v1/enterprise/declarations/%lld/application", call), "{}");
    if (r->status != 201) fail_msg("apply %d: %s", r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

/* Fills (amount 120, plan = a fresh PDF named name) and submits. */
static void fill_submit(world *w, zt_client *c, int64_t app, const char *name)
{
    int64_t up = upload_as(w, c, "/api/v1/uploads", name, PDF, sizeof PDF - 1);
    char body[200];
    snprintf(body, sizeof body, "{\"fields\":{\"amount\":120},\"materials\":{\"plan\":[%lld]}}", (long long)up);
    zt_resp *r = zt_req(w->e, c, "PUT", zt_path("/api/v1/enterprise/applications/%lld", app), body, NULL);
    if (r->status != 200) fail_msg("put %d: %s", r->status, r->body);
    zt_resp_free(r);
    r = zt_post(w->e, c, zt_path("/api/v1/enterprise/applications/%lld/submit", app), "{}");
    if (r->status != 200) fail_msg("submit %d: %s", r->status, r->body);
    zt_resp_free(r);
}

/* The zip in r's body, opened from memory (NULL when it is not one). */
static zip_t *zip_of(const zt_resp *r)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(r->body, r->len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (src && !z) zip_source_free(src);
    zip_error_fini(&ze);
    return z;
}

static zt_resp *review(world *w, zt_client *c, int64_t app, const char *body)
{
    return zt_post(w->e, c, zt_path("/api/v1/admin/applications/%lld/review", app), body);
}

/* A call open now with A's and B's applications submitted; the call's id. */
static int64_t submitted_pair(world *w, const char *title, int64_t *a, int64_t *b)
{
    int64_t id = open_call(w, title);
    *a = apply(w, &w->a, id);
    *b = apply(w, &w->b, id);
    fill_submit(w, &w->a, *a, "a.pdf");
    fill_submit(w, &w->b, *b, "b.pdf");
    return id;
}

static long long app_status_is(world *w, int64_t app, const char *status)
{
    return zt_countf(w->e, "SELECT COUNT(*) FROM decl_app WHERE id = %lld AND status = '%s'", (long long)app, status);
}

/* Whether the list at path, as c sees it, holds the item id. */
static bool listed(world *w, zt_client *c, const char *path, int64_t id)
{
    zt_resp *r = zt_get(w->e, c, path);
    if (r->status != 200) fail_msg("list %s: %d %s", path, r->status, r->body);
    bool found = false;
    json_t *items = zt_json(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        found |= json_integer_value(json_object_get(json_array_get(items, i), "id")) == id;
    zt_resp_free(r);
    return found;
}

/* ---- calls ---- */

static void test_call_bad_input_stores_nothing(void **st)
{
    world *w = *st;
    long long before = zt_count(w->e, "SELECT COUNT(*) FROM decl_call");
    const char *bad[][2] = {
        {"{\"title\":\"\",\"body_html\":\"<p>x</p>\",\"open_at\":\"2026-01-01T00:00:00+08:00\",\"close_at\":\"2026-02-01T00:00:00+08:00\"}", "title"},
        {"{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"open_at\":\"2026-01-01 00:00\",\"close_at\":\"2026-02-01T00:00:00+08:00\"}", "open_at"},
        {"{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"open_at\":\"2026-03-01T00:00:00+08:00\",\"close_at\":\"2026-02-01T00:00:00+08:00\"}", "close_at"},
        {"{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"open_at\":\"2026-01-01T00:00:00+08:00\",\"close_at\":\"2026-02-01T00:00:00+08:00\","
         "\"slots\":[{\"key\":\"plan\",\"name\":\"计划书\",\"types\":[\"exe\"]}]}", "slots[0].types"},
        {"{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"open_at\":\"2026-01-01T00:00:00+08:00\",\"close_at\":\"2026-02-01T00:00:00+08:00\","
         "\"fields\":[{\"key\":\"k\",\"label\":\"选项\",\"type\":\"single\",\"options\":[\"a\"]}]}", "fields[0].options"},
        {"{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"open_at\":\"2026-01-01T00:00:00+08:00\",\"close_at\":\"2026-02-01T00:00:00+08:00\","
         "\"criteria\":[{\"name\":\"a\",\"weight\":30}]}", "criteria"},
        {"{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"open_at\":\"2026-01-01T00:00:00+08:00\",\"close_at\":\"2026-02-01T00:00:00+08:00\","
         "\"templates\":[999999]}", "templates[0]"},
        {"{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"open_at\":\"2026-01-01T00:00:00+08:00\",\"close_at\":\"2026-02-01T00:00:00+08:00\","
         "\"levels\":[\"city\",\"district\"]}", "levels"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zt_resp *r = zt_post(w->e, &w->city, "/api/v1/admin/declarations", bad[i][0]);
        const char *why = fe(r, bad[i][1]);
        if (r->status != 400 || !why) fail_msg("case %zu: %d %s", i, r->status, r->body);
        /* Chinese reasons */
        assert_true((unsigned char)why[0] >= 0x80 || strstr(why, "YYYY") || strstr(why, "["));
        zt_expect(r, 400, "validation_failed");
    }
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM decl_call"), before);
}

static void test_publish_notifies_targets_and_portal(void **st)
{
    world *w = *st;
    int64_t id = create_call(w, "2026年度福州市外贸发展专项资金项目申报", -60, 10 * 86400, 0);
    /* a draft is nobody's yet */
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/declarations/%lld", id)), 404, "not_found");
    zt_expect(zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/declarations/%lld", id)), 404, "not_found");
    publish(w, id);
    /* the body went through the sanitizer */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_call WHERE id = %lld AND body_html LIKE '%%script%%'", (long long)id), 0);
    /* the firms in its regions heard of it, the one outside did not */
    assert_true(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'declaration' AND ref_id = %lld AND enterprise_id = %lld",
                          (long long)id, (long long)w->ent_a) >= 1);
    assert_true(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'declaration' AND ref_id = %lld AND enterprise_id = %lld",
                          (long long)id, (long long)w->ent_b) >= 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'declaration' AND ref_id = %lld AND enterprise_id = %lld",
                               (long long)id, (long long)w->ent_x), 0);
    /* and by SMS (项目申报: on by default) with the call's title; nothing to the firm outside */
    assert_true(zt_countf(w->e, "SELECT COUNT(*) FROM notify_outbox WHERE channel = 'sms' AND ref_type = 'declaration'"
                                " AND ref_id = %lld AND enterprise_id = %lld AND template_code = 'declaration.published'"
                                " AND body LIKE '%%外贸发展专项资金%%'", (long long)id, (long long)w->ent_a) >= 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM notify_outbox WHERE ref_type = 'declaration' AND ref_id = %lld"
                                     " AND enterprise_id = %lld", (long long)id, (long long)w->ent_x), 0);
    /* publishing twice is refused and tells nobody twice */
    long long msgs = zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'declaration' AND ref_id = %lld", (long long)id);
    zt_expect(zt_post(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/publish", id), "{}"), 409, "conflict");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'declaration' AND ref_id = %lld", (long long)id), msgs);
    /* the portal: listed as 申报中, found by a two-character keyword */
    zt_resp *r = zt_get(w->e, NULL, "/api/v1/declarations?status=open&q=%E5%A4%96%E8%B4%B8");
    assert_int_equal(r->status, 200);
    bool found = false;
    json_t *items = zt_json(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        found |= json_integer_value(json_object_get(json_array_get(items, i), "id")) == id;
    assert_true(found);
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/declarations?status=upcoming");
    assert_int_equal(r->status, 200);
    items = zt_json(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_true(json_integer_value(json_object_get(json_array_get(items, i), "id")) != id);
    zt_resp_free(r);
    /* a date window with a state word or a keyword: each one narrows */
    assert_true(listed(w, NULL, "/api/v1/declarations?status=open&from=2020-01-01", id));
    assert_false(listed(w, NULL, "/api/v1/declarations?to=2020-01-01&q=%E5%A4%96%E8%B4%B8", id));
    assert_false(listed(w, NULL, "/api/v1/declarations?status=closed&q=%E5%A4%96%E8%B4%B8", id));
    zt_expect(zt_get(w->e, NULL, "/api/v1/declarations?status=soon"), 400, "validation_failed");
    /* the firm outside the targets can neither see nor apply */
    zt_expect(zt_get(w->e, &w->x, zt_path("/api/v1/enterprise/declarations/%lld", id)), 404, "not_found");
    zt_expect(zt_post(w->e, &w->x, zt_path("/api/v1/enterprise/declarations/%lld/application", id), "{}"), 404, "not_found");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_app WHERE call_id = %lld", (long long)id), 0);
    r = zt_get(w->e, &w->x, "/api/v1/enterprise/declarations");
    items = zt_json(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_true(json_integer_value(json_object_get(json_array_get(items, i), "id")) != id);
    zt_resp_free(r);
    /* a published call is not edited, it is extended: firms are told */
    char *b = call_body("改标题", -60, 10 * 86400, 0);
    zt_expect(zt_req(w->e, &w->city, "PUT", zt_path("/api/v1/admin/declarations/%lld", id), b, NULL), 409, "conflict");
    free(b);
    zt_expect(zt_post(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/extend", id), "{\"close_at\":\"2020-01-01T00:00:00+08:00\"}"),
              400, "validation_failed");
    char ext[80];
    snprintf(ext, sizeof ext, "{\"close_at\":\"%s\"}", at(20 * 86400));
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/extend", id), ext);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    assert_true(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE template_code = 'declaration.extended' AND ref_id = %lld"
                                " AND enterprise_id = %lld", (long long)id, (long long)w->ent_a) >= 1);
}

/* ---- the enterprise ---- */

/* (template_count, templates_downloaded) of call `id` in c's 我的项目申报 list; fails when it is not listed */
static void listed_templates(world *w, zt_client *c, int64_t id, long long *count, bool *downloaded)
{
    zt_resp *r = zt_get(w->e, c, "/api/v1/enterprise/declarations");
    assert_int_equal(r->status, 200);
    json_t *items = zt_json(r, "items"), *it = NULL;
    for (size_t i = 0; i < json_array_size(items) && !it; i++)
        if (json_integer_value(json_object_get(json_array_get(items, i), "id")) == id) it = json_array_get(items, i);
    assert_non_null(it);
    assert_true(json_is_integer(json_object_get(it, "template_count")));
    *count = json_integer_value(json_object_get(it, "template_count"));
    *downloaded = json_is_true(json_object_get(it, "templates_downloaded"));
    zt_resp_free(r);
}

/* the list and the record say whether a call has templates to download, so the UI offers 下载申报附件 only then */
static void test_template_count_in_list_and_record(void **st)
{
    world *w = *st;
    int64_t tpl = upload_as(w, &w->city, "/api/v1/admin/uploads", "%E6%A8%A1%E6%9D%BF.pdf", PDF, sizeof PDF - 1);
    int64_t with = create_call(w, "有模板的申报", -60, 10 * 86400, tpl);
    publish(w, with);
    int64_t without = open_call(w, "无模板的申报");
    long long count = -1;
    bool downloaded = true;
    listed_templates(w, &w->a, with, &count, &downloaded);
    assert_int_equal(count, 1);
    assert_false(downloaded);
    listed_templates(w, &w->a, without, &count, &downloaded);
    assert_int_equal(count, 0);
    assert_true(downloaded);
    zt_resp *r = zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/declarations/%lld", with));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "template_count"), 1);
    assert_int_equal(json_array_size(zt_json(r, "templates")), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/declarations/%lld", without));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "template_count"), 0);
    assert_true(json_is_true(zt_json(r, "templates_downloaded")));
    zt_resp_free(r);
    /* and the firm without templates applies at once */
    assert_true(apply(w, &w->a, without) > 0);
}

static void test_download_first_and_one_per_firm(void **st)
{
    world *w = *st;
    int64_t tpl = upload_as(w, &w->city, "/api/v1/admin/uploads", "%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf", PDF, sizeof PDF - 1);
    /* a firm cannot upload as the bureau */
    zt_resp *r = zt_raw(w->e, &w->a, "POST", "/api/v1/admin/uploads?name=x.pdf", PDF, sizeof PDF - 1,
                        "Content-Type: application/octet-stream\n");
    assert_int_equal(r->status, 403);
    zt_resp_free(r);
    int64_t id = create_call(w, "跨境电商公共海外仓扶持", -60, 10 * 86400, tpl);
    publish(w, id);
    r = zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/declarations/%lld", id));
    assert_int_equal(r->status, 200);
    assert_false(json_is_true(zt_json(r, "templates_downloaded")));
    zt_resp_free(r);
    r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/declarations/%lld/application", id), "{}");
    assert_int_equal(r->status, 422);
    assert_string_equal(zt_str(r, "error.message"), "请先下载申报附件后再进行项目申报");
    zt_expect(r, 422, "templates_not_downloaded");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_app WHERE call_id = %lld", (long long)id), 0);
    /* anyone may download a published call's template; the firm's member's download counts */
    r = zt_get(w->e, NULL, zt_path("/api/v1/declarations/%lld/templates/", id));
    zt_resp_free(r);
    char p[120];
    snprintf(p, sizeof p, "/api/v1/declarations/%lld/templates/%lld", (long long)id, (long long)tpl);
    r = zt_get(w->e, NULL, p);
    assert_int_equal(r->status, 200);
    assert_int_equal(r->len, sizeof PDF - 1);
    assert_memory_equal(r->body, PDF, sizeof PDF - 1);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_download WHERE call_id = %lld", (long long)id), 0);
    r = zt_get(w->e, &w->a, p);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    /* B takes the 批量下载 zip instead */
    r = zt_get(w->e, &w->b, zt_path("/api/v1/enterprise/declarations/%lld/templates.zip", id));
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(zt_header(r, "Content-Type"), "application/zip"));
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_download WHERE call_id = %lld", (long long)id), 2);
    int64_t app = apply(w, &w->a, id);
    assert_true(app > 0);
    zt_expect(zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/declarations/%lld/application", id), "{}"), 409, "conflict");
    assert_int_equal(apply(w, &w->b, id) > 0, 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_app WHERE call_id = %lld", (long long)id), 2);
    /* another firm's application is nobody else's */
    zt_expect(zt_get(w->e, &w->b, zt_path("/api/v1/enterprise/applications/%lld", app)), 404, "not_found");
    zt_expect(zt_req(w->e, &w->b, "PUT", zt_path("/api/v1/enterprise/applications/%lld", app), "{\"fields\":{}}", NULL), 404,
              "not_found");
}

typedef struct {
    zt_env *e;
    zt_client c;
    int64_t call;
    int status;
} racer;

static void *race(void *arg)
{
    racer *x = arg;
    zt_resp *r = zt_post(x->e, &x->c, zt_path("/api/v1/enterprise/declarations/%lld/application", x->call), "{}");
    x->status = r->status;
    zt_resp_free(r);
    return NULL;
}

static void test_concurrent_creates_one(void **st)
{
    world *w = *st;
    int64_t id = open_call(w, "并发申报测试");
    enum { N = 50 };
    racer x[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        x[i] = (racer){.e = w->e, .c = w->a, .call = id};
        assert_int_equal(pthread_create(&t[i], NULL, race, &x[i]), 0);
    }
    int created = 0, conflict = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        created += x[i].status == 201;
        conflict += x[i].status == 409;
    }
    assert_int_equal(created, 1);
    /* the others are refused (409), or shed as busy under the pool's limit, never a second row */
    assert_true(conflict >= 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_app WHERE call_id = %lld", (long long)id), 1);
}

static void test_window_on_server_clock(void **st)
{
    world *w = *st;
    int64_t id = create_call(w, "尚未开始的申报", 3600, 7200, 0);
    publish(w, id);
    zt_resp *r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/declarations/%lld/application", id), "{}");
    assert_string_equal(zt_str(r, "error.message"), "申报尚未开始");
    zt_expect(r, 422, "business_rule");
    /* open from exactly open_at */
    zt_execf(w->e, "UPDATE decl_call SET open_at = %lld WHERE id = %lld", (long long)time(NULL) - 1, (long long)id);
    int64_t app = apply(w, &w->a, id);
    int64_t up = upload_as(w, &w->a, "/api/v1/uploads", "plan.pdf", PDF, sizeof PDF - 1);
    char body[160];
    snprintf(body, sizeof body, "{\"fields\":{\"amount\":50},\"materials\":{\"plan\":[%lld]}}", (long long)up);
    r = zt_req(w->e, &w->a, "PUT", zt_path("/api/v1/enterprise/applications/%lld", app), body, NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    /* closed from exactly close_at: the draft can no longer be submitted */
    zt_execf(w->e, "UPDATE decl_call SET close_at = %lld WHERE id = %lld", (long long)time(NULL), (long long)id);
    r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/submit", app), "{}");
    assert_string_equal(zt_str(r, "error.message"), "申报已截止");
    zt_expect(r, 422, "business_rule");
    assert_int_equal(app_status_is(w, app, "draft"), 1);
    zt_execf(w->e, "UPDATE decl_call SET close_at = %lld WHERE id = %lld", (long long)time(NULL) + 5, (long long)id);
    r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/submit", app), "{}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
}

static void test_submit_checks_and_immutability(void **st)
{
    world *w = *st;
    int64_t id = open_call(w, "材料校验测试");
    int64_t app = apply(w, &w->a, id);
    /* every missing required field and slot is named */
    zt_resp *r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/submit", app), "{}");
    assert_string_equal(fe(r, "fields.amount"), "请填写「申请金额(万元)」");
    assert_string_equal(fe(r, "materials.plan"), "请上传「项目计划书」");
    assert_null(fe(r, "fields.intro"));
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(app_status_is(w, app, "draft"), 1);
    /* a disallowed type, another firm's file, a bad amount: refused, nothing stored */
    int64_t png = upload_as(w, &w->a, "/api/v1/uploads", "photo.png", PNG, sizeof PNG);
    int64_t theirs = upload_as(w, &w->b, "/api/v1/uploads", "b.pdf", PDF, sizeof PDF - 1);
    const char *bodies[][2] = {
        {"{\"materials\":{\"plan\":[%lld]}}", "materials.plan"},
        {"{\"materials\":{\"plan\":[%lld]}}", "materials.plan"},
        {"{\"fields\":{\"amount\":\"很多\"},\"x\":%lld}", "fields.amount"},
        {"{\"fields\":{\"nope\":%lld}}", "fields.nope"},
    };
    int64_t ids[] = {png, theirs, 0, 1};
    for (size_t i = 0; i < 4; i++) {
        char body[200];
        snprintf(body, sizeof body, bodies[i][0], (long long)ids[i]);
        r = zt_req(w->e, &w->a, "PUT", zt_path("/api/v1/enterprise/applications/%lld", app), body, NULL);
        if (r->status != 400 || !fe(r, bodies[i][1])) fail_msg("case %zu: %d %s", i, r->status, r->body);
        zt_resp_free(r);
    }
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_material WHERE app_id = %lld", (long long)app), 0);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_app WHERE id = %lld AND fields_json = '{}'", (long long)app), 1);
    fill_submit(w, &w->a, app, "%E8%AE%A1%E5%88%92%E4%B9%A6.pdf");
    r = zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld", app));
    assert_string_equal(zt_str(r, "status"), "submitted");
    const char *no = zt_str(r, "no");
    assert_non_null(no);
    assert_int_equal(strncmp(no, "SB", 2), 0);
    char saved_no[40];
    snprintf(saved_no, sizeof saved_no, "%s", no);
    zt_resp_free(r);
    /* after submit every write answers 409 and changes nothing */
    long long events = zt_countf(w->e, "SELECT COUNT(*) FROM decl_event WHERE app_id = %lld", (long long)app);
    zt_expect(zt_req(w->e, &w->a, "PUT", zt_path("/api/v1/enterprise/applications/%lld", app), "{\"fields\":{\"amount\":1}}", NULL),
              409, "conflict");
    zt_expect(zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/submit", app), "{}"), 409, "conflict");
    zt_expect(zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/declarations/%lld/application", id), "{}"), 409, "conflict");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_event WHERE app_id = %lld", (long long)app), events);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_app WHERE id = %lld AND fields_json = '{\"amount\":120}'", (long long)app), 1);
    /* the receipt: number, the material's SHA-256, no script allowed */
    r = zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/receipt", app));
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(zt_header(r, "Content-Type"), "text/html"));
    assert_non_null(strstr(r->body, saved_no));
    assert_non_null(strstr(r->body, "计划书.pdf"));
    char sha[80];
    long long n = zt_countf(w->e, "SELECT COUNT(*) FROM upload WHERE name = '计划书.pdf'");
    assert_true(n >= 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld", app));
    snprintf(sha, sizeof sha, "%s", json_string_value(json_object_get(json_array_get(zt_json(r, "materials.plan"), 0), "sha256")));
    zt_resp_free(r);
    assert_int_equal(strlen(sha), 64);
    r = zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/receipt", app));
    assert_non_null(strstr(r->body, sha));
    assert_null(strstr(r->body, "<script"));
    bool strict = false;
    for (const char *h = r->headers; (h = strstr(h, "Content-Security-Policy: ")); h++) strict |= strncmp(h + 25, "default-src 'none'", 18) == 0;
    assert_true(strict);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->b, zt_path("/api/v1/enterprise/applications/%lld/receipt", app)), 404, "not_found");
    /* withdraw before review starts */
    zt_expect(zt_post(w->e, &w->b, zt_path("/api/v1/enterprise/applications/%lld/withdraw", app), "{}"), 404, "not_found");
    r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/withdraw", app), "{}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "withdrawn");
    zt_resp_free(r);
    r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/submit", app), "{}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "no"), saved_no);
    zt_resp_free(r);
}

/* ---- review ---- */

static void test_review_levels_return_resubmit_scores(void **st)
{
    world *w = *st;
    int64_t a, b, id = submitted_pair(w, "审核流程测试", &a, &b);
    /* the district pre-reviews: not the city, not another district */
    zt_resp *r = review(w, &w->city, a, "{\"decision\":\"pass\"}");
    assert_non_null(strstr(zt_str(r, "error.message"), "区县初审"));
    zt_expect(r, 422, "business_rule");
    zt_expect(review(w, &w->taijiang, a, "{\"decision\":\"pass\"}"), 404, "not_found");
    zt_expect(review(w, &w->gulou, a, "{\"decision\":\"return\"}"), 400, "validation_failed");
    zt_expect(review(w, &w->gulou, a, "{\"decision\":\"maybe\"}"), 400, "validation_failed");
    assert_int_equal(app_status_is(w, a, "submitted"), 1);
    /* the district's lists are its own */
    r = zt_get(w->e, &w->gulou, zt_path("/api/v1/admin/declarations/%lld/applications", id));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(zt_json(r, "items"), 0), "id")), a);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/applications", id));
    assert_int_equal(zt_int(r, "total"), 2);
    assert_int_equal(zt_int(r, "by_status.submitted"), 2);
    assert_int_equal(zt_int(r, "by_region.350103"), 1);
    zt_resp_free(r);
    /* district and keyword together: 台江's firm only within 台江 */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/applications?region=350103&q=%%E5%%8F%%B0%%E6%%B1%%9F", id));
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), b);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/applications?region=350102&q=%%E5%%8F%%B0%%E6%%B1%%9F", id));
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    /* the firm's own list by status: its application, never another firm's */
    assert_true(listed(w, &w->a, "/api/v1/enterprise/applications?status=submitted", a));
    assert_false(listed(w, &w->a, "/api/v1/enterprise/applications?status=submitted", b));
    assert_false(listed(w, &w->a, "/api/v1/enterprise/applications?status=returned", a));
    zt_expect(zt_get(w->e, &w->taijiang, zt_path("/api/v1/admin/applications/%lld", a)), 404, "not_found");
    /* return for correction with a reason; the firm edits and resubmits */
    r = review(w, &w->gulou, a, "{\"decision\":\"return\",\"reason\":\"请补充预算明细\"}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "returned");
    zt_resp_free(r);
    zt_expect(zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/withdraw", a), "{}"), 409, "conflict");
    r = zt_req(w->e, &w->a, "PUT", zt_path("/api/v1/enterprise/applications/%lld", a), "{\"fields\":{\"amount\":150}}", NULL);
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/submit", a), "{}");
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "versions")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(zt_json(r, "versions"), 0), "fields"), "amount")), 120);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(zt_json(r, "versions"), 1), "fields"), "amount")), 150);
    zt_resp_free(r);
    /* district passes to the city; then it is the city's, not the district's */
    r = review(w, &w->gulou, a, "{\"decision\":\"pass\",\"reason\":\"同意推荐\"}");
    assert_string_equal(zt_str(r, "status"), "city_review");
    zt_resp_free(r);
    zt_expect(review(w, &w->gulou, a, "{\"decision\":\"pass\"}"), 422, "business_rule");
    /* the city scores where the call has criteria */
    zt_expect(review(w, &w->city, a, "{\"decision\":\"pass\"}"), 400, "validation_failed");
    zt_expect(review(w, &w->city, a, "{\"decision\":\"pass\",\"scores\":{\"创新性\":101,\"可行性\":80}}"), 400, "validation_failed");
    assert_int_equal(app_status_is(w, a, "city_review"), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_score WHERE app_id = %lld", (long long)a), 0);
    r = review(w, &w->city, a, "{\"decision\":\"pass\",\"scores\":{\"创新性\":90,\"可行性\":80}}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "approved");
    zt_resp_free(r);
    /* a second city reviewer adds their scores: both kept, the list shows the mean;
     * nothing else may happen to an approved application */
    zt_client city2;
    zr_staff(w->e, &city2, "city2", "city", NULL);
    zt_expect(review(w, &city2, a, "{\"decision\":\"reject\",\"reason\":\"改判\"}"), 409, "conflict");
    zt_expect(review(w, &w->gulou, a, "{\"decision\":\"pass\",\"scores\":{\"创新性\":70,\"可行性\":70}}"), 422,
              "business_rule");
    r = review(w, &city2, a, "{\"decision\":\"pass\",\"scores\":{\"创新性\":70,\"可行性\":70}}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "approved");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_score WHERE app_id = %lld", (long long)a), 2);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/applications?status=approved", id));
    assert_int_equal(zt_int(r, "total"), 1);
    /* (90·60 + 80·40)/100 = 86 and 70: the mean 78 */
    double mean = json_number_value(json_object_get(json_array_get(zt_json(r, "items"), 0), "score_mean"));
    assert_true(mean > 77.99 && mean < 78.01);
    assert_int_equal(zt_int(r, "items.0.score_count"), 2);
    zt_resp_free(r);
    /* every decision told the firm and was audited */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE template_code = 'declaration.decision' AND ref_id = %lld"
                                     " AND enterprise_id = %lld", (long long)a, (long long)w->ent_a) >= 3, 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'application.review' AND object_id = '%lld'",
                               (long long)a), 4);
    /* B: district rejects; results can then be published and appear on the portal */
    r = review(w, &w->taijiang, b, "{\"decision\":\"reject\",\"reason\":\"不符合申报条件\"}");
    assert_string_equal(zt_str(r, "status"), "rejected");
    zt_resp_free(r);
    zt_expect(zt_post(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/results", id), "{}"), 422, "business_rule");
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/close", id), "{}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "phase"), "closed");
    zt_resp_free(r);
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/declarations/%lld/results", id)), 404, "not_found");
    r = zt_post(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/results", id), "{\"objection_days\":5}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    /* after 公示 the scores are final */
    zt_expect(review(w, &w->city, a, "{\"decision\":\"pass\",\"scores\":{\"创新性\":10,\"可行性\":10}}"), 409, "conflict");
    r = zt_get(w->e, NULL, zt_path("/api/v1/declarations/%lld/results", id));
    assert_int_equal(r->status, 200);
    assert_int_equal(json_array_size(zt_json(r, "items")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(zt_json(r, "items"), 0), "enterprise_name")),
                        "福州闽江外贸有限公司");
    zt_resp_free(r);
}

/* The first worksheet of an xlsx answer (malloc'd). */
static char *xlsx_sheet1(const zt_resp *r)
{
    zip_t *z = zip_of(r);
    if (!z) fail_msg("answer is not a zip (%zu bytes)", r->len);
    zip_stat_t zs;
    if (zip_stat(z, "xl/worksheets/sheet1.xml", 0, &zs) != 0) fail_msg("no first worksheet");
    char *out = calloc(1, zs.size + 1);
    zip_file_t *f = zip_fopen(z, "xl/worksheets/sheet1.xml", 0);
    assert_non_null(f);
    assert_int_equal(zip_fread(f, out, zs.size), (zip_int64_t)zs.size);
    zip_fclose(f);
    zip_close(z);
    return out;
}

/* The <row>…</row> of sheet holding text, NUL-ended in a copy (malloc'd). */
static char *sheet_row_with(const char *sheet, const char *text)
{
    const char *at = strstr(sheet, text);
    if (!at) fail_msg("%s not in the sheet", text);
    const char *start = at;
    while (start > sheet && strncmp(start, "<row ", 5) != 0) start--;
    const char *end = strstr(at, "</row>");
    assert_non_null(end);
    return strndup(start, (size_t)(end - start));
}

/* 导出 shows each application's LATEST decision and its reason: one
 * returned, resubmitted, passed by the district and approved by the city
 * shows 通过 with the city's reason, not the first decision (退回修改 and
 * its reason); a second city reviewer's scores are not a decision. */
static void test_export_latest_decision(void **st)
{
    world *w = *st;
    int64_t a, b, id = submitted_pair(w, "导出结论测试", &a, &b);
    zt_resp *r = review(w, &w->gulou, a, "{\"decision\":\"return\",\"reason\":\"请补充预算明细\"}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/submit", a), "{}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    r = review(w, &w->gulou, a, "{\"decision\":\"pass\",\"reason\":\"同意推荐\"}");
    assert_string_equal(zt_str(r, "status"), "city_review");
    zt_resp_free(r);
    r = review(w, &w->city, a, "{\"decision\":\"pass\",\"reason\":\"材料齐全予以通过\",\"scores\":{\"创新性\":90,\"可行性\":80}}");
    assert_string_equal(zt_str(r, "status"), "approved");
    zt_resp_free(r);
    zt_client city2;
    zr_staff(w->e, &city2, "city3", "city", NULL);
    r = review(w, &city2, a, "{\"decision\":\"pass\",\"reason\":\"第二位评审\",\"scores\":{\"创新性\":70,\"可行性\":70}}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    /* B: one decision only, so the two rows differ */
    r = review(w, &w->taijiang, b, "{\"decision\":\"return\",\"reason\":\"缺少营业执照\"}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    /* three decisions on A, the first a return; the second reviewer's a 'score' */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_event WHERE app_id = %lld AND action IN ('return', 'pass')",
                               (long long)a), 3);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_event WHERE app_id = %lld AND action = 'score'", (long long)a), 1);

    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/export", id));
    if (r->status != 200) fail_msg("export %d: %s", r->status, r->body);
    char *sheet = xlsx_sheet1(r);
    zt_resp_free(r);
    assert_non_null(strstr(sheet, "最近审核结论"));
    char *row = sheet_row_with(sheet, "福州闽江外贸有限公司");
    assert_non_null(strstr(row, "<t>审核通过</t>"));       /* status */
    assert_non_null(strstr(row, "<t>通过</t>"));           /* latest decision */
    assert_non_null(strstr(row, "<t>材料齐全予以通过</t>")); /* its reason */
    assert_null(strstr(row, "退回修改"));
    assert_null(strstr(row, "请补充预算明细"));
    assert_null(strstr(row, "同意推荐"));
    assert_null(strstr(row, "第二位评审"));
    free(row);
    row = sheet_row_with(sheet, "福州台江外贸有限公司");
    assert_non_null(strstr(row, "<t>退回修改</t>"));
    assert_non_null(strstr(row, "<t>缺少营业执照</t>"));
    free(row);
    free(sheet);
    /* district and status together: A is 鼓楼's and approved, B neither */
    const char *filters[] = {"region=350102&status=approved", "region=350103&status=approved"};
    for (int k = 0; k < 2; k++) {
        char p[160];
        snprintf(p, sizeof p, "/api/v1/admin/declarations/%lld/export?%s", (long long)id, filters[k]);
        r = zt_get(w->e, &w->city, p);
        assert_int_equal(r->status, 200);
        sheet = xlsx_sheet1(r);
        zt_resp_free(r);
        assert_true((strstr(sheet, "福州闽江外贸有限公司") != NULL) == (k == 0));
        assert_null(strstr(sheet, "福州台江外贸有限公司"));
        free(sheet);
    }
}

/* ---- 受理 ---- */

static zt_resp *accept(world *w, zt_client *c, int64_t app)
{
    return zt_post(w->e, c, zt_path("/api/v1/admin/applications/%lld/accept", app), "{}");
}

static long long events(world *w, int64_t app, const char *action)
{
    return zt_countf(w->e, "SELECT COUNT(*) FROM decl_event WHERE app_id = %lld AND action = '%s'", (long long)app, action);
}

static void test_accept_levels_and_withdraw(void **st)
{
    world *w = *st;
    int64_t id = open_call(w, "受理测试");
    int64_t a = apply(w, &w->a, id), b = apply(w, &w->b, id);
    /* a draft is not the bureau's */
    zt_expect(accept(w, &w->gulou, a), 404, "not_found");
    fill_submit(w, &w->a, a, "a.pdf");
    fill_submit(w, &w->b, b, "b.pdf");
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'declaration.accept'");
    long long msgs = zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_id = %lld", (long long)a);
    /* refusals change nothing: another district, a body, no such id */
    zt_expect(accept(w, &w->taijiang, a), 404, "not_found");
    zt_expect(zt_post(w->e, &w->gulou, zt_path("/api/v1/admin/applications/%lld/accept", a), "{\"x\":1}"), 400,
              "validation_failed");
    zt_expect(accept(w, &w->gulou, 999999), 404, "not_found");
    zt_expect(accept(w, &w->a, a), 403, "forbidden");
    assert_int_equal(app_status_is(w, a, "submitted"), 1);
    assert_int_equal(events(w, a, "accept"), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'declaration.accept'"), audits);
    /* the firm's district accepts a two-level call's application */
    zt_resp *r = accept(w, &w->gulou, a);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "district_review");
    zt_resp_free(r);
    assert_int_equal(events(w, a, "accept"), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'declaration.accept' AND object_id = '%lld'"
                                     " AND region = '350102'", (long long)a), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE template_code = 'declaration.decision'"
                                     " AND ref_id = %lld AND enterprise_id = %lld AND body LIKE '%%已受理%%'"
                                     " AND link = '/console/declarations/applications/%lld'",
                               (long long)a, (long long)w->ent_a, (long long)a), 1);
    assert_true(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_id = %lld", (long long)a) > msgs);
    /* twice: 409; the firm can no longer withdraw */
    zt_expect(accept(w, &w->gulou, a), 409, "conflict");
    r = zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/withdraw", a), "{}");
    assert_non_null(strstr(zt_str(r, "error.message"), "已受理"));
    zt_expect(r, 409, "conflict");
    assert_int_equal(app_status_is(w, a, "district_review"), 1);
    r = zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld", a));
    assert_string_equal(zt_str(r, "status"), "district_review");
    zt_resp_free(r);
    /* the district then decides as before */
    r = review(w, &w->gulou, a, "{\"decision\":\"pass\"}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "city_review");
    zt_resp_free(r);
    zt_expect(accept(w, &w->city, a), 409, "conflict");
    /* city staff may accept a two-level call's application too: it still waits for its district */
    r = accept(w, &w->city, b);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "district_review");
    zt_resp_free(r);
    zt_expect(review(w, &w->city, b, "{\"decision\":\"pass\"}"), 422, "business_rule");
    /* a decision on a submitted application is its 受理 too: both events, one audit row for the review */
    int64_t id2 = open_call(w, "受理测试二");
    int64_t a2 = apply(w, &w->a, id2);
    fill_submit(w, &w->a, a2, "a2.pdf");
    r = review(w, &w->gulou, a2, "{\"decision\":\"return\",\"reason\":\"请补充\"}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "returned");
    zt_resp_free(r);
    assert_int_equal(events(w, a2, "accept"), 1);
    assert_int_equal(events(w, a2, "return"), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_event e1 JOIN decl_event e2 ON e2.app_id = e1.app_id"
                                     " WHERE e1.app_id = %lld AND e1.action = 'accept' AND e2.action = 'return' AND e1.id < e2.id",
                               (long long)a2), 1);
    zt_expect(accept(w, &w->gulou, a2), 409, "conflict");
    /* a city-only call: the city accepts into city_review, a district gets 422 */
    char *body = call_body("市级受理测试", -3600, 7 * 86400, 0);
    char *lv = strstr(body, "[\"district\",\"city\"]");
    assert_non_null(lv);
    memcpy(lv, "[\"city\"]           ", 19);
    r = zt_post(w->e, &w->city, "/api/v1/admin/declarations", body);
    free(body);
    assert_int_equal(r->status, 201);
    int64_t id3 = zt_int(r, "id");
    zt_resp_free(r);
    publish(w, id3);
    int64_t a3 = apply(w, &w->a, id3);
    fill_submit(w, &w->a, a3, "a3.pdf");
    r = accept(w, &w->gulou, a3);
    assert_non_null(strstr(zt_str(r, "error.message"), "市级"));
    zt_expect(r, 422, "business_rule");
    assert_int_equal(app_status_is(w, a3, "submitted"), 1);
    assert_int_equal(events(w, a3, "accept"), 0);
    r = accept(w, &w->city, a3);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "city_review");
    zt_resp_free(r);
    zt_expect(zt_post(w->e, &w->a, zt_path("/api/v1/enterprise/applications/%lld/withdraw", a3), "{}"), 409, "conflict");
    /* a withdrawn application is not accepted */
    int64_t b2 = apply(w, &w->b, id2);
    fill_submit(w, &w->b, b2, "b2.pdf");
    r = zt_post(w->e, &w->b, zt_path("/api/v1/enterprise/applications/%lld/withdraw", b2), "{}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    zt_expect(accept(w, &w->taijiang, b2), 409, "conflict");
    assert_int_equal(app_status_is(w, b2, "withdrawn"), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'declaration.accept'"), audits + 3);
}

/* ---- the zip ---- */

static void test_materials_zip_names_and_scope(void **st)
{
    world *w = *st;
    int64_t id = open_call(w, "打包下载测试");
    int64_t a = apply(w, &w->a, id), b = apply(w, &w->b, id);
    fill_submit(w, &w->a, a, "%E9%A1%B9%E7%9B%AE%E8%AE%A1%E5%88%92.pdf");
    fill_submit(w, &w->b, b, "b.pdf");
    /* a firm name that tries to climb out of its folder */
    zt_execf(w->e, "UPDATE enterprise SET name = '../../福州/闽江' WHERE id = %lld", (long long)w->ent_b);
    /* another district's applications: refused by name, nothing leaked */
    zt_resp *r = zt_get(w->e, &w->taijiang, zt_path("/api/v1/admin/declarations/%lld/materials.zip?region=350102", id));
    assert_non_null(fe(r, "region"));
    zt_expect(r, 400, "validation_failed");
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/materials.zip", id));
    assert_int_equal(r->status, 200);
    zip_t *z = zip_of(r);
    assert_non_null(z);
    assert_int_equal(zip_get_num_entries(z, 0), 2);
    bool saw_a = false, saw_b = false;
    for (zip_int64_t i = 0; i < 2; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_UTF_8);
        assert_non_null(name);
        assert_null(strstr(name, ".."));
        assert_true(name[0] != '/');
        /* exactly one separator: folder/file */
        const char *slash = strchr(name, '/');
        assert_non_null(slash);
        assert_null(strchr(slash + 1, '/'));
        if (strstr(name, "-福州闽江外贸有限公司/项目计划书-项目计划.pdf")) saw_a = true;
        if (strstr(name, "福州_闽江/项目计划书-b.pdf")) saw_b = true;
        zip_stat_t zs;
        assert_int_equal(zip_stat_index(z, (zip_uint64_t)i, 0, &zs), 0);
        assert_int_equal(zs.size, sizeof PDF - 1);
    }
    assert_true(saw_a);
    assert_true(saw_b);
    zip_close(z);
    zt_resp_free(r);
    /* district and keyword together: both firms' names hold 闽江, 台江's is B */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/materials.zip?region=350103&q=%%E9%%97%%BD%%E6%%B1%%9F", id));
    assert_int_equal(r->status, 200);
    z = zip_of(r);
    assert_non_null(z);
    assert_int_equal(zip_get_num_entries(z, 0), 1);
    assert_non_null(strstr(zip_get_name(z, 0, ZIP_FL_ENC_UTF_8), "福州_闽江/"));
    zip_close(z);
    zt_resp_free(r);
    /* the district's zip holds its own firm only */
    r = zt_get(w->e, &w->gulou, zt_path("/api/v1/admin/declarations/%lld/materials.zip", id));
    assert_int_equal(r->status, 200);
    z = zip_of(r);
    assert_non_null(z);
    assert_int_equal(zip_get_num_entries(z, 0), 1);
    zip_close(z);
    zt_resp_free(r);
    /* the Excel export: a workbook, the district's limited to its firm */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/export", id));
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(zt_header(r, "Content-Type"), "spreadsheetml"));
    assert_true(r->len > 100 && memcmp(r->body, "PK", 2) == 0);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->taijiang, zt_path("/api/v1/admin/declarations/%lld/export?region=350102", id)), 400,
              "validation_failed");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'declaration.export' AND object_id = '%lld'",
                               (long long)id),
                     1);
}

/* ---- district scope on the bureau's call routes ---- */

static void test_district_scope_on_call_routes(void **st)
{
    world *w = *st;
    /* 鼓楼's own call: its district's whatever targets it names */
    char *b = call_body("鼓楼区专项申报", -60, 10 * 86400, 0);
    zt_resp *r = zt_post(w->e, &w->gulou, "/api/v1/admin/declarations", b);
    assert_int_equal(r->status, 201);
    int64_t id = zt_int(r, "id");
    assert_string_equal(zt_str(r, "region"), "350102");
    zt_resp_free(r);
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    /* 台江 sees none of it: every call route answers 404, nothing changes */
    const char *gets[] = {"", "/applications", "/materials.zip", "/export"};
    char p[120];
    for (size_t i = 0; i < sizeof gets / sizeof *gets; i++) {
        snprintf(p, sizeof p, "/api/v1/admin/declarations/%lld%s", (long long)id, gets[i]);
        zt_expect(zt_get(w->e, &w->taijiang, p), 404, "not_found");
    }
    zt_expect(zt_req(w->e, &w->taijiang, "PUT", zt_path("/api/v1/admin/declarations/%lld", id), b, NULL), 404, "not_found");
    zt_expect(zt_req(w->e, &w->taijiang, "DELETE", zt_path("/api/v1/admin/declarations/%lld", id), "{}", NULL), 404,
              "not_found");
    const char *posts[][2] = {{"publish", "{}"}, {"close", "{}"}, {"results", "{}"},
                              {"extend", "{\"close_at\":\"2099-01-01T00:00:00+08:00\"}"}};
    for (size_t i = 0; i < sizeof posts / sizeof *posts; i++) {
        snprintf(p, sizeof p, "/api/v1/admin/declarations/%lld/%s", (long long)id, posts[i][0]);
        zt_expect(zt_post(w->e, &w->taijiang, p, posts[i][1]), 404, "not_found");
    }
    r = zt_get(w->e, &w->taijiang, "/api/v1/admin/declarations");
    json_t *items = zt_json(r, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_true(json_integer_value(json_object_get(json_array_get(items, i), "id")) != id);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_call WHERE id = %lld AND status = 'draft'", (long long)id), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log"), audits);
    /* a city call: district staff read it, may not change it (403) */
    int64_t city = create_call(w, "市级申报", -60, 10 * 86400, 0);
    r = zt_get(w->e, &w->gulou, zt_path("/api/v1/admin/declarations/%lld", city));
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    zt_expect(zt_post(w->e, &w->gulou, zt_path("/api/v1/admin/declarations/%lld/publish", city), "{}"), 403, "forbidden");
    zt_expect(zt_req(w->e, &w->gulou, "DELETE", zt_path("/api/v1/admin/declarations/%lld", city), "{}", NULL), 403,
              "forbidden");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_call WHERE id = %lld AND status = 'draft'", (long long)city), 1);
    /* the district's list: city-wide calls and its own, with status and keyword applied */
    assert_true(listed(w, &w->gulou, "/api/v1/admin/declarations?status=draft&q=%E5%B8%82%E7%BA%A7", city));
    assert_false(listed(w, &w->gulou, "/api/v1/admin/declarations?status=published&q=%E5%B8%82%E7%BA%A7", city));
    assert_true(listed(w, &w->gulou, "/api/v1/admin/declarations?status=draft&q=%E9%BC%93%E6%A5%BC", id));
    assert_false(listed(w, &w->taijiang, "/api/v1/admin/declarations?status=draft&q=%E9%BC%93%E6%A5%BC", id));
    /* 鼓楼 itself edits its draft (every column written back) and runs it through */
    char *b2 = call_body("鼓楼区专项申报（修订）", -60, 12 * 86400, 0);
    r = zt_req(w->e, &w->gulou, "PUT", zt_path("/api/v1/admin/declarations/%lld", id), b2, NULL);
    free(b2);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "title"), "鼓楼区专项申报（修订）");
    assert_string_equal(zt_str(r, "department"), "福州市商务局");
    assert_string_equal(zt_str(r, "slots.0.key"), "plan");
    assert_string_equal(zt_str(r, "fields.1.key"), "intro");
    assert_string_equal(zt_str(r, "criteria.0.name"), "创新性");
    assert_string_equal(zt_str(r, "region"), "350102");
    assert_true(zt_int(r, "days_left") >= 11);
    zt_resp_free(r);
    r = zt_post(w->e, &w->gulou, zt_path("/api/v1/admin/declarations/%lld/publish", id), "{}");
    assert_int_equal(r->status, 200);
    zt_resp_free(r);
    /* the draft is deleted by its owner only while a draft */
    zt_expect(zt_req(w->e, &w->gulou, "DELETE", zt_path("/api/v1/admin/declarations/%lld", id), "{}", NULL), 409, "conflict");
    free(b);
}

/* ---- a material over its slot's cap, a material's file name in the zip ---- */

static void test_material_cap_and_zip_file_names(void **st)
{
    world *w = *st;
    int64_t id = open_call(w, "材料大小测试");
    int64_t app = apply(w, &w->a, id);
    /* the slot allows 5 MB: 5 MiB and one byte is refused by name, nothing stored */
    size_t big = (5u << 20) + 1;
    char *data = malloc(big);
    memset(data, ' ', big);
    memcpy(data, PDF, sizeof PDF - 1);
    int64_t up = upload_as(w, &w->a, "/api/v1/uploads", "big.pdf", data, big);
    free(data);
    char body[80];
    snprintf(body, sizeof body, "{\"materials\":{\"plan\":[%lld]}}", (long long)up);
    zt_resp *r = zt_req(w->e, &w->a, "PUT", zt_path("/api/v1/enterprise/applications/%lld", app), body, NULL);
    assert_string_equal(fe(r, "materials.plan"), "「项目计划书」的文件不能超过 5 MB");
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM decl_material WHERE app_id = %lld", (long long)app), 0);
    /* a material whose stored name climbs (older data, another client): the zip keeps it in its folder */
    fill_submit(w, &w->a, app, "ok.pdf");
    zt_execf(w->e, "UPDATE upload SET name = '../../..\\etc/passwd.pdf' WHERE id = (SELECT upload_id FROM decl_material"
                   " WHERE app_id = %lld)", (long long)app);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/declarations/%lld/materials.zip", id));
    assert_int_equal(r->status, 200);
    zip_t *z = zip_of(r);
    assert_non_null(z);
    assert_int_equal(zip_get_num_entries(z, 0), 1);
    const char *name = zip_get_name(z, 0, ZIP_FL_ENC_UTF_8);
    assert_non_null(name);
    assert_null(strstr(name, ".."));
    assert_null(strchr(name, '\\'));
    const char *slash = strchr(name, '/');
    assert_non_null(slash);
    assert_null(strchr(slash + 1, '/'));
    assert_non_null(strstr(slash + 1, "passwd.pdf"));
    zip_close(z);
    zt_resp_free(r);
}

/* ---- reminders ---- */

static long long reminders(world *w, int64_t app, int days)
{
    return zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'decl_remind_%d' AND ref_id = %lld", days,
                     (long long)app);
}

/* The marks of decl_remind_days, walked towards the close: at each, the
 * firm with an unsubmitted application hears that mark once (a second run
 * adds nothing) and no other; the firm that submitted hears nothing. */
static void test_reminders_once(void **st)
{
    world *w = *st;
    const int *days = decl_remind_days;
    /* largest first, each a mark of its own */
    assert_true(DECL_REMIND_MARKS >= 1);
    for (int i = 1; i < DECL_REMIND_MARKS; i++) assert_true(days[i] > 0 && days[i] < days[i - 1]);
    int64_t id = open_call(w, "截止提醒测试");
    int64_t a = apply(w, &w->a, id);
    int64_t b = apply(w, &w->b, id);
    fill_submit(w, &w->b, b, "b.pdf");
    int64_t now = (int64_t)time(NULL);
    /* an hour inside the first mark */
    int64_t close_at = now + (int64_t)days[0] * 86400 - 3600;
    zt_execf(w->e, "UPDATE decl_call SET close_at = %lld WHERE id = %lld", (long long)close_at, (long long)id);
    db_conn *c = db_pool_acquire(w->e->app->pool);
    assert_non_null(c);
    /* before the first mark: nothing */
    assert_int_equal(decl_remind_task(c, close_at - (int64_t)days[0] * 86400 - 3600, NULL), DB_OK);
    for (int k = 0; k < DECL_REMIND_MARKS; k++) assert_int_equal(reminders(w, a, days[k]), 0);
    for (int i = 0; i < DECL_REMIND_MARKS; i++) {
        int64_t at = close_at - (int64_t)days[i] * 86400 + 60;
        assert_int_equal(decl_remind_task(c, at, NULL), DB_OK);
        long long got = reminders(w, a, days[i]);
        if (got < 1) fail_msg("no reminder at the %d-day mark", days[i]);
        /* a second run adds nothing */
        assert_int_equal(decl_remind_task(c, at + 60, NULL), DB_OK);
        assert_int_equal(reminders(w, a, days[i]), got);
        for (int k = i + 1; k < DECL_REMIND_MARKS; k++) assert_int_equal(reminders(w, a, days[k]), 0);
        /* the firm that submitted hears nothing */
        assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type LIKE 'decl_remind%%' AND ref_id = %lld",
                                   (long long)b),
                         0);
    }
    /* after the close: nothing more */
    long long before = zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type LIKE 'decl_remind%%'");
    assert_int_equal(decl_remind_task(c, close_at + 60, NULL), DB_OK);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type LIKE 'decl_remind%%'"), before);
    db_pool_release(w->e->app->pool, c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_bad_input_stores_nothing),
        cmocka_unit_test(test_publish_notifies_targets_and_portal),
        cmocka_unit_test(test_download_first_and_one_per_firm),
        cmocka_unit_test(test_concurrent_creates_one),
        cmocka_unit_test(test_window_on_server_clock),
        cmocka_unit_test(test_submit_checks_and_immutability),
        cmocka_unit_test(test_review_levels_return_resubmit_scores),
        cmocka_unit_test(test_accept_levels_and_withdraw),
        cmocka_unit_test(test_export_latest_decision),
        cmocka_unit_test(test_materials_zip_names_and_scope),
        cmocka_unit_test(test_district_scope_on_call_routes),
        cmocka_unit_test(test_material_cap_and_zip_file_names),
        cmocka_unit_test(test_reminders_once),
        cmocka_unit_test(test_template_count_in_list_and_record),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
