// Wiring of the mobile H5 area to the API client: messages as Vant toasts,
// 401 → /m/login?next=…, 403 password_change_required → /m/password,
// 403 consent_required → /m/consent;
// Vant's Chinese locale.
import { Locale, showToast } from 'vant'
import zhCN from 'vant/es/locale/lang/zh-CN'
import 'vant/es/toast/style'
import { setNotifier, setUnauthorizedHandler, setPasswordChangeHandler, setConsentHandler } from '../../api/client.js'
import { clearSession, loadMe } from '../../api/auth.js'

Locale.use('zh-CN', zhCN)

export function useMobileArea(router) {
  setNotifier((message, type = 'error') => {
    showToast({ message, type: type === 'success' ? 'success' : type === 'error' ? 'fail' : 'text', wordBreak: 'break-word' })
  })
  setUnauthorizedHandler(() => {
    clearSession()
    const cur = router.currentRoute.value
    if (cur.path === '/m/login') return
    router.replace({ path: '/m/login', query: { next: cur.fullPath } })
  })
  setPasswordChangeHandler(() => {
    const cur = router.currentRoute.value
    if (cur.path === '/m/password') return
    router.replace({ path: '/m/password', query: { next: cur.fullPath } })
  })
  setConsentHandler(() => {
    const cur = router.currentRoute.value
    if (cur.path === '/m/consent') return
    loadMe({ force: true }).catch(() => {}).finally(() => {
      router.replace({ path: '/m/consent', query: { next: cur.fullPath } })
    })
  })
}
