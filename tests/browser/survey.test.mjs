// Questionnaires end to end (issue 14), in real Chromium against the real
// server: city staff build a questionnaire in 问卷管理 (a condition whose
// definition check speaks up while it is incomplete, a second section) and
// publish it; the firm answers on the phone, one section per screen, and the
// conditional question appears only after the answer that opens it; the
// draft survives a reload; after submit the answers are read-only; staff see
// the results chart move (the same chart before and after differs) and the
// counts, and the console shows the answered questionnaire read-only.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openSuite, closeSuite } from './harness.mjs'
import { usccMaker, cityStaff, registerEnterprise, staffLogin, userLogin, withPage, goMenu, pickOption } from './console-setup.mjs'

let srv, browser
let staffCall
let firmCall
let surveyId
let chartBefore
const CITY = { username: 'citysurvey', phone: '13900004001', name: '市局调查专员', password: 'City#Survey2026' }
const FIRM = { name: '福州闽江外贸有限公司', person: '郑闽江', phone: '13800004001', password: 'Minjiang#Boss26', region: '350102' }
const TITLE = '2026 年外贸企业经营状况调查'

before(async () => {
  ;({ srv, browser } = await openSuite())
  staffCall = await cityStaff(srv, CITY)
  ;({ call: firmCall } = await registerEnterprise(srv, staffCall, { ...FIRM, uscc: usccMaker('QY1C')() }))
  assert.equal((await firmCall('POST', '/api/v1/auth/login', { phone: FIRM.phone, password: FIRM.password })).status, 200)
})
after(() => closeSuite(srv, browser))

const question = (page, i) => page.getByTestId(`question-${i}`)

test('staff build a questionnaire with a condition and a second section, and publish it', async () => {
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await goMenu(page, null, '问卷管理')
    await page.waitForURL((u) => u.pathname === '/admin/surveys')
    await page.getByTestId('create-survey').click()
    await page.waitForURL((u) => u.pathname === '/admin/surveys/new')
    await page.getByTestId('field-title').fill(TITLE)
    // Q1: the single choice the builder starts with
    const q1 = question(page, 0)
    await q1.getByTestId('q-title').fill('贵企业今年是否有出口业务')
    await q1.getByTestId('q-required').click()
    await q1.getByTestId('q-option-0').locator('input').first().fill('有')
    await q1.getByTestId('q-option-1').locator('input').first().fill('没有')
    // Q2: shown only when Q1 is 有
    await page.getByTestId('add-question').click()
    await page.getByTestId('add-multiple').click()
    const q2 = question(page, 1)
    await q2.getByTestId('q-title').fill('主要出口市场')
    await q2.getByTestId('q-option-0').locator('input').first().fill('欧美')
    await q2.getByTestId('q-option-1').locator('input').first().fill('东南亚')
    await q2.getByTestId('q-conditional').click()
    // the definition check speaks while the condition is incomplete
    await q2.getByTestId('q-cond-error').filter({ hasText: '请选择显示条件所依据的题目' }).waitFor()
    await q2.getByTestId('q-cond-q').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'Q1 贵企业今年是否有出口业务' }).click()
    await q2.getByTestId('q-cond-error').filter({ hasText: '请选择显示条件的选项' }).waitFor()
    await q2.getByTestId('q-cond-in').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^有$/ }).click()
    await page.keyboard.press('Escape')
    assert.equal(await q2.getByTestId('q-cond-error').count(), 0, 'the complete condition is accepted')
    // Q3: a rating in a second section
    await page.getByTestId('add-question').click()
    await page.getByTestId('add-rating').click()
    const q3 = question(page, 2)
    await q3.getByTestId('q-title').fill('对本市营商环境的总体评价')
    await q3.getByTestId('q-section').fill('营商环境')
    // the close time, typed into the picker
    const close = page.getByPlaceholder('选择截止时间')
    await close.click()
    await close.fill('2027-06-30 18:00:00')
    await close.press('Enter')
    // the preview shows the phone its two screens
    await page.getByTestId('preview').click()
    const dlg = page.getByTestId('preview-dialog')
    await dlg.getByText('手机端').click()
    await page.getByTestId('preview-phone').getByText('第 1 / 2 页').waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('save-publish').click()
    await page.waitForURL((u) => u.pathname === '/admin/surveys')
    const row = page.getByTestId('survey-table').locator('tr', { hasText: TITLE })
    await row.getByTestId('survey-status').filter({ hasText: '进行中' }).waitFor()
    // the results before any answer: the chart of Q1 as it is now
    await row.getByTestId('open-results').click()
    await page.waitForURL((u) => /^\/admin\/surveys\/\d+\/results$/.test(u.pathname))
    surveyId = Number(new URL(page.url()).pathname.split('/')[3])
    await page.getByTestId('kpi-responded').filter({ hasText: /^0$/ }).waitFor()
    await page.waitForTimeout(600) // the chart's entry animation
    chartBefore = await page.getByTestId('chart-q1').screenshot()
    // the firm is listed as not having answered; one click reminds it (today's date shows)
    const pending = page.getByTestId('non-respondents')
    await pending.locator('tr', { hasText: FIRM.name }).filter({ hasText: '未提醒' }).waitFor()
    await page.getByTestId('remind').click()
    await pending.locator('tr', { hasText: FIRM.name }).filter({ hasText: /\d{4}-\d{2}-\d{2}/ }).waitFor()
  })
  const s = await staffCall('GET', `/api/v1/admin/surveys/${surveyId}`)
  assert.equal(s.status, 200)
  assert.equal(s.data.status, 'published')
  assert.deepEqual(s.data.questions.map((q) => [q.key, q.type, q.required]), [['q1', 'single', true], ['q2', 'multiple', false], ['q3', 'rating', false]])
  assert.deepEqual(s.data.questions[1].show_if, { q: 'q1', in: ['o1'] })
  assert.equal(s.data.questions[2].section, '营商环境')
})

