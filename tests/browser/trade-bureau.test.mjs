// The bureau's 外贸监测 pages in a real browser against the real server:
// 实际数据导入 (a dry run listing every row as 新增 / 拒绝 with its reason and
// writing nothing, then the import), 完成情况 (counts per district, the
// chart, 一键催报 once a day), 数据分析 and 预测准确度 over what was reported
// and imported, and a district clerk who sees only their district.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { openSuite, closeSuite } from './harness.mjs'
import {
  usccMaker, userApi, cityStaff, staffAccount, registerEnterprise, withPage, staffLogin, toast, execSql, cst,
} from './console-setup.mjs'

let srv, browser
let staffCall
const newUscc = usccMaker('TB12')
const CITY = { username: 'citytb', phone: '13900013001', name: '市局外贸科', password: 'City#Trade2026' }
const TAIJIANG = { username: 'tjtb', phone: '13900013002', name: '台江外贸', password: 'Taijiang#Tb2026', role: 'district', region: '350103' }
const A = { name: '福州鼓楼远洋贸易有限公司', person: '陈远洋', phone: '13800013001', password: 'Yuanyang#A26', region: '350102', code: '3501970001' }
const B = { name: '福州台江海丝贸易有限公司', person: '吴海丝', phone: '13800013002', password: 'Haisi#B2026', region: '350103', code: '3501970002' }
const now = new Date(Date.now() + 8 * 3600e3)
const Y = now.getUTCFullYear()
const M = now.getUTCMonth() + 1
const TASK = `${Y}年${M}月重点监测外贸企业出口预测申报表`

before(async () => {
  ;({ srv, browser } = await openSuite())
  staffCall = await cityStaff(srv, CITY)
  execSql(srv, `INSERT INTO staff_role_grant(staff_id, role_id) SELECT s.id, r.id FROM staff s, staff_role_def r WHERE s.username = '${CITY.username}' AND r.builtin = 'trade'`)
  await staffAccount(srv, TAIJIANG)
  for (const f of [A, B]) {
    const { me } = await registerEnterprise(srv, staffCall, { ...f, uscc: newUscc() })
    f.id = me.current_enterprise_id
    execSql(srv, `UPDATE enterprise SET trade_type = 'export', customs_code = '${f.code}' WHERE id = ${f.id}`)
  }
})
after(() => closeSuite(srv, browser))

test('实际数据导入: the dry run lists inserts and refusals with reasons and writes nothing; the import writes them', async () => {
  const file = path.join(srv.dir, 'actuals.csv')
  const last = (m) => `${Y - 1},${m}`
  writeFileSync(file, [
    '海关代码,年份,月份,方向,金额（万元）',
    `${A.code},${last(M)},出口,100`,
    `${B.code},${last(M)},出口,200.5`,
    `9999999999,${last(M)},出口,50`,
    `${A.code},${Y - 1},13,出口,50`,
    `${B.code},${Y - 1},1,出口,-3`,
  ].join('\r\n') + '\r\n')
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(srv.base + '/admin/trade/import')
    await page.getByTestId('import-file').setInputFiles(file)
    const table = page.getByTestId('dry-table')
    await table.waitFor()
    const tiles = await page.getByTestId('dry-totals').innerText()
    assert.match(tiles, /5\s*文件行数/)
    assert.match(tiles, /2\s*新增/)
    assert.match(tiles, /3\s*拒绝/)
    assert.equal(await table.locator('.el-table__body tr', { hasText: '新增' }).count(), 2)
    assert.equal(await table.locator('.el-table__body tr', { hasText: '拒绝' }).count(), 3)
    assert.equal(execSql(srv, 'SELECT COUNT(*) FROM trade_actual'), '0', 'the dry run wrote nothing')
    await page.getByText('只看拒绝').click()
    assert.equal(await table.locator('.el-table__body tr').count(), 3)
    await page.getByTestId('import-confirm').click()
    await page.getByTestId('import-done').getByText('新增 2 条').waitFor()
    assert.equal(execSql(srv, 'SELECT COUNT(*) FROM trade_actual'), '2')
    assert.equal(execSql(srv, `SELECT amount FROM trade_actual WHERE enterprise_id = ${B.id}`), '2005000')
  })
})

