// Policies end to end (issue 11), in real Chromium against the real server:
// the enterprise edits its 政策订阅 (默认 fixed, 自选 added and removed);
// city staff write a policy in the editor (rich text, type, target district),
// see the audience preview and publish it; the enterprise in the targeted
// district finds it unread in 我收到的政策 and in 消息中心 with the unread
// badge, opening the message shows the policy and marks it read; the
// phone's 政策 tab lists it; the portal's search finds it by a two-character
// word of its body; the 政策计算器 shows the met conditions to the targeted
// firm and the failing district to the other one; the bureau's 触达统计
// renders its charts and tables; a notice and a service published by staff
// appear on the portal. The editor's 封面图片 refuses a PDF named .png and
// previews a real image; the portal's list shows its thumbnail and the
// detail shows it at the top; the editor's attachment opens through the
// staff download while the item is a draft.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { crc32, deflateSync } from 'node:zlib'
import { openSuite, closeSuite } from './harness.mjs'
import {
  usccMaker, apiClient, cityStaff, staffAccount, registerEnterprise, userLogin, withPage, menuLabels, goMenu, toast, pickOption, staffLogin,
} from './console-setup.mjs'

let srv, browser
let staffCall
const newUscc = usccMaker('PL1C')
const CITY = { username: 'citypolicy', phone: '13900003001', name: '市局政策专员', password: 'City#Policy2026' }
const GULOU = { name: '福州榕才科技有限公司', person: '林榕才', phone: '13800003001', password: 'Rongcai#Boss26', region: '350102' }
const TAIJIANG = { name: '福州台江商贸有限公司', person: '陈台江', phone: '13800003002', password: 'Taijiang#Boss6', region: '350103' }
const TITLE = '鼓楼区关于加快集聚高层次人才的若干措施'
const BODY_WORD = '安家' // only in the body: the portal search reads bodies too
let gulouCall
let taijiangCall
let policyId

before(async () => {
  ;({ srv, browser } = await openSuite())
  staffCall = await cityStaff(srv, CITY)
  ;({ call: gulouCall } = await registerEnterprise(srv, staffCall, { ...GULOU, uscc: newUscc() }))
  ;({ call: taijiangCall } = await registerEnterprise(srv, staffCall, { ...TAIJIANG, uscc: newUscc() }))
  // the registration's session is the legal rep's; both firms are approved now
  for (const [call, f] of [[gulouCall, GULOU], [taijiangCall, TAIJIANG]]) {
    assert.equal((await call('POST', '/api/v1/auth/login', { phone: f.phone, password: f.password })).status, 200)
  }
  // the other firm subscribes to the same type, so only the district tells them apart
  const t = await taijiangCall('PUT', '/api/v1/enterprise/subscriptions', { extra: ['talent'] })
  assert.equal(t.status, 200, JSON.stringify(t.data))
})
after(() => closeSuite(srv, browser))

const ATT_PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'

// A real w×h RGB PNG (a blue gradient) the browser decodes, for the cover.
function coverPng(w = 320, h = 180) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(td))
    return Buffer.concat([len, td, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1)
    for (let x = 0; x < w; x++) {
      raw[row + 1 + x * 3] = 20 + Math.round((x / w) * 60)
      raw[row + 2 + x * 3] = 70 + Math.round((y / h) * 80)
      raw[row + 3 + x * 3] = 160 + Math.round((x / w) * 80)
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ])
}
const COVER_PNG = coverPng()
const imgLoaded = (loc) => loc.evaluate((img) => img.complete && img.naturalWidth > 0)

test('政策订阅: 默认 types cannot be removed, 自选 types are added, removed and saved', async () => {
  const before = (await gulouCall('GET', '/api/v1/enterprise/subscriptions')).data
  await withPage(browser, async (page) => {
    await userLogin(srv, page, GULOU.phone, GULOU.password)
    await page.waitForURL((u) => u.pathname === '/console')
    const labels = await menuLabels(page)
    for (const l of ['我的政策', '我收到的政策']) assert.ok(labels.includes(l), `menu lacks ${l}: ${labels}`)
    await goMenu(page, '我的政策', '政策订阅')
    await page.waitForURL((u) => u.pathname === '/console/policy/subscriptions')
    await page.getByTestId('default-types').waitFor()
    assert.equal(await page.getByTestId('default-type').count(), before.default.length)
    assert.equal(await page.getByTestId('default-types').locator('.el-tag__close').count(), 0, '默认 types have no remove button')
    assert.equal(await page.getByTestId('save-subscriptions').isDisabled(), true, 'nothing to save yet')
    await pickOption(page, 'add-type', '用地保障')
    await pickOption(page, 'add-type', '人才引进')
    const extra = page.getByTestId('extra-types')
    await extra.getByText('用地保障').waitFor()
    // changed my mind: 用地保障 goes again before saving
    await extra.locator('.el-tag', { hasText: '用地保障' }).locator('.el-tag__close').click()
    assert.equal(await extra.getByText('用地保障').count(), 0)
    await page.getByTestId('save-subscriptions').click()
    await toast(page, /政策订阅已保存/)
  })
  const after = (await gulouCall('GET', '/api/v1/enterprise/subscriptions')).data
  assert.ok(after.extra.includes('talent'), JSON.stringify(after))
  assert.ok(!after.extra.includes('land'), JSON.stringify(after))
  assert.deepEqual(after.default, before.default, 'defaults untouched')
})

