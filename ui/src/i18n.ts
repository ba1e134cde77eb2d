import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN.json'
import en from './locales/en.json'
import type { Lang } from './bindings'

export const LANGS: Lang[] = ['zh-CN', 'en']

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

/** Switches every visible string (and the <html lang>) to `lang`. */
export function applyLanguage(lang: Lang) {
  i18n.global.locale.value = lang
  document.documentElement.lang = lang
}
