// Project declarations (项目申报, issue 13, src/declare/ on the server): the
// portal's public calls and 公示, the enterprise's calls and applications,
// and the bureau's calls, review, zip downloads and export. Paths and bodies
// are the API section (docs/declare.md).
import { API_BASE, get, post, put, request } from './client.js'

// a call's phase from the server clock (未开始 / 申报中 / 已截止)
export const PHASE = {
  upcoming: { text: '未开始', type: 'info' },
  open: { text: '申报中', type: 'success' },
  closed: { text: '已截止', type: 'danger' },
  results: { text: '已公示', type: 'primary' },
  draft: { text: '草稿', type: 'info' },
}
// a call's life cycle
export const CALL_STATUS = {
  draft: { text: '草稿', type: 'info' },
  published: { text: '已发布', type: 'success' },
  closed: { text: '已结束', type: 'warning' },
  results: { text: '已公示', type: 'primary' },
}
export const APP_STATUS = {
  draft: { text: '草稿', type: 'info' },
  submitted: { text: '已提交', type: 'primary' },
  district_review: { text: '区县审核中', type: 'warning' },
  city_review: { text: '市级审核中', type: 'warning' },
  returned: { text: '退回修改', type: 'danger' },
  approved: { text: '已通过', type: 'success' },
  rejected: { text: '未通过', type: 'danger' },
  withdrawn: { text: '已撤回', type: 'info' },
}
export const FIELD_TYPES = [
  { value: 'text', label: '单行文本' },
  { value: 'textarea', label: '多行文本' },
  { value: 'number', label: '数字' },
  { value: 'amount', label: '金额（万元）' },
  { value: 'date', label: '日期' },
  { value: 'single', label: '单选' },
  { value: 'multiple', label: '多选' },
  { value: 'bool', label: '是/否' },
]
export const SLOT_TYPES = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'jpg', 'png', 'zip']
export const LEVEL_OPTIONS = [
  { value: 'district,city', label: '区县初审 → 市级评审' },
  { value: 'city', label: '仅市级评审' },
]
// timeline actions (decl_event.action)
export const EVENT_TEXT = {
  create: '创建草稿', update: '保存草稿', submit: '提交申报', withdraw: '撤回申报', accept: '受理',
  pass: '审核通过', return: '退回修改', reject: '审核不通过', score: '补充评分',
}
export const LEVEL_TEXT = { district: '区县初审', city: '市级评审' }

/** An application's status tag: {text, type}. */
export const appStatus = (s) => APP_STATUS[s] || { text: s || '—', type: 'info' }

// ---- public (portal) ----
export const listCalls = (query, opts) => get('/declarations', { ...opts, query })
export const getCall = (id, opts) => get(`/declarations/${encodeURIComponent(id)}`, opts)
export const getResults = (id, opts) => get(`/declarations/${encodeURIComponent(id)}/results`, opts)
export const templateUrl = (callId, fileId) =>
  `${API_BASE}/declarations/${encodeURIComponent(callId)}/templates/${encodeURIComponent(fileId)}`

// ---- enterprise ----
export const myCalls = (opts) => get('/enterprise/declarations', opts)
export const myCall = (id, opts) => get(`/enterprise/declarations/${encodeURIComponent(id)}`, opts)
export const myApps = (query, opts) => get('/enterprise/applications', { ...opts, query })
export const createApp = (callId) => post(`/enterprise/declarations/${encodeURIComponent(callId)}/application`, {}, { notify: false })
export const getApp = (id, opts) => get(`/enterprise/applications/${encodeURIComponent(id)}`, opts)
/** body {fields:{key:value}, materials:{slot key:[upload ids]}} */
export const saveApp = (id, body) => put(`/enterprise/applications/${encodeURIComponent(id)}`, body, { notify: false })
export const submitApp = (id) => post(`/enterprise/applications/${encodeURIComponent(id)}/submit`, {}, { notify: false })
export const withdrawApp = (id) => post(`/enterprise/applications/${encodeURIComponent(id)}/withdraw`, {}, { notify: false })
export const templatesZipUrl = (callId) => `${API_BASE}/enterprise/declarations/${encodeURIComponent(callId)}/templates.zip`
export const receiptUrl = (appId) => `${API_BASE}/enterprise/applications/${encodeURIComponent(appId)}/receipt`

// ---- bureau ----
export const adminCalls = (query, opts) => get('/admin/declarations', { ...opts, query })
export const adminCall = (id, opts) => get(`/admin/declarations/${encodeURIComponent(id)}`, opts)
export const adminCreateCall = (body) => post('/admin/declarations', body, { notify: false })
export const adminUpdateCall = (id, body) => put(`/admin/declarations/${encodeURIComponent(id)}`, body, { notify: false })
export const adminDeleteCall = (id) => request('DELETE', `/admin/declarations/${encodeURIComponent(id)}`, { body: {}, notify: false })
export const adminPublishCall = (id) => post(`/admin/declarations/${encodeURIComponent(id)}/publish`, {}, { notify: false })
export const adminExtendCall = (id, closeAt) => post(`/admin/declarations/${encodeURIComponent(id)}/extend`, { close_at: closeAt }, { notify: false })
export const adminCloseCall = (id) => post(`/admin/declarations/${encodeURIComponent(id)}/close`, {}, { notify: false })
export const adminPublishResults = (id, body) => post(`/admin/declarations/${encodeURIComponent(id)}/results`, body || {}, { notify: false })
/** query {region, status, q, industry, page, page_size} → {items,total,by_status,by_region} */
export const adminApps = (id, query, opts) => get(`/admin/declarations/${encodeURIComponent(id)}/applications`, { ...opts, query })
export const adminApp = (id, opts) => get(`/admin/applications/${encodeURIComponent(id)}`, opts)
/** body {decision: pass|return|reject, reason, deadline, scores:{criterion name: 0..100}} */
export const adminReview = (id, body) => post(`/admin/applications/${encodeURIComponent(id)}/review`, body, { notify: false })
export const adminAccept = (id) => post(`/admin/applications/${encodeURIComponent(id)}/accept`, {}, { notify: false })

function qs(query) {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query || {})) if (v !== undefined && v !== null && v !== '') p.append(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}
export const materialsZipUrl = (id, query) => `${API_BASE}/admin/declarations/${encodeURIComponent(id)}/materials.zip${qs(query)}`
export const exportUrl = (id, query) => `${API_BASE}/admin/declarations/${encodeURIComponent(id)}/export${qs(query)}`

/** Days left until close, from the API's days_left or close_at. */
export function daysLeft(c) {
  if (c && Number.isFinite(c.days_left)) return c.days_left
  if (!c?.close_at) return 0
  return Math.max(0, Math.ceil((Date.parse(c.close_at) - Date.now()) / 86400e3))
}
