// Policies, notices and services (issue 11, src/policy/): the public portal
// lists, the enterprise's subscriptions, inbox and policy calculator, and the
// bureau's content management. Paths and bodies are the API section.
// Every list answers {items, total}; items carry id, title, kind, status,
// published_at (services: id, name …). Policy types may come as codes or as
// {code, name}: typeCodes() reads both.
import { get, post, put, request } from './client.js'

export const KIND_TEXT = { news: '政策资讯', interpretation: '政策解读', notice: '通知公告' }
export const CONTENT_STATUS = {
  draft: { text: '草稿', type: 'info' },
  scheduled: { text: '定时发布', type: 'warning' },
  published: { text: '已发布', type: 'success' },
  withdrawn: { text: '已撤回', type: 'danger' },
}
export const CONDITION_TEXT = {
  regions: '所属区县', industries: '所属行业', scales: '企业规模', characteristics: '企业特性', trade_types: '进出口贸易',
}
export const CHANNEL_TEXT = { inapp: '站内消息', in_app: '站内消息', app: '站内消息', sms: '短信', wechat: '微信订阅消息' }

/** Codes of an item's policy types, whether the API sends codes or {code,name}. */
export function typeCodes(types) {
  return (Array.isArray(types) ? types : []).map((t) => (t && typeof t === 'object' ? t.code : t)).filter(Boolean)
}
/** Names of an item's policy types, from the item itself or the dictionary. */
export function typeNames(types, dict) {
  return (Array.isArray(types) ? types : []).map((t) => {
    if (t && typeof t === 'object' && t.name) return t.name
    const code = t && typeof t === 'object' ? t.code : t
    const d = (dict || []).find((x) => x.code === code)
    return d ? d.name : code
  })
}
/** "2026-11-29T01:00:58+08:00" → "2026-11-29". */
export function day(iso) {
  return iso ? String(iso).slice(0, 10) : '—'
}

// ---- public (portal) ----
/** GET /policies?q=&kind=&type=&department=&from=&to=&page=&page_size= */
export const listPolicies = (query, opts) => get('/policies', { ...opts, query })
/** GET /policies/:id → item with body_html, attachments, interpretations. */
export const getPolicy = (id, opts) => get(`/policies/${encodeURIComponent(id)}`, opts)
export const listNotices = (query, opts) => get('/notices', { ...opts, query })
export const getNotice = (id, opts) => get(`/notices/${encodeURIComponent(id)}`, opts)
export const listServices = (query, opts) => get('/services', { ...opts, query })
export const getService = (id, opts) => get(`/services/${encodeURIComponent(id)}`, opts)

// ---- enterprise ----
/** {default:[codes], extra:[codes]} */
export const getSubscriptions = (opts) => get('/enterprise/subscriptions', opts)
export const saveSubscriptions = (extra) => put('/enterprise/subscriptions', { extra }, { notify: false })
/** 我收到的政策: GET /enterprise/policies?read=&page= (read: 0 unread, 1 read). */
export const listInbox = (query, opts) => get('/enterprise/policies', { ...opts, query })
export const markInboxRead = (id) => post(`/enterprise/policies/${encodeURIComponent(id)}/read`, {}, { notify: false })
/** 政策计算器: what the enterprise meets and the near misses. */
export const getPolicyMatches = (opts) => get('/enterprise/policy-matches', opts)

/**
 * The calculator's answer in one shape whatever the member names:
 * {met:[item], near:[item]}, each item {id,title,kind,published_at,items:[{condition,applies,met,reason}]}.
 */
export function readMatches(d) {
  const pick = (...keys) => { for (const k of keys) if (Array.isArray(d?.[k])) return d[k]; return [] }
  const norm = (x) => ({ ...x, items: Array.isArray(x.items) ? x.items : Array.isArray(x.conditions) ? x.conditions : [] })
  return { met: pick('matches', 'met', 'items').map(norm), near: pick('near_misses', 'near', 'nearly').map(norm) }
}

// ---- bureau ----
// base: 'policies' | 'notices' | 'services'
export const adminList = (base, query, opts) => get(`/admin/${base}`, { ...opts, query })
export const adminGet = (base, id, opts) => get(`/admin/${base}/${encodeURIComponent(id)}`, opts)
export const adminCreate = (base, body) => post(`/admin/${base}`, body, { notify: false })
export const adminUpdate = (base, id, body) => put(`/admin/${base}/${encodeURIComponent(id)}`, body, { notify: false })
export const adminDelete = (base, id) => request('DELETE', `/admin/${base}/${encodeURIComponent(id)}`, { body: {}, notify: false })
/** publish_at: a scheduled publication's time ("2026-12-08T09:00:00+08:00"), absent = now. */
export const adminPublish = (base, id, publishAt) =>
  post(`/admin/${base}/${encodeURIComponent(id)}/publish`, publishAt ? { publish_at: publishAt } : {}, { notify: false })
export const adminWithdraw = (base, id) => post(`/admin/${base}/${encodeURIComponent(id)}/withdraw`, {}, { notify: false })
/** {count}: approved enterprises the item's targets and types would reach. */
export const audiencePreview = (base, id, opts) => get(`/admin/${base}/${encodeURIComponent(id)}/audience-preview`, opts)
export const getReach = (base, id, opts) => get(`/admin/${base}/${encodeURIComponent(id)}/reach`, opts)
export const getSubscriptionRules = (opts) => get('/admin/subscription-rules', opts)
/** {items:[{condition: trade_type|characteristic|industry_section, value, policy_type}]} */
export const saveSubscriptionRules = (items) => put('/admin/subscription-rules', { items }, { notify: false })

/** A Date as the API's time text, in Asia/Shanghai ("2026-12-08T09:00:00+08:00"). */
export function apiTime(d) {
  return new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00'
}

/** Which admin path a content kind lives under. */
export function adminBaseOf(kind) {
  return kind === 'notice' ? 'notices' : 'policies'
}
