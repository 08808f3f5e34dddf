/*
 * test_survey.c — API tests of questionnaires (issue 14): the definition's
 * checks (forward or missing conditions, bad types, options, bounds) store
 * nothing; publication fixes the audience and notifies it; a firm outside
 * it gets 404; answering saves progress, drops hidden answers, applies
 * required only when shown (nested conditions), refuses every type's bad
 * value with a field error and stores nothing; one response per firm under
 * 50 concurrent submits; editing after submit only when enabled; closing;
 * reminders once per firm per day; results (rates, counts, numbers,
 * cross-tab sums equal the totals); anonymous mode hides identities from
 * responses, results and the export; district scope; permissions.
 * SQLite and PostgreSQL.
 */
#include "support/zt.h"
#include "support/fixtures.h"
#include "support/fixtures_roles.h"
#include "support/fixtures_reg.h"
#include "db/db.h"
#include "survey/survey.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#define NFIRMS 6

typedef struct {
    zt_env *e;
    zt_client city, gulou, taijiang;
    zt_client f[NFIRMS];      /* legal reps; 0–3 鼓楼, 4–5 台江 */
    int64_t ent[NFIRMS];
} world;

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    w->e = zt_start();
    static const char *names[NFIRMS] = {"福州闽江外贸有限公司", "福州鼓楼软件有限公司", "福州三坊制造有限公司",
                                        "福州屏山食品有限公司", "福州台江外贸有限公司", "福州上下杭商贸有限公司"};
    for (int i = 0; i < NFIRMS; i++) {
        char phone[16];
        snprintf(phone, sizeof phone, "1390000010%d", i);
        w->ent[i] = zm_enterprise(w->e, &w->f[i], names[i], phone, NULL);
        zt_execf(w->e, "UPDATE enterprise SET region = '%s', scale = '%s' WHERE id = %lld", i < 4 ? "350102" : "350103",
                 i % 2 ? "small" : "medium", (long long)w->ent[i]);
    }
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

/* now + secs as the API's time text */
static const char *at(long secs)
{
    static char buf[4][40];
    static int k;
    k = (k + 1) % 4;
    time_t t = time(NULL) + secs + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf[k], sizeof buf[k], "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    return buf[k];
}

/* q1 single (a, b, x=其他); q2 shown when q1=a, multiple 1..2 picks; q3 shown
 * when q2 has m2 (nested), required number 0..100; q4 text; q5 rating;
 * q6 matrix; q7 amount; q8 date; q9 textarea */
#define QUESTIONS                                                                                                  \
    "[{\"key\":\"q1\",\"type\":\"single\",\"title\":\"贵企业今年出口额变化\",\"required\":true,"                   \
    "\"options\":[{\"key\":\"a\",\"label\":\"增长\"},{\"key\":\"b\",\"label\":\"下降\"},"                          \
    "{\"key\":\"x\",\"label\":\"其他\",\"other\":true}],\"section\":\"经营情况\"},"                                  \
    "{\"key\":\"q2\",\"type\":\"multiple\",\"title\":\"增长的主要市场\",\"required\":true,\"min\":1,\"max\":2,"     \
    "\"options\":[{\"key\":\"m1\",\"label\":\"东盟\"},{\"key\":\"m2\",\"label\":\"欧盟\"},{\"key\":\"m3\",\"label\":\"美国\"}]," \
    "\"show_if\":{\"q\":\"q1\",\"in\":[\"a\"]}},"                                                                   \
    "{\"key\":\"q3\",\"type\":\"number\",\"title\":\"欧盟订单占比\",\"required\":true,\"min\":0,\"max\":100,"       \
    "\"unit\":\"%%\",\"show_if\":{\"q\":\"q2\",\"in\":[\"m2\"]}},"                                                   \
    "{\"key\":\"q4\",\"type\":\"text\",\"title\":\"主要困难\"},"                                                     \
    "{\"key\":\"q5\",\"type\":\"rating\",\"title\":\"营商环境满意度\",\"required\":true},"                          \
    "{\"key\":\"q6\",\"type\":\"matrix\",\"title\":\"各项服务评价\",\"rows\":[{\"key\":\"r1\",\"label\":\"通关\"}," \
    "{\"key\":\"r2\",\"label\":\"退税\"}],\"options\":[{\"key\":\"g\",\"label\":\"好\"},{\"key\":\"p\",\"label\":\"差\"}]}," \
    "{\"key\":\"q7\",\"type\":\"amount\",\"title\":\"上半年出口额（万元）\",\"min\":0,\"max\":100000},"             \
    "{\"key\":\"q8\",\"type\":\"date\",\"title\":\"预计恢复日期\"},"                                                  \
    "{\"key\":\"q9\",\"type\":\"textarea\",\"title\":\"建议\"}]"

