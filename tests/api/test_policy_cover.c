/*
 * test_policy_cover.c — API tests of a policy's or notice's cover image and
 * the staff download of bureau files (issue 11 leftovers, migration 0026):
 * the cover is a bureau image file, served publicly at
 * /api/v1/policies|notices/:id/cover once the item is published (drafts,
 * withdrawn items, items without one and the other family answer 404);
 * a non-image bureau file, an enterprise upload or another district's file
 * is refused with nothing stored (nor attached, nor made a declaration
 * template by a district clerk); GET /api/v1/admin/uploads/:id opens any
 * file to staff with an uploading permission, district staff only within
 * their district. Staff upload bureau files through the members' path
 * POST /api/v1/uploads too (issue 13), the route's staff twin.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "support/fixtures_reg.h"
#include "support/zt_raw.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client city, gulou, taijiang, trade; /* staff: city-wide, 鼓楼区, 台江区, 外贸处 only */
    zt_client a;                            /* legal rep of a firm */
} world;

static const char PDF[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
                                    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    zm_enterprise(w->e, &w->a, "福州闽江外贸有限公司", "13900000001", NULL);
    zr_staff(w->e, &w->city, "city1", "city", NULL);
    zr_staff(w->e, &w->gulou, "gulou1", "district", "350102");
    zr_staff(w->e, &w->taijiang, "taijiang1", "district", "350103");
    /* a clerk of 外贸处 alone: no permission that uploads bureau files */
    int64_t t = zr_staff(w->e, &w->trade, "trade1", "city", NULL);
    zt_execf(w->e, "DELETE FROM staff_role_grant WHERE staff_id = %lld", (long long)t);
    zt_execf(w->e, "INSERT INTO staff_role_grant(staff_id, role_id) SELECT %lld, id FROM staff_role_def WHERE builtin = 'trade'",
             (long long)t);
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

static const char *path(const char *fmt, long long id)
{
    static char buf[4][160];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], fmt, id);
    return buf[k];
}

