// Console part of the router guard: a page the member's permissions do not
// allow shows 无权限 instead (the API would answer 403 anyway), and an
// approved enterprise without an industry goes to 企业信息 first, where a
// dialog asks for its 行业分类 (manual 重点提示) — at every login and on every
// console navigation until it is chosen.
import { currentEnterprise } from '../../api/auth.js'
import { needsIndustry } from '../../api/profile.js'
import { canOpen } from './access.js'

const FREE = new Set(['console-enterprise', 'console-forbidden', 'console-add-enterprise', 'console-join', 'console-registration', 'console-account'])

export async function consoleGuard(to, me) {
  if (!canOpen(to.name, me)) return { name: 'console-forbidden', query: { from: to.fullPath } }
  const ent = currentEnterprise()
  if (!ent || ent.status !== 'approved' || FREE.has(to.name)) return true
  let needs = false
  try { needs = await needsIndustry(ent.id) } catch { needs = false } // the page itself reports an unreachable API
  return needs ? { name: 'console-enterprise', query: { industry: '1' } } : true
}
