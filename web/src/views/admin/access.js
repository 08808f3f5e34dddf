// Which bureau pages a staff member may open: the permission each route
// needs (the same codes the server's route table names, src/auth/staff_perm.c),
// read from me.user.perms (GET /api/v1/auth/me). The server checks again on
// every call; this keeps people from menus and pages that would answer 403.
import { session } from '../../api/auth.js'

// route name → permission codes (any one is enough); routes not listed are open to all staff
export const ADMIN_ROUTE_PERMS = {
  'admin-registrations': ['registration.review'],
  'admin-registration': ['registration.review'],
  'admin-enterprises': ['enterprise.view'],
  'admin-enterprise': ['enterprise.view'],
  'admin-enterprise-changes': ['enterprise.change_review'],
  'admin-invites': ['invite.manage'],
  'admin-policies': ['policy.publish'],
  'admin-policy': ['policy.publish'],
  'admin-policy-reach': ['policy.publish'],
  'admin-notices': ['notice.publish'],
  'admin-notice': ['notice.publish'],
  'admin-notice-reach': ['notice.publish'],
  'admin-services': ['service.manage'],
  'admin-subscription-rules': ['policy.publish'],
  'admin-trade': ['trade.manage', 'trade.review'],
  'admin-declarations': ['declaration.manage', 'declaration.review'],
  'admin-declaration': ['declaration.manage', 'declaration.review'],
  'admin-declaration-apps': ['declaration.manage', 'declaration.review'],
  'admin-surveys': ['survey.manage'],
  'admin-survey': ['survey.manage'],
  'admin-survey-results': ['survey.manage'],
  'admin-consultations': ['consult.handle', 'consult.supervise'],
  // ---- 咨询处理 (issue 14) ----
  'admin-consultation': ['consult.handle', 'consult.supervise'],
  'admin-consult-stats': ['consult.supervise'],
  'admin-consult-settings': ['consult.supervise'],
  // ---- end 咨询处理 ----
  'admin-dicts': ['dict.edit', 'enterprise.view'],
  'admin-staff': ['staff.manage'],
  'admin-roles': ['staff.manage'],
  'admin-audit': ['audit.view'],
  'admin-legal': ['legal.edit'],
  'admin-deliveries': ['policy.publish', 'notice.publish', 'notify.manage'],
  'admin-message-templates': ['notify.manage'],
  // ---- issue 12: 外贸监测 (tasks, monitored firms, import, settings: trade.manage; review, remind: trade.review)
  'admin-trade-tasks': ['trade.manage', 'trade.review'],
  'admin-trade-monitored': ['trade.manage'],
  'admin-trade-review': ['trade.review', 'trade.manage'],
  'admin-trade-progress': ['trade.review', 'trade.manage'],
  'admin-trade-analysis': ['trade.manage', 'trade.review'],
  'admin-trade-import': ['trade.manage'],
  'admin-trade-accuracy': ['trade.manage', 'trade.review'],
  // ---- end issue 12
}

/** Whether the signed-in staff member holds permission code `perm`. */
export function staffCan(perm, me = session.me) {
  const perms = me?.user?.perms
  return Array.isArray(perms) && perms.includes(perm)
}

export function staffCanOpen(routeName, me = session.me) {
  const need = ADMIN_ROUTE_PERMS[routeName]
  return !need || need.some((p) => staffCan(p, me))
}