test('staff write, preview and publish a policy for 鼓楼区; the audience preview counts the one matching firm', async () => {
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.locator('.shell__menu').getByText('政策管理').click()
    await page.waitForURL((u) => u.pathname === '/admin/policies')
    await page.getByTestId('create-content').click()
    await page.waitForURL((u) => u.pathname === '/admin/policies/new')
    // checks as you type: an empty save shows the reasons and sends nothing
    await page.getByTestId('save-draft').click()
    await page.getByText('请输入标题').waitFor()
    await page.getByText('请输入正文').waitFor()
    await page.getByText('请至少选择一个政策类型').waitFor()
    assert.equal(page.url().endsWith('/admin/policies/new'), true)

    await page.getByTestId('field-title').fill(TITLE)
    await page.getByTestId('field-summary').fill('对新引进的高层次人才给予安家补助和子女入学保障。')
    const area = page.getByTestId('rte-area')
    await area.click()
    await page.keyboard.type(`对新引进的高层次人才给予一次性${BODY_WORD}补助，最高不超过五十万元。`)
    await page.getByTestId('field-doc-no').fill('鼓政〔2026〕8号')
    // the attachment goes up as a bureau file (staff have no firm's upload path)
    const att = page.getByTestId('field-attachments')
    await att.locator('input[type=file]').setInputFiles({ name: '实施细则.pdf', mimeType: 'application/pdf', buffer: Buffer.from(ATT_PDF) })
    await att.getByText('实施细则.pdf').waitFor()
    // 封面图片: a PDF renamed .png is refused by its content, a real image previews
    const cover = page.getByTestId('cover-upload')
    await cover.getByTestId('cover-input').setInputFiles({ name: '假图片.png', mimeType: 'image/png', buffer: Buffer.from(ATT_PDF) })
    await toast(page, /不是 JPG 或 PNG 图片/)
    assert.equal(await cover.getByTestId('cover-preview').count(), 0)
    await cover.getByTestId('cover-input').setInputFiles({ name: '封面.png', mimeType: 'image/png', buffer: COVER_PNG })
    await cover.getByTestId('cover-preview').waitFor()
    await page.waitForFunction(() => { const i = document.querySelector('[data-testid=cover-preview]'); return i && i.complete && i.naturalWidth === 320 })
    await pickOption(page, 'field-types', '人才引进')
    await page.keyboard.press('Escape')
    await pickOption(page, 'target-regions', '鼓楼区')
    await page.keyboard.press('Escape')
    await page.getByTestId('preview').click()
    const pv = page.getByTestId('preview-dialog')
    await pv.getByText(TITLE).waitFor()
    await pv.getByText(`一次性${BODY_WORD}补助`, { exact: false }).waitFor()
    assert.ok(await imgLoaded(pv.getByTestId('content-cover')), 'the preview shows the cover')
    await page.keyboard.press('Escape')
    await pv.waitFor({ state: 'hidden' })

    await page.getByTestId('save-draft').click()
    await toast(page, /已保存/)
    await page.waitForURL((u) => /^\/admin\/policies\/\d+$/.test(u.pathname))
    policyId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.getByTestId('editor-status').getByText('草稿').waitFor()
    // the saved draft keeps its cover; its attachment opens through the staff download
    await page.getByTestId('cover-preview').waitFor()
    assert.ok(await imgLoaded(page.getByTestId('cover-preview')))
    const draftHref = await page.getByTestId('attachment-link').filter({ hasText: '实施细则.pdf' }).getAttribute('href')
    assert.match(draftHref, /^\/api\/v1\/admin\/uploads\/\d+$/)
    const draftGot = await page.evaluate(async (h) => { const r = await fetch(h); return [r.status, await r.text()] }, draftHref)
    assert.deepEqual(draftGot, [200, ATT_PDF])
    // (asked outside the page: the harness counts a 404 in the page as a failure)
    assert.equal((await fetch(`${srv.base}/api/v1/policies/${policyId}/cover`)).status, 404, 'a draft\'s cover is not public')

    await page.getByTestId('open-publish').click()
    const dlg = page.getByTestId('publish-dialog')
    await dlg.getByTestId('audience-count').waitFor()
    assert.equal((await dlg.getByTestId('audience-count').innerText()).trim(), '1', 'only the firm in 鼓楼区 that subscribes to 人才引进')
    await dlg.getByTestId('confirm-publish').click()
    await toast(page, /已发布/)
    await page.getByTestId('editor-status').getByText('已发布').waitFor()
  })
  assert.ok(policyId > 0)
  // the other district's firm received nothing
  const tj = await taijiangCall('GET', '/api/v1/enterprise/policies')
  assert.equal(tj.status, 200)
  assert.equal(tj.data.items.filter((i) => i.id === policyId).length, 0)
})

