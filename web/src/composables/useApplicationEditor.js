// One application being edited (项目申报), for the desktop console and the
// mobile H5 alike: the application and its call, the answers and materials
// as the form holds them, the server's field errors ('fields.x',
// 'materials.y'), load and save. Each page keeps its own widgets, prompts
// and messages (Element Plus or Vant).
import { computed, reactive, ref } from 'vue'
import { getApp, saveApp } from '../api/declare.js'
import { applicationBody, readApplication } from '../utils/declareForm.js'

export function useApplicationEditor(id) {
  const app = ref(null)
  const call = ref(null)
  const fields = reactive({})
  const materials = reactive({})
  const err = reactive({})
  const editable = computed(() => !!app.value?.editable)

  function replace(target, values) {
    for (const k of Object.keys(target)) delete target[k]
    Object.assign(target, values)
  }
  function fill(a) {
    app.value = a
    call.value = a.call
    const r = readApplication(a.call, a)
    replace(fields, r.fields)
    replace(materials, r.materials)
  }
  /** Puts an ApiError's field reasons beside their fields (none: clears them). */
  function setErrors(e) {
    replace(err, (e && e.fields) || {})
  }
  async function load() {
    fill(await getApp(id()))
  }
  /** PUT of the current answers and materials; the answer refills the form. */
  async function save() {
    setErrors(null)
    fill(await saveApp(app.value.id, applicationBody(call.value, fields, materials)))
  }
  return { app, call, fields, materials, err, editable, fill, setErrors, load, save }
}
