import { describe, expect, it } from 'vitest'
import { dutyLine, isDateTime, formatDateTime, formatSpan, fromPickerValue, serviceDate, serviceDayStart, toPickerValue } from './format'

describe('formatDateTime', () => {
  it('shows UTC instants in Shanghai time, whatever the machine zone', () => {
    expect(formatDateTime('2026-11-27T02:00:00.000Z')).toBe('2026-11-27 10:00')
    expect(formatDateTime('2026-12-31T17:30:00Z')).toBe('2027-01-01 01:30')
  })
  it('shows the seconds when there are any, so a deadline missed by seconds reads as missed', () => {
    expect(formatDateTime('2026-11-27T01:30:40.000Z')).toBe('2026-11-27 09:30:40')
  })
})

describe('picker values', () => {
  it('a picker shows the Shanghai wall clock', () => {
    const utc = Date.parse('2026-11-27T02:05:00Z')
    const shown = new Date(toPickerValue(utc))
    expect([shown.getHours(), shown.getMinutes()]).toEqual([10, 5])
  })

  it('round-trips to the same instant', () => {
    for (const iso of ['2026-11-27T02:05:00Z', '2026-03-29T01:30:00Z', '2025-12-31T16:00:00Z']) {
      const utc = Date.parse(iso)
      expect(new Date(fromPickerValue(toPickerValue(utc))).toISOString()).toBe(new Date(utc).toISOString())
    }
  })
})

describe('formatSpan', () => {
  const t = (key: string, p: Record<string, unknown>) => `${p.n}${key.slice(5, 6)}`
  it('keeps the two largest units', () => {
    expect(formatSpan(0, t)).toBe('0m')
    expect(formatSpan(59, t)).toBe('0m')
    expect(formatSpan(90 * 60, t)).toBe('1h 30m')
    expect(formatSpan(-(26 * 3600 + 120), t)).toBe('1d 2h')
    expect(formatSpan(3 * 86400, t)).toBe('3d')
  })
})

describe('service-zone days', () => {
  it('a day starts at midnight in Shanghai, whatever the machine zone', () => {
    expect(serviceDayStart(2026, 12, 1)).toBe('2026-11-30T16:00:00.000Z')
    expect(serviceDayStart(2027, 1, 1)).toBe('2026-12-31T16:00:00.000Z')
    expect(serviceDate('2026-11-30T16:00:00.000Z')).toBe('2026-12-01')
    expect(serviceDate('2026-11-30T15:59:00.000Z')).toBe('2026-11-30')
  })
})

describe('dutyLine', () => {
  const t = (key: string, params: Record<string, unknown>) => `${key}${JSON.stringify(params)}`
  const duty = (people: string[], office_hours: boolean, desk: string[]) => ({ people, next_handover: null, office_hours, desk })
  it('names the rota people first, then the desk in working time, else a gap', () => {
    expect(dutyLine(duty(['李强'], false, []), t)).toEqual({ text: '李强', gap: false })
    expect(dutyLine(duty([], true, ['周婷', '王芳']), t)).toEqual({ text: 'rota.desk{"names":"周婷、王芳"}', gap: false })
    expect(dutyLine(duty([], false, ['周婷']), t)).toEqual({ text: 'rota.nobody{}', gap: true })
  })
})

describe('isDateTime', () => {
  it('takes real dates as the pickers write them and refuses impossible ones', () => {
    expect(isDateTime('2026-02-28 09:30')).toBe(true)
    expect(isDateTime('2028-02-29 00:00')).toBe(true)
    expect(isDateTime('2026-02-30 09:30')).toBe(false)
    expect(isDateTime('2026-13-01 09:30')).toBe(false)
    expect(isDateTime('2026-02-28 24:00')).toBe(false)
    expect(isDateTime('yesterday')).toBe(false)
  })
})
