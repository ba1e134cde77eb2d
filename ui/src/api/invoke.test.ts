import { describe, expect, it } from 'vitest'
import { ApiError, toApiError } from './invoke'

describe('toApiError', () => {
  it('keeps the code, message and field errors of a core error', () => {
    const error = toApiError({
      code: 'validation',
      message: '请修正标出的字段后再保存',
      fields: [{ field: 'title', code: 'required', message: '请填写标题' }],
    })
    expect(error).toBeInstanceOf(ApiError)
    expect(error.code).toBe('validation')
    expect(error.message).toBe('请修正标出的字段后再保存')
    expect(error.fieldMessage('title')).toBe('请填写标题')
    expect(error.fieldMessage('level')).toBeUndefined()
  })

  it('wraps anything else thrown by the IPC layer', () => {
    const error = toApiError('Command incident_lst not found')
    expect(error.code).toBe('ipc')
    expect(error.message).toBe('Command incident_lst not found')
    expect(error.fields).toEqual([])
  })
})
