// What the bureau's 外贸监测 pages share: who is looking (city or district
// staff — district staff see and act on their district only, and only city
// staff create tasks), the district list for filters, the task list for
// the task pickers, and a task's label.
import { computed, ref } from 'vue'
import { session } from '../../../api/auth.js'
import { getDistricts } from '../../../api/dicts.js'
import { listTasks } from '../../../api/trade.js'
import { DIRECTIONS, monthLabel } from '../../../constants/trade.js'
import { staffCan } from '../access.js'

export function useTradeStaff() {
  const staffRegion = computed(() => (session.me?.user?.role === 'district' ? session.me.user.region : ''))
  const isCity = computed(() => !staffRegion.value)
  const canManage = computed(() => staffCan('trade.manage'))
  const canReview = computed(() => staffCan('trade.review'))
  const districts = ref([])
  getDistricts({ notify: false }).then((d) => { districts.value = d }).catch(() => {})
  const regionName = (code) => districts.value.find((d) => d.code === code)?.name || code || '—'
  return { staffRegion, isCity, canManage, canReview, districts, regionName }
}

/** 「2026年12月 出口 · 名称」 */
export function taskLabel(t) {
  return `${monthLabel(t.year, t.month)} ${DIRECTIONS[t.direction]?.text || ''} · ${t.name}`
}

/** The latest tasks for a picker (newest first); `pick` gets the chosen id. */
export function useTaskOptions() {
  const tasks = ref([])
  const loaded = listTasks({ page: 1, page_size: 100 }, { notify: false })
    .then((r) => { tasks.value = r.items || []; return tasks.value })
    .catch(() => [])
  return { tasks, loaded }
}

/** The API's count objects in the completeness words. */
export const COMPLETENESS = [
  { key: 'reported', text: '已上报', color: '#1a5bb8' },
  { key: 'approved', text: '已通过', color: '#2f9e44' },
  { key: 'returned', text: '已退回', color: '#e8590c' },
  { key: 'not_reported', text: '未上报', color: '#adb5bd' },
  { key: 'late', text: '逾期', color: '#c92a2a' },
]
