/*
 * validate.h — pure checks of the values only an enterprise form carries:
 * the unified social credit code (GB 32100-2015) and customs codes. The
 * generic ones (mobile numbers and e-mail: core/contact.h; dates:
 * core/clock.h; money in 万元: core/money.h) live in core/. No
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

/* ---- customs code ---- */

/* 海关代码: exactly 10 ASCII letters or digits. Writes the upper-cased code
 * into out (11 bytes) when valid. */
bool ent_customs_code_normalize(const char *s, char out[11]);

#endif
