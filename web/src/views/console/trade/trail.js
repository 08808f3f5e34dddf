// A report's version and review trail entry in words (console and phone):
// the API's history rows {at, actor_name, action, reason}.
// the API's actions (src/trade/versions.c: save | submit | withdraw | approve | return | reopen)
const WORDS = {
  save: '保存草稿', submit: '上报数据', withdraw: '撤回修改', approve: '审核通过', return: '退回', reopen: '商务局重新开放',
}
export function trailText(h) {
  const a = h.action || h.status || ''
  return WORDS[a] || a
}
export function trailType(h) {
  const a = h.action || h.status
  return a === 'approve' ? 'success' : a === 'return' ? 'danger' : a === 'submit' ? 'primary' : ''
}
