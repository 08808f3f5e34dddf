// Employees, enterprise roles, join requests and the legal-rep transfer of
// the selected enterprise (src/member/*.c, docs/decisions-members.md).
// Calls that back a form pass notify:false so the page shows the refusal
// beside the field instead of a toast.
import { get, post, put, del } from './client.js'

const quiet = { notify: false }

/** GET /enterprise/permissions → [{code, name, granted}] (the catalogue). */
export function getPermissionCatalogue() {
  return get('/enterprise/permissions').then((d) => d.items || [])
}

/** GET /enterprise/roles → list envelope of {id, name, is_default, permissions, member_count}. */
export function listRoles() {
  return get('/enterprise/roles', { query: { page_size: 100 } })
}
export function createRole(body) { return post('/enterprise/roles', body, quiet) }
export function updateRole(id, body) { return put(`/enterprise/roles/${id}`, body, quiet) }
export function deleteRole(id) { return del(`/enterprise/roles/${id}`, { ...quiet, body: {} }) }

/** GET /enterprise/role-options → [{id, name, permissions, assignable}]. */
export function roleOptions() {
  return get('/enterprise/role-options').then((d) => d.items || [])
}

/** GET /enterprise/employees?q=&role_id=&page= → list envelope. */
export function listEmployees(query) {
  return get('/enterprise/employees', { query: { page_size: 20, ...query } })
}
/** POST /enterprise/employees {name, phone, role_id} → 201 an invitation (the person accepts it). */
export function addEmployee(body) { return post('/enterprise/employees', body, quiet) }
export function setEmployeeRole(userId, roleId) { return put(`/enterprise/employees/${userId}`, { role_id: roleId }, quiet) }
export function removeEmployee(userId) { return del(`/enterprise/employees/${userId}`, { ...quiet, body: {} }) }

/** GET /enterprise/invitations → list envelope of {id, name, phone (masked), role, status:
 *  pending|expired|declined, created_at, expires_at, invited_by_name}. */
export function listInvitations(query) {
  return get('/enterprise/invitations', { query: { page_size: 50, ...query } })
}
export function revokeInvitation(id) { return post(`/enterprise/invitations/${id}/revoke`, {}, quiet) }
export function resendInvitation(id) { return post(`/enterprise/invitations/${id}/resend`, {}, quiet) }

/** GET /enterprise/join-requests?status=&page= → list envelope. */
export function listJoinRequests(query) {
  return get('/enterprise/join-requests', { query: { page_size: 20, ...query } })
}
export function approveJoinRequest(id, roleId) {
  return post(`/enterprise/join-requests/${id}/approve`, roleId ? { role_id: roleId } : {}, quiet)
}
export function rejectJoinRequest(id, reason) {
  return post(`/enterprise/join-requests/${id}/reject`, { reason }, quiet)
}

/** POST /sms/send {phone, purpose:"transfer"}: the code goes to the legal rep's own phone. */
export function sendTransferCode(phone) {
  return post('/sms/send', { phone, purpose: 'transfer' }, quiet)
}
/** POST /enterprise/legal-rep/transfer {user_id, sms_code, role_id?}. */
export function transferLegalRep(body) {
  return post('/enterprise/legal-rep/transfer', body, quiet)
}
