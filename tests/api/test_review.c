/*
 * test_review.c — API tests of the bureau's registration review: district
 * scope (district A staff cannot list, read, approve or reject district B's
 * registrations: 404, and the list leaves them out), city staff see all,
 * approve and reject only from pending (409 otherwise), reject needs a
 * reason, the applicant sees the result and can correct and resubmit,
 * approval of a non-legal-rep application gives the legal rep an account,
 * list filters and paging, masking. SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures_reg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zt_env *e;
    zt_client app_a, app_b;     /* applicants in 鼓楼区 (350102) and 台江区 (350103) */
    int64_t ent_a, ent_b;
    zt_client staff_a, staff_b, city;
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zr_register_ok(w->e, &w->app_a, 1, "350102");
    w->ent_b = zr_register_ok(w->e, &w->app_b, 2, "350103");
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

static char *path(int64_t id, const char *tail)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "/api/v1/admin/registrations/%lld%s", (long long)id, tail);
    return buf;
}

static const char *status_of(zt_env *e, int64_t id)
{
    static char buf[32];
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT status FROM enterprise WHERE id = %lld", (long long)id);
    char *s = zr_text(e, sql);
    snprintf(buf, sizeof buf, "%s", s ? s : "");
    free(s);
    return buf;
}

static void test_list_scoped(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->staff_a, "/api/v1/admin/registrations");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(json_array_size(zt_json(r, "items")), 1);
    assert_int_equal(zt_int(r, "items.0.id"), w->ent_a);
    assert_string_equal(zt_str(r, "items.0.region"), "350102");
    assert_string_equal(zt_str(r, "items.0.region_name"), "鼓楼区");
    assert_string_equal(zt_str(r, "items.0.status"), "pending");
    assert_string_equal(zt_str(r, "items.0.channel"), "web");
    assert_string_equal(zt_str(r, "items.0.contact_phone"), "139****0001");
    assert_non_null(strstr(zt_str(r, "items.0.submitted_at"), "+08:00"));
    assert_int_equal(zt_int(r, "page"), 1);
    assert_int_equal(zt_int(r, "page_size"), 20);
    zt_resp_free(r);

    /* asking for the other district by filter still yields nothing */
    r = zt_get(w->e, &w->staff_a, "/api/v1/admin/registrations?region=350103");
    assert_int_equal(zt_int(r, "total"), 0);
    assert_int_equal(json_array_size(zt_json(r, "items")), 0);
    zt_resp_free(r);

    r = zt_get(w->e, &w->city, "/api/v1/admin/registrations");
    assert_int_equal(zt_int(r, "total"), 2);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/admin/registrations?region=350103");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), w->ent_b);
    zt_resp_free(r);
}

static void test_list_filters_and_paging(void **st)
{
    world *w = *st;
    char uscc[19];
    zr_uscc(2, uscc);
    char q[64];
    /* uscc fragment, typed in lower case */
    snprintf(q, sizeof q, "/api/v1/admin/registrations?q=%s", "ma0000002");
    zt_resp *r = zt_get(w->e, &w->city, q);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_string_equal(zt_str(r, "items.0.uscc"), uscc);
    zt_resp_free(r);
    /* name fragment (percent-encoded 闽江) */
    r = zt_get(w->e, &w->city, "/api/v1/admin/registrations?q=%E9%97%BD%E6%B1%9F");
    assert_int_equal(zt_int(r, "total"), 2);
    zt_resp_free(r);
    /* LIKE wildcards are literal */
    r = zt_get(w->e, &w->city, "/api/v1/admin/registrations?q=%25");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/admin/registrations?status=approved");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/admin/registrations?page=2&page_size=1");
    assert_int_equal(zt_int(r, "total"), 2);
    assert_int_equal(json_array_size(zt_json(r, "items")), 1);
    assert_int_equal(zt_int(r, "items.0.id"), w->ent_a); /* newest first; same second → higher id first */
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/registrations?status=weird"), 400, "validation_failed");
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/registrations?page_size=1000"), 400, "validation_failed");
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/registrations?page=0"), 400, "validation_failed");
}