static int64_t create(world *w, zt_client *c, const char *extra)
{
    zt_resp *r = zm_send(w->e, c, "POST", "/api/v1/admin/surveys",
                         "{\"title\":\"2026年福州市外贸企业经营状况调查\",\"description\":\"请如实填写\","
                         "\"close_at\":\"%s\",%s\"questions\":" QUESTIONS "}",
                         at(7 * 86400), extra ? extra : "");
    if (r->status != 201) fail_msg("create: %d %s", r->status, r->body);
    int64_t id = zt_int(r, "id");
    zt_resp_free(r);
    return id;
}

static void publish(world *w, zt_client *c, int64_t id, long long audience)
{
    zt_resp *r = zm_send(w->e, c, "POST", zt_path("/api/v1/admin/surveys/%lld/publish", id), NULL);
    if (r->status != 200) fail_msg("publish: %d %s", r->status, r->body);
    assert_int_equal(zt_int(r, "audience"), audience);
    zt_resp_free(r);
}

static zt_resp *submit(world *w, int i, int64_t id, const char *answers)
{
    return zm_send(w->e, &w->f[i], "POST", zt_path("/api/v1/enterprise/surveys/%lld/response/submit", id), "%s", answers);
}

#define GOOD "{\"answers\":{\"q1\":\"a\",\"q2\":[\"m1\",\"m2\"],\"q3\":40,\"q5\":4,\"q6\":{\"r1\":\"g\",\"r2\":\"p\"},\"q7\":\"12.5\"}}"

