import type { CheckAnswer } from './bindings'

/** A number as people type it: `1,024`, full-width digits; `null` when it is not one. */
export function readNumber(text: string): number | null {
  const cleaned = text
    .trim()
    .replace(/[,，\s]/g, '')
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace('．', '.')
    .replace('－', '-')
  if (cleaned === '' || !/^-?[0-9]*\.?[0-9]+$/.test(cleaned)) return null
  return Number(cleaned)
}

/** Outside `[min, max]` (a hint while typing; the core judges on save). */
export function looksOutOfRange(text: string, min: number | null, max: number | null): boolean {
  const n = readNumber(text)
  if (n === null) return false
  return (min !== null && n < min) || (max !== null && n > max)
}

/** The normal range as the core words it: `≥ 50 GB`, `10–90 %`. */
export function rangeText(answer: CheckAnswer): string {
  if (answer.kind !== 'number') return ''
  const unit = answer.unit ? ` ${answer.unit}` : ''
  const { min, max } = answer
  if (min !== null && max !== null) return `${min}–${max}${unit}`
  if (min !== null) return `≥ ${min}${unit}`
  if (max !== null) return `≤ ${max}${unit}`
  return ''
}

const pad = (n: number) => String(n).padStart(2, '0')

/** A date picker's value (local midnight) as `YYYY-MM-DD`. */
export function isoDay(pickerMs: number): string {
  const d = new Date(pickerMs)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** `YYYY-MM-DD` as a date picker's value (local midnight). */
export function pickerDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d).getTime()
}
