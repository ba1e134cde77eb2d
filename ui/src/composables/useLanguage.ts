import { ref } from 'vue'
import type { Lang } from '../bindings'
import { getSettings, setLanguage } from '../api/settings'
import { applyLanguage } from '../i18n'

const current = ref<Lang>('zh-CN')

/** The interface language, kept in the database so it survives a restart. */
export function useLanguage() {
  async function load() {
    const settings = await getSettings()
    current.value = settings.language
    applyLanguage(settings.language)
  }

  async function change(lang: Lang) {
    const settings = await setLanguage(lang)
    current.value = settings.language
    applyLanguage(settings.language)
  }

  return { current, load, change }
}
