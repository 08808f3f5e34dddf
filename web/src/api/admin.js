// Bureau console calls (staff sessions). Shapes follow the C handlers:
//   src/enterprise/review.c  registrations
//   src/invite/invite.c      invites and their QR codes
//   src/auth/staff_api.c     staff accounts (role super)
//   src/audit/audit_api.c    the audit log
// Lists answer {items, total, page, page_size}.
import { API_BASE, get, post, put, del } from './client.js'

// ---- registrations ----

/** GET /admin/registrations?status=&region=&q=&page=&page_size= */
export function listRegistrations(query, opts) {
  return get('/admin/registrations', { ...opts, query })
}
export function getRegistrationById(id, opts) {
  return get(`/admin/registrations/${encodeURIComponent(id)}`, opts)
}
export function approveRegistration(id) {
  return post(`/admin/registrations/${encodeURIComponent(id)}/approve`, {}, { notify: false })
}
export function rejectRegistration(id, reason) {
  return post(`/admin/registrations/${encodeURIComponent(id)}/reject`, { reason }, { notify: false })
}

// ---- invites ----

/** GET /admin/invites?region=&page=&page_size= */
export function listInvites(query, opts) {
  return get('/admin/invites', { ...opts, query })
}
/** POST /admin/invites {region?, note?, expires_in_days?, channel?: link|qr} → the invite (201). */
export function createInvite(body) {
  return post('/admin/invites', body, { notify: false })
}
export function revokeInvite(id) {
  return post(`/admin/invites/${encodeURIComponent(id)}/revoke`, {})
}
/** Address of an invite's QR code (GET, staff cookie): kind 'svg' | 'png'. */
export function inviteQrUrl(id, kind) {
  return `${API_BASE}/admin/invites/${encodeURIComponent(id)}/qr.${kind === 'png' ? 'png' : 'svg'}`
}

// ---- staff (super) ----

/** GET /admin/staff?q=&role=&region=&disabled=&page=&page_size= */
export function listStaff(query, opts) {
  return get('/admin/staff', { ...opts, query })
}
/** GET /admin/staff/:id → {staff} (phone masked; revealStaffPhone shows it). */
export function getStaff(id, opts) {
  return get(`/admin/staff/${encodeURIComponent(id)}`, opts)
}
/** POST /admin/staff/:id/reveal {} → {value}: the full phone, audited (staff.reveal_phone); 429 past the hourly cap. */
export function revealStaffPhone(id) {
  return post(`/admin/staff/${encodeURIComponent(id)}/reveal`, {}, { notify: false })
}
/** POST /admin/staff {username, name?, phone, role_ids, region?} → {staff, one_time_password}. */
export function createStaff(body) {
  return post('/admin/staff', body, { notify: false })
}
/** PUT /admin/staff/:id {name?, phone?, role_ids?, region?, disabled?} → {staff}. */
export function updateStaff(id, body, opts = { notify: false }) {
  return put(`/admin/staff/${encodeURIComponent(id)}`, body, opts)
}
// ---- staff roles (src/auth/staff_role_api.c, staff.manage) ----

/** GET /admin/staff-permissions → {items:[{code, label, group}]} */
export function listStaffPerms(opts) {
  return get('/admin/staff-permissions', opts)
}
/** GET /admin/staff-roles → {items:[{id, name, builtin, editable, deletable, permissions, staff_count}]} */
export function listStaffRoles(opts) {
  return get('/admin/staff-roles', opts)
}
/** POST /admin/staff-roles {name, permissions} → {id} */
export function createStaffRole(body) {
  return post('/admin/staff-roles', body, { notify: false })
}
/** PUT /admin/staff-roles/:id {name, permissions} → {id} */
export function updateStaffRole(id, body) {
  return put(`/admin/staff-roles/${encodeURIComponent(id)}`, body, { notify: false })
}
/** DELETE /admin/staff-roles/:id (409 while an account holds it) */
export function deleteStaffRole(id) {
  return del(`/admin/staff-roles/${encodeURIComponent(id)}`)
}

/** POST /admin/staff/:id/reset-password → {staff, one_time_password}. */
export function resetStaffPassword(id) {
  return post(`/admin/staff/${encodeURIComponent(id)}/reset-password`, {})
}

// ---- audit ----

/** GET /admin/audit?action=&actor=&from=&to=&result=&region=&page=&page_size= */
export function listAudit(query, opts) {
  return get('/admin/audit', { ...opts, query })
}

// ---- display ----

// a registration's status is its enterprise's (待审核 / 已认证 / 已退回)
export { ENTERPRISE_STATUS as REG_STATUS } from '../constants/status.js'
export const CHANNELS = { web: '门户网站', mobile: '移动端', link: '邀请链接', qr: '邀请二维码' }
export const STAFF_ROLES = { super: '系统管理员', city: '市级', district: '区县级' }

export { fmtTime } from '../utils/time.js'
