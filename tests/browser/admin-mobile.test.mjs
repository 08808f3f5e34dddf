// The bureau console on a phone, in a real browser against the real server:
// at 390×844 a city clerk logs in, opens the menu drawer from the header,
// goes to 注册审核 (the drawer closes) and opens a pending registration;
// the 工作台 (a chart), the list and the detail never make the page scroll
// sideways, the detail's description lists are one column and the 退回
// dialog fits the screen; the chart follows its box when the window widens.
// On a desktop window the sidebar is there and there is no drawer button.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser } from './harness.mjs'
import { usccMaker, cityStaff, registerEnterprise, withPage, staffLogin, assertFitsScreen } from './console-setup.mjs'

let srv
let browser
let staffCall
const newUscc = usccMaker('MA3M')
const CITY = { username: 'citymobile', phone: '13900003101', name: '市局移动审核员', password: 'City#Mobile2026' }
const FIRM = { name: '福州掌上审核测试有限公司', person: '林掌', phone: '13800003101', password: 'Zhangshang#26' }
const PHONE = { width: 390, height: 844 }

before(async () => {
  srv = await startServer()
  browser = await launchBrowser()
  staffCall = await cityStaff(srv, CITY)
  await registerEnterprise(srv, staffCall, { ...FIRM, uscc: newUscc() }, { approve: false })
})
after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test('phone 390×844: drawer menu, 注册审核 list and detail, 工作台 chart — nothing wider than the screen', async () => {
  await withPage(browser, async (page) => {
    assert.deepEqual(page.viewportSize(), PHONE)
    await staffLogin(srv, page, CITY)

    // 工作台: no sidebar, a menu button and the page title in the header
    assert.equal(await page.locator('.shell__aside').count(), 0, 'no sidebar on a phone')
    assert.equal(await page.locator('.shell__menu').isVisible(), false, 'the menu waits in the closed drawer')
    await page.getByTestId('shell-title').getByText('工作台').waitFor()
    const chart = page.getByTestId('daily-chart')
    await chart.locator('canvas').waitFor()
    await assertFitsScreen(page, '工作台')
    const box = await chart.boundingBox()
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the chart lies within the screen (${box.x}+${box.width})`)

    // the drawer: opened from the header, shows the scope, closes after navigating
    const button = page.getByTestId('shell-menu-button')
    assert.equal(await button.getAttribute('aria-expanded'), 'false')
    await button.click()
    const menu = page.locator('.shell__menu')
    await menu.waitFor()
    assert.equal(await button.getAttribute('aria-expanded'), 'true')
    await page.getByTestId('shell-drawer').getByTestId('staff-scope').getByText('福州市商务局').waitFor()
    await menu.getByText('注册审核', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/admin/registrations')
    await menu.waitFor({ state: 'hidden' })
    assert.equal(await button.getAttribute('aria-expanded'), 'false')
    await page.getByTestId('shell-title').getByText('注册审核').waitFor()

    // the list: the table scrolls inside its card, the page does not
    const row = page.locator('.el-table__row', { hasText: FIRM.name })
    await row.waitFor()
    await assertFitsScreen(page, '注册审核')
    const scroller = page.locator('.el-table .el-scrollbar__wrap').first()
    const sc = await scroller.evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth }))
    assert.ok(sc.sw > sc.cw, `the table is wider than its card and scrolls there (${sc.sw} > ${sc.cw})`)
    await row.getByTestId('open-registration').click()

    // the detail: one-column description lists, a dialog that fits
    await page.waitForURL((u) => /^\/admin\/registrations\/\d+$/.test(u.pathname))
    await page.getByText(FIRM.name, { exact: true }).first().waitFor()
    await page.getByTestId('registration-status').getByText('待审核').waitFor()
    await assertFitsScreen(page, '注册详情')
    const cellsPerRow = await page.locator('.el-descriptions').first().locator('tbody tr').evaluateAll(
      (trs) => trs.map((tr) => tr.querySelectorAll('th, td').length),
    )
    assert.ok(cellsPerRow.length >= 6, 'one row per field')
    assert.ok(cellsPerRow.every((n) => n === 2), `label and value only on each row: ${cellsPerRow}`)
    await page.getByTestId('reject').click()
    const dialog = page.getByTestId('reject-dialog')
    await dialog.waitFor()
    const db = await dialog.boundingBox()
    assert.ok(db.x >= 0 && db.x + db.width <= PHONE.width, `the dialog fits the screen (${db.x}+${db.width})`)
    await dialog.getByRole('button', { name: '取消' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await assertFitsScreen(page, '注册详情 after the dialog')

    // choosing the page already open closes the drawer too
    await button.click()
    await menu.waitFor()
    await menu.getByText('工作台', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/admin')
    await menu.waitFor({ state: 'hidden' })

    // the chart follows its box: widen the window to a tablet's 768 px
    await chart.locator('canvas').waitFor()
    const narrowWidth = (await chart.locator('canvas').boundingBox()).width
    await page.setViewportSize({ width: 768, height: 1024 })
    await page.locator('.shell__aside').waitFor() // the sidebar is back at 768 px
    await page.waitForFunction(
      (w) => { const c = document.querySelector('[data-testid="daily-chart"] canvas'); return c && c.getBoundingClientRect().width > w + 100 },
      narrowWidth,
    )
    const wide = await chart.boundingBox()
    const canvas = await chart.locator('canvas').boundingBox()
    assert.ok(Math.abs(canvas.width - wide.width) <= 1, `the canvas fills its box (${canvas.width} vs ${wide.width})`)
    await assertFitsScreen(page, '工作台 at 768 px')
  }, { mobile: true })
})

test('desktop 1440×900: the sidebar menu as before, no drawer button', async () => {
  await withPage(browser, async (page) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await staffLogin(srv, page, CITY)
    const aside = page.locator('.shell__aside')
    await aside.locator('.shell__menu').getByText('注册审核', { exact: true }).waitFor()
    const ab = await aside.boundingBox()
    assert.ok(ab.width >= 200, `the sidebar is open (${ab.width} px)`)
    assert.equal(await page.getByTestId('shell-menu-button').count(), 0)
    assert.equal(await page.getByTestId('shell-title').count(), 0)
    await page.locator('.shell__header .el-breadcrumb').getByText('管理后台').waitFor()
    await page.locator('.shell__header').getByTestId('staff-scope').getByText('福州市商务局').waitFor()
    await page.locator('.shell__menu').getByText('注册审核', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/admin/registrations')
    await page.locator('.el-table__row', { hasText: FIRM.name }).waitFor()
    await aside.waitFor() // still there after navigating
    await assertFitsScreen(page, '注册审核 on a desktop')
  })
})
