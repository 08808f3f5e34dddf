// The 操作 of a forecast report in the firm's lists (manual 5.1): 数据上报
// while it is open, 修改 once returned, 查看 otherwise (pending, approved,
// or locked past the deadline). The console table and the phone share it.
export function reportAction(r) {
  const open = typeof r.can_edit === 'boolean' ? r.can_edit : !r.locked
  if (r.status === 'returned' && open) return { key: 'edit', text: '修改' }
  if ((r.status === 'not_reported' || r.status === 'draft') && open) return { key: 'report', text: '数据上报' }
  return { key: 'view', text: '查看' }
}