static void test_district_cannot_touch_other_district(void **st)
{
    world *w = *st;
    zt_expect(zt_get(w->e, &w->staff_a, path(w->ent_b, "")), 404, "not_found");
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_b, "/approve"), "{}"), 404, "not_found");
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_b, "/reject"), "{\"reason\":\"资料不全\"}"), 404, "not_found");
    assert_string_equal(status_of(w->e, w->ent_b), "pending");
    /* indistinguishable from a registration that does not exist */
    zt_expect(zt_get(w->e, &w->staff_a, path(999999, "")), 404, "not_found");
    zt_expect(zt_get(w->e, &w->staff_a, "/api/v1/admin/registrations/abc"), 404, "not_found");
    zt_expect(zt_post(w->e, &w->staff_a, path(999999, "/approve"), "{}"), 404, "not_found");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'registration.approve%'"), 0);

    /* a district account without a district sees nothing */
    zt_client lost;
    zr_staff(w->e, &lost, "lost", "district", NULL);
    zt_resp *r = zt_get(w->e, &lost, "/api/v1/admin/registrations");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &lost, path(w->ent_a, "")), 404, "not_found");
}

/* Phones masked like everywhere else (issue 9); staff reveal one at a
 * time, audited (test_reveal.c). */
static void test_detail_masked(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->staff_a, path(w->ent_a, ""));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "id"), w->ent_a);
    assert_string_equal(zt_str(r, "contact_phone"), "139****0001");
    assert_string_equal(zt_str(r, "legal_rep_phone"), "139****0001");
    assert_string_equal(zt_str(r, "applicant.phone"), "139****0001");
    assert_null(strstr(r->body, "13900000001"));
    assert_string_equal(zt_str(r, "region_name"), "鼓楼区");
    assert_string_equal(zt_str(r, "characteristics.0"), "private");
    assert_null(zt_json(r, "can_edit"));
    zt_resp_free(r);
}

static void test_approve(void **st)
{
    world *w = *st;
    zt_resp *r = zt_post(w->e, &w->staff_a, path(w->ent_a, "/approve"), NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "approved");
    assert_string_equal(zt_str(r, "reviewed_by_name"), "gulou");
    assert_non_null(zt_str(r, "reviewed_at"));
    zt_resp_free(r);
    assert_string_equal(status_of(w->e, w->ent_a), "approved");
    /* approval creates the default enterprise roles at once */
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM enterprise_role WHERE is_default = 1"), 3);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'registration.approve'"
                                    " AND region = '350102' AND actor_kind = 'staff'"), 1);
    /* only from pending */
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_a, "/approve"), "{}"), 409, "conflict");
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_a, "/reject"), "{\"reason\":\"x\"}"), 409, "conflict");
    /* the applicant sees it */
    r = zt_get(w->e, &w->app_a, "/api/v1/registration");
    assert_string_equal(zt_str(r, "status"), "approved");
    assert_false(json_is_true(zt_json(r, "can_edit")));
    zt_resp_free(r);
    r = zt_get(w->e, &w->app_a, "/api/v1/auth/me");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "current_enterprise_id"), w->ent_a);
    assert_string_equal(zt_str(r, "enterprises.0.status"), "approved");
    zt_resp_free(r);
    /* and can no longer edit the registration */
    char uscc[19];
    zr_uscc(1, uscc);
    json_t *f = zr_form(uscc, "13900000001");
    json_object_del(f, "password");
    json_object_del(f, "agree"); /* account-level, registration only */
    zt_expect(zr_send(w->e, &w->app_a, "PUT", "/api/v1/registration", f), 409, "conflict");
    json_decref(f);
    /* the approved USCC still blocks a new registration */
    zt_client other;
    zt_client_init(&other);
    snprintf(other.ip, sizeof other.ip, "10.9.9.9");
    f = zr_form(uscc, "13900000077");
    r = zr_register(w->e, &other, f);
    assert_int_equal(r->status, 409);
    assert_string_equal(zt_str(r, "error.code"), "uscc_registered");
    zt_resp_free(r);
    json_decref(f);
}

