// 咨询建议 end to end (issue 14), in real Chromium against the real server:
// a logged-out visitor asks on the portal (phone + SMS code; the form checks
// as you type and a bad code stores nothing); city staff find it in 咨询处理
// with its due time, answer it in rich text and publish it; the portal's
// Q&A finds it by a two-character word, without the visitor's phone. A
// firm's member asks in the console, staff answer, the member opens the
// answer on the phone and rates it 满意, which closes the thread; the
// bureau sees the rating, the statistics count both, and the settings page
// loads its units and categories.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { smsCodes, nextSmsCode, openSuite, closeSuite } from './harness.mjs'
import { usccMaker, cityStaff, registerEnterprise, userLogin, withPage, goMenu, toast, pickOption, staffLogin } from './console-setup.mjs'

let srv, browser
let staffCall
let firmCall
const newUscc = usccMaker('CN1C')
const CITY = { username: 'cityconsult', phone: '13900004001', name: '市局咨询专员', password: 'City#Consult26' }
const FIRM = { name: '福州闽江外贸有限公司', person: '郑闽江', phone: '13800004001', password: 'Minjiang#Boss6', region: '350102' }
const VISITOR_PHONE = '13700004001'
const V_TITLE = '跨境电商出口退税需要准备哪些材料'
const V_WORD = '退税' // two Chinese characters: the public search finds them
const F_TITLE = '外贸企业参加境外展会的补贴如何申请'

before(async () => {
  ;({ srv, browser } = await openSuite())
  staffCall = await cityStaff(srv, CITY)
  ;({ call: firmCall } = await registerEnterprise(srv, staffCall, { ...FIRM, uscc: newUscc() }))
  assert.equal((await firmCall('POST', '/api/v1/auth/login', { phone: FIRM.phone, password: FIRM.password })).status, 200)
})
after(() => closeSuite(srv, browser))

const queueTotal = async () => (await staffCall('GET', '/api/v1/admin/consultations')).data.total

test('a visitor asks on the portal: checked as you type, a wrong SMS code stores nothing, the right one submits', async () => {
  const before = await queueTotal()
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/')
    await page.locator('nav.mainnav').getByText('咨询建议', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/consult')
    await page.getByTestId('page-title').filter({ hasText: '咨询建议' }).waitFor()
    await page.getByTestId('consult-public-empty').waitFor()
    await page.getByTestId('consult-ask').click()
    const dlg = page.getByTestId('consult-form-dialog')
    await dlg.getByText('未登录也可提交').waitFor()
    // as you type: a short phone is refused beside the field, before any request
    await dlg.getByTestId('consult-phone').fill('1370000')
    await dlg.getByTestId('consult-phone').blur()
    await dlg.getByText('请输入正确的11位手机号码').waitFor()
    await dlg.getByTestId('consult-submit').click()
    await dlg.getByText('请选择类别').waitFor()
    await dlg.getByText('请输入标题').waitFor()
    await dlg.getByText('请输入内容').waitFor()

    await pickOption(page, 'consult-category', '外贸')
    await dlg.getByTestId('consult-title-input').fill(V_TITLE)
    await dlg.getByTestId('consult-content-input').fill(`我公司通过跨境电商平台出口，想了解${V_WORD}的流程。\n联系电话 ${VISITOR_PHONE}`)
    await dlg.getByTestId('consult-phone').fill(VISITOR_PHONE)
    const seen = smsCodes(srv, VISITOR_PHONE)
    await dlg.getByRole('button', { name: '获取验证码' }).click()
    await dlg.getByText(/\d+ 秒后重新获取/).waitFor()
    const code = await nextSmsCode(srv, VISITOR_PHONE, seen)
    // a wrong code: the server's message beside the field, nothing stored
    const wrong = code === '000000' ? '111111' : '000000'
    await dlg.getByTestId('consult-sms').fill(wrong)
    await dlg.getByTestId('consult-submit').click()
    await page.locator('.el-message--error').first().waitFor()
    assert.equal(await queueTotal(), before, 'a wrong SMS code stores nothing')
    await dlg.getByTestId('consult-sms').fill(code)
    await dlg.getByTestId('consult-submit').click()
    await toast(page, /已提交/)
    await dlg.waitFor({ state: 'hidden' })
  }, { allow: [{ status: 422, path: /^\/api\/v1\/consultations$/ }, { status: 400, path: /^\/api\/v1\/consultations$/ }] })
  assert.equal(await queueTotal(), before + 1)
})

