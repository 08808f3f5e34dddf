// Foreign-trade forecast arithmetic the form shows while the firm types
// (issue 12): amounts in 万元 with up to 4 decimals, 同比 with one decimal,
// whether a 降增原因 is required, and the four blocks' period labels.
// The server computes the same from the same decimals and has the last
// word; this only keeps the screen live. No floating point: every amount
// is a BigInt of 1/10000 万元, so 0.1 + 0.2 is exactly 0.3 here as there.

const SCALE = 10000n // 4 decimal places
export const AMOUNT_MAX = 10n ** 10n * SCALE // 10^10 万元, the server's ceiling
const AMOUNT_RE = /^(\d{1,11})(?:\.(\d{1,4}))?$/

/** Why `text` is not an acceptable amount, '' when it is (or is empty). */
export function checkAmount(text) {
  const s = String(text ?? '').trim()
  if (!s) return ''
  if (s.startsWith('-')) return '金额不能为负数'
  if (/^\d*\.\d{5,}$/.test(s)) return '金额最多保留4位小数'
  const m = AMOUNT_RE.exec(s)
  if (!m) return '请输入数字金额（万元）'
  if (parseAmount(s) > AMOUNT_MAX) return '金额不能超过100亿万元'
  return ''
}

/** '123.45' → 1234500n (1/10000 万元); null when empty or malformed. */
export function parseAmount(text) {
  const s = String(text ?? '').trim()
  const m = AMOUNT_RE.exec(s)
  if (!m) return null
  return BigInt(m[1]) * SCALE + BigInt((m[2] || '').padEnd(4, '0'))
}

/** 1234500n → '123.4500' (the API's form). */
export function formatAmount(units) {
  if (units === null || units === undefined) return ''
  const neg = units < 0n
  const a = neg ? -units : units
  return `${neg ? '-' : ''}${a / SCALE}.${String(a % SCALE).padStart(4, '0')}`
}

/** An API amount for display: trailing zeros of the decimals dropped ('12.5000' → '12.5'). */
export function showAmount(text) {
  const u = parseAmount(text)
  if (u === null) return text === null || text === undefined || text === '' ? '—' : String(text)
  return formatAmount(u).replace(/\.?0+$/, '')
}

// n / d rounded half away from zero (d > 0)
function divRound(n, d) {
  const neg = n < 0n
  const a = neg ? -n : n
  const q = (2n * a + d) / (2n * d)
  return neg ? -q : q
}

/**
 * 同比 of `current` against `base` (both amount strings) as the API writes
 * it: a percentage with one decimal ('-20.0'), or null when either is
 * missing or the base is 0 (shown as —, never Infinity).
 */
export function yoy(current, base) {
  const c = parseAmount(current)
  const b = parseAmount(base)
  if (c === null || b === null || b === 0n) return null
  const tenths = divRound((c - b) * 1000n, b)
  const neg = tenths < 0n
  const a = neg ? -tenths : tenths
  return `${neg ? '-' : ''}${a / 10n}.${a % 10n}`
}

/** '12.3' → '+12.3%', '-5.0' → '-5.0%', null → '—'. */
export function showYoy(p) {
  if (p === null || p === undefined || p === '') return '—'
  return `${String(p).startsWith('-') ? '' : '+'}${p}%`
}

// a threshold percentage ('20', '12.5') in 1/10000 %, sign dropped
function pct(text) {
  const u = parseAmount(String(text ?? '').replace(/^[-+]/, ''))
  return u === null ? null : u
}

/**
 * Whether a reason is required: the change is strictly below −down % or
 * strictly above +up % of the base (exactly at a threshold needs none);
 * compared on the exact amounts, not on the rounded 同比. No base, no rule.
 */
export function reasonRequired(current, base, down, up) {
  const c = parseAmount(current)
  const b = parseAmount(base)
  const d = pct(down)
  const u = pct(up)
  if (c === null || b === null || b === 0n || d === null || u === null) return false
  const change = (c - b) * 100n * SCALE // compared with threshold × base, both in the same units
  return change < -d * b || change > u * b
}

const QUARTER_WORDS = ['一', '二', '三', '四']

/**
 * Labels of the four blocks of a task's month: 本月(12月), 本年累计(1-12月),
 * 下月(1月) (with its year when it crosses one), 下季度(第一季度1-3月).
 */
export function periodLabels(year, month) {
  const y = Number(year)
  const m = Number(month)
  const nextM = m === 12 ? 1 : m + 1
  const nextMY = m === 12 ? y + 1 : y
  const q = Math.floor((m - 1) / 3) // 0..3, the task month's quarter
  const nq = (q + 1) % 4
  const nqY = q === 3 ? y + 1 : y
  return {
    month: { title: `本月(${m}月)`, period: `${y}年${m}月` },
    ytd: { title: `本年累计(1-${m}月)`, period: `${y}年1-${m}月` },
    next_month: { title: `下月(${nextM}月)`, period: `${nextMY}年${nextM}月` },
    next_quarter: {
      title: `下季度(第${QUARTER_WORDS[nq]}季度${nq * 3 + 1}-${nq * 3 + 3}月)`,
      period: `${nqY}年第${QUARTER_WORDS[nq]}季度`,
    },
  }
}

// the manual's defaults (降20增10 for the month, 降20增15 for the year to date)
export const DEFAULT_THRESHOLDS = { month_down: '20', month_up: '10', ytd_down: '20', ytd_up: '15' }

/** 当月降20增10%以上原因 / 累计降20增15%以上原因, from the thresholds in force. */
export function reasonLabels(t = DEFAULT_THRESHOLDS) {
  const n = (v) => showAmount(String(v ?? '').replace(/^[-+]/, ''))
  return {
    month: `当月降${n(t.month_down)}增${n(t.month_up)}%以上原因`,
    ytd: `累计降${n(t.ytd_down)}增${n(t.ytd_up)}%以上原因`,
  }
}