/* Uploads body as c to url; the new file's id (201 expected). */
static int64_t upload(world *w, zt_client *c, const char *url, const void *body, size_t len)
{
    zt_resp *r = zt_raw(w->e, c, "POST", url, body, len, "Content-Type: application/octet-stream\n");
    if (r->status != 201) fail_msg("upload %s: %d %s", url, r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

static int64_t create(world *w, zt_client *c, const char *base, const char *json)
{
    zt_resp *r = zt_post(w->e, c, base, json);
    if (r->status != 201) fail_msg("create %d: %s", r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

static void post_ok(world *w, zt_client *c, const char *url)
{
    zt_resp *r = zt_post(w->e, c, url, "{}");
    if (r->status != 200) fail_msg("POST %s: %d %s", url, r->status, r->body);
    zt_resp_free(r);
}

/* GET url as c must answer 200 with exactly these bytes of this type. */
static void get_bytes(world *w, zt_client *c, const char *url, const void *body, size_t len, const char *mime)
{
    zt_resp *r = zt_get(w->e, c, url);
    if (r->status != 200) fail_msg("GET %s: %d %s", url, r->status, r->body);
    assert_int_equal(r->len, len);
    assert_memory_equal(r->body, body, len);
    assert_string_equal(zt_header(r, "Content-Type"), mime);
    assert_string_equal(zt_header(r, "Cache-Control"), "private, no-store");
    zt_resp_free(r);
}

static long long cover_of(world *w, int64_t id)
{
    return zt_countf(w->e, "SELECT COALESCE(cover_file_id, 0) FROM content_item WHERE id = %lld", (long long)id);
}

/* ---- happy path ---- */

static void test_cover_published(void **st)
{
    world *w = *st;
    int64_t img = upload(w, &w->city, "/api/v1/admin/uploads?name=cover.png", PNG, sizeof PNG);
    char body[400];
    snprintf(body, sizeof body, "{\"kind\":\"news\",\"title\":\"带封面的政策\",\"body_html\":\"<p>x</p>\",\"cover\":%lld}",
             (long long)img);
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", body);
    char url[160];
    snprintf(url, sizeof url, "/api/v1/policies/%lld/cover", (long long)id);
    zt_resp *r = zt_get(w->e, &w->city, path("/api/v1/admin/policies/%lld", id));
    assert_int_equal(zt_int(r, "cover"), img);
    assert_string_equal(zt_str(r, "cover_url"), url);
    assert_string_equal(zt_str(r, "cover_staff_url"), path("/api/v1/admin/uploads/%lld", img));
    zt_resp_free(r);
    /* a draft's cover is nobody's yet; staff open it through their route */
    zt_expect(zt_get(w->e, NULL, url), 404, "not_found");
    get_bytes(w, &w->city, path("/api/v1/admin/uploads/%lld", img), PNG, sizeof PNG, "image/png");

    post_ok(w, &w->city, path("/api/v1/admin/policies/%lld/publish", id));
    get_bytes(w, NULL, url, PNG, sizeof PNG, "image/png");
    r = zt_get(w->e, NULL, path("/api/v1/policies/%lld", id));
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "cover_url"), url);
    assert_null(zt_json(r, "cover")); /* the file id stays with the bureau */
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/policies?page_size=10");
    assert_int_equal(zt_int(r, "items.0.id"), id);
    assert_string_equal(zt_str(r, "items.0.cover_url"), url);
    zt_resp_free(r);
    /* the other family does not serve it */
    zt_expect(zt_get(w->e, NULL, path("/api/v1/notices/%lld/cover", id)), 404, "not_found");

    /* notices the same way */
    snprintf(body, sizeof body, "{\"title\":\"带封面的公告\",\"body_html\":\"<p>x</p>\",\"cover\":%lld}", (long long)img);
    int64_t nid = create(w, &w->city, "/api/v1/admin/notices", body);
    post_ok(w, &w->city, path("/api/v1/admin/notices/%lld/publish", nid));
    get_bytes(w, NULL, path("/api/v1/notices/%lld/cover", nid), PNG, sizeof PNG, "image/png");
    r = zt_get(w->e, NULL, "/api/v1/notices");
    assert_string_equal(zt_str(r, "items.0.cover_url"), path("/api/v1/notices/%lld/cover", nid));
    zt_resp_free(r);
    zt_expect(zt_get(w->e, NULL, path("/api/v1/policies/%lld/cover", nid)), 404, "not_found");

    /* removing the cover: audited as an edit, gone from the portal */
    long long audits = zm_audits(w->e, "policy.update");
    r = zt_req(w->e, &w->city, "PUT", path("/api/v1/admin/policies/%lld", id), "{\"cover\":null}", NULL);
    assert_int_equal(r->status, 200);
    assert_null(zt_json(r, "cover_url"));
    zt_resp_free(r);
    assert_int_equal(cover_of(w, id), 0);
    assert_int_equal(zm_audits(w->e, "policy.update"), audits + 1);
    zt_expect(zt_get(w->e, NULL, url), 404, "not_found");
    r = zt_get(w->e, NULL, path("/api/v1/policies/%lld", id));
    assert_null(zt_json(r, "cover_url"));
    zt_resp_free(r);

    /* withdrawn: the notice's cover is gone again */
    post_ok(w, &w->city, path("/api/v1/admin/notices/%lld/withdraw", nid));
    zt_expect(zt_get(w->e, NULL, path("/api/v1/notices/%lld/cover", nid)), 404, "not_found");
}

/* ---- bad input stores nothing ---- */

static void expect_cover_refused(world *w, zt_client *c, const char *method, const char *url, const char *body,
                                 const char *msg)
{
    zt_resp *r = zt_req(w->e, c, method, url, body, NULL);
    if (r->status != 400) fail_msg("%s %s %s: %d %s", method, url, body, r->status, r->body);
    assert_string_equal(zt_str(r, "error.code"), "validation_failed");
    const char *m = zt_str(r, "error.fields.cover");
    if (!m || !strstr(m, msg)) fail_msg("cover message %s, wanted %s", m ? m : "(none)", msg);
    zt_resp_free(r);
}

static void test_cover_refused(void **st)
{
    world *w = *st;
    int64_t pdf = upload(w, &w->city, "/api/v1/admin/uploads?name=notice.pdf", PDF, sizeof PDF - 1);
    int64_t img = upload(w, &w->city, "/api/v1/admin/uploads?name=cover.png", PNG, sizeof PNG);
    /* a firm's upload whose id no bureau file shares (the tables count apart) */
    int64_t mine;
    do mine = upload(w, &w->a, "/api/v1/uploads?name=logo.png", PNG, sizeof PNG);
    while (zt_countf(w->e, "SELECT COUNT(*) FROM bureau_file WHERE id = %lld", (long long)mine) > 0);
    long long items = zt_count(w->e, "SELECT COUNT(*) FROM content_item");
    long long audits = zt_count(w->e, "SELECT COUNT(*) FROM audit_log");
    char body[400];
    snprintf(body, sizeof body, "{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"cover\":%lld}", (long long)pdf);
    expect_cover_refused(w, &w->city, "POST", "/api/v1/admin/policies", body, "只能是 JPG 或 PNG");
    snprintf(body, sizeof body, "{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"cover\":%lld}", (long long)mine);
    expect_cover_refused(w, &w->city, "POST", "/api/v1/admin/notices", body, "不存在");
    expect_cover_refused(w, &w->city, "POST", "/api/v1/admin/notices",
                         "{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"cover\":\"cover.png\"}", "格式不正确");
    expect_cover_refused(w, &w->city, "POST", "/api/v1/admin/notices",
                         "{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"cover\":-3}", "格式不正确");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM content_item"), items);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log"), audits);

    /* an edit keeps the old cover */
    snprintf(body, sizeof body, "{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"cover\":%lld}", (long long)img);
    int64_t id = create(w, &w->city, "/api/v1/admin/policies", body);
    long long hist = zt_countf(w->e, "SELECT COUNT(*) FROM content_history WHERE item_id = %lld", (long long)id);
    snprintf(body, sizeof body, "{\"cover\":%lld}", (long long)pdf);
    expect_cover_refused(w, &w->city, "PUT", path("/api/v1/admin/policies/%lld", id), body, "只能是");
    assert_int_equal(cover_of(w, id), img);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM content_history WHERE item_id = %lld", (long long)id), hist);

    /* a district editor cannot borrow another district's file as a cover
     * (nor attach it: that would make it downloadable) */
    int64_t tj = upload(w, &w->taijiang, "/api/v1/admin/uploads?name=tj.png", PNG, sizeof PNG);
    items = zt_count(w->e, "SELECT COUNT(*) FROM content_item");
    snprintf(body, sizeof body, "{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"cover\":%lld}", (long long)tj);
    expect_cover_refused(w, &w->gulou, "POST", "/api/v1/admin/policies", body, "不存在");
    snprintf(body, sizeof body, "{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"attachments\":[%lld]}",
             (long long)tj);
    zt_resp *r = zt_post(w->e, &w->gulou, "/api/v1/admin/policies", body);
    assert_int_equal(r->status, 400);
    assert_string_equal(zt_str(r, "error.fields.attachments"), "附件不存在，请重新上传");
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM content_item"), items);
    /* nor make it a declaration call's template (a district clerk who runs calls) */
    zt_exec(w->e, "INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'declaration.manage' FROM staff_role_def"
                  " WHERE builtin = 'district'");
    long long calls = zt_count(w->e, "SELECT COUNT(*) FROM decl_call");
    snprintf(body, sizeof body,
             "{\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"open_at\":\"2026-01-01T00:00:00+08:00\","
             "\"close_at\":\"2026-02-01T00:00:00+08:00\",\"templates\":[%lld]}",
             (long long)tj);
    r = zt_post(w->e, &w->gulou, "/api/v1/admin/declarations", body);
    assert_int_equal(r->status, 400);
    assert_string_equal(zt_str(r, "error.fields.templates[0]"), "附件不存在，请重新上传");
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM decl_call"), calls);
    /* its own district's file it may use */
    int64_t gl = upload(w, &w->gulou, "/api/v1/admin/uploads?name=gl.png", PNG, sizeof PNG);
    snprintf(body, sizeof body, "{\"kind\":\"news\",\"title\":\"t\",\"body_html\":\"<p>x</p>\",\"cover\":%lld}", (long long)gl);
    int64_t gid = create(w, &w->gulou, "/api/v1/admin/policies", body);
    assert_int_equal(cover_of(w, gid), gl);
}

