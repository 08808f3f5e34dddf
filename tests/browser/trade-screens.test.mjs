// Foreign-trade forecasts (issue 12) in a real browser against the real
// server. City staff create a task in 任务管理; the firm fills it on the web
// — 同比 live against last year's customs actuals, the reason row appearing
// exactly past the threshold, refusals named as you type — staff return it
// with a reason, the firm fixes it, staff approve, the task's counts move;
// a stale version is explained in Chinese; on the phone the 工作台 badge
// counts the open task and the form goes one block per screen with the
// numeric keyboard.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openSuite, closeSuite } from './harness.mjs'
import {
  usccMaker, userApi, cityStaff, registerEnterprise, userLogin, withPage, staffLogin, goMenu, toast, menuLabels, execSql, cst, assertFitsScreen,
} from './console-setup.mjs'

let srv, browser
let staffCall
let firmId
const newUscc = usccMaker('TR12')
const CITY = { username: 'citytrade', phone: '13900012001', name: '市局外贸科', password: 'City#Trade2026' }
const BOSS = { name: '福州闽江进出口有限公司', person: '林外贸', phone: '13800012001', password: 'Minjiang#Ex26' }
// the stale-version refusal a test provokes on purpose
const ALLOW = [{ status: 409, path: /^\/api\/v1\/enterprise\/trade\/reports\/\d+$/ }]
const WAN = 10000 // 元 per 万元: the database keeps 元

before(async () => {
  ;({ srv, browser } = await openSuite())
  staffCall = await cityStaff(srv, CITY)
  // the city clerk also holds the built-in 外贸处 role (trade.manage, trade.review)
  execSql(srv, `INSERT INTO staff_role_grant(staff_id, role_id) SELECT s.id, r.id FROM staff s, staff_role_def r WHERE s.username = '${CITY.username}' AND r.builtin = 'trade'`)
  const { me } = await registerEnterprise(srv, staffCall, { ...BOSS, uscc: newUscc() })
  firmId = me.current_enterprise_id
  // a trade firm with a customs code is monitored for its directions
  execSql(srv, `UPDATE enterprise SET trade_type = 'both', customs_code = '3501960001' WHERE id = ${firmId}`)
  // last year's customs actuals (what 实际数据导入 writes), the 去年同期 of the forms:
  // export 2025-12 = 100 万元 and 1–12月 = 1000; 2026-02/03 = 150 each, so 下季度 (2027 Q1) has 300
  // and 下月 (2027-01) none (同比 —); import 2025-11 = 100 万元, 1–11月 = 1000
  const actual = (dir, y, m, wan) => `INSERT INTO trade_actual(enterprise_id, year, month, direction, amount, imported_at) VALUES (${firmId}, ${y}, ${m}, '${dir}', ${wan * WAN}, 0)`
  for (const sql of [
    actual('export', 2025, 12, 100), actual('export', 2025, 1, 900), actual('export', 2026, 2, 150), actual('export', 2026, 3, 150),
    actual('import', 2025, 11, 100), actual('import', 2025, 1, 900),
  ]) execSql(srv, sql)
})
after(() => closeSuite(srv, browser))

/** The firm's report of the task named `name`, read through the API (what the firm's screens show). */
async function reportOf(name) {
  const call = await userApi(srv, BOSS)
  for (const direction of ['export', 'import']) {
    const l = await call('GET', `/api/v1/enterprise/trade/reports?direction=${direction}`)
    const row = (l.data.items || []).find((x) => x.task_name === name)
    if (row) return (await call('GET', `/api/v1/enterprise/trade/reports/${row.id}`)).data
  }
  return null
}
const amounts = (r) => Object.fromEntries(['month', 'ytd', 'next_month', 'next_quarter'].map((k) => [k, r[k].forecast]))
const EXPORT_TASK = '2026年12月重点监测外贸企业出口预测申报表'


