/*
 * test_upload.c — the one upload path (docs/profile.md "Uploads"): every
 * allow-listed type accepted by content (pdf, png, jpeg, zip, docx, xlsx),
 * docx/xlsx versus zip decided by structure + extension, multi-chunk files
 * and SHA-256 dedup, refusals that store nothing in any of the three
 * tables (size, HTML renamed .pdf, script, ELF, path-like and control
 * names, empty body, missing CSRF), the download's exact headers, and who
 * may download (other enterprise, districts, anonymous). SQLite and
 * PostgreSQL.
 */
#include "support/zt.h"
#include "support/zt_raw.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "db/db.h"
#include "upload/upload.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#define MIME_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define MIME_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

typedef struct {
    zt_env *e;
    zt_client a, b;
    int64_t ent_a, ent_b;
} world;

typedef struct {
    unsigned char *p;
    size_t n;
} bytes;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zm_enterprise(w->e, &w->a, "福州甲贸易有限公司", "13900000001", NULL);
    int64_t ub = zt_make_user(w->e, "13900000002", ZT_PASSWORD);
    w->ent_b = zt_make_enterprise(w->e, "福州乙贸易有限公司", "350103", "approved", ub);
    zm_session(w->e, &w->b, ub, w->ent_b);
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

/* ---- tiny valid files ---- */

static const char PDF[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
                                    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
static const unsigned char JPEG[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1,
                                     0, 0, 0xff, 0xd9};

/* A zip holding the given members (NULL-terminated name/content pairs). */
static bytes make_zip(const char *const *members)
{
    char path[] = "/tmp/zt-zip.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (int i = 0; members[i]; i += 2) {
        zip_source_t *s = zip_source_buffer(z, members[i + 1], strlen(members[i + 1]), 0);
        assert_non_null(s);
        assert_true(zip_file_add(z, members[i], s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    bytes b = {malloc(1 << 16), 0};
    b.n = fread(b.p, 1, 1 << 16, f);
    fclose(f);
    unlink(path);
    return b;
}

static const char CT_XML[] = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";

static bytes make_docx(void)
{
    const char *const m[] = {"[Content_Types].xml", CT_XML, "word/document.xml", "<w:document/>", NULL};
    return make_zip(m);
}

/* ---- helpers ---- */

static const char *enc(const char *s)
{
    static char out[1024];
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o < sizeof out - 4; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, sizeof out - o, "%%%02X", *p);
    }
    out[o] = '\0';
    return out;
}

static zt_resp *upload(world *w, zt_client *c, const char *name, const void *body, size_t len)
{
    char path[1200];
    snprintf(path, sizeof path, "/api/v1/uploads?name=%s", enc(name));
    return zt_raw(w->e, c, "POST", path, body, len, "Content-Type: application/octet-stream\n");
}

/* Uploads and expects 201 with that mime; returns the id. */
static int64_t upload_ok(world *w, zt_client *c, const char *name, const void *body, size_t len, const char *mime)
{
    zt_resp *r = upload(w, c, name, body, len);
    if (r->status != 201) fail_msg("upload %s: %d %s", name, r->status, r->body);
    assert_string_equal(zt_str(r, "name"), name);
    assert_string_equal(zt_str(r, "mime"), mime);
    assert_int_equal(zt_int(r, "size"), (long long)len);
    assert_int_equal(strlen(zt_str(r, "sha256")), 64);
    assert_non_null(zt_str(r, "created_at"));
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

static long long stored(world *w)
{
    return zt_count(w->e, "SELECT (SELECT COUNT(*) FROM upload) + (SELECT COUNT(*) FROM file_blob)"
                          " + (SELECT COUNT(*) FROM file_chunk)");
}

static zt_resp *download(world *w, zt_client *c, int64_t id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/files/%lld", (long long)id);
    return zt_get(w->e, c, path);
}

static void expect_bytes(world *w, zt_client *c, int64_t id, const void *body, size_t len, const char *mime)
{
    zt_resp *r = download(w, c, id);
    if (r->status != 200) fail_msg("download %lld: %d %s", (long long)id, r->status, r->body);
    assert_int_equal(r->len, len);
    assert_memory_equal(r->body, body, len);
    assert_string_equal(zt_header(r, "Content-Type"), mime);
    zt_resp_free(r);
}

/* ---- tests ---- */

static void test_each_type(void **st)
{
    world *w = *st;
    int64_t id = upload_ok(w, &w->a, "营业执照.pdf", PDF, sizeof PDF - 1, "application/pdf");
    expect_bytes(w, &w->a, id, PDF, sizeof PDF - 1, "application/pdf");
    id = upload_ok(w, &w->a, "logo.png", PNG, sizeof PNG, "image/png");
    expect_bytes(w, &w->a, id, PNG, sizeof PNG, "image/png");
    id = upload_ok(w, &w->a, "photo.JPG", JPEG, sizeof JPEG, "image/jpeg");
    expect_bytes(w, &w->a, id, JPEG, sizeof JPEG, "image/jpeg");

    const char *const plain[] = {"readme.txt", "hello", NULL};
    bytes z = make_zip(plain);
    upload_ok(w, &w->a, "材料.zip", z.p, z.n, "application/zip");
    /* a zip named .docx without the document's members stays a zip */
    upload_ok(w, &w->a, "fake.docx", z.p, z.n, "application/zip");
    free(z.p);

    bytes d = make_docx();
    id = upload_ok(w, &w->a, "报告.docx", d.p, d.n, MIME_DOCX);
    expect_bytes(w, &w->a, id, d.p, d.n, MIME_DOCX);
    /* the same document named .zip is stored as what the name promises */
    upload_ok(w, &w->a, "报告.zip", d.p, d.n, "application/zip");
    free(d.p);

    const char *const xl[] = {"[Content_Types].xml", CT_XML, "xl/workbook.xml", "<workbook/>", NULL};
    bytes x = make_zip(xl);
    upload_ok(w, &w->a, "报表.xlsx", x.p, x.n, MIME_XLSX);
    free(x.p);
    assert_int_equal(zm_audits(w->e, "upload.create"), 8);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM upload WHERE enterprise_id = %lld", (long long)w->ent_a), 8);
}

static void test_dedup_and_chunks(void **st)
{
    world *w = *st;
    /* 600 KiB: three 256 KiB chunks */
    size_t n = 600u << 10;
    char *big = malloc(n);
    memset(big, 'x', n);
    memcpy(big, "%PDF-1.4\n%", 10);
    for (size_t i = 10; i < n; i += 64) big[i] = '\n';
    memcpy(big + n - 6, "%%EOF\n", 6);
    int64_t a = upload_ok(w, &w->a, "big.pdf", big, n, "application/pdf");
    int64_t b = upload_ok(w, &w->a, "big-copy.pdf", big, n, "application/pdf");
    assert_true(a != b);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM file_blob"), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM file_chunk"), 3);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM upload"), 2);
    assert_int_equal(zt_count(w->e, "SELECT chunk_count FROM file_blob"), 3);
    /* another enterprise's identical file shares the blob, not the row */
    upload_ok(w, &w->b, "big.pdf", big, n, "application/pdf");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM file_blob"), 1);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM upload"), 3);
    expect_bytes(w, &w->a, b, big, n, "application/pdf");
    free(big);
}

