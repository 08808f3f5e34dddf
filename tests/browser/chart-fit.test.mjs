// The chart option fitted to its box (web/src/components/chartFit.js), run
// in node without a browser: what a phone-wide chart changes and what a
// desktop-wide one keeps. phone-fit.test.mjs checks the drawn result.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fitChartOption, textWidth } from '../../web/src/components/chartFit.js'

const DISTRICTS = ['鼓楼区', '台江区', '仓山区', '马尾区', '晋安区', '长乐区', '闽侯县', '连江县', '罗源县', '闽清县', '永泰县', '平潭县', '福清市']
const byDistrict = () => ({
  legend: { top: 0 },
  grid: { left: 70, right: 20, top: 36, bottom: 60 },
  xAxis: { type: 'category', data: DISTRICTS, axisLabel: { rotate: 30, interval: 0 } },
  yAxis: { type: 'value', name: '万元' },
  series: [{ type: 'bar', data: DISTRICTS.map((_, i) => i), label: { show: true } }],
})

test('a phone-wide chart turns the labels that collide, keeps its labels inside the grid and its legend on one line', () => {
  const option = byDistrict()
  const before = JSON.stringify(option)
  const { option: o } = fitChartOption(option, 336, 300)
  assert.equal(JSON.stringify(option), before, 'the caller\'s option is not changed')
  assert.equal(o.xAxis.axisLabel.rotate, 45)
  assert.equal(o.xAxis.axisLabel.hideOverlap, true)
  assert.equal(o.xAxis.data, option.xAxis.data, 'the categories (and so the tooltip) keep their names')
  assert.equal(o.grid.outerBoundsMode, 'same')
  assert.equal(o.grid.left, 8)
  assert.ok(o.grid.top >= 48, 'the y axis name below the legend')
  assert.equal(o.legend.type, 'scroll')
  assert.deepEqual(o.series[0].labelLayout, { hideOverlap: true })
})

test('a long category is shortened on a phone only, through the caller\'s formatter', () => {
  const option = { xAxis: { type: 'category', data: ['未分类', '制造业', '批发和零售业', '交通运输、仓储和邮政业'], axisLabel: { formatter: (v) => `${v}` } }, yAxis: {} }
  const phone = fitChartOption(option, 336, 300).option.xAxis.axisLabel
  assert.equal(phone.formatter('交通运输、仓储和邮政业', 3), '交通运输、…')
  assert.equal(phone.formatter('制造业', 1), '制造业')
  assert.ok(textWidth(phone.formatter('交通运输、仓储和邮政业', 3)) <= 72)
  const desk = fitChartOption(option, 1200, 300).option.xAxis.axisLabel
  assert.equal(desk.formatter('交通运输、仓储和邮政业', 3), '交通运输、仓储和邮政业')
})

test('a desktop-wide chart whose labels fit keeps the caller\'s layout; value axes on a phone ask for fewer ticks', () => {
  const { option: o, key } = fitChartOption(byDistrict(), 1100, 300)
  assert.equal(o.xAxis.axisLabel.rotate, 30)
  assert.equal(o.xAxis.axisLabel.interval, 0)
  assert.deepEqual(o.grid, byDistrict().grid)
  assert.equal(o.legend.type, undefined)
  assert.notEqual(key, fitChartOption(byDistrict(), 336, 300).key, 'crossing the width redraws')
  assert.equal(fitChartOption(byDistrict(), 1100, 300).key, fitChartOption(byDistrict(), 1000, 300).key, 'a resize that changes nothing does not')
  const bars = { grid: { left: 110, right: 80 }, xAxis: { type: 'value', max: 100 }, yAxis: { type: 'category', data: ['制造业'] } }
  assert.equal(fitChartOption(bars, 336, 260).option.xAxis.splitNumber, 3)
  assert.equal(fitChartOption(bars, 336, 260).option.xAxis.axisLabel.hideOverlap, true)
  assert.equal(fitChartOption(bars, 1100, 260).option.xAxis.splitNumber, undefined)
  // twenty-four months on a phone, left to ECharts' thinning: level, every few shown
  const monthNames = Array.from({ length: 24 }, (_, i) => `202${5 + (i >= 12)}-${String((i % 12) + 1).padStart(2, '0')}`)
  const months = { grid: { left: 70, right: 20 }, xAxis: { type: 'category', data: monthNames }, yAxis: {} }
  const m = fitChartOption(months, 336, 300).option.xAxis.axisLabel
  assert.equal(m.rotate, undefined)
  assert.equal(m.interval, undefined)
  assert.equal(m.hideOverlap, true)
  assert.equal(m.formatter('2025-01', 0), '2025-01', 'a date is not cut')
  // the same months all asked for (interval 0): turned, and thinned when even turned they collide
  const all = fitChartOption({ ...months, xAxis: { ...months.xAxis, axisLabel: { interval: 0 } } }, 336, 300).option.xAxis.axisLabel
  assert.equal(all.rotate, 45)
  assert.equal(all.interval, 'auto')
})
