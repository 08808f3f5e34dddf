/*
 * test_kit.c — unit tests for the handler kit (src/handler/): path ids, the
 * one DB-error mapping, the JSON writers and the filter builder (its SQL
 * text, its $n numbering and its bound values, run against SQLite).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/buf.h"
#include "core/jsonw.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include "db/db.h"
#include "handler/filter.h"
#include "handler/kit.h"

typedef struct {
    zq_req q;
    zq_resp r;
} fx;

static int setup(void **st)
{
    fx *f = calloc(1, sizeof *f);
    f->q.arena = zq_arena_new(1 << 20);
    snprintf(f->q.request_id, sizeof f->q.request_id, "test0001");
    zq_resp_init(&f->r);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fx *f = *st;
    zq_resp_free(&f->r);
    zq_arena_free(f->q.arena);
    free(f);
    return 0;
}

static void test_param_id(void **st)
{
    fx *f = *st;
    zq_kvs_add(f->q.arena, &f->q.params, "id", "42");
    zq_kvs_add(f->q.arena, &f->q.params, "neg", "-3");
    zq_kvs_add(f->q.arena, &f->q.params, "zero", "0");
    zq_kvs_add(f->q.arena, &f->q.params, "junk", "12abc");
    zq_kvs_add(f->q.arena, &f->q.params, "huge", "99999999999999999999");
    assert_int_equal(hk_param_id(&f->q, "id"), 42);
    assert_int_equal(hk_param_id(&f->q, "neg"), 0);
    assert_int_equal(hk_param_id(&f->q, "zero"), 0);
    assert_int_equal(hk_param_id(&f->q, "junk"), 0);
    assert_int_equal(hk_param_id(&f->q, "huge"), 0);
    assert_int_equal(hk_param_id(&f->q, "absent"), 0);
}

static void test_fail_db_mapping(void **st)
{
    fx *f = *st;
    assert_int_equal(hk_fail_db(&f->q, &f->r, DB_EBUSY), ZQ_E_UNAVAILABLE);
    assert_int_equal(f->r.retry_after, HK_BUSY_RETRY_AFTER_S);
    assert_int_equal(zq_err_status(f->r.err), 503);

    zq_resp_free(&f->r);
    zq_resp_init(&f->r);
    assert_int_equal(hk_fail_db(&f->q, &f->r, DB_EUNAVAIL), ZQ_E_UNAVAILABLE);
    assert_true(f->r.retry_after > 0);

    zq_resp_free(&f->r);
    zq_resp_init(&f->r);
    assert_int_equal(hk_fail_db(&f->q, &f->r, DB_ECONSTRAINT), ZQ_E_CONFLICT);
    assert_int_equal(zq_err_status(f->r.err), 409);
    assert_int_equal(f->r.retry_after, 0);

    zq_resp_free(&f->r);
    zq_resp_init(&f->r);
    assert_int_equal(hk_fail_db(&f->q, &f->r, DB_ERR), ZQ_E_INTERNAL);
    assert_int_equal(zq_err_status(f->r.err), 500);
    /* no internal text goes to the client */
    assert_null(f->r.err_message);
}

static void test_fail_tx_keeps_fields(void **st)
{
    fx *f = *st;
    zq_fail_field(&f->q, &f->r, "name", "名称已存在");
    assert_int_equal(hk_fail_tx(&f->q, &f->r, ZQ_E_CONFLICT, "冲突"), ZQ_E_CONFLICT);
    assert_int_equal(f->r.err_fields.n, 1);
    assert_string_equal(f->r.err_message, "冲突");
}

static const char *written(zq_buf *b) { return b->data; }

static void test_writers(void **st)
{
    fx *f = *st;
    zq_buf b;
    zq_buf_init(&b, 4096);
    zq_jw w;
    zq_jw_init(&w, &b);
    zq_jw_obj(&w);
    hk_jw_time(&w, "a", 0);
    hk_jw_time(&w, "b", 1714528800); /* 2024-05-01 10:00 in Asia/Shanghai */
    zq_jw_obj_end(&w);
    assert_string_equal(written(&b), "{\"a\":null,\"b\":\"2024-05-01T10:00:00+08:00\"}");
    zq_buf_free(&b);
    assert_string_equal(hk_id_str(&f->q, 1234567890123LL), "1234567890123");
    assert_string_equal(hk_json_str(&f->q, NULL), "null");
    assert_string_equal(hk_json_str(&f->q, "a\"b\n福"), "\"a\\\"b\\n福\"");
}

static void test_filter_text(void **st)
{
    fx *f = *st;
    hk_filter h;
    hk_filter_init(&h, 1);
    assert_string_equal(hk_filter_where(&h, f->q.arena), " WHERE 1 = 1");
    assert_int_equal(hk_filter_next(&h), 1);
    hk_filter_text(&h, "a = $%d", "x");
    hk_filter_text(&h, "skipped = $%d", "");   /* unset values add nothing */
    hk_filter_text(&h, "skipped = $%d", NULL);
    hk_filter_num(&h, "n >= $%d", 5);
    hk_filter_texts(&h, "(b LIKE $%d OR c LIKE $%d)", (const char *[]){"%y%", "%Y%", NULL});
    assert_string_equal(hk_filter_where(&h, f->q.arena),
                        " WHERE 1 = 1 AND a = $1 AND n >= $2 AND (b LIKE $3 OR c LIKE $4)");
    assert_int_equal(hk_filter_next(&h), 5);

    /* numbering after the caller's own values */
    hk_filter g;
    hk_filter_init(&g, 3);
    hk_filter_text(&g, "a = $%d", "x");
    assert_string_equal(hk_filter_where(&g, f->q.arena), " WHERE 1 = 1 AND a = $3");
    assert_int_equal(hk_filter_next(&g), 4);
}

