/*
 * member_perm.c — the enterprise permission catalogue and its bit masks
 * (see member_perm.h).
 */
#include "auth/member_perm.h"
#include <string.h>

/* One list, so the catalogue and the legal rep's string cannot drift apart. */
#define MEMBER_PERMS(X)                          \
    X("policy.view", "查看政策")                 \
    X("subscription.manage", "管理订阅")         \
    X("trade.report", "外贸数据上报")            \
    X("declaration.submit", "项目申报")          \
    X("survey.answer", "问卷填写")               \
    X("consult.submit", "咨询建议")              \
    X("profile.edit", "编辑企业信息")            \
    X("employee.manage", "员工管理")             \
    X("role.manage", "角色管理")

#define AS_ENTRY(code, name) {code, name},
#define AS_SPACED(code, name) " " code

static const member_perm catalogue[] = {MEMBER_PERMS(AS_ENTRY)};
#define CATALOGUE_N (sizeof catalogue / sizeof catalogue[0])
/* leading space per code; member_perm_all() skips the first */
static const char all_spaced[] = MEMBER_PERMS(AS_SPACED);

_Static_assert(CATALOGUE_N <= 31, "permission masks are unsigned int");

const member_perm *member_perms(size_t *n)
{
    *n = CATALOGUE_N;
    return catalogue;
}

bool member_perm_known(const char *code)
{
    return member_perm_bit(code) != 0;
}

const char *member_perm_all(void)
{
    return all_spaced + 1;
}

unsigned member_perm_bit(const char *code)
{
    if (!code) return 0;
    for (size_t i = 0; i < CATALOGUE_N; i++)
        if (strcmp(catalogue[i].code, code) == 0) return 1u << i;
    return 0;
}

unsigned member_perm_all_mask(void)
{
    return (1u << CATALOGUE_N) - 1u;
}

unsigned member_perm_mask(const char *codes)
{
    unsigned mask = 0;
    if (!codes) return 0;
    for (size_t i = 0; i < CATALOGUE_N; i++) {
        size_t n = strlen(catalogue[i].code);
        for (const char *p = codes; (p = strstr(p, catalogue[i].code)) != NULL; p += n) {
            bool start = p == codes || p[-1] == ' ';
            bool end = p[n] == '\0' || p[n] == ' ';
            if (start && end) {
                mask |= 1u << i;
                break;
            }
        }
    }
    return mask;
}
