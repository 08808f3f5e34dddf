/*
 * test_consult_flow.c — consultations (issue 14) end to end: a firm asks,
 * the deadline is working days over the holiday calendar, the bureau's
 * district scope (other district 404), the reply notifies the asker, a
 * follow-up reopens with a new deadline, rating closes it (不满意 → review
 * for the supervisor), anonymised publication and two-character search on
 * the public Q&A, the visitor's form with an SMS code; bad input of each
 * kind answers a Chinese message with a machine code and stores nothing.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "support/fixtures_reg.h"
#include "core/clock.h"
#include "core/workday.h"
#include "consult/consult.h"
#include "db/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

typedef struct {
    zt_env *e;
    zt_client city, gulou, taijiang;  /* staff: city-wide, 鼓楼区, 台江区 */
    zt_client a, b;                   /* legal reps: A (鼓楼), B (台江) */
    int64_t ent_a, ent_b, user_a, city_id;
} world;

#define ASK_A "福州闽江外贸有限公司"
#define PHONE_A "13900000101"

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    w->ent_a = zm_enterprise(w->e, &w->a, ASK_A, PHONE_A, &w->user_a);
    w->ent_b = zm_enterprise(w->e, &w->b, "福州台江电商有限公司", "13900000102", NULL);
    zt_execf(w->e, "UPDATE enterprise SET region = '350103' WHERE id = %lld", (long long)w->ent_b);
    w->city_id = zr_staff(w->e, &w->city, "city1", "city", NULL);
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

/* Asserts status (and the error code) without freeing r, which is read on. */
static void keep(zt_resp *r, int status, const char *code)
{
    if (r->status != status) fail_msg("expected status %d, got %d: %s", status, r->status, r->body);
    if (code && (!zt_str(r, "error.code") || strcmp(zt_str(r, "error.code"), code) != 0))
        fail_msg("expected error code %s, got %s", code, r->body);
}

static int64_t ask(world *w, const char *title, const char *content, bool publishable)
{
    zt_resp *r = zt_postf(w->e, &w->a, "/api/v1/enterprise/consultations",
                          "{\"kind\":\"question\",\"category\":\"trade\",\"title\":\"%s\",\"content\":\"%s\","
                          "\"publishable\":%s}",
                          title, content, publishable ? "true" : "false");
    keep(r, 201, NULL);
    int64_t id = zt_int(r, "id");
    assert_string_equal(zt_str(r, "status"), "submitted");
    zt_resp_free(r);
    return id;
}

static void reply(world *w, zt_client *c, int64_t id, const char *content)
{
    zt_resp *r = zt_postf(w->e, c, zt_path("/api/v1/admin/consultations/%lld/reply", id), "{\"content\":\"%s\"}", content);
    keep(r, 200, NULL);
    assert_string_equal(zt_str(r, "status"), "answered");
    zt_resp_free(r);
}

