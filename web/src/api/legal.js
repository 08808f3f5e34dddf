// The 用户协议 / 隐私政策 and what the platform holds about the person
// (src/legal/, src/privacy/):
//   GET  /legal/:kind              {kind, version, title, body, effective_at}  (public)
//   POST /me/consents              {terms_version, privacy_version, channel}
//   GET  /me/data-export           every personal datum, grouped (JSON attachment)
//   GET  /me/close-account         {allowed, reason, phone}
//   POST /me/close-account         {code}  (SMS purpose close_account)
//   GET/PUT /admin/legal/:kind     versions / publish a new one (super and city staff)
import { get, post, put, API_BASE } from './client.js'

export const LEGAL_KINDS = [
  { kind: 'terms', name: '用户协议' },
  { kind: 'privacy', name: '隐私政策' },
]

export function getLegal(kind, opts) {
  return get(`/legal/${kind}`, opts)
}

/** Both documents at once: {terms, privacy}. */
export async function getLegalBoth(opts) {
  const [terms, privacy] = await Promise.all([getLegal('terms', opts), getLegal('privacy', opts)])
  return { terms, privacy }
}

export function giveConsent(termsVersion, privacyVersion, channel) {
  return post('/me/consents', { terms_version: termsVersion, privacy_version: privacyVersion, channel }, { notify: false })
}

export function getMyData(opts) {
  return get('/me/data-export', opts)
}

/** The address the 下载 (JSON) link points at: the server answers an attachment. */
export const MY_DATA_URL = `${API_BASE}/me/data-export`

export function closeAccountCheck(opts) {
  return get('/me/close-account', opts)
}

export function closeAccount(code) {
  return post('/me/close-account', { code }, { notify: false })
}

export function getLegalAdmin(kind, opts) {
  return get(`/admin/legal/${kind}`, opts)
}

export function publishLegal(kind, title, body) {
  return put(`/admin/legal/${kind}`, { title, body }, { notify: false })
}
