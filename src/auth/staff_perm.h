/*
 * staff_perm.h — the catalogue of bureau staff permissions. Staff roles
 * (staff_role.h) are named sets of these codes; every staff route in the
 * route table names one of them and the gate (gate.c) enforces it.
 */
#ifndef ZQ_AUTH_STAFF_PERM_H
#define ZQ_AUTH_STAFF_PERM_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *code;   /* "enterprise.view" */
    const char *label;  /* 查看企业库 */
    const char *group;  /* 企业服务 — the screen groups checkboxes by it */
} staff_perm;

extern const staff_perm staff_perms[];
extern const size_t staff_perms_n;

/* True if code is in the catalogue. */
bool staff_perm_known(const char *code);
/* The Chinese label of code, or code itself when unknown. */
const char *staff_perm_label(const char *code);
/* Every code, space-separated (the 系统管理员 role's set). Static storage. */
const char *staff_perm_all(void);

#endif
