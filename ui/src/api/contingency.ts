import type {
  ActionForm,
  Catalogue,
  ContingencyForm,
  ContingencyPlan,
  CorrectiveAction,
  Drill,
  DrillDetail,
  DrillForm,
  DrillYear,
  Incident,
  LogForm,
  PlanChoice,
  Preview,
  StoredRevision,
} from '../bindings'
import { call } from './invoke'

/** The emergency plans (应急预案), each with where its review stands. */
export const contingencyCatalogue = () => call<Catalogue>('contingency_catalogue')
/** Saves plan `id` as its next version, or a new plan (`id` = `null`). */
export const saveContingencyPlan = (id: string | null, form: ContingencyForm) =>
  call<ContingencyPlan>('contingency_plan_save', { id, form })
/** The plans incident `id` may activate, those fitting it first. */
export const plansForIncident = (id: string) => call<PlanChoice[]>('contingency_for_incident', { id })
export const activatePlan = (id: string, planId: string) => call<Incident>('contingency_activate', { id, planId })
export const planStepDone = (id: string, planId: string, step: number, person: string) =>
  call<Incident>('contingency_step_done', { id, planId, step, person })

/** The drills of `year` (演练计划), each plan's coverage and the backups' restore drills. */
export const drillYear = (year: number) => call<DrillYear>('drill_year', { year })
export const getDrill = (id: string) => call<DrillDetail>('drill_get', { id })
/** Plans a drill (`id` = `null`) or records drill `id`. */
export const saveDrill = (id: string | null, form: DrillForm) => call<Drill>('drill_save', { id, form })
export const addDrillLog = (id: string, form: LogForm) => call<Drill>('drill_log_add', { id, form })
/** Raises a finding of drill `id` as a corrective action (整改项). */
export const raiseDrillFinding = (id: string, form: ActionForm) =>
  call<CorrectiveAction>('drill_finding_raise', { id, form })
export const signDrillReport = (id: string, language: string, passphrase: string | null, remember: boolean) =>
  call<StoredRevision>('drill_report_sign', { id, language, passphrase, remember })
export const previewDrillReport = (id: string, language: string) => call<Preview>('drill_report_preview', { id, language })
export const saveDrillReportRevision = (id: string, revision: number, open: boolean) =>
  call<string | null>('drill_report_revision_save', { id, revision, open })
/** Asks where to save the drill plan of `year` (年度应急演练计划) as a PDF; the path, or null if cancelled. */
export const saveDrillPlanPdf = (year: number) => call<string | null>('drill_plan_pdf_save', { year })
