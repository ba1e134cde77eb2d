import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useMessage } from 'naive-ui'
import type { Preview } from '../bindings'
import { toApiError } from '../api/invoke'

/**
 * Renders an unsigned draft (every page marked 草稿 / DRAFT) and says where it went; a character
 * the fonts cannot draw is named, since the PDF prints it as 〓.
 */
export function usePreview() {
  const { t } = useI18n()
  const message = useMessage()
  const previewing = ref(false)

  async function preview(render: () => Promise<Preview>, onError?: (e: unknown) => void) {
    if (previewing.value) return
    previewing.value = true
    try {
      const done = await render()
      message.success(t('report.previewed', { path: done.path }), { duration: 8000 })
      if (done.missing_glyphs.length) {
        message.warning(t('report.missingGlyphs', { chars: done.missing_glyphs.join(' ') }), { duration: 12000 })
      }
    } catch (e) {
      if (onError) onError(e)
      else message.error(toApiError(e).message)
    } finally {
      previewing.value = false
    }
  }
  return { preview, previewing }
}
