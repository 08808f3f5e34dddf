/*
 * contact.h — checks of the ways people are reached: mainland mobile
 * numbers and e-mail addresses. Pure, no allocation; shared by login, SMS,
 * the enterprise forms and invitations, so "a valid phone" means one thing.
 */
#ifndef ZQ_CORE_CONTACT_H
#define ZQ_CORE_CONTACT_H
#include <stdbool.h>

/* Mainland mobile number: exactly 11 digits, 1[3-9]xxxxxxxxx. */
bool zq_mobile_valid(const char *s);
/* Pragmatic address check: ASCII local@domain, ≤ 120 bytes, local part ≤ 64
 * of letters, digits and !#$%&'*+/=?^_`{|}~.- without leading, trailing or
 * doubled dots; domain of ≥ 2 dot-separated labels of letters, digits and
 * inner hyphens (≤ 63 each), the last one ≥ 2 letters. */
bool zq_email_valid(const char *s);

#endif
