// Status words, one copy for the portal, both consoles and mobile. The
// enterprise's review status uses the manual's words (企业用户手册 v1.8:
// 待审核 → 审核通过即“已认证”, or 已退回 with a reason); a registration is
// that same status. Change requests and join requests have their own.
export const ENTERPRISE_STATUS = {
  pending: { text: '待审核', type: 'warning' },
  approved: { text: '已认证', type: 'success' },
  rejected: { text: '已退回', type: 'danger' },
}

/** {text, type} of an enterprise (or registration) status; unknown → itself. */
export function enterpriseStatus(s) {
  return ENTERPRISE_STATUS[s] || { text: s || '', type: 'info' }
}

// 信息变更申请 (src/profile/change_api.c)
export const CHANGE_STATUS = {
  pending: { text: '待审核', type: 'warning' },
  approved: { text: '已通过', type: 'success' },
  rejected: { text: '已驳回', type: 'danger' },
}

// 加入企业申请 (src/member/join*.c)
export const JOIN_STATUS = {
  pending: { text: '待审核', type: 'warning' },
  approved: { text: '已通过', type: 'success' },
  rejected: { text: '已驳回', type: 'danger' },
  cancelled: { text: '已取消', type: 'info' },
}

/** A status map reduced to its words: {code: text}. */
export function statusText(map) {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.text]))
}
