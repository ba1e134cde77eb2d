import { ref, watch } from 'vue'
import { toApiError } from '../api/invoke'

/** The value at a field's path in a form (`steps.0.title`), as text to compare. */
function valueAt(form: unknown, path: string): string {
  let value: unknown = form
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
  }
  return JSON.stringify(value) ?? ''
}

/**
 * The errors of a form as the core reported them: one message per refused field, shown next
 * to it, and the overall message under the form. Given the form (`() => form`), a field's
 * message goes as soon as its value is changed: what was refused is no longer what it says.
 */
export function useFormErrors(form?: () => unknown) {
  const fields = ref<Record<string, string>>({})
  const message = ref<string>()
  /** Each refused field's value when it was refused. */
  let refused: Record<string, string> = {}
  if (form) {
    watch(
      form,
      (now) => {
        const kept = Object.entries(fields.value).filter(([name]) => !(name in refused) || valueAt(now, name) === refused[name])
        if (kept.length !== Object.keys(fields.value).length) fields.value = Object.fromEntries(kept)
      },
      { deep: true },
    )
  }

  function clear() {
    fields.value = {}
    message.value = undefined
  }

  /** Takes whatever a failed call threw. */
  function show(thrown: unknown) {
    const error = toApiError(thrown)
    fields.value = Object.fromEntries(error.fields.map((f) => [f.field, f.message]))
    message.value = error.message
    if (form) refused = Object.fromEntries(error.fields.map((f) => [f.field, valueAt(form(), f.field)]))
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
