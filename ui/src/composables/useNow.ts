import { onScopeDispose, ref } from 'vue'

/** The current time in ms, refreshed every `everyMs`, for countdowns. */
export function useNow(everyMs = 15_000) {
  const now = ref(Date.now())
  const timer = window.setInterval(() => (now.value = Date.now()), everyMs)
  onScopeDispose(() => window.clearInterval(timer))
  return now
}
