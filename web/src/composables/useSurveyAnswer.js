// The firm's answering of one questionnaire, shared by the console page and
// the mobile page: loads the definition with the saved answers (resume on
// any device), keeps only the shown questions' answers (the server drops the
// others too), saves progress a moment after each change while the response
// is a draft, submits, and puts the server's message per question
// (fields "answers.<key>" / "other.<key>") next to that question.
import { computed, onBeforeUnmount, reactive, ref, watch } from 'vue'
import { mySurvey, saveResponse, submitResponse } from '../api/surveys.js'
import { answered, sections, shownKeys } from '../utils/surveyLogic.js'

const SAVE_DELAY_MS = 1200

export function useSurveyAnswer(idRef) {
  const survey = ref(null)
  const answers = reactive({})
  const other = reactive({})
  const errors = reactive({})
  const loading = ref(false)
  const saving = ref(false)
  const savedAt = ref('')
  const submitting = ref(false)
  const editing = ref(false)
  const message = ref('')
  let timer = null
  let filling = false

  const questions = computed(() => survey.value?.questions || [])
  const shown = computed(() => shownKeys(questions.value, answers))
  const visible = computed(() => questions.value.filter((q) => shown.value.has(q.key)))
  const visibleSections = computed(() => sections(visible.value))
  const status = computed(() => survey.value?.response?.status || 'none')
  const submitted = computed(() => status.value === 'submitted')
  const readonly = computed(() => !survey.value || !survey.value.can_answer || (submitted.value && !editing.value))
  const progress = computed(() => {
    const need = visible.value.length
    return need ? Math.round((visible.value.filter((q) => answered(answers[q.key])).length * 100) / need) : 0
  })

  function body() {
    const a = {}
    const o = {}
    for (const q of visible.value) {
      if (answered(answers[q.key])) a[q.key] = answers[q.key]
      if (other[q.key]) o[q.key] = other[q.key]
    }
    return { answers: a, other: o }
  }
  function clearErrors() {
    for (const k of Object.keys(errors)) delete errors[k]
    message.value = ''
  }
  function showError(e) {
    clearErrors()
    let placed = false
    for (const [k, msg] of Object.entries((e && e.fields) || {})) {
      const m = /^(answers|other)\.(.+)$/.exec(k)
      if (m) {
        errors[m[2]] = errors[m[2]] ? `${errors[m[2]]}；${msg}` : msg
        placed = true
      }
    }
    message.value = placed ? '有题目需要修改，请查看标红的题目' : (e && e.message) || '保存失败'
  }

  async function load() {
    loading.value = true
    try {
      const s = await mySurvey(idRef.value)
      filling = true
      for (const k of Object.keys(answers)) delete answers[k]
      for (const k of Object.keys(other)) delete other[k]
      Object.assign(answers, s.response?.answers || {})
      Object.assign(other, s.response?.other || {})
      survey.value = s
      savedAt.value = s.response?.updated_at || ''
      editing.value = false
      clearErrors()
    } finally {
      loading.value = false
      setTimeout(() => { filling = false })
    }
  }

  async function save() {
    clearTimeout(timer)
    if (readonly.value || submitted.value) return
    saving.value = true
    try {
      const r = await saveResponse(idRef.value, body())
      savedAt.value = r.updated_at
      clearErrors()
    } catch (e) {
      showError(e)
    } finally {
      saving.value = false
    }
  }
  // progress is saved as the firm goes, not on every keystroke
  watch([answers, other], () => {
    if (filling || readonly.value || submitted.value) return
    clearTimeout(timer)
    timer = setTimeout(save, SAVE_DELAY_MS)
  }, { deep: true })
  onBeforeUnmount(() => {
    if (timer) {
      clearTimeout(timer)
      save()
    }
  })

  async function submit() {
    clearTimeout(timer)
    const missing = visible.value.find((q) => q.required && !answered(answers[q.key]))
    if (missing) {
      clearErrors()
      errors[missing.key] = '此题为必答题'
      message.value = `第 ${questions.value.indexOf(missing) + 1} 题为必答题，请作答`
      return false
    }
    submitting.value = true
    try {
      await submitResponse(idRef.value, body())
      await load()
      return true
    } catch (e) {
      showError(e)
      return false
    } finally {
      submitting.value = false
    }
  }

  return {
    survey, answers, other, errors, message, loading, saving, savedAt, submitting, editing,
    questions, visible, visibleSections, status, submitted, readonly, progress, load, save, submit,
  }
}