static void expect_refused(world *w, zt_client *c, const char *name, const void *body, size_t len, int status,
                           const char *code, const char *field)
{
    long long before = stored(w);
    zt_resp *r = upload(w, c, name, body, len);
    if (r->status != status) fail_msg("%s: expected %d, got %d %s", name, status, r->status, r->body);
    assert_string_equal(zt_str(r, "error.code"), code);
    assert_non_null(zt_str(r, "error.message"));
    if (field) {
        const char *why = zt_str(r, field);
        if (!why || !*why) fail_msg("%s: no %s in %s", name, field, r->body);
    }
    zt_resp_free(r);
    assert_int_equal(stored(w), before);
}

static void test_refusals_store_nothing(void **st)
{
    world *w = *st;
    size_t n = (10u << 20) + 1;
    char *big = calloc(1, n);
    memcpy(big, PDF, sizeof PDF - 1);
    expect_refused(w, &w->a, "big.pdf", big, n, 413, "payload_too_large", NULL);
    free(big);
    static const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n";
    expect_refused(w, &w->a, "x.pdf", html, sizeof html - 1, 415, "unsupported_media_type", NULL);
    static const char sh[] = "#!/bin/sh\nrm -rf /tmp/x\n";
    expect_refused(w, &w->a, "run.pdf", sh, sizeof sh - 1, 415, "unsupported_media_type", NULL);
    FILE *f = fopen("/proc/self/exe", "rb");
    assert_non_null(f);
    char elf[8192];
    size_t got = fread(elf, 1, sizeof elf, f);
    fclose(f);
    expect_refused(w, &w->a, "tool.zip", elf, got, 415, "unsupported_media_type", NULL);
    static const char *const bad[] = {"../a.pdf", "a/b.pdf", "a\\b.pdf", "a\x01" "b.pdf", "a\tb.pdf", ".hidden.pdf",
                                      "..", "",
                                      /* issue 9.6: hidden format characters and names of nothing */
                                      "evil\u202E" "fdp.exe",       /* RIGHT-TO-LEFT OVERRIDE: shown as evilexe.pdf */
                                      "a\u2066" "b\u2069.pdf",     /* isolates */
                                      "报告\u200B.pdf",             /* zero-width space */
                                      "\uFEFF" "a.pdf",             /* BOM */
                                      "a\u00AD" "b.pdf",            /* soft hyphen */
                                      "a\u2028" "b.pdf",            /* line separator */
                                      "   ", "\u3000\u3000", " . . ", "\u00A0", NULL};
    for (int i = 0; bad[i]; i++)
        expect_refused(w, &w->a, bad[i], PDF, sizeof PDF - 1, 400, "validation_failed", "error.fields.name");
    char longname[200];
    for (int i = 0; i < 117; i++) longname[i] = 'a';
    memcpy(longname + 117, ".pdf", 5); /* 121 characters */
    expect_refused(w, &w->a, longname, PDF, sizeof PDF - 1, 400, "validation_failed", "error.fields.name");
    longname[116] = '\0';
    strcat(longname, ".pdf"); /* 120 characters: fine */
    upload_ok(w, &w->a, longname, PDF, sizeof PDF - 1, "application/pdf");
    long long before = stored(w);
    zt_expect(zt_raw(w->e, &w->a, "POST", "/api/v1/uploads", PDF, sizeof PDF - 1, NULL), 400, "validation_failed");
    expect_refused(w, &w->a, "empty.pdf", "", 0, 400, "bad_request", NULL);
    zt_client nocsrf = w->a;
    nocsrf.csrf[0] = '\0';
    expect_refused(w, &nocsrf, "a.pdf", PDF, sizeof PDF - 1, 403, "csrf_failed", NULL);
    zt_client anon;
    zt_client_init(&anon);
    expect_refused(w, &anon, "a.pdf", PDF, sizeof PDF - 1, 401, "unauthenticated", NULL);
    assert_int_equal(stored(w), before);
    assert_int_equal(zm_audits(w->e, "upload.create"), 1);
}

