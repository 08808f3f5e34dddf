// An enterprise account's login, shared by the portal page (Element Plus)
// and the phone page (Vant): 手机号 + 密码 (with the first login's SMS step
// when the password was set by someone else, docs/auth.md) or 手机号 + 短信
// 验证码, then where the account goes: the forced password change, the
// 用户协议/隐私政策 consent, the choice of enterprise when it has several
// (the page shows `enterprises`, the last one used is `current`), or `next`.
//   home      where to go without ?next=
//   pages     { password, consent }: the area's forced pages
//   validate  false where the form checked itself before submitting (van-form)
//   onError   called with a refusal after it is shown (a phone toast)
import { reactive, ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { login, loginSms, resendFirstLoginCode, switchEnterprise, safeNext } from '../api/auth.js'
import { useFormSubmit } from './useFormSubmit.js'
import { useSmsStep } from './useSmsStep.js'

export function useEnterpriseLogin({ home, pages, validate = true, onError = null }) {
  const route = useRoute()
  const router = useRouter()
  const method = ref('password') // 'password' | 'sms'
  const form = reactive({ phone: '', password: '', sms_code: '' })
  const submitter = useFormSubmit(['phone', 'password', 'sms_code'], {
    fieldFor: (k) => (k === 'code' ? 'sms_code' : k), fallback: '登录失败', onError,
  })
  // the first login's SMS step; other credentials start it again
  const { pending: firstSms, smsBtn, asked } = useSmsStep(form, () => [form.phone, form.password, method.value])
  const enterprises = ref([])
  const current = ref(null)
  const nextPath = () => safeNext(route.query.next, home)

  function proceed(me) {
    const list = (me && me.enterprises) || []
    if (me.must_change_password) {
      router.replace({ path: pages.password, query: { next: nextPath() } })
    } else if (me.consent_required) {
      // the 用户协议/隐私政策 come before anything else, the enterprise choice too
      router.replace({ path: pages.consent, query: { next: nextPath() } })
    } else if (list.length > 1) {
      // the manual's drop-down: which enterprise to work in
      current.value = me.current_enterprise_id
      enterprises.value = list
    } else {
      router.replace(nextPath())
    }
  }

  const submit = () => submitter.run(async () => {
    if (method.value === 'sms') {
      proceed(await loginSms(form.phone, form.sms_code))
      return
    }
    const r = await login(form.phone, form.password, firstSms.value ? form.sms_code : undefined)
    if (await asked(r)) return
    proceed(r.me)
  }, { validate })

  /** The SMS step's resend: the password check again, which sends a new code. */
  async function resendFirst() {
    const r = await resendFirstLoginCode(form.phone, form.password)
    if (r.me) proceed(r.me)
    return r
  }

  /** Enters the chosen enterprise (switching to it unless it is the current one); a refusal throws. */
  async function enter(id) {
    if (id !== current.value) await switchEnterprise(id)
    router.replace(nextPath())
  }

  return { method, form, ...submitter, firstSms, smsBtn, enterprises, current, submit, resendFirst, enter }
}
