// The one HTTP client of the web UI. Every call to the zhengqi API goes
// through `request` (or the get/post/... shorthands):
//   - same-origin cookies, JSON in and out;
//   - the CSRF token (from the `csrf_token` field of login and auth/me
//     answers) is sent as X-CSRF-Token on POST/PUT/PATCH/DELETE;
//   - an error answer {"error":{"code","message","fields","request_id"}} is
//     thrown as an ApiError; network failures and non-JSON answers become an
//     ApiError too, with a Chinese message;
//   - unless the caller opts out, the message is shown by the area's notifier
//     (ElMessage on desktop, showToast on mobile), a 401 calls the area's
//     unauthorized handler (which sends the person to its login page) and a
//     403 password_change_required its password handler (the forced change
//     page), a 403 consent_required its consent handler (the page asking
//     for the 用户协议/隐私政策 consent);
//   - error bodies may carry extra members (409 uscc_registered has
//     `join_available`): they are kept in ApiError.extra.
// The UI libraries are not imported here: each area layout registers its own
// notifier, so the desktop and mobile bundles stay apart.

export const API_BASE = '/api/v1'

export class ApiError extends Error {
  constructor({ status = 0, code = 'unknown', message = '请求失败', fields = {}, requestId = '', retryAfter = 0, extra = {} } = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields || {}
    this.requestId = requestId || ''
    this.retryAfter = retryAfter || 0 // seconds, on 429
    this.extra = extra || {} // the error object's other members (join_available …)
  }
}

let csrfToken = ''
let notifier = (msg) => { console.warn(msg) } // replaced by the area layout
let unauthorizedHandler = null
let passwordChangeHandler = null
let consentHandler = null

export function setCsrfToken(token) { csrfToken = typeof token === 'string' ? token : '' }
export function getCsrfToken() { return csrfToken }

/** Register how errors are shown (ElMessage.error / showToast). */
export function setNotifier(fn) { if (typeof fn === 'function') notifier = fn }
/** Register what happens on 401 (redirect to this area's login). */
export function setUnauthorizedHandler(fn) { unauthorizedHandler = typeof fn === 'function' ? fn : null }

/** Register what happens on 403 password_change_required (the area's
 *  forced password change page). */
export function setPasswordChangeHandler(fn) { passwordChangeHandler = typeof fn === 'function' ? fn : null }

/** Register what happens on 403 consent_required (the area's page that
 *  asks for the 用户协议/隐私政策 consent). */
export function setConsentHandler(fn) { consentHandler = typeof fn === 'function' ? fn : null }

/** Show a message through the current area's notifier. */
export function notify(message, type = 'error') { notifier(message, type) }

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

const STATUS_MESSAGES = {
  400: '请求参数有误',
  401: '登录已失效，请重新登录',
  403: '没有权限执行此操作',
  404: '请求的内容不存在',
  409: '操作冲突，请刷新后重试',
  413: '提交的内容过大',
  414: '请求地址过长',
  422: '操作未通过业务校验',
  429: '操作过于频繁，请稍后再试',
  // libmicrohttpd's own 431 (docs/architecture.md): almost always a cookie grown too large
  431: '请求头过大，请清除本站 Cookie 后重试',
}

function fallbackMessage(status) {
  if (STATUS_MESSAGES[status]) return STATUS_MESSAGES[status]
  if (status >= 500) return `服务器暂时无法处理请求（${status}），请稍后再试`
  return `请求失败（${status}）`
}

function retryAfterOf(e, data, res) {
  for (const v of [e.retry_after, data && data.retry_after, res.headers.get('Retry-After')]) {
    const n = Number(v)
    if (Number.isInteger(n) && n > 0 && n < 86400) return n
  }
  return 0
}

function buildUrl(path, query) {
  let url = path.startsWith('/api/') ? path : API_BASE + (path.startsWith('/') ? path : '/' + path)
  if (query) {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      qs.append(k, String(v))
    }
    const s = qs.toString()
    if (s) url += (url.includes('?') ? '&' : '?') + s
  }
  return url
}

/**
 * request(method, path, { body, query, notify = true, handle401 = true, signal })
 * Resolves with the parsed JSON body (or null for 204), rejects with ApiError.
 * `notify: false` leaves showing the message to the caller (forms do that);
 * `handle401: false` suppresses the redirect (session probes do that).
 */
export async function request(method, path, opts = {}) {
  const { body, query, notify: shouldNotify = true, handle401 = true, signal } = opts
  const m = method.toUpperCase()
  const headers = { Accept: 'application/json' }
  const init = { method: m, headers, credentials: 'same-origin', signal }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (UNSAFE.has(m) && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let res
  try {
    res = await fetch(buildUrl(path, query), init)
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    const err = new ApiError({ code: 'network_error', message: '网络连接失败，请检查网络后重试' })
    if (shouldNotify) notifier(err.message, 'error')
    throw err
  }

  let data = null
  const text = res.status === 204 ? '' : await res.text()
  if (text) {
    try { data = JSON.parse(text) } catch { data = undefined }
  }

  if (res.ok) {
    if (data === undefined) {
      const err = new ApiError({ status: res.status, code: 'bad_response', message: '服务器返回了无法识别的数据' })
      if (shouldNotify) notifier(err.message, 'error')
      throw err
    }
    if (data && typeof data.csrf_token === 'string') setCsrfToken(data.csrf_token)
    return data
  }

  const e = data && typeof data === 'object' && data.error && typeof data.error === 'object' ? data.error : {}
  const err = new ApiError({
    status: res.status,
    code: typeof e.code === 'string' ? e.code : `http_${res.status}`,
    message: typeof e.message === 'string' && e.message ? e.message : fallbackMessage(res.status),
    fields: e.fields && typeof e.fields === 'object' ? e.fields : {},
    requestId: e.request_id || res.headers.get('X-Request-Id') || '',
    retryAfter: retryAfterOf(e, data, res),
    extra: e,
  })
  if (res.status === 401 && handle401 && unauthorizedHandler) {
    unauthorizedHandler(err)
  } else if (res.status === 403 && err.code === 'password_change_required' && passwordChangeHandler) {
    passwordChangeHandler(err)
  } else if (res.status === 403 && err.code === 'consent_required' && consentHandler) {
    consentHandler(err)
  } else if (shouldNotify) {
    notifier(err.message, 'error')
  }
  throw err
}

export const get = (path, opts) => request('GET', path, opts)
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body })
export const put = (path, body, opts = {}) => request('PUT', path, { ...opts, body })
export const patch = (path, body, opts = {}) => request('PATCH', path, { ...opts, body })
export const del = (path, opts) => request('DELETE', path, opts)
