// The questionnaire's conditional display on the client, the same rule the
// server applies (src/survey/answers.c): a question is shown when it has no
// condition, or its condition's question is itself shown and the answer is
// in the set (nested conditions follow from the first part). Also the
// builder's checks of the definition: no forward condition, no missing option.

function answerIn(v, set) {
  if (v === undefined || v === null || v === '') return false
  const vals = Array.isArray(v) ? v.map(String) : [String(v)]
  return vals.some((x) => set.includes(x))
}

/** Set of the keys of the questions shown for the answers. */
export function shownKeys(questions, answers) {
  const shown = new Set()
  for (const q of questions) {
    const c = q.show_if
    if (!c || !c.q) shown.add(q.key)
    else if (shown.has(c.q) && answerIn(answers[c.q], c.in || [])) shown.add(q.key)
  }
  return shown
}

/** The choices a condition may pick from: the options of a single/multiple question, 1–5 for a rating. */
export function conditionChoices(q) {
  if (!q) return []
  if (q.type === 'rating') return ['1', '2', '3', '4', '5'].map((k) => ({ key: k, label: `${k} 分` }))
  return (q.options || []).map((o) => ({ key: o.key, label: o.label }))
}
export const CONDITION_TYPES = ['single', 'multiple', 'rating']

/** Builder checks of the definition: { 'questions[i].show_if': message, … }. */
export function checkDefinition(questions) {
  const errs = {}
  const seen = new Map()
  questions.forEach((q, i) => {
    const c = q.show_if
    if (c) {
      const ref = c.q ? seen.get(c.q) : null
      if (!c.q) errs[`questions[${i}].show_if`] = '请选择显示条件所依据的题目'
      else if (!ref) errs[`questions[${i}].show_if`] = '显示条件只能引用前面的题目'
      else if (!CONDITION_TYPES.includes(ref.type)) errs[`questions[${i}].show_if`] = '显示条件只能引用单选、多选或评分题'
      else if (!(c.in || []).length) errs[`questions[${i}].show_if`] = '请选择显示条件的选项'
      else {
        const keys = conditionChoices(ref).map((o) => o.key)
        const missing = (c.in || []).find((k) => !keys.includes(k))
        if (missing) errs[`questions[${i}].show_if`] = `显示条件中的选项 ${missing} 在所引用的题目中不存在`
      }
    }
    seen.set(q.key, q)
  })
  return errs
}

/** Questions grouped by section, in order: [{ title, questions }]. */
export function sections(questions) {
  const out = []
  for (const q of questions) {
    const t = q.section || ''
    if (!out.length || out[out.length - 1].title !== t) out.push({ title: t, questions: [] })
    out[out.length - 1].questions.push(q)
  }
  return out
}

/** Whether an answer counts as given. */
export function answered(v) {
  if (v === undefined || v === null || v === '') return false
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'object') return Object.keys(v).length > 0
  return true
}

/** The props both question components take (web: views/shared/SurveyQuestion.vue, phone: MSurveyQuestion.vue). */
export const QUESTION_PROPS = {
  q: { type: Object, required: true },
  index: { type: [Number, String], default: 1 },
  modelValue: { type: [String, Number, Array, Object], default: undefined },
  other: { type: String, default: '' },
  readonly: { type: Boolean, default: false },
  error: { type: String, default: '' },
}

/** Whether the answer v picks a 「其他」 option of q (its text is then asked for). */
export function otherPicked(q, v) {
  const keys = (q.options || []).filter((o) => o.other).map((o) => o.key)
  return keys.length > 0 && v !== undefined && v !== null && (Array.isArray(v) ? v : [v]).some((k) => keys.includes(k))
}
