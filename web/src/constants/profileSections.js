// The seven record sections of 企业信息 — one copy for the console (where
// they are edited), the bureau's 企业详情 and mobile (docs/profile.md, the
// same lists and words as src/profile/section_spec.c): field names, Chinese
// labels, kinds, limits and which `kind` a field belongs to.
//
// field: {key, label, type, required, max, options, kinds, min}
//   type: text | textarea | date | year | int | money | money_signed | area | select | file
//   kinds: the record kinds the field belongs to (absent: every kind)

const LEVELS4 = [['national', '国家级'], ['provincial', '省级'], ['municipal', '市级'], ['district', '区级']]
const LEVELS5 = [...LEVELS4, ['none', '无']]
const opts = (pairs) => pairs.map(([value, label]) => ({ value, label }))

export const SECTION_SPECS = {
  qualifications: {
    title: '企业资质',
    fields: [
      { key: 'name', label: '资质名称', type: 'text', required: true, max: 100 },
      { key: 'level', label: '资质等级', type: 'text', max: 30 },
      { key: 'issuer', label: '发证机关', type: 'text', required: true, max: 100 },
      { key: 'cert_no', label: '证书编号', type: 'text', required: true, max: 64 },
      { key: 'issued_on', label: '发证日期', type: 'date', required: true },
      { key: 'expires_on', label: '有效期至', type: 'date', after: 'issued_on' },
      { key: 'file_id', label: '证书附件', type: 'file' },
    ],
  },
  tech: {
    title: '技术能力',
    kinds: opts([['rd', '研发投入'], ['platform', '研发平台/中心'], ['award', '科技奖项']]),
    fields: [
      { key: 'year', label: '年度', type: 'year', required: true },
      { key: 'rd_staff', label: '研发人员数', type: 'int', required: true, kinds: ['rd'] },
      { key: 'rd_spending', label: '研发投入（万元）', type: 'money', required: true, kinds: ['rd'] },
      { key: 'name', label: '名称', type: 'text', required: true, max: 100, kinds: ['platform', 'award'] },
      { key: 'level', label: '级别', type: 'select', required: true, options: opts(LEVELS4), kinds: ['platform', 'award'] },
      { key: 'approved_by', label: '认定部门', type: 'text', required: true, max: 100, kinds: ['platform'] },
      { key: 'issuer', label: '颁发单位', type: 'text', max: 100, kinds: ['award'] },
      { key: 'file_id', label: '证书附件', type: 'file', kinds: ['award'] },
    ],
  },
  personnel: {
    title: '人事信息',
    fields: [
      { key: 'year', label: '年度', type: 'year', required: true },
      { key: 'total_staff', label: '职工总数', type: 'int', required: true },
      { key: 'rd_staff', label: '研发人员数', type: 'int', required: true, atMost: 'total_staff' },
      { key: 'degree_staff', label: '大专及以上学历人数', type: 'int', required: true, atMost: 'total_staff' },
      { key: 'new_hires', label: '新增就业人数', type: 'int', required: true },
      { key: 'insured_staff', label: '参保人数', type: 'int', required: true, atMost: 'total_staff' },
    ],
  },
  operations: {
    title: '经营数据',
    fields: [
      { key: 'year', label: '年度', type: 'year', required: true },
      { key: 'revenue', label: '营业收入（万元）', type: 'money', required: true },
      { key: 'profit', label: '利润总额（万元）', type: 'money_signed', required: true },
      { key: 'tax', label: '纳税总额（万元）', type: 'money', required: true },
      { key: 'export', label: '出口额（万元）', type: 'money', required: true },
      { key: 'import', label: '进口额（万元）', type: 'money', required: true },
      { key: 'assets', label: '资产总额（万元）', type: 'money', required: true },
    ],
  },
  ip: {
    title: '知识产权',
    kinds: opts([['patent', '专利'], ['trademark', '商标'], ['copyright', '著作权']]),
    fields: [
      { key: 'number', label: '登记号', type: 'text', required: true, max: 64 },
      { key: 'title', label: '名称', type: 'text', required: true, max: 200 },
      { key: 'patent_type', label: '专利类型', type: 'select', required: true, options: opts([['invention', '发明专利'], ['utility', '实用新型'], ['design', '外观设计']]), kinds: ['patent'] },
      { key: 'class_no', label: '商标类别', type: 'int', required: true, min: 1, maxValue: 45, kinds: ['trademark'] },
      { key: 'granted_on', label: '授权日期', type: 'date' },
      { key: 'status', label: '法律状态', type: 'select', required: true, options: opts([['valid', '有效'], ['pending', '申请中'], ['expired', '已过期'], ['invalid', '已失效']]) },
      { key: 'file_id', label: '证书附件', type: 'file' },
    ],
  },
  projects: {
    title: '项目信息',
    fields: [
      { key: 'name', label: '项目名称', type: 'text', required: true, max: 200 },
      { key: 'type', label: '项目类型', type: 'text', required: true, max: 30 },
      { key: 'amount', label: '项目金额（万元）', type: 'money' },
      { key: 'start_on', label: '开始日期', type: 'date', required: true },
      { key: 'end_on', label: '结束日期', type: 'date', after: 'start_on' },
      { key: 'status', label: '项目状态', type: 'select', required: true, options: opts([['planned', '计划中'], ['ongoing', '进行中'], ['completed', '已完成'], ['suspended', '已暂停']]) },
      { key: 'description', label: '项目简介', type: 'textarea', max: 2000, hideInTable: true },
    ],
  },
  carriers: {
    title: '载体信息',
    fields: [
      { key: 'name', label: '载体名称', type: 'text', required: true, max: 200 },
      { key: 'kind', label: '载体类型', type: 'select', required: true, options: opts([['incubator', '孵化器'], ['accelerator', '加速器'], ['maker_space', '众创空间'], ['park', '产业园区'], ['platform', '公共服务平台'], ['other', '其他']]) },
      { key: 'relation', label: '与载体关系', type: 'select', required: true, options: opts([['operates', '运营'], ['resides', '入驻']]) },
      { key: 'level', label: '载体级别', type: 'select', options: opts(LEVELS5) },
      { key: 'area', label: '面积（㎡）', type: 'area' },
      { key: 'address', label: '地址', type: 'text', max: 200 },
    ],
  },
}