static void test_definition_checks(void **st)
{
    world *w = *st;
    static const struct { const char *q; const char *field; } bad[] = {
        {"[]", "questions"},
        {"[{\"key\":\"q1\",\"type\":\"essay\",\"title\":\"x\"}]", "questions[0].type"},
        {"[{\"key\":\"q1\",\"type\":\"text\",\"title\":\"\"}]", "questions[0].title"},
        {"[{\"key\":\"q 1\",\"type\":\"text\",\"title\":\"x\"}]", "questions[0].key"},
        {"[{\"key\":\"q1\",\"type\":\"text\",\"title\":\"x\"},{\"key\":\"q1\",\"type\":\"text\",\"title\":\"y\"}]", "questions[1].key"},
        {"[{\"key\":\"q1\",\"type\":\"single\",\"title\":\"x\",\"options\":[]}]", "questions[0].options"},
        {"[{\"key\":\"q1\",\"type\":\"single\",\"title\":\"x\",\"options\":[{\"key\":\"a\",\"label\":\"A\"},{\"key\":\"a\",\"label\":\"B\"}]}]", "questions[0].options"},
        {"[{\"key\":\"q1\",\"type\":\"multiple\",\"title\":\"x\",\"max\":3,\"options\":[{\"key\":\"a\",\"label\":\"A\"}]}]", "questions[0].max"},
        {"[{\"key\":\"q1\",\"type\":\"number\",\"title\":\"x\",\"min\":5,\"max\":1}]", "questions[0].max"},
        {"[{\"key\":\"q1\",\"type\":\"matrix\",\"title\":\"x\",\"options\":[{\"key\":\"a\",\"label\":\"A\"}]}]", "questions[0].rows"},
        /* a condition pointing forward */
        {"[{\"key\":\"q1\",\"type\":\"text\",\"title\":\"x\",\"show_if\":{\"q\":\"q2\",\"in\":[\"a\"]}},"
         "{\"key\":\"q2\",\"type\":\"single\",\"title\":\"y\",\"options\":[{\"key\":\"a\",\"label\":\"A\"}]}]", "questions[0].show_if"},
        /* to a missing option */
        {"[{\"key\":\"q1\",\"type\":\"single\",\"title\":\"y\",\"options\":[{\"key\":\"a\",\"label\":\"A\"}]},"
         "{\"key\":\"q2\",\"type\":\"text\",\"title\":\"x\",\"show_if\":{\"q\":\"q1\",\"in\":[\"zz\"]}}]", "questions[1].show_if"},
        /* to a missing question, and to a text question */
        {"[{\"key\":\"q2\",\"type\":\"text\",\"title\":\"x\",\"show_if\":{\"q\":\"q9\",\"in\":[\"a\"]}}]", "questions[0].show_if"},
        {"[{\"key\":\"q1\",\"type\":\"text\",\"title\":\"y\"},{\"key\":\"q2\",\"type\":\"text\",\"title\":\"x\",\"show_if\":{\"q\":\"q1\",\"in\":[\"a\"]}}]", "questions[1].show_if"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zt_resp *r = zm_send(w->e, &w->city, "POST", "/api/v1/admin/surveys",
                             "{\"title\":\"问卷\",\"close_at\":\"%s\",\"questions\":%s}", at(86400), bad[i].q);
        json_t *f = zt_json(r, "error.fields");
        if (r->status != 400 || !json_object_get(f, bad[i].field))
            fail_msg("case %zu: %d %s", i, r->status, r->body);
        assert_string_equal(zt_str(r, "error.code"), "validation_failed");
        zt_resp_free(r);
    }
    zt_resp *r = zm_send(w->e, &w->city, "POST", "/api/v1/admin/surveys",
                         "{\"title\":\"问卷\",\"open_at\":\"%s\",\"close_at\":\"%s\",\"questions\":" QUESTIONS "}",
                         at(86400), at(3600));
    zt_expect(r, 400, "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM survey"), 0);
    assert_int_equal(zm_audits(w->e, "survey.create"), 0);
    int64_t id = create(w, &w->city, NULL);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld", id));
    assert_int_equal(r->status, 200);
    assert_string_equal(zt_str(r, "status"), "draft");
    assert_string_equal(zt_str(r, "questions.2.show_if.q"), "q2");
    assert_true(zt_json(r, "questions.0.options.2.other") == json_true());
    zt_resp_free(r);
    assert_int_equal(zm_audits(w->e, "survey.create"), 1);
}

