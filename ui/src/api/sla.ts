import type { SlaPolicy, SlaSettings, WorkingCalendar } from '../bindings'
import { call } from './invoke'

export const getSlaSettings = () => call<SlaSettings>('sla_settings_get')
export const saveSlaPolicy = (policy: SlaPolicy) => call<number>('sla_policy_save', { policy })
export const saveCalendar = (calendar: WorkingCalendar) => call<null>('calendar_save', { calendar })
export const importHolidaysIcs = (text: string) => call<number>('calendar_import_ics', { text })