/* ---- the staff download ---- */

static void test_staff_download_access(void **st)
{
    world *w = *st;
    int64_t gl = upload(w, &w->gulou, "/api/v1/admin/uploads?name=%E7%BB%86%E5%88%99.pdf", PDF, sizeof PDF - 1);
    int64_t ct = upload(w, &w->city, "/api/v1/admin/uploads?name=city.pdf", PDF, sizeof PDF - 1);
    char gurl[80], curl[80];
    snprintf(gurl, sizeof gurl, "/api/v1/admin/uploads/%lld", (long long)gl);
    snprintf(curl, sizeof curl, "/api/v1/admin/uploads/%lld", (long long)ct);

    /* no session, a firm's member, staff without an uploading permission */
    zt_expect(zt_get(w->e, NULL, gurl), 401, "unauthenticated");
    zt_expect(zt_get(w->e, &w->a, gurl), 403, "forbidden");
    zt_resp *r = zt_get(w->e, &w->trade, gurl);
    assert_non_null(strstr(zt_str(r, "error.message"), "权限"));
    zt_expect(r, 403, "forbidden");

    /* the city opens every file, a district its own */
    get_bytes(w, &w->city, gurl, PDF, sizeof PDF - 1, "application/pdf");
    get_bytes(w, &w->gulou, gurl, PDF, sizeof PDF - 1, "application/pdf");
    r = zt_get(w->e, &w->gulou, gurl);
    assert_non_null(strstr(zt_header(r, "Content-Disposition"), "attachment"));
    assert_string_equal(zt_header(r, "Content-Security-Policy"), "sandbox");
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->taijiang, gurl), 404, "not_found");
    zt_expect(zt_get(w->e, &w->gulou, curl), 404, "not_found");
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/uploads/999999"), 404, "not_found");
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/uploads/x"), 404, "not_found");

    /* the city attaches its file to a 鼓楼 draft: the district's editor opens it,
     * another district still does not */
    char body[300];
    snprintf(body, sizeof body, "{\"kind\":\"news\",\"title\":\"鼓楼草稿\",\"body_html\":\"<p>x</p>\",\"attachments\":[%lld]}",
             (long long)gl);
    int64_t id = create(w, &w->gulou, "/api/v1/admin/policies", body);
    snprintf(body, sizeof body, "{\"attachments\":[%lld, %lld]}", (long long)gl, (long long)ct);
    r = zt_req(w->e, &w->city, "PUT", path("/api/v1/admin/policies/%lld", id), body, NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "attachments.1.staff_url"), curl);
    zt_resp_free(r);
    get_bytes(w, &w->gulou, curl, PDF, sizeof PDF - 1, "application/pdf");
    zt_expect(zt_get(w->e, &w->taijiang, curl), 404, "not_found");
    /* a GET writes no audit record */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'upload.%' AND action <> 'upload.bureau_create'"), 0);
}

