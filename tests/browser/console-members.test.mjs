// Employees, roles and join requests (issue 4, manual 9.2–9.3; invitations
// of issue 9) in a real browser against the real server: the legal rep
// defines a role with two permissions and adds an employee with it, who is
// listed as 已邀请 until they log in and accept the invitation from the
// console banner; the list then shows the member row, and the employee,
// switched to that enterprise, sees only what the role allows while a
// direct link to 员工管理 says 无权限. Roles are created, edited and refused
// deletion through the checkboxes dialog; a join request is approved with a
// role. (The invitee is an existing account with its own password, so the
// test does not depend on the first-login flow of a new 888888 account.)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { smsCodes, nextSmsCode, openSuite, closeSuite } from './harness.mjs'
import {
  usccMaker, userApi, cityStaff, registerEnterprise, userLogin, withPage, menuLabels, pickOption, toast, goMenu, ageSmsCodes, execSql,
} from './console-setup.mjs'

let srv, browser
let staffCall
const newUscc = usccMaker('MA3M')

before(async () => {
  ;({ srv, browser } = await openSuite())
  staffCall = await cityStaff(srv, { username: 'citym', phone: '13900001001', name: '市局审核员', password: 'City#Members26' })
})
after(() => closeSuite(srv, browser))

/** The legal rep's API session of a freshly approved enterprise. */
async function approvedEnterprise(f) {
  const { me } = await registerEnterprise(srv, staffCall, { ...f, uscc: newUscc() })
  const call = await userApi(srv, f)
  return { me, call }
}

/** An existing account: the legal rep of a pending firm of their own; returns its API session. */
async function existingAccount(p) {
  const { call } = await registerEnterprise(srv, staffCall, { ...p, uscc: newUscc() }, { approve: false })
  return call
}

/** `call`'s enterprise invites person p (an existing account, own = their session) with roleId; p accepts. */
async function inviteAndAccept(call, own, p, roleId) {
  const inv = await call('POST', '/api/v1/enterprise/employees', { name: p.person, phone: p.phone, role_id: roleId })
  assert.equal(inv.status, 201, JSON.stringify(inv.data))
  const acc = await own('POST', `/api/v1/me/invitations/${inv.data.id}/accept`, {})
  assert.equal(acc.status, 200, JSON.stringify(acc.data))
}

async function createRoleInDialog(page, name, perms) {
  await page.getByTestId('add-role').click()
  const dlg = page.getByTestId('role-dialog')
  await dlg.getByPlaceholder('请输入角色名称').fill(name)
  for (const p of perms) {
    await dlg.getByTestId('perm-checkboxes').getByText(p, { exact: true }).click()
    await dlg.locator('.el-checkbox.is-checked', { hasText: p }).waitFor()
  }
  await dlg.getByTestId('role-submit').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.getByTestId('role-table').getByText(name, { exact: true }).waitFor()
}

