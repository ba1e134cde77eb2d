import { useI18n } from 'vue-i18n'
import { isDateTime, toPickerValue } from '../format'

/**
 * A date-time picker for something that has happened: days after today are not offered (the
 * core would refuse them), and text typed that is no date — 2026-02-30 — is said to be one
 * through `say` instead of being dropped when the picker closes.
 */
export function usePastPicker(say: (message: string | undefined) => void) {
  const { t } = useI18n()
  const isDateDisabled = (pickerMs: number) => pickerMs > toPickerValue(Date.now())
  function onBlur(event: FocusEvent) {
    const text = (event.target as HTMLInputElement | null)?.value?.trim() ?? ''
    say(text && !isDateTime(text) ? t('error.notADate', { text }) : undefined)
  }
  return { isDateDisabled, onBlur }
}
