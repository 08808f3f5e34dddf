// What both registration screens (the bureau's 注册审核 detail and the
// enterprise's 注册信息) show of an application: dictionary codes as names
// (the five dictionaries a registration uses) and the 经营信息 rows, built
// once from the application so the two screens cannot word them apart.
import { computed, reactive } from 'vue'
import { getDictAll, dictName } from '../api/dicts.js'

/** @param {import('vue').Ref<object|null>} app the registration as the API answers it */
export function useRegistrationFacts(app) {
  const dicts = reactive({ characteristic: [], scale: [], staff_size: [], financing_stage: [], trade_type: [] })
  for (const t of Object.keys(dicts)) getDictAll(t, { notify: false }).then((x) => { dicts[t] = x }).catch(() => {})

  /** a code or a list of codes of dictionary `type` as names, '—' for none */
  const names = (type, v) => {
    if (Array.isArray(v)) return v.length ? v.map((c) => dictName(dicts[type], c)).join('、') : '—'
    return v ? dictName(dicts[type], v) : '—'
  }
  const term = (a) => (!a.term_start && !a.term_end ? '—' : `${a.term_start || '—'} 至 ${a.term_end || '长期'}`)

  /** the 经营信息 rows: [{ label, value, span }] for el-descriptions-item */
  const businessFacts = computed(() => {
    const a = app.value
    if (!a) return []
    return [
      { label: '经营范围', value: a.business_scope || '—', span: 2 },
      { label: '经营期限', value: term(a) },
      { label: '注册资本', value: a.registered_capital ? `${a.registered_capital} 万元` : '—' },
      { label: '注册地址', value: a.address || '—' },
      { label: '成立日期', value: a.founded_on || '—' },
      { label: '人员规模', value: names('staff_size', a.staff_size) },
      { label: '融资阶段', value: names('financing_stage', a.financing_stage) },
      { label: '企业邮箱', value: a.email || '—' },
      { label: '海关代码', value: a.customs_code || '—' },
      { label: '进出口贸易', value: names('trade_type', a.trade_type) },
    ]
  })
  return { names, businessFacts }
}
