// Wiring of the desktop areas (portal, enterprise console, bureau console)
// to the API client: errors are shown with ElMessage, a 401 sends the person
// to the area's login page with ?next= set to where they were.
import { ElMessage } from 'element-plus/es'
import 'element-plus/es/components/message/style/css'
import { setNotifier, setUnauthorizedHandler } from '../api/client.js'
import { clearSession } from '../api/auth.js'

export function useDesktopArea(router, loginPath) {
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
}
