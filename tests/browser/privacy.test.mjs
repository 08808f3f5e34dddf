// Personal information (issue 9) in a real browser against the real
// server: registration shows the 用户协议 and 隐私政策 in dialogs and refuses
// without the tick; an account without consent (made by someone else, or
// after a new version) meets the blocking dialog at login — 不同意并退出
// logs out, 同意并继续 goes on; 账号设置 shows the person's data and
// downloads it as JSON; the bureau edits the documents in 协议管理 with
// their history; an account is closed on the phone with its SMS code.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { smsCodes, nextSmsCode, openSuite, closeSuite } from './harness.mjs'
import {
  usccMaker, apiClient, cityStaff, staffAccount, registerEnterprise, userLogin, withPage, fillEnterpriseForm, staffLogin, toast,
  currentVersions, menuLabels, execSql,
} from './console-setup.mjs'

let srv, browser
let staffCall
const newUscc = usccMaker('MA9P')
const CITY = { username: 'cityp', phone: '13900009001', name: '市局管理员', password: 'City#Privacy26' }

before(async () => {
  ;({ srv, browser } = await openSuite())
  staffCall = await cityStaff(srv, CITY)
})
after(() => closeSuite(srv, browser))

/** SQL on the test server's SQLite file (fixtures the API has no call for). */
const sql = (statement) => execSql(srv, statement)

test('registration shows both documents and cannot be sent without the tick', async () => {
  const f = { name: '福州鼓岭茶业有限公司', uscc: newUscc(), person: '郑茶', phone: '13800009101', password: 'Guling#Tea2026', region: '鼓楼区' }
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/register')
    await fillEnterpriseForm(srv, page, f)
    const agree = page.getByTestId('legal-agree')
    assert.match(await agree.innerText(), /我已阅读并同意\s*《用户协议》\s*和\s*《隐私政策》/)
    assert.equal(await page.getByTestId('agree-checkbox').locator('.is-checked').count(), 0, 'unticked at first')

    // each title opens its text
    await page.getByTestId('open-terms').click()
    const dlg = page.getByTestId('legal-dialog')
    await dlg.getByText('福州市商务局政企互动平台用户协议').waitFor()
    await dlg.getByText('二、账号注册与使用').waitFor()
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
    await page.getByTestId('open-privacy').click()
    await dlg.getByText('我们收集的信息').waitFor()
    await dlg.getByText('四、保存期限').waitFor()
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })

    // without the tick nothing is sent
    await page.getByRole('button', { name: '注 册' }).click()
    await page.getByTestId('agree-error').getByText('请阅读并勾选同意《用户协议》和《隐私政策》').waitFor()
    assert.equal(await page.getByTestId('register-done').count(), 0)
    assert.equal(sql(`SELECT COUNT(*) FROM app_user WHERE phone = '${f.phone}'`), '0')

    // agreeing from the dialog ticks it
    await page.getByTestId('open-privacy').click()
    await dlg.getByTestId('legal-dialog-agree').click()
    await page.getByTestId('agree-checkbox').locator('.is-checked').waitFor()
    assert.equal(await page.getByTestId('agree-error').count(), 0)
    await page.getByRole('button', { name: '注 册' }).click()
    await page.getByTestId('register-done').waitFor()
  })
  // the consent was stored with the registration
  assert.equal(sql(`SELECT c.terms_version || '/' || c.privacy_version || '/' || c.channel FROM user_consent c
    JOIN app_user u ON u.id = c.user_id WHERE u.phone = '${f.phone}'`), '1/1/web')
})

test('mobile registration requires the consent too', async () => {
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/m/register')
    const agree = page.getByTestId('legal-agree')
    await agree.waitFor()
    await page.getByTestId('open-terms').click()
    await page.getByTestId('legal-dialog').getByText('二、账号注册与使用').waitFor()
    await page.getByTestId('legal-dialog').getByTestId('legal-dialog-agree').click()
    await page.getByTestId('agree-checkbox').locator('.van-checkbox__icon--checked').waitFor()
    await page.getByTestId('agree-checkbox').click()
    assert.equal(await page.getByTestId('agree-checkbox').locator('.van-checkbox__icon--checked').count(), 0)
  }, { mobile: true })
})

