// Home pages that show real work (issue 10), in a real browser against the
// real server: the console 工作台 lists the join requests, the change
// request and the expiring qualification waiting, each with its link; a
// pending and a rejected enterprise get the same reduced menu; the bureau
// 工作台 shows its queues and the last 30 days of registrations (chart and
// table) from GET /api/v1/admin/dashboard, a district clerk only their
// district's; on the phone, 我的 → 切换企业 → 添加企业 adds an enterprise to
// the logged-in account without asking for a new phone or password.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openSuite, closeSuite } from './harness.mjs'
import {
  usccMaker, apiClient, userApi, cityStaff, staffAccount, registerEnterprise, userLogin, withPage, menuLabels, staffLogin, cst,
} from './console-setup.mjs'

let srv, browser
let staffCall
const newUscc = usccMaker('MA3D')
const CITY = { username: 'citydash', phone: '13900002001', name: '市局审核员', password: 'City#Dash2026' }
const TAIJIANG = { username: 'tjdash', phone: '13900002002', name: '台江审核员', password: 'Taijiang#Dash26', role: 'district', region: '350103' }

before(async () => {
  ;({ srv, browser } = await openSuite())
  staffCall = await cityStaff(srv, CITY)
})
after(() => closeSuite(srv, browser))

test('console 工作台: the work waiting, each with its link; pending and rejected firms get the same reduced menu', async () => {
  const boss = { name: '福州闽台贸易有限公司', person: '陈总', phone: '13800002001', password: 'Mintai#Boss26' }
  const joiner = { name: '福州新店商行', person: '王新', phone: '13800002002', password: 'Xindian#Join26' }
  const { me } = await registerEnterprise(srv, staffCall, { ...boss, uscc: newUscc() })
  const bossCall = await userApi(srv, boss)
  const bossUscc = (await bossCall('GET', '/api/v1/enterprise')).data.uscc
  // a qualification expiring in 20 days, and a name change waiting for the bureau
  const q = await bossCall('POST', '/api/v1/enterprise/qualifications', {
    name: '食品经营许可证', issuer: '福州市市场监督管理局', cert_no: 'JY13501020001', issued_on: cst(-700), expires_on: cst(20),
  })
  assert.equal(q.status, 201, JSON.stringify(q.data))
  assert.equal((await bossCall('PATCH', '/api/v1/enterprise', { name: '福州闽台国际贸易有限公司' })).status, 200)
  // someone with a pending firm of their own asks to join
  const { me: jme, call: joinCall } = await registerEnterprise(srv, staffCall, { ...joiner, uscc: newUscc() }, { approve: false })
  assert.equal((await joinCall('POST', '/api/v1/join-requests', { uscc: bossUscc })).status, 201)

  await withPage(browser, async (page) => {
    await userLogin(srv, page, boss.phone, boss.password)
    await page.waitForURL((u) => u.pathname === '/console')
    const list = page.getByTestId('todo-list')
    await list.getByText('1 个加入企业的申请待审核').waitFor()
    await list.getByText('企业信息变更正在等待商务局审核').waitFor()
    await list.getByText(`资质“食品经营许可证”将于 ${cst(20)} 到期`, { exact: false }).waitFor()
    assert.equal(await page.getByTestId('todo-empty').count(), 0)
    assert.ok(!(await page.locator('body').innerText()).includes('最新收到的政策'), 'no stand-in panel')
    await page.getByTestId('todo-link-join').click()
    await page.waitForURL((u) => u.pathname === '/console/enterprise/join-requests')
    await page.getByText(joiner.person).first().waitFor()
  })
  assert.ok(me.current_enterprise_id)

  // the joiner's own firm is pending, then rejected: one reduced menu for both
  // the 企业信息 group and its two entries; 消息中心 (group, 消息中心, 消息设置) stays open before approval
  const REDUCED = ['工作台', '企业信息', '企业信息', '注册信息', '消息中心', '消息中心', '消息设置']
  await withPage(browser, async (page) => {
    await userLogin(srv, page, joiner.phone, joiner.password)
    await page.waitForURL((u) => u.pathname === '/console')
    assert.deepEqual(await menuLabels(page), REDUCED)
    await page.getByTestId('todo-list').getByText('企业注册信息正在等待商务局审核').waitFor()
    await page.goto(srv.base + '/console/enterprise/staff')
    await page.getByTestId('forbidden').waitFor()

    const rej = await staffCall('POST', `/api/v1/admin/registrations/${jme.current_enterprise_id}/reject`, { reason: '营业执照照片不清晰' })
    assert.equal(rej.status, 200, JSON.stringify(rej.data))
    await page.goto(srv.base + '/console')
    await page.getByTestId('review-banner').getByText('已被商务局退回').waitFor()
    assert.deepEqual(await menuLabels(page), REDUCED)
    await page.getByTestId('todo-list').getByText('企业注册申请已被退回：营业执照照片不清晰').waitFor()
    await page.getByTestId('todo-link-registration').click()
    await page.waitForURL((u) => u.pathname === '/console/registration')
  })
})

