// A list page's paging: rows, total, page, page size and loading, filled by
// `fetch(query)` which answers the API's list envelope {items, total}.
// `load()` reads the current page; `search()` starts again from page 1 (a
// filter changed). Errors were shown by the client's notifier; the list
// keeps what it had.
import { ref } from 'vue'

export function usePagedList(fetch, { pageSize = 20 } = {}) {
  const rows = ref([])
  const total = ref(0)
  const page = ref(1)
  const loading = ref(false)

  async function load() {
    loading.value = true
    try {
      const r = await fetch({ page: page.value, page_size: pageSize })
      rows.value = r.items || []
      total.value = r.total || 0
    } catch { /* notified by the client */ } finally {
      loading.value = false
    }
  }
  function search() {
    page.value = 1
    return load()
  }
  return { rows, total, page, pageSize, loading, load, search }
}
