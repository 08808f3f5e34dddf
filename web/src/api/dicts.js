// Dictionaries and platform status. Dictionaries change rarely (bureau staff
// edit them), so each list is fetched once per page load and shared; the
// editor (字典管理) drops that copy after each change, and the server
// answers with an ETag the browser revalidates, so a new page load always
// sees the current items. The public lists hold enabled items only.
import { del, get, post, put } from './client.js'

export const DICT_TYPES = [
  { type: 'region', name: '行政区划', hierarchical: true },
  { type: 'industry', name: '行业分类（GB/T 4754-2017）', short: '行业分类', hierarchical: true },
  { type: 'characteristic', name: '企业特性' },
  { type: 'scale', name: '企业规模' },
  { type: 'staff_size', name: '人员规模' },
  { type: 'financing_stage', name: '融资阶段' },
  { type: 'trade_type', name: '进出口贸易' },
  { type: 'policy_type', name: '政策类型' },
]

const cache = new Map()

/**
 * GET /api/v1/dicts → [{type,name,hierarchical,short?}]: the types the
 * bureau keeps, in the order of DICT_TYPES (unknown types last).
 */
export function getDictTypes(opts) {
  const rank = (t) => { const i = DICT_TYPES.findIndex((x) => x.type === t); return i < 0 ? DICT_TYPES.length : i }
  return cached('__types', () => get('/dicts', opts).then((d) => (Array.isArray(d?.items) ? d.items : [])
    .map((t) => ({ ...t, short: DICT_TYPES.find((x) => x.type === t.type)?.short }))
    .sort((a, b) => rank(a.type) - rank(b.type))))
}

function cached(key, load) {
  if (!cache.has(key)) {
    const p = load().catch((e) => { cache.delete(key); throw e })
    cache.set(key, p)
  }
  return cache.get(key)
}

/** Forgets every list fetched so far (after an edit in 字典管理). */
export function invalidateDicts() {
  cache.clear()
}

/** Flat list [{code,name,parent?}] of one dictionary type. */
export function getDict(type, opts) {
  return cached(type, () => get(`/dicts/${encodeURIComponent(type)}`, opts).then((d) => (Array.isArray(d?.items) ? d.items : [])))
}

/**
 * Every item of a type, disabled ones too (marked `disabled: true`): for
 * showing the name of a code a record holds, never for offering choices.
 */
export function getDictAll(type, opts) {
  return cached(`${type}&all`, () => get(`/dicts/${encodeURIComponent(type)}`, { ...opts, query: { all: 1 } })
    .then((d) => (Array.isArray(d?.items) ? d.items : [])))
}

/**
 * The choices of a picker over an all-items list: the enabled items, plus
 * the disabled ones the record already holds (`held`: a code or a list),
 * labelled （已停用） — the server accepts a held disabled code, not a new one.
 */
export function pickable(items, held) {
  const keep = new Set(Array.isArray(held) ? held : held ? [held] : [])
  return labelled((items || []).filter((x) => !x.disabled || keep.has(x.code)))
}

/** Every item, the disabled ones named （已停用）: for filters over stored records. */
export function labelled(items) {
  return (items || []).map((x) => (x.disabled ? { ...x, name: `${x.name}（已停用）` } : x))
}

function treeItems(d) {
  return Array.isArray(d?.items) ? d.items.map((s) => ({ ...s, children: Array.isArray(s.children) ? s.children : [] })) : []
}

/** Industry sections with their divisions: [{code,name,children:[{code,name}]}]. */
export function getIndustryTree(opts) {
  return cached('industry?tree=1', () => get('/dicts/industry', { ...opts, query: { tree: 1 } }).then(treeItems))
}

/** The same tree with the disabled sections and divisions too (marked `disabled: true`). */
export function getIndustryTreeAll(opts) {
  return cached('industry?tree=1&all', () => get('/dicts/industry', { ...opts, query: { tree: 1, all: 1 } }).then(treeItems))
}

/**
 * The industry cascader's options (门类 → 大类; only a division is a value)
 * over a tree from getIndustryTreeAll (or getIndustryTree): the enabled
 * divisions, plus the disabled ones the record holds (`held`: a code, a
 * list or a Set), labelled （已停用） like pickable() — so a firm whose
 * division was disabled in 字典管理 still sees its value.
 */
export function industryOptions(tree, held) {
  const keep = held instanceof Set ? held : new Set(Array.isArray(held) ? held : held ? [held] : [])
  const mark = (x) => `${x.code} ${x.name}${x.disabled ? '（已停用）' : ''}`
  const out = []
  for (const s of tree || []) {
    const children = (s.children || [])
      .filter((d) => (!d.disabled && !s.disabled) || keep.has(d.code))
      .map((d) => ({ value: d.code, label: mark(d) }))
    // a disabled section appears only around a division the record holds
    if (s.disabled && !children.length) continue
    out.push({ value: `section:${s.code}`, label: mark(s), disabled: !children.length, children })
  }
  return out
}

/** Districts and counties only (rows that have a parent), for pickers. */
export async function getDistricts(opts) {
  const items = await getDict('region', opts)
  return items.filter((r) => r.parent)
}

/** GET /api/v1/health → {status, db, version}; never cached. */
export function getHealth(opts) {
  return get('/health', opts)
}

export function dictName(items, code) {
  const it = (items || []).find((x) => x.code === code)
  return it ? it.name : code
}

// ---- editing (bureau staff; src/dict/dict_admin.c) ----

/**
 * GET /admin/dicts/:type → {type, name, hierarchical, version, can_edit,
 * items:[{id, code, name, parent, kind, sort, disabled, usage, updated_at}]}:
 * every item, disabled ones too, in display order.
 */
export function getDictAdmin(type, opts) {
  return get(`/admin/dicts/${encodeURIComponent(type)}`, opts)
}
/** POST {code, name, parent?, sort?, kind?} → the new item (201). */
export function createDictItem(type, body) {
  return post(`/admin/dicts/${encodeURIComponent(type)}/items`, body, { notify: false })
}
/** PUT {name?, sort?, disabled?, move?: 'up'|'down'} → the item. */
export function updateDictItem(type, code, body, opts = { notify: false }) {
  return put(`/admin/dicts/${encodeURIComponent(type)}/items/${encodeURIComponent(code)}`, body, opts)
}
/** DELETE an item nothing references (else 409 with the reason). */
export function deleteDictItem(type, code, opts = { notify: false }) {
  return del(`/admin/dicts/${encodeURIComponent(type)}/items/${encodeURIComponent(code)}`, opts)
}
