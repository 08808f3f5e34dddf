// useFilePick.js — the file picking both upload fields share (FileUpload.vue,
// CoverUpload.vue): a hidden <input type=file> opened by a button, the
// field's own check of the chosen file before anything is sent, then the one
// upload path (api/upload.js) with progress. What the field does with the
// stored file (its meta) is its own business: done(meta).
import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { uploadFile } from '../api/upload.js'

/**
 * problem(file) → '' or the Chinese reason to refuse it; path: the upload
 * route ('/uploads' or '/admin/uploads'); done(meta) gets the stored file.
 */
export function useFilePick({ problem, path, done }) {
  const input = ref(null)
  const busy = ref(false)
  const percent = ref(0)

  function pick() {
    input.value.value = ''
    input.value.click()
  }

  async function chosen(ev) {
    const file = ev.target.files && ev.target.files[0]
    if (!file) return
    const why = problem(file)
    if (why) {
      ElMessage.error(why)
      return
    }
    busy.value = true
    percent.value = 0
    try {
      done(await uploadFile(file, { path: typeof path === 'function' ? path() : path, onProgress: (p) => { percent.value = p } }))
    } catch (e) {
      ElMessage.error(e.message || '上传失败，请稍后重试')
    } finally {
      busy.value = false
    }
  }

  return { input, busy, percent, pick, chosen }
}
