// Checks of a dictionary item as the bureau types it (字典管理), mirroring
// src/dict/dict_admin.c so a clerk sees the reason before sending; the
// server checks again and its field errors are shown beside the fields.

export const NAME_MAX = 40

// Unicode format characters (Cf) and line/paragraph separators: they change
// how a name looks without being seen (src/core/text.c zq_cp_invisible).
const INVISIBLE = /[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2028\u2029\ufeff\ufff9-\ufffb]|\udb40[\udc01-\udc7f]/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/** The reason a code cannot be an item of `type`, or ''. */
export function checkCode(type, code) {
  const c = String(code || '')
  if (!c) return '请填写代码'
  if (type === 'region') return /^\d{6}$/.test(c) ? '' : '行政区划代码须为 6 位数字（GB/T 2260）'
  if (type === 'industry') return /^([A-Z]|\d{2})$/.test(c) ? '' : '行业代码须为 1 位大写字母（门类）或 2 位数字（大类）'
  return /^[a-z0-9_]{1,32}$/.test(c) ? '' : '代码须为 1–32 位小写字母、数字或下划线'
}

/** The reason a display name is refused, or ''. */
export function checkName(name) {
  const n = String(name || '').trim()
  if (!n) return '请填写名称'
  if ([...n].length > NAME_MAX) return `名称不能超过 ${NAME_MAX} 个字符`
  if (CONTROL.test(n)) return '名称包含无效字符'
  if (INVISIBLE.test(n)) return '名称包含不可见的格式字符，请重新输入'
  return ''
}

/** Whether `type`'s new item needs / may have a parent, given its code. */
export function parentRule(type, code) {
  if (type === 'region') return 'required'
  if (type === 'industry') return /^\d{2}$/.test(String(code || '')) ? 'required' : 'none'
  return 'none'
}

export const REGION_KINDS = { district: '区', county: '县', 'county-level-city': '县级市', city: '市' }
