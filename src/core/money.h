/*
 * money.h — money as people type it and as it is kept: the API and the
 * forms speak 万元 as a decimal string ("123.4567"), storage is integer 元.
 * Exact, no floating point. The one parser and formatter of 万元 in the tree.
 */
#ifndef ZQ_CORE_MONEY_H
#define ZQ_CORE_MONEY_H
#include <stdint.h>

typedef enum {
    ZQ_MONEY_OK = 0,
    ZQ_MONEY_FORMAT,    /* not digits[.digits] */
    ZQ_MONEY_NEGATIVE,  /* a leading '-' */
    ZQ_MONEY_DECIMALS,  /* more than 4 decimal places */
    ZQ_MONEY_RANGE,     /* more than 12 integer digits (≥ 10^12 万元) */
} zq_money_rc;

/* Exact conversion of a non-negative 万元 decimal string with at most 4
 * decimals ("123.4567") to integer 元 (1234567). No sign, exponent, spaces,
 * or bare '.'; leading zeros are accepted ("007.5"). */
zq_money_rc zq_wan_to_yuan(const char *s, int64_t *yuan);
/* Integer 元 → 万元 string without trailing zeros ("123.4567", "12.3",
 * "5", "0.0001"; negative values get a '-'). out needs 32 bytes. */
void zq_yuan_to_wan(int64_t yuan, char out[32]);
/* Chinese message for a refusal (NULL for ZQ_MONEY_OK). */
const char *zq_money_message(zq_money_rc rc);

#endif
