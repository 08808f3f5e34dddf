// Display of an enterprise's review status (pending / approved / returned).
const STATUS = {
  pending: { text: '待审核', type: 'warning' },
  approved: { text: '已认证', type: 'success' },
  returned: { text: '已退回', type: 'danger' },
  rejected: { text: '未通过', type: 'danger' },
}
export function enterpriseStatus(s) {
  return STATUS[s] || { text: s || '', type: 'info' }
}
