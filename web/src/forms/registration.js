// The enterprise application form (manual §1.1), shared by the desktop form
// (components/EnterpriseForm.vue) and the mobile page (Vant): the model, the
// labels, the per-field checks and the JSON bodies of
//   POST /api/v1/register      mode 'register' (creates the account too)
//   POST /api/v1/enterprises   mode 'add'      (a logged-in account adds one)
//   PUT  /api/v1/registration  mode 'edit'     (correct / resubmit)
// Field names are the API's (src/enterprise/form.h ENT_FORM_KEYS); only
// password_confirm and term_long (经营期限“长期”) exist in the UI alone.
import {
  checkUscc, checkPhone, checkEmail, checkCustomsCode, checkCapital,
  checkPassword, checkSmsCode, checkMaxLen, checkRequired,
} from '../utils/validators.js'

export function newRegistration() {
  return {
    name: '',
    uscc: '',
    applicant_role: 'legal_rep', // legal_rep 法人 | staff 非法人
    legal_rep_name: '',
    legal_rep_phone: '',
    contact_name: '',
    contact_phone: '',
    sms_code: '',
    password: '',
    password_confirm: '',
    region: '',
    industry: '', // GB/T 4754 division code, e.g. "13"
    characteristics: [],
    scale: '',
    business_scope: '',
    term_start: '',
    term_end: '',
    term_long: false,
    address: '',
    registered_capital: '',
    founded_on: '',
    staff_size: '',
    financing_stage: '',
    email: '',
    intro: '',
    customs_code: '',
    trade_type: '',
  }
}

export const LABELS = {
  name: '企业名称',
  uscc: '统一社会信用代码',
  applicant_role: '角色',
  legal_rep_name: '法人姓名',
  legal_rep_phone: '法人联系电话',
  contact_name: '姓名',
  contact_phone: '联系电话',
  sms_code: '短信验证码',
  password: '密码',
  password_confirm: '确认密码',
  region: '行政区划',
  industry: '行业分类',
  characteristics: '企业特性',
  scale: '企业规模',
  business_scope: '经营范围',
  term_start: '经营期限',
  term_end: '经营期限',
  address: '注册地址',
  registered_capital: '注册资本/万',
  founded_on: '成立日期',
  staff_size: '人员规模',
  financing_stage: '融资阶段',
  email: '企业邮箱',
  intro: '企业简介',
  customs_code: '海关代码',
  trade_type: '进出口贸易',
  invite: '邀请链接',
  channel: '注册渠道',
}

const SELECTS = new Set(['applicant_role', 'region', 'industry', 'characteristics', 'scale', 'staff_size', 'financing_stage', 'trade_type'])
const ACCOUNT_FIELDS = new Set(['sms_code', 'password', 'password_confirm'])

/** Whether the form of this mode shows the field at all. */
export function hasField(key, mode = 'register') {
  return mode === 'register' || !ACCOUNT_FIELDS.has(key)
}

/** Whether a field is required, given the current model (法人 fields only for 非法人). */
export function isRequired(key, model, mode = 'register') {
  if (!hasField(key, mode)) return false
  switch (key) {
    case 'name': case 'uscc': case 'applicant_role': case 'contact_name': case 'contact_phone':
    case 'sms_code': case 'password': case 'password_confirm': case 'region':
    case 'industry': case 'characteristics': case 'scale':
      return true
    case 'legal_rep_name': case 'legal_rep_phone':
      return model.applicant_role === 'staff'
    default:
      return false
  }
}

// Lengths of src/enterprise/form.c (characters).
const FORMAT = {
  name: [checkMaxLen(100, '企业名称')],
  uscc: [checkUscc],
  legal_rep_name: [checkMaxLen(30, '法人姓名')],
  legal_rep_phone: [checkPhone],
  contact_name: [checkMaxLen(30, '姓名')],
  contact_phone: [checkPhone],
  sms_code: [checkSmsCode],
  password: [(v, m) => checkPassword(v, m.contact_phone)],
  business_scope: [checkMaxLen(2000, '经营范围')],
  address: [checkMaxLen(200, '注册地址')],
  registered_capital: [checkCapital],
  email: [checkEmail],
  intro: [checkMaxLen(2000, '企业简介')],
  customs_code: [checkCustomsCode],
}

