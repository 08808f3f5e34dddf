/*
 * password_policy.c — the password rule (see password_policy.h): literal
 * refusals first (length, control characters, the owner's phone, name,
 * username and USCCs), then zxcvbn's estimate, whose match list names
 * what made the password guessable so the refusal can say it.
 *
 * libzxcvbn gives an entropy in bits; zxcvbn's score is defined on the
 * number of guesses (log10 below 3, 6, 8, 10 → 0…3, else 4), and
 * guesses = 2^bits, so log10(guesses) = bits · log10(2).
 */
#include "auth/password_policy.h"
#include "auth/password.h"
#include "db/db.h"
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zxcvbn.h>

#define PW_MIN_CHARS 8
#define WORD_MAX 64
#define PART_MIN 3            /* shorter matches say nothing useful */

/* Guessable words zxcvbn's English lists lack: pinyin favourites and the
 * platform's own name. */
static const char *const local_words[] = {
    "woaini", "aini", "zhengqi", "zhengqihudong", "shangwu", "shangwuju", "zhengfu", "mima", "qiye", "fuzhou",
};

static const char SQL_OWNER[] = "SELECT phone, name FROM app_user WHERE id = $1";
static const char SQL_USCCS[] =
    "SELECT e.uscc FROM membership m JOIN enterprise e ON e.id = m.enterprise_id"
    " WHERE m.user_id = $1 AND m.status = 'active' AND e.uscc IS NOT NULL ORDER BY e.id LIMIT $2";

enum { F_DICT, F_LEET, F_USER, F_REPEAT, F_SEQUENCE, F_SPATIAL, F_DATE, F_COUNT };

static const char *const feedback[F_COUNT] = {
    [F_DICT] = "避免常见单词和常用密码",
    [F_LEET] = "把字母换成形似的数字或符号（如 a→@、o→0）并不能让常见单词变安全",
    [F_USER] = "避免个人信息和常见拼音词（如 woaini、zhengqi）",
    [F_REPEAT] = "避免重复的字符或片段（如 aaa、abcabc）",
    [F_SEQUENCE] = "避免连续的字母或数字（如 abcd、123456）",
    [F_SPATIAL] = "避免键盘上相邻按键的序列（如 qwerty、1qaz）",
    [F_DATE] = "避免年份和日期（如 2024、19900101）",
};

static int score_of(double log10_guesses)
{
    if (log10_guesses < 3) return 0;
    if (log10_guesses < 6) return 1;
    if (log10_guesses < 8) return 2;
    if (log10_guesses < 10) return 3;
    return 4;
}

/* ASCII lower-case copy into out (WORD_MAX); false when it does not fit. */
static bool lower_copy(const char *s, char out[WORD_MAX])
{
    size_t n = strlen(s);
    if (n >= WORD_MAX) return false;
    for (size_t i = 0; i <= n; i++) out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    return true;
}

/* zxcvbn with the local words plus `extra`; fills found[] when given. */
static double estimate(const char *pw, const char *const *extra, bool found[F_COUNT])
{
    const char *words[sizeof local_words / sizeof local_words[0] + AUTH_PW_USCC_MAX + 8];
    size_t n = 0;
    for (size_t i = 0; i < sizeof local_words / sizeof local_words[0]; i++) words[n++] = local_words[i];
    for (size_t i = 0; extra && extra[i] && n + 1 < sizeof words / sizeof words[0]; i++) words[n++] = extra[i];
    words[n] = NULL;
    ZxcMatch_t *info = NULL;
    double bits = ZxcvbnMatch(pw, words, found ? &info : NULL);
    for (ZxcMatch_t *m = info; m; m = m->Next) {
        if (m->Length < PART_MIN) continue;
        switch ((int)m->Type & ~MULTIPLE_MATCH) {
        case DICTIONARY_MATCH: found[F_DICT] = true; break;
        case DICT_LEET_MATCH: found[F_DICT] = found[F_LEET] = true; break;
        case USER_MATCH: case USER_LEET_MATCH: found[F_USER] = true; break;
        case REPEATS_MATCH: found[F_REPEAT] = true; break;
        case SEQUENCE_MATCH: found[F_SEQUENCE] = true; break;
        case SPATIAL_MATCH: found[F_SPATIAL] = true; break;
        case DATE_MATCH: case YEAR_MATCH: found[F_DATE] = true; break;
        default: break;
        }
        if (m->Type & MULTIPLE_MATCH) found[F_REPEAT] = true;
    }
    if (info) ZxcvbnFreeInfo(info);
    return bits;
}

