// Bureau directory (企业库) over more than 10,000 firms (issue 10.8): the
// server stops counting a filtered list at 10,000 (total_capped) and the
// page says 共 10,000+ 条, paging on past the first page; the unfiltered
// list keeps its exact total (kept per district and status by triggers).
// The demo city plus 12,000 generated firms (`seed-demo --bulk`), city
// staff, a real Chromium. Fails on any console error, page error or failed
// request.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { startServer, launchBrowser, closeSuite } from './harness.mjs'
import { staffLogin, withPage, staffApi } from './console-setup.mjs'

let srv, browser
const CITY = { username: 'city', password: 'Demo@2026' } // demo staff (src/cli/cmd_demo.c)

before(async () => {
  srv = await startServer()
  srv.cli('seed-demo', '--enterprises', '40', '--logins-file', path.join(srv.dir, 'demo-logins.txt'))
  srv.cli('seed-demo', '--bulk', '12000')
  browser = await launchBrowser()
})
after(() => closeSuite(srv, browser))

// completeness ≤ 99: every generated firm (their profiles are far from full),
// whatever names and industries the generator gives them
const FILTER = 'completeness_max=99'

test('a filter matching more than 10,000 firms shows 10,000+ and pages on; the whole directory counts exactly', async () => {
  const call = await staffApi(srv, CITY)
  const all = (await call('GET', '/api/v1/admin/enterprises?page_size=1')).data
  assert.equal(all.total_capped, false)
  assert.ok(all.total > 12000, `every firm counted (${all.total})`)
  const kw = (await call('GET', `/api/v1/admin/enterprises?${FILTER}&page_size=1`)).data
  assert.equal(kw.total_capped, true, JSON.stringify(kw))
  assert.equal(kw.total, 10000)

  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(`${srv.base}/admin/enterprises`)
    await page.getByTestId('enterprises-table').locator('tbody tr').first().waitFor()
    await page.locator('.el-pagination__total', { hasText: `共 ${all.total} 条` }).waitFor()

    await page.goto(`${srv.base}/admin/enterprises?${FILTER}`)
    await page.getByTestId('total').filter({ hasText: '共 10,000+ 条' }).waitFor()
    const first = await page.getByTestId('enterprises-table').locator('tbody tr').first().innerText()
    await page.locator('.el-pager li', { hasText: /^2$/ }).click()
    await page.waitForURL((u) => u.searchParams.get('page') === '2')
    await page.getByTestId('total').filter({ hasText: '共 10,000+ 条' }).waitFor()
    await page.waitForFunction((t) => document.querySelector('[data-testid="enterprises-table"] tbody tr')?.innerText !== t, first)
    await page.getByTestId('export').click()
    await page.getByText('按当前筛选条件导出 10,000+ 家企业的名录').waitFor()
  })
})
