// Enterprise console, bureau console and mobile H5: guests are sent to the
// right login page, the login pages work, the mobile area shows live data
// and navigates by its tab bar. Fails on any console error, page error,
// failed request or HTTP error (a guest's 401 from /api/v1/auth/me excepted).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openSuite, closeSuite } from './harness.mjs'
import { withPage as sharedWithPage } from './console-setup.mjs'

let srv, browser

before(async () => { ({ srv, browser } = await openSuite()) })
after(() => closeSuite(srv, browser))

// fn(page, loaded): the URLs the page requested, to check what a screen downloads
const withPage = (fn, opts) => sharedWithPage(browser, (page, _context, loaded) => fn(page, loaded), opts)

async function expectRedirect(page, from, loginPath) {
  await page.goto(srv.base + from)
  await page.waitForURL((u) => u.pathname === loginPath)
  const u = new URL(page.url())
  assert.equal(u.searchParams.get('next'), from, `next= of ${from}`)
}

test('enterprise console: guests are sent to /login?next=…', async () => {
  await withPage(async (page) => {
    for (const p of ['/console', '/console/enterprise/info', '/console/enterprise/staff']) {
      await expectRedirect(page, p, '/login')
      await page.getByText('企业用户登录').waitFor()
    }
  })
})

test('bureau console: guests are sent to /admin/login, whose form checks its fields', async () => {
  await withPage(async (page) => {
    for (const p of ['/admin', '/admin/dicts', '/admin/registrations', '/admin/invites', '/admin/staff', '/admin/audit']) {
      await expectRedirect(page, p, '/admin/login')
      await page.getByText('工作人员登录').waitFor()
    }
    await page.goto(srv.base + '/admin/login')
    await page.getByPlaceholder('请输入用户名').waitFor()
    await page.getByPlaceholder('请输入密码').waitFor()
    // the SMS step appears only when the server asks for the second factor (not with --dev)
    assert.equal(await page.getByPlaceholder('短信验证码').count(), 0)
    await page.getByRole('button', { name: '登 录' }).click()
    await page.getByText('请输入用户名').waitFor()
    await page.getByText('请输入密码').waitFor()
  })
})

test('mobile home: registration and login entries, the service process, the certified count; tab bar navigation', async () => {
  const stats = await (await fetch(srv.base + '/api/v1/public/stats')).json()
  await withPage(async (page, loaded) => {
    await page.goto(srv.base + '/m')
    await page.getByTestId('m-process').waitFor()
    assert.equal(await page.getByTestId('m-approved-count').innerText(), String(stats.approved_enterprises))
    const text = await page.locator('body').innerText()
    for (const stale of ['行业门类', '平台状态', '行业分类', '服务区域', '外贸监测', '政策资讯']) {
      assert.ok(!text.includes(stale), `the mobile home still shows ${stale}`)
    }
    // only the tabs that have something behind them
    assert.deepEqual((await page.locator('.van-tabbar-item').allInnerTexts()).map((t) => t.trim()), ['首页', '政策', '我的'])

    const tab = (name) => page.locator('.van-tabbar-item', { hasText: name })
    await tab('我的').click()
    await page.waitForURL((u) => u.pathname === '/m/me')
    await page.getByText('游客').waitFor()
    assert.deepEqual(await page.locator('.van-tabbar-item--active').allInnerTexts(), ['我的'])
    const guest = page.getByTestId('m-guest-actions')
    await guest.getByText('登录', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/m/login')
    await page.getByRole('tab', { name: '短信登录' }).waitFor()
    await page.goBack()
    await page.waitForURL((u) => u.pathname === '/m/me')
    await page.getByTestId('m-guest-actions').getByText('企业注册', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/m/register')
    await page.getByPlaceholder('请输入统一社会信用代码').waitFor()
    await page.goto(srv.base + '/m')
    await page.locator('.van-grid-item', { hasText: '企业注册' }).click()
    await page.waitForURL((u) => u.pathname === '/m/register')
    assert.ok(!loaded.some((u) => /\/assets\/element-plus-/.test(u)), 'the mobile area must not load Element Plus')
    // 工作台 (issue 12, manual 6.1) is the firm's: a guest is asked to log in first
    await page.goto(srv.base + '/m/work')
    await page.waitForURL((u) => u.pathname === '/m/login' && u.searchParams.get('next') === '/m/work')
  }, { mobile: true })
})

test('mobile login and registration forms check as you type', async () => {
  await withPage(async (page) => {
    await page.goto(srv.base + '/m/login')
    await page.getByRole('tab', { name: '密码登录' }).waitFor()
    await page.getByPlaceholder('请输入注册时的手机号').fill('1234')
    await page.getByText('请输入正确的11位手机号码').waitFor()
    await page.getByRole('tab', { name: '短信登录' }).click()
    await page.getByRole('button', { name: '发送验证码' }).waitFor()

    await page.goto(srv.base + '/m/register')
    for (const l of ['企业名称', '信用代码', '角色', '姓名', '联系电话', '验证码', '密码', '行政区划', '行业分类',
      '企业特性', '企业规模', '经营范围', '经营期限自', '经营期限至', '注册地址', '注册资本', '成立日期', '人员规模',
      '融资阶段', '企业邮箱', '企业简介', '海关代码', '进出口贸易']) {
      await page.locator('.van-field__label', { hasText: new RegExp(`^${l}$`) }).first().waitFor()
    }
    const uscc = page.getByPlaceholder('请输入统一社会信用代码')
    await uscc.fill('91350100M000100Y44')
    await page.locator('.van-field__error-message', { hasText: '统一社会信用代码校验位不正确' }).waitFor()
    await uscc.fill('91350100M000100Y43')
    await page.locator('.van-field__error-message', { hasText: '统一社会信用代码' }).waitFor({ state: 'detached' })
    await page.getByPlaceholder('请输入海关代码').fill('ABC')
    await page.getByText('海关代码应为10位字母或数字').waitFor()

    // pickers are filled from the dictionaries
    await page.getByPlaceholder('请选择企业注册地所在区域').click()
    await page.locator('.van-picker-column__item', { hasText: '鼓楼区' }).waitFor()
    await page.locator('.van-picker__confirm').click()
    assert.equal(await page.getByPlaceholder('请选择企业注册地所在区域').inputValue(), '鼓楼区')
    await page.getByPlaceholder('请选择行业分类').click()
    await page.locator('.van-cascader__option', { hasText: '制造业' }).click()
    await page.locator('.van-cascader__option', { hasText: '13 农副食品加工业' }).click()
    assert.equal(await page.getByPlaceholder('请选择行业分类').inputValue(), '制造业 / 农副食品加工业')
  }, { mobile: true })
})