static void test_ask_scope_reply_reopen_rate(void **st)
{
    world *w = *st;
    int64_t id = ask(w, "出口退税进度如何查询", "我司 3 月申报的出口退税尚未到账，请问如何查询进度？联系电话 " PHONE_A, false);
    zt_resp *r = zt_get(w->e, &w->a, zt_path("/api/v1/enterprise/consultations/%lld", id));
    keep(r, 200, NULL);
    assert_string_equal(zt_str(r, "category_name"), "外贸");
    assert_string_equal(zt_str(r, "messages.0.author_kind"), "user");
    assert_non_null(zt_str(r, "due_at"));
    assert_false(json_is_true(zt_json(r, "overdue")));
    assert_string_equal(zt_str(r, "events.0.event"), "submitted");
    zt_resp_free(r);
    /* another firm, and staff of another district, see nothing */
    zt_expect(zt_get(w->e, &w->b, zt_path("/api/v1/enterprise/consultations/%lld", id)), 404, "not_found");
    zt_expect(zt_get(w->e, &w->taijiang, zt_path("/api/v1/admin/consultations/%lld", id)), 404, "not_found");
    r = zt_get(w->e, &w->taijiang, "/api/v1/admin/consultations");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zt_postf(w->e, &w->taijiang, zt_path("/api/v1/admin/consultations/%lld/reply", id), "{\"content\":\"好\"}"),
              404, "not_found");
    r = zt_get(w->e, &w->gulou, "/api/v1/admin/consultations?status=submitted");
    keep(r, 200, NULL);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), id);
    zt_resp_free(r);
    /* the filters narrow: another status, a unit it is not with; the firm's own list by status */
    const char *none[] = {"/api/v1/admin/consultations?status=closed", "/api/v1/admin/consultations?unit=999999"};
    for (int i = 0; i < 2; i++) {
        r = zt_get(w->e, &w->gulou, none[i]);
        keep(r, 200, NULL);
        assert_int_equal(zt_int(r, "total"), 0);
        zt_resp_free(r);
    }
    r = zt_get(w->e, &w->a, "/api/v1/enterprise/consultations?status=submitted");
    keep(r, 200, NULL);
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->a, "/api/v1/enterprise/consultations?status=answered");
    keep(r, 200, NULL);
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/consultations/%lld", id));
    assert_string_equal(zt_str(r, "enterprise_name"), ASK_A);
    zt_resp_free(r);
    zt_expect(zt_postf(w->e, &w->b, zt_path("/api/v1/enterprise/consultations/%lld/messages", id), "{\"content\":\"?\"}"),
              404, "not_found");

    /* rating before an answer is refused */
    zt_expect(zt_postf(w->e, &w->a, zt_path("/api/v1/enterprise/consultations/%lld/rate", id), "{\"rating\":\"satisfied\"}"),
              422, "business_rule");
    reply(w, &w->gulou, id, "<p>请登录<b>国际贸易单一窗口</b>查询退税进度。</p>");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'consultation' AND ref_id = %lld"
                                     " AND account_id = %lld", (long long)id, (long long)w->user_a), 1);
    assert_int_equal(zm_audits(w->e, "consult.reply"), 1);

    /* a follow-up reopens it with a new deadline */
    zt_execf(w->e, "UPDATE consultation SET due_at = 1 WHERE id = %lld", (long long)id);
    r = zt_postf(w->e, &w->a, zt_path("/api/v1/enterprise/consultations/%lld/messages", id), "{\"content\":\"还需要哪些材料？\"}");
    keep(r, 200, NULL);
    assert_string_equal(zt_str(r, "status"), "reopened");
    assert_false(json_is_true(zt_json(r, "overdue")));
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM consultation WHERE id = %lld AND due_at > 1", (long long)id), 1);
    reply(w, &w->city, id, "报关单、发票和收汇凭证。");

    /* 不满意 closes it and puts it up for the supervisor's review */
    r = zt_postf(w->e, &w->a, zt_path("/api/v1/enterprise/consultations/%lld/rate", id),
                 "{\"rating\":\"unsatisfied\",\"comment\":\"答复太慢\"}");
    keep(r, 200, NULL);
    assert_string_equal(zt_str(r, "status"), "closed");
    assert_string_equal(zt_str(r, "rating"), "unsatisfied");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT review_needed FROM consultation WHERE id = %lld", (long long)id), 1);
    zt_expect(zt_postf(w->e, &w->a, zt_path("/api/v1/enterprise/consultations/%lld/rate", id), "{\"rating\":\"satisfied\"}"),
              409, "conflict");
    zt_expect(zt_postf(w->e, &w->a, zt_path("/api/v1/enterprise/consultations/%lld/messages", id), "{\"content\":\"再问\"}"),
              422, "business_rule");
    r = zt_get(w->e, &w->a, "/api/v1/enterprise/consultations");
    assert_int_equal(zt_int(r, "total"), 1);
    assert_string_equal(zt_str(r, "items.0.status"), "closed");
    zt_resp_free(r);
    r = zt_get(w->e, &w->b, "/api/v1/enterprise/consultations");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
}

/* The deadline the server stored equals the working-day arithmetic over
 * the calendar it was given (weekends and a holiday skipped). */
