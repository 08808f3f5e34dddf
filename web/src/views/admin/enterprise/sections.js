// The seven profile sections as the bureau's detail page shows them, derived
// from the one spec (constants/profileSections.js): one tab per section, one
// table per record kind, a column per field with the console's labels and
// option words.
import { SECTION_SPECS, SECTION_KEYS, fieldsOf, display } from '../../../constants/profileSections.js'

const WIDE = new Set(['text', 'textarea'])

function columnsOf(spec, kind) {
  return fieldsOf(spec, kind).map((f) => ({
    key: f.key,
    label: f.label,
    min: WIDE.has(f.type) ? 150 : 110,
    slot: f.type === 'file' ? 'file' : f.key === 'expires_on' ? 'expires' : undefined,
    field: f,
  }))
}

export const SECTIONS = SECTION_KEYS.map((key) => {
  const spec = SECTION_SPECS[key]
  const tables = spec.kinds
    ? spec.kinds.map((k) => ({ title: k.label, kind: k.value, columns: columnsOf(spec, k.value) }))
    : [{ columns: columnsOf(spec) }]
  return { key, title: spec.title, empty: `暂无${spec.title}`, chart: key === 'operations', tables }
})

// Series of the 经营数据 chart (one at a time: BarChart draws one series):
// the money fields of the operations section.
export const OPERATION_METRICS = SECTION_SPECS.operations.fields
  .filter((f) => f.type.startsWith('money'))
  .map((f) => ({ key: f.key, label: f.label.replace(/（.*）/, '') }))

export function cellText(col, row) {
  return display(col.field, row)
}