static void test_flow_conditions(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, "\"targets\":{\"regions\":[\"350102\"]},");
    /* before publication no firm sees it */
    zt_expect(zt_get(w->e, &w->f[0], zt_path("/api/v1/enterprise/surveys/%lld", id)), 404, "not_found");
    publish(w, &w->city, id, 4);
    assert_true(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE ref_type = 'survey' AND ref_id = %lld", (long long)id) >= 4);
    /* published: questions fixed, extending allowed */
    zt_expect(zm_send(w->e, &w->city, "PUT", zt_path("/api/v1/admin/surveys/%lld", id),
                      "{\"title\":\"改\",\"close_at\":\"%s\",\"questions\":" QUESTIONS "}", at(86400)), 409, "conflict");
    zt_expect(zm_send(w->e, &w->city, "PUT", zt_path("/api/v1/admin/surveys/%lld", id), "{\"close_at\":\"%s\"}", at(9 * 86400)),
              200, NULL);
    /* 台江's firm is not asked */
    zt_expect(zt_get(w->e, &w->f[4], zt_path("/api/v1/enterprise/surveys/%lld", id)), 404, "not_found");
    zt_expect(submit(w, 4, id, GOOD), 404, "not_found");
    zt_resp *r = zt_get(w->e, &w->f[0], "/api/v1/enterprise/surveys?state=open");
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    /* progress: partial, required not yet checked */
    zt_expect(zm_send(w->e, &w->f[0], "PUT", zt_path("/api/v1/enterprise/surveys/%lld/response", id),
                      "{\"answers\":{\"q1\":\"a\"}}"), 200, NULL);
    r = zt_get(w->e, &w->f[0], zt_path("/api/v1/enterprise/surveys/%lld", id));
    assert_string_equal(zt_str(r, "response.status"), "draft");
    assert_string_equal(zt_str(r, "response.answers.q1"), "a");
    zt_resp_free(r);
    /* required only when shown: q1=a shows q2 (required), q2 without m2 hides q3 */
    r = submit(w, 0, id, "{\"answers\":{\"q1\":\"a\",\"q5\":3}}");
    assert_int_equal(r->status, 400);
    assert_non_null(json_object_get(zt_json(r, "error.fields"), "answers.q2"));
    assert_null(json_object_get(zt_json(r, "error.fields"), "answers.q3"));
    zt_resp_free(r);
    /* nested: q2 has m2 → q3 shown and required */
    r = submit(w, 0, id, "{\"answers\":{\"q1\":\"a\",\"q2\":[\"m2\"],\"q5\":3}}");
    assert_int_equal(r->status, 400);
    assert_non_null(json_object_get(zt_json(r, "error.fields"), "answers.q3"));
    zt_resp_free(r);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM survey_response WHERE status = 'submitted'"), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM survey_answer"), 0);
    /* firm 1: q1=b hides q2 and (nested) q3: their answers are dropped */
    zt_expect(submit(w, 1, id, "{\"answers\":{\"q1\":\"b\",\"q2\":[\"m2\"],\"q3\":50,\"q5\":2}}"), 200, NULL);
    r = zt_get(w->e, &w->f[1], zt_path("/api/v1/enterprise/surveys/%lld", id));
    assert_string_equal(zt_str(r, "response.status"), "submitted");
    assert_null(zt_json(r, "response.answers.q2"));
    assert_null(zt_json(r, "response.answers.q3"));
    assert_false(json_is_true(zt_json(r, "can_answer")));
    zt_resp_free(r);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM survey_answer WHERE qkey IN ('q2', 'q3')"), 0);
    /* firm 0 submits fully; a second submit and a later save are refused */
    zt_expect(submit(w, 0, id, GOOD), 200, NULL);
    zt_expect(submit(w, 0, id, GOOD), 409, "conflict");
    zt_expect(zm_send(w->e, &w->f[0], "PUT", zt_path("/api/v1/enterprise/surveys/%lld/response", id), "%s", GOOD), 409,
              "conflict");
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM survey_response WHERE survey_id = %lld", (long long)id), 2);
    assert_int_equal(zm_audits(w->e, "survey.submit"), 2);
    r = zt_get(w->e, &w->f[0], "/api/v1/enterprise/surveys?state=answered");
    assert_int_equal(zt_int(r, "total"), 1);
    zt_resp_free(r);
    /* 其他 needs its text; a text without 其他 chosen is refused */
    r = submit(w, 2, id, "{\"answers\":{\"q1\":\"x\",\"q5\":5}}");
    assert_int_equal(r->status, 400);
    assert_non_null(json_object_get(zt_json(r, "error.fields"), "other.q1"));
    zt_resp_free(r);
    zt_expect(submit(w, 2, id, "{\"answers\":{\"q1\":\"b\",\"q5\":5},\"other\":{\"q1\":\"持平\"}}"), 400,
              "validation_failed");
    zt_expect(submit(w, 2, id, "{\"answers\":{\"q1\":\"x\",\"q5\":5},\"other\":{\"q1\":\"持平\"}}"), 200, NULL);
    /* closing: answers no longer taken */
    zt_expect(zm_send(w->e, &w->city, "POST", zt_path("/api/v1/admin/surveys/%lld/close", id), NULL), 200, NULL);
    zt_expect(submit(w, 3, id, GOOD), 404, "not_found");
    zt_expect(zm_send(w->e, &w->city, "POST", zt_path("/api/v1/admin/surveys/%lld/close", id), NULL), 409, "conflict");
    zt_expect(zm_send(w->e, &w->city, "DELETE", zt_path("/api/v1/admin/surveys/%lld", id), NULL), 409, "conflict");
    /* copy as a new version: a draft with the same questions */
    r = zm_send(w->e, &w->city, "POST", "/api/v1/admin/surveys", "{\"copy_from\":%lld}", (long long)id);
    assert_int_equal(r->status, 201);
    assert_string_equal(zt_str(r, "status"), "draft");
    assert_int_equal(zt_int(r, "copied_from"), id);
    assert_string_equal(zt_str(r, "questions.2.key"), "q3");
    int64_t copy = zt_int(r, "id");
    zt_resp_free(r);
    zt_expect(zm_send(w->e, &w->city, "DELETE", zt_path("/api/v1/admin/surveys/%lld", copy), NULL), 204, NULL);
}

