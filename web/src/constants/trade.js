// Words of the foreign-trade module (manual 5–6), one copy for the console,
// the phone and the bureau: report statuses (API codes → the manual's
// words), directions, the four blocks of the form and the outlier flags.
export const TRADE_STATUS = {
  not_reported: { text: '未申报', type: 'info' },
  draft: { text: '草稿', type: 'info' },
  pending: { text: '待审核', type: 'warning' },
  approved: { text: '通过', type: 'success' },
  returned: { text: '退回', type: 'danger' },
  overdue: { text: '逾期', type: 'danger' },
}

/** {text, type} of a report: 逾期 where the deadline passed with nothing submitted. */
export function tradeStatus(r) {
  const s = r && r.status
  if (r && r.overdue && (s === 'not_reported' || s === 'draft' || s === 'returned')) return TRADE_STATUS.overdue
  return TRADE_STATUS[s] || { text: s || '', type: 'info' }
}

export const DIRECTIONS = {
  export: { text: '出口', verb: '预测出口' },
  import: { text: '进口', verb: '预测进口' },
}

// the form's blocks, in the manual's order; `reason` names the reason field
export const BLOCKS = [
  { key: 'month', reason: 'month_reason' },
  { key: 'ytd', reason: 'ytd_reason' },
  { key: 'next_month' },
  { key: 'next_quarter' },
]

export const FLAG_TEXT = {
  mad: '偏离本企业近12个月水平（超过3倍中位绝对偏差）',
  over_5x: '超过去年同月的5倍',
  under_0_2x: '不足去年同月的0.2倍',
  ytd_below_months: '本年累计小于已上报各月之和',
}

/** A flag of the API ({code, message} or a bare code) in words. */
export function flagText(f) {
  if (!f) return ''
  if (typeof f === 'string') return FLAG_TEXT[f] || f
  return f.message || FLAG_TEXT[f.code] || f.code || ''
}

/** 2026, 12 → '2026年12月' (the list's 申报月份). */
export function monthLabel(year, month) {
  return `${year}年${String(month).padStart(2, '0')}月`
}
