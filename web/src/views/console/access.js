// Which console pages a member may open (docs/decisions-members.md): the
// permission each route needs, read from me.perms (GET /api/v1/auth/me).
// The legal rep holds everything. The server checks again on every call;
// this only keeps people from menus and pages that would answer 403.
import { session, currentEnterprise } from '../../api/auth.js'

// route name → permission code; routes not listed are open to every member
export const ROUTE_PERMS = {
  'console-staff': 'employee.manage',
  'console-join-requests': 'employee.manage',
  'console-roles': 'role.manage',
  'console-subscriptions': 'policy.view',
  'console-policy-news': 'policy.view',
  'console-received': 'policy.view',
  'console-received-detail': 'policy.view',
  'console-calculator': 'policy.view',
  // ---- issue 12: 外贸数据监测 (reading; filling needs trade.report)
  'console-trade-export': 'policy.view',
  'console-trade-import': 'policy.view',
  'console-trade-report': 'policy.view',
  // ---- end issue 12
  // 项目申报 (issue 13): reading needs policy.view; 申报 itself declaration.submit (checked on the buttons)
  'console-declarations': 'policy.view',
  'console-application': 'policy.view',
  'console-application-receipt': 'policy.view',
  // ---- issue 14: questionnaires ----
  'console-surveys': 'survey.answer',
  'console-survey': 'survey.answer',
  // ---- end issue 14 questionnaires ----
  // ---- 咨询建议 (issue 14) ----
  'console-consult': 'consult.submit',
  'console-consult-thread': 'consult.submit',
  // ---- end 咨询建议 ----
}

/** Whether the current member holds permission code `perm` (null: no check). */
export function can(perm, me = session.me) {
  if (!perm) return true
  const ent = currentEnterprise()
  // no enterprise selected: the pages only say how to add or join one
  if (!me || !ent) return true
  if (ent.is_legal_rep) return true
  return Array.isArray(me.perms) && me.perms.includes(perm)
}

// what a member of an enterprise not yet approved (pending or rejected: one
// rule for both) may open — its registration, its information, and the pages
// about the account itself; the layout's banner says why the rest is hidden
const BEFORE_APPROVAL = new Set([
  'console-home', 'console-enterprise', 'console-registration', 'console-forbidden',
  'console-add-enterprise', 'console-join', 'console-account', 'console-messages', 'console-notify-settings',
])

/** Whether the current enterprise is selected and not yet approved. */
export function notApproved() {
  const ent = currentEnterprise()
  return !!ent && ent.status !== 'approved'
}

export function canOpen(routeName, me = session.me) {
  if (routeName && notApproved() && !BEFORE_APPROVAL.has(routeName)) return false
  return can(ROUTE_PERMS[routeName], me)
}
