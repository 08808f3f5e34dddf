// How the API's times read on every page: the API already speaks
// Asia/Shanghai, so this only reshapes the ISO text.

/** "2026-11-29T01:00:58+08:00" → "2026-11-29 01:00" ("—" when absent). */
export function fmtTime(iso, withSeconds = false) {
  if (!iso) return '—'
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?/.exec(iso)
  if (!m) return iso
  return `${m[1]} ${m[2]}${withSeconds && m[3] ? m[3] : ''}`
}