test('staff answer the visitor in 咨询处理 (rich text) and publish it; the portal finds it without the phone', async () => {
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await goMenu(page, null, '咨询处理')
    await page.waitForURL((u) => u.pathname === '/admin/consultations')
    const row = page.getByTestId('consult-queue').locator('.el-table__row', { hasText: V_TITLE })
    await row.waitFor()
    await row.getByText('待受理').waitFor()
    assert.match(await row.getByTestId('queue-due').innerText(), /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    // the overdue filter leaves out a question just asked
    await page.getByTestId('filter-overdue').click()
    await page.getByTestId('consult-queue').getByText('没有待办理的咨询').waitFor()
    await page.getByTestId('filter-overdue').click()
    await row.click()
    await page.waitForURL((u) => /^\/admin\/consultations\/\d+$/.test(u.pathname))
    await page.getByTestId('case-asker').getByText(VISITOR_PHONE).waitFor()
    await page.getByTestId('consult-thread').getByText(V_WORD, { exact: false }).first().waitFor()
    // an empty answer is refused before sending
    await page.getByTestId('reply-submit').click()
    await page.getByText('请输入答复内容').waitFor()
    await page.getByTestId('rte-area').click()
    await page.keyboard.type('出口退税需提供报关单、出口发票和收汇凭证，可在电子税务局在线申报。')
    await page.getByTestId('reply-submit').click()
    await toast(page, /已答复/)
    await page.getByTestId('consult-status').filter({ hasText: '已答复' }).waitFor()
    await page.getByTestId('case-events').getByText('答复').first().waitFor()
    await page.getByTestId('publish-toggle').click()
    await page.locator('.el-message-box').getByRole('button', { name: '公开' }).click()
    await toast(page, /已公开到门户/)
    await page.getByTestId('case-asker').getByText('已在门户公开').waitFor()
  })
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/consult')
    await page.getByTestId('search-input').fill(V_WORD)
    await page.getByTestId('search-btn').click()
    const item = page.getByTestId('consult-public-item').filter({ hasText: V_TITLE })
    await item.waitFor()
    assert.equal(await page.getByTestId('result-total').innerText(), '1')
    await item.getByTestId('consult-public-title').click()
    const dlg = page.getByTestId('consult-public-detail')
    await dlg.getByText('电子税务局').waitFor()
    assert.ok(!(await dlg.innerText()).includes(VISITOR_PHONE), 'the visitor\'s phone is not shown to the public')
    // a category it is not in: nothing
    await page.keyboard.press('Escape')
    await pickOption(page, 'filter-category', '营商环境')
    await page.getByTestId('consult-public-empty').waitFor()
  })
})

