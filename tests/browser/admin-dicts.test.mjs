// 字典管理 as an editor (issue 10 item 9), in a real browser against the real
// server (--dev): a city clerk adds a scale, is told of a bad and of a taken
// code beside the field, renames in place, disables another scale; the
// portal's registration picker then offers the new one and not the disabled
// one. A district clerk sees the lists read-only. Fails on any console
// error, page error, failed request or HTTP error the test did not provoke.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openSuite, closeSuite } from './harness.mjs'
import { staffAccount, staffLogin, withPage, toast } from './console-setup.mjs'

let srv, browser
const CITY = { username: 'dictcity', phone: '13700005101', password: 'Dict#City2026', name: '字典员' }
const GULOU = { username: 'dictgulou', phone: '13700005102', password: 'Dict#Gulou2026', role: 'district', region: '350102' }

before(async () => {
  ;({ srv, browser } = await openSuite())
  await staffAccount(srv, { ...CITY, role: 'city' })
  await staffAccount(srv, GULOU)
})

after(() => closeSuite(srv, browser))

const row = (page, name) => page.getByTestId('dict-table').locator('tr', { hasText: name })

test('a city clerk adds a scale and disables another; the registration picker follows', async () => {
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(srv.base + '/admin/dicts/scale')
    await page.getByTestId('page-title').filter({ hasText: '企业规模' }).waitFor()
    await row(page, '微型').waitFor()
    // names first, codes only in their muted column
    assert.equal(await page.getByTestId('dict-name-micro').innerText(), '微型')

    // add: the form checks as you type, then shows the server's field error
    await page.getByTestId('dict-add').click()
    const dlg = page.getByTestId('dict-add-dialog')
    await dlg.getByTestId('dict-add-code').fill('Nano')
    await dlg.getByTestId('dict-add-name').fill('超微型')
    await dlg.getByText('代码须为 1–32 位小写字母、数字或下划线').waitFor()
    await dlg.getByTestId('dict-add-code').fill('small')
    await dlg.getByTestId('dict-add-submit').click()
    await dlg.getByText('代码「small」已存在').first().waitFor()
    await dlg.getByTestId('dict-add-code').fill('nano')
    await dlg.getByTestId('dict-add-submit').click()
    await toast(page, /已添加「超微型」/)
    await row(page, '超微型').waitFor()
    assert.match(await page.getByTestId('dict-count').innerText(), /共 5 项/)

    // rename in place: checked as typed, saved with Enter
    await page.getByTestId('dict-rename-nano').click()
    const input = page.getByTestId('dict-rename-input')
    await input.fill('')
    await page.getByTestId('dict-rename-error').filter({ hasText: '请填写名称' }).waitFor()
    await input.fill('超微型企业')
    await input.press('Enter')
    await toast(page, /已保存名称/)
    await page.getByTestId('dict-name-nano').filter({ hasText: '超微型企业' }).waitFor()

    // disable 微型 after confirming; it keeps its row with 已停用
    await page.getByTestId('dict-switch-micro').click()
    await page.locator('.el-message-box').getByText('已选择它的企业记录保持不变').waitFor()
    await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click()
    await toast(page, /已停用「微型」/)
    await row(page, '微型').filter({ hasText: '已停用' }).first().waitFor()
    assert.equal(await page.getByTestId('dict-name-micro').getByTestId('dict-disabled-tag').count(), 1)
  }, { allow: [{ status: 409, path: /^\/api\/v1\/admin\/dicts\/scale\/items$/ }] })

  // the portal's registration form, a fresh visitor
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/register')
    await page.getByTestId('scale-select').click()
    const options = page.locator('.el-select-dropdown__item:visible')
    await options.filter({ hasText: '超微型企业' }).waitFor()
    const names = (await options.allTextContents()).map((s) => s.trim())
    assert.ok(names.includes('小型'), names.join(','))
    assert.ok(!names.includes('微型'), `the disabled scale is still offered: ${names.join(',')}`)
  })
})

test('a district clerk sees the dictionaries read-only', async () => {
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, GULOU)
    await page.goto(srv.base + '/admin/dicts/region')
    await page.getByTestId('dict-readonly').waitFor()
    await row(page, '鼓楼区').waitFor()
    assert.equal(await page.getByTestId('dict-add').count(), 0)
    assert.equal(await page.getByTestId('dict-switch-350102').count(), 0)
    assert.equal(await page.getByTestId('dict-rename-350102').count(), 0)
  })
})
