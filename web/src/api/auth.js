// Authentication endpoints and the in-memory session of this page.
// The session cookie itself is HttpOnly and never seen here; what we keep is
// the answer of auth/me (who, which enterprises, the CSRF token) and a hint
// in localStorage that a session may exist, so guest pages do not probe
// auth/me (and get a 401) for people who never logged in.
import { reactive } from 'vue'
import { get, post, setCsrfToken } from './client.js'

const HINT_KEY = 'zq.session'

export const session = reactive({
  me: null, // {user:{id,name,phone,kind}, enterprises:[…], current_enterprise_id}
  loaded: false,
})

let pending = null

function hint(on) {
  try { on ? localStorage.setItem(HINT_KEY, '1') : localStorage.removeItem(HINT_KEY) } catch { /* storage disabled */ }
}
export function hasSessionHint() {
  try { return localStorage.getItem(HINT_KEY) === '1' } catch { return false }
}

function accept(data) {
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

export const currentEnterprise = () => {
  const me = session.me
  if (!me || !Array.isArray(me.enterprises)) return null
  return me.enterprises.find((e) => e.id === me.current_enterprise_id) || me.enterprises[0] || null
}

/** Enterprise user login: {method:'password', phone, password} or {method:'sms', phone, sms_code}. */
export async function login(payload) {
  return accept(await post('/auth/login', payload, { notify: false, handle401: false }))
}

/** Bureau staff login: {username, password, sms_code}. */
export async function staffLogin(payload) {
  return accept(await post('/admin/auth/login', payload, { notify: false, handle401: false }))
}

/** Ask for an SMS code: purpose is 'login' or 'register'. */
export function requestSmsCode(phone, purpose) {
  return post('/sms/send', { phone, purpose }, { notify: false })
}

/** Bureau staff SMS code: the server sends it to the phone on file once
 *  username and password are right. */
export function requestStaffSmsCode(username, password) {
  return post('/sms/send', { purpose: 'staff_login', username, password }, { notify: false })
}

export async function switchEnterprise(enterpriseId) {
  return accept(await post('/auth/switch-enterprise', { enterprise_id: enterpriseId }))
}

export async function logout() {
  try { await post('/auth/logout', {}, { notify: false, handle401: false }) } finally { clearSession() }
}

/** POST /api/v1/register with the registration payload (see forms/registration.js). */
export function register(payload) {
  return post('/register', payload, { notify: false, handle401: false })
}

/** Only same-site paths are followed after login (no open redirect). */
export function safeNext(next, fallback) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback
  return next
}