/* Uploading takes a permission some attachment-taking feature needs: a
 * read-only member is refused by the gate and stores nothing. */
static void test_read_only_member_cannot_upload(void **st)
{
    world *w = *st;
    zt_client ro, editor, surveyor;
    zm_member_with(w->e, &ro, w->ent_a, "13900000031", "policy.view", NULL);
    zm_member_with(w->e, &editor, w->ent_a, "13900000032", "profile.edit", NULL);
    zm_member_with(w->e, &surveyor, w->ent_a, "13900000033", "survey.answer", NULL);
    long long before = stored(w);
    zt_resp *r = upload(w, &ro, "a.pdf", PDF, sizeof PDF - 1);
    zm_expect_no_perm(r);
    assert_int_equal(stored(w), before);
    upload_ok(w, &editor, "a.pdf", PDF, sizeof PDF - 1, "application/pdf");
    upload_ok(w, &surveyor, "b.pdf", PDF, sizeof PDF - 1, "application/pdf");
}

static void small_quota(zq_config *c)
{
    c->upload_quota = 1u << 20;
}

/* The firm's uploads together stay under its quota: the one that would
 * pass it gets 413 with the figures, and nothing of it is stored; another
 * firm is not affected. */
static void test_quota(void **st)
{
    (void)st;
    world w = {0};
    w.e = zt_start_cfg(small_quota);
    w.ent_a = zm_enterprise(w.e, &w.a, "福州甲贸易有限公司", "13900000001", NULL);
    w.ent_b = zm_enterprise(w.e, &w.b, "福州乙贸易有限公司", "13900000002", NULL);
    size_t n = 400u << 10;
    char *big = malloc(n);
    memset(big, 'x', n);
    memcpy(big, "%PDF-1.4\n%", 10);
    for (size_t i = 10; i < n; i += 64) big[i] = '\n';
    memcpy(big + n - 6, "%%EOF\n", 6);
    upload_ok(&w, &w.a, "one.pdf", big, n, "application/pdf");
    big[100] = 'y'; /* another blob; the quota counts the firm's files, not shared blobs */
    upload_ok(&w, &w.a, "two.pdf", big, n, "application/pdf");
    big[101] = 'y';
    long long before = stored(&w);
    zt_resp *r = upload(&w, &w.a, "three.pdf", big, n);
    assert_int_equal(r->status, 413);
    assert_string_equal(zt_str(r, "error.code"), "payload_too_large");
    assert_non_null(strstr(zt_str(r, "error.message"), "存储空间不足"));
    zt_resp_free(r);
    assert_int_equal(stored(&w), before);
    assert_int_equal(zm_audits(w.e, "upload.create"), 2);
    upload_ok(&w, &w.b, "three.pdf", big, n, "application/pdf");
    free(big);
    zt_stop(w.e);
}