static void test_sla_over_holidays(void **st)
{
    world *w = *st;
    char day[11];
    int64_t now = (int64_t)time(NULL);
    zq_cal_day cal[2];
    for (int i = 0; i < 2; i++) {
        zq_today(now + (int64_t)(i + 1) * 86400, day);
        int y, m, d;
        zq_date_ymd(day, &y, &m, &d);
        cal[i].day = zq_days_from_civil(y, m, d);
        cal[i].workday = false;
        zt_execf(w->e, "INSERT INTO consult_holiday(day, workday, name) VALUES ('%s', 0, '测试假日')", day);
    }
    int64_t id = ask(w, "展会补贴申请时限", "广交会展位补贴什么时候截止申请？", false);
    long long created = zt_countf(w->e, "SELECT created_at FROM consultation WHERE id = %lld", (long long)id);
    long long due = zt_countf(w->e, "SELECT due_at FROM consultation WHERE id = %lld", (long long)id);
    long long ack = zt_countf(w->e, "SELECT ack_due_at FROM consultation WHERE id = %lld", (long long)id);
    assert_int_equal(due, zq_workdays_due(created, 5, cal, 2));
    assert_int_equal(ack, zq_workdays_due(created, 1, cal, 2));
    assert_true(due - created >= 7 * 86400 - 86400); /* 5 working days + 2 off + a weekend, less the first day's rest */
    zt_exec(w->e, "DELETE FROM consult_holiday");
}

static void test_bad_input_stores_nothing(void **st)
{
    world *w = *st;
    long long before = zt_count(w->e, "SELECT COUNT(*) FROM consultation");
    long long msgs = zt_count(w->e, "SELECT COUNT(*) FROM consult_message");
    static const char *const bodies[] = {
        "{\"kind\":\"question\",\"category\":\"trade\",\"title\":\"无内容\",\"content\":\"\"}",
        "{\"kind\":\"question\",\"category\":\"nope\",\"title\":\"类别错\",\"content\":\"内容\"}",
        "{\"kind\":\"complaint\",\"category\":\"trade\",\"title\":\"类型错\",\"content\":\"内容\"}",
        "{\"kind\":\"question\",\"category\":\"trade\",\"content\":\"没有标题\"}",
        "{\"kind\":\"question\",\"category\":\"trade\",\"title\":\"脚本\",\"content\":\"<script>alert(1)</script>你好\"}",
        "{\"kind\":\"question\",\"category\":\"trade\",\"title\":\"多余\",\"content\":\"内容\",\"x\":1}",
        "{\"kind\":\"question\",\"category\":\"trade\",\"title\":\"附件\",\"content\":\"内容\",\"attachments\":[99999]}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        zt_resp *r = zt_post(w->e, &w->a, "/api/v1/enterprise/consultations", bodies[i]);
        keep(r, 400, NULL);
        assert_non_null(zt_str(r, "error.message"));
        zt_resp_free(r);
    }
    zt_resp *r = zt_post(w->e, &w->a, "/api/v1/enterprise/consultations",
                         "{\"kind\":\"question\",\"category\":\"trade\",\"title\":\"脚本\",\"content\":\"<img src=x onerror=alert(1)>\"}");
    keep(r, 400, "validation_failed");
    assert_non_null(strstr(zt_str(r, "error.fields.content"), "脚本"));
    zt_resp_free(r);
    /* over 5,000 characters */
    size_t n = 5001 * 3;
    char *big = malloc(n + 200), *p = big;
    p += sprintf(p, "{\"kind\":\"question\",\"category\":\"trade\",\"title\":\"太长\",\"content\":\"");
    for (int i = 0; i < 5001; i++) p += sprintf(p, "长");
    sprintf(p, "\"}");
    r = zt_post(w->e, &w->a, "/api/v1/enterprise/consultations", big);
    keep(r, 400, "validation_failed");
    assert_non_null(zt_str(r, "error.fields.content"));
    zt_resp_free(r);
    free(big);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM consultation"), before);

    /* a reply with script, on a real consultation: refused, nothing stored */
    int64_t id = ask(w, "跨境电商备案", "跨境电商企业备案需要去哪里办理？", true);
    msgs = zt_count(w->e, "SELECT COUNT(*) FROM consult_message");
    r = zt_postf(w->e, &w->city, zt_path("/api/v1/admin/consultations/%lld/reply", id),
                 "{\"content\":\"<a href='javascript:alert(1)'>点此</a>\"}");
    keep(r, 400, "validation_failed");
    zt_resp_free(r);
    zt_expect(zt_postf(w->e, &w->city, zt_path("/api/v1/admin/consultations/%lld/assign", id), "{\"unit_id\":999,\"reason\":\"转\"}"),
              400, "validation_failed");
    zt_expect(zt_postf(w->e, &w->city, zt_path("/api/v1/admin/consultations/%lld/assign", id), "{\"unit_id\":1}"), 400,
              "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM consult_message"), msgs);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM consultation WHERE id = %lld AND status = 'submitted'", (long long)id), 1);
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/consultations?status=bogus"), 400, "validation_failed");

    /* a member without consult.submit */
    zt_client m;
    zm_member_with(w->e, &m, w->ent_a, "13900000109", "policy.view", NULL);
    zm_expect_no_perm(zt_get(w->e, &m, "/api/v1/enterprise/consultations"));
    zm_expect_no_perm(zt_post(w->e, &m, "/api/v1/enterprise/consultations", bodies[0]));
    /* anonymous callers of the firm's and the bureau's routes */
    zt_expect(zt_get(w->e, NULL, "/api/v1/enterprise/consultations"), 401, "unauthenticated");
    zt_expect(zt_get(w->e, NULL, "/api/v1/admin/consultations"), 401, "unauthenticated");
    zt_expect(zt_get(w->e, &w->a, "/api/v1/admin/consultations"), 403, NULL);
}