async function pickSelect(page, testId, text) {
  await page.getByTestId(testId).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

test('staff create a task; the firm fills it with a reason past the threshold; staff return it, the firm fixes it, staff approve', async () => {
  // 1. city staff: 外贸监测 → 任务管理 → 新建预测任务 (December: the labels cross the year)
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    const labels = await menuLabels(page)
    for (const l of ['外贸监测', '任务管理', '监测企业', '上报审核', '完成情况', '数据分析', '实际数据导入', '预测准确度']) assert.ok(labels.includes(l), `bureau menu lacks ${l}`)
    await goMenu(page, '外贸监测', '任务管理')
    await page.waitForURL((u) => u.pathname === '/admin/trade/tasks')
    await page.getByTestId('create-task').click()
    const dlg = page.getByTestId('task-dialog')
    await pickSelect(page, 'task-month', '12月')
    await dlg.locator('[data-testid="task-year"] input').fill('2026')
    await dlg.locator('[data-testid="task-year"] input').blur()
    assert.equal(await page.getByTestId('task-name').inputValue(), '2026年12月重点监测外贸企业出口预测申报表')
    // no deadline: refused as you go, nothing sent
    await page.getByTestId('task-submit').click()
    await dlg.getByText('请选择申报截至日期').waitFor()
    assert.equal((await staffCall('GET', '/api/v1/admin/trade/tasks')).data.total, 0)
    await dlg.getByPlaceholder('选择日期').fill(cst(10))
    await dlg.getByPlaceholder('选择日期').press('Enter')
    await page.getByTestId('task-submit').click()
    await toast(page, /任务已创建，已通知 1 家企业/)
    const row = page.getByTestId('task-table').locator('.el-table__body tr', { hasText: EXPORT_TASK })
    assert.equal((await row.getByTestId('task-counts').innerText()).trim(), '0 / 0 / 0 / 1')
    const tasks = (await staffCall('GET', '/api/v1/admin/trade/tasks')).data.items
    assert.equal(tasks.length, 1)
    assert.equal(tasks[0].deadline, cst(10))
  })

  // 2. the firm on the web: list → 数据上报 → the form with live 同比 and the reason row
  await withPage(browser, async (page) => {
    await userLogin(srv, page, BOSS.phone, BOSS.password)
    await page.waitForURL((u) => u.pathname === '/console')
    // the 工作台 lists the task among the work waiting
    await page.getByTestId('todo-list').getByText(`《${EXPORT_TASK}》待上报，截至 ${cst(10)}`).waitFor()
    await goMenu(page, '外贸数据监测', '出口预测上报')
    await page.waitForURL((u) => u.pathname === '/console/trade/export')
    const row = page.getByTestId('trade-table').locator('tr', { hasText: '2026年12月重点监测外贸企业出口预测申报表' })
    await row.getByText('2026年12月', { exact: true }).waitFor()
    await row.getByText('未申报').waitFor()
    await row.getByTestId('action-report').click()
    await page.waitForURL((u) => /^\/console\/trade\/export\/\d+$/.test(u.pathname))
    await page.getByTestId('customs-code').getByText('3501960001').waitFor()
    await page.getByTestId('enterprise-name').getByText(BOSS.name).waitFor()
    for (const t of ['本月(12月)', '本年累计(1-12月)', '下月(1月)', '下季度(第一季度1-3月)', '2027年1月', '预测出口(万元)']) await page.getByText(t, { exact: false }).first().waitFor()

    const month = page.getByTestId('input-month')
    // exactly +10 %: 同比 shows, no reason asked
    await month.fill('110')
    assert.equal(await page.getByTestId('yoy-month').innerText(), '+10.0%')
    assert.equal(await page.getByTestId('reason-row-month').count(), 0)
    // just past it: the reason row appears with the manual's label
    await month.fill('110.0001')
    await page.getByTestId('reason-row-month').getByText('当月降20增10%以上原因').waitFor()
    // back to exactly −20 %: it goes away again
    await month.fill('80')
    assert.equal(await page.getByTestId('yoy-month').innerText(), '-20.0%')
    assert.equal(await page.getByTestId('reason-row-month').count(), 0)
    // bad input is named as you type
    await month.fill('12.34567')
    await page.getByTestId('err-month').getByText('金额最多保留4位小数').waitFor()
    await month.fill('-5')
    await page.getByTestId('err-month').getByText('金额不能为负数').waitFor()
    await month.fill('150')
    assert.equal(await page.getByTestId('yoy-month').innerText(), '+50.0%')
    await page.getByTestId('reason-row-month').waitFor()
    await page.getByTestId('input-ytd').fill('1150')
    assert.equal(await page.getByTestId('yoy-ytd').innerText(), '+15.0%')
    assert.equal(await page.getByTestId('reason-row-ytd').count(), 0)
    await page.getByTestId('input-next_month').fill('90')
    assert.equal(await page.getByTestId('yoy-next_month').innerText(), '—') // 去年同期 0
    await page.getByTestId('input-next_quarter').fill('330.5')
    assert.equal(await page.getByTestId('yoy-next_quarter').innerText(), '+10.2%')

    // submitting without the reason: stopped in the page, nothing stored
    await page.getByTestId('submit').click()
    await page.getByTestId('err-month_reason').getByText('请填写当月降20增10%以上原因').waitFor()
    assert.equal((await reportOf(EXPORT_TASK)).status, 'not_reported')
    await page.getByTestId('input-month_reason').fill('新接欧洲订单集中出运')
    await page.getByTestId('submit').click()
    await page.locator('.el-message-box').getByRole('button', { name: '确认上报' }).click()
    await toast(page, /已上报，等待商务局审核/)
    await page.getByTestId('report-status').getByText('待审核').waitFor()
    await page.getByTestId('value-month').getByText('150').waitFor()
    const r = await reportOf(EXPORT_TASK)
    assert.equal(r.status, 'pending')
    assert.deepEqual(amounts(r), { month: '150.0000', ytd: '1150.0000', next_month: '90.0000', next_quarter: '330.5000' })
    assert.equal(r.month.yoy, '50.0')
    assert.equal(r.next_month.yoy, null)
    assert.equal(r.month.reason, '新接欧洲订单集中出运')
    assert.equal(r.ytd.reason, '')
  }, { allow: ALLOW })

  // 3. staff: the task's counts moved; 上报审核 returns it with a reason
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    // the 工作台's trade queue: one report to review
    assert.equal((await page.getByTestId('dash-trade-pending').innerText()).trim(), '1')
    await goMenu(page, '外贸监测', '任务管理')
    const task = page.getByTestId('task-table').locator('.el-table__body tr', { hasText: EXPORT_TASK })
    assert.equal((await task.getByTestId('task-counts').innerText()).trim(), '1 / 0 / 0 / 0')
    await task.getByTestId('task-review').click()
    await page.waitForURL((u) => u.pathname === '/admin/trade/review')
    const row = page.getByTestId('review-table').locator('.el-table__body tr', { hasText: BOSS.name }).first()
    await row.getByText('新接欧洲订单集中出运').waitFor()
    await row.getByText('+50.0%').waitFor()
    await row.getByTestId('return').click()
    await page.getByTestId('return-confirm').click()
    await page.getByTestId('reject-error').getByText('请填写退回原因').waitFor()
    await page.getByTestId('return-reason').fill('下季度预测偏高，请核实订单后修改')
    await page.getByTestId('return-confirm').click()
    await toast(page, /已退回/)
    await row.getByText('退回').waitFor()
    assert.equal((await reportOf(EXPORT_TASK)).status, 'returned')
  })

  // 4. the firm sees 退回 with the reason, fixes it (修改), resubmits
  await withPage(browser, async (page) => {
    await userLogin(srv, page, BOSS.phone, BOSS.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await page.goto(srv.base + '/console/trade/export')
    const row = page.getByTestId('trade-table').locator('tr', { hasText: '2026年12月重点监测外贸企业出口预测申报表' })
    await row.getByText('退回').waitFor()
    await row.getByTestId('action-edit').click()
    await page.getByTestId('return-reason').getByText('下季度预测偏高，请核实订单后修改').waitFor()
    await page.getByTestId('input-next_quarter').fill('310')
    assert.equal(await page.getByTestId('yoy-next_quarter').innerText(), '+3.3%')
    // a colleague saves the report meanwhile: the stale version is explained, nothing overwritten
    const other = await userApi(srv, BOSS)
    const cur = await reportOf(EXPORT_TASK)
    const saved = await other('PUT', `/api/v1/enterprise/trade/reports/${cur.id}`, {
      ...amounts(cur), month_reason: cur.month.reason, ytd_reason: '', version: cur.version,
    })
    assert.equal(saved.status, 200, JSON.stringify(saved.data))
    await page.getByTestId('save-draft').click()
    await page.getByTestId('stale').getByText('申报已被他人修改', { exact: false }).waitFor()
    await page.getByTestId('stale').getByText('本次操作未保存', { exact: false }).waitFor()
    assert.equal((await reportOf(EXPORT_TASK)).next_quarter.forecast, '330.5000')
    await page.getByTestId('reload').click()
    await page.getByTestId('stale').waitFor({ state: 'hidden' })
    await page.getByTestId('input-next_quarter').fill('310')
    await page.getByTestId('submit').click()
    await page.locator('.el-message-box').getByRole('button', { name: '确认上报' }).click()
    await toast(page, /已上报/)
    await page.getByTestId('trail').getByText('退回').first().waitFor()
    const r = await reportOf(EXPORT_TASK)
    assert.equal(r.status, 'pending')
    assert.equal(r.next_quarter.forecast, '310.0000')
  }, { allow: ALLOW })

  // 5. staff approve it (bulk), the counts move
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(srv.base + '/admin/trade/review')
    const row = page.getByTestId('review-table').locator('.el-table__body tr', { hasText: BOSS.name }).first()
    await row.getByText('待审核').waitFor()
    await row.locator('.el-checkbox').click()
    await page.getByTestId('bulk-approve').click()
    await page.locator('.el-message-box').getByRole('button', { name: '全部通过' }).click()
    await toast(page, /已通过 1 份报表/)
    assert.equal((await reportOf(EXPORT_TASK)).status, 'approved')
    await goMenu(page, '外贸监测', '任务管理')
    const task = page.getByTestId('task-table').locator('.el-table__body tr', { hasText: EXPORT_TASK })
    assert.equal((await task.getByTestId('task-counts').innerText()).trim(), '0 / 1 / 0 / 0')
    // and the 工作台 has nothing left to review
    await goMenu(page, null, '工作台')
    await page.getByTestId('dash-trade').waitFor()
    assert.equal(await page.getByTestId('dash-trade-pending').count(), 0)
  })
})

