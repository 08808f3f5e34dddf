/*
 * validate.h — pure checks of the values an enterprise form carries: the
 * unified social credit code (GB 32100-2015), mainland mobile numbers,
 * e-mail addresses, calendar dates, money in 万元 and customs codes. No
 * database and no allocation: every function works on caller buffers, so
 * the registration form, the enterprise profile and the unit tests share
 * them. Messages are Chinese, for the person filling the form.
 */
#ifndef ZQ_ENTERPRISE_VALIDATE_H
#define ZQ_ENTERPRISE_VALIDATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- 统一社会信用代码 (GB 32100-2015) ---- */

typedef enum {
    ENT_USCC_OK = 0,
    ENT_USCC_LENGTH,   /* not exactly 18 characters */
    ENT_USCC_CHAR,     /* a character outside 0-9 A-H J-N P-R T U W-Y (I O S V Z excluded) */
    ENT_USCC_CHECK,    /* the 18th (check) character does not match */
} ent_uscc_rc;

/* Checks `in` and writes its canonical form (upper case, 18 chars + NUL)
 * into out. Lower-case letters are accepted and upper-cased: the code is the
 * same code whichever case a person types, and storing one spelling keeps
 * the uniqueness rule honest. Nothing else is altered (no trimming, no
 * removal of inner spaces). out is written only on ENT_USCC_OK. */
ent_uscc_rc ent_uscc_normalize(const char *in, char out[19]);
/* The check character for the first 17 (canonical) characters, or '\0'
 * when one of them is outside the alphabet. */
char ent_uscc_check_char(const char *first17);
/* Chinese message for a refusal (NULL for ENT_USCC_OK). */
const char *ent_uscc_message(ent_uscc_rc rc);

/* ---- phones, e-mail, customs code ---- */

/* Mainland mobile number: exactly 11 digits, 1[3-9]xxxxxxxxx. */
bool ent_mobile_valid(const char *s);
/* Pragmatic address check: ASCII local@domain, ≤ 120 bytes, local part ≤ 64
 * of letters, digits and !#$%&'*+/=?^_`{|}~.- without leading, trailing or
 * doubled dots; domain of ≥ 2 dot-separated labels of letters, digits and
 * inner hyphens (≤ 63 each), the last one ≥ 2 letters. */
bool ent_email_valid(const char *s);
/* 海关代码: exactly 10 ASCII letters or digits. Writes the upper-cased code
 * into out (11 bytes) when valid. */
bool ent_customs_code_normalize(const char *s, char out[11]);

/* ---- dates (YYYY-MM-DD) ---- */

/* True if s is exactly "YYYY-MM-DD" naming a real Gregorian date with the
 * year in 1000..9999. Fills y/m/d when non-NULL. Because the format is fixed,
 * strcmp() orders two valid dates correctly. */
bool ent_date_parse(const char *s, int *y, int *m, int *d);
/* Days since 1970-01-01 of a valid civil date (proleptic Gregorian). */
int64_t ent_days_from_civil(int y, int m, int d);
/* Today's date in Asia/Shanghai (UTC+8, no daylight saving since 1991) at
 * unix time `now`, as "YYYY-MM-DD" into out (11 bytes). */
void ent_today_shanghai(int64_t now, char out[11]);
/* Unix time as ISO 8601 in Asia/Shanghai, "2024-05-01T10:00:00+08:00",
 * into out (26 bytes). The one format API output uses for instants. */
void ent_time_iso(int64_t t, char out[26]);

/* ---- money: the API speaks 万元 as a decimal string, storage is 元 ---- */

typedef enum {
    ENT_MONEY_OK = 0,
    ENT_MONEY_FORMAT,    /* not digits[.digits] */
    ENT_MONEY_NEGATIVE,  /* a leading '-' */
    ENT_MONEY_DECIMALS,  /* more than 4 decimal places */
    ENT_MONEY_RANGE,     /* more than 12 integer digits (≥ 10^12 万元) */
} ent_money_rc;

/* Exact conversion of a non-negative 万元 decimal string with at most 4
 * decimals ("123.4567") to integer 元 (1234567): no floating point. No sign,
 * exponent, spaces, or bare '.'; leading zeros are accepted ("007.5"). */
ent_money_rc ent_money_wan_to_yuan(const char *s, int64_t *yuan);
/* Integer 元 → 万元 string without trailing zeros ("123.4567", "12.3",
 * "5", "0.0001"; negative values get a '-'). out needs 32 bytes. */
void ent_money_yuan_to_wan(int64_t yuan, char out[32]);
const char *ent_money_message(ent_money_rc rc);

#endif