static void test_assign_publish_anonymised_search(void **st)
{
    world *w = *st;
    zt_exec(w->e, "INSERT INTO consult_unit(name, region, created_at) VALUES ('鼓楼区商务局', '350102', 0)");
    long long unit = zt_count(w->e, "SELECT id FROM consult_unit WHERE name = '鼓楼区商务局'");
    int64_t id = ask(w, "展会补贴申请材料", ASK_A "想申请海外展会补贴，联系人手机 " PHONE_A "，需要什么材料？", true);
    int64_t hidden = ask(w, "展会补贴不公开", "不同意公开的展会问题", false);
    zt_resp *r = zt_postf(w->e, &w->gulou, zt_path("/api/v1/admin/consultations/%lld/assign", id),
                          "{\"unit_id\":%lld,\"reason\":\"属地办理\"}", unit);
    keep(r, 200, NULL);
    assert_string_equal(zt_str(r, "status"), "acknowledged");
    assert_int_equal(zt_int(r, "unit_id"), unit);
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM consult_event WHERE consultation_id = %lld AND event = 'assigned'"
                                     " AND detail LIKE '%%属地办理%%'", (long long)id), 1);
    /* publishing needs an answer, and the asker's consent */
    zt_expect(zt_postf(w->e, &w->city, zt_path("/api/v1/admin/consultations/%lld/publish", id), "{\"publish\":true}"), 422,
              "business_rule");
    reply(w, &w->city, id, "需提供参展合同和展位费发票。");
    reply(w, &w->city, hidden, "同上。");
    zt_expect(zt_postf(w->e, &w->city, zt_path("/api/v1/admin/consultations/%lld/publish", hidden), "{\"publish\":true}"),
              422, "business_rule");
    zt_expect(zt_get(w->e, NULL, zt_path("/api/v1/consultations/%lld", id)), 404, "not_found");
    r = zt_postf(w->e, &w->city, zt_path("/api/v1/admin/consultations/%lld/publish", id), "{\"publish\":true}");
    keep(r, 200, NULL);
    assert_true(json_is_true(zt_json(r, "published")));
    zt_resp_free(r);

    r = zt_get(w->e, NULL, zt_path("/api/v1/consultations/%lld", id));
    keep(r, 200, NULL);
    assert_null(strstr(r->body, "闽江外贸"));
    assert_null(strstr(r->body, PHONE_A));
    assert_null(zt_json(r, "enterprise_name"));
    assert_null(zt_json(r, "status"));
    assert_string_equal(zt_str(r, "messages.1.author"), "bureau");
    zt_resp_free(r);
    /* two-character Chinese search, and a category filter */
    r = zt_get(w->e, NULL, "/api/v1/consultations?q=%E5%B1%95%E4%BC%9A"); /* 展会 */
    keep(r, 200, NULL);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), id);
    assert_null(strstr(r->body, PHONE_A));
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/consultations?q=%E9%80%80%E7%A8%8E"); /* 退税: not published */
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    r = zt_get(w->e, NULL, "/api/v1/consultations?category=policy");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, NULL, "/api/v1/consultations?category=nope"), 400, "validation_failed");
}

