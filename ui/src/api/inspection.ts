import type {
  ActionForm,
  Asset,
  AssetForm,
  AttachmentRef,
  BackupCompliance,
  CalendarDay,
  CheckTemplate,
  CheckTemplateForm,
  ClientBackup,
  ClientBackupForm,
  CorrectiveAction,
  Generated,
  HistoryEntry,
  InspectionMonth,
  InspectionPlan,
  InspectionPlanForm,
  InspectionRun,
  InspectionRunDetail,
  InspectionRunForm,
  InspectionRunState,
  InspectionToday,
  InspectionTrend,
  Preview,
  RaisedFrom,
  RaisedIncident,
  StoredRevision,
  WorkOrder,
  WorkOrderForm,
  WorkStep,
} from '../bindings'
import { call } from './invoke'

export const inspectionTemplates = () => call<CheckTemplate[]>('inspection_templates')
export const saveInspectionTemplate = (id: string | null, form: CheckTemplateForm) =>
  call<CheckTemplate>('inspection_template_save', { id, form })
export const inspectionPlans = () => call<InspectionPlan[]>('inspection_plans')
export const saveInspectionPlan = (id: string | null, form: InspectionPlanForm) =>
  call<InspectionPlan>('inspection_plan_save', { id, form })
export const deleteInspectionPlan = (id: string) => call<void>('inspection_plan_delete', { id })
export const generateRuns = () => call<Generated>('inspection_generate')
export const inspectionRuns = (query: { from?: string; to?: string; planId?: string; states?: InspectionRunState[] }) =>
  call<InspectionRun[]>('inspection_runs', {
    from: query.from ?? null,
    to: query.to ?? null,
    planId: query.planId ?? null,
    states: query.states ?? [],
  })
export const inspectionRun = (id: string) => call<InspectionRunDetail>('inspection_run_get', { id })
export const saveInspectionRun = (id: string, form: InspectionRunForm, submit: boolean) =>
  call<InspectionRunDetail>('inspection_run_save', { id, form, submit })
export const signOffRun = (id: string) => call<InspectionRunDetail>('inspection_run_sign_off', { id })
export const pickAttachment = () => call<AttachmentRef | null>('inspection_attachment_pick')
export const saveAttachment = (sha256: string, name: string) =>
  call<string | null>('inspection_attachment_save', { sha256, name })
/** Raises a corrective action (整改项) for abnormal item `key` of run `runId`. */
export const raiseRunAction = (runId: string, key: string, form: ActionForm) =>
  call<CorrectiveAction>('inspection_action_raise', { runId, key, form })
export const raiseIncident = (runId: string, key: string) =>
  call<RaisedIncident>('inspection_raise_incident', { runId, key })
export const raisedFrom = (incidentId: string) => call<RaisedFrom[]>('inspection_raised_from', { incidentId })
export const inspectionToday = () => call<InspectionToday>('inspection_today')
export const inspectionTrend = (planId: string, key: string, from: string, to: string) =>
  call<InspectionTrend>('inspection_trend', { planId, key, from, to })
export const inspectionMonth = (month: string) => call<InspectionMonth>('inspection_month', { month })
export const clientBackups = (from: string, to: string) => call<ClientBackup[]>('client_backups', { from, to })
export const addClientBackup = (form: ClientBackupForm) => call<ClientBackup>('client_backup_add', { form })
export const deleteClientBackup = (id: string) => call<void>('client_backup_delete', { id })
export const backupCompliance = (month: string) => call<BackupCompliance>('client_backup_compliance', { month })
export const listAssets = () => call<Asset[]>('assets_list')
export const saveAsset = (id: string | null, form: AssetForm) => call<Asset>('asset_save', { id, form })
export const workOrders = (from: string, to: string) => call<WorkOrder[]>('work_orders', { from, to })
export const requestWork = (form: WorkOrderForm) => call<WorkOrder>('work_order_request', { form })
export const workOrderStep = (id: string, step: WorkStep) => call<WorkOrder>('work_order_step', { id, step })
export const signInspectionReport = (month: string, language: string, passphrase: string | null, remember: boolean) =>
  call<StoredRevision>('inspection_report_sign', { month, language, passphrase, remember })
export const previewInspectionReport = (month: string, language: string) =>
  call<Preview>('inspection_report_preview', { month, language })
export const inspectionReportRevisions = () => call<StoredRevision[]>('inspection_report_revisions')
export const saveInspectionReportRevision = (number: string, revision: number, open: boolean) =>
  call<string | null>('inspection_report_revision_save', { number, revision, open })
export const serviceCalendar = (from: string, to: string) => call<CalendarDay[]>('service_calendar', { from, to })
export const saveServiceCalendarIcs = (from: string, to: string) =>
  call<string | null>('service_calendar_ics_save', { from, to })
export const assetHistory = (id: string) => call<HistoryEntry[]>('asset_history', { id })
export const exportInspectionTemplate = (id: string) => call<string | null>('inspection_template_export', { id })
export const importInspectionTemplate = () => call<CheckTemplateForm | null>('inspection_template_import')
