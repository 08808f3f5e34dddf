// An in-memory model of the issue-12 trade API (the contract in `issues
// show 12`: paths, bodies, status codes, decimal strings), answered inside
// the browser context with Playwright routing while the real server's trade
// routes are being written on branch h12-trade. Everything else (login,
// sessions, enterprises, dictionaries) is the real server. It keeps the
// contract's rules the screens depend on: versions (409 on a stale one),
// legal transitions (409 otherwise), field errors with Chinese messages,
// reasons required past the thresholds. Swap it out (drop `install`) once
// the server answers these routes.
import { checkAmount, reasonRequired, yoy } from '../../web/src/utils/tradeMath.js'

const BLOCKS = ['month', 'ytd', 'next_month', 'next_quarter']
const TH = { month_down: '20', month_up: '10', ytd_down: '20', ytd_up: '15' }

export function tradeFake({ enterprise, region = '350102', regionName = '鼓楼区', lastYear, today = '2026-12-07' }) {
  const s = { tasks: [], reports: [], seq: 0, reminded: 0 }
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, '+00:00')
  const err = (status, code, message, fields) => ({ status, body: { error: { code, message, fields: fields || {} } } })

  function detail(r) {
    const t = s.tasks.find((x) => x.id === r.task_id)
    const values = Object.fromEntries(BLOCKS.map((k) => [k, r.values[k] ?? null]))
    return {
      id: r.id, task_id: t.id, year: t.year, month: t.month, direction: t.direction, task_name: t.name, deadline: t.deadline,
      status: r.status, overdue: t.deadline < today && ['not_reported', 'draft', 'returned'].includes(r.status), locked: false,
      version: r.version, enterprise: { id: enterprise.id, name: enterprise.name, customs_code: enterprise.customs_code, region, region_name: regionName },
      values, month_reason: r.month_reason, ytd_reason: r.ytd_reason, last_year: { ...lastYear }, thresholds: { ...TH },
      yoy: Object.fromEntries(BLOCKS.map((k) => [k, yoy(values[k], lastYear[k])])),
      reason_required: { month: reasonRequired(values.month, lastYear.month, TH.month_down, TH.month_up), ytd: reasonRequired(values.ytd, lastYear.ytd, TH.ytd_down, TH.ytd_up) },
      return_reason: r.return_reason || '', submitted_at: r.submitted_at || null, flags: r.flags || [], history: r.history,
    }
  }
  function counts(list) {
    const c = { total: list.length, reported: 0, approved: 0, returned: 0, not_reported: 0, late: 0, pending: 0 }
    for (const r of list) {
      if (['pending', 'approved', 'returned'].includes(r.status)) c.reported++
      if (r.status === 'approved') c.approved++
      if (r.status === 'returned') c.returned++
      if (r.status === 'pending') c.pending++
      if (r.status === 'not_reported' || r.status === 'draft') c.not_reported++
    }
    return c
  }
  function checkValues(b) {
    const fields = {}
    for (const k of BLOCKS) {
      const m = checkAmount(b[k])
      if (m) fields[k] = m
    }
    for (const k of ['month_reason', 'ytd_reason']) if (String(b[k] || '').length > 500) fields[k] = '原因不能超过500个字'
    return Object.keys(fields).length ? err(400, 'invalid_amount', '填写内容有误，请按提示更正', fields) : null
  }

  function handle(method, path, q, body) {
    let m
    if (method === 'GET' && path === '/api/v1/enterprise/trade/reports') {
      const items = s.reports.map(detail).filter((r) => r.direction === q.get('direction'))
        .filter((r) => !q.get('status') || r.status === q.get('status'))
      return { status: 200, body: { items, total: items.length } }
    }
    if ((m = /^\/api\/v1\/enterprise\/trade\/reports\/(\d+)(\/submit|\/withdraw)?$/.exec(path))) {
      const r = s.reports.find((x) => x.id === Number(m[1]))
      if (!r) return err(404, 'not_found', '报表不存在')
      if (method === 'GET' && !m[2]) return { status: 200, body: detail(r) }
      if (body.version !== r.version) return err(409, 'version_conflict', '报表已被修改，请刷新后重试')
      if (method === 'PUT' && !m[2]) {
        if (!['not_reported', 'draft', 'returned'].includes(r.status)) return err(409, 'invalid_transition', '该报表当前状态不能修改')
        const bad = checkValues(body)
        if (bad) return bad
        for (const k of BLOCKS) r.values[k] = body[k] === '' ? null : body[k]
        r.month_reason = body.month_reason || ''
        r.ytd_reason = body.ytd_reason || ''
        if (r.status === 'not_reported') r.status = 'draft'
        r.version++
        r.history.push({ at: now(), action: 'saved', actor_name: enterprise.person })
        return { status: 200, body: detail(r) }
      }
      if (method === 'POST' && m[2] === '/submit') {
        if (!['draft', 'not_reported', 'returned'].includes(r.status)) return err(409, 'invalid_transition', '该报表当前状态不能上报')
        const d = detail(r)
        const fields = {}
        for (const k of BLOCKS) if (d.values[k] === null) fields[k] = '请输入贸易金额'
        if (d.reason_required.month && !r.month_reason.trim()) fields.month_reason = '当月同比超出范围，请填写原因'
        if (d.reason_required.ytd && !r.ytd_reason.trim()) fields.ytd_reason = '累计同比超出范围，请填写原因'
        if (Object.keys(fields).length) return err(422, 'report_incomplete', '报表未填写完整', fields)
        r.status = 'pending'
        r.version++
        r.submitted_at = now()
        r.history.push({ at: now(), action: 'submitted', actor_name: enterprise.person })
        return { status: 200, body: detail(r) }
      }
      if (method === 'POST' && m[2] === '/withdraw') {
        if (r.status !== 'pending') return err(409, 'invalid_transition', '只有待审核的报表可以撤回')
        r.status = 'draft'
        r.version++
        r.history.push({ at: now(), action: 'withdrawn', actor_name: enterprise.person })
        return { status: 200, body: detail(r) }
      }
    }
    if (path === '/api/v1/admin/trade/tasks' && method === 'GET') {
      const items = s.tasks.map((t) => ({ ...t, ...counts(s.reports.filter((r) => r.task_id === t.id)), reports: s.reports.filter((r) => r.task_id === t.id).length }))
      return { status: 200, body: { items: items.reverse(), total: items.length } }
    }
    if (path === '/api/v1/admin/trade/tasks' && method === 'POST') {
      const fields = {}
      if (!String(body.name || '').trim()) fields.name = '请输入任务名称'
      if (!/^\d{4}-\d{2}-\d{2}$/.test(body.deadline || '')) fields.deadline = '请选择申报截至日期'
      if (Object.keys(fields).length) return err(400, 'invalid_task', '任务信息有误', fields)
      const t = { id: ++s.seq, year: body.year, month: body.month, direction: body.direction, name: body.name, deadline: body.deadline, note: body.note || '', created_at: now() }
      s.tasks.push(t)
      s.reports.push({ id: 100 + t.id, task_id: t.id, status: 'not_reported', version: 1, values: {}, month_reason: '', ytd_reason: '', history: [{ at: now(), action: 'created', actor_name: '商务局' }] })
      return { status: 201, body: { id: t.id, reports: 1 } }
    }
    if ((m = /^\/api\/v1\/admin\/trade\/tasks\/(\d+)\/(reports|summary|remind)$/.exec(path))) {
      const list = s.reports.filter((r) => r.task_id === Number(m[1]))
      if (m[2] === 'reports') {
        const items = list.map(detail).filter((r) => !q.get('status') || r.status === q.get('status'))
        return { status: 200, body: { items, total: items.length } }
      }
      if (m[2] === 'summary') {
        const c = counts(list)
        return { status: 200, body: { total: c, by_region: [{ region, region_name: regionName, ...c }] } }
      }
      const n = list.filter((r) => r.status === 'not_reported' || r.status === 'draft').length
      s.reminded += n
      return { status: 200, body: { reminded: n, skipped: 0 } }
    }
    if ((m = /^\/api\/v1\/admin\/trade\/reports\/(\d+)\/(approve|return|reopen)$/.exec(path)) && method === 'POST') {
      const r = s.reports.find((x) => x.id === Number(m[1]))
      if (!r) return err(404, 'not_found', '报表不存在')
      if (m[2] !== 'reopen' && r.status !== 'pending') return err(409, 'invalid_transition', '只有待审核的报表可以审核')
      if (m[2] === 'return' && !String(body.reason || '').trim()) return err(400, 'reason_required', '请填写退回原因', { reason: '请填写退回原因' })
      r.status = m[2] === 'approve' ? 'approved' : m[2] === 'return' ? 'returned' : 'draft'
      r.return_reason = m[2] === 'return' ? body.reason : r.return_reason
      r.version++
      r.history.push({ at: now(), action: m[2] === 'approve' ? 'approved' : m[2] === 'return' ? 'returned' : 'reopened', actor_name: '市商务局', reason: body.reason || '' })
      return { status: 200, body: detail(r) }
    }
    if (path === '/api/v1/admin/trade/settings' && method === 'GET') {
      return { status: 200, body: { schedule: { enabled: false, day: 20, deadline_day: 28, directions: ['export', 'import'] }, remind_days_before: 3, thresholds: [{ year: 2026, ...TH }] } }
    }
    return err(404, 'not_found', '请求的内容不存在')
  }

  /** Routes the trade API of every page of `context` to this model. */
  async function install(context) {
    await context.route(/\/api\/v1\/(enterprise|admin)\/trade\//, async (route) => {
      const req = route.request()
      const u = new URL(req.url())
      let body = {}
      try { body = req.postData() ? JSON.parse(req.postData()) : {} } catch { body = {} }
      const a = handle(req.method(), u.pathname, u.searchParams, body)
      await route.fulfill({ status: a.status, contentType: 'application/json', body: JSON.stringify(a.body) })
    })
  }
  return { state: s, install, detail }
}
