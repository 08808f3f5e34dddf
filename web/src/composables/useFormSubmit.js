// The submit step of the forms outside dialogs (登录, 修改密码, 重置密码,
// 申请加入企业, on both desktop and phone): the form's own checks first,
// `busy` while the call runs, and a refusal shown as the message above the
// button plus each field's reason beside its field (el-form-item :error /
// van-field error-message). Dialogs use useServerErrors instead.
//   keys       the fields that can show a server reason
//   model      when given, a field's reason goes as soon as it is edited
//   fieldFor   the field a server key is shown on (default: the same name)
//   fallback   the message when the refusal carries none
//   onError    called with each refusal after it is shown (a phone toast)
import { reactive, ref, watch } from 'vue'

export function useFormSubmit(keys, { model = null, fieldFor = (k) => k, fallback = '提交失败', onError = null } = {}) {
  const formRef = ref()
  const fieldErr = reactive(Object.fromEntries(keys.map((k) => [k, ''])))
  const serverError = ref('')
  const busy = ref(false)
  if (model) for (const k of keys) watch(() => model[k], () => { fieldErr[k] = '' })

  function clear() {
    serverError.value = ''
    for (const k of keys) fieldErr[k] = ''
  }
  function show(e) {
    serverError.value = (e && e.message) || fallback
    for (const [k, msg] of Object.entries((e && e.fields) || {})) {
      const fk = fieldFor(k)
      if (fk in fieldErr) fieldErr[fk] = msg
    }
    if (onError) onError(e)
  }
  /**
   * Runs action once the form's checks pass; `validate: false` where the form
   * checked itself before submitting (van-form). Answers whether it ran
   * through without a refusal.
   */
  async function run(action, { validate = true } = {}) {
    clear()
    if (validate) {
      try { await formRef.value.validate() } catch { return false }
    }
    busy.value = true
    try {
      await action()
      return true
    } catch (e) {
      show(e)
      return false
    } finally {
      busy.value = false
    }
  }
  return { formRef, fieldErr, serverError, busy, run, show, clear }
}
