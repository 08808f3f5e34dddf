// Bureau directory (企业库). Contract: docs/profile.md, "Bureau directory". District staff are pinned to their
// district by the server; the UI only hides the choice.
import { get } from './client.js'

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

export const ENTERPRISE_STATUS = {
  pending: { text: '待审核', type: 'warning' },
  approved: { text: '已认证', type: 'success' },
  rejected: { text: '已退回', type: 'danger' },
}
export function completenessColor(score) {
  if (score >= 80) return '#2e9e5b'
  if (score >= 50) return '#1a5bb8'
  return '#d9822b'
}
