// The enterprise registration form (manual §1.1), shared by the desktop page
// (Element Plus) and the mobile page (Vant): the model, the labels, the
// per-field checks and the payload sent to POST /api/v1/register.
import {
  checkUscc, checkPhone, checkEmail, checkCustomsCode, checkCapital,
  checkPassword, checkSmsCode, checkMaxLen, checkRequired,
} from '../utils/validators.js'

export function newRegistration() {
  return {
    name: '',
    uscc: '',
    role: 'legal_rep', // legal_rep 法人 | staff 非法人
    legal_rep_name: '',
    legal_rep_phone: '',
    contact_name: '',
    phone: '',
    sms_code: '',
    password: '',
    password_confirm: '',
    region: '',
    industry: '', // GB/T 4754 division code, e.g. "13"
    characteristics: [],
    scale: '',
    business_scope: '',
    business_term_start: '',
    business_term_end: '',
    business_term_long: false,
    reg_address: '',
    registered_capital: '',
    established_on: '',
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
  role: '角色',
  legal_rep_name: '法人姓名',
  legal_rep_phone: '法人联系电话',
  contact_name: '姓名',
  phone: '联系电话',
  sms_code: '短信验证码',
  password: '密码',
  password_confirm: '确认密码',
  region: '行政区划',
  industry: '行业分类',
  characteristics: '企业特性',
  scale: '企业规模',
  business_scope: '经营范围',
  business_term_start: '经营期限',
  business_term_end: '经营期限',
  reg_address: '注册地址',
  registered_capital: '注册资本/万',
  established_on: '成立日期',
  staff_size: '人员规模',
  financing_stage: '融资阶段',
  email: '企业邮箱',
  intro: '企业简介',
  customs_code: '海关代码',
  trade_type: '进出口贸易',
}

const SELECTS = new Set(['role', 'region', 'industry', 'characteristics', 'scale', 'staff_size', 'financing_stage', 'trade_type'])

/** Whether a field is required, given the current model (法人 fields only for 非法人). */
export function isRequired(key, model) {
  switch (key) {
    case 'name': case 'uscc': case 'role': case 'contact_name': case 'phone':
    case 'sms_code': case 'password': case 'password_confirm': case 'region':
    case 'industry': case 'characteristics': case 'scale':
      return true
    case 'legal_rep_name': case 'legal_rep_phone':
      return model.role === 'staff'
    default:
      return false
  }
}

const FORMAT = {
  name: [checkMaxLen(100, '企业名称')],
  uscc: [checkUscc],
  legal_rep_name: [checkMaxLen(30, '法人姓名')],
  legal_rep_phone: [checkPhone],
  contact_name: [checkMaxLen(30, '姓名')],
  phone: [checkPhone],
  sms_code: [checkSmsCode],
  password: [(v, m) => checkPassword(v, m.phone)],
  business_scope: [checkMaxLen(1000, '经营范围')],
  reg_address: [checkMaxLen(200, '注册地址')],
  registered_capital: [checkCapital],
  email: [checkEmail],
  intro: [checkMaxLen(2000, '企业简介')],
  customs_code: [checkCustomsCode],
}

/** '' when the field is fine, else the message to show beside it. */
export function checkField(key, model) {
  const v = model[key]
  if (isRequired(key, model)) {
    const m = checkRequired(LABELS[key], v)
    if (m) return m.replace('请填写', SELECTS.has(key) ? '请选择' : '请输入')
  }
  for (const f of FORMAT[key] || []) {
    const m = f(v, model)
    if (m) return m
  }
  if (key === 'password_confirm' && v && v !== model.password) return '两次输入的密码不一致'
  if (key === 'business_term_end' && v && model.business_term_start && v < model.business_term_start) return '经营期限结束日期不能早于开始日期'
  if (key === 'established_on' && v && v > today()) return '成立日期不能晚于今天'
  return ''
}

export const FIELD_KEYS = Object.keys(LABELS)

export function today() {
  const d = new Date()
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** The JSON body of POST /api/v1/register. Empty optional fields are left out. */
export function toPayload(model, inviteToken) {
  const t = (s) => String(s ?? '').trim()
  const p = {
    name: t(model.name),
    uscc: t(model.uscc).toUpperCase(),
    role: model.role,
    contact_name: t(model.contact_name),
    phone: t(model.phone),
    sms_code: t(model.sms_code),
    password: model.password,
    region: model.region,
    industry: model.industry,
    characteristics: [...model.characteristics],
    scale: model.scale,
  }
  if (model.role === 'staff') {
    p.legal_rep_name = t(model.legal_rep_name)
    p.legal_rep_phone = t(model.legal_rep_phone)
  } else {
    p.legal_rep_name = p.contact_name
    p.legal_rep_phone = p.phone
  }
  const optional = ['business_scope', 'business_term_start', 'reg_address', 'registered_capital',
    'established_on', 'staff_size', 'financing_stage', 'email', 'intro', 'customs_code', 'trade_type']
  for (const k of optional) {
    const v = t(model[k])
    if (v) p[k] = k === 'customs_code' ? v.toUpperCase() : v
  }
  if (model.business_term_long) p.business_term_long = true
  else if (t(model.business_term_end)) p.business_term_end = t(model.business_term_end)
  if (inviteToken) p.invite_token = String(inviteToken)
  return p
}

/** The form field that shows a server error reported for `key`. */
export function fieldForServerKey(key, model) {
  if (model.role !== 'staff') {
    if (key === 'legal_rep_name') return 'contact_name'
    if (key === 'legal_rep_phone') return 'phone'
  }
  if (key === 'business_term_long') return 'business_term_end'
  return key
}
