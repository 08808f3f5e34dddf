// 角色管理 (issue 10.1): a system administrator makes a role with two
// permissions and gives it to a new staff account; that account's bureau
// menu shows only those two entries (plus 工作台), another page's URL says
// 无权限, and the API answers 403 for it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openSuite, closeSuite } from './harness.mjs'
import { staffAccount, withPage as sharedWithPage, pickOption, staffLogin as sharedStaffLogin } from './console-setup.mjs'

let srv, browser
before(async () => { ({ srv, browser } = await openSuite()) })
after(() => closeSuite(srv, browser))
const withPage = (fn, opts) => sharedWithPage(browser, fn, opts)

const staffLogin = (page, who) => sharedStaffLogin(srv, page, who)

const menuLabels = async (page) => (await page.locator('.shell__menu .el-menu-item').allInnerTexts()).map((s) => s.trim()).filter(Boolean)

test('a role with two permissions: its holder sees those two menus and is refused the rest', async () => {
  const admin = { username: 'admin', password: 'Root#Harbor2026' }
  const call = await staffAccount(srv, { ...admin, phone: '13900000901', role: 'super', name: '系统管理员' })

  let otp = ''
  await withPage(async (page) => {
    await staffLogin(page, admin)
    assert.ok((await menuLabels(page)).includes('角色管理'))
    await page.locator('.shell__menu').getByText('角色管理').click()
    await page.waitForURL((u) => u.pathname === '/admin/roles')
    await page.getByTestId('role-table').getByText('审计员').waitFor()
    await page.getByTestId('add-role').click()
    await page.getByTestId('role-submit').click()
    await page.getByText('请输入角色名称').waitFor() // checked before sending
    await page.getByTestId('role-name').fill('邀请与审计')
    await page.getByTestId('perm-invite.manage').click()
    await page.getByTestId('perm-audit.view').click()
    await page.getByTestId('role-submit').click()
    const row = page.getByTestId('role-table').locator('tr', { hasText: '邀请与审计' })
    await row.getByText('管理邀请链接').waitFor()
    await row.getByText('查看审计日志').waitFor()

    await page.locator('.shell__menu').getByText('人员管理').click()
    await page.waitForURL((u) => u.pathname === '/admin/staff')
    await page.getByTestId('create-staff').click()
    await page.getByTestId('staff-username').fill('inviter')
    await page.getByTestId('staff-name').fill('邀请专员')
    await page.getByTestId('staff-phone').fill('13900000902')
    await page.getByTestId('staff-scope-kind').getByText('全市').click()
    // the preset 区级业务员 off, the new role on
    await pickOption(page, 'staff-roles', '区级业务员')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '邀请与审计' }).first().click()
    await page.keyboard.press('Escape')
    await page.getByTestId('staff-submit').click()
    await page.getByTestId('otp-dialog').waitFor()
    otp = (await page.getByTestId('one-time-password').innerText()).trim()
    await page.getByTestId('otp-close').click()
    const srow = page.getByTestId('staff-table').locator('tr', { hasText: 'inviter' })
    await srow.getByText('邀请与审计').waitFor()
    assert.equal(await srow.getByText('区级业务员').count(), 0)
  })

  await withPage(async (page) => {
    await staffLogin(page, { username: 'inviter', password: 'Yao-Qing#Audit26', otp })
    assert.deepEqual(await menuLabels(page), ['工作台', '邀请链接', '审计日志'])
    await page.locator('.shell__menu').getByText('审计日志').click()
    await page.waitForURL((u) => u.pathname === '/admin/audit')
    await page.locator('.shell__menu').getByText('邀请链接').click()
    await page.waitForURL((u) => u.pathname === '/admin/invites')
    for (const p of ['/admin/registrations', '/admin/enterprises', '/admin/staff', '/admin/roles', '/admin/dicts']) {
      await page.goto(srv.base + p)
      await page.getByTestId('forbidden').getByText('无权限访问该页面').waitFor()
    }
    // and the server refuses the same, whatever the page shows
    const refused = await page.evaluate(async () => {
      const r = await fetch('/api/v1/admin/registrations')
      return { status: r.status, body: await r.json() }
    })
    assert.equal(refused.status, 403)
    assert.equal(refused.body.error.code, 'forbidden')
    assert.match(refused.body.error.message, /审核企业注册/)
  }, { allow: [{ status: 403, path: /^\/api\/v1\/admin\/registrations$/ }] })
})
