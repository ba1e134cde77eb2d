import { nextTick, reactive } from 'vue'
import { describe, expect, it } from 'vitest'
import { useFormErrors } from './useFormErrors'

const refusal = (...fields: string[]) => ({
  code: 'validation',
  message: '请修正标出的字段后再保存',
  fields: fields.map((field) => ({ field, code: 'required', message: `请填写 ${field}` })),
})

describe('useFormErrors', () => {
  it('drops a field’s message once its value changes, and keeps the others', async () => {
    const form = reactive({ name: '', steps: [{ title: '' }, { title: '' }] })
    const errors = useFormErrors(() => form)
    errors.show(refusal('name', 'steps.1.title'))
    expect(errors.status('name')).toBe('error')
    form.steps[0]!.title = 'unrelated step'
    await nextTick()
    expect(Object.keys(errors.fields.value)).toEqual(['name', 'steps.1.title'])
    form.steps[1]!.title = '切换至备库'
    await nextTick()
    expect(errors.status('steps.1.title')).toBeUndefined()
    expect(errors.fields.value.name).toBe('请填写 name')
    form.name = '数据库演练'
    await nextTick()
    expect(errors.fields.value).toEqual({})
    expect(errors.message.value).toBe('请修正标出的字段后再保存')
  })

  it('without the form, messages stay until cleared', async () => {
    const errors = useFormErrors()
    errors.show(refusal('name'))
    await nextTick()
    expect(errors.status('name')).toBe('error')
    errors.clear()
    expect(errors.fields.value).toEqual({})
  })
})
