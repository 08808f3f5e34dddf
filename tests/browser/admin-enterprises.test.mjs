// Bureau directory (企业库: filters, detail, district scope), issue 4, in a real browser against the
// real server (--dev) with the demo city seeded (`zhengqi seed-demo`) plus
// two firms registered and approved through the API so their names are
// known. Fails on any console error, page error, failed request or HTTP
// error the test did not provoke.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { startServer, launchBrowser, closeSuite } from './harness.mjs'
import {
  staffLogin as sharedStaffLogin, withPage as sharedWithPage, usccMaker, registerEnterprise, staffApi as sharedStaffApi,
} from './console-setup.mjs'

let srv, browser
const DEMO_PASSWORD = 'Demo@2026' // every demo account's (src/cli/cmd_demo.c)
const CITY = { username: 'city', password: DEMO_PASSWORD }
const GULOU = { username: 'gulou', password: DEMO_PASSWORD } // district staff of 鼓楼区 350102

// firms of this file: one in 鼓楼区, one in 台江区
const A = { name: '福州榕荫测试机电有限公司', region: '350102', person: '郑一鸣', phone: '13800004101', password: 'Rongyin#2026' }
const B = { name: '福州江滨测试物流有限公司', region: '350103', person: '吴江', phone: '13800004102', password: 'Jiangbin#2026' }

const newUscc = usccMaker('MA3Q')

/** Registers f through the API and has the city approve it; sets f.uscc and f.id. */
async function registerApproved(f, city) {
  f.uscc = newUscc()
  const { me } = await registerEnterprise(srv, city, { ...f, industry: '34', characteristics: ['private', 'hightech'], scale: 'medium' })
  f.id = me.current_enterprise_id
}

const staffApi = (who) => sharedStaffApi(srv, who)

before(async () => {
  srv = await startServer()
  srv.cli('seed-demo', '--enterprises', '300', '--logins-file', path.join(srv.dir, 'demo-logins.txt'))
  browser = await launchBrowser()
  const city = await staffApi(CITY)
  await registerApproved(A, city)
  await registerApproved(B, city)
})
after(() => closeSuite(srv, browser))

const withPage = (fn, opts) => sharedWithPage(browser, fn, opts)

const staffLogin = (page, who) => sharedStaffLogin(srv, page, who)

