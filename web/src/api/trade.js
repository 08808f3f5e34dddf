// Foreign-trade monitoring (issue 12, manual 5–6): the firm's forecast
// reports and the bureau's tasks, review, completeness, analysis, actuals
// import and accuracy. Paths and bodies are the issue's API contract;
// amounts travel as decimal strings in 万元, 同比 as '-20.0' or null.
import { API_BASE, ApiError, del, get, getCsrfToken, post, put } from './client.js'

// ---- enterprise (permission trade.report to write, policy.view to read)

/** GET /enterprise/trade/reports → {items:[report row], total}. */
export function listMyReports(query, opts) {
  return get('/enterprise/trade/reports', { ...opts, query })
}
/** GET /enterprise/trade/reports/:id → the report with last_year, yoy, reason_required. */
export function getMyReport(id, opts) {
  return get(`/enterprise/trade/reports/${encodeURIComponent(id)}`, opts)
}
/** PUT …/:id — the draft {month, ytd, next_month, next_quarter, month_reason, ytd_reason, version}. */
export function saveMyReport(id, body, opts) {
  return put(`/enterprise/trade/reports/${encodeURIComponent(id)}`, body, opts)
}
export function submitMyReport(id, body, opts) {
  return post(`/enterprise/trade/reports/${encodeURIComponent(id)}/submit`, body, opts)
}
export function withdrawMyReport(id, body, opts) {
  return post(`/enterprise/trade/reports/${encodeURIComponent(id)}/withdraw`, body, opts)
}

// ---- bureau

export const listTasks = (query, opts) => get('/admin/trade/tasks', { ...opts, query })
export const getTask = (id, opts) => get(`/admin/trade/tasks/${encodeURIComponent(id)}`, opts)
export const createTask = (body, opts) => post('/admin/trade/tasks', body, opts)
export const updateTask = (id, body, opts) => put(`/admin/trade/tasks/${encodeURIComponent(id)}`, body, opts)
export const deleteTask = (id, opts) => del(`/admin/trade/tasks/${encodeURIComponent(id)}`, opts)
export const listTaskReports = (id, query, opts) => get(`/admin/trade/tasks/${encodeURIComponent(id)}/reports`, { ...opts, query })
export const approveReport = (id, body = {}, opts) => post(`/admin/trade/reports/${encodeURIComponent(id)}/approve`, body, opts)
export const returnReport = (id, reason, opts) => post(`/admin/trade/reports/${encodeURIComponent(id)}/return`, { reason }, opts)
export const reopenReport = (id, opts) => post(`/admin/trade/reports/${encodeURIComponent(id)}/reopen`, {}, opts)
/** POST …/remind {region?} → {reminded}: unreported firms not yet reminded today. */
export const remindTask = (id, body = {}, opts) => post(`/admin/trade/tasks/${encodeURIComponent(id)}/remind`, body, opts)
/** POST /admin/trade/reports/bulk-approve {ids} → {approved, skipped:[ids]} (one transaction). */
export const bulkApprove = (ids, opts) => post('/admin/trade/reports/bulk-approve', { ids }, opts)
export const taskSummary = (id, query, opts) => get(`/admin/trade/tasks/${encodeURIComponent(id)}/summary`, { ...opts, query })
export const listMonitored = (query, opts) => get('/admin/trade/monitored', { ...opts, query })
/** GET ?direction=&status=monitored|dropped|all&region=&q= ; POST {enterprise_id, direction, monitored: bool, reason}. */
export const setMonitored = (body, opts) => post('/admin/trade/monitored', body, opts)
export const tradeAnalysis = (query, opts) => get('/admin/trade/analysis', { ...opts, query })
export const tradeAccuracy = (query, opts) => get('/admin/trade/accuracy', { ...opts, query })
export const getTradeSettings = (opts) => get('/admin/trade/settings', opts)
export const putTradeSettings = (body, opts) => put('/admin/trade/settings', body, opts)

/** Where the task's Excel export streams from (a plain download link). */
export function taskExportUrl(id, query = {}) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v !== null && v !== undefined))
  const s = qs.toString()
  return `${API_BASE}/admin/trade/tasks/${encodeURIComponent(id)}/export${s ? `?${s}` : ''}`
}

/** The import template the server hands out (CSV with the header row the import reads). */
export const ACTUALS_TEMPLATE_URL = `${API_BASE}/admin/trade/actuals/template`

/**
 * POST /admin/trade/actuals/import[?dry_run=1] with the raw .csv/.xlsx as
 * the body (XHR, for the upload progress). Resolves with the server's
 * answer {dry_run, rows, inserted, updated, unchanged, refused, items:[row],
 * refusals:[row]}, a row {row, customs_code, year, month, direction,
 * amount, action: insert|update|unchanged|refused, reason}.
 */
export function importActuals(file, { dryRun, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const qs = new URLSearchParams({ name: file.name })
    if (dryRun) qs.set('dry_run', '1')
    xhr.open('POST', `${API_BASE}/admin/trade/actuals/import?${qs}`)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    const csrf = getCsrfToken()
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf)
    xhr.upload.onprogress = (ev) => {
      if (onProgress && ev.lengthComputable && ev.total > 0) onProgress(Math.round((ev.loaded / ev.total) * 100))
    }
    xhr.onerror = () => reject(new ApiError({ code: 'network_error', message: '网络连接失败，请检查网络后重试' }))
    xhr.onload = () => {
      let data = null
      try { data = JSON.parse(xhr.responseText) } catch { data = null }
      if (xhr.status >= 200 && xhr.status < 300 && data) return resolve(data)
      const e = (data && data.error) || {}
      reject(new ApiError({
        status: xhr.status, code: e.code || 'import_failed', fields: e.fields || {},
        message: e.message || (xhr.status === 413 ? '文件过大' : '导入失败，请检查文件后重试'),
      }))
    }
    xhr.send(file)
  })
}
