// Notifications (issue 11) in a real browser against the real server: the
// console's 消息中心 with the unread badge in the header and 消息设置; the
// bureau's 发送记录 (status counts, chart, failed deliveries with their
// reason, filters) and 消息模板 (edited with checks as you type); the
// mobile 服务通知 and 我的 → 微信订阅设置 (增加提醒次数, on/off). Messages and
// deliveries are put in the database as the notify module writes them (the
// publishing modules that call it have their own tests); every change made
// on screen is checked through the API.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openSuite, closeSuite } from './harness.mjs'
import {
  usccMaker, userApi, cityStaff, registerEnterprise, withPage, userLogin, staffLogin, goMenu, toast, execSql,
} from './console-setup.mjs'

let srv, browser
let staffCall
let firm
const newUscc = usccMaker('MA3N')
const staff = { username: 'citynotify', phone: '13900005001', name: '市局消息管理员', password: 'City#Notify2026' }

before(async () => {
  ;({ srv, browser } = await openSuite())
  staffCall = await cityStaff(srv, staff)
  firm = { name: '福州仓山测试外贸有限公司', person: '陈经理', phone: '13800005001', password: 'Cangshan#2026', uscc: newUscc(), region: '350104' }
  const { me } = await registerEnterprise(srv, staffCall, firm)
  firm.userId = me.user.id
  firm.entId = me.current_enterprise_id
  const now = Math.floor(Date.now() / 1000)
  for (const [ref, title] of [[1, '新政策：外贸稳增长十条'], [2, '新政策：跨境电商扶持办法']]) {
    execSql(srv, `INSERT INTO message(account_kind, account_id, enterprise_id, topic, template_code, ref_type, ref_id, title, body, link, created_at)
      VALUES ('user', ${firm.userId}, ${firm.entId}, 'policy', 'policy.published', 'policy', ${ref}, '${title}', '您的企业收到一条新政策《${title.slice(4)}》，请及时查看。', '', ${now - ref})`)
  }
  execSql(srv, `INSERT INTO notify_outbox(channel, account_kind, account_id, enterprise_id, region, topic, template_code, ref_type, ref_id, body, status, attempts, next_at, last_error, created_at, sent_at)
    VALUES ('sms', 'user', ${firm.userId}, ${firm.entId}, '350104', 'policy', 'policy.published', 'policy', 1, '【政企互动平台】新政策', 'sent', 1, 0, '', ${now}, ${now}),
           ('sms', 'user', ${firm.userId}, ${firm.entId}, '350104', 'policy', 'policy.published', 'policy', 2, '【政企互动平台】新政策', 'failed', 5, 0, 'the gateway answered HTTP 500', ${now}, 0)`)
})
after(() => closeSuite(srv, browser))

test('console: the badge counts unread messages, 消息中心 reads them, 消息设置 saves the channels', async () => {
  await withPage(browser, async (page) => {
    await userLogin(srv, page, firm.phone, firm.password)
    await page.waitForURL((u) => u.pathname.startsWith('/console'))
    const badge = page.getByTestId('unread-badge').locator('sup')
    await assert.doesNotReject(badge.filter({ hasText: '2' }).waitFor())
    await page.getByTestId('message-bell').click()
    await page.getByTestId('page-title').filter({ hasText: '消息中心' }).waitFor()
    const items = page.getByTestId('message-item')
    await items.first().waitFor()
    assert.equal(await items.count(), 2)
    assert.match(await items.first().innerText(), /跨境电商扶持办法/)
    await items.first().click()
    await badge.filter({ hasText: '1' }).waitFor()
    await page.getByRole('tab', { name: /未读/ }).click()
    await page.getByTestId('message-title').filter({ hasText: '外贸稳增长十条' }).waitFor()
    assert.equal(await page.getByTestId('message-item').count(), 1)

    await goMenu(page, '消息中心', '消息设置')
    await page.getByTestId('page-title').filter({ hasText: '消息设置' }).waitFor()
    const save = page.getByTestId('save-settings')
    assert.equal(await save.isDisabled(), true)
    await page.getByTestId('sms-policy').click()
    await save.click()
    await toast(page, /消息设置已保存/)
  })
  const call = await userApi(srv, firm)
  const s = await call('GET', '/api/v1/me/notify-settings')
  assert.equal(s.data.topics.find((t) => t.topic === 'policy').sms, true)
  assert.equal((await call('GET', '/api/v1/messages/unread-count')).data.count, 1)
})

