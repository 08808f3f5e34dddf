/*
 * test_invite.c — API tests of district invites (manual 1.3, 1.4): staff
 * create them for their district (city staff for any), list them in scope,
 * revoke them; the public lookup pre-selects the district; registrations
 * through an invite record the channel (link or qr) and the invite and
 * count a use; expired and revoked invites are refused; the QR endpoints
 * return a valid SVG and a valid PNG (decoded here) of the link.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures_reg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qrencode.h>
#include <zlib.h>

#define HOST "Host: zq.fuzhou.example\n"

typedef struct {
    zt_env *e;
    zt_client staff_a, staff_b, city;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    zr_staff(w->e, &w->staff_a, "gulou", "district", "350102");
    zr_staff(w->e, &w->staff_b, "taijiang", "district", "350103");
    zr_staff(w->e, &w->city, "city", "city", NULL);
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

static zt_resp *create(world *w, zt_client *c, const char *body)
{
    return zt_req(w->e, c, "POST", "/api/v1/admin/invites", body, HOST);
}

/* Creates an invite and returns its id; token copied into tok. */
static int64_t create_ok(world *w, zt_client *c, const char *body, char tok[64])
{
    zt_resp *r = create(w, c, body);
    if (r->status != 201) fail_msg("create invite: %d %s", r->status, r->body);
    int64_t id = zt_int(r, "id");
    if (tok) snprintf(tok, 64, "%s", zt_str(r, "token"));
    zt_resp_free(r);
    return id;
}

static char *ipath(int64_t id, const char *tail)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "/api/v1/admin/invites/%lld%s", (long long)id, tail);
    return buf;
}

static void test_create_district(void **st)
{
    world *w = *st;
    zt_resp *r = create(w, &w->staff_a, "{\"note\":\"2024 外贸企业座谈会\",\"expires_in_days\":30,\"channel\":\"qr\"}");
    assert_int_equal(r->status, 201);
    const char *tok = zt_str(r, "token");
    assert_non_null(tok);
    assert_int_equal(strlen(tok), 22);
    assert_string_equal(zt_str(r, "region"), "350102");
    assert_string_equal(zt_str(r, "region_name"), "鼓楼区");
    assert_string_equal(zt_str(r, "channel"), "qr");
    assert_string_equal(zt_str(r, "note"), "2024 外贸企业座谈会");
    char want[128];
    snprintf(want, sizeof want, "http://zq.fuzhou.example/r/%s", tok);
    assert_string_equal(zt_str(r, "url"), want);
    strcat(want, "?via=qr");
    assert_string_equal(zt_str(r, "qr_url"), want);
    assert_non_null(strstr(zt_str(r, "expires_at"), "+08:00"));
    assert_null(zt_str(r, "revoked_at"));
    assert_int_equal(zt_int(r, "uses"), 0);
    assert_true(json_is_true(zt_json(r, "valid")));
    assert_string_equal(zt_str(r, "created_by_name"), "gulou");
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'invite.create' AND region = '350102'"), 1);

    /* behind HTTPS the links say so */
    r = zt_req(w->e, &w->staff_a, "POST", "/api/v1/admin/invites", "{}", HOST "X-Forwarded-Proto: https\n");
    assert_int_equal(r->status, 201);
    assert_non_null(strstr(zt_str(r, "url"), "https://zq.fuzhou.example/r/"));
    assert_null(zt_str(r, "expires_at")); /* no expiry asked: never expires */
    assert_string_equal(zt_str(r, "channel"), "link");
    zt_resp_free(r);

    /* another district is refused */
    long long before = zt_count(w->e, "SELECT COUNT(*) FROM invite");
    r = create(w, &w->staff_a, "{\"region\":\"350103\"}");
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.region"));
    zt_resp_free(r);
    zt_expect(create(w, &w->staff_a, "{\"expires_in_days\":-1}"), 400, "validation_failed");
    zt_expect(create(w, &w->staff_a, "{\"expires_in_days\":99999}"), 400, "validation_failed");
    zt_expect(create(w, &w->staff_a, "{\"channel\":\"fax\"}"), 400, "validation_failed");
    zt_expect(create(w, &w->staff_a, "{\"token\":\"mine\"}"), 400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM invite"), before);
}

static void test_create_city(void **st)
{
    world *w = *st;
    zt_resp *r = create(w, &w->city, "{}");
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.region"));
    zt_resp_free(r);
    zt_expect(create(w, &w->city, "{\"region\":\"350100\"}"), 400, "validation_failed"); /* the city row */
    zt_expect(create(w, &w->city, "{\"region\":\"999999\"}"), 400, "validation_failed");
    r = create(w, &w->city, "{\"region\":\"350181\"}");
    assert_int_equal(r->status, 201);
    assert_string_equal(zt_str(r, "region_name"), "福清市");
    zt_resp_free(r);
    /* enterprise users and anonymous callers cannot */
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(create(w, &anon, "{\"region\":\"350102\"}"), 401, "unauthenticated");
    zt_client user;
    zr_register_ok(w->e, &user, 5, "350102");
    zt_expect(create(w, &user, "{\"region\":\"350102\"}"), 403, "forbidden");
}

static void test_list_scoped(void **st)
{
    world *w = *st;
    create_ok(w, &w->staff_a, "{}", NULL);
    create_ok(w, &w->staff_a, "{}", NULL);
    create_ok(w, &w->staff_b, "{}", NULL);
    zt_resp *r = zt_req(w->e, &w->staff_a, "GET", "/api/v1/admin/invites", NULL, HOST);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 2);
    assert_string_equal(zt_str(r, "items.0.region"), "350102");
    assert_string_equal(zt_str(r, "items.1.region"), "350102");
    assert_non_null(strstr(zt_str(r, "items.0.url"), "http://zq.fuzhou.example/r/"));
    zt_resp_free(r);
    r = zt_get(w->e, &w->staff_a, "/api/v1/admin/invites?region=350103");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/admin/invites");
    assert_int_equal(zt_int(r, "total"), 3);
    assert_null(zt_str(r, "items.0.url")); /* no Host: only the path */
    assert_non_null(zt_str(r, "items.0.path"));
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/admin/invites?region=350103&page_size=1");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
}

