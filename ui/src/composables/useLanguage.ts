import { ref } from 'vue'
import type { Lang } from '../bindings'
import { setLanguage } from '../api/settings'
import { applyLanguage } from '../i18n'

const current = ref<Lang>('zh-CN')

/** The interface language, kept in the database so it survives a restart. */
export function useLanguage() {
  /** Shows the interface in the saved language (read with the settings at start). */
  function apply(lang: Lang) {
    current.value = lang
    applyLanguage(lang)
  }

  async function change(lang: Lang) {
    apply((await setLanguage(lang)).language)
  }

  return { current, apply, change }
}
