import type { ColleagueCertificateForm, Lang, NewSigningIdentity, Preview, ReportFields, SigningStatus, StoredRevision, Verification } from '../bindings'
import { call } from './invoke'

export const signingStatus = () => call<SigningStatus>('signing_status')
export const createSigningIdentity = (form: NewSigningIdentity) =>
  call<SigningStatus>('signing_identity_create', { form })
export const importSigningIdentity = (path: string, password: string, passphrase: string) =>
  call<SigningStatus>('signing_identity_import', { path, password, passphrase })
export const retireSigningIdentity = () => call<SigningStatus>('signing_identity_retire')
export const signingUnlocked = () => call<boolean>('signing_unlocked')
export const forgetSigningKey = () => call<void>('signing_forget')
/** Asks where to save the CA certificate; `null` when the user cancelled. */
export const exportAuthority = () => call<string | null>('signing_ca_export')
/** Issues a colleague a signing certificate from this copy's CA; where the .p12 was saved, or `null`. */
export const issueColleagueCertificate = (form: ColleagueCertificateForm) =>
  call<string | null>('signing_colleague_issue', { form })
/** The OS file dialog; `null` when the user cancelled. */
export const pickFile = (kind: 'p12' | 'pdf') => call<string | null>('file_pick', { kind })

export const signReport = (
  id: string,
  language: Lang,
  passphrase: string | null,
  remember: boolean,
  fields: ReportFields,
) => call<StoredRevision>('report_sign', { id, language, passphrase, remember, fields })
export const reportRevisions = (id: string) => call<StoredRevision[]>('report_revisions', { id })
/** Asks where to save a revision, then opens it when `open`; `null` when the user cancelled. */
export const saveRevision = (id: string, revision: number, open: boolean) =>
  call<string | null>('report_revision_save', { id, revision, open })
export const openRevision = (id: string, revision: number) => call<string>('report_revision_open', { id, revision })
export const verifyPdf = (path: string) => call<Verification>('report_verify', { path })
/** What was typed into an incident's report form and not yet signed. */
export const reportDraft = (id: string) => call<ReportFields | null>('report_draft_get', { id })
export const saveReportDraft = (id: string, fields: ReportFields) => call<void>('report_draft_save', { id, fields })
/** Writes the unsigned draft (every page marked 草稿 / DRAFT) and opens it in the system viewer. */
export const previewReport = (id: string, language: Lang, fields: ReportFields) =>
  call<Preview>('report_preview', { id, language, fields })
