// 咨询建议 (issue 14, src/consult/): the public Q&A and the visitor's form,
// the firm's own consultations with their threads and rating, and the
// bureau's queue, handling, statistics and settings. Paths and bodies are the
// issue's API contract; the words for codes live here, one copy for the
// portal, both consoles and mobile.
import { API_BASE, get, post, put } from './client.js'

// ---- public ----
export const listPublic = (query, opts) => get('/consultations', { ...opts, query })
export const getPublic = (id, opts) => get(`/consultations/${encodeURIComponent(id)}`, opts)
/** A logged-out visitor's question: {kind, category, title, content, publishable, phone, sms_code}. */
export const submitVisitor = (body) => post('/consultations', body, { notify: false })

// ---- the firm ----
export const listMine = (query, opts) => get('/enterprise/consultations', { ...opts, query })
export const submitMine = (body) => post('/enterprise/consultations', body, { notify: false })
export const getMine = (id, opts) => get(`/enterprise/consultations/${encodeURIComponent(id)}`, opts)
export const followUp = (id, body) => post(`/enterprise/consultations/${encodeURIComponent(id)}/messages`, body, { notify: false })
export const rate = (id, body) => post(`/enterprise/consultations/${encodeURIComponent(id)}/rate`, body, { notify: false })

// ---- the bureau ----
export const listQueue = (query, opts) => get('/admin/consultations', { ...opts, query })
export const getCase = (id, opts) => get(`/admin/consultations/${encodeURIComponent(id)}`, opts)
export const reply = (id, body) => post(`/admin/consultations/${encodeURIComponent(id)}/reply`, body, { notify: false })
export const assign = (id, body) => post(`/admin/consultations/${encodeURIComponent(id)}/assign`, body, { notify: false })
/** Shows an answered, publishable consultation on the portal (on = false takes it off); the server anonymises it. */
export const publish = (id, on) => post(`/admin/consultations/${encodeURIComponent(id)}/publish`, { publish: on }, { notify: false })
export const getStats = (query, opts) => get('/admin/consultations/stats', { ...opts, query })
/** The statistics table as an Excel file (same filters). */
export function statsExportUrl(query) {
  const qs = new URLSearchParams({ ...query, format: 'xlsx' }).toString()
  return `${API_BASE}/admin/consultations/stats?${qs}`
}
export const getSettings = (opts) => get('/admin/consult-settings', opts)
export const saveSettings = (body) => put('/admin/consult-settings', body, { notify: false })

// ---- words ----
export const STATUS = {
  submitted: { text: '待受理', type: 'warning' },
  acknowledged: { text: '办理中', type: 'primary' },
  answered: { text: '已答复', type: 'success' },
  reopened: { text: '追问待答复', type: 'warning' },
  closed: { text: '已办结', type: 'info' },
}
export const statusOf = (s) => STATUS[s] || { text: s || '', type: 'info' }
export const KIND = { question: '咨询', suggestion: '建议' }
export const RATINGS = [
  { value: 'satisfied', text: '满意' },
  { value: 'basically', text: '基本满意' },
  { value: 'unsatisfied', text: '不满意' },
]
export const ratingText = (r) => RATINGS.find((x) => x.value === r)?.text || ''
export const AUTHOR = { user: '企业', visitor: '访客', staff: '商务局', system: '系统' }
export const CONTENT_MAX = 5000
export const TITLE_MAX = 200
export const COMMENT_MAX = 1000

/**
 * How close a consultation is to its deadline: 'overdue' (past, or the
 * server's flag), 'near' (within a day, or the server's flag), 'ok', or
 * 'done' once answered or closed. The queue colours its due time by this.
 */
export function urgency(c, now = Date.now()) {
  if (!c) return 'ok'
  if (c.status === 'answered' || c.status === 'closed') return 'done'
  if (c.overdue) return 'overdue'
  const due = c.due_at ? Date.parse(c.due_at) : NaN
  if (!Number.isNaN(due) && due < now) return 'overdue'
  if (c.near_due) return 'near'
  if (!Number.isNaN(due) && due - now < 24 * 3600 * 1000) return 'near'
  return 'ok'
}
export const URGENCY_TEXT = { overdue: '已超期', near: '即将到期', ok: '', done: '' }

/**
 * A plain-text box's words as the rich text the API stores (content is rich
 * text on every side): escaped, one paragraph per line.
 */
export function textToHtml(text) {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return String(text || '').trim().split(/\r?\n/).map((l) => (l.trim() ? `<p>${esc(l)}</p>` : '')).join('')
}

/** The text of a rich-text body (for lengths and empty checks). */
export function plainLength(html) {
  return String(html || '').replace(/<[^>]*>|&nbsp;/g, '').trim().length
}
