import { describe, expect, it } from 'vitest'
import { isoDay, looksOutOfRange, pickerDay, rangeText, readNumber } from './inspection'

describe('readings as typed', () => {
  it('reads numbers the way people write them', () => {
    expect(readNumber(' 1,024.5 ')).toBe(1024.5)
    expect(readNumber('５００')).toBe(500)
    expect(readNumber('12GB')).toBeNull()
    expect(readNumber('')).toBeNull()
  })

  it('flags a reading outside its range while it is typed', () => {
    expect(looksOutOfRange('12', 50, null)).toBe(true)
    expect(looksOutOfRange('120', 50, null)).toBe(false)
    expect(looksOutOfRange('95', null, 85)).toBe(true)
    expect(looksOutOfRange('abc', 50, null)).toBe(false)
  })

  it('words the normal range like the core', () => {
    expect(rangeText({ kind: 'number', unit: 'GB', min: 50, max: null })).toBe('≥ 50 GB')
    expect(rangeText({ kind: 'number', unit: '%', min: 10, max: 90 })).toBe('10–90 %')
    expect(rangeText({ kind: 'pass_fail' })).toBe('')
  })
})

describe('picker days', () => {
  it('round-trips a date through the picker', () => {
    expect(isoDay(pickerDay('2026-12-31'))).toBe('2026-12-31')
    expect(isoDay(pickerDay('2026-03-01'))).toBe('2026-03-01')
  })
})
