// Fits a chart's option to the width of its box before EChart draws it: on a
// phone (the bureau console at 390 px) twelve district names or a long
// industry name do not fit side by side under the x axis, and ECharts draws
// them over each other when the page asked for every label (interval 0).
// Category labels that would collide are turned 45°, and thinned out
// ('auto' interval) when even turned they collide; ECharts then hides what
// still overlaps (hideOverlap; on value axes too, which on a narrow box
// also ask for fewer ticks). On a narrow box long labels are shortened
// (the tooltip keeps the full name), the grid keeps its labels inside
// (v6's containLabel: outerBoundsMode 'same'), a legend stays on one
// scrolling line and bar value labels give way to each other. Callers keep
// writing one option for every width; the result depends only on the
// option and the width, so EChart redraws only when it changes.

export const NARROW_CHART_PX = 600
const SHORT_EM = 6 // a label wider than six CJK characters is cut on a narrow box
const TURN = 45

const list = (v) => (Array.isArray(v) ? v : v ? [v] : [])
const one = (orig, arr) => (Array.isArray(orig) ? arr : arr[0])

/** Width in px of a label in ECharts' default sans-serif: CJK ≈ 1 em, others ≈ 0.6 em. */
export function textWidth(s, fontSize = 12) {
  let w = 0
  for (const ch of String(s ?? '')) w += ch.codePointAt(0) >= 0x2e80 ? fontSize : fontSize * 0.6
  return w
}

// cut to `em` widths of the font (a CJK character is one), with an ellipsis
function shorten(s, em) {
  const text = String(s ?? '')
  if (textWidth(text, 1) <= em) return text
  let out = ''
  for (const ch of text) {
    if (textWidth(out + ch, 1) > em - 1) break
    out += ch
  }
  return `${out}…`
}

const catValue = (d) => (d && typeof d === 'object' ? d.value : d)

// the text ECharts will draw for a category, through the caller's formatter
function labelText(label, value, i) {
  const f = label.formatter
  if (typeof f === 'function') return String(f(value, i) ?? '')
  if (typeof f === 'string') return f.replace(/\{value\}/g, value)
  return String(value ?? '')
}

// px a box's side option takes ('15%' of width, 36, '36px'); ECharts' defaults otherwise
function side(v, width, dflt) {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.endsWith('%')) return (parseFloat(v) / 100) * width
  if (typeof v === 'string' && v) return parseFloat(v) || 0
  return dflt
}

function fitCategoryAxis(axis, horizontal, plotPx, narrow, width) {
  const label = { ...(axis.axisLabel || {}), hideOverlap: true }
  const values = list(axis.data).map(catValue)
  const n = values.length
  const fontSize = label.fontSize || 12
  const per = n ? plotPx / n : plotPx
  const decision = { n }
  let texts = values.map((v, i) => labelText(label, v, i))
  const widest = () => Math.max(0, ...texts.map((t) => textWidth(t, fontSize)))
  // a y axis' labels stand beside the plot, an x axis' between their neighbours
  const room = horizontal ? per - 6 : width * 0.3
  if (narrow && widest() > room) {
    // too long for a phone: shortened to SHORT_EM (the tooltip keeps the whole)
    const inner = label.formatter
    label.formatter = (v, i) => shorten(labelText({ formatter: inner }, v, i), SHORT_EM)
    texts = texts.map((t) => shorten(t, SHORT_EM))
    decision.short = true
  }
  // a long run (thirty days, two years of months) the caller left to
  // ECharts' own thinning stays level: every few labels read better than
  // all of them turned; a few categories, or all asked for, are turned
  const thinnedByECharts = (label.interval == null || label.interval === 'auto') && n > 12
  if (horizontal && widest() > room && !thinnedByECharts) {
    // turned 45°, neighbours clear each other at ~1.5 line heights apart
    label.rotate = Math.max(Number(label.rotate) || 0, TURN)
    if (fontSize * 1.5 > per) label.interval = 'auto'
    decision.rotate = label.rotate
    decision.interval = label.interval
  } else if (!horizontal && fontSize * 1.4 > per) {
    label.interval = 'auto'
    decision.interval = 'auto'
  }
  return { axis: { ...axis, axisLabel: label }, decision }
}

/**
 * The option to draw in a box `width` × `height` px and its layout key
 * (equal keys draw the same). Pure: `option` is not changed.
 */
export function fitChartOption(option, width, height = 320) {
  if (!option || !width) return { option, key: 'as-is' }
  const narrow = width < NARROW_CHART_PX
  const out = { ...option }
  const grids = list(option.grid)
  const g0 = grids[0] || {}
  // the x axis' length: the grid's width less the y axis labels beside it
  const left = side(g0.left, width, width * 0.15)
  const right = side(g0.right, width, width * 0.1)
  const plotW = narrow ? width - Math.min(left, 8) - right - 36 : width - left - right
  const plotH = height - side(g0.top, height, 60) - side(g0.bottom, height, 60)
  const keys = [narrow ? 'n' : 'w']
  for (const dim of ['xAxis', 'yAxis']) {
    if (!option[dim]) continue
    const axes = list(option[dim]).map((a) => {
      const type = a.type || (dim === 'xAxis' ? 'category' : 'value')
      if (type !== 'category') {
        // value and time axes pick their ticks by count, not by room: on a
        // narrow box an x axis gets fewer, and what still collides is hidden
        const fewer = narrow && dim === 'xAxis' ? { splitNumber: Math.min(a.splitNumber ?? 5, 3) } : {}
        return { ...a, ...fewer, axisLabel: { ...(a.axisLabel || {}), hideOverlap: true } }
      }
      const { axis, decision } = fitCategoryAxis(a, dim === 'xAxis', dim === 'xAxis' ? plotW : plotH, narrow, width)
      keys.push(`${dim}:${decision.n}:${decision.short ? 's' : ''}:${decision.rotate || 0}:${decision.interval ?? ''}`)
      return axis
    })
    out[dim] = one(option[dim], axes)
  }
  if (narrow) {
    if (grids.length) {
      // the axis labels inside the grid's box, whose left and bottom edges
      // then hug the canvas' (the right keeps the room callers leave for
      // value labels; a legend at the bottom keeps its own)
      const legendBelow = list(option.legend).some((l) => l.bottom != null || l.top === 'bottom')
      // a legend across the top and a y axis name under it: the name moves
      // down below the legend's line
      const legendAbove = option.legend && !legendBelow
      const yNamed = list(option.yAxis).some((a) => a.name)
      out.grid = one(option.grid, grids.map((g) => ({
        ...g,
        top: legendAbove && yNamed ? Math.max(side(g.top, width, 60), 48) : g.top,
        left: Math.min(side(g.left, width, 8), 8),
        bottom: legendBelow ? g.bottom : Math.min(side(g.bottom, width, 10), 10),
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      })))
    }
    if (option.legend) out.legend = one(option.legend, list(option.legend).map((l) => ({ ...l, type: 'scroll' })))
    if (option.series) {
      out.series = one(option.series, list(option.series).map((s) => (s.label?.show ? { ...s, labelLayout: { hideOverlap: true, ...(s.labelLayout || {}) } } : s)))
    }
  }
  return { option: out, key: keys.join('|') }
}