/* the keyword condition: nothing when unset, one escaped pattern for every "$%d" */
static void test_filter_contains(void **st)
{
    fx *f = *st;
    hk_filter h;
    hk_filter_init(&h, 1);
    hk_filter_contains(&h, f->q.arena, "x LIKE $%d ESCAPE '\\'", "");
    hk_filter_contains(&h, f->q.arena, "x LIKE $%d ESCAPE '\\'", NULL);
    hk_filter_contains(&h, f->q.arena, "(a LIKE $%d ESCAPE '\\' OR b LIKE $%d ESCAPE '\\')", "5%_");
    assert_string_equal(hk_filter_where(&h, f->q.arena), " WHERE 1 = 1 AND (a LIKE $1 ESCAPE '\\' OR b LIKE $2 ESCAPE '\\')");
    assert_int_equal(hk_filter_next(&h), 3);
    assert_string_equal(h.c[0].text[0], "%5\\%\\_%");
    assert_string_equal(h.c[0].text[1], "%5\\%\\_%");
    assert_null(h.c[0].text[2]);
}

static void test_filter_overflow(void **st)
{
    fx *f = *st;
    hk_filter h;
    hk_filter_init(&h, 1);
    for (int i = 0; i < HK_FILTER_CONDS + 1; i++) hk_filter_num(&h, "n = $%d", i);
    assert_true(h.overflow);
    assert_null(hk_filter_where(&h, f->q.arena));

    /* a NULL value (out of memory upstream) fails the filter, never drops the condition */
    hk_filter_init(&h, 1);
    hk_filter_texts(&h, "a = $%d", (const char *[]){NULL});
    assert_null(hk_filter_where(&h, f->q.arena));
}

static void test_filter_scope(void **st)
{
    fx *f = *st;
    hk_filter h;
    f->q.scope_region = "";
    hk_filter_init(&h, 1);
    hk_filter_scope(&h, &f->q, "e.region");
    assert_string_equal(hk_filter_where(&h, f->q.arena), " WHERE 1 = 1");

    f->q.scope_region = "350102";
    hk_filter_init(&h, 1);
    hk_filter_scope(&h, &f->q, "e.region");
    hk_filter_text(&h, "e.status = $%d", "approved");
    assert_string_equal(hk_filter_where(&h, f->q.arena), " WHERE 1 = 1 AND e.region = $1 AND e.status = $2");
    assert_string_equal(h.c[0].text[0], "350102");
}

/* The values reach the statement in the text's order, on a real database. */
static void test_filter_bind(void **st)
{
    fx *f = *st;
    char err[256];
    db_conn *c = db_open("sqlite::memory:", err, sizeof err);
    assert_non_null(c);
    assert_int_equal(db_exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, region TEXT, score INTEGER);"
                                "INSERT INTO t(name, region, score) VALUES ('福州甲', 'A', 10), ('福州乙', 'A', 50),"
                                " ('厦门丙', 'B', 70), ('福州_丁', 'B', 90)"),
                     DB_OK);
    hk_filter h;
    hk_filter_init(&h, 1);
    hk_filter_text(&h, "region = $%d", "B");
    hk_filter_texts(&h, "name LIKE $%d ESCAPE '\\'", (const char *[]){zq_like_pattern(f->q.arena, "_", ZQ_LIKE_CONTAINS), NULL});
    hk_filter_num(&h, "score >= $%d", 60);
    int64_t total = -1;
    const char *sql = zq_arena_printf(f->q.arena, "SELECT COUNT(*) FROM t%s", hk_filter_where(&h, f->q.arena));
    assert_int_equal(hk_filter_count(c, &h, sql, &total), DB_OK);
    assert_int_equal(total, 1); /* the escaped "_" matches itself only */

    /* paging values follow the filter's */
    int next = hk_filter_next(&h);
    sql = zq_arena_printf(f->q.arena, "SELECT name FROM t%s ORDER BY id LIMIT $%d", hk_filter_where(&h, f->q.arena), next);
    db_stmt *s = db_prepare(c, sql);
    assert_non_null(s);
    assert_int_equal(hk_filter_bind(&h, s), DB_OK);
    assert_int_equal(db_bind_int64(s, next, 10), DB_OK);
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_equal(db_col_text(s, 0), "福州_丁");
    assert_int_equal(db_step(s), DB_DONE);
    db_stmt_done(s);
    db_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_param_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_db_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_tx_keeps_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_contains, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_overflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_bind, setup, teardown),
    };
    return cmocka_run_group_tests_name("kit", tests, NULL, NULL);
}