test('an invited employee is 已邀请 until they accept in the console; then a member who sees only what the role allows', async () => {
  const boss = { name: '福州闽都外贸有限公司', person: '林总', phone: '13800001001', password: 'Mindu#Boss2026' }
  const { call } = await approvedEnterprise(boss)
  const worker = { name: '郑小红商行', person: '郑小红', phone: '13800001002', password: 'Zheng#Worker26' }
  await existingAccount(worker)

  await withPage(browser, async (page) => {
    await userLogin(srv, page, boss.phone, boss.password)
    await page.waitForURL((u) => u.pathname === '/console')
    // the legal rep sees every entry
    const all = await menuLabels(page)
    for (const l of ['工作台', '企业信息', '注册信息', '员工管理', '角色管理', '加入申请', '我的政策', '政策订阅', '我收到的政策']) assert.ok(all.includes(l), `legal rep menu lacks ${l}`)
    // issue 14: the questionnaires work
    for (const l of ['问卷调查']) assert.ok(all.includes(l), `legal rep menu lacks ${l}`)
    // issue 12: the trade forecasts work
    for (const l of ['外贸数据监测', '出口预测上报', '进口预测上报']) assert.ok(all.includes(l), `legal rep menu lacks ${l}`)

    await goMenu(page, '企业信息', '角色管理')
    await page.waitForURL((u) => u.pathname === '/console/enterprise/roles')
    await createRoleInDialog(page, '外贸填报员', ['查看政策', '外贸数据上报'])

    await goMenu(page, '企业信息', '员工管理')
    await page.waitForURL((u) => u.pathname === '/console/enterprise/staff')
    await page.getByTestId('add-employee').click()
    const dlg = page.getByTestId('add-dialog')
    // checks as you type
    await dlg.getByPlaceholder('员工的手机号').fill('1380000')
    await dlg.getByPlaceholder('请输入员工姓名').click()
    await dlg.getByText('请输入正确的11位手机号码').waitFor()
    await dlg.getByPlaceholder('员工的手机号').fill(worker.phone)
    await dlg.getByPlaceholder('请输入员工姓名').fill(worker.person)
    await pickOption(page, 'add-role', '外贸填报员')
    await dlg.getByTestId('add-submit').click()
    // the same words whether or not the phone had an account: no name, no hint
    await toast(page, /已向“郑小红”（138\*\*\*\*1002）发出邀请/)
    const invRow = page.getByTestId('invitation-table').locator('tr', { hasText: worker.person })
    await invRow.getByText('已邀请').waitFor()
    await invRow.getByText('外贸填报员').waitFor()
    await invRow.getByText('138****1002').waitFor()
    assert.equal(await page.getByTestId('employee-table').locator('tr', { hasText: worker.person }).count(), 0, 'not a member before accepting')
    // a second invitation of the same phone is a clear conflict
    await page.getByTestId('add-employee').click()
    await dlg.getByPlaceholder('员工的手机号').fill(worker.phone)
    await dlg.getByPlaceholder('请输入员工姓名').fill(worker.person)
    await pickOption(page, 'add-role', '外贸填报员')
    await dlg.getByTestId('add-submit').click()
    await dlg.getByTestId('server-error').getByText(/已邀请该手机号/).waitFor()
    await dlg.getByRole('button', { name: '取消' }).click()

    // the employee logs in with their own password and accepts from the banner
    await withPage(browser, async (wp) => {
      await userLogin(srv, wp, worker.phone, worker.password)
      await wp.waitForURL((u) => u.pathname === '/console')
      const banner = wp.getByTestId('invitation-banner')
      await banner.getByText(boss.name).waitFor()
      await banner.getByText(/角色为“外贸填报员”/).waitFor()
      assert.equal((await wp.getByTestId('switcher-invitations').innerText()).trim(), '1')
      await banner.getByTestId('invitation-accept').click()
      await toast(wp, new RegExp(`您已加入“${boss.name}”`))
      await banner.waitFor({ state: 'hidden' })
      // the enterprise is in the switcher now; switch to it
      await wp.getByTestId('enterprise-switcher').click()
      await wp.getByTestId('enterprise-option').filter({ hasText: boss.name }).click()
      await toast(wp, new RegExp(`已切换到“${boss.name}”`))
      await wp.getByTestId('current-enterprise').getByText(boss.name).waitFor()

      const labels = await menuLabels(wp)
      for (const l of ['工作台', '企业信息', '注册信息']) {
        assert.ok(labels.includes(l), `employee menu lacks ${l}: ${labels}`)
      }
      for (const l of ['员工管理', '角色管理', '加入申请']) {
        assert.ok(!labels.includes(l), `employee menu shows ${l}`)
      }
      // a direct link to a page the role does not allow
      await wp.goto(srv.base + '/console/enterprise/staff')
      await wp.getByTestId('forbidden').waitFor()
      assert.match(await wp.getByTestId('forbidden').innerText(), /无权限/)
      await wp.goto(srv.base + '/console/enterprise/roles')
      await wp.getByTestId('forbidden').waitFor()
      // allowed pages open
      await wp.goto(srv.base + '/console/enterprise/info')
      await wp.waitForURL((u) => u.pathname === '/console/enterprise/info')
      assert.equal(await wp.getByTestId('forbidden').count(), 0)
    })

    // back on the legal rep's page: 已邀请 has turned into the member row
    await page.reload()
    const memberRow = page.getByTestId('employee-table').locator('tr', { hasText: worker.person })
    await memberRow.getByText('外贸填报员').waitFor()
    await memberRow.getByText('正常').waitFor()
    await page.getByTestId('employee-table').locator('tr', { hasText: boss.person }).waitFor()
    assert.equal(await page.getByTestId('invitation-section').count(), 0, 'no open invitation left')
  }, { allow: [{ status: 409, path: /^\/api\/v1\/enterprise\/employees$/ }] })

  const emps = await call('GET', '/api/v1/enterprise/employees')
  assert.equal(emps.data.items.find((e) => e.name === worker.person).role.name, '外贸填报员')
  // the server agrees: the employee's session gets 403 on 员工管理
  const w = await userApi(srv, worker)
  const me = (await w('GET', '/api/v1/auth/me')).data
  const ent = me.enterprises.find((e) => e.name === boss.name)
  assert.equal((await w('POST', '/api/v1/auth/switch', { enterprise_id: ent.id })).status, 200)
  assert.equal((await w('GET', '/api/v1/enterprise/employees')).status, 403)
})

