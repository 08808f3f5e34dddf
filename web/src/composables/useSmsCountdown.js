// The logic of the 发送验证码 buttons (desktop SmsCodeButton, phone
// SmsButton): check first (`before`, e.g. the phone number), send, then
// count down what the server says before the next code may be asked for
// (resend_after of POST /api/v1/sms/send, or a 429's retry_after; 60 s if it
// says nothing). `start(sec)` is exposed for the login's SMS step, whose code
// the login call itself sent.
import { onBeforeUnmount, ref } from 'vue'
import { notify } from '../api/client.js'

export function useSmsCountdown(props, { sentText }) {
  const left = ref(0)
  const busy = ref(false)
  let timer = null

  function start(sec) {
    left.value = sec
    clearInterval(timer)
    timer = setInterval(() => {
      left.value -= 1
      if (left.value <= 0) clearInterval(timer)
    }, 1000)
  }

  async function click() {
    if (props.before && !(await props.before())) return
    busy.value = true
    try {
      const r = await props.send()
      start(r && Number.isInteger(r.resend_after) && r.resend_after > 0 ? r.resend_after : 60)
      notify(sentText, 'success')
    } catch (e) {
      notify(e && e.message ? e.message : '验证码发送失败', 'error')
      if (e && e.retryAfter) start(e.retryAfter)
    } finally {
      busy.value = false
    }
  }
  onBeforeUnmount(() => clearInterval(timer))
  return { left, busy, start, click }
}
