// Project declarations end to end (issue 13), in real Chromium against the
// real server: city staff write a call in the editor (rich text, a
// template, a material slot, two form fields, one scoring criterion) and
// publish it; the firm sees it in 我的项目申报, cannot 申报 before it has
// downloaded the template, downloads it, fills the form, uploads the
// material, submits (「项目申报提交后将不能更改」) and sees the receipt with
// 申报编号 and SHA-256; 鼓楼区 staff pass it, city staff score and approve it,
// a second city reviewer adds their scores (the list shows the mean)
// (charts and table on the review page), close the call and publish the
// 公示, which the portal shows; the phone's 工作台 and 项目申报 list the application.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { openSuite, closeSuite } from './harness.mjs'
import {
  usccMaker, cityStaff, staffAccount, registerEnterprise, userLogin, withPage, toast, pickOption, staffLogin,
} from './console-setup.mjs'

let srv, browser
let cityCall
let firmCall
let callId = 0
const newUscc = usccMaker('DC1A')
const CITY = { username: 'citydeclare', phone: '13900005001', name: '市局项目科', password: 'City#Declare26' }
const CITY2 = { username: 'citydecl2', phone: '13900005003', name: '市局评审二', password: 'City#Second26' }
const GULOU = { username: 'guloudecl', phone: '13900005002', name: '鼓楼项目初审', password: 'Gulou#Declare6', role: 'district', region: '350102' }
const FIRM = { name: '福州闽江智造科技有限公司', person: '郑闽江', phone: '13800005001', password: 'Minjiang#Boss6', region: '350102' }
const TITLE = '2026年度福州市外贸转型升级专项资金项目申报通知'
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')

// the datetime pickers take "YYYY-MM-DD HH:mm" typed in Asia/Shanghai wall time
function shanghai(offsetHours) {
  return new Date(Date.now() + (offsetHours + 8) * 3600e3).toISOString().slice(0, 16).replace('T', ' ')
}
async function typeDate(page, placeholder, text) {
  const input = page.getByPlaceholder(placeholder)
  await input.click()
  await input.fill(text)
  await input.press('Enter')
  await page.keyboard.press('Escape')
}

/** The firm's legal representative logs in on the phone's /m/login. */
async function firmPhoneLogin(page) {
  await page.goto(`${srv.base}/m/login`)
  await page.getByPlaceholder(/手机号/).fill(FIRM.phone)
  await page.getByPlaceholder(/密码/).fill(FIRM.password)
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await page.waitForURL((u) => u.pathname !== '/m/login')
}

before(async () => {
  ;({ srv, browser } = await openSuite())
  cityCall = await cityStaff(srv, CITY)
  await staffAccount(srv, GULOU)
  await cityStaff(srv, CITY2)
  ;({ call: firmCall } = await registerEnterprise(srv, cityCall, { ...FIRM, uscc: newUscc() }))
  assert.equal((await firmCall('POST', '/api/v1/auth/login', { phone: FIRM.phone, password: FIRM.password })).status, 200)
})
after(() => closeSuite(srv, browser))

