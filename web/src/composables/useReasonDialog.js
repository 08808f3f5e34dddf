// A row decision that needs a reason (退回, 驳回, 移出监测) in RejectDialog:
// which row the dialog is for, and its submit — the page's call with the
// row and the reason, then the success message and a reload. A refusal
// stays in the dialog (RejectDialog shows it and emits `failed`).
//   const ret = useReasonDialog((row, reason) => returnReport(row.id, reason), '已退回', load)
//   <RejectDialog v-model="ret.open" :submit="ret.submit" …/>   @click="ret.show(row)"
import { reactive } from 'vue'
import { notify } from '../api/client.js'

export function useReasonDialog(act, done, reload) {
  const d = reactive({
    open: false,
    row: null,
    show(row) {
      d.row = row
      d.open = true
    },
    async submit(reason) {
      await act(d.row, reason)
      notify(done, 'success')
      reload()
    },
  })
  return d
}