test('an account without consent meets the blocking dialog: 不同意 logs out, 同意 goes on; a new version asks again', async () => {
  const f = { name: '福州永泰李果有限公司', person: '叶经理', phone: '13800009201', password: 'Yongtai#Li2026', uscc: newUscc() }
  await registerEnterprise(srv, staffCall, f)
  // as if a firm had added this person: no consent on record
  sql(`DELETE FROM user_consent WHERE user_id = (SELECT id FROM app_user WHERE phone = '${f.phone}')`)

  await withPage(browser, async (page) => {
    await userLogin(srv, page, f.phone, f.password)
    await page.waitForURL((u) => u.pathname === '/account/consent')
    const dlg = page.getByTestId('consent-dialog')
    await dlg.getByTestId('consent-terms').getByText('福州市商务局政企互动平台用户协议').waitFor()
    await dlg.getByRole('tab', { name: '《隐私政策》' }).click()
    await dlg.getByTestId('consent-privacy').getByText('四、保存期限').waitFor()
    // nothing else is reachable meanwhile
    await page.goto(srv.base + '/console/enterprise/info')
    await page.waitForURL((u) => u.pathname === '/account/consent')
    await dlg.getByTestId('consent-decline').click()
    await page.waitForURL((u) => u.pathname === '/login')
    assert.equal(sql(`SELECT COUNT(*) FROM user_consent c JOIN app_user u ON u.id = c.user_id WHERE u.phone = '${f.phone}'`), '0')

    await userLogin(srv, page, f.phone, f.password)
    await page.waitForURL((u) => u.pathname === '/account/consent')
    await page.getByTestId('consent-accept').click()
    await page.waitForURL((u) => u.pathname === '/console')
    await page.getByTestId('user-menu').waitFor()
    assert.equal(sql(`SELECT c.channel FROM user_consent c JOIN app_user u ON u.id = c.user_id WHERE u.phone = '${f.phone}'`), 'web')

    // the bureau publishes a new 隐私政策: the open console asks again
    const put = await staffCall('PUT', '/api/v1/admin/legal/privacy', { title: '福州市商务局政企互动平台隐私政策（修订）', body: '# 一、引言\n新增说明：操作日志保存不少于六个月。' })
    assert.equal(put.status, 200, JSON.stringify(put.data))
    await page.reload()
    await page.waitForURL((u) => u.pathname === '/account/consent')
    await page.getByRole('tab', { name: '《隐私政策》' }).click()
    await page.getByTestId('consent-privacy').getByText('新增说明：操作日志保存不少于六个月。').waitFor()
    await page.getByTestId('consent-accept').click()
    await page.waitForURL((u) => u.pathname === '/console')
    assert.equal(sql(`SELECT MAX(c.privacy_version) FROM user_consent c JOIN app_user u ON u.id = c.user_id WHERE u.phone = '${f.phone}'`), '2')
  })
})

test('账号设置 shows the personal data, downloads it, and a legal rep is told to transfer before closing', async () => {
  const f = { name: '福州罗源湾海产有限公司', person: '游海', phone: '13800009301', password: 'Luoyuan#Sea2026', uscc: newUscc() }
  await registerEnterprise(srv, staffCall, f)
  await withPage(browser, async (page) => {
    await userLogin(srv, page, f.phone, f.password)
    // agree to the current versions if a test before published one
    await page.waitForURL((u) => ['/console', '/account/consent'].includes(u.pathname))
    if (new URL(page.url()).pathname === '/account/consent') {
      await page.getByTestId('consent-accept').click()
      await page.waitForURL((u) => u.pathname === '/console')
    }
    await page.getByTestId('user-menu').click()
    await page.getByTestId('menu-account').click()
    await page.waitForURL((u) => u.pathname === '/console/account')
    await page.getByTestId('page-title').filter({ hasText: '账号设置' }).waitFor()
    await page.getByTestId('account-info').getByText(f.phone).waitFor()
    await page.getByTestId('account-info').getByText(f.person).waitFor()
    await page.getByTestId('my-data-memberships').getByText(f.name).waitFor()
    await page.getByTestId('my-data-memberships').getByText('法定代表人').waitFor()
    await page.getByTestId('my-data-enterprises_registered').getByText(f.uscc).waitFor()
    await page.getByTestId('my-data-consents').getByText('第 1 版').first().waitFor()
    await page.getByTestId('my-data-activity').getByText('企业用户登录').first().waitFor()
    await page.getByTestId('my-data-sessions').getByText('127.0.0.1').first().waitFor()
    // nobody else's data
    assert.doesNotMatch(await page.locator('body').innerText(), /13800009201|福州永泰李果/)

    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('my-data-download').click()])
    assert.match(dl.suggestedFilename(), /^personal-data-\d+\.json$/)
    const data = JSON.parse(readFileSync(await dl.path(), 'utf8'))
    assert.equal(data.account.phone, f.phone)
    assert.equal(data.memberships[0].enterprise_name, f.name)
    assert.ok(data.activity.some((a) => a.action === 'privacy.export'), 'viewing is recorded')

    // the legal rep must hand the title over first
    await page.getByTestId('close-open').click()
    await page.getByTestId('close-blocked').getByText(`您是企业“${f.name}”的法定代表人`).waitFor()
    assert.equal(await page.getByTestId('close-confirm').count(), 0)
  })
})

