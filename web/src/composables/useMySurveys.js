// The firm's questionnaires, 待填写 (state open) or 已填写 (answered), for
// the console and the phone lists.
import { onMounted, ref } from 'vue'
import { mySurveys } from '../api/surveys.js'

export function useMySurveys() {
  const state = ref('open')
  const rows = ref([])
  const loading = ref(false)
  async function load() {
    loading.value = true
    try {
      rows.value = (await mySurveys(state.value)).items || []
    } catch { /* notified by the client */ } finally {
      loading.value = false
    }
  }
  onMounted(load)
  return { state, rows, loading, load }
}
