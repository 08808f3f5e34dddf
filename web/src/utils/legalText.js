// The simple Markdown of the 用户协议 / 隐私政策 (src/legal/docs.c refuses
// HTML on the way in) as blocks a template renders as text:
//   "# 标题" / "## 标题"  → {type: 'h', level, text}
//   "- 项" / "1. 项"      → items of one {type: 'ul'|'ol', items}
//   other lines          → paragraphs (blank lines separate them)
// Nothing here produces HTML, so no v-html and no sanitizer are needed.

export function legalBlocks(body) {
  const blocks = []
  let para = null
  let list = null
  const flush = () => { para = null; list = null }
  for (const raw of String(body || '').split('\n')) {
    const line = raw.trim()
    if (!line) { flush(); continue }
    const h = /^(#{1,3})\s+(.*)$/.exec(line)
    const ul = /^[-*]\s+(.*)$/.exec(line)
    const ol = /^\d+[.、]\s*(.*)$/.exec(line)
    if (h) {
      flush()
      blocks.push({ type: 'h', level: h[1].length, text: h[2] })
    } else if (ul || ol) {
      const type = ul ? 'ul' : 'ol'
      if (!list || list.type !== type) {
        para = null
        list = { type, items: [] }
        blocks.push(list)
      }
      list.items.push((ul || ol)[1])
    } else {
      list = null
      if (para) para.text += line
      else {
        para = { type: 'p', text: line }
        blocks.push(para)
      }
    }
  }
  return blocks
}

/** "2025-01-02T10:00:00+08:00" → "2025-01-02 10:00". */
export function shortTime(iso) {
  return iso ? String(iso).slice(0, 16).replace('T', ' ') : ''
}
