/*
 * staff_perm.c — the staff permission catalogue (see staff_perm.h). Adding
 * a module's permission means one line here, one in STAFF_PERM_ALL, and the
 * route table entries that need it.
 */
#include "auth/staff_perm.h"
#include <string.h>

const staff_perm staff_perms[] = {
    {"registration.review", "审核企业注册", "企业服务"},
    {"enterprise.view", "查看企业库", "企业服务"},
    {"enterprise.export", "导出企业名录", "企业服务"},
    {"enterprise.change_review", "审核企业信息变更", "企业服务"},
    {"invite.manage", "管理邀请链接", "企业服务"},
    {"policy.publish", "发布政策", "政策与公告"},
    {"notice.publish", "发布公告", "政策与公告"},
    {"service.manage", "管理服务事项", "政策与公告"},
    {"trade.manage", "管理外贸业务", "外贸"},
    {"trade.review", "审核外贸申报", "外贸"},
    {"declaration.manage", "管理项目申报", "项目申报"},
    {"declaration.review", "审核项目申报", "项目申报"},
    {"survey.manage", "管理问卷调查", "互动"},
    {"consult.handle", "办理企业咨询", "互动"},
    {"consult.supervise", "督办企业咨询", "互动"},
    {"stats.view", "查看统计分析", "互动"},
    {"staff.manage", "管理人员与角色", "系统管理"},
    {"audit.view", "查看审计日志", "系统管理"},
    {"dict.edit", "维护数据字典", "系统管理"},
    {"legal.edit", "维护用户协议与隐私政策", "系统管理"},
    {"notify.manage", "管理消息模板与发送记录", "系统管理"},
};
const size_t staff_perms_n = sizeof staff_perms / sizeof staff_perms[0];

/* kept beside the table; tests/api/test_staff_roles.c checks they agree */
#define STAFF_PERM_ALL                                                                                        \
    "registration.review enterprise.view enterprise.export enterprise.change_review invite.manage"             \
    " policy.publish notice.publish service.manage trade.manage trade.review declaration.manage"               \
    " declaration.review survey.manage consult.handle consult.supervise stats.view staff.manage audit.view"    \
    " dict.edit legal.edit notify.manage"

bool staff_perm_known(const char *code)
{
    if (!code) return false;
    for (size_t i = 0; i < staff_perms_n; i++)
        if (strcmp(staff_perms[i].code, code) == 0) return true;
    return false;
}

const char *staff_perm_all(void)
{
    return STAFF_PERM_ALL;
}

const char *staff_perm_label(const char *code)
{
    for (size_t i = 0; code && i < staff_perms_n; i++)
        if (strcmp(staff_perms[i].code, code) == 0) return staff_perms[i].label;
    return code;
}
