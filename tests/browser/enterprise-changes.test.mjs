// Name / USCC / district changes (issue 4, manual 9.1) in a real browser
// against the real server: the legal rep edits the name on 企业信息 — the
// banner says 审核中 with old → new and the name in force stays; another
// district's staff cannot see the request; the firm's district staff approve
// it on 信息变更审核 and the new name is in force; a second request is
// rejected with a reason, which the firm then reads on 企业信息 (已驳回) with a
// way to submit again.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openSuite, closeSuite } from './harness.mjs'
import { usccMaker, staffAccount, cityStaff, staffLogin, registerEnterprise, userLogin, withPage, toast } from './console-setup.mjs'

let srv, browser
let city
const newUscc = usccMaker('MA3C')
const GULOU = { username: 'gulouchg', phone: '13900003101', name: '鼓楼区审核员', password: 'Gulou#Change26', role: 'district', region: '350102' }
const TAIJIANG = { username: 'tjchg', phone: '13900003102', name: '台江区审核员', password: 'Taijiang#Chg26', role: 'district', region: '350103' }

before(async () => {
  ;({ srv, browser } = await openSuite())
  city = await cityStaff(srv, { username: 'citychg', phone: '13900003100', name: '市局审核员', password: 'City#Change2026' })
})
after(() => closeSuite(srv, browser))

