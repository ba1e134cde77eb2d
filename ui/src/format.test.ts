import { describe, expect, it } from 'vitest'
import { formatDateTime } from './format'

describe('formatDateTime', () => {
  it('shows UTC instants in Shanghai time, whatever the machine zone', () => {
    expect(formatDateTime('2026-11-27T02:00:00.000Z')).toBe('2026-11-27 10:00')
    expect(formatDateTime('2026-12-31T17:30:00Z')).toBe('2027-01-01 01:30')
  })
})
