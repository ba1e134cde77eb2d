import type {
  AttendanceForm,
  Audience,
  AudienceForm,
  Plan,
  PlanForm,
  PlanProgress,
  Preview,
  SavedSession,
  Session,
  SessionForm,
  SessionQuery,
  SlotAnswer,
  SlotBooking,
  SlotQuery,
  StoredRevision,
} from '../bindings'
import { call } from './invoke'

export const listAudiences = () => call<Audience[]>('training_audiences')
export const addAudience = (form: AudienceForm) => call<Audience>('training_audience_add', { form })

export const planTemplate = () => call<PlanForm>('training_plan_template')
export const listPlans = () => call<Plan[]>('training_plans')
/** Creates (`id` null) or updates a plan. */
export const savePlan = (id: string | null, form: PlanForm) => call<Plan>('training_plan_save', { id, form })
export const planProgress = (id: string) => call<PlanProgress>('training_plan_progress', { id })

export const emptyQuery: SessionQuery = { from: '', to: '', plan_id: '', trainer: '', room: '', audience: '', attendee: '' }
export const listSessions = (query: Partial<SessionQuery>) =>
  call<Session[]>('training_sessions', { query: { ...emptyQuery, ...query } })
/** Creates (`id` null), edits or reschedules a session; a clash is refused with its message. */
export const saveSession = (id: string | null, form: SessionForm) =>
  call<SavedSession>('training_session_save', { id, form })
export const deleteSession = (id: string) => call<void>('training_session_delete', { id })
export const saveAttendance = (id: string, form: AttendanceForm) =>
  call<Session>('training_attendance_save', { id, form })
export const listRooms = () => call<string[]>('training_rooms')
export const suggestSlots = (query: SlotQuery) => call<SlotAnswer>('training_slots', { query })
/** Books a suggested slot as the leader's one-to-one session. */
export const bookSlot = (booking: SlotBooking) => call<SavedSession>('training_slot_book', { booking })

/** Asks where to save the sessions as .ics; `null` when cancelled. */
export const exportTrainingIcs = (query: Partial<SessionQuery>) =>
  call<string | null>('training_export_ics', { query: { ...emptyQuery, ...query } })
/** Asks where to save a session's sign-in sheet; `null` when cancelled. */
export const exportSignin = (id: string, open: boolean) => call<string | null>('training_signin_export', { id, open })

export const signPlan = (id: string, language: string, passphrase: string | null, remember: boolean) =>
  call<StoredRevision>('plan_sign', { id, language, passphrase, remember })
export const planRevisions = (id: string) => call<StoredRevision[]>('plan_revisions', { id })
export const savePlanRevision = (id: string, revision: number, open: boolean) =>
  call<string | null>('plan_revision_save', { id, revision, open })
/** Writes the unsigned draft of a plan and opens it in the system viewer. */
export const previewPlan = (id: string, language: string) => call<Preview>('plan_preview', { id, language })
/** Where a new session is proposed: the next free usual block on `day` or after (never past). */
export const defaultSessionSlot = (day: string | null) => call<[string, string] | null>('training_default_slot', { day })