static void test_download_headers(void **st)
{
    world *w = *st;
    int64_t id = upload_ok(w, &w->a, "营业执照 \"副本\".pdf", PDF, sizeof PDF - 1, "application/pdf");
    zt_resp *r = download(w, &w->a, id);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_header(r, "Content-Type"), "application/pdf");
    assert_string_equal(zt_header(r, "Content-Disposition"),
                        "attachment; filename=\"____ ____.pdf\"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%22%E5%89%AF%E6%9C%AC%22.pdf");
    assert_string_equal(zt_header(r, "X-Content-Type-Options"), "nosniff");
    assert_string_equal(zt_header(r, "Content-Security-Policy"), "sandbox");
    assert_string_equal(zt_header(r, "Cache-Control"), "private, no-store");
    zt_resp_free(r);
}

static void test_download_access(void **st)
{
    world *w = *st;
    int64_t id = upload_ok(w, &w->a, "a.pdf", PDF, sizeof PDF - 1, "application/pdf");
    zt_expect(download(w, &w->b, id), 404, "not_found");
    zt_expect(download(w, &w->a, id + 1000), 404, "not_found");
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(download(w, &anon, id), 401, "unauthenticated");

    zt_make_staff(w->e, "taijiang", "district", "350103", ZT_PASSWORD);
    zt_make_staff(w->e, "gulou", "district", "350102", ZT_PASSWORD);
    zt_make_staff(w->e, "city1", "city", NULL, ZT_PASSWORD);
    zt_client other, same, city;
    zt_client_init(&other);
    zt_client_init(&same);
    zt_client_init(&city);
    zt_staff_login(w->e, &other, "taijiang", ZT_PASSWORD);
    zt_staff_login(w->e, &same, "gulou", ZT_PASSWORD);
    zt_staff_login(w->e, &city, "city1", ZT_PASSWORD);
    zt_expect(download(w, &other, id), 404, "not_found");
    expect_bytes(w, &same, id, PDF, sizeof PDF - 1, "application/pdf");
    expect_bytes(w, &city, id, PDF, sizeof PDF - 1, "application/pdf");

    /* a member of A who selected B in this session does not see A's file */
    int64_t ua = zt_count(w->e, "SELECT user_id FROM membership WHERE is_legal_rep = 1 ORDER BY enterprise_id LIMIT 1");
    zt_add_member(w->e, w->ent_b, ua, false);
    zt_client switched;
    zt_client_init(&switched);
    zm_session(w->e, &switched, ua, w->ent_b);
    zt_expect(download(w, &switched, id), 404, "not_found");
}

static void test_meta_helpers(void **st)
{
    world *w = *st;
    int64_t id = upload_ok(w, &w->a, "a.png", PNG, sizeof PNG, "image/png");
    db_conn *db = db_pool_acquire(w->e->app->pool);
    assert_true(upload_belongs_to(db, id, w->ent_a));
    assert_false(upload_belongs_to(db, id, w->ent_b));
    assert_false(upload_belongs_to(db, id + 1000, w->ent_a));
    zq_buf b;
    zq_buf_init(&b, 4096);
    zq_jw jw;
    zq_jw_init(&jw, &b);
    zq_jw_arr(&jw);
    assert_int_equal(upload_write_meta(db, id, &jw), 0);
    assert_int_equal(upload_write_meta(db, 0, &jw), 0);
    assert_int_equal(upload_write_meta(db, id + 1000, &jw), 0);
    zq_jw_arr_end(&jw);
    db_pool_release(w->e->app->pool, db);
    char want[128];
    snprintf(want, sizeof want, "[{\"id\":%lld,\"name\":\"a.png\",\"size\":%zu,\"mime\":\"image/png\"},null,null]",
             (long long)id, sizeof PNG);
    assert_true(zq_jw_ok(&jw));
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    zq_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_each_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dedup_and_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_store_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_member_cannot_upload, setup, teardown),
        cmocka_unit_test(test_quota),
        cmocka_unit_test_setup_teardown(test_download_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_download_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_meta_helpers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