async function pickOption(page, testId, text) {
  await page.getByTestId(testId).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

const rowOf = (page, text) => page.getByTestId('enterprises-table').locator('tbody tr', { hasText: text })

// ---- tests ----

test('city staff filter the directory by district and keyword, open a detail and come back to the same filters', async () => {
  await withPage(async (page) => {
    await staffLogin(page, CITY)
    await page.locator('.shell__menu').getByText('企业库', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/admin/enterprises')
    await page.getByTestId('enterprises-table').locator('tbody tr').first().waitFor()
    const all = Number((await page.locator('.el-pagination__total').innerText()).replace(/\D/g, ''))
    assert.ok(all >= 300, `the directory lists the demo city (${all})`)

    await pickOption(page, 'filter-region', '鼓楼区')
    await page.waitForURL((u) => u.searchParams.get('region') === '350102')
    await page.getByTestId('filter-q').fill('榕荫测试')
    await page.getByTestId('search').click()
    await page.waitForURL((u) => u.searchParams.get('q') === '榕荫测试' && u.searchParams.get('region') === '350102')
    await page.locator('.el-pagination__total', { hasText: /共\s*1\s*条|Total 1/ }).waitFor()
    const row = rowOf(page, A.name)
    await row.waitFor()
    assert.match(await row.innerText(), new RegExp(`${A.uscc}[\\s\\S]*鼓楼区`))

    // the same keyword in another district finds nothing
    await pickOption(page, 'filter-region', '台江区')
    await page.getByTestId('empty').waitFor()

    // a USCC prefix finds the 台江区 firm
    await page.getByTestId('filter-q').fill(B.uscc.slice(0, 15))
    await page.getByTestId('search').click()
    await rowOf(page, B.name).waitFor()

    // back: the previous filters come back from the URL
    await page.goBack()
    await page.getByTestId('empty').waitFor()
    await page.goBack()
    await rowOf(page, A.name).waitFor()
    assert.equal((await page.getByTestId('filter-region').innerText()).trim(), '鼓楼区')

    await rowOf(page, A.name).getByTestId('open-enterprise').click()
    await page.waitForURL((u) => u.pathname === `/admin/enterprises/${A.id}`)
    await page.getByTestId('enterprise-name').filter({ hasText: A.name }).waitFor()
    await page.getByText(A.uscc).first().waitFor()
    await page.getByTestId('characteristics').getByText('高新技术企业').waitFor()
    await page.getByTestId('completeness-block').getByText('待完善项').waitFor()
    assert.equal((await page.getByTestId('enterprise-status').innerText()).trim(), '已认证')
    for (const t of ['基本信息', '企业资质', '技术能力', '人事信息', '经营数据', '知识产权', '项目信息', '载体信息', '企业成员']) {
      await page.getByRole('tab', { name: new RegExp(`^${t}`) }).waitFor()
    }
    await page.getByRole('tab', { name: /^企业成员/ }).click()
    const member = page.getByTestId('members-table').locator('tbody tr', { hasText: A.person })
    await member.waitFor()
    assert.match(await member.innerText(), /138\*\*\*\*4101[\s\S]*法人/)

    await page.getByTestId('back').click()
    await page.waitForURL((u) => u.pathname === '/admin/enterprises' && u.searchParams.get('q') === '榕荫测试')
    await rowOf(page, A.name).waitFor()
  })
})

test('district staff see their district only: the region filter is fixed and another district\'s firm is neither listed nor viewable', async () => {
  await withPage(async (page) => {
    await staffLogin(page, GULOU)
    await page.goto(srv.base + '/admin/enterprises')
    await page.getByTestId('enterprises-table').locator('tbody tr').first().waitFor()
    assert.equal((await page.getByTestId('filter-region').innerText()).trim(), '鼓楼区')
    assert.ok(await page.getByTestId('filter-region').locator('.is-disabled').count() > 0, 'the district is fixed')
    const regions = await page.getByTestId('enterprises-table').locator('tbody tr td:nth-child(3)').allInnerTexts()
    assert.ok(regions.length > 0 && regions.every((r) => r.trim() === '鼓楼区'), `only 鼓楼区 firms: ${regions}`)

    await page.getByTestId('filter-q').fill('江滨测试')
    await page.getByTestId('search').click()
    await page.getByTestId('empty').waitFor()
    await page.getByTestId('filter-q').fill('榕荫测试')
    await page.getByTestId('search').click()
    await rowOf(page, A.name).waitFor()

    // a hand-made region in the URL changes nothing: still pinned to 鼓楼区
    await page.goto(srv.base + '/admin/enterprises?region=350103&q=' + encodeURIComponent('江滨测试'))
    await page.getByTestId('empty').waitFor()

    await page.goto(srv.base + `/admin/enterprises/${B.id}`)
    await page.getByTestId('not-found').getByText('未找到').waitFor()
  }, { allow: [{ status: 404, path: new RegExp(`^/api/v1/admin/enterprises/${B.id}$`) }] })
})

test('企业详情 shows phones masked; 查看 reveals one in place, and the audit log lists each reveal', async () => {
  await withPage(async (page) => {
    await staffLogin(page, GULOU)
    await page.goto(srv.base + `/admin/enterprises/${A.id}`)
    await page.getByTestId('enterprise-name').filter({ hasText: A.name }).waitFor()
    const masked = `${A.phone.slice(0, 3)}****${A.phone.slice(7)}`
    assert.equal((await page.getByTestId('phone-legal_rep_phone-value').innerText()).trim(), masked)
    assert.equal((await page.getByTestId('phone-contact_phone-value').innerText()).trim(), masked)
    assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(A.phone), 'no full number before a click')

    await page.getByTestId('reveal-legal_rep_phone').click()
    await page.getByTestId('phone-legal_rep_phone-value').getByText(A.phone, { exact: true }).waitFor()
    assert.equal(await page.getByTestId('reveal-legal_rep_phone').count(), 0, 'the link goes once revealed')
    // the other number stays masked until asked for
    assert.equal((await page.getByTestId('phone-contact_phone-value').innerText()).trim(), masked)

    // a member's phone, on the members tab
    await page.getByRole('tab', { name: /^企业成员/ }).click()
    const member = page.getByTestId('members-table').locator('tbody tr', { hasText: A.person })
    await member.getByText(masked).waitFor()
    await member.getByRole('button', { name: '查看' }).click()
    await member.getByText(A.phone, { exact: true }).waitFor()

    // both reveals are in the audit log, named in Chinese, with who and whose
    await page.locator('.shell__menu').getByText('审计日志').click()
    await page.waitForURL((u) => u.pathname === '/admin/audit')
    const rows = page.getByTestId('audit-table').locator('tbody tr', { hasText: '查看手机号明文' })
    await rows.first().waitFor()
    assert.equal(await rows.count(), 2)
    const text = await rows.first().innerText()
    assert.match(text, /enterprise\.reveal_phone/)
    assert.match(text, new RegExp(`企业 ${A.id}`))
    assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(A.phone), 'the audit log keeps the number masked')
  })
})

