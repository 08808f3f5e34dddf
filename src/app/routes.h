/*
 * routes.h — each capability exports its route group here; routes.c lists
 * them all in one place so the whole API surface can be read at a glance.
 */
#ifndef ZQ_APP_ROUTES_H
#define ZQ_APP_ROUTES_H
#include "http/route.h"

extern const zq_route_group health_routes;
extern const zq_route_group dict_routes;
extern const zq_route_group dict_admin_routes;    /* src/dict/dict_admin.c */
extern const zq_route_group registration_routes;  /* src/enterprise/register.c */
extern const zq_route_group review_routes;        /* src/enterprise/review.c */
extern const zq_route_group invite_routes;        /* src/invite/invite.c */
extern const zq_route_group auth_routes;          /* src/auth/auth_api.c */
extern const zq_route_group staff_routes;         /* src/auth/staff_api.c */
extern const zq_route_group staff_role_routes;    /* src/auth/staff_role_api.c */
extern const zq_route_group sms_routes;           /* src/sms/sms.c */
extern const zq_route_group audit_routes;         /* src/audit/audit_api.c */
extern const zq_route_group role_routes;          /* src/member/roles.c */
extern const zq_route_group employee_routes;      /* src/member/employees.c */
extern const zq_route_group invitation_routes;    /* src/member/invitation.c */
extern const zq_route_group me_invitation_routes; /* src/member/invitation_me.c */
extern const zq_route_group join_review_routes;   /* src/member/joinreq.c */
extern const zq_route_group legal_rep_routes;     /* src/member/transfer.c */
extern const zq_route_group profile_routes;       /* src/profile/profile_api.c */
extern const zq_route_group profile_patch_routes; /* src/profile/profile_patch.c */
extern const zq_route_group export_routes;        /* src/directory/export.c */
extern const zq_route_group export_progress_routes; /* src/directory/export_progress.c */
extern const zq_route_group change_review_routes; /* src/profile/change_api.c */
extern const zq_route_group directory_routes;     /* src/directory/directory_api.c */
extern const zq_route_group reveal_routes;        /* src/directory/reveal.c */
extern const zq_route_group upload_routes;        /* src/upload/upload_api.c */
extern const zq_route_group legal_routes;         /* src/legal/docs.c */
extern const zq_route_group consent_routes;       /* src/legal/consent.c */
extern const zq_route_group privacy_export_routes; /* src/privacy/export.c */
extern const zq_route_group privacy_close_routes; /* src/privacy/close.c */
extern const zq_route_group dashboard_routes;     /* src/dashboard/dashboard.c */
extern const zq_route_group policy_admin_routes;  /* src/policy/admin.c */
extern const zq_route_group policy_public_routes; /* src/policy/public.c */
extern const zq_route_group policy_reach_routes;  /* src/policy/reach.c */
extern const zq_route_group service_routes;       /* src/policy/services.c */
extern const zq_route_group subscription_routes;  /* src/policy/subscriptions.c */
extern const zq_route_group inbox_routes;         /* src/policy/inbox.c */
extern const zq_route_group message_routes;       /* src/notify/messages_api.c */
extern const zq_route_group notify_settings_routes; /* src/notify/settings_api.c */
extern const zq_route_group notify_admin_routes;  /* src/notify/admin_api.c */
extern const zq_route_group wechat_routes;        /* src/wechat/wechat_api.c */

/* All groups, in match order. */
extern const zq_route_group *const zq_all_route_groups[];
extern const size_t zq_all_route_groups_n;

#endif
