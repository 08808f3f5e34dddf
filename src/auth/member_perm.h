/*
 * member_perm.h — the fixed catalogue of enterprise (member) permissions
 * and permission sets as bit masks over it. Route tables name these codes,
 * the gate and the session loader (session.c) check them, enterprise roles
 * (src/member/) store them; the legal rep holds them all. It lives in auth/
 * beside the staff catalogue (staff_perm.h) because the gate needs it, and
 * auth must not reach up into the member module.
 */
#ifndef ZQ_AUTH_MEMBER_PERM_H
#define ZQ_AUTH_MEMBER_PERM_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *code;   /* "policy.view" — what route tables name */
    const char *name;   /* "查看政策" — what the role editor shows */
} member_perm;

/* Not a permission of the catalogue, and no role can hold it: a route
 * table entry naming it is open to the enterprise's legal rep alone (the
 * gate grants the legal rep every code, and roles only store catalogue
 * codes). Used by the legal-rep transfer. */
#define MEMBER_PERM_LEGAL_REP "legal_rep"

/* The catalogue in display order (static storage); *n gets its length. */
const member_perm *member_perms(size_t *n);
/* True if code names a permission of the catalogue. */
bool member_perm_known(const char *code);
/* Every code of the catalogue, space-separated, in catalogue order (static
 * storage): the perms a legal rep's session carries. */
const char *member_perm_all(void);

/* ---- permission sets (bit i = catalogue entry i) ---- */

/* Bit of a catalogue code, 0 when unknown. */
unsigned member_perm_bit(const char *code);
/* Every catalogue bit. */
unsigned member_perm_all_mask(void);
/* Mask of a space-separated code list (unknown codes ignored; NULL → 0). */
unsigned member_perm_mask(const char *codes);

#endif