test('the firm answers on the phone: the conditional question appears, the draft resumes, the answers are read-only after submit', async () => {
  assert.ok(surveyId, 'the questionnaire of the first test')
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/m/login')
    await page.getByPlaceholder('请输入注册时的手机号').fill(FIRM.phone)
    await page.getByPlaceholder('请输入密码').fill(FIRM.password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname === '/m/me')
    await page.getByTestId('m-surveys-link').click()
    await page.waitForURL((u) => u.pathname === '/m/surveys')
    await page.getByTestId('m-survey').filter({ hasText: TITLE }).click()
    await page.waitForURL((u) => u.pathname === `/m/surveys/${surveyId}`)
    await page.getByTestId('m-step').filter({ hasText: '第 1 / 2 页' }).waitFor()
    await page.getByTestId('q-q1').waitFor()
    assert.equal(await page.getByTestId('q-q2').count(), 0, 'Q2 is hidden until Q1 is 有')
    // required before going on
    await page.getByTestId('m-next').click()
    await page.getByTestId('q-q1').getByText('此题为必答题').waitFor()
    await page.getByTestId('q-q1').getByText('有', { exact: true }).click()
    await page.getByTestId('q-q2').waitFor()
    await page.getByTestId('q-q2').getByText('欧美').click()
    // saved as it goes: a reload brings the answers back
    await page.getByTestId('m-step').filter({ hasText: /已自动保存/ }).or(page.getByText('已自动保存')).first().waitFor()
    await page.reload()
    await page.getByTestId('q-q2').waitFor()
    assert.equal(await page.getByTestId('q-q2').locator('.van-checkbox__icon--checked').count(), 1, 'the saved pick is back')
    await page.getByTestId('m-next').click()
    await page.getByTestId('m-step').filter({ hasText: '第 2 / 2 页 · 营商环境' }).waitFor()
    await page.getByTestId('q-q3').locator('.van-rate__item').nth(3).click()
    await page.getByTestId('m-submit').click()
    await page.getByTestId('m-submitted').waitFor()
    assert.equal(await page.getByTestId('m-submit').count(), 0, 'no submit after submitting (edit not enabled)')
  }, { mobile: true })
  const mine = await firmCall('GET', `/api/v1/enterprise/surveys/${surveyId}`)
  assert.equal(mine.status, 200)
  assert.equal(mine.data.response.status, 'submitted')
  assert.deepEqual(mine.data.response.answers, { q1: 'o1', q2: ['o1'], q3: 4 })
})

test('staff see the chart move and the counts; the console shows the answers read-only', async () => {
  assert.ok(chartBefore, 'the chart of the first test')
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(srv.base + `/admin/surveys/${surveyId}/results`)
    await page.getByTestId('kpi-responded').filter({ hasText: /^1$/ }).waitFor()
    assert.equal(await page.getByTestId('non-respondents').locator('tr', { hasText: FIRM.name }).count(), 0, 'the firm left the list once it submitted')
    const q1 = page.getByTestId('result-q1')
    await q1.locator('tr', { hasText: '有' }).filter({ hasText: '100%' }).first().waitFor()
    await page.getByTestId('result-q3').getByTestId('rating-average').filter({ hasText: '平均分 4' }).waitFor()
    await page.waitForTimeout(600)
    const chartAfter = await page.getByTestId('chart-q1').screenshot()
    assert.notDeepEqual(chartAfter, chartBefore, 'the Q1 chart changed with the answer')
    // cross-tab of Q1 by district: the one answer under 鼓楼区
    await pickOption(page, 'cross-q', '贵企业今年是否有出口业务')
    await pickOption(page, 'cross-by', '区县')
    await page.getByTestId('cross-table').getByText('鼓楼区').waitFor()
  })
  await withPage(browser, async (page) => {
    await userLogin(srv, page, FIRM.phone, FIRM.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await goMenu(page, null, '问卷调查')
    await page.getByTestId('survey-tabs').getByText('已填写').click()
    await page.getByTestId('survey-list').getByText(TITLE).click()
    await page.getByTestId('submitted-banner').waitFor()
    assert.equal(await page.getByTestId('q-q1').locator('input[type=radio]:checked').count(), 1)
    assert.equal(await page.getByTestId('q-q1').locator('.is-disabled').count() > 0, true, 'read-only')
    assert.equal(await page.getByTestId('submit').count(), 0)
  })
})
