import { ref } from 'vue'
import { useMessage } from 'naive-ui'
import { enterSandbox, leaveSandbox } from '../api/settings'
import { toApiError } from '../api/invoke'

/**
 * The sample sandbox, from Settings, the empty incident list, the first-run setup and the
 * banner: opening it, going back to the real record, removing it. Every screen shows the other
 * database afterwards, so the window starts over on the dashboard.
 */
export function useSampleData() {
  const message = useMessage()
  const loading = ref(false)

  async function run(action: () => Promise<unknown>) {
    if (loading.value) return
    loading.value = true
    try {
      await action()
      window.location.hash = '#/'
      window.location.reload()
    } catch (e) {
      message.error(toApiError(e).message)
      loading.value = false
    }
  }

  return {
    loading,
    open: () => run(enterSandbox),
    leave: () => run(() => leaveSandbox(false)),
    remove: () => run(() => leaveSandbox(true)),
  }
}