static void test_visitor_with_sms(void **st)
{
    world *w = *st;
    const char *phone = "13700009999";
    const char *form = "{\"kind\":\"suggestion\",\"category\":\"business_env\",\"title\":\"建议延长办事大厅时间\","
                       "\"content\":\"希望周六上午也能办理业务。\",\"phone\":\"%s\",\"sms_code\":\"%s\"}";
    zt_resp *r = zt_post(w->e, NULL, "/api/v1/sms/send", "{\"phone\":\"13700009999\",\"purpose\":\"consult\"}");
    keep(r, 200, NULL);
    zt_resp_free(r);
    char code[8];
    zt_last_code(w->e, phone, code);
    long long before = zt_count(w->e, "SELECT COUNT(*) FROM consultation");
    r = zt_postf(w->e, NULL, "/api/v1/consultations", form, phone, strcmp(code, "000000") ? "000000" : "111111");
    keep(r, 400, "validation_failed");
    assert_non_null(zt_str(r, "error.fields.sms_code"));
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM consultation"), before);
    r = zt_postf(w->e, NULL, "/api/v1/consultations", form, phone, code);
    keep(r, 201, NULL);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM consultation WHERE id = %lld AND visitor_phone = '%s'"
                                     " AND enterprise_id IS NULL AND kind = 'suggestion'", (long long)id, phone), 1);
    /* the code is used up */
    zt_expect(zt_postf(w->e, NULL, "/api/v1/consultations", form, phone, code), 400, "validation_failed");
    /* the city sees it, a district does not (no district) */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/consultations/%lld", id));
    keep(r, 200, NULL);
    assert_string_equal(zt_str(r, "visitor_phone"), phone);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->gulou, zt_path("/api/v1/admin/consultations/%lld", id)), 404, "not_found");
}

/* Past its deadline: flagged, listed as overdue, escalated to the unit's
 * supervisor exactly once however often the task runs. */
static void test_overdue_escalates_once(void **st)
{
    world *w = *st;
    zt_execf(w->e, "INSERT INTO consult_unit(name, region, supervisor_id, created_at) VALUES ('督办测试处', NULL, %lld, 0)",
             (long long)w->city_id);
    long long unit = zt_count(w->e, "SELECT id FROM consult_unit WHERE name = '督办测试处'");
    int64_t id = ask(w, "超期未答复的咨询", "项目申报截止时间？", false);
    int64_t now = (int64_t)time(NULL);
    zt_execf(w->e, "UPDATE consultation SET unit_id = %lld, due_at = %lld WHERE id = %lld", unit, (long long)(now - 60),
             (long long)id);
    zt_resp *r = zt_get(w->e, &w->city, "/api/v1/admin/consultations?overdue=true");
    keep(r, 200, NULL);
    assert_int_equal(zt_int(r, "total"), 1);
    assert_int_equal(zt_int(r, "items.0.id"), id);
    assert_true(json_is_true(zt_json(r, "items.0.overdue")));
    assert_false(json_is_true(zt_json(r, "items.0.escalated")));
    zt_resp_free(r);
    db_conn *db = db_pool_acquire(w->e->app->pool);
    assert_int_equal(consult_escalate_due(db, now, NULL), DB_OK);
    assert_int_equal(consult_escalate_due(db, now + 600, NULL), DB_OK);
    db_pool_release(w->e->app->pool, db);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM consult_event WHERE consultation_id = %lld AND event = 'escalated'",
                               (long long)id), 1);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'consultation' AND ref_id = %lld"
                                     " AND account_kind = 'staff' AND account_id = %lld", (long long)id, (long long)w->city_id), 1);
    assert_int_equal(zm_audits(w->e, "consult.escalate"), 1);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/consultations/%lld", id));
    assert_true(json_is_true(zt_json(r, "escalated")));
    assert_true(json_is_true(zt_json(r, "overdue")));
    zt_resp_free(r);
    /* answered, it is no longer overdue */
    reply(w, &w->city, id, "截止到本月底。");
    r = zt_get(w->e, &w->city, "/api/v1/admin/consultations?overdue=true");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
}

/* Settings: units, routing by category × district, SLA per category and
 * the calendar, validated all-or-nothing; only consult.supervise edits. */