static void test_type_validation(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, NULL);
    publish(w, &w->city, id, NFIRMS);
    static const struct { const char *answers; const char *field; } bad[] = {
        {"{\"q1\":\"zz\",\"q5\":3}", "answers.q1"},                         /* not an option */
        {"{\"q1\":[\"a\"],\"q5\":3}", "answers.q1"},                        /* wrong type */
        {"{\"q1\":\"a\",\"q2\":[\"m1\",\"m2\",\"m3\"],\"q5\":3}", "answers.q2"}, /* too many picks */
        {"{\"q1\":\"a\",\"q2\":[\"m1\",\"m1\"],\"q5\":3}", "answers.q2"},   /* the same pick twice */
        {"{\"q1\":\"a\",\"q2\":[\"m2\"],\"q3\":101,\"q5\":3}", "answers.q3"}, /* out of bounds */
        {"{\"q1\":\"a\",\"q2\":[\"m2\"],\"q3\":\"40\",\"q5\":3}", "answers.q3"},
        {"{\"q1\":\"b\",\"q5\":6}", "answers.q5"},
        {"{\"q1\":\"b\",\"q5\":3,\"q6\":{\"r9\":\"g\"}}", "answers.q6"},
        {"{\"q1\":\"b\",\"q5\":3,\"q6\":{\"r1\":\"zz\"}}", "answers.q6"},
        {"{\"q1\":\"b\",\"q5\":3,\"q7\":\"-1\"}", "answers.q7"},
        {"{\"q1\":\"b\",\"q5\":3,\"q7\":\"1.123456\"}", "answers.q7"},
        {"{\"q1\":\"b\",\"q5\":3,\"q8\":\"2026-02-30\"}", "answers.q8"},
        {"{\"q1\":\"b\",\"q5\":3,\"q4\":12}", "answers.q4"},
        {"{\"q1\":\"b\",\"q5\":3,\"nope\":1}", "answers.nope"},            /* a question that does not exist */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zt_resp *r = zm_send(w->e, &w->f[0], "POST", zt_path("/api/v1/enterprise/surveys/%lld/response/submit", id),
                             "{\"answers\":%s}", bad[i].answers);
        if (r->status != 400 || !json_object_get(zt_json(r, "error.fields"), bad[i].field))
            fail_msg("case %zu: %d %s", i, r->status, r->body);
        assert_string_equal(zt_str(r, "error.code"), "validation_failed");
        zt_resp_free(r);
    }
    /* a 201-character short text */
    char big[1200] = "{\"answers\":{\"q1\":\"b\",\"q5\":3,\"q4\":\"";
    for (int i = 0; i < 201; i++) strcat(big, "字");
    strcat(big, "\"}}");
    zt_expect(zt_req(w->e, &w->f[0], "POST", zt_path("/api/v1/enterprise/surveys/%lld/response/submit", id), big, NULL), 400,
              "validation_failed");
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM survey_response"), 0);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM survey_answer"), 0);
    /* no survey.answer: refused by the gate; another firm's draft unaffected */
    zt_client ro;
    zm_member_with(w->e, &ro, w->ent[0], "13900000199", "policy.view", NULL);
    zm_expect_no_perm(zm_send(w->e, &ro, "POST", zt_path("/api/v1/enterprise/surveys/%lld/response/submit", id), "%s", GOOD));
    zt_expect(zt_get(w->e, &w->f[0], "/api/v1/admin/surveys"), 403, "forbidden");
}

typedef struct {
    zt_env *e;
    zt_client c;
    int64_t id;
    int status;
} racer;

static void *race(void *arg)
{
    racer *x = arg;
    zt_resp *r = zt_req(x->e, &x->c, "POST", zt_path("/api/v1/enterprise/surveys/%lld/response/submit", x->id), GOOD, NULL);
    x->status = r->status;
    zt_resp_free(r);
    return NULL;
}

