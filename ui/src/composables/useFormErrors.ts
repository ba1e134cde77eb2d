import { ref } from 'vue'
import { toApiError } from '../api/invoke'

/**
 * The errors of a form as the core reported them: one message per refused field, shown next
 * to it, and the overall message under the form.
 */
export function useFormErrors() {
  const fields = ref<Record<string, string>>({})
  const message = ref<string>()

  function clear() {
    fields.value = {}
    message.value = undefined
  }

  /** Takes whatever a failed call threw. */
  function show(thrown: unknown) {
    const error = toApiError(thrown)
    fields.value = Object.fromEntries(error.fields.map((f) => [f.field, f.message]))
    message.value = error.message
  }

  /** Says (or, with no message, takes back) what is wrong with one field, found in the page. */
  function say(field: string, text?: string) {
    const rest = Object.fromEntries(Object.entries(fields.value).filter(([name]) => name !== field))
    fields.value = text ? { ...rest, [field]: text } : rest
  }

  /** The validation status of a form item. */
  const status = (field: string) => (fields.value[field] ? 'error' : undefined)

  return { fields, message, clear, show, status, say }
}
