// upload.js — the one upload path (docs/profile.md "Uploads").
// XMLHttpRequest rather than fetch: only XHR reports upload progress. The
// body is the raw file (not multipart); the server decides the type from
// the content, so the browser's guess is never trusted.
import { API_BASE, ApiError, getCsrfToken } from './client.js'

export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024
export const UPLOAD_EXTENSIONS = ['pdf', 'jpg', 'jpeg', 'png', 'doc', 'docx', 'xls', 'xlsx', 'zip']

/** URL that downloads upload `id` (an attachment). */
export function fileUrl(id) {
  return `${API_BASE}/files/${encodeURIComponent(id)}`
}

function parse(text) {
  try { return JSON.parse(text) } catch { return null }
}

/**
 * Uploads `file` (a File/Blob with a name). Resolves to
 * {id, name, size, mime, sha256, created_at}; rejects with an ApiError
 * carrying the server's Chinese message. onProgress(percent 0‥100).
 */
export function uploadFile(file, { onProgress, path = '/uploads' } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    // path: '/uploads' (a member's file) or '/admin/uploads' (a bureau file, e.g. 申报附件)
    xhr.open('POST', `${API_BASE}${path}?name=${encodeURIComponent(file.name)}`)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    const csrf = getCsrfToken()
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf)
    if (typeof onProgress === 'function') {
      xhr.upload.onprogress = (ev) => {
        if (ev.lengthComputable && ev.total > 0) onProgress(Math.round((ev.loaded / ev.total) * 100))
      }
    }
    xhr.onerror = () => reject(new ApiError({ code: 'network_error', message: '网络连接失败，请检查网络后重试' }))
    xhr.ontimeout = xhr.onerror
    xhr.onload = () => {
      const data = parse(xhr.responseText)
      if (xhr.status === 201 && data && data.id) {
        resolve(data)
        return
      }
      const e = (data && data.error) || {}
      reject(new ApiError({
        status: xhr.status,
        code: e.code || 'upload_failed',
        message: e.message || (xhr.status === 413 ? '文件不能超过 10 MB' : '上传失败，请稍后重试'),
        fields: e.fields || {},
        requestId: e.request_id || '',
      }))
    }
    xhr.send(file)
  })
}
