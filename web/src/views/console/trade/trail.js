// A report's version and review trail entry in words (console and phone):
// the API's history rows {at, actor_name, action, reason}.
const WORDS = {
  draft: '保存草稿', saved: '保存草稿', submitted: '上报数据', pending: '上报数据', withdrawn: '撤回修改',
  approved: '审核通过', returned: '退回', reopened: '商务局重新开放', created: '任务下发', reminded: '催报提醒',
}
export function trailText(h) {
  const a = h.action || h.status || ''
  return WORDS[a] || a
}
export function trailType(h) {
  const a = h.action || h.status
  return a === 'approved' ? 'success' : a === 'returned' ? 'danger' : a === 'submitted' || a === 'pending' ? 'primary' : ''
}
