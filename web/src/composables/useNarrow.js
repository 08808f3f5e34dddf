// Whether the window is phone-narrow (below 768 px): the desktop areas then
// fold their aside into a drawer, and pages stack what stands side by side
// (description lists, two-column forms). One media-query listener serves
// every caller, so a rotated phone or a resized window switches them all.
import { ref } from 'vue'

export const NARROW_QUERY = '(max-width: 767.98px)'

let narrow = null

export function useNarrow() {
  if (!narrow) {
    const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(NARROW_QUERY) : null
    narrow = ref(Boolean(mq && mq.matches))
    if (mq) mq.addEventListener('change', (e) => { narrow.value = e.matches })
  }
  return narrow
}
