/*
 * routes.c — the list of every capability's routes (see routes.h).
 */
#include "app/routes.h"
#include "auditlog/auditlog.h"
#include "auth/auth.h"
#include "consult/consult.h"
#include "dashboard/dashboard.h"
#include "declare/declare.h"
#include "dict/dict.h"
#include "directory/directory.h"
#include "enterprise/enterprise.h"
#include "health/health.h"
#include "invite/invite.h"
#include "legal/legal.h"
#include "member/member.h"
#include "notify/notify.h"
#include "policy/policy.h"
#include "privacy/privacy.h"
#include "profile/profile.h"
#include "sms/sms.h"
#include "survey/survey.h"
#include "trade/trade.h"
#include "upload/upload.h"
#include "wechat/wechat.h"

const zq_route_group *const zq_all_route_groups[] = {
    &health_routes,
    &dict_routes,
    &dict_admin_routes,
    &registration_routes,
    &review_routes,
    &invite_routes,
    &auth_routes,
    &staff_routes,
    &staff_reveal_routes,
    &staff_role_routes,
    &sms_routes,
    &audit_routes,
    &role_routes,
    &employee_routes,
    &invitation_routes,
    &me_invitation_routes,
    &join_review_routes,
    &legal_rep_routes,
    &upload_routes,
    &bureau_upload_routes,
    &profile_routes,
    &profile_patch_routes,
    &export_routes,          /* before directory_routes: /export is not an :id */
    &export_progress_routes,
    &directory_routes,
    &reveal_routes,
    &change_review_routes,
    &legal_routes,
    &consent_routes,
    &privacy_export_routes,
    &privacy_close_routes,
    &dashboard_routes,
    &policy_admin_routes,
    &policy_public_routes,
    &policy_reach_routes,
    &service_routes,
    &subscription_routes,
    &inbox_routes,
    &policy_admin_routes,
    &policy_public_routes,
    &policy_reach_routes,
    &service_routes,
    &subscription_routes,
    &inbox_routes,
    &message_routes,
    &notify_settings_routes,
    &notify_admin_routes,
    &wechat_routes,
    &trade_report_routes,
    &trade_task_routes,
    &trade_review_routes,    /* bulk-approve before reports/:id */
    &trade_remind_routes,
    &trade_monitor_routes,
    &trade_settings_routes,
    &trade_summary_routes,
    &trade_analysis_routes,
    &trade_actuals_routes,
    &trade_export_routes,
    &decl_admin_routes,
    &decl_review_routes,
    &decl_zip_routes,
    &decl_export_routes,
    &decl_public_routes,
    &decl_ent_routes,
    &decl_receipt_routes,
    &survey_admin_routes,
    &survey_results_routes,
    &survey_answer_routes,
    &consult_member_routes,
    &consult_stats_routes,   /* before consult_admin_routes: /stats is not an :id */
    &consult_admin_routes,
    &consult_public_routes,
    &consult_settings_routes,
};
const size_t zq_all_route_groups_n = sizeof zq_all_route_groups / sizeof zq_all_route_groups[0];