test('a name change waits for the firm\'s district, is approved there, and a second one is rejected with a reason the firm reads', async () => {
  const boss = { name: '福州鼓岭测试茶业有限公司', person: '陈总', phone: '13800003101', password: 'Guling#Boss2026', uscc: newUscc(), region: '350102' }
  const { call } = await registerEnterprise(srv, city, boss)
  const NEW = '福州鼓岭测试茶业股份有限公司'
  const gulou = await staffAccount(srv, GULOU)
  const taijiang = await staffAccount(srv, TAIJIANG)
  // a firm whose USCC the first one then tries to take
  const holder = { name: '福州鼓岭测试邻居有限公司', person: '林总', phone: '13800003102', password: 'Guling#Near2026', uscc: newUscc(), region: '350102' }
  await registerEnterprise(srv, city, holder)

  // the legal rep asks for the new name on 企业信息
  await withPage(browser, async (page) => {
    await userLogin(srv, page, boss.phone, boss.password)
    await page.waitForURL((u) => u.pathname.startsWith('/console'))
    await page.goto(srv.base + '/console/enterprise/info')
    await page.getByTestId('edit-basic').click()
    // a USCC another firm holds: refused by the server, shown under the field, nothing asked
    const uscc = page.getByTestId('basic-uscc')
    await uscc.fill(holder.uscc)
    await page.getByTestId('save-basic').click()
    await page.getByTestId('basic-form').locator('.el-form-item', { has: uscc }).locator('.el-form-item__error', { hasText: '已被其他企业使用' }).waitFor()
    await uscc.fill(boss.uscc)
    const name = page.getByTestId('basic-name')
    await name.fill('')
    await name.blur()
    await page.getByText('请填写企业名称').first().waitFor() // checked as you leave the field
    await name.fill(NEW)
    await page.getByTestId('save-basic').click()
    await toast(page, /已提交商务局审核/)
    const banner = page.getByTestId('pending-change')
    await banner.getByText('信息变更审核中').waitFor()
    const line = banner.getByTestId('pending-change-field')
    assert.equal(await line.count(), 1) // only the name was asked for
    assert.match(await line.innerText(), new RegExp(`企业名称：\\s*${boss.name}\\s*→\\s*${NEW}`))
    await banner.getByText(/提交，待所属区商务局审核/).waitFor()
    // the name in force is still the old one
    await page.getByTestId('basic-view').getByText(boss.name, { exact: true }).waitFor()
  }, { allow: [{ status: 409, path: /^\/api\/v1\/enterprise$/ }] })
  const ent = (await call('GET', '/api/v1/enterprise')).data
  assert.equal(ent.name, boss.name)
  assert.equal(ent.pending_change.fields.name, NEW)

  // another district neither lists nor opens it
  const other = await taijiang('GET', '/api/v1/admin/enterprise-changes?status=pending')
  assert.equal(other.status, 200)
  assert.equal(other.data.items.filter((c) => c.enterprise_id === ent.id).length, 0)
  assert.equal((await taijiang('GET', `/api/v1/admin/enterprise-changes/${ent.pending_change.id}`)).status, 404)
  const mine = await gulou('GET', '/api/v1/admin/enterprise-changes?status=pending')
  assert.equal(mine.data.items.filter((c) => c.enterprise_id === ent.id).length, 1)

  // 鼓楼区 approves it on 信息变更审核
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, GULOU)
    await page.locator('.shell__menu').getByText('信息变更审核', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/admin/enterprise-changes')
    const row = page.getByTestId('changes-table').locator('tbody tr', { hasText: boss.name })
    await row.getByTestId('change-diff').getByText(NEW).waitFor()
    await row.getByTestId('approve-change').click()
    await page.locator('.el-message-box').getByRole('button', { name: '通过' }).click()
    await toast(page, /已通过/)
    await row.waitFor({ state: 'detached' })
    await page.getByRole('tab', { name: '已通过' }).click()
    await page.getByTestId('changes-table').locator('tbody tr', { hasText: NEW }).getByTestId('change-status').getByText('已通过').waitFor()
    // the decision and the firm's request are in the district's audit log, in words
    await page.locator('.shell__menu').getByText('审计日志', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/admin/audit')
    await page.getByTestId('audit-table').getByText('变更审核通过').first().waitFor()
    await page.getByTestId('audit-table').getByText('提交名称/信用代码/区划变更').first().waitFor()
  })
  const after1 = (await call('GET', '/api/v1/enterprise')).data
  assert.equal(after1.name, NEW)
  assert.equal(after1.pending_change, null)

  // a second request, rejected with a reason
  const NEWER = '福州鼓岭测试茶业集团有限公司'
  const p = await call('PATCH', '/api/v1/enterprise', { name: NEWER })
  assert.equal(p.status, 200, JSON.stringify(p.data))
  const REASON = '新名称与营业执照不一致，请核对后重新提交'
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, GULOU)
    await page.goto(srv.base + '/admin/enterprise-changes')
    const row = page.getByTestId('changes-table').locator('tbody tr', { hasText: NEWER })
    await row.getByTestId('reject-change').click()
    const dlg = page.getByTestId('reject-change-dialog')
    await dlg.getByTestId('reject-change-confirm').click()
    await dlg.getByText('请填写驳回原因').waitFor() // nothing sent without a reason
    await dlg.getByTestId('reject-change-reason').locator('xpath=descendant-or-self::textarea').first().fill(REASON)
    await dlg.getByTestId('reject-change-confirm').click()
    await toast(page, /已驳回/)
    await row.waitFor({ state: 'detached' })
  })
  await withPage(browser, async (page) => {
    await userLogin(srv, page, boss.phone, boss.password)
    await page.waitForURL((u) => u.pathname.startsWith('/console'))
    await page.goto(srv.base + '/console/enterprise/info')
    const banner = page.getByTestId('pending-change')
    await banner.getByText('信息变更已驳回').waitFor()
    assert.equal(await banner.getByTestId('pending-change-reason').innerText(), REASON)
    assert.match(await banner.getByTestId('pending-change-field').innerText(), new RegExp(`${NEW}\\s*→\\s*${NEWER}`))
    await page.getByTestId('basic-view').getByText(NEW, { exact: true }).waitFor()
    // the firm may ask again: the button opens the form with the values in force
    await page.getByRole('tab', { name: '企业资质' }).click()
    await banner.getByTestId('resubmit-change').click()
    assert.equal(await page.getByTestId('basic-name').inputValue(), NEW)
  })
  assert.equal((await call('GET', '/api/v1/enterprise')).data.name, NEW)
})
