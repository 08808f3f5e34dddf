// Display of an enterprise's review status as the API names it
// (src/enterprise: pending 待审核 / approved 已认证 / rejected 已退回).
const STATUS = {
  pending: { text: '待审核', type: 'warning' },
  approved: { text: '已认证', type: 'success' },
  rejected: { text: '已退回', type: 'danger' },
}
export function enterpriseStatus(s) {
  return STATUS[s] || { text: s || '', type: 'info' }
}