test('a firm\'s member asks in the console, gets the answer, rates it 满意 on the phone', async () => {
  let id
  await withPage(browser, async (page) => {
    await userLogin(srv, page, FIRM.phone, FIRM.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await goMenu(page, null, '咨询建议')
    await page.waitForURL((u) => u.pathname === '/console/consultations')
    await page.getByTestId('consult-ask').click()
    const dlg = page.getByTestId('consult-form-dialog')
    assert.equal(await dlg.getByTestId('consult-phone').count(), 0, 'members are not asked for a phone')
    await pickOption(page, 'consult-category', '项目申报')
    await dlg.getByTestId('consult-title-input').fill(F_TITLE)
    await dlg.getByTestId('consult-content-input').fill('我司计划参加广交会境外分展，想了解展位费补贴的申请条件和时间。')
    await dlg.getByTestId('consult-submit').click()
    await toast(page, /已提交/)
    await page.waitForURL((u) => /^\/console\/consultations\/\d+$/.test(u.pathname))
    id = Number(new URL(page.url()).pathname.split('/').pop())
    await page.getByTestId('consult-status').filter({ hasText: '待受理' }).waitFor()
    await page.getByTestId('consult-thread').getByText('展位费补贴').waitFor()
  })
  const r = await staffCall('POST', `/api/v1/admin/consultations/${id}/reply`, { content: '<p>请于每年3月前通过<strong>商务发展专项资金</strong>系统申报。</p>', attachments: [] })
  assert.equal(r.status, 200, JSON.stringify(r.data))

  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/m/login')
    await page.getByPlaceholder('请输入注册时的手机号').fill(FIRM.phone)
    await page.getByPlaceholder('请输入密码').fill(FIRM.password)
    await page.locator('button[type=submit]').click()
    await page.waitForURL((u) => u.pathname.startsWith('/m') && u.pathname !== '/m/login')
    await page.goto(srv.base + '/m/me')
    await page.getByTestId('m-consult-link').click()
    await page.waitForURL((u) => u.pathname === '/m/consultations')
    await page.getByTestId('m-consult-item').filter({ hasText: F_TITLE }).click()
    await page.waitForURL((u) => u.pathname === `/m/consultations/${id}`)
    await page.getByTestId('m-consult-thread').getByText('商务发展专项资金').waitFor()
    // 不满意 needs a reason: refused beside the choice, nothing sent
    await page.getByTestId('m-rate-form').getByText('不满意', { exact: true }).click()
    await page.getByTestId('m-rate-submit').click()
    await page.getByText('请说明不满意的原因').waitFor()
    await page.getByTestId('m-rate-form').getByText('满意', { exact: true }).click()
    await page.getByTestId('m-rate-comment').locator('textarea').fill('答复及时，很清楚')
    await page.getByTestId('m-rate-submit').click()
    await page.getByTestId('m-consult-rating').getByText('满意').waitFor()
    await page.getByTestId('m-consult-thread').getByText('已办结').waitFor()
    assert.equal(await page.getByTestId('m-followup-form').count(), 0, 'a closed thread takes no follow-up')
  }, { mobile: true })

  const d = (await staffCall('GET', `/api/v1/admin/consultations/${id}`)).data
  assert.equal(d.status, 'closed')
  assert.equal(d.rating, 'satisfied')
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(srv.base + `/admin/consultations/${id}`)
    await page.getByTestId('consult-rating').getByText('满意').waitFor()
    assert.equal(await page.getByTestId('reply-form').count(), 0, 'a closed thread takes no answer')
    // statistics: the two consultations of this run, in charts and the table
    await page.goto(srv.base + '/admin/consultations/stats')
    await page.getByTestId('stats-kpis').getByText('咨询建议总数').waitFor()
    // the cards show 0 until the figures arrive: wait for the count, then read it
    await page.getByTestId('stats-kpis').locator('.kpi b').first().filter({ hasText: /^\s*2\s*$/ }).waitFor({ timeout: 10000 })
    assert.equal((await page.getByTestId('stats-kpis').locator('.kpi b').first().innerText()).trim(), '2')
    await page.getByTestId('stats-category-chart').locator('canvas').waitFor()
    await page.getByTestId('stats-table').getByText('项目申报').waitFor()
    await page.goto(srv.base + '/admin/consultations/settings')
    await page.getByTestId('settings-categories').getByText('政策咨询').waitFor()
    // the unit's name sits in an input: read the values
    const names = await page.getByTestId('settings-units').locator('input').evaluateAll((els) => els.map((e) => e.value))
    assert.ok(names.includes('市商务局综合处'), JSON.stringify(names))
  })
})
