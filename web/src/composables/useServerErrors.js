// Server refusals shown in a form (every dialog of both consoles and the
// enterprise form): each field's reason beside the field (el-form-item
// :error), the message above the buttons. A field's server error clears as
// soon as it is edited again.
//   fieldFor(serverKey)  the form field a server key is shown on (default:
//                        the same name); null/unknown = not on this form
//   label(serverKey)     its name, for reasons the form cannot place
//   listExtras           false (default): those reasons join the message;
//                        true: they go to `extras` ("标签：原因" each) for
//                        the form to list under the message
//   fallback             the message when a refusal carries none
import { reactive, ref, watch } from 'vue'

export function useServerErrors(model, keys, { fieldFor = (k) => k, label = (k) => k, listExtras = false, fallback = '提交失败，请稍后再试' } = {}) {
  const fields = reactive(Object.fromEntries(keys.map((k) => [k, ''])))
  const message = ref('')
  const extras = ref([])
  for (const k of keys) watch(() => model[k], () => { fields[k] = '' }, { deep: true })
  function clear() {
    message.value = ''
    extras.value = []
    for (const k of keys) fields[k] = ''
  }
  /** Shows an ApiError; answers the first field it put a reason on ('' if none). */
  function show(e) {
    clear()
    let first = ''
    const joined = []
    for (const [k, msg] of Object.entries((e && e.fields) || {})) {
      const fk = fieldFor(k)
      if (fk && fk in fields) {
        fields[fk] = msg
        first = first || fk
      } else if (listExtras) {
        extras.value.push(`${label(k)}：${msg}`)
      } else {
        joined.push(msg)
      }
    }
    message.value = [(e && e.message) || fallback, ...joined].join('；')
    return first
  }
  return { fields, message, extras, clear, show }
}