static void test_reject_and_resubmit(void **st)
{
    world *w = *st;
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_a, "/reject"), "{}"), 400, "validation_failed");
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_a, "/reject"), "{\"reason\":\"   \"}"), 400, "validation_failed");
    char *longr = malloc(3 * 501 + 32);
    strcpy(longr, "{\"reason\":\"");
    for (int i = 0; i < 501; i++) strcat(longr, "错");
    strcat(longr, "\"}");
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_a, "/reject"), longr), 400, "validation_failed");
    free(longr);
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_a, "/reject"), "{\"reason\":\"x\",\"extra\":1}"), 400,
              "validation_failed");
    assert_string_equal(status_of(w->e, w->ent_a), "pending");

    zt_resp *r = zt_post(w->e, &w->staff_a, path(w->ent_a, "/reject"), "{\"reason\":\"营业执照照片不清晰\"}");
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "rejected");
    assert_string_equal(zt_str(r, "reject_reason"), "营业执照照片不清晰");
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'registration.reject'"
                                    " AND region = '350102'"), 1);
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_a, "/approve"), "{}"), 409, "conflict");

    r = zt_get(w->e, &w->app_a, "/api/v1/registration");
    assert_string_equal(zt_str(r, "status"), "rejected");
    assert_string_equal(zt_str(r, "reject_reason"), "营业执照照片不清晰");
    assert_true(json_is_true(zt_json(r, "can_edit")));
    zt_resp_free(r);

    /* only the applicant edits it: another member gets 403 (here: nobody else is a member, so check staff 403) */
    zt_expect(zt_req(w->e, &w->staff_a, "PUT", "/api/v1/registration", "{}", NULL), 403, "forbidden");

    /* correct and resubmit */
    char uscc[19];
    zr_uscc(1, uscc);
    json_t *f = zr_form_full(uscc, "13900000001");
    json_object_del(f, "password");
    json_object_del(f, "agree"); /* account-level, registration only */
    zr_set(f, "address", "福州市鼓楼区东街 88 号");
    r = zr_send(w->e, &w->app_a, "PUT", "/api/v1/registration", f);
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "pending");
    assert_null(zt_str(r, "reject_reason"));
    assert_null(zt_str(r, "reviewed_at"));
    assert_string_equal(zt_str(r, "address"), "福州市鼓楼区东街 88 号");
    zt_resp_free(r);
    json_decref(f);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM audit_log WHERE action = 'registration.resubmit'"), 1);
    zt_expect(zt_post(w->e, &w->staff_a, path(w->ent_a, "/approve"), "{}"), 200, NULL);
    assert_string_equal(status_of(w->e, w->ent_a), "approved");
}

static void test_rejected_uscc_can_register_again(void **st)
{
    world *w = *st;
    zt_expect(zt_post(w->e, &w->city, path(w->ent_b, "/reject"), "{\"reason\":\"非本市企业\"}"), 200, NULL);
    char uscc[19];
    zr_uscc(2, uscc);
    zt_client c;
    zt_client_init(&c);
    snprintf(c.ip, sizeof c.ip, "10.8.8.8");
    json_t *f = zr_form(uscc, "13900000088");
    zt_expect(zr_register(w->e, &c, f), 201, NULL);
    json_decref(f);
    /* now the old application cannot be resubmitted under that USCC */
    f = zr_form(uscc, "13900000002");
    json_object_del(f, "password");
    json_object_del(f, "agree"); /* account-level, registration only */
    zt_resp *r = zr_send(w->e, &w->app_b, "PUT", "/api/v1/registration", f);
    assert_int_equal(r->status, 409);
    assert_string_equal(zt_str(r, "error.code"), "uscc_registered");
    zt_resp_free(r);
    json_decref(f);
    assert_string_equal(status_of(w->e, w->ent_b), "rejected");
}