test('city staff write a call with a template, a slot, two fields and a criterion, and publish it', async () => {
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.locator('.shell__menu .el-menu-item', { hasText: '项目申报' }).click()
    await page.waitForURL((u) => u.pathname === '/admin/declarations')
    await page.getByTestId('new-call').click()
    await page.waitForURL((u) => u.pathname === '/admin/declarations/new')
    await page.getByTestId('call-title').fill(TITLE)
    await typeDate(page, '申报开始时间', shanghai(-1))
    await typeDate(page, '申报截止时间', shanghai(72))
    await page.getByTestId('rte-area').click()
    await page.keyboard.type('支持外贸企业转型升级，请符合条件的企业在申报期内提交材料。')
    await page.getByTestId('template-file').setInputFiles({ name: '申报书模板.pdf', mimeType: 'application/pdf', buffer: PDF })
    await page.getByTestId('call-templates').getByText('申报书模板.pdf').waitFor()

    await page.getByTestId('add-slot').click()
    await page.getByTestId('slot-name-0').fill('项目计划书')
    await page.getByTestId('slot-key-0').fill('plan')
    await page.getByTestId('add-field').click()
    await page.getByTestId('field-label-0').fill('项目名称')
    await page.getByTestId('field-key-0').fill('project')
    await page.getByTestId('add-field').click()
    await page.getByTestId('field-label-1').fill('申请金额')
    await page.getByTestId('field-key-1').fill('amount')
    await pickOption(page, 'field-type-1', '金额（万元）')
    await page.getByTestId('add-criterion').click()
    await page.getByTestId('criterion-name-0').fill('项目成效')
    // a weight that does not sum to 100 is refused as you type
    await page.getByText('评分权重合计须为 100（当前 10）').waitFor()
    await page.getByTestId('criterion-weight-0').locator('input').fill('100')
    await page.getByTestId('criterion-weight-0').locator('input').blur()
    assert.equal(await page.getByText(/评分权重合计须为 100（当前/).count(), 0)

    await page.getByTestId('save-call').click()
    await toast(page, /已保存/)
    await page.waitForURL((u) => /^\/admin\/declarations\/\d+$/.test(u.pathname))
    callId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.getByTestId('publish-call').click()
    await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
    await toast(page, /已发布/)
    await page.getByTestId('call-status').getByText('已发布').waitFor()
  })
  const c = await cityCall('GET', `/api/v1/admin/declarations/${callId}`)
  assert.equal(c.status, 200)
  assert.equal(c.data.status, 'published')
  assert.equal(c.data.phase, 'open')
  assert.deepEqual(c.data.slots.map((s) => s.key), ['plan'])
  assert.deepEqual(c.data.fields.map((f) => [f.key, f.type]), [['project', 'text'], ['amount', 'amount']])
  assert.equal(c.data.templates.length, 1)
})

test('the firm downloads the template first, fills, uploads, submits and sees its receipt', async () => {
  assert.ok(callId, 'the call was published')
  await withPage(browser, async (page) => {
    await userLogin(srv, page, FIRM.phone, FIRM.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await page.locator('.shell__menu .el-menu-item', { hasText: '我的项目申报' }).click()
    await page.waitForURL((u) => u.pathname === '/console/declarations')
    const row = page.getByTestId('open-calls').locator('.el-table__row', { hasText: TITLE })
    await row.waitFor()
    assert.equal(await row.getByTestId('apply').isDisabled(), true, '申报 stays closed until the template was downloaded')
    await row.getByTestId('download-templates').click()
    const dlg = page.getByTestId('download-dialog')
    const [dl] = await Promise.all([page.waitForEvent('download'), dlg.getByTestId('dl-template').click()])
    assert.match(dl.suggestedFilename(), /申报书模板/)
    await page.keyboard.press('Escape')
    await page.waitForFunction(() => {
      const b = [...document.querySelectorAll('[data-testid="apply"]')][0]
      return b && !b.disabled
    }, null, { timeout: 10000 })
    await row.getByTestId('apply').click()
    await page.waitForURL((u) => /^\/console\/declarations\/applications\/\d+$/.test(u.pathname))

    // as you type: an amount that is not a number
    const amount = page.getByTestId('field-amount').locator('input')
    await amount.fill('一百')
    await amount.blur()
    await page.getByTestId('field-amount').getByText('申请金额须为数字（万元，最多4位小数）').waitFor()
    await amount.fill('120.5')
    await page.getByTestId('field-project').locator('input').fill('跨境电商海外仓建设')
    // a submit without the material names it
    await page.getByTestId('submit').click()
    await toast(page, /请先填写或上传：项目计划书/)

    const [fc] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('upload-plan').click()])
    await fc.setFiles({ name: '项目计划书.pdf', mimeType: 'application/pdf', buffer: PDF })
    await page.getByTestId('slot-plan').getByText('项目计划书.pdf').waitFor()
    await page.getByTestId('submit').click()
    const box = page.locator('.el-message-box')
    await box.getByText('项目申报提交后将不能更改').waitFor()
    await box.getByRole('button', { name: '确认提交' }).click()
    await page.waitForURL((u) => /\/receipt$/.test(u.pathname))
    const receipt = page.getByTestId('receipt')
    await receipt.waitFor()
    assert.match(await receipt.getByTestId('receipt-no').innerText(), /\S{6,}/)
    const sha = createHash('sha256').update(PDF).digest('hex')
    assert.equal((await receipt.getByTestId('receipt-sha').innerText()).trim(), sha)
    await receipt.getByText('跨境电商海外仓建设').waitFor()
  })
  const list = await firmCall('GET', '/api/v1/enterprise/applications')
  assert.equal(list.data.items.length, 1)
  assert.equal(list.data.items[0].status, 'submitted')
})

