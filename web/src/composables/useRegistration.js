// Enterprise registration, shared by the portal page (Element Plus, through
// EnterpriseForm) and the phone page (Vant): the district invite link
// (/r/:token, /m/r/:token or ?invite=TOKEN; ?via=qr from its QR code), whose
// district is preselected and locked, and the sending with what every
// registration can meet: the 用户协议/隐私政策 versions ticked, the channel,
// the firm or the phone already registered, and a newer agreement published
// meanwhile (409: shown and asked again).
//   model     the form (forms/registration.js)
//   agreeApi  the ref of LegalAgree / LegalAgreeM (payload, refresh, showError)
//   direct    the channel without an invite ('web', 'mobile')
import { reactive, ref } from 'vue'
import { useRoute } from 'vue-router'
import { register, addEnterprise, getInvite } from '../api/auth.js'
import { toPayload } from '../forms/registration.js'

export function useRegistration(model, agreeApi, { direct }) {
  const route = useRoute()
  const token = typeof route.params.token === 'string' ? route.params.token
    : typeof route.query.invite === 'string' ? route.query.invite : ''
  const invite = ref('') // the token, once the server knows it
  const inviteInfo = reactive({ region: '', region_name: '' })
  const inviteError = ref('')
  if (token) {
    getInvite(token).then((inv) => {
      invite.value = token
      Object.assign(inviteInfo, inv)
      model.region = inv.region
    }).catch((e) => {
      inviteError.value = e.status === 404 ? '邀请链接无效、已过期或已撤销' : (e.message || '邀请链接读取失败')
    })
  }

  const busy = ref(false)
  const done = ref(false)
  const conflict = ref('') // 'uscc_registered' | 'phone_registered' after such a refusal

  /**
   * Sends the registration; `adding`: the firm for the logged-in account
   * (POST /api/v1/enterprises: no agreement, no password). On success
   * `finish(enterprise)` runs while still busy, then the page shows done; a
   * refusal goes to `refused(e)`, its agreement reason already shown by the
   * agreement and left out of e.fields.
   */
  async function send({ adding = false, finish, refused }) {
    conflict.value = ''
    const agree = adding ? null : agreeApi.value.payload()
    if (!adding && !agree) return
    busy.value = true
    try {
      const channel = invite.value ? (route.query.via === 'qr' ? 'qr' : '') : direct
      const payload = toPayload(model, { mode: adding ? 'add' : 'register', invite: invite.value, channel })
      const me = adding ? await addEnterprise(payload) : await register({ ...payload, agree })
      await finish((me.enterprises || []).find((e) => e.id === me.current_enterprise_id))
      done.value = true
      window.scrollTo({ top: 0 })
    } catch (e) {
      if (e.code === 'uscc_registered' || e.code === 'phone_registered') conflict.value = e.code
      if (e.fields && e.fields.agree && agreeApi.value) {
        if (e.status === 409) agreeApi.value.refresh(e.fields.agree)
        else agreeApi.value.showError(e.fields.agree)
        const { agree: _seen, ...rest } = e.fields
        e.fields = rest
      }
      refused(e)
    } finally {
      busy.value = false
    }
  }
  return { invite, inviteInfo, inviteError, busy, done, conflict, send }
}