static void test_city_staff_act_everywhere(void **st)
{
    world *w = *st;
    zt_expect(zt_get(w->e, &w->city, path(w->ent_b, "")), 200, NULL);
    zt_expect(zt_post(w->e, &w->city, path(w->ent_b, "/approve"), "{}"), 200, NULL);
    assert_string_equal(status_of(w->e, w->ent_b), "approved");
    zt_resp *r = zt_get(w->e, &w->app_b, "/api/v1/registration");
    assert_string_equal(zt_str(r, "status"), "approved");
    zt_resp_free(r);
    /* district B sees its approved enterprise */
    r = zt_get(w->e, &w->staff_b, "/api/v1/admin/registrations?status=approved");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
}

static void test_staff_applicant_approval_creates_legal_rep(void **st)
{
    world *w = *st;
    zt_client c;
    zt_client_init(&c);
    snprintf(c.ip, sizeof c.ip, "10.7.7.7");
    char uscc[19];
    zr_uscc(3, uscc);
    json_t *f = zr_form(uscc, "13900000003");
    zr_set(f, "applicant_role", "staff");
    zr_set(f, "contact_name", "李四");
    zr_set(f, "legal_rep_name", "王五");
    zr_set(f, "legal_rep_phone", "13800000003");
    zt_resp *r = zr_register(w->e, &c, f);
    json_decref(f);
    assert_int_equal(r->status, 201);
    int64_t eid = zt_int(r, "current_enterprise_id");
    zt_resp_free(r);
    zt_expect(zt_post(w->e, &w->staff_a, path(eid, "/approve"), "{}"), 200, NULL);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM app_user WHERE phone = '13800000003'"
                                    " AND must_change_password = 1 AND name = '王五'"), 1);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM membership m JOIN app_user u ON u.id = m.user_id"
                                     " WHERE m.enterprise_id = %lld AND u.phone = '13800000003' AND m.is_legal_rep = 1",
                               (long long)eid), 1);
    assert_int_equal(zr_countf(w->e, "SELECT COUNT(*) FROM membership m JOIN app_user u ON u.id = m.user_id"
                                     " WHERE m.enterprise_id = %lld AND u.phone = '13900000003' AND m.is_legal_rep = 0",
                               (long long)eid), 1);
    char *detail = zr_text(w->e, "SELECT detail FROM audit_log WHERE action = 'registration.approve'");
    assert_non_null(strstr(detail, "created"));
    assert_null(strstr(detail, "13800000003"));
    free(detail);
    /* the named legal rep's 888888 alone opens nothing: the SMS step first */
    zt_client lr;
    zt_client_init(&lr);
    r = zt_post(w->e, &lr, "/api/v1/auth/login", "{\"phone\":\"13800000003\",\"password\":\"888888\"}");
    assert_int_equal(r->status, 200);
    assert_true(json_is_true(zt_json(r, "sms_required")));
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &lr, "/api/v1/auth/me"), 401, "unauthenticated");
}

static void test_not_for_enterprise_users(void **st)
{
    world *w = *st;
    zt_expect(zt_get(w->e, &w->app_a, "/api/v1/admin/registrations"), 403, "forbidden");
    zt_expect(zt_post(w->e, &w->app_a, path(w->ent_a, "/approve"), "{}"), 403, "forbidden");
    assert_string_equal(status_of(w->e, w->ent_a), "pending");
    zt_client anon;
    zt_client_init(&anon);
    zt_expect(zt_get(w->e, &anon, "/api/v1/admin/registrations"), 401, "unauthenticated");
    /* staff without the CSRF header cannot decide */
    zt_client nocsrf = w->staff_a;
    nocsrf.csrf[0] = '\0';
    zt_expect(zt_post(w->e, &nocsrf, path(w->ent_a, "/approve"), "{}"), 403, "csrf_failed");
    assert_string_equal(status_of(w->e, w->ent_a), "pending");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_scoped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_filters_and_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_district_cannot_touch_other_district, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detail_masked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_approve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reject_and_resubmit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejected_uscc_can_register_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_city_staff_act_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_applicant_approval_creates_legal_rep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_for_enterprise_users, setup, teardown),
    };
    return cmocka_run_group_tests_name("review", tests, NULL, NULL);
}
