/*
 * test_password_policy.c — unit tests of the password rule
 * (src/auth/password_policy.c): the zxcvbn score and its thresholds, the
 * issue's examples refused and accepted, the owner's phone, name, username
 * and USCC refused case-insensitively, and feedback naming what zxcvbn
 * found (common word, substitution, keyboard, sequence, repeat, date,
 * pinyin).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "auth/password_policy.h"

static zq_arena *arena;

static int setup(void **st)
{
    (void)st;
    arena = zq_arena_new(1 << 20);
    return arena ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    zq_arena_free(arena);
    return 0;
}

static void expect_refused(const char *pw, const auth_pw_owner *who, const char *needle)
{
    const char *why = auth_pw_policy(arena, pw, who);
    if (!why) fail_msg("'%s' was accepted", pw);
    if (!strstr(why, needle)) fail_msg("'%s': '%s' lacks '%s'", pw, why, needle);
}

static void expect_ok(const char *pw, const auth_pw_owner *who)
{
    const char *why = auth_pw_policy(arena, pw, who);
    if (why) fail_msg("'%s' refused: %s", pw, why);
}

static void test_issue_examples(void **st)
{
    (void)st;
    expect_refused("Passw0rd!", NULL, "密码太容易被猜到");
    expect_refused("Aa123456!", NULL, "密码太容易被猜到");
    expect_ok("闽江口岸-观潮2026", NULL);
    expect_ok("tide-Harbor-41-lamp", NULL);
    /* what the old class rule let through */
    expect_refused("P@ssword2024", NULL, "密码太容易被猜到");
    expect_refused("1qaz@WSX", NULL, "密码太容易被猜到");
    /* no composition rule any more: long lower-case phrases are fine */
    expect_ok("harbour lamps glow at dusk", NULL);
}

static void test_score_thresholds(void **st)
{
    (void)st;
    double lg = 0;
    /* log10(guesses) < 3 → 0 … ≥ 10 → 4 */
    assert_int_equal(auth_pw_score("password", NULL, &lg), 0);
    assert_true(lg < 3);
    int s = auth_pw_score("Demo@2026", NULL, &lg);
    assert_int_equal(s, 2);
    assert_true(lg >= 6 && lg < 8);
    /* the platform's name is one of the local words */
    assert_true(auth_pw_score("Zhengqi@2026", NULL, NULL) < AUTH_PW_MIN_SCORE);
    assert_int_equal(auth_pw_score("tide-Harbor-41-lamp", NULL, &lg), 4);
    assert_true(lg >= 10);
    /* a word of the owner's counts as guessable */
    int plain = auth_pw_score("Qingkou#Lamp", NULL, NULL);
    const char *words[] = {"qingkou", NULL};
    assert_true(auth_pw_score("Qingkou#Lamp", words, NULL) < plain);
}

static void test_owner_words(void **st)
{
    (void)st;
    auth_pw_owner who = {.phone = "13955558888", .name = "陈伟", .username = "gulou",
                         .uscc = {"91350100M000100Y43", "91350100MA2Y0ABC1X", NULL}};
    expect_refused("Tide-13955558888", &who, "手机号");
    expect_refused("Tide-55558888-lamp", &who, "手机号");
    expect_refused("陈伟-观潮-Harbor-41", &who, "姓名");
    expect_refused("Tide-GuLou-Harbor-41", &who, "用户名");
    expect_refused("x91350100m000100y43", &who, "统一社会信用代码");
    expect_refused("Harbor-91350100MA2Y0ABC1X", &who, "统一社会信用代码");
    expect_ok("闽江口岸-观潮2026", &who);
    /* a short Latin name is a syllable of many words: not a reason on its own */
    auth_pw_owner li = {.name = "Li"};
    expect_ok("Lighthouse-Tide-41", &li);
}

static void test_basic_rules(void **st)
{
    (void)st;
    expect_refused("Ab1#", NULL, "密码至少 8 位");
    expect_refused("888888", NULL, "密码至少 8 位");
    expect_refused("观潮观潮观潮", NULL, "密码至少 8 位");  /* 6 characters, 18 bytes */
    expect_refused("tide\tHarbor-41-lamp", NULL, "控制字符");
    char longpw[140];
    memset(longpw, 'k', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = '\0';
    expect_refused(longpw, NULL, "128");
}

static void test_feedback_names_the_pattern(void **st)
{
    (void)st;
    expect_refused("Passw0rd!", NULL, "常见单词");
    expect_refused("Passw0rd!", NULL, "形似的数字或符号");
    expect_refused("abcdefgh12", NULL, "连续的字母或数字");
    expect_refused("zzzzzzzzzz", NULL, "重复的字符");
    expect_refused("asdfghjkl;", NULL, "键盘");
    expect_refused("19900101ab", NULL, "年份和日期");
    expect_refused("Woaini1314", NULL, "拼音");
    /* without an arena: a fixed, still Chinese, text */
    const char *why = auth_pw_policy(NULL, "Passw0rd!", NULL);
    assert_non_null(why);
    assert_non_null(strstr(why, "密码太容易被猜到"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issue_examples),
        cmocka_unit_test(test_score_thresholds),
        cmocka_unit_test(test_owner_words),
        cmocka_unit_test(test_basic_rules),
        cmocka_unit_test(test_feedback_names_the_pattern),
    };
    return cmocka_run_group_tests_name("password_policy", tests, setup, teardown);
}