test('鼓楼区 accepts (受理) and passes it, the city scores and approves it, closes the call and publishes the 公示; the portal shows it', async () => {
  assert.ok(callId)
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, GULOU)
    await page.goto(`${srv.base}/admin/declarations/${callId}/applications`)
    const row = page.getByTestId('apps-table').locator('.el-table__row', { hasText: FIRM.name })
    await row.waitFor()
    await row.getByTestId('review-open').click()
    const drawer = page.getByTestId('review-drawer')
    await drawer.getByText('区县初审').first().waitFor()
    // 受理 first: the application moves to 区县审核中 and the firm can no longer withdraw it
    await drawer.getByTestId('accept-btn').click()
    await toast(page, /已受理/)
    await drawer.getByText('区县审核中').first().waitFor()
    await drawer.getByTestId('accept-box').waitFor({ state: 'detached' })
    assert.equal((await firmCall('GET', '/api/v1/enterprise/applications')).data.items[0].status, 'district_review')
    await drawer.getByTestId('review-submit').click()
    await toast(page, /审核意见已提交/)
    await row.getByTestId('app-row-status').getByText('市级审核中').waitFor()
  })
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(`${srv.base}/admin/declarations/${callId}/applications`)
    await page.getByTestId('apps-status-chart').locator('canvas').waitFor()
    await page.getByTestId('apps-region-chart').locator('canvas').waitFor()
    const row = page.getByTestId('apps-table').locator('.el-table__row', { hasText: FIRM.name })
    await row.getByTestId('review-open').click()
    const drawer = page.getByTestId('review-drawer')
    const score = drawer.getByTestId('score-项目成效').locator('input')
    await score.fill('88')
    await score.blur()
    await drawer.getByTestId('score-total').getByText('88.00').waitFor()
    await drawer.getByTestId('review-submit').click()
    await toast(page, /审核意见已提交/)
    await row.getByTestId('app-row-status').getByText('已通过').waitFor()
    await row.getByText('88.00').waitFor()
  })
  // a second city reviewer adds their scores to the approved application: the mean of both
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY2)
    await page.goto(`${srv.base}/admin/declarations/${callId}/applications`)
    const row = page.getByTestId('apps-table').locator('.el-table__row', { hasText: FIRM.name })
    await row.getByTestId('review-open').click()
    const drawer = page.getByTestId('review-drawer')
    await drawer.getByText('补充评分（市级评审，已通过）').waitFor()
    assert.equal(await drawer.getByTestId('review-decision').getByText('不通过').count(), 0)
    const score = drawer.getByTestId('score-项目成效').locator('input')
    await score.fill('70')
    await score.blur()
    await drawer.getByTestId('review-submit').click()
    await toast(page, /评分已保存/)
    await row.getByText('79.00').waitFor()
    await row.getByText('（2人）').waitFor()
  })
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(`${srv.base}/admin/declarations/${callId}`)
    await page.getByTestId('close-call').click()
    await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
    await toast(page, /已截止/)
    await page.getByTestId('results-call').click()
    await page.getByTestId('results-confirm').click()
    await toast(page, /公示已发布/)
    await page.getByTestId('call-status').getByText('已公示').waitFor()
  })
  await withPage(browser, async (page) => {
    await page.goto(`${srv.base}/declarations`)
    await page.getByTestId('call-item').filter({ hasText: TITLE }).getByTestId('call-title').click()
    await page.waitForURL((u) => u.pathname === `/declarations/${callId}`)
    await page.getByTestId('results-table').getByText(FIRM.name).waitFor()
    await page.getByTestId('templates').getByText('申报书模板.pdf').waitFor()
  })
})