static void test_public_lookup_and_register_via_invite(void **st)
{
    world *w = *st;
    char tok[64], path[128];
    int64_t id = create_ok(w, &w->staff_a, "{}", tok);
    zt_client anon;
    zt_client_init(&anon);
    snprintf(path, sizeof path, "/api/v1/invites/%s", tok);
    zt_resp *r = zt_get(w->e, &anon, path);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "region"), "350102");
    assert_string_equal(zt_str(r, "region_name"), "鼓楼区");
    assert_string_equal(zt_str(r, "channel"), "link");
    assert_true(json_is_true(zt_json(r, "valid")));
    assert_null(zt_json(r, "id"));
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &anon, "/api/v1/invites/AAAAAAAAAAAAAAAAAAAAAA"), 404, "not_found");
    zt_expect(zt_get(w->e, &anon, "/api/v1/invites/bad%20token"), 404, "not_found");

    /* opened as a link */
    char uscc[19];
    zr_uscc(11, uscc);
    json_t *f = zr_form(uscc, "13900000011");
    zr_set(f, "invite", tok);
    r = zr_register(w->e, &anon, f);
    assert_int_equal(r->status, 201);
    zt_resp_free(r);
    r = zt_get(w->e, &anon, "/api/v1/registration");
    assert_string_equal(zt_str(r, "channel"), "link");
    assert_int_equal(zt_int(r, "invite_id"), id);
    zt_resp_free(r);
    json_decref(f);

    /* opened from the QR code (?via=qr, passed on by the page as channel qr) */
    zt_client other;
    zt_client_init(&other);
    snprintf(other.ip, sizeof other.ip, "10.1.1.1");
    zr_uscc(12, uscc);
    f = zr_form(uscc, "13900000012");
    zr_set(f, "invite", tok);
    zr_set(f, "channel", "qr");
    zr_set(f, "region", "350104"); /* pre-selected, not imposed */
    r = zr_register(w->e, &other, f);
    assert_int_equal(r->status, 201);
    zt_resp_free(r);
    r = zt_get(w->e, &other, "/api/v1/registration");
    assert_string_equal(zt_str(r, "channel"), "qr");
    assert_string_equal(zt_str(r, "region"), "350104");
    zt_resp_free(r);
    json_decref(f);
    assert_int_equal(zr_countf(w->e, "SELECT uses FROM invite WHERE id = %lld", (long long)id), 2);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM enterprise WHERE invite_id = %lld", (long long)id), 2);

    /* staff see the uses */
    r = zt_get(w->e, &w->staff_a, "/api/v1/admin/invites");
    assert_int_equal(zt_int(r, "items.0.uses"), 2);
    zt_resp_free(r);
}

