// A list page's paging: rows, total, page, page size and loading, filled by
// `fetch(query)` which answers the API's list envelope {items, total,
// total_capped}. `load()` reads the current page; `search()` starts again
// from page 1 (a filter changed). Only the newest request's answer is kept,
// so a slow earlier page cannot overwrite a later one. Errors were shown by
// the client's notifier unless the page asked for them (`onError`, e.g. to
// put field errors beside the filters); the list keeps what it had.
import { ref } from 'vue'

export function usePagedList(fetch, { pageSize = 20, onError } = {}) {
  const rows = ref([])
  const total = ref(0)
  // the server stopped counting (a very large match): total is a lower bound
  const capped = ref(false)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const r = await fetch({ page: page.value, page_size: size.value })
      if (mine !== seq) return
      rows.value = r.items || []
      total.value = r.total || 0
      capped.value = !!r.total_capped
    } catch (e) {
      if (mine === seq && onError) onError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function search() {
    page.value = 1
    return load()
  }
  return { rows, total, capped, page, pageSize: size, loading, load, search }
}