static void test_concurrent_submits(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, NULL);
    publish(w, &w->city, id, NFIRMS);
    enum { N = 50 };
    racer x[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        x[i] = (racer){.e = w->e, .c = w->f[0], .id = id};
        assert_int_equal(pthread_create(&t[i], NULL, race, &x[i]), 0);
    }
    int ok = 0, conflict = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        ok += x[i].status == 200;
        conflict += x[i].status == 409;
    }
    if (ok != 1 || conflict != N - 1) fail_msg("ok %d conflict %d", ok, conflict);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM survey_response WHERE survey_id = %lld", (long long)id), 1);
    /* one response's rows: q1, q2 ×2, q3, q5, q6 ×2, q7 */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM survey_answer WHERE survey_id = %lld", (long long)id), 8);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM survey_audience WHERE survey_id = %lld AND responded_at > 0",
                               (long long)id), 1);
}

static json_t *question(zt_resp *r, const char *key)
{
    json_t *qs = zt_json(r, "questions");
    size_t i;
    json_t *q;
    json_array_foreach(qs, i, q) if (strcmp(json_string_value(json_object_get(q, "key")), key) == 0) return q;
    return NULL;
}

static long long opt_count(json_t *q, const char *key)
{
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(q, "options"), i, o) if (strcmp(json_string_value(json_object_get(o, "key")), key) == 0)
        return json_integer_value(json_object_get(o, "count"));
    return -1;
}

static void test_edit_after_submit(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, "\"allow_edit\":true,");
    publish(w, &w->city, id, NFIRMS);
    zt_expect(submit(w, 0, id, GOOD), 200, NULL);
    zt_expect(submit(w, 0, id, "{\"answers\":{\"q1\":\"b\",\"q5\":1}}"), 200, NULL);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM survey_answer WHERE survey_id = %lld", (long long)id), 2);
    assert_int_equal(zt_count(w->e, "SELECT COUNT(*) FROM survey_response"), 1);
    zt_resp *r = zt_get(w->e, &w->f[0], zt_path("/api/v1/enterprise/surveys/%lld", id));
    assert_true(json_is_true(zt_json(r, "can_answer")));
    assert_string_equal(zt_str(r, "response.answers.q1"), "b");
    zt_resp_free(r);
    /* the counts follow the edit: the old answers no longer counted */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld/results", id));
    assert_int_equal(opt_count(question(r, "q1"), "a"), 0);
    assert_int_equal(opt_count(question(r, "q1"), "b"), 1);
    assert_int_equal(opt_count(question(r, "q5"), "4"), 0);
    assert_int_equal(opt_count(question(r, "q5"), "1"), 1);
    assert_int_equal(json_integer_value(json_object_get(question(r, "q2"), "answered")), 0);
    assert_int_equal(json_integer_value(json_object_get(question(r, "q1"), "answered")), 1);
    zt_resp_free(r);
}

static void answer_all(world *w, int64_t id)
{
    /* 鼓楼: 0 a/m2, 1 b, 2 a/m1, 3 none; 台江: 4 a/m2, 5 b */
    zt_expect(submit(w, 0, id, GOOD), 200, NULL);
    zt_expect(submit(w, 1, id, "{\"answers\":{\"q1\":\"b\",\"q5\":2,\"q4\":\"汇率波动大\"}}"), 200, NULL);
    zt_expect(submit(w, 2, id, "{\"answers\":{\"q1\":\"a\",\"q2\":[\"m1\"],\"q5\":5,\"q6\":{\"r1\":\"g\"}}}"), 200, NULL);
    zt_expect(submit(w, 4, id, "{\"answers\":{\"q1\":\"a\",\"q2\":[\"m2\"],\"q3\":60,\"q5\":4}}"), 200, NULL);
    zt_expect(submit(w, 5, id, "{\"answers\":{\"q1\":\"b\",\"q5\":1,\"q4\":\"订单减少\"}}"), 200, NULL);
}

