// Wiring of the desktop areas (portal, enterprise console, bureau console)
// to the API client: errors are shown with ElMessage, a 401 sends the person
// to the area's login page with ?next= set to where they were, a 403
// password_change_required to the forced password change page, a 403
// consent_required to the consent page.
import { ElMessage } from 'element-plus/es'
import 'element-plus/es/components/message/style/css'
import { setNotifier, setUnauthorizedHandler, setPasswordChangeHandler, setConsentHandler } from '../api/client.js'
import { clearSession, loadMe } from '../api/auth.js'

export function useDesktopArea(router, loginPath) {
  const staffArea = typeof loginPath === 'string' && loginPath.startsWith('/admin')
  const passwordPath = staffArea ? '/admin/password' : '/account/password'
  setNotifier((message, type = 'error') => {
    ElMessage({ message, type, grouping: true, showClose: true, duration: 3500 })
  })
  setUnauthorizedHandler(() => {
    clearSession()
    if (!loginPath) return
    const cur = router.currentRoute.value
    if (cur.path === loginPath) return
    ElMessage({ message: '登录已失效，请重新登录', type: 'warning', grouping: true })
    router.replace({ path: loginPath, query: { next: cur.fullPath } })
  })
  setPasswordChangeHandler(() => {
    const cur = router.currentRoute.value
    if (cur.path === passwordPath) return
    // the session changed under us (a reset by the bureau): reload who we are
    loadMe({ force: true }).catch(() => {}).finally(() => {
      router.replace({ path: passwordPath, query: { next: cur.fullPath } })
    })
  })
  // a new 用户协议/隐私政策 version while the page was open (staff are not asked)
  setConsentHandler(() => {
    const cur = router.currentRoute.value
    if (staffArea || cur.path === '/account/consent') return
    loadMe({ force: true }).catch(() => {}).finally(() => {
      router.replace({ path: '/account/consent', query: { next: cur.fullPath } })
    })
  })
}
