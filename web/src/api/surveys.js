// Questionnaires 问卷调查 (issue 14, src/survey/): the bureau's builder,
// lifecycle and results, and the firm's answering. Paths and bodies are the
// issue's API section; lists answer {items, total}.
import { API_BASE, del, get, post, put } from './client.js'

export const QUESTION_TYPES = [
  { value: 'single', label: '单选题' },
  { value: 'multiple', label: '多选题' },
  { value: 'text', label: '单行文本' },
  { value: 'textarea', label: '多行文本' },
  { value: 'number', label: '数字' },
  { value: 'amount', label: '金额（万元）' },
  { value: 'date', label: '日期' },
  { value: 'rating', label: '评分（1–5）' },
  { value: 'matrix', label: '矩阵单选' },
  { value: 'file', label: '文件上传' },
]
export const TYPE_LABEL = Object.fromEntries(QUESTION_TYPES.map((t) => [t.value, t.label]))
export const PHASE_TEXT = {
  draft: { text: '草稿', type: 'info' },
  scheduled: { text: '未开始', type: 'warning' },
  open: { text: '进行中', type: 'success' },
  closed: { text: '已结束', type: 'danger' },
}

// ---- bureau ----
export const listSurveys = (query) => get('/admin/surveys', { query })
export const getSurvey = (id) => get(`/admin/surveys/${id}`)
export const createSurvey = (body) => post('/admin/surveys', body, { notify: false })
export const updateSurvey = (id, body) => put(`/admin/surveys/${id}`, body, { notify: false })
export const deleteSurvey = (id) => del(`/admin/surveys/${id}`)
export const publishSurvey = (id) => post(`/admin/surveys/${id}/publish`, {})
export const closeSurvey = (id) => post(`/admin/surveys/${id}/close`, {})
export const remindSurvey = (id) => post(`/admin/surveys/${id}/remind`, {})
export const copySurvey = (id) => post('/admin/surveys', { copy_from: Number(id) }, { notify: false })
export const surveyResults = (id, query) => get(`/admin/surveys/${id}/results`, { query })
export const surveyResponses = (id, query) => get(`/admin/surveys/${id}/responses`, { query })
export const exportUrl = (id) => `${API_BASE}/admin/surveys/${id}/export`

// ---- enterprise ----
export const RESPONSE_STATE = {
  none: { text: '未填写', type: 'warning' },
  draft: { text: '已暂存', type: 'info' },
  submitted: { text: '已提交', type: 'success' },
}
export const mySurveys = (state) => get('/enterprise/surveys', { query: state ? { state } : undefined })
export const mySurvey = (id) => get(`/enterprise/surveys/${id}`)
export const saveResponse = (id, body) => put(`/enterprise/surveys/${id}/response`, body, { notify: false })
export const submitResponse = (id, body) => post(`/enterprise/surveys/${id}/response/submit`, body, { notify: false })
