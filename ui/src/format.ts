import type { OnDuty } from './bindings'

/** Times are stored in UTC and read in the contract site's zone, whatever the machine's zone. */
export const SERVICE_TIME_ZONE = 'Asia/Shanghai'

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** One formatter per zone, made once rather than at every call (a list formats ~150 times). */
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let made = formatters.get(timeZone)
  if (!made) {
    made = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, made)
  }
  return made
}

/** The wall-clock reading of `utcMs` in `timeZone`. */
function wallClock(utcMs: number, timeZone = SERVICE_TIME_ZONE): WallClock {
  const parts = formatter(timeZone).formatToParts(new Date(utcMs))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * "2026-11-27 10:00" in the service time zone, or "2026-11-27 10:00:40" when the instant has
 * seconds (as the core writes it): a deadline missed by seconds must not read as met.
 */
export function formatDateTime(iso: string): string {
  const w = wallClock(Date.parse(iso))
  const seconds = w.second ? `:${pad(w.second)}` : ''
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}${seconds}`
}

/**
 * Date pickers read and write the machine's local zone. These two functions let a picker show
 * and edit the service zone's wall clock instead: `toPickerValue` gives the local timestamp that
 * reads like the service-zone time of `utcMs`; `fromPickerValue` undoes it.
 */
export function toPickerValue(utcMs: number): number {
  const w = wallClock(utcMs)
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second).getTime()
}

export function fromPickerValue(pickerMs: number): number {
  const local = new Date(pickerMs)
  const asIfUtc = Date.UTC(
    local.getFullYear(),
    local.getMonth(),
    local.getDate(),
    local.getHours(),
    local.getMinutes(),
    local.getSeconds(),
  )
  // The zone's offset at that moment: how far its wall clock runs ahead of UTC.
  const w = wallClock(asIfUtc)
  const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - asIfUtc
  return asIfUtc - offset
}

type Translate = (key: string, params: Record<string, unknown>) => string

/** "2 天 3 小时", "1 小时 20 分钟", "5 分钟": the two largest units of a span of seconds. */
export function formatSpan(seconds: number, t: Translate): string {
  const total = Math.max(0, Math.floor(Math.abs(seconds) / 60))
  const days = Math.floor(total / 1440)
  const hours = Math.floor((total % 1440) / 60)
  const minutes = total % 60
  const parts: string[] = []
  if (days) parts.push(t('time.days', { n: days }))
  if (hours) parts.push(t('time.hours', { n: hours }))
  if (!days && (minutes || !hours)) parts.push(t('time.minutes', { n: minutes }))
  return parts.slice(0, 2).join(' ')
}

/** A deep copy of plain data, also of Vue's reactive proxies (which structuredClone rejects). */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** The instant (ISO) at which `year-month-day` begins in the service time zone. */
export function serviceDayStart(year: number, month: number, day: number): string {
  return new Date(fromPickerValue(new Date(year, month - 1, day).getTime())).toISOString()
}

/** The service-zone calendar date (`2026-11-28`) of an ISO instant. */
export function serviceDate(iso: string): string {
  return formatDateTime(iso).slice(0, 10)
}

/**
 * Who answers now: the rota's people; in working time with nobody on the rota, the service desk
 * (in a normal tone: it is covered); otherwise nobody, a gap to fill (`gap` true).
 */
export function dutyLine(d: OnDuty, t: Translate): { text: string; gap: boolean } {
  if (d.people.length) return { text: d.people.join('、'), gap: false }
  if (d.office_hours) {
    const key = d.desk.length ? 'rota.desk' : 'rota.deskNobody'
    return { text: t(key, { names: d.desk.join('、') }), gap: false }
  }
  return { text: t('rota.nobody', {}), gap: true }
}

/** Whether `text` is a real date and time as the pickers write it: `2026-02-28 09:30`, not `2026-02-30 09:30`. */
export function isDateTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text)
  if (!m) return false
  const [year, month, day, hour, minute] = m.slice(1).map(Number)
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute))
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60
}
