// Server refusals shown in a form (every dialog of both consoles): each field's reason beside the
// field (el-form-item :error), the message above the buttons. A field's
// server error clears as soon as it is edited again.
import { reactive, ref, watch } from 'vue'

export function useServerErrors(model, keys) {
  const fields = reactive(Object.fromEntries(keys.map((k) => [k, ''])))
  const message = ref('')
  for (const k of keys) watch(() => model[k], () => { fields[k] = '' }, { deep: true })
  function clear() {
    message.value = ''
    for (const k of keys) fields[k] = ''
  }
  /** Shows an ApiError; reasons for fields the form lacks join the message. */
  function show(e) {
    clear()
    const extra = []
    for (const [k, msg] of Object.entries((e && e.fields) || {})) {
      if (k in fields) fields[k] = msg
      else extra.push(msg)
    }
    message.value = [(e && e.message) || '提交失败，请稍后再试', ...extra].join('；')
  }
  return { fields, message, clear, show }
}