test('bureau 工作台: queues and 30 days of registrations from the API; a district clerk sees their district', async () => {
  const tj = await staffAccount(srv, TAIJIANG)
  await registerEnterprise(srv, staffCall, { name: '福州台江鞋业有限公司', person: '许台', phone: '13800002003', password: 'Taijiang#Shoe26', region: '350103', uscc: newUscc() }, { approve: false })
  const city = (await staffCall('GET', '/api/v1/admin/dashboard')).data
  const mine = (await tj('GET', '/api/v1/admin/dashboard')).data
  assert.equal(mine.scope_region, '350103')
  assert.equal(mine.pending_registrations, 1) // the one 台江 firm above
  assert.ok(city.daily[29].count > mine.daily[29].count, 'the city counts every district')

  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    const num = async (key) => (await page.getByTestId(`dash-${key}`).locator('.card__num').innerText()).trim()
    await page.getByTestId('dash-pending-registrations').locator('.card__num', { hasText: /\d/ }).waitFor()
    assert.equal(await num('pending-registrations'), String(city.pending_registrations))
    assert.equal(await num('pending-changes'), String(city.pending_changes))
    assert.equal(await num('approved'), String(city.by_status.approved))
    await page.getByTestId('daily-chart').locator('canvas').waitFor()
    const today = city.daily[29]
    assert.ok(today.count > 0)
    await page.getByTestId('daily-table').locator('tr', { hasText: today.date }).getByText(String(today.count), { exact: true }).waitFor()
    const text = await page.locator('.el-main').innerText()
    for (const stale of ['数据库', '版本', '行业分类', '字典', '企业特性']) assert.ok(!text.includes(stale), `the dashboard shows ${stale}`)
    await page.getByTestId('dash-pending-changes').click()
    await page.waitForURL((u) => u.pathname === '/admin/enterprise-changes' && u.searchParams.get('status') === 'pending')
  })
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, TAIJIANG)
    await page.getByTestId('dash-scope').getByText('台江区').waitFor()
    await page.getByTestId('dash-pending-registrations').locator('.card__num', { hasText: String(mine.pending_registrations) }).waitFor()
    await page.getByTestId('daily-total').getByText(`共 ${mine.daily.reduce((n, d) => n + d.count, 0)} 家`).waitFor()
  })
})

test('mobile 我的 → 切换企业 → 添加企业 adds an enterprise to the logged-in account', async () => {
  const p = { name: '福州鼓岭茶业有限公司', person: '郑岭', phone: '13800002004', password: 'Guling#Tea2026' }
  await registerEnterprise(srv, staffCall, { ...p, uscc: newUscc() })
  const second = { name: '福州鼓岭民宿有限公司', uscc: newUscc() }
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/m/login')
    await page.getByRole('tab', { name: '密码登录' }).click()
    await page.getByPlaceholder('请输入注册时的手机号').fill(p.phone)
    await page.getByPlaceholder('请输入密码').fill(p.password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname === '/m/me')
    await page.getByTestId('m-switch').click()
    await page.locator('.van-action-sheet__item', { hasText: '添加企业' }).click()
    await page.waitForURL((u) => u.pathname === '/m/register')
    // adding, not registering: no phone code, no password, the account's contact filled in
    await page.getByRole('button', { name: '添加企业' }).waitFor()
    for (const ph of ['请输入短信验证码', '至少8位', '请再次输入密码']) assert.equal(await page.getByPlaceholder(ph).count(), 0, ph)
    assert.equal(await page.getByPlaceholder('联系人手机号').inputValue(), p.phone)
    assert.equal(await page.getByTestId('agree-checkbox').count(), 0)
    await page.getByPlaceholder('请输入企业名称').fill(second.name)
    await page.getByPlaceholder('请输入统一社会信用代码').fill(second.uscc)
    await page.getByPlaceholder('请选择企业注册地所在区域').click()
    await page.locator('.van-picker-column__item:visible', { hasText: '鼓楼区' }).click()
    await page.locator('.van-picker__confirm:visible').click()
    await page.getByPlaceholder('请选择行业分类').click()
    await page.locator('.van-cascader__option:visible', { hasText: '住宿和餐饮业' }).click()
    await page.locator('.van-cascader__option:visible', { hasText: '61 住宿业' }).click()
    await page.getByPlaceholder('请选择企业特性').click()
    await page.locator('.van-popup:visible .van-cell', { hasText: '民营企业' }).click()
    await page.locator('.van-popup:visible').getByText('确认').click()
    await page.getByPlaceholder('请选择企业规模').click()
    await page.locator('.van-picker-column__item:visible', { hasText: '小型' }).click()
    await page.locator('.van-picker__confirm:visible').click()
    await page.getByRole('button', { name: '添加企业' }).click()
    await page.getByTestId('register-done').getByText('已添加到您的账号').waitFor()
    await page.getByRole('button', { name: '查看审核进度' }).click()
    await page.waitForURL((u) => u.pathname === '/m/me')
    assert.equal((await page.getByTestId('m-enterprise-name').innerText()).trim(), second.name)
    assert.equal((await page.getByTestId('m-enterprise-status').innerText()).trim(), '待审核')
    await page.getByTestId('m-switch').click()
    await page.locator('.van-action-sheet__item', { hasText: p.name }).waitFor()
  }, { mobile: true })
  // one account, two enterprises
  const call = apiClient(srv)
  const me = (await call('POST', '/api/v1/auth/login', { phone: p.phone, password: p.password })).data
  assert.deepEqual(me.enterprises.map((e) => e.name).sort(), [p.name, second.name].sort())
})