test('a notice scheduled for next week waits as 定时发布 and goes back to draft when cancelled', async () => {
  const n = await staffCall('POST', '/api/v1/admin/notices', {
    title: '关于2027年元旦假期值班安排的通知', body_html: '<p>元旦期间值班安排如下。</p>', department: '福州市商务局', types: [], targets: {},
  })
  assert.equal(n.status, 201, JSON.stringify(n.data))
  // a week ahead, 09:00 Beijing time, typed into the picker as the browser's local time (Asia/Shanghai in these runs or not)
  const at = new Date(Date.now() + 7 * 86400e3)
  const pad = (x) => String(x).padStart(2, '0')
  const local = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} 09:00:00`
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(`${srv.base}/admin/notices/${n.data.id}`)
    await page.getByTestId('editor-status').getByText('草稿').waitFor()
    await page.getByTestId('open-publish').click()
    const dlg = page.getByTestId('publish-dialog')
    await dlg.getByTestId('audience-count').waitFor()
    await dlg.getByText('定时发布', { exact: true }).click()
    // no time yet: the button waits
    assert.equal(await dlg.getByTestId('confirm-publish').isDisabled(), true)
    await dlg.getByPlaceholder('选择发布时间').fill(local)
    await dlg.getByPlaceholder('选择发布时间').press('Enter')
    await dlg.getByTestId('confirm-publish').click()
    await toast(page, /已设定于/)
    await page.getByTestId('editor-status').getByText('定时发布').waitFor()
    await page.getByTestId('unschedule').click()
    await page.locator('.el-message-box').getByRole('button', { name: '取消定时' }).click()
    await toast(page, /已取消定时发布/)
    await page.getByTestId('editor-status').getByText('草稿').waitFor()
  })
  // never published: the portal does not know it
  assert.equal((await apiClient(srv)('GET', `/api/v1/notices/${n.data.id}`)).status, 404)
})

test('我收到的政策 and 消息中心: the targeted firm sees it unread with the badge; opening the message marks it read', async () => {
  assert.ok(policyId, 'published by the previous test')
  await withPage(browser, async (page) => {
    await userLogin(srv, page, GULOU.phone, GULOU.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await page.locator('.shell__menu').getByText('我收到的政策').click()
    await page.waitForURL((u) => u.pathname === '/console/policies/received')
    const row = page.getByTestId('inbox-table').locator('tr', { hasText: TITLE })
    await row.getByTestId('read-state').getByText('未读').waitFor()
    // the unread filter keeps it
    await page.getByTestId('read-filter').getByText('未读').click()
    await row.waitFor()
    // 消息中心: the badge counts the message; opening it leads to the policy, which reads it
    const badge = page.getByTestId('unread-badge').locator('.el-badge__content')
    await badge.waitFor()
    assert.match(await badge.innerText(), /^[1-9]\d*$/)
    await page.getByTestId('message-bell').click()
    await page.waitForURL((u) => u.pathname === '/console/messages')
    await page.getByTestId('message-item').filter({ hasText: TITLE }).click()
    await page.waitForURL((u) => u.pathname === `/console/policies/received/${policyId}`)
    await page.getByTestId('content-heading').getByText(TITLE).waitFor()
    await page.getByTestId('content-body').getByText(`一次性${BODY_WORD}补助`, { exact: false }).waitFor()
    await page.waitForLoadState('networkidle')
    await page.locator('.shell__menu').getByText('我收到的政策').click()
    await page.waitForURL((u) => u.pathname === '/console/policies/received')
    await page.getByTestId('read-filter').getByText('已读').click()
    await page.getByTestId('inbox-table').locator('tr', { hasText: TITLE }).getByTestId('read-state').getByText('已读').waitFor()
    // 我的政策 → 政策资讯/政策解读 lists it under 政策资讯
    await goMenu(page, '我的政策', '政策资讯/政策解读')
    await page.getByTestId('inbox-table').getByText(TITLE).waitFor()
  })
  const inbox = (await gulouCall('GET', '/api/v1/enterprise/policies?read=0')).data
  assert.equal(inbox.items.filter((i) => i.id === policyId).length, 0, 'read now')
})

test('mobile 政策 tab: subscribed types and the received policy, its detail', async () => {
  assert.ok(policyId)
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/m/login')
    await page.getByPlaceholder('请输入注册时的手机号').fill(GULOU.phone)
    await page.getByPlaceholder('请输入密码').fill(GULOU.password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname === '/m/me')
    await page.getByTestId('m-tab-policies').click()
    await page.waitForURL((u) => u.pathname === '/m/policies')
    await page.getByTestId('m-subscribed').getByText('人才引进').waitFor()
    // the received policy carries its cover: a thumbnail in the list, the picture atop the detail
    await page.getByTestId('m-policy-item').filter({ hasText: TITLE }).getByTestId('m-policy-thumb').waitFor()
    await page.getByTestId('m-policy-item').filter({ hasText: TITLE }).click()
    await page.waitForURL((u) => u.pathname === `/m/policies/${policyId}`)
    await page.getByTestId('m-policy-title').getByText(TITLE).waitFor()
    await page.waitForFunction(() => { const i = document.querySelector('[data-testid=m-policy-cover]'); return i && i.complete && i.naturalWidth === 320 })
    await page.goBack()
    await page.getByTestId('m-calculator-link').click()
    await page.waitForURL((u) => u.pathname === '/m/policies/calculator')
    await page.getByTestId('m-match-item').filter({ hasText: TITLE }).waitFor()
  }, { mobile: true })
})

test('portal: search finds the policy by a two-character word of its body; filters narrow it', async () => {
  assert.ok(policyId)
  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/')
    await page.getByTestId('home-policies').getByText(TITLE).waitFor()
    await page.locator('nav.mainnav').getByText('政策资讯', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/policies')
    await page.getByTestId('search-input').fill(BODY_WORD)
    await page.getByTestId('search-btn').click()
    await page.getByTestId('content-item').filter({ hasText: TITLE }).waitFor()
    // the list shows the cover as a thumbnail
    const thumb = page.getByTestId('content-item').filter({ hasText: TITLE }).getByTestId('content-thumb')
    await thumb.waitFor()
    await page.waitForFunction(() => { const i = document.querySelector('[data-testid=content-thumb]'); return i && i.complete && i.naturalWidth === 320 })
    // a kind with nothing in it empties the list
    await pickOption(page, 'filter-kind', '政策解读')
    await page.getByTestId('content-empty').waitFor()
    await page.getByRole('button', { name: '重置' }).click()
    await page.getByTestId('content-title').filter({ hasText: TITLE }).click()
    await page.waitForURL((u) => u.pathname === `/policies/${policyId}`)
    await page.getByTestId('content-heading').getByText(TITLE).waitFor()
    // the cover at the top, served anonymously: the very bytes uploaded
    const cv = page.getByTestId('content-cover')
    assert.equal(await cv.getAttribute('src'), `/api/v1/policies/${policyId}/cover`)
    await page.waitForFunction(() => { const i = document.querySelector('[data-testid=content-cover]'); return i && i.complete && i.naturalWidth === 320 })
    const coverBytes = await page.evaluate(async (h) => { const r = await fetch(h); return [r.status, r.headers.get('content-type'), (await r.arrayBuffer()).byteLength] }, `/api/v1/policies/${policyId}/cover`)
    assert.deepEqual(coverBytes, [200, 'image/png', COVER_PNG.length])
    await page.getByTestId('interpretations').getByText('本政策暂无解读').waitFor()
    // its attachment downloads anonymously, the very bytes uploaded
    const href = await page.getByTestId('attachment').filter({ hasText: '实施细则.pdf' }).getAttribute('href')
    assert.match(href, new RegExp(`^/api/v1/policies/${policyId}/attachments/\\d+$`))
    const got = await page.evaluate(async (h) => { const r = await fetch(h); return [r.status, await r.text()] }, href)
    assert.deepEqual(got, [200, ATT_PDF])
  })
})

test('政策计算器: the met conditions for the targeted firm, the failing district for the other', async () => {
  assert.ok(policyId)
  await withPage(browser, async (page) => {
    await userLogin(srv, page, GULOU.phone, GULOU.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await goMenu(page, '我的政策', '政策计算器')
    await page.getByTestId('matches').getByTestId('match-item').filter({ hasText: TITLE }).waitFor()
  })
  await withPage(browser, async (page) => {
    await userLogin(srv, page, TAIJIANG.phone, TAIJIANG.password)
    await page.waitForURL((u) => u.pathname === '/console')
    await goMenu(page, '我的政策', '政策计算器')
    await page.getByRole('tab', { name: /差一项条件/ }).click()
    const near = page.getByTestId('near-item').filter({ hasText: TITLE })
    await near.getByTestId('failed-condition').getByText(/所属区县/).waitFor()
  })
})

test('触达统计: charts and tables of the published policy', async () => {
  assert.ok(policyId)
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.goto(`${srv.base}/admin/policies`)
    await page.getByTestId('content-table').locator('tr', { hasText: TITLE }).getByTestId('open-reach').click()
    await page.waitForURL((u) => u.pathname === `/admin/policies/${policyId}/reach`)
    await page.getByTestId('reach-channel-chart').locator('canvas').waitFor()
    await page.getByTestId('reach-district-chart').locator('canvas').waitFor()
    await page.getByTestId('reach-district-table').getByText('鼓楼区').waitFor()
    await page.getByTestId('reach-failed-table').waitFor()
  })
})

test('district staff write for their own district only: the district is fixed in the editor', async () => {
  const TJ = { username: 'tjpolicy', phone: '13900003002', name: '台江政策专员', password: 'Taijiang#Pol26', role: 'district', region: '350103' }
  await staffAccount(srv, TJ)
  await withPage(browser, async (page) => {
    await staffLogin(srv, page, TJ)
    await page.goto(`${srv.base}/admin/policies/new`)
    const regions = page.getByTestId('target-regions')
    await regions.getByText('台江区').waitFor()
    await regions.locator('.is-disabled').first().waitFor() // the district picker cannot be changed
    await page.getByText('区县商务局只能向本区县企业发布').waitFor()
  })
})

test('a notice and a service published by staff appear on the portal', async () => {
  const n = await staffCall('POST', '/api/v1/admin/notices', {
    title: '关于开展2026年度外贸企业统计监测工作的通知', summary: '请各外贸企业按时填报。', body_html: '<p>各有关企业：请于本月底前完成填报。</p>',
    department: '福州市商务局', doc_no: '', types: ['trade'], targets: {},
  })
  assert.equal(n.status, 201, JSON.stringify(n.data))
  assert.equal((await staffCall('POST', `/api/v1/admin/notices/${n.data.id}/publish`, {})).status, 200)

  await withPage(browser, async (page) => {
    await staffLogin(srv, page, CITY)
    await page.locator('.shell__menu').getByText('惠企服务').click()
    await page.waitForURL((u) => u.pathname === '/admin/services')
    await page.getByTestId('create-service').click()
    const dlg = page.getByTestId('service-dialog')
    await dlg.getByTestId('save-service').click()
    await dlg.getByText('请输入名称').waitFor()
    await dlg.getByTestId('svc-name').fill('出口信用保险投保补助申请指引')
    await dlg.getByTestId('svc-category').fill('外贸服务')
    await dlg.getByTestId('svc-summary').fill('对投保短期出口信用保险的企业给予保费补助。')
    await dlg.getByTestId('rte-area').click()
    await page.keyboard.type('登录企业后台提交申请材料，区县商务局初审后报市商务局。')
    await dlg.getByTestId('svc-contact').fill('市商务局外贸处 0591-83000000')
    await dlg.getByTestId('save-service').click()
    await toast(page, /已保存“出口信用保险投保补助申请指引”/)
    const row = page.getByTestId('service-table').locator('tr', { hasText: '出口信用保险投保补助申请指引' })
    await row.getByTestId('publish-service').click()
    await toast(page, /已发布/)
    await row.getByTestId('service-status').getByText('已发布').waitFor()
  })

  await withPage(browser, async (page) => {
    await page.goto(srv.base + '/')
    await page.getByTestId('home-notices').getByText('关于开展2026年度外贸企业统计监测工作的通知').click()
    await page.waitForURL((u) => u.pathname === `/notices/${n.data.id}`)
    await page.getByTestId('content-body').getByText('请于本月底前完成填报').waitFor()
    await page.locator('nav.mainnav').getByText('惠企服务', { exact: true }).click()
    await page.getByTestId('service-item').filter({ hasText: '出口信用保险投保补助申请指引' }).click()
    await page.getByTestId('service-detail').getByText('区县商务局初审后报市商务局', { exact: false }).waitFor()
  })
})