/** '' when the field is fine, else the message to show beside it. */
export function checkField(key, model, mode = 'register') {
  if (!hasField(key, mode)) return ''
  const v = model[key]
  if (isRequired(key, model, mode)) {
    const m = checkRequired(LABELS[key], v)
    if (m) return m.replace('请填写', SELECTS.has(key) ? '请选择' : '请输入')
  }
  for (const f of FORMAT[key] || []) {
    const m = f(v, model)
    if (m) return m
  }
  if (key === 'password_confirm' && v && v !== model.password) return '两次输入的密码不一致'
  if (key === 'legal_rep_phone' && model.applicant_role === 'staff' && v && String(v).trim() === String(model.contact_phone).trim()) {
    return '选择“非法人”时，法人联系电话不能与本人联系电话相同'
  }
  if (key === 'term_end' && v && model.term_start && v < model.term_start) return '经营期限结束日期不能早于开始日期'
  if (key === 'founded_on' && v && v > today()) return '成立日期不能晚于今天'
  return ''
}

export const FIELD_KEYS = Object.keys(newRegistration()).filter((k) => k !== 'term_long')

export function today() {
  const d = new Date()
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

const OPTIONAL = ['business_scope', 'term_start', 'address', 'registered_capital', 'founded_on',
  'staff_size', 'financing_stage', 'email', 'intro', 'customs_code', 'trade_type']

/**
 * The JSON body for the mode. Empty optional fields are left out (on PUT
 * too: an absent field is cleared). `invite` (token) and `channel` (web |
 * mobile | qr) go with 'register' and 'add' only.
 */
export function toPayload(model, { mode = 'register', invite = '', channel = '' } = {}) {
  const t = (s) => String(s ?? '').trim()
  const p = {
    name: t(model.name),
    uscc: t(model.uscc).toUpperCase(),
    applicant_role: model.applicant_role,
    contact_name: t(model.contact_name),
    contact_phone: t(model.contact_phone),
    region: model.region,
    industry: model.industry,
    characteristics: [...model.characteristics],
    scale: model.scale,
  }
  if (model.applicant_role === 'staff') {
    p.legal_rep_name = t(model.legal_rep_name)
    p.legal_rep_phone = t(model.legal_rep_phone)
  } else {
    // the applicant is the legal representative: one person, one phone
    p.legal_rep_name = p.contact_name
    p.legal_rep_phone = p.contact_phone
  }
  if (mode === 'register') {
    p.sms_code = t(model.sms_code)
    p.password = model.password
  }
  for (const k of OPTIONAL) {
    const v = t(model[k])
    if (v) p[k] = k === 'customs_code' ? v.toUpperCase() : v
  }
  if (!model.term_long && t(model.term_end)) p.term_end = t(model.term_end)
  if (mode !== 'edit') {
    if (invite) p.invite = String(invite)
    if (channel) p.channel = channel
  }
  return p
}

/** A model filled from an application as GET /api/v1/registration answers it. */
export function fromApplication(app) {
  const m = newRegistration()
  for (const k of Object.keys(m)) {
    if (!app || app[k] === undefined || app[k] === null) continue
    m[k] = k === 'characteristics' ? [...app[k]] : String(app[k])
  }
  if (m.term_start && !m.term_end) m.term_long = true
  return m
}

/** The form field that shows a server error reported for `key`. */
export function fieldForServerKey(key, model) {
  if (model.applicant_role !== 'staff') {
    if (key === 'legal_rep_name') return 'contact_name'
    if (key === 'legal_rep_phone') return 'contact_phone'
  }
  if (key === 'term_start') return 'term_end'
  return key
}
