// Bureau directory (企业库), its export, and the review of name / USCC / district changes (信息变更审核).
// Contract: docs/profile.md, "Bureau directory" and "Current enterprise". District staff are pinned to their
// district by the server; the UI only hides the choice.
import { API_BASE, ApiError, get, post } from './client.js'

// The directory's filters (query names of the API).
export const DIRECTORY_FILTERS = ['region', 'industry', 'scale', 'characteristic', 'trade_type', 'status', 'completeness_min', 'completeness_max', 'q']

/** GET /admin/enterprises?<filters>&page=&page_size= → {items,total,page,page_size} */
export function listEnterprises(query, opts) {
  return get('/admin/enterprises', { ...opts, query })
}
/** GET /admin/enterprises/:id → the enterprise with sections and members. */
export function getEnterpriseById(id, opts) {
  return get(`/admin/enterprises/${encodeURIComponent(id)}`, opts)
}

/** A progress token: 32 characters [A-Za-z0-9], from the browser's CSPRNG. */
export function newExportToken() {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  const out = []
  // 248 = 4 × 62: rejecting bytes above it keeps every character equally likely
  while (out.length < 32) {
    for (const b of crypto.getRandomValues(new Uint8Array(48))) {
      if (b < 248 && out.length < 32) out.push(abc[b % 62])
    }
  }
  return out.join('')
}

/** GET /admin/enterprises/export-progress/:token → {total, done, status} (404 before the export starts). */
export function getExportProgress(token, opts) {
  return get(`/admin/enterprises/export-progress/${encodeURIComponent(token)}`, { notify: false, ...opts })
}

function exportUrl(filters, token) {
  const qs = new URLSearchParams()
  for (const k of DIRECTORY_FILTERS) {
    const v = filters[k]
    if (v !== undefined && v !== null && v !== '') qs.append(k, String(v))
  }
  qs.append('progress', token)
  return `${API_BASE}/admin/enterprises/export?${qs}`
}

function fileNameOf(res) {
  const cd = res.headers.get('Content-Disposition') || ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  if (star) { try { return decodeURIComponent(star[1]) } catch { /* fall through */ } }
  const plain = /filename="?([^";]+)"?/i.exec(cd)
  return plain ? plain[1] : ''
}

/**
 * Downloads the export with fetch(): the body is read as a stream so the
 * dialog can show bytes received (onBytes(received, total|0)), and an error
 * answer stays readable (a navigation download would lose it). ~10 MB fits
 * comfortably in memory. Resolves with {blob, name}; rejects with ApiError,
 * or an AbortError when `signal` aborts.
 */
export async function downloadExport(filters, token, { signal, onHeaders, onBytes } = {}) {
  let res
  try {
    res = await fetch(exportUrl(filters, token), { credentials: 'same-origin', signal, headers: { Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json' } })
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    throw new ApiError({ code: 'network_error', message: '网络连接失败，请检查网络后重试' })
  }
  if (!res.ok) {
    let e = {}
    try { e = (await res.json()).error || {} } catch { /* not JSON */ }
    throw new ApiError({
      status: res.status,
      code: e.code || `http_${res.status}`,
      message: e.message || (res.status >= 500 ? `服务器暂时无法处理请求（${res.status}），请稍后再试` : `导出失败（${res.status}）`),
      requestId: e.request_id || res.headers.get('X-Request-Id') || '',
    })
  }
  if (onHeaders) onHeaders()
  const total = Number(res.headers.get('Content-Length')) || 0
  const parts = []
  let received = 0
  if (res.body && res.body.getReader) {
    const reader = res.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parts.push(value)
      received += value.length
      if (onBytes) onBytes(received, total)
    }
  } else {
    parts.push(new Uint8Array(await res.arrayBuffer()))
  }
  const type = res.headers.get('Content-Type') || 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  return { blob: new Blob(parts, { type }), name: fileNameOf(res) }
}

/** Hands a blob to the browser's download manager under `name`. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // the click has started the download; give the browser a moment before revoking
  setTimeout(() => URL.revokeObjectURL(url), 30000)
}

// ---- enterprise changes ----

/** GET /admin/enterprise-changes?status=&page= */
export function listChanges(query, opts) {
  return get('/admin/enterprise-changes', { ...opts, query })
}
export function getChange(id, opts) {
  return get(`/admin/enterprise-changes/${encodeURIComponent(id)}`, opts)
}
export function approveChange(id) {
  return post(`/admin/enterprise-changes/${encodeURIComponent(id)}/approve`, {}, { notify: false })
}
export function rejectChange(id, reason) {
  return post(`/admin/enterprise-changes/${encodeURIComponent(id)}/reject`, { reason }, { notify: false })
}

// ---- display ----

export { ENTERPRISE_STATUS, CHANGE_STATUS } from '../constants/status.js'
export const CHANGE_FIELDS = [
  { key: 'name', label: '企业名称' },
  { key: 'uscc', label: '统一社会信用代码' },
  { key: 'region', label: '行政区划', nameKey: 'region_name' },
]

/** Colour of a completeness score for el-progress. */
export function completenessColor(score) {
  if (score >= 80) return '#2e9e5b'
  if (score >= 50) return '#1a5bb8'
  return '#d9822b'
}

/**
 * POST /admin/enterprises/:id/reveal {field, member_id?} → {field, value}: one masked phone in full,
 * audited on the server (enterprise.reveal_phone); 429 past the hourly cap.
 * field: legal_rep_phone | contact_phone | applicant_phone | member_phone (with memberId).
 */
export function revealPhone(id, field, memberId) {
  const body = memberId ? { field, member_id: memberId } : { field }
  return post(`/admin/enterprises/${encodeURIComponent(id)}/reveal`, body, { notify: false })
}