static void test_revoke(void **st)
{
    world *w = *st;
    char tok[64], path[128];
    int64_t id = create_ok(w, &w->staff_a, "{}", tok);
    /* another district's staff: as if it did not exist */
    zt_expect(zt_post(w->e, &w->staff_b, ipath(id, "/revoke"), "{}"), 404, "not_found");
    zt_expect(zt_post(w->e, &w->staff_a, ipath(99999, "/revoke"), "{}"), 404, "not_found");
    zt_resp *r = zt_post(w->e, &w->staff_a, ipath(id, "/revoke"), "{}");
    assert_int_equal(r->status, 200);
    assert_false(json_is_true(zt_json(r, "valid")));
    assert_non_null(zt_str(r, "revoked_at"));
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'invite.revoke' AND region = '350102'"), 1);
    zt_expect(zt_post(w->e, &w->staff_a, ipath(id, "/revoke"), "{}"), 409, "conflict");

    zt_client anon;
    zt_client_init(&anon);
    snprintf(path, sizeof path, "/api/v1/invites/%s", tok);
    zt_expect(zt_get(w->e, &anon, path), 404, "not_found");
    /* registering through it is refused, nothing stored */
    char uscc[19];
    zr_uscc(21, uscc);
    json_t *f = zr_form(uscc, "13900000021");
    zr_set(f, "invite", tok);
    zr_set(f, "sms_code", "000000");
    r = zr_send(w->e, &anon, "POST", "/api/v1/register", f);
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.invite"));
    zt_resp_free(r);
    json_decref(f);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM enterprise"), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM app_user"), 0);
    /* and its QR code is no longer handed out */
    zt_expect(zt_req(w->e, &w->staff_a, "GET", ipath(id, "/qr.svg"), NULL, HOST), 409, "conflict");
    /* city staff can revoke any district's */
    int64_t id2 = create_ok(w, &w->staff_b, "{}", NULL);
    zt_expect(zt_post(w->e, &w->city, ipath(id2, "/revoke"), "{}"), 200, NULL);
}

static void test_expiry(void **st)
{
    world *w = *st;
    char tok[64], path[128];
    int64_t id = create_ok(w, &w->staff_a, "{\"expires_in_days\":1}", tok);
    zt_client anon;
    zt_client_init(&anon);
    snprintf(path, sizeof path, "/api/v1/invites/%s", tok);
    zt_expect(zt_get(w->e, &anon, path), 200, NULL);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE invite SET expires_at = 1000 WHERE id = %lld", (long long)id);
    zt_exec(w->e, sql);
    zt_expect(zt_get(w->e, &anon, path), 404, "not_found");
    char uscc[19];
    zr_uscc(31, uscc);
    json_t *f = zr_form(uscc, "13900000031");
    zr_set(f, "invite", tok);
    zr_set(f, "sms_code", "000000");
    zt_resp *r = zr_send(w->e, &anon, "POST", "/api/v1/register", f);
    assert_int_equal(r->status, 400);
    assert_non_null(zt_str(r, "error.fields.invite"));
    zt_resp_free(r);
    json_decref(f);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM enterprise"), 0);
    r = zt_get(w->e, &w->staff_a, "/api/v1/admin/invites");
    assert_false(json_is_true(zt_json(r, "items.0.valid")));
    zt_resp_free(r);
    zt_expect(zt_req(w->e, &w->staff_a, "GET", ipath(id, "/qr.png"), NULL, HOST), 409, "conflict");
}