static void test_results(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, NULL);
    publish(w, &w->city, id, NFIRMS);
    answer_all(w, id);
    zt_resp *r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld/results?by=region", id));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "audience"), 6);
    assert_int_equal(zt_int(r, "responded"), 5);
    assert_int_equal(zt_int(r, "rate_permille"), 833);
    /* the one firm that has not answered, by name, for the reminder */
    assert_int_equal(json_array_size(zt_json(r, "non_respondents")), 1);
    assert_int_equal(zt_int(r, "non_respondents.0.enterprise_id"), w->ent[3]);
    json_t *q1 = question(r, "q1");
    assert_int_equal(opt_count(q1, "a"), 3);
    assert_int_equal(opt_count(q1, "b"), 2);
    assert_int_equal(json_integer_value(json_object_get(q1, "answered")), 5);
    json_t *q3 = question(r, "q3");
    assert_int_equal(json_integer_value(json_object_get(q3, "count")), 2);
    assert_true(json_number_value(json_object_get(q3, "mean")) == 50.0);
    assert_true(json_number_value(json_object_get(q3, "median")) == 50.0);
    json_t *q5 = question(r, "q5");
    assert_true(json_number_value(json_object_get(q5, "average")) == 3.2);
    assert_int_equal(json_integer_value(json_object_get(question(r, "q4"), "texts_total")), 2);
    /* cross-tab sums equal the totals */
    long long sum_a = 0, sum_b = 0;
    size_t i;
    json_t *c;
    json_array_foreach(zt_json(r, "crosstab.cells"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "q")), "q1")) continue;
        long long n = json_integer_value(json_object_get(c, "count"));
        if (!strcmp(json_string_value(json_object_get(c, "value")), "a")) sum_a += n;
        else sum_b += n;
    }
    assert_int_equal(sum_a, 3);
    assert_int_equal(sum_b, 2);
    zt_resp_free(r);
    /* by another choice question: q1 × q5 (rating isn't single: refused), q1 × q1 */
    zt_expect(zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld/results?by=q5", id)), 400, "validation_failed");
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld/results?by=q1", id));
    long long total = 0;
    json_array_foreach(zt_json(r, "crosstab.cells"), i, c) if (!strcmp(json_string_value(json_object_get(c, "q")), "q2"))
        total += json_integer_value(json_object_get(c, "count"));
    assert_int_equal(total, 4); /* q2 picks: m1+m2 (0), m1 (2), m2 (4) */
    zt_resp_free(r);
    /* search in the texts */
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld/results?q=%%E6%%B1%%87%%E7%%8E%%87", id));
    assert_int_equal(json_integer_value(json_object_get(question(r, "q4"), "texts_total")), 1);
    zt_resp_free(r);
    /* district staff count their district only, whatever they ask */
    r = zt_get(w->e, &w->taijiang, zt_path("/api/v1/admin/surveys/%lld/results?region=350102", id));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "audience"), 2);
    assert_int_equal(opt_count(question(r, "q1"), "a"), 1);
    zt_resp_free(r);
    r = zt_get(w->e, &w->taijiang, zt_path("/api/v1/admin/surveys/%lld/responses", id));
    assert_int_equal(zt_int(r, "total"), 2);
    assert_non_null(strstr(r->body, "福州台江外贸有限公司"));
    assert_null(strstr(r->body, "福州闽江外贸有限公司"));
    zt_resp_free(r);
    /* district staff cannot change the city's questionnaire */
    zt_expect(zm_send(w->e, &w->taijiang, "POST", zt_path("/api/v1/admin/surveys/%lld/close", id), NULL), 404, "not_found");
}

/* The text of the first worksheet of an xlsx body. */
static char *sheet_xml(zt_resp *r)
{
    zip_error_t err;
    zip_source_t *src = zip_source_buffer_create(r->body, r->len, 0, &err);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
    assert_non_null(z);
    zip_file_t *f = zip_fopen(z, "xl/worksheets/sheet1.xml", 0);
    assert_non_null(f);
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    zip_int64_t got;
    while ((got = zip_fread(f, buf + n, cap - n)) > 0) n += (size_t)got;
    buf[n] = 0;
    zip_fclose(f);
    zip_close(z);
    return buf;
}

