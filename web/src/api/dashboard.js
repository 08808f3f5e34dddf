// Dashboards' figures (src/dashboard/): the portal's public counts and the
// bureau's work queues, both computed by the server — never hard-coded here.
import { get } from './client.js'

/** GET /public/stats → {approved_enterprises}. */
export function getPublicStats(opts) {
  return get('/public/stats', opts)
}

/**
 * GET /admin/dashboard → {scope_region, pending_registrations,
 * pending_changes, by_status:{pending, approved, rejected},
 * daily:[{date, count}] (last 30 days, oldest first)}; a district clerk's
 * figures cover their district only.
 */
export function getAdminDashboard(opts) {
  return get('/admin/dashboard', opts)
}