static void test_qr_svg(void **st)
{
    world *w = *st;
    int64_t id = create_ok(w, &w->staff_a, "{}", NULL);
    zt_resp *r = zt_req(w->e, &w->staff_a, "GET", ipath(id, "/qr.svg"), NULL, HOST);
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(zt_header(r, "Content-Type"), "image/svg+xml"));
    assert_non_null(strstr(zt_header(r, "Content-Disposition"), ".svg"));
    assert_memory_equal(r->body, "<?xml", 5);
    assert_non_null(strstr(r->body, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(r->body, "<path fill=\"#000\" d=\"M4 4h7v1h-7z")); /* top-left finder pattern */
    assert_non_null(strstr(r->body, "</svg>"));
    assert_null(strstr(r->body, "<script"));
    zt_resp_free(r);
    zt_expect(zt_req(w->e, &w->staff_b, "GET", ipath(id, "/qr.svg"), NULL, HOST), 404, "not_found");
    zt_expect(zt_get(w->e, &w->staff_a, ipath(id, "/qr.svg")), 400, "bad_request"); /* no Host */
    zt_expect(zt_req(w->e, &w->staff_a, "GET", ipath(id, "/qr.svg"), NULL, "Host: evil.example/<x>\n"), 400,
              "bad_request");
    zt_expect(zt_req(w->e, &w->city, "GET", ipath(id, "/qr.svg"), NULL, HOST), 200, NULL);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void test_qr_png(void **st)
{
    world *w = *st;
    char tok[64];
    int64_t id = create_ok(w, &w->staff_a, "{}", tok);
    zt_resp *r = zt_req(w->e, &w->staff_a, "GET", ipath(id, "/qr.png"), NULL, HOST);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_header(r, "Content-Type"), "image/png");
    const unsigned char *p = (const unsigned char *)r->body;
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assert_true(r->len > 8 + 25 + 12 + 12);
    assert_memory_equal(p, sig, 8);

    /* walk the chunks, checking every CRC; inflate IDAT */
    size_t off = 8;
    uint32_t width = 0, height = 0;
    unsigned char *idat = NULL;
    size_t idat_len = 0;
    int chunks = 0;
    bool end = false;
    while (off + 12 <= r->len && !end) {
        uint32_t len = be32(p + off);
        assert_true(off + 12 + len <= r->len);
        const unsigned char *type = p + off + 4, *data = p + off + 8;
        uLong crc = crc32(crc32(0L, Z_NULL, 0), type, 4 + len);
        assert_int_equal((uint32_t)crc, be32(data + len));
        if (memcmp(type, "IHDR", 4) == 0) {
            assert_int_equal(chunks, 0);
            assert_int_equal(len, 13);
            width = be32(data);
            height = be32(data + 4);
            assert_int_equal(data[8], 1); /* bit depth */
            assert_int_equal(data[9], 0); /* greyscale */
        } else if (memcmp(type, "IDAT", 4) == 0) {
            idat = realloc(idat, idat_len + len);
            memcpy(idat + idat_len, data, len);
            idat_len += len;
        } else if (memcmp(type, "IEND", 4) == 0) {
            end = true;
        }
        chunks++;
        off += 12 + len;
    }
    assert_true(end);
    assert_int_equal(off, r->len);
    assert_int_equal(width, height);
    assert_int_equal(width % 8, 0);       /* 8 px per module */
    assert_true(width >= (21 + 8) * 8);   /* at least version 1 + quiet zone */
    size_t stride = 1 + (width + 7) / 8;
    uLongf raw_len = (uLongf)(stride * height);
    unsigned char *raw = malloc(raw_len);
    assert_int_equal(uncompress(raw, &raw_len, idat, (uLong)idat_len), Z_OK);
    assert_int_equal(raw_len, stride * height);
    /* quiet zone white; the finder pattern's corner (module 4,4 → pixel 32,32) black */
    const unsigned char *row0 = raw, *row32 = raw + 32 * stride;
    assert_int_equal(row0[0], 0);
    assert_int_equal(row0[1], 0xff);
    assert_true((row32[1 + 32 / 8] & 0x80) == 0);
    assert_true((row32[1 + 31 / 8] & 0x01) != 0);
    /* every module matches libqrencode's own encoding of the QR link */
    char link[128];
    snprintf(link, sizeof link, "http://zq.fuzhou.example/r/%s?via=qr", tok);
    QRcode *qr = QRcode_encodeString(link, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(qr);
    assert_int_equal(width, (uint32_t)(qr->width + 8) * 8);
    for (int my = 0; my < qr->width; my++)
        for (int mx = 0; mx < qr->width; mx++) {
            size_t px = (size_t)(mx + 4) * 8 + 4, py = (size_t)(my + 4) * 8 + 4; /* module centre */
            bool black = (raw[py * stride + 1 + px / 8] & (0x80 >> (px % 8))) == 0;
            assert_int_equal(black, qr->data[my * qr->width + mx] & 1);
        }
    QRcode_free(qr);
    free(raw);
    free(idat);
    zt_resp_free(r);
    zt_expect(zt_req(w->e, &w->staff_b, "GET", ipath(id, "/qr.png"), NULL, HOST), 404, "not_found");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_district, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_city, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_scoped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_public_lookup_and_register_via_invite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revoke, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qr_svg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qr_png, setup, teardown),
    };
    return cmocka_run_group_tests_name("invite", tests, NULL, NULL);
}