test('the legal rep revokes and re-sends invitations; an expired one is invited again in place', async () => {
  const boss = { name: '福州马尾船舶配件有限公司', person: '严总', phone: '13800001401', password: 'Mawei#Boss2026' }
  const { call } = await approvedEnterprise(boss)
  const roles = (await call('GET', '/api/v1/enterprise/role-options')).data.items
  const ro = roles.find((r) => r.name === '只读')
  const a = await call('POST', '/api/v1/enterprise/employees', { name: '严甲', phone: '13800001402', role_id: ro.id })
  const b = await call('POST', '/api/v1/enterprise/employees', { name: '严乙', phone: '13800001403', role_id: ro.id })
  assert.equal(a.status, 201)
  assert.equal(b.status, 201)
  // seven days later for 严乙 (the test cannot wait): an expired invitation
  execSql(srv, `UPDATE member_invitation SET expires_at = 1, notified_at = 1 WHERE id = ${b.data.id}`)

  await withPage(browser, async (page) => {
    await userLogin(srv, page, boss.phone, boss.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await goMenu(page, '企业信息', '员工管理')
    const table = page.getByTestId('invitation-table')
    const rowA = table.locator('tr', { hasText: '严甲' })
    const rowB = table.locator('tr', { hasText: '严乙' })
    await rowA.getByText('已邀请').waitFor()
    await rowB.getByText('已过期').waitFor()
    // an expired one: 重新邀请 renews it
    await rowB.getByTestId('invitation-resend').getByText('重新邀请').click()
    await toast(page, /已重新邀请“严乙”/)
    await rowB.getByText('已邀请').waitFor()
    // a fresh one: re-sending at once is refused (one SMS a minute)
    await rowA.getByTestId('invitation-resend').click()
    await toast(page, /短信刚刚发送过/)
    // revoke
    await rowA.getByTestId('invitation-revoke').click()
    await page.locator('.el-message-box').getByRole('button', { name: '撤销' }).click()
    await toast(page, /已撤销对“严甲”的邀请/)
    await rowA.waitFor({ state: 'detached' })
  }, { allow: [{ status: 429, path: /^\/api\/v1\/enterprise\/invitations\/\d+\/resend$/ }] })

  const open = (await call('GET', '/api/v1/enterprise/invitations')).data.items
  assert.deepEqual(open.map((i) => [i.name, i.status]), [['严乙', 'pending']])
})

test('roles: create, edit the checkboxes, validation, refused deletions show the server message', async () => {
  const boss = { name: '福州鼓山茶业有限公司', person: '吴总', phone: '13800001101', password: 'Gushan#Boss2026' }
  const { call } = await approvedEnterprise(boss)
  await withPage(browser, async (page) => {
    await userLogin(srv, page, boss.phone, boss.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await page.goto(srv.base + '/console/enterprise/roles')
    const table = page.getByTestId('role-table')
    for (const d of ['管理员', '业务员', '只读']) await table.getByText(d, { exact: true }).waitFor()

    // empty name is refused as you type; a duplicate before the request
    await page.getByTestId('add-role').click()
    const dlg = page.getByTestId('role-dialog')
    await dlg.getByTestId('role-submit').click()
    await dlg.getByText('请输入角色名称').waitFor()
    await dlg.getByPlaceholder('请输入角色名称').fill('只读')
    await dlg.getByText('已有同名角色').waitFor()
    await dlg.getByRole('button', { name: '取消' }).click()

    await createRoleInDialog(page, '问卷专员', ['查看政策', '问卷填写', '咨询建议'])
    const row = table.locator('tr', { hasText: '问卷专员' })
    await row.getByText('咨询建议').waitFor()

    // edit: untick 咨询建议, rename
    await row.getByTestId('edit-role').click()
    const ticked = dlg.locator('.el-checkbox.is-checked', { hasText: '咨询建议' })
    await ticked.waitFor() // the dialog holds the role's ticks
    await dlg.getByTestId('perm-checkboxes').getByText('咨询建议', { exact: true }).click()
    await ticked.waitFor({ state: 'detached' })
    await dlg.getByPlaceholder('请输入角色名称').fill('问卷填报员')
    await dlg.getByTestId('role-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    const edited = table.locator('tr', { hasText: '问卷填报员' })
    await edited.getByText('问卷填写').waitFor()
    // the row may show the previous ticks until the list's reload lands
    await edited.getByText('咨询建议').waitFor({ state: 'detached' })
    assert.equal(await edited.getByText('咨询建议').count(), 0)

    // a default role cannot be deleted: the server says so
    await table.locator('tr', { hasText: '业务员' }).getByTestId('delete-role').click()
    await page.locator('.el-message-box').getByRole('button', { name: '删除' }).click()
    await toast(page, /默认/)
    await table.getByText('业务员', { exact: true }).waitFor()

    // a custom role nobody holds is deleted
    await edited.getByTestId('delete-role').click()
    await page.locator('.el-message-box').getByRole('button', { name: '删除' }).click()
    await table.getByText('问卷填报员', { exact: true }).waitFor({ state: 'detached' })
  }, { allow: [{ status: 409, path: /^\/api\/v1\/enterprise\/roles\/\d+$/ }] })

  const roles = (await call('GET', '/api/v1/enterprise/roles')).data.items.map((r) => r.name).sort()
  assert.deepEqual(roles, ['业务员', '只读', '管理员'].sort())
})

test('a join request is approved with a role from the console', async () => {
  const boss = { name: '福州仓山电子有限公司', person: '黄总', phone: '13800001201', password: 'Cangshan#Boss26' }
  const { me, call } = await approvedEnterprise(boss)
  const uscc = me.enterprises.find((e) => e.id === me.current_enterprise_id).uscc
  // the applicant: an account of another (pending) enterprise asks to join
  const asker = { name: '福州晋安五金店', person: '陈申请', phone: '13800001202', password: 'Jinan#Asker2026', uscc: newUscc() }
  const { call: askerCall } = await registerEnterprise(srv, staffCall, asker, { approve: false })
  const jr = await askerCall('POST', '/api/v1/join-requests', { uscc, message: '我是销售部员工' })
  assert.equal(jr.status, 201, JSON.stringify(jr.data))

  await withPage(browser, async (page) => {
    await userLogin(srv, page, boss.phone, boss.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await goMenu(page, '企业信息', '加入申请')
    await page.waitForURL((u) => u.pathname === '/console/enterprise/join-requests')
    const row = page.getByTestId('join-table').locator('tr', { hasText: '陈申请' })
    await row.getByText('我是销售部员工').waitFor()
    await row.getByTestId('approve').click()
    const dlg = page.getByTestId('approve-dialog')
    await dlg.getByTestId('approve-submit').click()
    await dlg.getByText('请选择角色').waitFor()
    await pickOption(page, 'approve-role', '业务员')
    await dlg.getByTestId('approve-submit').click()
    await toast(page, /已通过/)
    await page.getByText('暂无待审核的加入申请').waitFor()

    await goMenu(page, '企业信息', '员工管理')
    await page.getByTestId('employee-table').locator('tr', { hasText: '陈申请' }).getByText('业务员').waitFor()
  })

  const emps = (await call('GET', '/api/v1/enterprise/employees')).data.items
  assert.equal(emps.find((e) => e.name === '陈申请').role.name, '业务员')
})

test('the legal rep hands the title to an employee with an SMS code; a wrong code is refused beside the field', async () => {
  const boss = { name: '福州台江百货有限公司', person: '郭总', phone: '13800001301', password: 'Taijiang#Boss26' }
  const { call } = await approvedEnterprise(boss)
  const roles = (await call('GET', '/api/v1/enterprise/role-options')).data.items
  const admin = roles.find((r) => r.name === '管理员')
  const heir = { name: '郭接班商行', person: '郭接班', phone: '13800001302', password: 'Guo#Heir2026' }
  await inviteAndAccept(call, await existingAccount(heir), heir, admin.id)

  await withPage(browser, async (page) => {
    await userLogin(srv, page, boss.phone, boss.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await goMenu(page, '企业信息', '员工管理')
    await page.getByTestId('employee-table').locator('tr', { hasText: '郭接班' }).getByTestId('transfer').click()
    const dlg = page.getByTestId('transfer-dialog')
    await dlg.getByText('郭接班').first().waitFor()
    ageSmsCodes(srv, boss.phone)
    const seen = smsCodes(srv, boss.phone)
    await dlg.getByRole('button', { name: '获取短信验证码' }).click()
    const code = await nextSmsCode(srv, boss.phone, seen)
    await dlg.getByPlaceholder(`发送至 ${boss.phone}`).fill(code === '000000' ? '111111' : '000000')
    await dlg.getByTestId('transfer-submit').click()
    await dlg.locator('.el-form-item__error').first().waitFor()
    await dlg.getByPlaceholder(`发送至 ${boss.phone}`).fill(code)
    await pickOptionIn(page, dlg, '移交后不分配角色', '业务员')
    await dlg.getByTestId('transfer-submit').click()
    await page.waitForURL((u) => u.pathname === '/console')
    await toast(page, /已将法人身份移交给“郭接班”/)
    const labels = await menuLabels(page)
    assert.ok(!labels.includes('员工管理') && !labels.includes('角色管理'), `former legal rep still sees management: ${labels}`)
    assert.ok(labels.includes('企业信息'), 'the former legal rep keeps the enterprise pages')
  }, { allow: [{ status: 400, path: /^\/api\/v1\/enterprise\/legal-rep\/transfer$/ }, { status: 422, path: /^\/api\/v1\/enterprise\/legal-rep\/transfer$/ }] })

  const emps = (await call('GET', '/api/v1/enterprise/employees')).status
  assert.equal(emps, 403, 'the former legal rep no longer manages employees')
})

async function pickOptionIn(page, scope, placeholder, text) {
  await scope.locator('.el-select', { hasText: placeholder }).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}
