/*
 * test_validate.c — unit tests of the enterprise form validators: USCC
 * vectors (valid, wrong check character, lower case, excluded letters,
 * wrong length), mobile numbers, e-mail, dates, Asia/Shanghai "today",
 * ISO times, 万元 ↔ 元 conversion and customs codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "enterprise/validate.h"
#include "core/clock.h"
#include "core/contact.h"
#include "core/money.h"

static void test_uscc_valid(void **st)
{
    (void)st;
    /* published codes of real enterprises, and one with letters in the body */
    static const char *ok[] = {
        "91440300708461136T", "91330100799655058B", "914403001922038216",
        "91110000710925462X", "91110108551385082Q", "91350100M000100Y43",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[19];
        assert_int_equal(ent_uscc_normalize(ok[i], out), ENT_USCC_OK);
        assert_string_equal(out, ok[i]);
    }
    assert_int_equal(ent_uscc_check_char("91350100M000100Y4"), '3');
}

static void test_uscc_wrong_check(void **st)
{
    (void)st;
    char out[19] = "unchanged";
    assert_int_equal(ent_uscc_normalize("91440300708461136U", out), ENT_USCC_CHECK);
    assert_int_equal(ent_uscc_normalize("914403001922038217", out), ENT_USCC_CHECK);
    /* two adjacent digits swapped: the weights catch it */
    assert_int_equal(ent_uscc_normalize("91440300780461136T", out), ENT_USCC_CHECK);
    assert_string_equal(out, "unchanged");
    assert_non_null(ent_uscc_message(ENT_USCC_CHECK));
}

static void test_uscc_lowercase(void **st)
{
    (void)st;
    char out[19];
    /* accepted and upper-cased (documented choice) */
    assert_int_equal(ent_uscc_normalize("91440300708461136t", out), ENT_USCC_OK);
    assert_string_equal(out, "91440300708461136T");
    assert_int_equal(ent_uscc_normalize("91350100m000100y43", out), ENT_USCC_OK);
    assert_string_equal(out, "91350100M000100Y43");
    /* lower case does not rescue a wrong check character */
    assert_int_equal(ent_uscc_normalize("91440300708461136u", out), ENT_USCC_CHECK);
    /* lower-case excluded letters are still excluded */
    assert_int_equal(ent_uscc_normalize("91350100o000100y43", out), ENT_USCC_CHAR);
}

static void test_uscc_excluded_letters(void **st)
{
    (void)st;
    char out[19];
    const char excluded[] = "IOSVZ";
    for (int i = 0; excluded[i]; i++) {
        char code[19] = "91350100M000100Y43";
        code[8] = excluded[i];
        assert_int_equal(ent_uscc_normalize(code, out), ENT_USCC_CHAR);
        code[8] = 'M';
        code[17] = excluded[i]; /* as the check character too */
        assert_int_equal(ent_uscc_normalize(code, out), ENT_USCC_CHAR);
    }
    assert_int_equal(ent_uscc_normalize("91350100-000100Y43", out), ENT_USCC_CHAR);
    assert_int_equal(ent_uscc_normalize("91350100 000100Y43", out), ENT_USCC_CHAR);
    assert_int_equal(ent_uscc_normalize("91350100" "\xe4\xb8\xad" "0100Y43", out), ENT_USCC_CHAR);
    assert_int_equal(ent_uscc_check_char("9135010O000100Y4Z"), '\0');
}

static void test_uscc_length(void **st)
{
    (void)st;
    char out[19];
    assert_int_equal(ent_uscc_normalize("", out), ENT_USCC_LENGTH);
    assert_int_equal(ent_uscc_normalize("9144030070846113", out), ENT_USCC_LENGTH);
    assert_int_equal(ent_uscc_normalize("91440300708461136", out), ENT_USCC_LENGTH);
    assert_int_equal(ent_uscc_normalize("91440300708461136TT", out), ENT_USCC_LENGTH);
    assert_int_equal(ent_uscc_normalize(NULL, out), ENT_USCC_LENGTH);
    /* 15-digit old business licence numbers are not USCCs */
    assert_int_equal(ent_uscc_normalize("350100100012345", out), ENT_USCC_LENGTH);
}

static void test_mobile(void **st)
{
    (void)st;
    assert_true(zq_mobile_valid("13800138000"));
    assert_true(zq_mobile_valid("19912345678"));
    assert_false(zq_mobile_valid("12800138000"));
    assert_false(zq_mobile_valid("23800138000"));
    assert_false(zq_mobile_valid("1380013800"));
    assert_false(zq_mobile_valid("138001380000"));
    assert_false(zq_mobile_valid("1380013800a"));
    assert_false(zq_mobile_valid("+8613800138000"));
    assert_false(zq_mobile_valid(""));
    assert_false(zq_mobile_valid(NULL));
}