test('协议管理: city staff edit a document, see the preview and the history', async () => {
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.locator('.shell__menu').getByText('协议管理').click()
    await page.waitForURL((u) => u.pathname === '/admin/legal')
    await page.getByTestId('legal-current').getByText(/当前为第 1 版/).waitFor()
    await page.getByTestId('legal-body').fill('# 一、协议的范围\n- 第一条 本平台由福州市商务局运营。\n\n这是修订后的用户协议。')
    await page.getByTestId('legal-preview').getByText('第一条 本平台由福州市商务局运营。').waitFor()
    // HTML is refused as you type
    await page.getByTestId('legal-body').fill('<script>alert(1)</script>')
    await page.getByText('正文不能包含 HTML 标签，请使用纯文本或简单的 Markdown').waitFor()
    await page.getByTestId('legal-body').fill('# 一、协议的范围\n这是修订后的用户协议。')
    await page.getByTestId('legal-publish').click()
    await page.locator('.el-message-box').getByRole('button', { name: '发布' }).click()
    await toast(page, /已发布第 2 版/)
    await page.getByTestId('legal-current').getByText(/当前为第 2 版/).waitFor()
    const rows = page.getByTestId('legal-versions').locator('tbody tr')
    assert.equal(await rows.count(), 2)
    await rows.nth(1).getByRole('button', { name: '查看' }).click()
    await page.locator('.el-dialog').getByText('二、账号注册与使用').waitFor()
  })
  assert.equal(sql("SELECT COUNT(*) FROM legal_doc WHERE kind = 'terms'"), '2')

  // district staff neither see the entry nor may edit
  const district = { username: 'gulouprivacy', phone: '13900009002', role: 'district', region: '350102', password: 'Gulou#Privacy26' }
  const dCall = await staffAccount(srv, district)
  assert.equal((await dCall('GET', '/api/v1/admin/legal/terms')).status, 403)
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, district)
    assert.ok(!(await menuLabels(page)).includes('协议管理'), 'district staff see 协议管理')
  })
})

test('close an account on the phone with its SMS code', async () => {
  // an applicant who is not the legal rep (so nothing blocks the closing)
  const phone = '13800009401'
  const password = 'Minqing#Close26'
  const call = apiClient(srv)
  const seen = smsCodes(srv, phone)
  assert.equal((await call('POST', '/api/v1/sms/send', { phone, purpose: 'register' })).status, 200)
  const agree = await currentVersions(srv)
  const r = await call('POST', '/api/v1/register', {
    name: '福州闽清陶瓷有限公司', uscc: newUscc(), applicant_role: 'staff', contact_name: '陈经办', contact_phone: phone,
    legal_rep_name: '陈法人', legal_rep_phone: '13800009402', sms_code: await nextSmsCode(srv, phone, seen), password,
    region: '350124', industry: '30', characteristics: ['private'], scale: 'small', agree,
  })
  assert.equal(r.status, 201, JSON.stringify(r.data))
  sql(`UPDATE sms_code SET created_at = created_at - 120 WHERE phone = '${phone}'`) // past the 60 s resend gap

  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/m/login')
    await page.getByPlaceholder('请输入注册时的手机号').fill(phone)
    await page.getByPlaceholder('请输入密码').fill(password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname === '/m/me')
    await page.getByTestId('m-account-link').click()
    await page.waitForURL((u) => u.pathname === '/m/account')
    await page.getByTestId('account-info').getByText(phone).waitFor()
    await page.getByTestId('my-data-memberships').getByText('福州闽清陶瓷有限公司').waitFor()

    await page.getByTestId('close-open').click()
    const pop = page.getByTestId('close-dialog')
    await pop.getByText('验证手机').waitFor()
    assert.equal(await pop.locator('input[readonly]').inputValue(), '138****9401')
    const before = smsCodes(srv, phone)
    await pop.getByRole('button', { name: '发送验证码' }).click()
    const code = await nextSmsCode(srv, phone, before)
    // a wrong code is refused beside the field
    await pop.getByPlaceholder('请输入短信验证码').fill(code === '000000' ? '111111' : '000000')
    await pop.getByTestId('close-confirm').click()
    await page.locator('.van-dialog').getByRole('button', { name: '注销' }).click()
    await pop.getByText('验证码错误或已过期').waitFor()
    await pop.getByPlaceholder('请输入短信验证码').fill(code)
    await pop.getByTestId('close-confirm').click()
    await page.locator('.van-dialog').getByRole('button', { name: '注销' }).click()
    await page.waitForURL((u) => u.pathname === '/m/me')
    await page.getByTestId('m-guest-actions').waitFor()
  }, { mobile: true, allow: [{ status: 400, path: /^\/api\/v1\/me\/close-account$/ }] })

  // login is impossible; the person's fields are gone; the phone is free again
  const again = apiClient(srv)
  assert.equal((await again('POST', '/api/v1/auth/login', { phone, password })).status, 401)
  assert.equal(sql(`SELECT COUNT(*) FROM app_user WHERE phone = '${phone}'`), '0')
  assert.equal(sql("SELECT COUNT(*) FROM app_user WHERE name = '已注销用户' AND password_hash = ''"), '1')
  assert.match(srv.cli('audit', 'verify'), /audit chain intact/)
})
