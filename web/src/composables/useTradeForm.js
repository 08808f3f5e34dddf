// The forecast form both the console and the phone use (manual 5.1/5.2,
// 6.1): the report from GET /enterprise/trade/reports/:id, the four
// amounts and two reasons being typed, each block's 去年同期 and live 同比,
// whether a reason is required now (the thresholds the server sent), the
// checks as you type, and save / submit / withdraw with the version the
// server gave (a 409 for a stale version is explained and offers a reload).
// The screens only lay this out.
import { computed, reactive, ref } from 'vue'
import { getMyReport, saveMyReport, submitMyReport, withdrawMyReport } from '../api/trade.js'
import { BLOCKS, reportMonth } from '../constants/trade.js'
import {
  DEFAULT_THRESHOLDS, checkAmount, periodLabels, reasonLabels, reasonRequired, yoy,
} from '../utils/tradeMath.js'
import { useServerErrors } from './useServerErrors.js'
import { can } from '../views/console/access.js'

export const REASON_MAX = 500
const FIELDS = ['month', 'ytd', 'next_month', 'next_quarter', 'month_reason', 'ytd_reason']
const EDITABLE = new Set(['not_reported', 'draft', 'returned'])

// The API's report carries each block as an object {label, forecast,
// last_year, yoy, reason?, reason_required?} (src/trade/view.c).
const blockOf = (r, k) => (r && r[k] && typeof r[k] === 'object' ? r[k] : {})
const str = (v) => (v === null || v === undefined ? '' : String(v))

function isConflict(e) {
  return e && e.status === 409
}

export function useTradeForm(id) {
  const report = ref(null)
  const loading = ref(false)
  const busy = ref('') // 'save' | 'submit' | 'withdraw' while a call runs
  const loadError = ref('')
  const stale = ref('') // the 409 explanation, with a reload offered
  const touched = reactive(Object.fromEntries(FIELDS.map((k) => [k, false])))
  const form = reactive(Object.fromEntries(FIELDS.map((k) => [k, ''])))
  const err = useServerErrors(form, FIELDS)

  function apply(r) {
    report.value = r
    for (const b of BLOCKS) form[b.key] = str(blockOf(r, b.key).forecast)
    form.month_reason = str(blockOf(r, 'month').reason)
    form.ytd_reason = str(blockOf(r, 'ytd').reason)
    for (const k of FIELDS) touched[k] = false
    stale.value = ''
  }

  async function load() {
    loading.value = true
    loadError.value = ''
    try {
      apply(await getMyReport(id, { notify: false }))
    } catch (e) {
      loadError.value = e.message
    } finally {
      loading.value = false
    }
  }

  const thresholds = computed(() => ({ ...DEFAULT_THRESHOLDS, ...(report.value?.thresholds || {}) }))
  const labels = computed(() => (report.value ? periodLabels(report.value.year, reportMonth(report.value)) : null))
  const reasonTitles = computed(() => reasonLabels(thresholds.value))
  const editable = computed(() => {
    const r = report.value
    // reading needs policy.view, filling trade.report (the server checks again)
    if (!r || !can('trade.report')) return false
    if (typeof r.can_edit === 'boolean') return r.can_edit
    return EDITABLE.has(r.status) && !r.locked
  })
  const canWithdraw = computed(() => {
    const r = report.value
    if (!r || !can('trade.report')) return false
    if (typeof r.can_withdraw === 'boolean') return r.can_withdraw
    return r.status === 'pending' && !r.locked && !r.overdue
  })

  // per block: 去年同期, live 同比, whether its reason is needed now
  const blocks = computed(() => BLOCKS.map((b) => {
    const base = str(blockOf(report.value, b.key).last_year) || '0'
    const t = thresholds.value
    const need = b.reason === 'month_reason' ? reasonRequired(form.month, base, t.month_down, t.month_up)
      : b.reason === 'ytd_reason' ? reasonRequired(form.ytd, base, t.ytd_down, t.ytd_up) : false
    return {
      ...b,
      title: labels.value ? labels.value[b.key].title : '',
      period: labels.value ? labels.value[b.key].period : '',
      saved: blockOf(report.value, b.key), // the server's own 同比 and reason_required for the stored values
      base,
      yoy: checkAmount(form[b.key]) ? null : yoy(form[b.key], base),
      reasonNeeded: need,
      reasonTitle: b.reason ? reasonTitles.value[b.key] : '',
    }
  }))

  /** The reason a field is wrong now ('' when fine); `forSubmit` also asks for blanks. */
  function fieldError(k, forSubmit = false) {
    if (err.fields[k]) return err.fields[k]
    const v = String(form[k] || '').trim()
    if (k.endsWith('_reason')) {
      const b = blocks.value.find((x) => x.reason === k)
      if (v.length > REASON_MAX) return `原因不能超过${REASON_MAX}个字`
      if (b && b.reasonNeeded && !v && (forSubmit || touched[k])) return `同比超出范围，请填写${b.reasonTitle}`
      return ''
    }
    if (!v) return forSubmit ? '请输入贸易金额' : ''
    return checkAmount(v)
  }
  const errors = computed(() => Object.fromEntries(FIELDS.map((k) => [k, touched[k] ? fieldError(k) : err.fields[k]])))

  function body() {
    const b = Object.fromEntries(FIELDS.map((k) => [k, String(form[k] || '').trim()]))
    // a blank amount is "not filled yet" (null), never an empty string
    for (const bl of BLOCKS) if (!b[bl.key]) b[bl.key] = null
    // a reason no longer needed is not kept (the server would store it)
    for (const bl of blocks.value) if (bl.reason && !bl.reasonNeeded) b[bl.reason] = ''
    return { ...b, version: report.value.version }
  }

  async function run(kind, fn) {
    err.clear()
    stale.value = ''
    busy.value = kind
    try {
      const r = await fn()
      // an answer carrying the report is used as is, else it is read again
      apply(r && r.id && r.status ? r : await getMyReport(id, { notify: false }))
      return true
    } catch (e) {
      // 409: a stale version (someone saved meanwhile) or a state that no
      // longer allows it (submitted elsewhere, deadline passed): the server
      // says which; nothing was stored, the latest content is one click away
      if (isConflict(e)) stale.value = `${e.message || '报表已被修改'}。本次操作未保存，请载入最新内容核对后再操作。`
      else err.show(e)
      return false
    } finally {
      busy.value = ''
    }
  }

  /** All fields checked as for a submit; the first wrong one's key, or ''. */
  function firstInvalid() {
    for (const k of FIELDS) touched[k] = true
    return FIELDS.find((k) => fieldError(k, true)) || ''
  }

  const save = () => run('save', () => saveMyReport(id, body(), { notify: false }))
  const submit = () => run('submit', async () => {
    const saved = await saveMyReport(id, body(), { notify: false })
    const version = saved && saved.version !== undefined ? saved.version : report.value.version + 1
    return submitMyReport(id, { version }, { notify: false })
  })
  const withdraw = () => run('withdraw', () => withdrawMyReport(id, { version: report.value.version }, { notify: false }))

  return {
    report, form, touched, loading, busy, loadError, stale, err, errors, blocks, editable, canWithdraw,
    load, save, submit, withdraw, fieldError, firstInvalid,
  }
}
