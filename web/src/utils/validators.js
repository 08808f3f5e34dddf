// Field validators shared by the desktop (Element Plus) and mobile (Vant)
// forms. Each `check*` function takes the raw value and returns '' when it
// is acceptable or a Chinese message for the person typing. Empty values are
// accepted here: "required" is a separate rule, so optional fields can reuse
// the same checks. The server validates again; these only save a round trip.

/** GB 32100-2015 alphabet: digits and capitals without I, O, S, V, Z. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
/** Weight of position i (1-based) is 3^(i-1) mod 31, for i = 1..17. */
export const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1
  for (let k = 0; k < i; k++) w = (w * 3) % 31
  return w
})

const isEmpty = (v) => v === undefined || v === null || String(v).trim() === ''

/**
 * Check character for the first 17 characters of a USCC, or null when one of
 * them is outside the alphabet (or there are not exactly 17).
 */
export function usccCheckChar(first17) {
  const s = String(first17 || '').toUpperCase()
  if (s.length !== 17) return null
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(s[i])
    if (v < 0) return null
    sum += v * USCC_WEIGHTS[i]
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]
}

export function checkUscc(value) {
  if (isEmpty(value)) return ''
  const s = String(value).trim().toUpperCase()
  for (const ch of s) {
    if (!USCC_ALPHABET.includes(ch)) {
      return `统一社会信用代码含有无效字符“${ch}”（不使用 I、O、S、V、Z）`
    }
  }
  if (s.length !== 18) return `统一社会信用代码应为18位，当前${s.length}位`
  const want = usccCheckChar(s.slice(0, 17))
  if (want !== s[17]) return '统一社会信用代码校验位不正确，请核对后重新输入'
  return ''
}

export const PHONE_RE = /^1[3-9]\d{9}$/
export function checkPhone(value) {
  if (isEmpty(value)) return ''
  return PHONE_RE.test(String(value).trim()) ? '' : '请输入正确的11位手机号码'
}

// Same rule as the server (src/enterprise/validate.h): ASCII local@domain,
// at most 120 characters; local part ≤ 64 of letters, digits and
// !#$%&'*+/=?^_`{|}~.- without leading, trailing or doubled dots; domain of
// at least two labels of letters, digits and inner hyphens (≤ 63 each), the
// last label at least two letters.
const EMAIL_LOCAL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/
const EMAIL_LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/
export function checkEmail(value) {
  if (isEmpty(value)) return ''
  const s = String(value).trim()
  if (s.length > 120) return '邮箱地址不能超过120个字符'
  const at = s.lastIndexOf('@')
  const local = s.slice(0, at)
  const labels = s.slice(at + 1).split('.')
  const ok = at > 0 && s.indexOf('@') === at && EMAIL_LOCAL_RE.test(local) &&
    !local.startsWith('.') && !local.endsWith('.') && !local.includes('..') &&
    labels.length >= 2 && labels.every((l) => EMAIL_LABEL_RE.test(l)) && /^[A-Za-z]{2,}$/.test(labels[labels.length - 1])
  return ok ? '' : '请输入正确的邮箱地址'
}

export const CUSTOMS_RE = /^[0-9A-Za-z]{10}$/
export function checkCustomsCode(value) {
  if (isEmpty(value)) return ''
  return CUSTOMS_RE.test(String(value).trim()) ? '' : '海关代码应为10位字母或数字'
}

/** 万元 amount: non-negative decimal, at most 12 integer digits and 4 decimals. */
export const CAPITAL_RE = /^\d{1,12}(\.\d{1,4})?$/
export function checkCapital(value) {
  if (isEmpty(value)) return ''
  const s = String(value).trim()
  if (s.startsWith('-')) return '注册资本不能为负数'
  if (/^\d+\.\d{5,}$/.test(s)) return '注册资本最多保留4位小数'
  if (/^\d{13,}(\.\d*)?$/.test(s)) return '注册资本数额过大'
  return CAPITAL_RE.test(s) ? '' : '请输入正确的金额（万元，最多4位小数）'
}

/**
 * The quick part of the server's password rule (src/auth/password_policy.c):
 * at least 8 and at most 128 characters, no control characters, and not
 * containing the phone number (nor its last 8 digits). How guessable it is
 * (zxcvbn), the name and the USCC are judged by the server, whose Chinese
 * reason the forms show under the field.
 */
export function checkPassword(value, phone) {
  if (isEmpty(value)) return ''
  const s = String(value)
  if (s.length < 8) return '密码至少 8 位'
  if (new TextEncoder().encode(s).length > 128) return '密码不能超过 128 个字符'
  if (/[\x00-\x1f\x7f]/.test(s)) return '密码不能包含控制字符'
  const p = String(phone || '')
  if ((p.length >= 6 && s.includes(p)) || (p.length === 11 && s.includes(p.slice(3)))) return '密码不能包含手机号'
  return ''
}

export function checkSmsCode(value) {
  if (isEmpty(value)) return ''
  return /^\d{6}$/.test(String(value).trim()) ? '' : '请输入6位数字短信验证码'
}

export function checkMaxLen(max, label) {
  return (value) => (isEmpty(value) || String(value).length <= max ? '' : `${label}不能超过${max}个字符`)
}

export function checkRequired(label, value) {
  if (Array.isArray(value)) return value.length ? '' : `请选择${label}`
  return isEmpty(value) ? `请填写${label}` : ''
}
