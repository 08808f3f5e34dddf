// Public portal: live home data, header navigation, content pages, login
// and registration forms. Fails on any console error, page error, failed
// request or HTTP error (a guest's 401 from /api/v1/auth/me excepted).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage, PLACEHOLDER_WORDS } from './harness.mjs'

let srv
let browser

before(async () => {
  srv = await startServer()
  browser = await launchBrowser()
})
after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

async function api(path) {
  const r = await fetch(srv.base + path)
  assert.equal(r.status, 200, `${path} answered ${r.status}`)
  return r.json()
}

// Run fn with a fresh page; then the page must have seen no problem.
async function withPage(fn, opts) {
  const { context, page, problems } = await newPage(browser, opts)
  const loaded = []
  page.on('request', (r) => loaded.push(r.url()))
  try {
    await fn(page, loaded)
    await page.waitForLoadState('networkidle')
    const text = await page.locator('body').innerText()
    assert.doesNotMatch(text, PLACEHOLDER_WORDS, 'placeholder wording on the page')
  } finally {
    await context.close()
  }
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests')
}

const pathIs = (p) => (url) => url.pathname === p

test('home shows the districts, industry sections and status from the API', async () => {
  const regions = (await api('/api/v1/dicts/region')).items
  const sections = (await api('/api/v1/dicts/industry?tree=1')).items
  assert.equal(regions.length, 14)
  assert.equal(sections.length, 20)
  await withPage(async (page, loaded) => {
    await page.goto(srv.base + '/')
    await assert.doesNotReject(page.getByText('福州市商务局政企互动平台', { exact: true }).first().waitFor())
    await page.getByText('Fuzhou Municipal Bureau of Commerce').first().waitFor()
    for (const label of ['首页', '通知公告', '政策资讯', '项目申报', '惠企服务', '咨询建议']) {
      await page.locator('nav.mainnav').getByText(label, { exact: true }).waitFor()
    }
    await page.locator('[data-testid=account]').getByText('登录', { exact: true }).waitFor()
    await page.locator('[data-testid=account]').getByText('注册', { exact: true }).waitFor()

    const items = page.locator('[data-testid=region-item]')
    await items.nth(13).waitFor()
    assert.equal(await items.count(), 14)
    const names = await page.locator('[data-testid=region-item] .region__name').allInnerTexts()
    assert.deepEqual(names, regions.map((r) => r.name))

    const counts = page.locator('[data-testid=division-count]')
    await counts.nth(19).waitFor()
    assert.equal(await counts.count(), 20)
    assert.deepEqual((await counts.allInnerTexts()).map(Number), sections.map((s) => s.children.length))
    for (const s of sections) await page.locator('[data-testid=industry-table]').getByText(s.name, { exact: true }).first().waitFor()

    await page.locator('.bar-chart canvas').first().waitFor()
    assert.equal(await page.getByTestId('health-status').innerText(), '运行正常')
    await page.getByText('暂无已发布的通知公告').waitFor()
    assert.ok(!loaded.some((u) => /\/assets\/vant-/.test(u)), 'the portal must not load Vant')
  })
})

const PAGES = [
  { nav: '通知公告', path: '/notices', empty: '暂无已发布的通知公告' },
  { nav: '政策资讯', path: '/policies', empty: '暂无已发布的政策资讯' },
  { nav: '项目申报', path: '/declarations', empty: '暂无已发布的项目申报' },
  { nav: '惠企服务', path: '/services', empty: '暂无已发布的惠企服务' },
  { nav: '咨询建议', path: '/consult', empty: '暂无公开的咨询建议' },
]

test('header navigation by clicking', async () => {
  await withPage(async (page) => {
    await page.goto(srv.base + '/')
    await page.locator('[data-testid=region-item]').first().waitFor()
    const nav = page.locator('nav.mainnav')
    for (const p of PAGES) {
      await nav.getByText(p.nav, { exact: true }).click()
      await page.waitForURL(pathIs(p.path))
      await page.getByText(p.empty).waitFor()
      assert.equal(await page.getByTestId('page-title').innerText(), p.nav)
      assert.match(await nav.locator('.is-active').innerText(), new RegExp(p.nav))
    }
    await nav.getByText('首页', { exact: true }).click()
    await page.waitForURL(pathIs('/'))
    await page.locator('[data-testid=region-item]').nth(13).waitFor()

    await page.locator('[data-testid=account]').getByText('登录', { exact: true }).click()
    await page.waitForURL(pathIs('/login'))
    await page.getByText('企业用户登录').waitFor()
    await page.locator('[data-testid=account]').getByText('注册', { exact: true }).click()
    await page.waitForURL(pathIs('/register'))
    await page.getByPlaceholder('请输入企业统一社会信用代码').waitFor()
  })
})

test('every portal page opens by its address and says honestly that nothing is published', async () => {
  await withPage(async (page) => {
    for (const p of PAGES) {
      await page.goto(srv.base + p.path)
      await page.getByText(p.empty).waitFor()
      assert.match(await page.title(), new RegExp(p.nav))
    }
    await page.goto(srv.base + '/policies')
    // policy types come from the dictionary
    const types = (await api('/api/v1/dicts/policy_type')).items
    for (const t of types) await page.getByTestId('policy-types').getByText(t.name, { exact: true }).waitFor()
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