export const SECTION_KEYS = Object.keys(SECTION_SPECS)

/** The fields of a record of `kind` (all fields for sections without kinds). */
export function fieldsOf(spec, kind) {
  return spec.fields.filter((f) => !f.kinds || f.kinds.includes(kind))
}

const thisYear = () => new Date().getFullYear()
const MONEY_RE = /^\d{1,12}(\.\d{1,4})?$/
const MONEY_SIGNED_RE = /^-?\d{1,12}(\.\d{1,4})?$/
const AREA_RE = /^\d{1,10}(\.\d{1,2})?$/
const empty = (v) => v === undefined || v === null || String(v).trim() === ''

/** '' when the value of field f is acceptable in record m, else the message. */
export function checkValue(f, m) {
  const v = m[f.key]
  if (empty(v)) {
    if (!f.required) return ''
    return ['select', 'date', 'year'].includes(f.type) ? `请选择${f.label.replace(/（.*）/, '')}` : `请填写${f.label.replace(/（.*）/, '')}`
  }
  const s = String(v).trim()
  switch (f.type) {
    case 'text': case 'textarea':
      return s.length > f.max ? `${f.label}不能超过${f.max}个字符` : ''
    case 'year': {
      const y = Number(s)
      return Number.isInteger(y) && y >= 1949 && y <= thisYear() + 1 ? '' : `年度须在 1949 到 ${thisYear() + 1} 之间`
    }
    case 'int': {
      if (!/^\d{1,9}$/.test(s)) return `${f.label}须为不小于 0 的整数`
      const n = Number(s)
      if (f.min !== undefined && n < f.min) return `${f.label}须在 ${f.min} 到 ${f.maxValue} 之间`
      if (f.maxValue !== undefined && n > f.maxValue) return `${f.label}须在 ${f.min} 到 ${f.maxValue} 之间`
      if (f.atMost && !empty(m[f.atMost]) && n > Number(m[f.atMost])) return `${f.label.replace(/数$/, '')}数不能超过职工总数`
      return ''
    }
    case 'money':
      if (s.startsWith('-')) return `${f.label.replace(/（.*）/, '')}不能为负数`
      return MONEY_RE.test(s) ? '' : '请输入正确的金额（万元，最多4位小数）'
    case 'money_signed':
      return MONEY_SIGNED_RE.test(s) ? '' : '请输入正确的金额（万元，最多4位小数，亏损填负数）'
    case 'area':
      return AREA_RE.test(s) ? '' : '请输入正确的面积（平方米，最多2位小数）'
    case 'date':
      if (f.after && !empty(m[f.after]) && s < m[f.after]) {
        return `${f.label}不能早于${SECTION_LABEL_OF[f.after] || '开始日期'}`
      }
      return ''
    default:
      return ''
  }
}
const SECTION_LABEL_OF = { issued_on: '发证日期', start_on: '开始日期' }

/** The JSON body of a record: strings trimmed, numbers as numbers, money as strings, empties left out. */
export function toBody(spec, kind, m) {
  const body = {}
  if (spec.kinds) body.kind = kind
  for (const f of fieldsOf(spec, kind)) {
    const v = m[f.key]
    if (empty(v)) continue
    if (f.type === 'year' || f.type === 'int') body[f.key] = Number(v)
    else if (f.type === 'file') body[f.key] = v
    else body[f.key] = String(v).trim()
  }
  return body
}

/** A form model from a record as the API answers it. */
export function toModel(spec, kind, rec) {
  const m = {}
  for (const f of fieldsOf(spec, kind)) {
    if (f.type === 'file') m[f.key] = rec && rec.file ? rec.file.id : ''
    else m[f.key] = rec && rec[f.key] !== undefined && rec[f.key] !== null ? String(rec[f.key]) : ''
  }
  return m
}

/** Display text of a record's field in a table. */
export function display(f, rec) {
  const v = rec[f.key]
  if (f.type === 'select') return (f.options.find((o) => o.value === v) || {}).label || v || '—'
  if (v === undefined || v === null || v === '') return '—'
  return String(v)
}