test('the phone lists the application on 工作台 and under 项目申报 with its state and receipt', async () => {
  assert.ok(callId)
  await withPage(browser, async (page) => {
    await firmPhoneLogin(page)
    // the 工作台 tab lists it with its state
    await page.goto(`${srv.base}/m/work`)
    await page.getByTestId('m-work-declare').getByTestId('m-work-app').filter({ hasText: TITLE }).getByText('已通过').waitFor()
    await page.goto(`${srv.base}/m/declarations?tab=apps`)
    await page.getByTestId('m-app').filter({ hasText: TITLE }).click()
    await page.waitForURL((u) => /^\/m\/declarations\/applications\/\d+$/.test(u.pathname))
    await page.getByTestId('m-app-status').getByText('已通过').waitFor()
    await page.getByTestId('m-receipt').getByText(/SHA-256/).waitFor()
  }, { mobile: true })
})

// "+08:00" wall time offsetSeconds from now, as the API takes it
const isoShanghai = (offsetSeconds) => `${new Date(Date.now() + (offsetSeconds + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`

test('a call without templates offers no 下载申报附件 (console, phone, portal) and opens 申报 at once', async () => {
  const NO_TPL = '2026年度跨境电商公共海外仓扶持项目申报'
  const made = await cityCall('POST', '/api/v1/admin/declarations', {
    title: NO_TPL, body_html: '<p>无需下载模板，按表单直接申报。</p>', department: '福州市商务局',
    targets: { regions: ['350102'] }, open_at: isoShanghai(-60), close_at: isoShanghai(48 * 3600), templates: [],
    slots: [], fields: [{ key: 'project', label: '项目名称', type: 'text', required: true }],
    levels: ['city'], criteria: [{ name: '项目成效', weight: 100 }],
  })
  assert.equal(made.status, 201, JSON.stringify(made.data))
  const id = made.data.id
  assert.equal((await cityCall('POST', `/api/v1/admin/declarations/${id}/publish`, {})).status, 200)
  const listed = (await firmCall('GET', '/api/v1/enterprise/declarations')).data.items
  assert.equal(listed.find((c) => c.id === id).template_count, 0)
  assert.equal(listed.find((c) => c.id === callId).template_count, 1)

  await withPage(browser, async (page) => {
    await userLogin(srv, page, FIRM.phone, FIRM.password)
    await page.waitForURL((u) => u.pathname === '/console')
    // as the portal's 立即申报 sends the firm: ?call= opens no empty download dialog
    await page.goto(`${srv.base}/console/declarations?call=${id}`)
    const row = page.getByTestId('open-calls').locator('.el-table__row', { hasText: NO_TPL })
    await row.waitFor()
    await page.waitForLoadState('networkidle')
    assert.equal(await page.getByTestId('download-dialog').isVisible(), false, 'no download dialog for a call without templates')
    assert.equal(await row.getByTestId('download-templates').count(), 0, 'no 下载申报附件 without templates')
    assert.equal(await row.getByTestId('apply').isDisabled(), false, '申报 is open at once')
    // the call with a template keeps its button
    const withTpl = page.getByTestId('open-calls').locator('.el-table__row', { hasText: TITLE })
    assert.equal(await withTpl.getByTestId('download-templates').count(), 1)
  })
  await withPage(browser, async (page) => {
    await firmPhoneLogin(page)
    await page.goto(`${srv.base}/m/declarations`)
    const card = page.getByTestId('m-call').filter({ hasText: NO_TPL })
    await card.getByTestId('m-apply').getByText('申报', { exact: true }).waitFor()
    assert.equal(await card.getByTestId('m-template').count(), 0)
    assert.equal(await card.getByText(/下载/).count(), 0, 'nothing to download on the phone')
    assert.equal(await card.getByTestId('m-apply').isDisabled(), false)
  }, { mobile: true })
  await withPage(browser, async (page) => {
    await page.goto(`${srv.base}/declarations/${id}`)
    await page.getByText('本次申报无需下载附件。').waitFor()
    assert.equal(await page.getByTestId('templates').count(), 0)
    assert.equal(await page.getByTestId('template-link').count(), 0)
  })
})
