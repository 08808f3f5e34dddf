// The state the 用户协议/隐私政策 screens share, desktop and mobile alike:
//   useLegalDocs()    both current texts, loaded on mount
//   useAgreeBox()     the registration checkbox: payload() gives the
//                     versions shown for `agree`, or null with the message
//   useConsentFlow()  the blocking consent dialog's 同意并继续 / 不同意并退出
import { onMounted, reactive, ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { notify } from '../../api/client.js'
import { loadMe, logout, safeNext } from '../../api/auth.js'
import { getLegal, giveConsent } from '../../api/legal.js'

export const AGREE_REQUIRED = '请阅读并勾选同意《用户协议》和《隐私政策》'

export function useLegalDocs() {
  const docs = reactive({ terms: null, privacy: null })
  const loadError = ref('')
  async function load() {
    try {
      const [t, p] = await Promise.all([getLegal('terms', { notify: false }), getLegal('privacy', { notify: false })])
      docs.terms = t
      docs.privacy = p
      loadError.value = ''
    } catch (e) {
      loadError.value = e.message || '协议加载失败，请稍后再试'
    }
  }
  onMounted(load)
  return { docs, loadError, load }
}

export function useAgreeBox() {
  const { docs, loadError, load } = useLegalDocs()
  const checked = ref(false)
  const error = ref('')
  const shown = ref(false)
  const kind = ref('terms')

  function open(k) {
    kind.value = k
    shown.value = true
    if (!docs[k]) load()
  }
  function agreeFromDialog() {
    checked.value = true
    error.value = ''
    shown.value = false
  }
  /** {terms_version, privacy_version} when ticked (and loaded), else null with the message shown. */
  function payload() {
    if (!checked.value) {
      error.value = AGREE_REQUIRED
      return null
    }
    if (!docs.terms || !docs.privacy) {
      error.value = loadError.value || '协议尚未加载完成，请稍后再试'
      load()
      return null
    }
    return { terms_version: docs.terms.version, privacy_version: docs.privacy.version }
  }
  /** A newer version appeared (409): reload the texts and ask for the tick again. */
  async function refresh(message) {
    checked.value = false
    error.value = message || '协议已更新，请重新阅读并勾选同意'
    await load()
  }
  const api = { payload, refresh, showError: (m) => { error.value = m } }
  return { docs, loadError, checked, error, shown, kind, open, agreeFromDialog, api }
}

/** channel 'web' | 'mobile'; home where to go after agreeing; out where 不同意 leads. */
export function useConsentFlow({ channel, home, out }) {
  const route = useRoute()
  const router = useRouter()
  const { docs, loadError, load } = useLegalDocs()
  const busy = ref(false)

  async function accept() {
    busy.value = true
    try {
      await giveConsent(docs.terms.version, docs.privacy.version, channel)
      await loadMe({ force: true })
      router.replace(safeNext(route.query.next, home))
    } catch (e) {
      if (e.status === 409) {
        notify('协议刚刚更新，请阅读最新版本后再同意', 'warning')
        await load()
      } else {
        notify(e.message || '提交失败，请稍后再试')
      }
    } finally {
      busy.value = false
    }
  }
  async function decline() {
    await logout().catch(() => {})
    router.replace(out)
  }
  return { docs, loadError, busy, accept, decline }
}