static void test_settings_route_and_sla(void **st)
{
    world *w = *st;
    zt_resp *r = zt_get(w->e, &w->city, "/api/v1/admin/consult-settings");
    keep(r, 200, NULL);
    assert_string_equal(zt_str(r, "categories.0.code"), "policy");
    assert_string_equal(zt_str(r, "sla.0.category"), "");
    zt_resp_free(r);
    long long rules = zt_count(w->e, "SELECT COUNT(*) FROM consult_route_rule");
    const char *bad[] = {
        "{\"routing\":[{\"category\":\"trade\",\"region\":\"350102\",\"unit_id\":9999}]}",
        "{\"routing\":[{\"category\":\"nope\",\"region\":\"\",\"unit_id\":1}]}",
        "{\"sla\":[{\"category\":\"trade\",\"ack_days\":1,\"answer_days\":2,\"suggestion_days\":3}]}",
        "{\"holidays\":[{\"day\":\"2026-13-01\",\"workday\":false}]}",
        "{\"units\":[{\"name\":\"\"}]}",
        "{\"bogus\":[]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = zm_send(w->e, &w->city, "PUT", "/api/v1/admin/consult-settings", "%s", bad[i]);
        keep(r, 400, "validation_failed");
        zt_resp_free(r);
    }
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM consult_route_rule"), rules);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM consult_sla"), 1);
    /* district staff handle, they do not set the rules */
    zt_expect(zm_send(w->e, &w->gulou, "PUT", "/api/v1/admin/consult-settings", "{\"holidays\":[]}"), 403, "forbidden");

    r = zm_send(w->e, &w->city, "PUT", "/api/v1/admin/consult-settings",
                "{\"units\":[{\"name\":\"鼓楼区外贸科\",\"region\":\"350102\",\"supervisor_id\":%lld}]}",
                (long long)w->city_id);
    keep(r, 200, NULL);
    {
        /* the district is a code (a string) as the routing's is, so the settings screen can show its name */
        json_t *units = zt_json(r, "units"), *u = json_array_get(units, json_array_size(units) - 1);
        assert_string_equal(json_string_value(json_object_get(u, "name")), "鼓楼区外贸科");
        assert_true(json_is_string(json_object_get(u, "region")));
        assert_string_equal(json_string_value(json_object_get(u, "region")), "350102");
    }
    zt_resp_free(r);
    long long unit = zt_count(w->e, "SELECT id FROM consult_unit WHERE name = '鼓楼区外贸科'");
    r = zm_send(w->e, &w->city, "PUT", "/api/v1/admin/consult-settings",
                "{\"routing\":[{\"category\":\"\",\"region\":\"\",\"unit_id\":1},"
                "{\"category\":\"trade\",\"region\":\"350102\",\"unit_id\":%lld}],"
                "\"sla\":[{\"category\":\"\",\"ack_days\":1,\"answer_days\":5,\"suggestion_days\":10},"
                "{\"category\":\"trade\",\"ack_days\":1,\"answer_days\":2,\"suggestion_days\":3}]}",
                unit);
    keep(r, 200, NULL);
    assert_int_equal(json_array_size(zt_json(r, "routing")), 2);
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "consult.settings"), 2);
    int64_t id = ask(w, "外贸类咨询按规则分派", "按类别和区县分派到鼓楼区外贸科。", false);
    assert_int_equal(zt_countf(w->e, "SELECT unit_id FROM consultation WHERE id = %lld", (long long)id), unit);
    long long created = zt_countf(w->e, "SELECT created_at FROM consultation WHERE id = %lld", (long long)id);
    assert_int_equal(zt_countf(w->e, "SELECT due_at FROM consultation WHERE id = %lld", (long long)id),
                     zq_workdays_due(created, 2, NULL, 0));
    /* B (台江) falls back to the catch-all unit */
    r = zt_post(w->e, &w->b, "/api/v1/enterprise/consultations",
                "{\"kind\":\"question\",\"category\":\"trade\",\"title\":\"台江外贸\",\"content\":\"内容\"}");
    keep(r, 201, NULL);
    assert_int_equal(zt_countf(w->e, "SELECT unit_id FROM consultation WHERE id = %lld", (long long)zt_int(r, "id")), 1);
    zt_resp_free(r);
    r = zm_send(w->e, &w->city, "PUT", "/api/v1/admin/consult-settings",
                "{\"sla\":[{\"category\":\"\",\"ack_days\":1,\"answer_days\":5,\"suggestion_days\":10}],"
                "\"holidays\":[{\"day\":\"2027-01-01\",\"workday\":false,\"name\":\"元旦\"}]}");
    keep(r, 200, NULL);
    assert_string_equal(zt_str(r, "holidays.0.name"), "元旦");
    zt_resp_free(r);
}

