import { invoke } from '@tauri-apps/api/core'
import type { ErrorReport } from '../bindings'

/** An error from the core, already in the user's language. */
export class ApiError extends Error {
  readonly code: string
  readonly fields: ErrorReport['fields']

  constructor(report: ErrorReport) {
    super(report.message)
    this.code = report.code
    this.fields = report.fields
  }

  /** The message for one form field, if the core refused it. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message
  }
}

function isErrorReport(value: unknown): value is ErrorReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorReport).code === 'string' &&
    typeof (value as ErrorReport).message === 'string'
  )
}

/** Turns whatever a failed call threw into an ApiError. */
export function toApiError(thrown: unknown): ApiError {
  if (thrown instanceof ApiError) return thrown
  if (isErrorReport(thrown)) return new ApiError({ ...thrown, fields: thrown.fields ?? [] })
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  return new ApiError({ code: 'ipc', message, fields: [] })
}

/** The only place the UI talks to the shell. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (thrown) {
    throw toApiError(thrown)
  }
}
