// Shared set-up of the browser tests: a cookie-jar API client (and one
// already logged in), an approved enterprise made through the API (register
// → the city bureau approves), staff accounts, login helpers, the
// run-a-page wrapper that fails on unexpected errors, and small fixtures
// (dates in China time, SQL on the test database).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { newPage, nextSmsCode, smsCodes, createStaff, PLACEHOLDER_WORDS } from './harness.mjs'
import { usccCheckChar } from '../../web/src/utils/validators.js'

/** A fresh valid USCC; `prefix` keeps the files' numbers apart. */
export function usccMaker(prefix) {
  let seq = 0
  return () => {
    seq += 1
    const body = `91350100${prefix}${String(seq).padStart(5, '0')}`.slice(0, 17)
    return body + usccCheckChar(body)
  }
}

/** JSON calls from node with one session's cookie and CSRF token. */
export function apiClient(srv) {
  let cookie = ''
  let csrf = ''
  async function call(method, p, body) {
    const headers = { Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (cookie) headers.Cookie = cookie
    if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf
    const r = await fetch(srv.base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const set = r.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0]
    const text = r.status === 204 ? '' : await r.text()
    const data = text ? JSON.parse(text) : null
    if (data && data.csrf_token) csrf = data.csrf_token
    return { status: r.status, data }
  }
  call.cookie = () => cookie // for raw fetch() calls (downloads) in the same session
  return call
}

/** A staff account (city unless spec.role says otherwise) whose one-time password is already changed. */
export async function staffAccount(srv, spec) {
  const otp = createStaff(srv, { role: 'city', ...spec })
  const call = apiClient(srv)
  assert.equal((await call('POST', '/api/v1/admin/auth/login', { username: spec.username, password: otp })).status, 200)
  assert.equal((await call('POST', '/api/v1/auth/password', { old_password: otp, new_password: spec.password })).status, 200)
  return call
}
export const cityStaff = (srv, spec) => staffAccount(srv, { ...spec, role: 'city' })

/**
 * Logs a staff member in on /admin/login and waits for the 工作台. With
 * `otp` (a fresh account's one-time password) the forced password change is
 * done through the UI, `password` becoming the new one; `onForced(page)` runs
 * on that page before it is filled (a screenshot, say).
 */
export async function staffLogin(srv, page, { username, password, otp }, { onForced } = {}) {
  await page.goto(srv.base + '/admin/login')
  await page.getByPlaceholder('请输入用户名').fill(username)
  await page.getByPlaceholder('请输入密码').fill(otp || password)
  await page.getByRole('button', { name: '登 录' }).click()
  if (otp) {
    await page.waitForURL((u) => u.pathname === '/admin/password')
    await page.getByTestId('forced-note').waitFor()
    if (onForced) await onForced(page)
    await page.getByPlaceholder('请输入一次性密码').fill(otp)
    await page.getByPlaceholder('至少8位').fill(password)
    await page.getByPlaceholder('请再次输入新密码').fill(password)
    await page.getByRole('button', { name: '确认修改' }).click()
  }
  await page.waitForURL((u) => u.pathname === '/admin')
  await page.getByTestId('page-title').filter({ hasText: '工作台' }).waitFor()
}

/** An API session logged in at `loginPath` with `body` (the login must succeed). */
export async function loggedInApi(srv, loginPath, body) {
  const call = apiClient(srv)
  const r = await call('POST', loginPath, body)
  assert.equal(r.status, 200, JSON.stringify(r.data))
  return call
}
/** An enterprise user's API session. */
export const userApi = (srv, { phone, password }) => loggedInApi(srv, '/api/v1/auth/login', { phone, password })
/** A staff member's API session (the one-time password already changed). */
export const staffApi = (srv, { username, password }) => loggedInApi(srv, '/api/v1/admin/auth/login', { username, password })

/** The current 用户协议/隐私政策 versions, as `agree` of a registration. */
export async function currentVersions(srv) {
  const call = apiClient(srv)
  const t = await call('GET', '/api/v1/legal/terms')
  const p = await call('GET', '/api/v1/legal/privacy')
  return { terms_version: t.data.version, privacy_version: p.data.version }
}

/**
 * Registers an enterprise through the API and, unless approve is false, has
 * `staffCall` approve it. Resolves with the registration's me answer and the
 * applicant's API session. The applicant is the legal rep unless
 * f.legalRep = { name, phone } names another (who gets an account on
 * approval). The industry (default '13'), characteristics (['private']) and
 * scale ('small') may be given in f.
 */
export async function registerEnterprise(srv, staffCall, f, { approve = true } = {}) {
  const call = apiClient(srv)
  const seen = smsCodes(srv, f.phone)
  assert.equal((await call('POST', '/api/v1/sms/send', { phone: f.phone, purpose: 'register' })).status, 200)
  const code = await nextSmsCode(srv, f.phone, seen)
  const agree = await currentVersions(srv)
  const applicant = f.legalRep
    ? { applicant_role: 'staff', legal_rep_name: f.legalRep.name, legal_rep_phone: f.legalRep.phone }
    : { applicant_role: 'legal_rep' }
  const r = await call('POST', '/api/v1/register', {
    name: f.name, uscc: f.uscc, ...applicant, contact_name: f.person, contact_phone: f.phone,
    sms_code: code, password: f.password, region: f.region || '350102', industry: f.industry || '13',
    characteristics: f.characteristics || ['private'], scale: f.scale || 'small', agree,
  })
  assert.equal(r.status, 201, JSON.stringify(r.data))
  if (approve) {
    const a = await staffCall('POST', `/api/v1/admin/registrations/${r.data.current_enterprise_id}/approve`, {})
    assert.equal(a.status, 200, JSON.stringify(a.data))
  }
  return { me: r.data, call }
}

export async function userLogin(srv, page, phone, password) {
  await page.goto(srv.base + '/login')
  await page.getByPlaceholder('请输入注册时的手机号').fill(phone)
  await page.getByPlaceholder('请输入密码').fill(password)
  await page.getByRole('button', { name: '登 录' }).click()
}

/**
 * Runs fn(page, context, loaded) with a fresh browser context (`loaded`: the
 * URLs the page requested so far); fails on any unexpected problem.
 */
export async function withPage(browser, fn, opts) {
  const { context, page, problems } = await newPage(browser, opts)
  const loaded = []
  page.on('request', (r) => loaded.push(r.url()))
  try {
    await fn(page, context, loaded)
    await page.waitForLoadState('networkidle')
    assert.doesNotMatch(await page.locator('body').innerText(), PLACEHOLDER_WORDS, 'placeholder wording on the page')
  } finally {
    await context.close()
  }
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests')
}

/**
 * On a phone neither the page nor a console's main pane scrolls sideways.
 * The page is measured against the screen's width, not innerWidth: a
 * mobile emulation widens the layout viewport (innerWidth) to whatever
 * overflows, so scrollWidth <= innerWidth would always hold there.
 */
export async function assertFitsScreen(page, where) {
  const width = page.viewportSize().width
  const m = await page.evaluate(() => {
    const main = document.querySelector('.el-main')
    return {
      page: document.scrollingElement.scrollWidth, vw: innerWidth,
      main: main ? main.scrollWidth : 0, mainBox: main ? main.clientWidth : 0,
    }
  })
  assert.ok(m.page <= width && m.vw <= width, `${where}: the page is ${m.page} px wide (window ${m.vw} px) on a ${width} px screen`)
  assert.ok(m.main <= m.mainBox, `${where}: the main pane's content is ${m.main} px wide in ${m.mainBox} px`)
}

/** The labels of the console's side menu, groups and entries (closed groups included). */
export async function menuLabels(page) {
  await page.locator('.shell__menu').waitFor()
  const texts = await page.locator('.shell__menu .el-menu-item, .shell__menu .el-sub-menu__title').allTextContents()
  return texts.map((s) => s.trim()).filter(Boolean)
}

/** Picks an option of the el-select whose data-testid is testId. */
export async function pickOption(page, testId, text) {
  await page.getByTestId(testId).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

async function pickIndustry(page, section, division) {
  await page.getByPlaceholder('请选择行业分类').click()
  await page.locator('.el-cascader-node:visible', { hasText: section }).first().click()
  await page.locator('.el-cascader-node:visible', { hasText: division }).first().click()
}
async function pickCharacteristics(page, names) {
  await page.getByTestId('characteristics-select').click()
  for (const n of names) await page.locator('.el-select-dropdown__item:visible', { hasText: n }).first().click()
  await page.keyboard.press('Escape')
}

/**
 * Fills the desktop enterprise form (EnterpriseForm.vue). With `phone` the
 * account part is filled too: the SMS button is clicked and the code read
 * from the outbox. `region` null leaves the district as it is (invite).
 */
export async function fillEnterpriseForm(srv, page, f) {
  await page.getByPlaceholder('请输入企业名称').fill(f.name)
  await page.getByPlaceholder('请输入企业统一社会信用代码').fill(f.uscc)
  if (f.person) await page.getByPlaceholder('请输入姓名').fill(f.person)
  if (f.phone) {
    await page.getByPlaceholder('请输入联系电话').fill(f.phone)
    const seen = smsCodes(srv, f.phone)
    await page.getByRole('button', { name: '获取短信验证码' }).click()
    await page.getByText(/\d+ 秒后重新获取/).waitFor() // the 60 s countdown runs
    await page.getByPlaceholder('请输入短信验证码').fill(await nextSmsCode(srv, f.phone, seen))
    await page.getByPlaceholder('至少8位').fill(f.password)
    await page.getByPlaceholder('请再次输入密码').fill(f.password)
  }
  if (f.region) await pickOption(page, 'region-select', f.region)
  await pickIndustry(page, '制造业', '13 农副食品加工业')
  await pickCharacteristics(page, ['民营企业'])
  await pickOption(page, 'scale-select', '小型')
  await page.getByPlaceholder('请输入企业注册资本/万').fill('500.5')
}

/** Waits for an Element Plus toast whose text matches re. */
export async function toast(page, re) {
  await page.locator('.el-message', { hasText: re }).first().waitFor()
}

/** Clicks a side-menu entry, opening its group first when it has one. */
export async function goMenu(page, group, entry) {
  const menu = page.locator('.shell__menu')
  const item = menu.locator('.el-menu-item', { hasText: entry }).first()
  if (group && !(await item.isVisible())) await menu.locator('.el-sub-menu__title', { hasText: group }).first().click()
  await item.click()
}

/**
 * Moves the SMS codes already sent to phone two minutes into the past, so a
 * test can ask for the next code without waiting out the 60 s resend gap
 * (src/sms/sms.c) that the registration code just started.
 */
export function ageSmsCodes(srv, phone) {
  execSql(srv, `UPDATE sms_code SET created_at = created_at - 120 WHERE phone = '${phone.replace(/\D/g, '')}'`)
}

/**
 * Runs one SQL statement on the test server's SQLite file (what a test cannot
 * wait for, e.g. seven days; fixtures the API has no call for); answers what
 * sqlite3 printed, trimmed.
 */
export function execSql(srv, sql) {
  return execFileSync('sqlite3', [srv.dbUrl.replace(/^sqlite:/, ''), sql], { encoding: 'utf8' }).trim()
}

/** The date `days` from today in China time (UTC+8), YYYY-MM-DD. */
export const cst = (days) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)