/* Statistics over a fixed past month: volumes, mean / p90 hours to answer,
 * overdue and satisfaction rates, district scope, and the Excel export. */
static void test_stats(void **st)
{
    world *w = *st;
    /* 2020-01-06 09:00 local, then one per day; answered after i+1 hours */
    int64_t base = zq_days_from_civil(2020, 1, 6) * 86400 + 9 * 3600 - 8 * 3600;
    static const char *const ratings[] = {"'satisfied'", "'satisfied'", "'satisfied'", "'basically'", "'unsatisfied'",
                                          "NULL", "NULL", "NULL", "NULL", "NULL"};
    for (int i = 0; i < 10; i++) {
        int64_t created = base + i * 86400, answered = created + (i + 1) * 3600;
        int64_t due = i < 2 ? created + 1800 : created + 5 * 86400; /* the first two answered late */
        zt_execf(w->e,
                 "INSERT INTO consultation(enterprise_id, region, kind, category, title, content, status, unit_id, due_at,"
                 " ack_due_at, answered_at, rating, created_at, updated_at) VALUES (%lld, '%s', 'question', '%s', '统计',"
                 " '统计', '%s', 1, %lld, %lld, %lld, %s, %lld, %lld)",
                 (long long)(i < 8 ? w->ent_a : w->ent_b), i < 8 ? "350102" : "350103", i % 2 ? "trade" : "policy",
                 strcmp(ratings[i], "NULL") ? "closed" : "answered", (long long)due, (long long)due, (long long)answered,
                 ratings[i], (long long)created, (long long)created);
    }
    const char *q = "/api/v1/admin/consultations/stats?from=2020-01-01&to=2020-01-31";
    zt_resp *r = zt_get(w->e, &w->city, q);
    keep(r, 200, NULL);
    assert_int_equal(zt_int(r, "total"), 10);
    assert_int_equal(zt_int(r, "answered"), 10);
    assert_int_equal(zt_int(r, "overdue"), 2);
    assert_int_equal(zt_int(r, "rated"), 5);
    assert_true(fabs(json_real_value(zt_json(r, "satisfaction_rate")) - 0.8) < 1e-6);
    assert_true(fabs(json_real_value(zt_json(r, "overdue_rate")) - 0.2) < 1e-6);
    assert_true(fabs(json_real_value(zt_json(r, "mean_hours_to_answer")) - 5.5) < 1e-6);
    assert_true(fabs(json_real_value(zt_json(r, "p90_hours_to_answer")) - 9.0) < 1e-6);
    assert_int_equal(json_array_size(zt_json(r, "by_category")), 2);
    assert_int_equal(zt_int(r, "by_category.0.count"), 5);
    assert_string_equal(zt_str(r, "by_month.0.key"), "2020-01");
    assert_int_equal(json_array_size(zt_json(r, "by_district")), 2);
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, "/api/v1/admin/consultations/stats?from=2020-01-01&to=2020-01-31&format=xlsx");
    keep(r, 200, NULL);
    assert_true(r->len > 1000 && memcmp(r->body, "PK", 2) == 0);
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/consultations/stats?from=2020-02-30"), 400, "validation_failed");
    zt_expect(zt_get(w->e, &w->city, "/api/v1/admin/consultations/stats?from=2020-02-01&to=2020-01-01"), 400,
              "validation_failed");
    /* district staff handle but do not supervise: no statistics */
    zt_expect(zt_get(w->e, &w->gulou, q), 403, "forbidden");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ask_scope_reply_reopen_rate),
        cmocka_unit_test(test_sla_over_holidays),
        cmocka_unit_test(test_bad_input_stores_nothing),
        cmocka_unit_test(test_assign_publish_anonymised_search),
        cmocka_unit_test(test_visitor_with_sms),
        cmocka_unit_test(test_overdue_escalates_once),
        cmocka_unit_test(test_settings_route_and_sla),
        cmocka_unit_test(test_stats),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
