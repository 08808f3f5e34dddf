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

// the API's outlier codes (src/trade/outliers.c); the API sends its own reason too
export const FLAG_TEXT = {
  history: '本月预测偏离本企业近12个月水平（超过3倍中位绝对偏差）',
  ratio: '本月预测超过去年同月的5倍或不足0.2倍',
  ytd: '本年累计小于已上报各月之和',
}
export const FLAG_SHORT = { history: '偏离历史', ratio: '同月倍数异常', ytd: '累计偏小' }

/** A flag of the API ({code, message} or a bare code) in words. */
export function flagText(f) {
  if (!f) return ''
  if (typeof f === 'string') return FLAG_TEXT[f] || f
  return f.reason || f.message || FLAG_TEXT[f.code] || f.code || ''
}

/**
 * The reporting month of a report. The report object of the API also names
 * its 本月 block `month` ({label: '12月', …}), which shadows the number in
 * the JSON (duplicate key, the last one wins): read it from the label then.
 */
export function reportMonth(r) {
  if (!r) return 0
  if (typeof r.month === 'number') return r.month
  const m = /(\d{1,2})月/.exec((r.month && r.month.label) || '')
  return m ? Number(m[1]) : 0
}

/** 2026, 12 → '2026年12月' (the list's 申报月份). */
export function monthLabel(year, month) {
  return `${year}年${String(month).padStart(2, '0')}月`
}
