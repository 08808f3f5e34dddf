// The firm's open forecast tasks (未申报 / 草稿 / 退回, deadline not passed
// or reopened), both directions: the phone's 工作台 lists them and its tab
// bar shows their count. One reactive copy so the badge and the list agree.
import { reactive } from 'vue'
import { listMyReports } from '../api/trade.js'

const OPEN = new Set(['not_reported', 'draft', 'returned'])
export const openTrade = reactive({ items: [], loaded: false, loading: false })

/** Whether report `r` still waits for the firm. */
export function isOpenReport(r) {
  if (typeof r.can_edit === 'boolean') return r.can_edit && OPEN.has(r.status)
  return OPEN.has(r.status) && !r.locked
}

/** Reads both directions' recent reports and keeps the open ones, oldest deadline first. */
export async function loadOpenTrade() {
  openTrade.loading = true
  try {
    const lists = await Promise.all(['export', 'import'].map((direction) => listMyReports(
      { direction, page: 1, page_size: 50 }, { notify: false },
    ).then((r) => (r.items || []).map((x) => ({ direction, ...x })))))
    openTrade.items = lists.flat().filter(isOpenReport).sort((a, b) => String(a.deadline).localeCompare(String(b.deadline)))
    openTrade.loaded = true
  } catch {
    // no enterprise, or no permission: nothing to report
    openTrade.items = []
  } finally {
    openTrade.loading = false
  }
}
