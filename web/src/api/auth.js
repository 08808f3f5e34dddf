// Authentication and the account's own calls, and the in-memory session of
// this page. The session cookie itself is HttpOnly and never seen here; what
// we keep is the "me" document (who, which enterprises, the CSRF token) that
// login, registration, switch and GET /auth/me answer, and a hint in
// localStorage that a session may exist, so guest pages do not probe
// auth/me (and get a 401) for people who never logged in.
//
// me = {csrf_token, kind: "user"|"staff",
//       user: {id, kind, name, phone, username?, role?, region?, region_name?},
//       must_change_password, enterprises: [{id, name, uscc, status:
//       "pending"|"approved"|"rejected", is_legal_rep, reject_reason}],
//       current_enterprise_id, perms: [...]}
import { reactive } from 'vue'
import { get, post, put, setCsrfToken } from './client.js'

const HINT_KEY = 'zq.session'

export const session = reactive({
  me: null,
  loaded: false,
})

let pending = null

function hint(on) {
  try { on ? localStorage.setItem(HINT_KEY, '1') : localStorage.removeItem(HINT_KEY) } catch { /* storage disabled */ }
}
export function hasSessionHint() {
  try { return localStorage.getItem(HINT_KEY) === '1' } catch { return false }
}

/** Keeps a "me" answer as the session of this page. */
export function accept(data) {
  session.me = data && data.user ? data : null
  session.loaded = true
  hint(!!session.me)
  return session.me
}

export function clearSession() {
  session.me = null
  session.loaded = true
  setCsrfToken('')
  hint(false)
}

/**
 * GET /api/v1/auth/me once per page load (or again with force). Resolves
 * with the me object, or null when not logged in (401). Other errors reject.
 */
export function loadMe({ force = false } = {}) {
  if (session.loaded && !force) return Promise.resolve(session.me)
  if (!pending) {
    pending = get('/auth/me', { handle401: false, notify: false })
      .then(accept)
      .catch((e) => {
        if (e && e.status === 401) { clearSession(); return null }
        throw e
      })
      .finally(() => { pending = null })
  }
  return pending
}

/** Only probe when this browser has logged in before (avoids guest 401s). */
export function loadMeIfHinted() {
  return hasSessionHint() ? loadMe() : Promise.resolve(session.loaded ? session.me : null)
}

export const isStaff = (me = session.me) => !!(me && me.kind === 'staff')
export const isUser = (me = session.me) => !!(me && me.kind === 'user')

export const currentEnterprise = () => {
  const me = session.me
  if (!me || !Array.isArray(me.enterprises)) return null
  return me.enterprises.find((e) => e.id === me.current_enterprise_id) || null
}

const quiet = { notify: false, handle401: false }

/**
 * POST /auth/login {phone, password[, sms_code]}. Resolves with {me}, or
 * with {smsRequired: {phone (masked), expires_in, resend_after}} when the
 * password is an initial one someone else set (888888): the server texted a
 * code to the account's phone and the same call with sms_code logs in.
 */
export async function login(phone, password, smsCode) {
  const body = { phone, password }
  if (smsCode) body.sms_code = smsCode
  const r = await post('/auth/login', body, quiet)
  if (r && r.sms_required) return { smsRequired: r }
  return { me: accept(r) }
}

/**
 * 重新发送 in the first-login step: the password step again, which texts a
 * new code → {resend_after} for the countdown, or {me} when the account no
 * longer needs the step (changed meanwhile elsewhere).
 */
export async function resendFirstLoginCode(phone, password) {
  const r = await login(phone, password)
  return r.smsRequired ? { resend_after: r.smsRequired.resend_after } : r
}

/** POST /auth/login-sms {phone, code} → me. */
export async function loginSms(phone, code) {
  return accept(await post('/auth/login-sms', { phone, code }, quiet))
}

/**
 * Bureau staff: POST /admin/auth/login {username, password[, sms_code]}.
 * Resolves with {me} when logged in, or {smsRequired: {phone, resend_after}}
 * when the server (not in --dev) has sent a code to the staff phone (202).
 */
export async function staffLogin(payload) {
  const r = await post('/admin/auth/login', payload, quiet)
  if (r && r.sms_required) return { smsRequired: r }
  return { me: accept(r) }
}

/** POST /sms/send {phone, purpose} (register | login | reset) → {sent, expires_in, resend_after}. */
export function requestSmsCode(phone, purpose) {
  return post('/sms/send', { phone, purpose }, { notify: false })
}

/** POST /auth/switch {enterprise_id} → me. */
export async function switchEnterprise(enterpriseId) {
  return accept(await post('/auth/switch', { enterprise_id: enterpriseId }))
}

/** POST /auth/password {old_password, new_password} → me (users and staff). */
export async function changePassword(oldPassword, newPassword) {
  return accept(await post('/auth/password', { old_password: oldPassword, new_password: newPassword }, { notify: false }))
}

/** POST /auth/reset {phone, code, new_password} → {ok}; any session of this browser ends. */
export async function resetPassword(phone, code, newPassword) {
  const r = await post('/auth/reset', { phone, code, new_password: newPassword }, quiet)
  clearSession()
  return r
}

export async function logout() {
  try { await post('/auth/logout', {}, quiet) } finally { clearSession() }
}

/** POST /api/v1/register (see forms/registration.js) → 201 me: the account is logged in. */
export async function register(payload) {
  return accept(await post('/register', payload, quiet))
}

/** POST /api/v1/enterprises: a logged-in account adds an enterprise → 201 me (switched to it). */
export async function addEnterprise(payload) {
  return accept(await post('/enterprises', payload, { notify: false }))
}

/** GET /api/v1/registration: the selected enterprise's application (with can_edit). */
export function getRegistration(opts) {
  return get('/registration', opts)
}

/** PUT /api/v1/registration: correct (and, when rejected, resubmit) it → the application. */
export function updateRegistration(payload) {
  return put('/registration', payload, { notify: false })
}

/** POST /api/v1/join-requests {uscc, message?} → {id, status, enterprise:{id,name,uscc}, …}. */
export function requestJoin(uscc, message) {
  const body = { uscc }
  if (message) body.message = message
  return post('/join-requests', body, { notify: false })
}

/** GET /api/v1/invites/:token → {region, region_name, channel, valid} or 404. */
export function getInvite(token) {
  return get(`/invites/${encodeURIComponent(token)}`, quiet)
}

/** Reloads "me" (after a change made elsewhere, e.g. a resubmission). */
export function refreshMe() {
  return loadMe({ force: true })
}

/** Only same-site paths are followed after login (no open redirect). */
export function safeNext(next, fallback) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback
  return next
}
