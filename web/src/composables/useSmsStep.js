// The SMS step of the password logins (bureau staff's second factor, an
// enterprise account's first login with a password someone else set): the
// server answers {sms_required: {phone, resend_after}} instead of a session,
// the form then shows the code field and its resend button (already counting
// down), and the same login call carries the code. Other credentials start
// the step again.
//   form      the login form's model; its sms_code is emptied on a restart
//   watched   a getter of what restarts the step (the credentials)
import { nextTick, ref, watch } from 'vue'

export function useSmsStep(form, watched) {
  const pending = ref(null) // {phone (masked), resend_after} while the server waits for a code
  const smsBtn = ref() // the resend button (SmsCodeButton / SmsButton)
  watch(watched, () => { pending.value = null; form.sms_code = '' })

  /** Takes a login answer; true when it asks for the code (the step is now shown). */
  async function asked(r) {
    if (!r.smsRequired) return false
    pending.value = r.smsRequired
    await nextTick()
    smsBtn.value?.start(r.smsRequired.resend_after || 60)
    return true
  }
  return { pending, smsBtn, asked }
}