test('bureau: 发送记录 shows counts, the chart and failures with their reason; 消息模板 edits with checks', async () => {
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, staff)
    await goMenu(page, null, '发送记录')
    await page.getByTestId('page-title').filter({ hasText: '发送记录' }).waitFor()
    await page.getByTestId('count-failed').filter({ hasText: '1' }).waitFor()
    await page.getByTestId('delivery-chart').locator('canvas').waitFor()
    await page.getByTestId('delivery-error').filter({ hasText: 'the gateway answered HTTP 500' }).waitFor()
    assert.equal(await page.getByTestId('delivery-table').locator('tbody tr').count(), 2)
    const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/admin/deliveries') && r.url().includes('status=failed'))
    await page.getByTestId('count-failed').click()
    await filtered
    await page.getByTestId('delivery-table').locator('tbody tr').first().waitFor()
    assert.equal(await page.getByTestId('delivery-table').locator('tbody tr').count(), 1)

    await goMenu(page, null, '消息模板')
    await page.getByTestId('edit-policy.published').click()
    const title = page.getByTestId('tpl-title')
    await title.fill('')
    await title.blur()
    await page.getByText('请填写消息标题').waitFor()
    await page.getByTestId('tpl-wechat-id').fill('bad id!')
    await page.getByText('只能包含字母、数字、下划线和连字符').waitFor()
    await page.getByTestId('tpl-wechat-id').fill('POLICY_PUSH')
    await title.fill('政策速递：{title}')
    await page.getByTestId('tpl-preview').filter({ hasText: '政策速递：关于支持外贸企业稳订单拓市场的若干措施' }).waitFor()
    await page.getByTestId('tpl-save').click()
    await toast(page, /模板已保存/)
  })
  const t = (await staffCall('GET', '/api/v1/admin/message-templates')).data.items.find((x) => x.code === 'policy.published')
  assert.equal(t.title, '政策速递：{title}')
})

test('mobile: 服务通知 marks read; 微信订阅设置 adds a reminder and switches a template off', async () => {
  execSql(srv, `INSERT INTO wechat_binding(user_id, openid, created_at) VALUES (${firm.userId}, 'o-browser-test', 0)`)
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/m/login')
    await page.getByPlaceholder('请输入注册时的手机号').fill(firm.phone)
    await page.getByPlaceholder('请输入密码').fill(firm.password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname === '/m/me')
    await page.getByTestId('m-messages-link').filter({ hasText: '1 条未读' }).waitFor()
    await page.getByTestId('m-messages-link').click()
    const msg = page.getByTestId('m-message').first()
    await msg.waitFor()
    assert.match(await msg.innerText(), /外贸稳增长十条/)
    await msg.click()
    await page.getByRole('tab', { name: '全部' }).click()
    await page.getByTestId('m-message').nth(1).waitFor()
    assert.equal(await page.locator('[data-testid="m-message"] .dot').count(), 0)
    await page.goto(srv.base + '/m/wechat')
    await page.getByTestId('m-wechat-bound').filter({ hasText: '已绑定微信' }).waitFor()
    const policy = page.getByTestId('m-wechat-template').filter({ hasText: '政策推送' })
    await policy.getByTestId('m-wechat-remaining').filter({ hasText: '0' }).waitFor()
    await page.getByTestId('m-wechat-add-policy.published').click()
    await policy.getByTestId('m-wechat-remaining').filter({ hasText: '1' }).waitFor()
    const switched = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/wechat-grants') && r.request().method() === 'PUT')
    await page.getByTestId('m-wechat-switch-policy.published').click()
    await switched
  }, { mobile: true })
  const call = await userApi(srv, firm)
  const g = (await call('GET', '/api/v1/me/wechat-grants')).data.items.find((x) => x.template_code === 'policy.published')
  assert.equal(g.remaining, 1)
  assert.equal(g.enabled, false)
  assert.equal((await call('GET', '/api/v1/messages/unread-count')).data.count, 0)
})
