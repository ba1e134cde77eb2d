import type { ActionForm, ActionList, CorrectiveAction } from '../bindings'
import type { Category, CategoryForm, CategoryKind, CategoryOverview } from '../bindings'
import type { MajorList, ParetoBy, PeriodStats, Preview, QaSample, QaSampleForm, QcCharts, StoredRevision } from '../bindings'
import { call } from './invoke'

export const periodStats = (from: string, to: string) => call<PeriodStats>('period_stats', { from, to })
export const qcCharts = (from: string, to: string, by: ParetoBy) => call<QcCharts>('qc_charts', { from, to, by })
export const qaSamples = () => call<QaSample[]>('qa_samples')
export const drawQaSample = (form: QaSampleForm) => call<QaSample>('qa_sample_draw', { form })
export const reviewQaItem = (sampleId: string, incidentId: string, outcome: string, note: string) =>
  call<QaSample>('qa_review', { sampleId, incidentId, outcome, note })
/** Asks where to save a chart as PNG (`dataUrl` from ECharts) and writes it; `null` if cancelled. */
export const saveChartPng = (name: string, dataUrl: string) => call<string | null>('chart_png_save', { name, dataUrl })

export const signMonthly = (
  month: string,
  list: MajorList,
  language: string,
  passphrase: string | null,
  remember: boolean,
) => call<StoredRevision>('monthly_sign', { month, list, language, passphrase, remember })
export const monthlyRevisions = () => call<StoredRevision[]>('monthly_revisions')
/** The first month a report may cover (`YYYY-MM`), or `null` while nothing is recorded. */
export const monthlyFirst = () => call<string | null>('monthly_first')
export const saveMonthlyRevision = (number: string, revision: number, open: boolean) =>
  call<string | null>('monthly_revision_save', { number, revision, open })
/** Writes the unsigned draft of a month's report and opens it in the system viewer. */
export const previewMonthly = (month: string, list: MajorList, language: string) =>
  call<Preview>('monthly_preview', { month, list, language })

export const categoriesOverview = () => call<CategoryOverview>('categories_overview')
export const saveCategory = (form: CategoryForm) => call<Category>('category_save', { form })
/** Counts `text` of `kind` under `code` (empty: back to uncategorised); the overview after it. */
export const mapCategory = (kind: CategoryKind, text: string, code: string) =>
  call<CategoryOverview>('category_map', { kind, text, code })

/** The open corrective actions (整改项), and with `closed` the closed ones after them. */
export const correctiveActions = (closed: boolean) => call<ActionList>('corrective_actions', { closed })
export const raiseAction = (form: ActionForm) => call<CorrectiveAction>('corrective_action_raise', { form })
export const editAction = (id: string, form: ActionForm) => call<CorrectiveAction>('corrective_action_edit', { id, form })
export const closeAction = (id: string, evidence: string) => call<CorrectiveAction>('corrective_action_close', { id, evidence })
export const reopenAction = (id: string, reason: string) => call<CorrectiveAction>('corrective_action_reopen', { id, reason })
