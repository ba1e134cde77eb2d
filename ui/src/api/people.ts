import { Channel } from '@tauri-apps/api/core'
import type {
  CertificateAlert,
  Column,
  Department,
  ImportFileCheck,
  ImportPreview,
  ImportProgress,
  OnDuty,
  Override,
  OverrideForm,
  PeopleQuery,
  Person,
  PersonForm,
  PersonKind,
  Rota,
  Rotation,
  RotationForm,
  TeamStructure,
} from '../bindings'
import { call } from './invoke'

export const listPeople = (query: Partial<PeopleQuery>) =>
  call<Person[]>('people_list', {
    query: { search: '', kind: '', department: '', resident_only: false, leaders_only: false, include_left: false, ...query },
  })
export const getPerson = (id: string) => call<Person>('person_get', { id })
/** Creates (`id` null) or updates a person. */
export const savePerson = (id: string | null, form: PersonForm) => call<Person>('person_save', { id, form })
export const teamStructure = () => call<TeamStructure>('team_structure')
export const certificateAlerts = () => call<CertificateAlert[]>('certificate_alerts')

export const listRotations = () => call<Rotation[]>('rotations_list')
export const saveRotation = (id: string | null, form: RotationForm) => call<Rotation>('rotation_save', { id, form })
export const deleteRotation = (id: string) => call<void>('rotation_delete', { id })
export const addOverride = (form: OverrideForm) => call<Override>('override_add', { form })
export const deleteOverride = (id: string) => call<void>('override_delete', { id })
export const listOverrides = (from: string, to: string) => call<Override[]>('overrides_list', { from, to })
export const getRota = (from: string, to: string) => call<Rota>('rota_get', { from, to })
export const onDutyNow = () => call<OnDuty>('on_duty_now')
/** Asks where to save the rota as .ics; `null` when cancelled. */
export const exportRotaIcs = (from: string, to: string, personId: string | null) =>
  call<string | null>('rota_export_ics', { from, to, personId })

/** Asks for a spreadsheet and previews its import; `null` when cancelled. */
export const pickPeopleImport = (kind: PersonKind) => call<ImportFileCheck | null>('people_import_pick', { kind })
export const previewPeopleImport = (path: string, mapping: (Column | null)[], kind: PersonKind) =>
  call<ImportPreview>('people_import_preview', { path, mapping, kind })
/** Imports every row or none; `progress` hears how far it got. */
export function importPeople(
  path: string,
  mapping: (Column | null)[],
  kind: PersonKind,
  progress: (p: ImportProgress) => void,
) {
  const onProgress = new Channel<ImportProgress>()
  onProgress.onmessage = progress
  return call<number>('people_import', { path, mapping, kind, onProgress })
}
/** Asks where to save the roster as .xlsx; `null` when cancelled. */
export const exportPeopleXlsx = (query: Partial<PeopleQuery>) =>
  call<string | null>('people_export_xlsx', {
    query: { search: '', kind: '', department: '', resident_only: false, leaders_only: false, include_left: false, ...query },
  })
/** Asks where to save the month rota as PDF; `null` when cancelled. */
export const exportRotaPdf = (year: number, month: number) => call<string | null>('rota_export_pdf', { year, month })

/** The plan's departments, in the plan's order. */
export const DEPARTMENTS: Department[] = ['project_manager', 'implementation', 'customer_service', 'quality', 'training']

/** A person form with nothing filled in. */
export const blankPersonForm = (kind: PersonKind): PersonForm => ({
  kind,
  name: '',
  department: '',
  job_title: '',
  phone: '',
  email: '',
  skills: [],
  certificates: [],
  resident: false,
  resident_site: '',
  joined: '',
  left: '',
  notes: '',
  organisation: '',
  client_department: '',
  position: '',
  leader: false,
  availability: [],
  confirm_duplicate: false,
})