int auth_pw_score(const char *pw, const char *const *words, double *log10_guesses)
{
    double lg = estimate(pw, words, NULL) * log10(2.0);
    if (log10_guesses) *log10_guesses = lg;
    return score_of(lg);
}

/* pw contains s (ASCII case-insensitive); s shorter than min never matches. */
static bool contains(const char *pw, const char *s, size_t min)
{
    return s && strlen(s) >= min && strcasestr(pw, s) != NULL;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}

static const char *low_score_text(zq_arena *a, const bool found[F_COUNT])
{
    static const char generic[] = "密码太容易被猜到，请加长密码，用几个不相关的词语加数字或符号组成";
    if (!a) return generic;
    char buf[1024] = "密码太容易被猜到：";
    size_t len = strlen(buf);
    int parts = 0;
    for (int i = 0; i < F_COUNT; i++) {
        if (!found[i]) continue;
        int n = snprintf(buf + len, sizeof buf - len, "%s%s", parts ? "；" : "", feedback[i]);
        if (n < 0 || (size_t)n >= sizeof buf - len) break;
        len += (size_t)n;
        parts++;
    }
    if (!parts) return generic;
    return zq_arena_printf(a, "%s。建议加长密码，用几个不相关的词语加数字或符号组成", buf);
}

const char *auth_pw_policy(zq_arena *a, const char *pw, const auth_pw_owner *owner)
{
    static const auth_pw_owner nobody = {0};
    const auth_pw_owner *o = owner ? owner : &nobody;
    if (utf8_chars(pw) < PW_MIN_CHARS) return "密码至少 8 位";
    if (strlen(pw) > AUTH_PW_MAX_BYTES) return "密码不能超过 128 个字符";
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return "密码不能包含控制字符";
    /* the whole number, or its last 8 digits */
    if (contains(pw, o->phone, 6) || (o->phone && strlen(o->phone) == 11 && contains(pw, o->phone + 3, 8)))
        return "密码不能包含手机号";
    /* a two-character Chinese name is 6 bytes; a Latin one needs 4 letters
     * before "contains it" means more than a common syllable */
    if (contains(pw, o->name, 4)) return "密码不能包含您的姓名";
    if (contains(pw, o->username, 3)) return "密码不能包含用户名";
    for (int i = 0; i < AUTH_PW_USCC_MAX && o->uscc[i]; i++)
        if (contains(pw, o->uscc[i], 6)) return "密码不能包含企业的统一社会信用代码";

    /* the owner's own words count as very guessable (catches p@ss-style
     * variants of them as well) */
    char own[3 + AUTH_PW_USCC_MAX][WORD_MAX];
    const char *extra[4 + AUTH_PW_USCC_MAX];
    size_t n = 0;
    const char *mine[3 + AUTH_PW_USCC_MAX] = {o->phone, o->name, o->username};
    for (int i = 0; i < AUTH_PW_USCC_MAX; i++) mine[3 + i] = o->uscc[i];
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
        if (mine[i] && *mine[i] && lower_copy(mine[i], own[n])) {
            extra[n] = own[n];
            n++;
        }
    extra[n] = NULL;
    bool found[F_COUNT] = {false};
    if (score_of(estimate(pw, extra, found) * log10(2.0)) >= AUTH_PW_MIN_SCORE) return NULL;
    return low_score_text(a, found);
}

int auth_pw_owner_of_user(zq_req *q, int64_t user_id, auth_pw_owner *owner)
{
    memset(owner, 0, sizeof *owner);
    db_stmt *s = db_prepare(q->db, SQL_OWNER);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, user_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        owner->phone = db_col_dup(q->arena, s, 0);
        owner->name = db_col_dup(q->arena, s, 1);
    }
    db_stmt_done(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (!(s = db_prepare(q->db, SQL_USCCS))) return DB_ERR;
    db_bind_int64(s, 1, user_id);
    db_bind_int64(s, 2, AUTH_PW_USCC_MAX);
    int n = 0;
    while ((rc = db_step(s)) == DB_ROW && n < AUTH_PW_USCC_MAX)
        owner->uscc[n++] = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}
