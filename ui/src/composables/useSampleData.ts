import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useMessage } from 'naive-ui'
import { loadSampleData } from '../api/incidents'
import { toApiError } from '../api/invoke'

/** The "load sample data" action, shared by Settings and the empty incident list. */
export function useSampleData(after?: () => unknown) {
  const { t } = useI18n()
  const message = useMessage()
  const loading = ref(false)

  async function load() {
    loading.value = true
    try {
      const n = await loadSampleData()
      message.success(t('sample.loaded', { n }))
      await after?.()
    } catch (e) {
      message.error(toApiError(e).message)
    } finally {
      loading.value = false
    }
  }

  return { loading, load }
}