test('完成情况, 一键催报, 数据分析, 预测准确度; a district clerk sees only their district', async () => {
  const made = await staffCall('POST', '/api/v1/admin/trade/tasks', { year: Y, month: M, direction: 'export', name: TASK, deadline: cst(7) })
  assert.equal(made.status, 201, JSON.stringify(made.data))
  assert.equal(made.data.reports, 2)
  // firm A reports 120 万元 this month (去年同期 100: +20.0 %, with its reason)
  const a = await userApi(srv, A)
  const row = (await a('GET', '/api/v1/enterprise/trade/reports?direction=export')).data.items[0]
  const put = await a('PUT', `/api/v1/enterprise/trade/reports/${row.id}`, {
    month: '120', ytd: '1300', next_month: '110', next_quarter: '330', month_reason: '新市场订单增加', ytd_reason: '上年同期仅本月有出口', version: row.version,
  })
  assert.equal(put.status, 200, JSON.stringify(put.data))
  assert.equal((await a('POST', `/api/v1/enterprise/trade/reports/${row.id}/submit`, { version: put.data.version })).status, 200)

  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(srv.base + '/admin/trade/progress')
    await page.getByTestId('progress-chart').waitFor()
    const tiles = page.getByTestId('progress-totals')
    await page.waitForFunction(() => /2\s*应上报/.test(document.querySelector('[data-testid="progress-totals"]')?.innerText || ''))
    assert.match(await tiles.innerText(), /1\s*已上报/)
    assert.match(await tiles.innerText(), /1\s*未上报/)
    const table = page.getByTestId('progress-table')
    await table.getByText('鼓楼区').waitFor()
    await table.getByText('台江区').waitFor()
    // 一键催报: the unreported firm once; a second click the same day reminds nobody
    await page.getByTestId('remind').click()
    await page.locator('.el-message-box').getByRole('button', { name: '发送' }).click()
    await toast(page, /已向 1 家企业发送催报提醒/)
    await page.getByTestId('remind').click()
    await page.locator('.el-message-box').getByRole('button', { name: '发送' }).click()
    await toast(page, /已向 0 家企业发送催报提醒/)

    await page.goto(srv.base + '/admin/trade/analysis')
    const totals = page.getByTestId('analysis-totals')
    await page.waitForFunction(() => /120\s*\d{4}年\d{2}月 预测出口/.test(document.querySelector('[data-testid="analysis-totals"]')?.innerText || ''))
    assert.match(await totals.innerText(), /100\s*去年同期/)
    assert.match(await totals.innerText(), /\+20\.0%\s*同比/)
    await page.getByTestId('analysis-top_amount').getByText(A.name).waitFor()
    await page.getByTestId('analysis-months').waitFor()
    await page.getByTestId('analysis-regions').waitFor()

    await page.goto(srv.base + '/admin/trade/accuracy')
    await page.getByTestId('accuracy-table').waitFor()
  })

  // 台江 clerk: completeness of 台江 only, and nothing of 鼓楼 on the review page
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, TAIJIANG)
    await page.goto(srv.base + '/admin/trade/progress')
    const table = page.getByTestId('progress-table')
    await table.getByText('台江区').waitFor()
    assert.equal(await table.getByText('鼓楼区').count(), 0)
    assert.match(await page.getByTestId('progress-totals').innerText(), /1\s*应上报/)
    await page.goto(srv.base + '/admin/trade/review')
    const review = page.getByTestId('review-table')
    await review.getByText(B.name).waitFor()
    assert.equal(await review.getByText(A.name).count(), 0)
  })
})