/* ---- the issue-13 path: staff upload through POST /api/v1/uploads ---- */

/* The one path serves both sides: a staff session's upload is a bureau file
 * (the route's staff twin: its permission, its audit action), a member's
 * stays the firm's own; a staff member without an uploading permission is
 * refused with nothing stored, and a visitor gets 401. */
static void test_uploads_path_serves_staff(void **st)
{
    world *w = *st;
    long long files0 = zt_count(w->e, "SELECT COUNT(*) FROM bureau_file");
    long long ups0 = zt_count(w->e, "SELECT COUNT(*) FROM upload");
    int64_t f = upload(w, &w->city, "/api/v1/uploads?name=%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf", PDF, sizeof PDF - 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM bureau_file"), files0 + 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM upload"), ups0);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM bureau_file WHERE id = %lld AND name = '申报书.pdf'", (long long)f), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'upload.bureau_create' AND object_id = '%lld'",
                               (long long)f), 1);
    get_bytes(w, &w->city, path("/api/v1/admin/uploads/%lld", f), PDF, sizeof PDF - 1, "application/pdf");
    /* the firm's upload through the same path is the firm's */
    int64_t m = upload(w, &w->a, "/api/v1/uploads?name=plan.pdf", PDF, sizeof PDF - 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM upload WHERE id = %lld AND enterprise_id > 0", (long long)m), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM bureau_file"), files0 + 1);
    /* 外贸处 alone may not upload bureau files: 403, nothing stored, refusal audited */
    zt_resp *r = zt_raw(w->e, &w->trade, "POST", "/api/v1/uploads?name=x.pdf", PDF, sizeof PDF - 1,
                        "Content-Type: application/octet-stream\n");
    zt_expect(r, 403, "forbidden");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM bureau_file"), files0 + 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM upload"), ups0 + 1);
    zt_client anon;
    zt_client_init(&anon);
    r = zt_raw(w->e, &anon, "POST", "/api/v1/uploads?name=x.pdf", PDF, sizeof PDF - 1, "Content-Type: application/octet-stream\n");
    assert_int_equal(r->status, 401);
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM bureau_file"), files0 + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cover_published, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cover_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_download_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uploads_path_serves_staff, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
