// The application form of a call (项目申报): checks of an answer against its
// field (typed: text, textarea, number, amount 万元, date, single, multiple,
// bool; required; bounds) and of a file against its material slot (types,
// size cap), shared by the desktop console and the mobile H5 so both say
// the same thing as you type. The server checks everything again on save
// and submit; its field errors use the keys `fields.<key>` and
// `materials.<slot key>`.

const TEXT_MAX = { text: 200, textarea: 2000 }

/** A field's answer when none was given yet. */
export function emptyValue(f) {
  if (f.type === 'multiple') return []
  if (f.type === 'bool') return null
  return ''
}

function isEmpty(v) {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
}

/** '' when `v` is a fine answer to field `f`, else the Chinese reason. */
export function fieldProblem(f, v, { submitting = false } = {}) {
  if (isEmpty(v)) return f.required && submitting ? `请填写${f.label}` : ''
  const num = (x) => Number(x)
  switch (f.type) {
    case 'text':
    case 'textarea': {
      const max = f.max_length || TEXT_MAX[f.type]
      return [...String(v)].length > max ? `${f.label}不能超过${max}个字` : ''
    }
    case 'number':
    case 'amount': {
      const s = String(v).trim()
      const re = f.type === 'amount' ? /^-?\d+(\.\d{1,4})?$/ : /^-?\d+(\.\d+)?$/
      if (!re.test(s)) return f.type === 'amount' ? `${f.label}须为数字（万元，最多4位小数）` : `${f.label}须为数字`
      if (f.type === 'amount' && (num(s) < 0 || num(s) > 1e8)) return `${f.label}须在 0 到 1 亿万元之间`
      if (f.min !== undefined && f.min !== null && num(s) < num(f.min)) return `${f.label}不能小于${f.min}`
      if (f.max !== undefined && f.max !== null && num(s) > num(f.max)) return `${f.label}不能大于${f.max}`
      return ''
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? '' : `${f.label}须为日期`
    case 'single':
      return (f.options || []).includes(v) ? '' : `请从选项中选择${f.label}`
    case 'multiple':
      return v.every((x) => (f.options || []).includes(x)) ? '' : `请从选项中选择${f.label}`
    case 'bool':
      return typeof v === 'boolean' ? '' : `请选择${f.label}`
    default:
      return ''
  }
}

/** '' when `file` fits material slot `s` ({types, max_mb}), else why not. */
export function slotFileProblem(s, file) {
  const ext = (file.name.includes('.') ? file.name.split('.').pop() : '').toLowerCase()
  const types = Array.isArray(s.types) && s.types.length ? s.types : null
  if (types && !types.includes(ext)) return `${s.name}仅支持 ${types.join('、')} 格式`
  if (file.size === 0) return '文件是空的，请重新选择'
  const cap = (Number(s.max_mb) || 10) * 1024 * 1024
  if (file.size > cap) return `${s.name}单个文件不能超过 ${s.max_mb || 10} MB`
  if ([...file.name].length > 120) return '文件名不能超过 120 个字'
  return ''
}

/** The accept attribute of a slot's file input. */
export function slotAccept(s) {
  return (Array.isArray(s.types) ? s.types : []).map((t) => '.' + t).join(',')
}

/** What is still missing before a submit: ['申请金额', '项目计划书', …]. */
export function missingForSubmit(call, fields, materials) {
  const out = []
  for (const f of call.fields || []) if (f.required && isEmpty(fields[f.key])) out.push(f.label)
  for (const s of call.slots || []) if (s.required && !(materials[s.key] || []).length) out.push(s.name)
  return out
}

/** The PUT body of an application: {fields, materials:{slot:[upload ids]}}. */
export function applicationBody(call, fields, materials) {
  const f = {}
  for (const d of call.fields || []) {
    let v = fields[d.key]
    if (isEmpty(v)) continue
    if ((d.type === 'number' || d.type === 'amount') && typeof v === 'string') v = Number(v.trim())
    f[d.key] = v
  }
  const m = {}
  for (const s of call.slots || []) m[s.key] = (materials[s.key] || []).map((x) => x.id)
  return { fields: f, materials: m }
}

/** An application's answers and materials as the editors hold them. */
export function readApplication(call, app) {
  const fields = {}
  for (const d of call.fields || []) {
    const v = app.fields ? app.fields[d.key] : undefined
    fields[d.key] = v === undefined || v === null ? emptyValue(d) : (d.type === 'number' || d.type === 'amount') ? String(v) : v
  }
  const materials = {}
  for (const s of call.slots || []) materials[s.key] = Array.isArray(app.materials?.[s.key]) ? [...app.materials[s.key]] : []
  return { fields, materials }
}

/** An answer as people read it (表单回显、回执、审核). */
export function answerText(d, v) {
  if (v === undefined || v === null || v === '') return '—'
  if (d.type === 'bool') return v ? '是' : '否'
  if (Array.isArray(v)) return v.join('、')
  return d.type === 'amount' ? `${v} 万元` : String(v)
}

/** The last submitted version of an application (versions[]), or null. */
export function lastVersion(app) {
  const v = Array.isArray(app?.versions) ? app.versions : []
  return v.length ? v.reduce((a, b) => (b.version > a.version ? b : a)) : null
}
