// Public portal: live home data, header navigation, login
// and registration forms. Fails on any console error, page error, failed
// request or HTTP error (a guest's 401 from /api/v1/auth/me excepted).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openSuite, closeSuite } from './harness.mjs'
import { withPage as sharedWithPage } from './console-setup.mjs'

let srv, browser

before(async () => { ({ srv, browser } = await openSuite()) })
after(() => closeSuite(srv, browser))

async function api(path) {
  const r = await fetch(srv.base + path)
  assert.equal(r.status, 200, `${path} answered ${r.status}`)
  return r.json()
}

// fn(page, loaded): the URLs the page requested, to check what a screen downloads
const withPage = (fn, opts) => sharedWithPage(browser, (page, _context, loaded) => fn(page, loaded), opts)

const pathIs = (p) => (url) => url.pathname === p

test('home: registration and login, the service process and the certified count from the API — no stand-ins', async () => {
  const stats = await api('/api/v1/public/stats')
  await withPage(async (page, loaded) => {
    await page.goto(srv.base + '/')
    await assert.doesNotReject(page.getByText('福州市商务局政企互动平台', { exact: true }).first().waitFor())
    await page.getByText('Fuzhou Municipal Bureau of Commerce').first().waitFor()
    const nav = page.locator('nav.mainnav')
    for (const label of ['首页', '通知公告', '政策资讯', '惠企服务', '项目申报', '咨询建议', '企业注册', '企业登录']) await nav.getByText(label, { exact: true }).waitFor()
    // every header entry has its module behind it (项目申报 since issue 13, 咨询建议 since issue 14)
    await page.locator('[data-testid=account]').getByText('登录', { exact: true }).waitFor()
    await page.locator('[data-testid=account]').getByText('注册', { exact: true }).waitFor()
    await page.getByTestId('home-register').waitFor()
    await page.getByTestId('home-login').waitFor()
    const steps = page.getByTestId('service-process')
    for (const t of ['企业注册', '区县审核', '认证通过', '企业后台']) await steps.getByText(t, { exact: true }).waitFor()
    assert.equal(await page.getByTestId('approved-count').innerText(), String(stats.approved_enterprises))
    await page.getByText('已认证企业', { exact: true }).waitFor()
    const text = await page.locator('body').innerText()
    // the latest notices and policies come from the API (none published on this fresh database)
    await page.getByTestId('home-notices').getByText('暂无已发布的通知公告').waitFor()
    await page.getByTestId('home-policies').getByText('暂无已发布的政策资讯').waitFor()
    for (const stale of ['行业门类', '平台状态', '国民经济行业分类', 'v0.1.0']) {
      assert.ok(!text.includes(stale), `the home still shows ${stale}`)
    }
    assert.equal(await page.locator('input').count(), 0, 'no search box without a search behind it')
    assert.ok(!loaded.some((u) => /\/assets\/vant-/.test(u)), 'the portal must not load Vant')
  })
})

test('header navigation by clicking', async () => {
  await withPage(async (page) => {
    await page.goto(srv.base + '/')
    await page.getByTestId('service-process').waitFor()
    const nav = page.locator('nav.mainnav')
    await nav.getByText('企业注册', { exact: true }).click()
    await page.waitForURL(pathIs('/register'))
    await page.getByPlaceholder('请输入企业统一社会信用代码').waitFor()
    assert.match(await nav.locator('.is-active').innerText(), /企业注册/)
    await nav.getByText('企业登录', { exact: true }).click()
    await page.waitForURL(pathIs('/login'))
    await page.getByText('企业用户登录').waitFor()
    await nav.getByText('首页', { exact: true }).click()
    await page.waitForURL(pathIs('/'))
    await page.getByTestId('service-process').waitFor()

    await page.locator('[data-testid=account]').getByText('登录', { exact: true }).click()
    await page.waitForURL(pathIs('/login'))
    await page.getByText('企业用户登录').waitFor()
    await page.locator('[data-testid=account]').getByText('注册', { exact: true }).click()
    await page.waitForURL(pathIs('/register'))
    await page.getByPlaceholder('请输入企业统一社会信用代码').waitFor()
  })
})