static void test_anonymous(void **st)
{
    world *w = *st;
    int64_t id = create(w, &w->city, "\"anonymous\":true,");
    publish(w, &w->city, id, NFIRMS);
    answer_all(w, id);
    zt_resp *r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld/responses", id));
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "total"), 5);
    assert_null(strstr(r->body, "有限公司"));
    assert_null(strstr(r->body, "enterprise_id"));
    assert_null(zt_json(r, "items.0.id"));
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld/results?by=region", id));
    assert_null(strstr(r->body, "有限公司"));
    assert_null(zt_json(r, "non_respondents"));
    zt_resp_free(r);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld/export", id));
    assert_int_equal(r->status, 200);
    char *x = sheet_xml(r);
    assert_non_null(strstr(x, "贵企业今年出口额变化"));
    assert_non_null(strstr(x, "增长"));
    assert_null(strstr(x, "有限公司"));
    free(x);
    zt_resp_free(r);
    /* not anonymous: the export names the firms */
    int64_t open = create(w, &w->city, NULL);
    publish(w, &w->city, open, NFIRMS);
    zt_expect(submit(w, 0, open, GOOD), 200, NULL);
    r = zt_get(w->e, &w->city, zt_path("/api/v1/admin/surveys/%lld/export", open));
    x = sheet_xml(r);
    assert_non_null(strstr(x, "福州闽江外贸有限公司"));
    assert_non_null(strstr(x, "东盟、欧盟"));
    free(x);
    zt_resp_free(r);
}

static void test_district_and_remind(void **st)
{
    world *w = *st;
    /* 鼓楼's own questionnaire: targets forced to 鼓楼 */
    int64_t id = create(w, &w->gulou, "\"targets\":{\"regions\":[\"350103\"]},");
    zt_resp *r = zt_get(w->e, &w->gulou, zt_path("/api/v1/admin/surveys/%lld", id));
    assert_string_equal(zt_str(r, "region"), "350102");
    assert_string_equal(zt_str(r, "targets.regions.0"), "350102");
    zt_resp_free(r);
    zt_expect(zt_get(w->e, &w->taijiang, zt_path("/api/v1/admin/surveys/%lld", id)), 404, "not_found");
    zt_expect(zm_send(w->e, &w->taijiang, "DELETE", zt_path("/api/v1/admin/surveys/%lld", id), NULL), 404, "not_found");
    r = zt_get(w->e, &w->taijiang, "/api/v1/admin/surveys");
    assert_int_equal(zt_int(r, "total"), 0);
    zt_resp_free(r);
    publish(w, &w->gulou, id, 4);
    zt_expect(submit(w, 0, id, GOOD), 200, NULL);
    /* remind the three that have not submitted; again the same day: nobody */
    long long before = zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE template_code = 'survey.reminder'");
    r = zm_send(w->e, &w->gulou, "POST", zt_path("/api/v1/admin/surveys/%lld/remind", id), NULL);
    assert_int_equal(r->status, 200);
    assert_int_equal(zt_int(r, "reminded"), 3);
    zt_resp_free(r);
    long long after = zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE template_code = 'survey.reminder'");
    assert_int_equal(after - before, 3);
    r = zm_send(w->e, &w->gulou, "POST", zt_path("/api/v1/admin/surveys/%lld/remind", id), NULL);
    assert_int_equal(zt_int(r, "reminded"), 0);
    zt_resp_free(r);
    /* the periodic task the day before the close: once a day too */
    zt_execf(w->e, "UPDATE survey_audience SET reminded_on = '' WHERE survey_id = %lld", (long long)id);
    zt_execf(w->e, "UPDATE survey SET close_at = %lld WHERE id = %lld", (long long)time(NULL) + 3600, (long long)id);
    char err[256];
    db_conn *c = db_open(w->e->url, err, sizeof err);
    assert_non_null(c);
    assert_int_equal(survey_remind_due(c, (int64_t)time(NULL), NULL), DB_OK);
    assert_int_equal(survey_remind_due(c, (int64_t)time(NULL), NULL), DB_OK);
    db_close(c);
    /* same day, same key: nothing new for the firms already told */
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM message WHERE template_code = 'survey.reminder'"), after);
    assert_int_equal(zt_countf(w->e, "SELECT COUNT(*) FROM survey_audience WHERE reminded_on <> ''"), 3);
    assert_int_equal(zm_audits(w->e, "survey.remind"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_definition_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_submits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_after_submit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anonymous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_district_and_remind, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
