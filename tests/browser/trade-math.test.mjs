// The forecast form's live arithmetic (web/src/utils/tradeMath.js), run in
// node without a browser: exact decimals, 同比 with one place, the reason
// thresholds at their boundaries, the period labels across year ends.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  checkAmount, parseAmount, formatAmount, showAmount, yoy, showYoy, reasonRequired, periodLabels, reasonLabels,
} from '../../web/src/utils/tradeMath.js'

test('amounts: exact decimals in 1/10000 万元, the server\'s refusals', () => {
  assert.equal(parseAmount('123.45'), 1234500n)
  assert.equal(formatAmount(parseAmount('0.1') + parseAmount('0.2')), '0.3000')
  assert.equal(formatAmount(parseAmount('10000000000')), '10000000000.0000')
  assert.equal(showAmount('12.5000'), '12.5')
  assert.equal(showAmount('100.0000'), '100')
  assert.equal(showAmount(null), '—')
  assert.equal(checkAmount(''), '')
  assert.equal(checkAmount('1234.5678'), '')
  assert.equal(checkAmount('10000000000'), '')
  assert.match(checkAmount('10000000000.0001'), /不能超过/)
  assert.match(checkAmount('-1'), /负数/)
  assert.match(checkAmount('1.23456'), /4位小数/)
  for (const bad of ['abc', '1e5', '1,000', '12.', '.5', '0x10', '１２']) assert.match(checkAmount(bad), /数字/, bad)
  assert.equal(parseAmount('abc'), null)
})

test('同比: one place, half away from zero, null on a zero or missing base', () => {
  assert.equal(yoy('80', '100'), '-20.0')
  assert.equal(yoy('110', '100'), '10.0')
  assert.equal(yoy('100', '100'), '0.0')
  assert.equal(yoy('1', '3'), '-66.7') // -66.666…
  assert.equal(yoy('2', '3'), '-33.3')
  assert.equal(yoy('100.05', '100'), '0.1') // 0.05 % rounds away from zero
  assert.equal(yoy('99.95', '100'), '-0.1')
  assert.equal(yoy('0.3', '0.1'), '200.0') // no 0.30000000000000004 here
  assert.equal(yoy('5', '0'), null)
  assert.equal(yoy('5', '0.0000'), null)
  assert.equal(yoy('', '10'), null)
  assert.equal(yoy('5', null), null)
  assert.equal(showYoy('12.3'), '+12.3%')
  assert.equal(showYoy('-20.0'), '-20.0%')
  assert.equal(showYoy(null), '—')
})

test('reason thresholds: exactly −20 %, +10 %, +15 % need none; just past them do', () => {
  // 本月: 降20增10
  assert.equal(reasonRequired('80', '100', '20', '10'), false)
  assert.equal(reasonRequired('79.9999', '100', '20', '10'), true)
  assert.equal(reasonRequired('110', '100', '20', '10'), false)
  assert.equal(reasonRequired('110.0001', '100', '20', '10'), true)
  // 累计: 降20增15
  assert.equal(reasonRequired('115', '100', '20', '15'), false)
  assert.equal(reasonRequired('115.0001', '100', '20', '15'), true)
  // decided on the exact amounts, not on the rounded 同比 (which reads 10.0 here)
  assert.equal(yoy('110.004', '100'), '10.0')
  assert.equal(reasonRequired('110.004', '100', '20', '10'), true)
  // no base, no rule; thresholds given with a sign or decimals
  assert.equal(reasonRequired('999', '0', '20', '10'), false)
  assert.equal(reasonRequired('', '100', '20', '10'), false)
  assert.equal(reasonRequired('74', '100', '-25.5', '10'), true)
  assert.equal(reasonRequired('74.5', '100', '-25.5', '10'), false)
})

test('period labels: December → January, Q4 → Q1 of the next year', () => {
  const dec = periodLabels(2026, 12)
  assert.equal(dec.month.title, '本月(12月)')
  assert.equal(dec.ytd.title, '本年累计(1-12月)')
  assert.equal(dec.next_month.title, '下月(1月)')
  assert.equal(dec.next_month.period, '2027年1月')
  assert.equal(dec.next_quarter.title, '下季度(第一季度1-3月)')
  assert.equal(dec.next_quarter.period, '2027年第一季度')
  const nov = periodLabels(2026, 11)
  assert.equal(nov.next_month.period, '2026年12月')
  assert.equal(nov.next_quarter.period, '2027年第一季度')
  const mar = periodLabels(2026, 3)
  assert.equal(mar.next_quarter.title, '下季度(第二季度4-6月)')
  assert.equal(mar.ytd.title, '本年累计(1-3月)')
  const jul = periodLabels(2026, 7)
  assert.equal(jul.next_quarter.title, '下季度(第四季度10-12月)')
  assert.equal(jul.next_quarter.period, '2026年第四季度')
})

test('reason labels follow the thresholds in force', () => {
  assert.deepEqual(reasonLabels(), { month: '当月降20增10%以上原因', ytd: '累计降20增15%以上原因' })
  assert.deepEqual(reasonLabels({ month_down: '25', month_up: '12.5', ytd_down: '-30', ytd_up: '20.0000' }),
    { month: '当月降25增12.5%以上原因', ytd: '累计降30增20%以上原因' })
})