test('an unknown page says so', async () => {
  await withPage(async (page) => {
    await page.goto(srv.base + '/no-such-page')
    await page.getByText('页面不存在').first().waitFor()
  })
})

test('login page: password and SMS tabs, phone checked as you type', async () => {
  await withPage(async (page) => {
    await page.goto(srv.base + '/login')
    await page.getByRole('tab', { name: '密码登录' }).waitFor()
    await page.getByPlaceholder('请输入注册时的手机号').fill('12345')
    await page.getByText('请输入正确的11位手机号码').waitFor()
    await page.getByPlaceholder('请输入注册时的手机号').fill('13800000000')
    await page.getByText('请输入正确的11位手机号码').waitFor({ state: 'detached' })
    await page.getByPlaceholder('请输入密码').waitFor()
    await page.getByRole('tab', { name: '短信登录' }).click()
    await page.getByPlaceholder('请输入6位验证码').waitFor()
    await page.getByRole('button', { name: '获取验证码' }).waitFor()
  })
})

test('registration form: every field of manual 1.1 and the checks as you type', async () => {
  const districts = (await api('/api/v1/dicts/region')).items.filter((r) => r.parent)
  await withPage(async (page) => {
    await page.goto(srv.base + '/register')
    const labels = ['企业名称', '统一社会信用代码', '角色', '姓名', '联系电话', '短信验证码', '密码', '行政区划',
      '行业分类', '企业特性', '企业规模', '经营范围', '经营期限', '注册地址', '注册资本/万', '成立日期', '人员规模',
      '融资阶段', '企业邮箱', '企业简介', '海关代码', '进出口贸易']
    for (const l of labels) await page.locator('.el-form-item__label', { hasText: new RegExp(`^${l.replace('/', '\\/')}$`) }).first().waitFor()

    const uscc = page.getByPlaceholder('请输入企业统一社会信用代码')
    await uscc.fill('91350100M000100Y44') // check char should be 3
    await page.getByText('统一社会信用代码校验位不正确').waitFor()
    await uscc.fill('91350100m000100y43') // lower case is upper-cased; valid
    await page.getByText('统一社会信用代码校验位不正确').waitFor({ state: 'detached' })
    assert.equal(await uscc.inputValue(), '91350100M000100Y43')
    await uscc.fill('9135010OM000100Y43')
    await page.getByText('统一社会信用代码含有无效字符“O”').waitFor()

    await page.getByPlaceholder('请输入联系电话').fill('2380000000')
    await page.getByText('请输入正确的11位手机号码').waitFor()
    await page.getByPlaceholder('请输入海关代码').fill('12345')
    await page.getByText('海关代码应为10位字母或数字').waitFor()
    await page.getByPlaceholder('请输入企业注册资本/万').fill('1.23456')
    await page.getByText('注册资本最多保留4位小数').waitFor()
    await page.getByPlaceholder('请输入企业注册资本/万').fill('100.5')
    await page.getByText('注册资本最多保留4位小数').waitFor({ state: 'detached' })
    await page.getByPlaceholder('请输入企业邮箱').fill('not-an-email')
    await page.getByText('请输入正确的邮箱地址').waitFor()

    // 非法人 must also give the legal representative
    assert.equal(await page.getByPlaceholder('请输入法人姓名').count(), 0)
    await page.getByText('非法人', { exact: true }).click()
    await page.getByPlaceholder('请输入法人姓名').waitFor()
    await page.getByPlaceholder('请输入法人联系电话').waitFor()

    // districts come from the region dictionary
    await page.getByTestId('region-select').click()
    for (const d of districts) await page.locator('.el-select-dropdown__item', { hasText: d.name }).first().waitFor()
    await page.keyboard.press('Escape')

    // submitting an empty form shows the required messages, sends nothing
    await page.getByRole('button', { name: '注 册' }).click()
    await page.getByText('请输入企业名称').waitFor()
    await page.getByText('请选择行政区划').waitFor()
  })
})