test('console on a phone (390×844): 出口预测上报, reached from the drawer menu, and its report fit the screen', async () => {
  await withPage(browser, async (page) => {
    await userLogin(srv, page, BOSS.phone, BOSS.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await page.getByTestId('shell-menu-button').click()
    const menu = page.locator('.shell__menu')
    await menu.locator('.el-sub-menu__title', { hasText: '外贸数据监测' }).click()
    await menu.locator('.el-menu-item', { hasText: '出口预测上报' }).click()
    await page.waitForURL((u) => u.pathname === '/console/trade/export')
    await page.getByTestId('shell-title').getByText('出口预测上报').waitFor()
    const row = page.getByTestId('trade-table').locator('tr', { hasText: EXPORT_TASK })
    await row.getByTestId('row-status').waitFor()
    await assertFitsScreen(page, '出口预测上报')
    await row.locator('[data-testid^="action-"]').click()
    await page.waitForURL((u) => /^\/console\/trade\/export\/\d+$/.test(u.pathname))
    await page.getByTestId('enterprise-name').getByText(BOSS.name).waitFor()
    await assertFitsScreen(page, '出口预测上报 report')
  }, { mobile: true })
})

test('phone: 工作台 badge counts the open task; one block per screen, numeric keyboard, the reason when needed', async () => {
  // a second task (import, November) for the phone
  const IMPORT_TASK = '2026年11月重点监测外贸企业进口预测申报表'
  const made = await staffCall('POST', '/api/v1/admin/trade/tasks', { year: 2026, month: 11, direction: 'import', name: IMPORT_TASK, deadline: cst(5) })
  assert.equal(made.status, 201, JSON.stringify(made.data))
  assert.equal(made.data.reports, 1)

  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/m/login')
    await page.getByPlaceholder('请输入注册时的手机号').fill(BOSS.phone)
    await page.getByPlaceholder('请输入密码').fill(BOSS.password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname === '/m/me')
    const tab = page.getByTestId('m-tab-work')
    await tab.locator('.van-badge', { hasText: '1' }).waitFor()
    await tab.click()
    await page.waitForURL((u) => u.pathname === '/m/work')
    const task = page.getByTestId('m-trade-task').filter({ hasText: '进口预测申报表' })
    await task.getByText('未申报').waitFor()
    await page.getByTestId('m-trade-done').filter({ hasText: '出口预测申报表' }).getByText('通过').waitFor()
    await task.click()
    await page.waitForURL((u) => /^\/m\/trade\/\d+$/.test(u.pathname))

    const input = page.getByTestId('m-input-month').locator('input')
    assert.equal(await input.getAttribute('inputmode'), 'decimal')
    assert.ok(await page.getByTestId('m-block-month').isVisible())
    assert.ok(!(await page.getByTestId('m-block-ytd').isVisible()), 'one block per screen')
    await page.getByText('本月(11月)').first().waitFor()
    await input.fill('70')
    assert.equal(await page.getByTestId('m-yoy-month').innerText(), '-30.0%')
    await page.getByTestId('m-input-month_reason').waitFor()
    // the reason is needed before going on
    await page.getByTestId('m-next').click()
    await page.locator('.van-toast', { hasText: '请填写当月降20增10%以上原因' }).waitFor()
    await page.getByTestId('m-input-month_reason').locator('textarea').fill('主要客户推迟提货')
    await page.getByTestId('m-next').click()
    await page.getByTestId('m-block-ytd').waitFor()
    await page.getByText('本年累计(1-11月)').first().waitFor()
    await page.getByTestId('m-input-ytd').locator('input').fill('900')
    assert.equal(await page.getByTestId('m-yoy-ytd').innerText(), '-10.0%')
    assert.equal(await page.getByTestId('m-input-ytd_reason').count(), 0)
    await page.getByTestId('m-next').click()
    await page.getByText('下月(12月)').first().waitFor()
    await page.getByTestId('m-input-next_month').locator('input').fill('80')
    await page.getByTestId('m-next').click()
    await page.getByText('下季度(第一季度1-3月)').first().waitFor()
    await page.getByTestId('m-input-next_quarter').locator('input').fill('280')
    await page.getByTestId('m-submit').click()
    await page.locator('.van-dialog').getByRole('button', { name: '确认' }).click()
    await page.waitForURL((u) => u.pathname === '/m/work')
    await page.getByTestId('m-work-empty').waitFor()
    assert.equal(await page.getByTestId('m-tab-work').locator('.van-badge').count(), 0)
    const r = await reportOf(IMPORT_TASK)
    assert.equal(r.status, 'pending')
    assert.equal(r.month.reason, '主要客户推迟提货')
    assert.equal(r.month.yoy, '-30.0')
    assert.deepEqual(amounts(r), { month: '70.0000', ytd: '900.0000', next_month: '80.0000', next_quarter: '280.0000' })
  }, { mobile: true })
})