test('city staff export the filtered list with progress to .xlsx; a district\'s export holds its district only', async () => {
  await withPage(async (page) => {
    await staffLogin(page, CITY)
    await page.goto(srv.base + '/admin/enterprises?region=350102&status=approved')
    await page.getByTestId('enterprises-table').locator('tbody tr').first().waitFor()
    const listed = Number((await page.locator('.el-pagination__total').innerText()).replace(/\D/g, ''))
    assert.ok(listed > 0)
    const download = page.waitForEvent('download')
    await page.getByTestId('export').click()
    const dlg = page.getByTestId('export-dialog')
    await dlg.getByText(`导出 ${listed} 家企业`).waitFor()
    const file = await download
    assert.match(file.suggestedFilename(), /^企业库导出-\d{8}-\d{4}\.xlsx$/)
    const bytes = readFileSync(await file.path())
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx is a zip')
    assert.ok(bytes.length > 4000)
    await dlg.getByTestId('export-stage').getByText(`导出完成，共 ${listed} 家企业`).waitFor()
    await dlg.getByTestId('export-close').click()
  })

  // the same filters as the list, and the district pinned by the server
  const token = () => Array.from({ length: 32 }, (_, i) => 'abcdefghijklmnopqrstuvwxyzABCDEF0123456789'[(i * 7 + Date.now()) % 42]).join('')
  const gulou = await staffApi(GULOU)
  const mine = (await gulou('GET', '/api/v1/admin/enterprises')).data.total
  for (const [query, want] of [['', mine], ['region=350103', 0]]) {
    const t = token()
    const r = await fetch(`${srv.base}/api/v1/admin/enterprises/export?${query}&progress=${t}`, { headers: { Cookie: gulou.cookie() } })
    assert.equal(r.status, 200)
    assert.equal(Buffer.from(await r.arrayBuffer()).subarray(0, 2).toString(), 'PK')
    const p = await gulou('GET', `/api/v1/admin/enterprises/export-progress/${t}`)
    assert.deepEqual(p.data, { total: want, done: want, status: 'done' })
  }
  // one staff member's progress is nobody else's
  const city = await staffApi(CITY)
  const t = token()
  await fetch(`${srv.base}/api/v1/admin/enterprises/export?progress=${t}`, { headers: { Cookie: gulou.cookie() } })
  assert.equal((await city('GET', `/api/v1/admin/enterprises/export-progress/${t}`)).status, 404)
})
