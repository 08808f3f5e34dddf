// Element Plus form rules shared by the desktop forms: a check that answers
// its reason (the account forms, staff and dictionary dialogs), a text
// field's length and a rich-text field that must say something (the content
// editors). Checked on blur and change; the server checks again.

/** One rule from `check(value)`, which answers the reason ('' when fine); `required` shows the asterisk. */
export function checkRule(check, required = true) {
  return [{ required, trigger: ['blur', 'change'], validator: (_r, v, cb) => { const m = check(v); m ? cb(new Error(m)) : cb() } }]
}

/** Trimmed text of at most `max` characters, required or not. */
export function textRule(label, max, required = false) {
  return {
    trigger: ['blur', 'change'],
    validator: (_r, v, cb) => {
      const s = String(v || '').trim()
      if (required && !s) return cb(new Error(`请输入${label}`))
      if (s.length > max) return cb(new Error(`${label}不能超过${max}个字`))
      cb()
    },
  }
}

/** Rich-text HTML with visible text (or an image), at most `maxChars` characters of HTML. */
export function richRule(label, maxChars) {
  return {
    trigger: ['blur', 'change'],
    validator: (_r, v, cb) => {
      const html = String(v || '')
      if (!html.replace(/<[^>]*>|&nbsp;/g, '').trim() && !/<img/i.test(html)) return cb(new Error(`请输入${label}`))
      if (html.length > maxChars) return cb(new Error(`${label}过长（不能超过 ${maxChars} 个字符）`))
      cb()
    },
  }
}
