// The selected enterprise's profile (manual 9.1, docs/profile.md):
//   GET/PATCH /api/v1/enterprise — basic record, completeness, needs_industry,
//   the pending change of name/USCC/district;
//   /api/v1/enterprise/<section> — the seven record lists.
// needs_industry is cached per enterprise so the console guard does not
// call the API on every navigation; a successful PATCH refreshes it.
import { reactive } from 'vue'
import { get, patch, post, put, del } from './client.js'

export const SECTIONS = ['qualifications', 'tech', 'personnel', 'operations', 'ip', 'projects', 'carriers']

export const industryState = reactive({ enterpriseId: null, needs: false })

function remember(ent) {
  if (ent && ent.id) {
    industryState.enterpriseId = ent.id
    industryState.needs = !!ent.needs_industry
  }
  return ent
}

/** GET /enterprise → the profile object. */
export function getProfile(opts) {
  return get('/enterprise', opts).then(remember)
}

/** PATCH /enterprise (any subset of the editable fields) → the profile object. */
export function patchProfile(body) {
  return patch('/enterprise', body, { notify: false }).then(remember)
}

/** Whether enterprise `id` still has no industry (cached after the first call). */
export async function needsIndustry(id) {
  if (industryState.enterpriseId !== id) await getProfile({ notify: false, handle401: false })
  return industryState.enterpriseId === id && industryState.needs
}

export function listSection(section) {
  return get(`/enterprise/${section}`).then((d) => (Array.isArray(d) ? d : d.items || []))
}
export function createRecord(section, body) { return post(`/enterprise/${section}`, body, { notify: false }) }
export function updateRecord(section, id, body) { return put(`/enterprise/${section}/${id}`, body, { notify: false }) }
// {} body: the route may declare JSON (dispatch refuses a body-less JSON route with 415); others ignore it
export function deleteRecord(section, id) { return del(`/enterprise/${section}/${id}`, { notify: false, body: {} }) }