static void test_email(void **st)
{
    (void)st;
    assert_true(zq_email_valid("info@example.com"));
    assert_true(zq_email_valid("a.b+c@mail.fz-gov.cn"));
    assert_false(zq_email_valid("info@example"));
    assert_false(zq_email_valid("info.example.com"));
    assert_false(zq_email_valid("@example.com"));
    assert_false(zq_email_valid("a@@example.com"));
    assert_false(zq_email_valid("a@b@example.com"));
    assert_false(zq_email_valid(".a@example.com"));
    assert_false(zq_email_valid("a.@example.com"));
    assert_false(zq_email_valid("a..b@example.com"));
    assert_false(zq_email_valid("a@-example.com"));
    assert_false(zq_email_valid("a@example-.com"));
    assert_false(zq_email_valid("a@example..com"));
    assert_false(zq_email_valid("a@example.c"));
    assert_false(zq_email_valid("a@example.c0m"));
    assert_false(zq_email_valid("a b@example.com"));
    assert_false(zq_email_valid("用户@example.com"));
    char longmail[140];
    memset(longmail, 'a', 120);
    memcpy(longmail + 110, "@exam.com", 10);
    assert_false(zq_email_valid(longmail));
}

static void test_dates(void **st)
{
    (void)st;
    int y, m, d;
    assert_true(zq_date_ymd("2024-02-29", &y, &m, &d));
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    assert_true(zq_date_ymd("2000-02-29", NULL, NULL, NULL));
    assert_false(zq_date_ymd("1900-02-29", NULL, NULL, NULL));
    assert_false(zq_date_ymd("2023-02-29", NULL, NULL, NULL));
    assert_false(zq_date_ymd("2023-04-31", NULL, NULL, NULL));
    assert_false(zq_date_ymd("2023-13-01", NULL, NULL, NULL));
    assert_false(zq_date_ymd("2023-00-10", NULL, NULL, NULL));
    assert_false(zq_date_ymd("2023-1-1", NULL, NULL, NULL));
    assert_false(zq_date_ymd("2023/01/01", NULL, NULL, NULL));
    assert_false(zq_date_ymd("2023-01-01T00", NULL, NULL, NULL));
    assert_false(zq_date_ymd("0999-01-01", NULL, NULL, NULL));
    assert_false(zq_date_ymd("+023-01-01", NULL, NULL, NULL));
    assert_int_equal(zq_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(zq_days_from_civil(2000, 3, 1), 11017);
}

static void test_today_and_iso(void **st)
{
    (void)st;
    char day[11], iso[26];
    /* 2024-05-01T15:59:59Z is still 23:59:59 on 05-01 in Shanghai; a second later it is 05-02 */
    zq_today(1714579199, day);
    assert_string_equal(day, "2024-05-01");
    zq_today(1714579200, day);
    assert_string_equal(day, "2024-05-02");
    zq_time_iso(0, iso);
    assert_string_equal(iso, "1970-01-01T08:00:00+08:00");
    zq_time_iso(1714579199, iso);
    assert_string_equal(iso, "2024-05-01T23:59:59+08:00");
    zq_time_iso(-28800 - 1, iso);
    assert_string_equal(iso, "1969-12-31T23:59:59+08:00");
}

/* The renderings for people and the day-start parse share core/clock.c's
 * arithmetic with zq_time_iso. */
static void test_clock_local(void **st)
{
    (void)st;
    char hm[6], local[20];
    int64_t start = -1;
    zq_time_hm(1714579199, hm);
    assert_string_equal(hm, "23:59");
    zq_time_local(1714579199, local);
    assert_string_equal(local, "2024-05-01 23:59:59");
    zq_time_local(0, local);
    assert_string_equal(local, "1970-01-01 08:00:00");
    assert_true(zq_date_parse("2024-05-02", &start));
    assert_int_equal(start, 1714579200); /* 00:00 in Shanghai */
    assert_true(zq_date_parse("1970-01-01", &start));
    assert_int_equal(start, -28800);
    /* forms take 1000..9999, the day-start parse only 1970 on */
    assert_true(zq_date_ymd("1969-12-31", NULL, NULL, NULL));
    assert_false(zq_date_parse("1969-12-31", &start));
    assert_false(zq_date_parse("2024-02-30", &start));
    /* the API's times (policy publish_at, questionnaire open/close):
     * minutes or seconds, "+08:00", "Z" (UTC) or no offset (Shanghai) */
    int64_t t = -1;
    assert_true(zq_time_parse("2024-05-02T00:00", &t));
    assert_int_equal(t, 1714579200);
    assert_true(zq_time_parse("2024-05-02T08:30:15+08:00", &t));
    assert_int_equal(t, 1714579200 + 8 * 3600 + 30 * 60 + 15);
    assert_true(zq_time_parse("2024-05-01T16:00:00Z", &t));
    assert_int_equal(t, 1714579200);
    t = 7;
    assert_false(zq_time_parse("2024-05-02", &t));
    assert_false(zq_time_parse("2024-05-02T24:00", &t));
    assert_false(zq_time_parse("2024-05-02T10:00+09:00", &t));
    assert_false(zq_time_parse("2024-05-02T10:00:00Zx", &t));
    assert_false(zq_time_parse("2024-02-30T10:00", &t));
    assert_false(zq_time_parse("2024-05-02T-1:00", &t)); /* a sign is not a digit */
    assert_false(zq_time_parse("2024-05-02T 9:00", &t));
    assert_int_equal(t, 7); /* untouched on refusal */
    /* strict: the one form the declarations contract fixes */
    assert_true(zq_time_parse_opt("2024-05-02T08:30:15+08:00", ZQ_TIME_STRICT, &t));
    assert_int_equal(t, 1714579200 + 8 * 3600 + 30 * 60 + 15);
    t = 7;
    assert_false(zq_time_parse_opt("2024-05-02T08:30+08:00", ZQ_TIME_STRICT, &t));
    assert_false(zq_time_parse_opt("2024-05-02T08:30:15", ZQ_TIME_STRICT, &t));
    assert_false(zq_time_parse_opt("2024-05-02T00:30:15Z", ZQ_TIME_STRICT, &t));
    assert_false(zq_time_parse_opt("2024-05-02T08:30:1x+08:00", ZQ_TIME_STRICT, &t));
    assert_false(zq_time_parse_opt(NULL, ZQ_TIME_STRICT, &t));
    assert_int_equal(t, 7);
}

static void test_money(void **st)
{
    (void)st;
    int64_t y = -1;
    assert_int_equal(zq_wan_to_yuan("123.4567", &y), ZQ_MONEY_OK);
    assert_int_equal(y, 1234567);
    assert_int_equal(zq_wan_to_yuan("0", &y), ZQ_MONEY_OK);
    assert_int_equal(y, 0);
    assert_int_equal(zq_wan_to_yuan("100", &y), ZQ_MONEY_OK);
    assert_int_equal(y, 1000000);
    assert_int_equal(zq_wan_to_yuan("0.0001", &y), ZQ_MONEY_OK);
    assert_int_equal(y, 1);
    assert_int_equal(zq_wan_to_yuan("12.5", &y), ZQ_MONEY_OK);
    assert_int_equal(y, 125000);
    assert_int_equal(zq_wan_to_yuan("007.50", &y), ZQ_MONEY_OK);
    assert_int_equal(y, 75000);
    assert_int_equal(zq_wan_to_yuan("999999999999.9999", &y), ZQ_MONEY_OK);
    assert_int_equal(y, INT64_C(9999999999999999));
    /* 0.1 + 0.2 style inputs stay exact */
    assert_int_equal(zq_wan_to_yuan("0.3", &y), ZQ_MONEY_OK);
    assert_int_equal(y, 3000);

    assert_int_equal(zq_wan_to_yuan("1.23456", &y), ZQ_MONEY_DECIMALS);
    assert_int_equal(zq_wan_to_yuan("-1", &y), ZQ_MONEY_NEGATIVE);
    assert_int_equal(zq_wan_to_yuan("1000000000000", &y), ZQ_MONEY_RANGE);
    static const char *bad[] = {"", ".", "1.", ".5", "1e3", "+1", " 1", "1 ", "1,000", "１２", "0x10", "1.2.3", "1.23456x", "NaN"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(zq_wan_to_yuan(bad[i], &y), ZQ_MONEY_FORMAT);
    assert_int_equal(zq_wan_to_yuan(NULL, &y), ZQ_MONEY_FORMAT);

    char out[32];
    zq_yuan_to_wan(1234567, out);
    assert_string_equal(out, "123.4567");
    zq_yuan_to_wan(1230000, out);
    assert_string_equal(out, "123");
    zq_yuan_to_wan(125000, out);
    assert_string_equal(out, "12.5");
    zq_yuan_to_wan(1, out);
    assert_string_equal(out, "0.0001");
    zq_yuan_to_wan(0, out);
    assert_string_equal(out, "0");
    zq_yuan_to_wan(-15000, out);
    assert_string_equal(out, "-1.5");
    zq_yuan_to_wan(INT64_MIN, out);
    assert_string_equal(out, "-922337203685477.5808");
    /* round trip */
    for (int64_t v = 0; v < 30000; v += 7) {
        int64_t back;
        zq_yuan_to_wan(v, out);
        assert_int_equal(zq_wan_to_yuan(out, &back), ZQ_MONEY_OK);
        assert_int_equal(back, v);
    }
}

static void test_customs_code(void **st)
{
    (void)st;
    char out[11];
    assert_true(ent_customs_code_normalize("3501961234", out));
    assert_string_equal(out, "3501961234");
    assert_true(ent_customs_code_normalize("35019a12b4", out));
    assert_string_equal(out, "35019A12B4");
    assert_false(ent_customs_code_normalize("350196123", out));
    assert_false(ent_customs_code_normalize("35019612345", out));
    assert_false(ent_customs_code_normalize("35019-1234", out));
    assert_false(ent_customs_code_normalize("", out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uscc_valid),
        cmocka_unit_test(test_uscc_wrong_check),
        cmocka_unit_test(test_uscc_lowercase),
        cmocka_unit_test(test_uscc_excluded_letters),
        cmocka_unit_test(test_uscc_length),
        cmocka_unit_test(test_mobile),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_today_and_iso),
        cmocka_unit_test(test_clock_local),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_customs_code),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
