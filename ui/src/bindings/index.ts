// Generated from the Rust types by src-tauri/tests/bindings.rs. Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p yunwei --test bindings`.

/**
 * Severity level (故障级别) as the contract defines it.
 */
export type Level = "I" | "II" | "III" | "IV";

/**
 * How the incident reached the team (报告渠道).
 */
export type Channel = "onsite" | "hotline" | "email" | "inspection" | "monitoring";

/**
 * Where an incident stands, for lists and filters.
 */
export type Status = "new" | "in_progress" | "paused" | "resolved" | "closed";

/**
 * Which plan a `plan_submitted` event delivers.
 */
export type PlanKind = "handling" | "emergency";

/**
 * What the incident report (故障处理报告) states.
 */
export type ReportFields = { 
/**
 * 故障种类
 */
fault_type: string, 
/**
 * 故障原因
 */
cause: string, 
/**
 * 解决方法
 */
method: string, 
/**
 * 故障损失
 */
losses: string, 
/**
 * What was done to protect data and restore the pre-fault state.
 */
data_protection: string, 
/**
 * Follow-up actions (后续措施) to keep the fault from coming back.
 */
follow_up: string, 
/**
 * The fault-type category chosen from the list (its code); `fault_type` is then detail.
 */
fault_type_code?: string, 
/**
 * The cause category chosen from the list (its code); `cause` is then detail.
 */
cause_code?: string, };

/**
 * One thing that happened to an incident, with what it needs to say.
 */
export type EventData = { "kind": "reported" } | { "kind": "responded" } | { "kind": "plan_submitted", plan: PlanKind, 
/**
 * What the plan says. Required since plans carried their text; empty on older records.
 */
text?: string, 
/**
 * The id of the emergency plan activated on this incident that it follows.
 */
contingency?: string, } | { "kind": "plan_activated", plan_id: string, name: string, version: number, steps: Array<Step>, } | { "kind": "step_done", plan_id: string, 
/**
 * Its index in the activated copy.
 */
step: number, title: string, person: string, } | { "kind": "on_site_requested" } | { "kind": "engineer_on_site" } | { "kind": "workaround", summary: string, } | { "kind": "paused", reason: string, } | { "kind": "resumed" } | { "kind": "level_changed", from: Level, to: Level, reason: string, } | { "kind": "assigned", person: string, 
/**
 * The roster record of the person, when assigned from the roster.
 */
person_id?: string, } | { "kind": "note", text: string, } | { "kind": "resolved", summary: string, } | { "kind": "reopened", reason: string, } | { "kind": "report_submitted", report: ReportFields, 
/**
 * The signed report revision this submission stored, when it was signed.
 */
revision?: number, } | { "kind": "closed" };

/**
 * An action on an incident as the event form sends it, by kind, each kind carrying only what it
 * needs (raw text, checked when recorded). What the form asks for each kind is read from
 * [`EventInput::blanks`], so the window never keeps its own list.
 */
export type EventInput = { "kind": "responded" } | { "kind": "plan_submitted", plan: string, text: string, contingency: string, } | { "kind": "on_site_requested" } | { "kind": "engineer_on_site" } | { "kind": "workaround", summary: string, } | { "kind": "paused", reason: string, } | { "kind": "resumed" } | { "kind": "level_changed", level: string, reason: string, } | { "kind": "assigned", person: string, person_id: string, } | { "kind": "note", text: string, } | { "kind": "resolved", summary: string, } | { "kind": "reopened", reason: string, } | { "kind": "report_submitted", report: ReportFields, } | { "kind": "closed" };

/**
 * The event form: when it happened (RFC 3339; empty means now) and what.
 */
export type EventForm = { occurred_at: string, } & ({ "kind": "responded" } | { "kind": "plan_submitted", plan: string, text: string, contingency: string, } | { "kind": "on_site_requested" } | { "kind": "engineer_on_site" } | { "kind": "workaround", summary: string, } | { "kind": "paused", reason: string, } | { "kind": "resumed" } | { "kind": "level_changed", level: string, reason: string, } | { "kind": "assigned", person: string, person_id: string, } | { "kind": "note", text: string, } | { "kind": "resolved", summary: string, } | { "kind": "reopened", reason: string, } | { "kind": "report_submitted", report: ReportFields, } | { "kind": "closed" });

/**
 * The create form as the user filled it in: raw text, checked by [`NewIncident::validate`].
 */
export type NewIncident = { title: string, 
/**
 * `I`, `II`, `III` or `IV`.
 */
level: string, 
/**
 * One of the [`Channel`] codes, e.g. `hotline`.
 */
channel: string, 
/**
 * RFC 3339, e.g. `2026-11-27T10:00:00+08:00`.
 */
reported_at: string, reporter: string, description: string, 
/**
 * The affected system or module (公文流转, 邮件网关, …).
 */
system: string, };

/**
 * One line of the incident list, with where it stands now.
 */
export type IncidentSummary = { id: string, number: string, title: string, 
/**
 * The current level (after any level change).
 */
level: Level, channel: Channel, reported_at: string, reporter: string, status: Status, assignee: string | null, 
/**
 * The most urgent milestone still open (running, paused or overdue), if any.
 */
next_milestone: MilestoneReport | null, };

/**
 * One entry of an incident's append-only timeline.
 */
export type IncidentEvent = { id: string, 
/**
 * Who recorded it (the current user of Settings), when known.
 */
actor: string | null, 
/**
 * When it happened (may be earlier than when it was recorded, never later than now).
 */
occurred_at: string, 
/**
 * When it was typed into Yunwei.
 */
recorded_at: string, 
/**
 * Refused by the timeline's rules where it falls once merged with another copy's events
 * (closed on one laptop, reopened on another): kept and shown, but it changes nothing.
 */
contradicted: boolean, } & ({ "kind": "reported" } | { "kind": "responded" } | { "kind": "plan_submitted", plan: PlanKind, 
/**
 * What the plan says. Required since plans carried their text; empty on older records.
 */
text?: string, 
/**
 * The id of the emergency plan activated on this incident that it follows.
 */
contingency?: string, } | { "kind": "plan_activated", plan_id: string, name: string, version: number, steps: Array<Step>, } | { "kind": "step_done", plan_id: string, 
/**
 * Its index in the activated copy.
 */
step: number, title: string, person: string, } | { "kind": "on_site_requested" } | { "kind": "engineer_on_site" } | { "kind": "workaround", summary: string, } | { "kind": "paused", reason: string, } | { "kind": "resumed" } | { "kind": "level_changed", from: Level, to: Level, reason: string, } | { "kind": "assigned", person: string, 
/**
 * The roster record of the person, when assigned from the roster.
 */
person_id?: string, } | { "kind": "note", text: string, } | { "kind": "resolved", summary: string, } | { "kind": "reopened", reason: string, } | { "kind": "report_submitted", report: ReportFields, 
/**
 * The signed report revision this submission stored, when it was signed.
 */
revision?: number, } | { "kind": "closed" });

/**
 * One incident with its whole timeline and every SLA figure, as of the moment it was read.
 */
export type Incident = { description: string, 
/**
 * The affected system or module; empty when not recorded.
 */
system: string, 
/**
 * The level it was opened at.
 */
opened_level: Level, 
/**
 * When the incident was typed into Yunwei (may be later than `reported_at`).
 */
created_at: string, 
/**
 * The SLA policy version it runs under (kept when the policy is edited).
 */
policy_version: number, 
/**
 * Its number is a provisional label (team mode, not yet numbered by the team server): it
 * cannot be printed on a signed report until a sync brings the server's number.
 */
provisional: boolean, 
/**
 * Oldest first.
 */
events: Array<IncidentEvent>, milestones: Array<MilestoneReport>, 
/**
 * The event kinds that may be recorded next: the actions the screen offers.
 */
allowed_next: Array<EventInput['kind']>, id: string, number: string, title: string, 
/**
 * The current level (after any level change).
 */
level: Level, channel: Channel, reported_at: string, reporter: string, status: Status, assignee: string | null, 
/**
 * The most urgent milestone still open (running, paused or overdue), if any.
 */
next_milestone: MilestoneReport | null, };

/**
 * Which deadlines to show.
 */
export type DueFilter = "due_soon" | "breached" | "report_overdue" | "report_due";

/**
 * The order of the incident list. Each has a natural direction (`descending: false`): most
 * urgent, oldest report, most severe level, lowest number, least advanced status first.
 */
export type IncidentSort = "urgency" | "reported" | "level" | "number" | "status";

/**
 * An event that ends clocks for good.
 */
export type ClockEnder = "resolved" | "closed";

/**
 * Filters, search and paging of the incident list. Empty lists mean "any".
 */
export type IncidentQuery = { levels: Array<Level>, statuses: Array<Status>, channels: Array<Channel>, assignee: string | null, reported_from: string | null, reported_to: string | null, due: DueFilter | null, 
/**
 * Words to find in title, description and timeline notes (Chinese works, and the pinyin
 * of title and description: `shujuku` finds 数据库).
 */
search: string, 
/**
 * A fault-type category code (a group takes its entries), or [`UNCATEGORISED`]: incidents
 * whose report names no category the lists or mappings know.
 */
fault_type: string | null, 
/**
 * A cause category code, likewise.
 */
cause: string | null, sort: IncidentSort, 
/**
 * Against the sort's natural direction.
 */
descending: boolean, offset: number, 
/**
 * Page size; 0 means the default of 50, at most 500.
 */
limit: number, };

/**
 * One page of the incident list.
 */
export type IncidentPage = { items: Array<IncidentSummary>, 
/**
 * How many incidents match the filters in all.
 */
total: number, };

/**
 * A count per level, each named by its level (`{ "I": 2, "II": 0, "III": 5, "IV": 1 }` across
 * IPC), so no reader depends on the order of a list.
 */
export type LevelCounts = { I: number, II: number, III: number, IV: number, };

/**
 * A count per status, each named by its status (`{ "new": 3, "in_progress": 1, … }` across
 * IPC).
 */
export type StatusCounts = { new: number, in_progress: number, paused: number, resolved: number, closed: number, };

/**
 * What the dashboard shows at a glance.
 */
export type IncidentCounts = { 
/**
 * Open (not resolved or closed) incidents per level.
 */
open_by_level: LevelCounts, 
/**
 * Incidents per status.
 */
by_status: StatusCounts, 
/**
 * Incidents not closed with a milestone due within 2 hours.
 */
due_soon: number, 
/**
 * Incidents not closed with an overdue milestone (a late report counts).
 */
breached: number, 
/**
 * Incidents whose report is overdue and not submitted.
 */
reports_overdue: number, };

/**
 * The contract's milestones. What starts and what meets each one is fixed here; how long it
 * may take, on which calendar, and when it warns, is the policy's.
 */
export type MilestoneKind = "respond" | "handling_plan" | "on_site" | "resolve" | "emergency_plan" | "report";

export type MilestoneState = "not_started" | "running" | "paused" | "met" | "breached_open" | "breached_met" | "missed" | "not_applicable";

export type Warning = "none" | "first" | "second" | "breached";

/**
 * One milestone's figures at an instant.
 */
export type MilestoneReport = { kind: MilestoneKind, state: MilestoneState, 
/**
 * When it is (or was) due; `None` when not started, not applicable, or never due.
 */
due: string | null, 
/**
 * When it was met.
 */
met_at: string | null, 
/**
 * When its clock ended with it unmet (the resolution or close that made it [`Missed`]).
 *
 * [`Missed`]: MilestoneState::Missed
 */
missed_at: string | null, allowed_seconds: number, used_seconds: number, 
/**
 * Negative: overrun.
 */
left_seconds: number, percent_used: number, warning: Warning, 
/**
 * Why it is due when it is, in the user's language.
 */
explanation: string, };

export type TimeUnit = "minutes" | "hours" | "days";

/**
 * How long a milestone may take, as the contract says it ("30 min", "5 days").
 */
export type Allowance = { amount: number, unit: TimeUnit, };

/**
 * Which calendar a milestone counts on.
 */
export type CalendarRef = "wall_clock" | "working";

/**
 * One line of the policy table.
 */
export type MilestoneRule = { kind: MilestoneKind, 
/**
 * Per level I, II, III, IV; `None`: the milestone does not apply to that level.
 */
allowances: [Allowance | null, Allowance | null, Allowance | null, Allowance | null], calendar: CalendarRef, 
/**
 * Warn when this share of the allowance is used (first, second), in per cent.
 */
warn_percent: [number, number], };

/**
 * The SLA policy: a table of milestones.
 */
export type SlaPolicy = { rules: Array<MilestoneRule>, };

/**
 * A span of working time within one day, local time, `start < end`.
 */
export type WorkInterval = { start: string, end: string, };

/**
 * A day that is not worked although its weekday normally is (a public holiday).
 */
export type Holiday = { date: string, name: string, };

/**
 * Working time: what counts, and in which zone.
 */
export type WorkingCalendar = { 
/**
 * IANA zone, e.g. `Asia/Shanghai`.
 */
time_zone: string, 
/**
 * Monday first; an empty list is a day off.
 */
weekly: [Array<WorkInterval>, Array<WorkInterval>, Array<WorkInterval>, Array<WorkInterval>, Array<WorkInterval>, Array<WorkInterval>, Array<WorkInterval>], holidays: Array<Holiday>, 
/**
 * Weekend days that are worked (调休), with the hours of a normal working day.
 */
adjusted_workdays: Array<string>, };

/**
 * The SLA policy new incidents open under, and the working calendar.
 */
export type SlaSettings = { policy_version: number, policy: SlaPolicy, calendar: WorkingCalendar, };

/**
 * A language of the interface and of everything the core says to a person.
 */
export type Lang = "zh-CN" | "en";

export type Settings = { language: Lang, 
/**
 * The person using this copy of Yunwei: the actor of the events they record.
 */
user_name: string, 
/**
 * The service organisation named at the top of every report.
 */
organisation: string, 
/**
 * A logo is printed beside the organisation's name.
 */
has_logo: boolean, 
/**
 * The roster record of the current user, when chosen from the roster.
 */
user_person_id: string | null, 
/**
 * The first-run setup was finished or skipped.
 */
set_up: boolean, 
/**
 * This is the sample sandbox's database, not the real record.
 */
sample: boolean, };

/**
 * What the Settings screen shows about this installation.
 */
export type AppInfo = { version: string, database_path: string, schema_version: number, 
/**
 * Copies of the database taken before a newer Yunwei migrated it, newest first.
 */
migration_backups: Array<string>, 
/**
 * The data folder, holding `db/` and `reports/`.
 */
data_dir: string, 
/**
 * The data folder cannot be written: the data is shown, changes are off.
 */
read_only: boolean, };

/**
 * An error as it crosses to the UI: `{ code, message, fields }`.
 */
export type ErrorReport = { code: string, message: string, 
/**
 * One entry per refused form field, empty for other errors.
 */
fields: Array<FieldReport>, };

export type FieldReport = { field: string, code: string, message: string, };

/**
 * Why a file does not verify.
 */
export type Problem = "not_pdf" | "no_signature" | "byte_range_invalid" | "truncated" | "malformed" | "signer_certificate_missing" | "unsupported_algorithm" | "digest_mismatch" | "signature_invalid" | "certificate_signature_invalid" | "certificate_not_valid_then" | "modified_after_signing" | "untrusted_issuer";

/**
 * What kind of document a signed revision is.
 */
export type SignedDocument = "incident_report" | "training_plan" | "monthly_report" | "inspection_report" | "drill_report";

/**
 * A signed document revision as stored: an incident report, a training plan or a monthly report.
 */
export type StoredRevision = { 
/**
 * `RPT-2026-0001`, the plan's `TP-2026-01`, or the month's `MR-2026-10`.
 */
report_number: string, revision: number, 
/**
 * The incident's number, the plan's title, or the month (`2026-10`).
 */
incident_number: string, signer: string, signed_at: string, lang: string, 
/**
 * SHA-256 of the signed file, hex.
 */
sha256: string, size: number, document: SignedDocument, };

/**
 * A draft written to `reports/drafts/` for the system viewer.
 */
export type Preview = { path: string, 
/**
 * Characters the fonts could not draw, printed as 〓 (also in `reports/export.log`).
 */
missing_glyphs: Array<string>, };

/**
 * The sample sandbox as the window sees it.
 */
export type SandboxStatus = { 
/**
 * Open in place of the real record.
 */
active: boolean, 
/**
 * Its folder exists (open or not).
 */
exists: boolean, };

/**
 * The verdict on a signed PDF.
 */
export type Verdict = "valid" | "untrusted" | "invalid";

/**
 * One signature of a file, checked on its own.
 */
export type SignatureCheck = { 
/**
 * The signature value matches the bytes it covers, with a sound certificate chain.
 */
intact: boolean, problem: Problem | null, signer: string | null, signer_title: string | null, organisation: string | null, issuer: string | null, signed_at: string | null, 
/**
 * The chain ends at a trusted root.
 */
trusted: boolean, 
/**
 * The revision it signs: the file's first this many bytes.
 */
covered_bytes: number, whole_file: boolean, };

/**
 * The outcome of checking a signed PDF: the verdict, the first reason when not valid, the
 * newest signature's details, and every signature in file order.
 */
export type Verification = { verdict: Verdict, problem: Problem | null, signer: string | null, signer_title: string | null, organisation: string | null, issuer: string | null, signed_at: string | null, 
/**
 * The newest signature covers every byte of the file.
 */
whole_file: boolean, 
/**
 * Bytes after the newest signed revision (an unsigned update).
 */
appended_bytes: number, 
/**
 * The newest signature chains to a trusted root (the company CA or an imported one).
 */
trusted: boolean, 
/**
 * Oldest first; a countersigned report has two.
 */
signatures: Array<SignatureCheck>, 
/**
 * The stored report revision with exactly these bytes, if any.
 */
revision: StoredRevision | null, 
/**
 * When the file is no stored revision: the stored revision that the part covered by one of
 * its signatures is (a countersigned report, or one with bytes appended).
 */
covered_revision: StoredRevision | null, };

/**
 * A certificate as the Settings screen shows it.
 */
export type CertificateInfo = { name: string, title: string, organisation: string, issuer: string, not_after: string, 
/**
 * `created` here or `imported` from a `.p12`.
 */
source: string, 
/**
 * SHA-256 of the certificate, hex in groups of four, for comparing by phone.
 */
fingerprint: string, };

/**
 * What signing is set up with.
 */
export type SigningStatus = { signer: CertificateInfo | null, 
/**
 * The company CA recipients should trust (created here, or the root of an imported chain).
 */
authority: CertificateInfo | null, };

/**
 * How backups are set up: stored in `backups/config.json`, outside the database, so that
 * restoring an older point does not undo it.
 */
export type BackupConfig = { 
/**
 * The recovery key's public half (`age1…`): points are encrypted to it.
 */
recipient: string, 
/**
 * A second folder that receives every point too (`yunwei-backups/` inside it).
 */
folder: string | null, 
/**
 * How many monthly full points are kept, each with its weekly incrementals.
 */
keepMonths: number, };

/**
 * A new recovery key: the secret half is shown once, printed, and never stored.
 */
export type RecoveryKey = { 
/**
 * `AGE-SECRET-KEY-1…`
 */
secret: string, 
/**
 * `age1…`
 */
recipient: string, 
/**
 * The secret as the recovery sheet prints it, for reading aloud and typing.
 */
grouped: Array<string>, };

export type PointKind = "full" | "incremental";

/**
 * A point found on disk, and the folders holding it.
 */
export type BackupPoint = { id: string, kind: PointKind, parent: string | null, createdAt: string, schemaVersion: number, payloadSize: number, changedPages: number, pages: number, documents: number, rows: Record<string, number>, folders: Array<string>, };

/**
 * A failure as a drill records it, readable in either language later.
 */
export type DrillProblem = { zh: string, en: string, };

/**
 * One restore drill: a point rebuilt in a temporary folder and checked.
 */
export type RestoreDrill = { at: string, point: string, 
/**
 * `run`: the run that made the point, with its own file key; `recovery`: with the
 * recovery key, the whole chain from the files.
 */
with: string, ok: boolean, 
/**
 * What failed, when it did, in both languages.
 */
problem: DrillProblem | null, durationMs: number, };

/**
 * What the Backups screen shows.
 */
export type BackupStatus = { 
/**
 * `None` until backups are set up.
 */
config: BackupConfig | null, 
/**
 * Oldest first.
 */
points: Array<BackupPoint>, 
/**
 * The latest drills, newest first.
 */
drills: Array<RestoreDrill>, 
/**
 * What the schedule asks for now.
 */
due: PointKind | null, 
/**
 * The second folder is on the data folder's disk.
 */
sameVolume: boolean, 
/**
 * The database before the last restore is kept.
 */
canUndoRestore: boolean, };

/**
 * What a backup run is doing, for a progress bar.
 */
export type Stage = "snapshot" | "check" | "encrypt" | "copy" | "drill";

export type Progress = { stage: Stage, done: number, total: number, };

/**
 * What a run did.
 */
export type RunOutcome = { "outcome": "made", point: BackupPoint, drill: RestoreDrill, } | { "outcome": "unchanged" };

/**
 * One entry of the trail.
 */
export type AuditEntry = { seq: number, at: string, 
/**
 * The user name set in Settings when the change was made.
 */
actor: string, 
/**
 * `create`, `update`, `remove`, or an action of the app (`backup`, `restore`,
 * `undo_restore`).
 */
action: string, 
/**
 * The table (or `backup`).
 */
entity: string, entity_id: string, 
/**
 * The fields that changed, before → after (all fields for a creation or removal).
 */
changes: Array<FieldChange>, };

export type FieldChange = { field: string, before: string | null, after: string | null, };

/**
 * Which entries to list.
 */
export type AuditQuery = { 
/**
 * A table name, or empty for all.
 */
entity: string, 
/**
 * One record's key, or empty.
 */
entity_id: string, 
/**
 * Part of the actor's name, or empty.
 */
actor: string, 
/**
 * RFC 3339 bounds, or empty.
 */
from: string, to: string, 
/**
 * At most this many, newest first (1–1000; 0 means 200).
 */
limit: number, };

/**
 * What a check of the chain found.
 */
export type AuditCheck = { entries: number, 
/**
 * The first entry whose hash does not follow from its fields and the entry before it.
 */
first_broken: number | null, };

/**
 * What an item looks at (the service plan's areas).
 */
export type CheckCategory = "server" | "database" | "logs" | "network" | "backup" | "application";

/**
 * The kind of answer an item takes and what counts as normal.
 */
export type CheckAnswer = { "kind": "pass_fail" } | { "kind": "number", unit: string, min: number | null, max: number | null, } | { "kind": "choice", options: Array<string>, abnormal: Array<string>, } | { "kind": "text" };

/**
 * One line of a check-list.
 */
export type CheckItem = { 
/**
 * Stable within the template across versions, so trends follow an item.
 */
key: string, category: CheckCategory, title: string, 
/**
 * How to check (where to look, what command to run).
 */
how: string, answer: CheckAnswer, required: boolean, 
/**
 * An abnormal answer needs a photo or a log excerpt.
 */
attachment_when_abnormal: boolean, 
/**
 * The incident level an abnormal answer suggests.
 */
level: Level, };

/**
 * A check-list at one version.
 */
export type CheckTemplate = { id: string, version: number, name: string, description: string, items: Array<CheckItem>, };

export type CheckItemForm = { key: string, 
/**
 * One of the [`Category`] codes.
 */
category: string, title: string, how: string, answer: CheckAnswer, required: boolean, attachment_when_abnormal: boolean, 
/**
 * `I`–`IV`.
 */
level: string, };

/**
 * The template form as filled in. Items keep their `key` when edited; a new item's key is
 * empty and made from its position.
 */
export type CheckTemplateForm = { name: string, description: string, items: Array<CheckItemForm>, };

/**
 * How often a plan falls due. Month intervals and day intervals count from the plan's first
 * date.
 */
export type Recurrence = { "kind": "daily" } | { "kind": "working_days" } | { "kind": "weekdays", days: Array<number>, } | { "kind": "monthly_day", day: number, every_months: number, } | { "kind": "monthly_nth", nth: number, weekday: number, every_months: number, } | { "kind": "every_n_days", days: number, };

/**
 * Who does a plan's runs.
 */
export type Assignee = { "kind": "person", id: string, } | { "kind": "on_duty" };

/**
 * A recurring inspection: a template, when, and who.
 */
export type InspectionPlan = { id: string, name: string, template_id: string, recurrence: Recurrence, first_date: string, 
/**
 * Local time of day the run is due (e.g. 10:00).
 */
due_time: string, assignee: Assignee, 
/**
 * Who takes the run when the assignee cannot (no one on duty, the person has left).
 */
relay_id: string | null, asset_id: string | null, active: boolean, created_at: string, updated_at: string, };

/**
 * The plan form as filled in.
 */
export type InspectionPlanForm = { name: string, template_id: string, recurrence: Recurrence, 
/**
 * `YYYY-MM-DD`.
 */
first_date: string, 
/**
 * `HH:MM`.
 */
due_time: string, 
/**
 * A person id, or `on_duty`.
 */
assignee: string, relay_id: string, asset_id: string, active: boolean, };

/**
 * Where a run stands.
 */
export type InspectionRunState = "open" | "submitted" | "signed_off" | "missed";

/**
 * One period's inspection of a plan.
 */
export type InspectionRun = { id: string, plan_id: string, plan_name: string, template_id: string, template_version: number, due_date: string, due_at: string, closes_at: string, assignee_id: string | null, assignee_name: string, asset_id: string | null, state: InspectionRunState, 
/**
 * How many items were answered abnormal.
 */
abnormal: number, note: string, submitted_at: string | null, submitted_by: string, signed_off_at: string | null, signed_off_by: string, };

/**
 * A file kept with a reading, stored once by its SHA-256.
 */
export type AttachmentRef = { sha256: string, name: string, size: number, };

/**
 * The answer to one item of a run.
 */
export type ItemResult = { key: string, 
/**
 * As kept: `pass`/`fail`, a number, a choice, text; empty when not answered.
 */
value: string, number: number | null, abnormal: boolean, 
/**
 * The person marked it abnormal themselves.
 */
flagged: boolean, note: string, attachments: Array<AttachmentRef>, 
/**
 * The incident raised for it (or the open one it was linked to).
 */
incident_id: string | null, incident_number: string | null, };

/**
 * The last reading of an item before this run.
 */
export type PreviousReading = { key: string, value: string, due_date: string, abnormal: boolean, };

/**
 * A run with its check-list and answers, and each numeric item's previous reading.
 */
export type InspectionRunDetail = { run: InspectionRun, template: CheckTemplate, results: Array<ItemResult>, previous: Array<PreviousReading>, 
/**
 * The corrective actions (整改项) raised from the run's abnormal items.
 */
actions: Array<CorrectiveAction>, };

export type ResultForm = { key: string, value: string, flagged: boolean, note: string, 
/**
 * The files kept with it (each uploaded first, named as the user's file was).
 */
attachments: Array<AttachmentRef>, };

/**
 * Readings as typed into the run form.
 */
export type InspectionRunForm = { results: Array<ResultForm>, note: string, };

/**
 * Today's inspections at a glance (the Dashboard's card).
 */
export type InspectionToday = { 
/**
 * Runs due today.
 */
due: number, 
/**
 * Of those, submitted or signed off.
 */
done: number, 
/**
 * Open past their due time (any day).
 */
overdue: number, 
/**
 * Submitted, waiting for sign-off.
 */
to_sign_off: number, 
/**
 * Abnormal items of today's runs.
 */
abnormal: number, };

export type BackupKind = "full" | "incremental" | "restore_test";

/**
 * One backup of a client system, or one restore test.
 */
export type ClientBackup = { id: string, kind: BackupKind, 
/**
 * The system backed up (an asset's name, or as typed).
 */
system: string, asset_id: string | null, started_at: string, finished_at: string, size_bytes: number | null, checksum: string, 
/**
 * Where the copy is kept (another server, a tape, a site).
 */
location: string, 
/**
 * The copy is on another server than the system's.
 */
off_server: boolean, 
/**
 * The backup completed, or the restore test passed.
 */
succeeded: boolean, made_by: string, note: string, created_at: string, };

/**
 * The backup form as filled in.
 */
export type ClientBackupForm = { 
/**
 * One of the [`BackupKind`] codes.
 */
kind: string, system: string, asset_id: string, 
/**
 * RFC 3339.
 */
started_at: string, finished_at: string, 
/**
 * Bytes, or with a unit: `12 GB`, `800 MB`.
 */
size: string, checksum: string, location: string, off_server: boolean, succeeded: boolean, made_by: string, note: string, };

/**
 * Whether one requirement of the month is met.
 */
export type BackupCheck = "done" | "missing" | "pending";

/**
 * One ISO week of the month (a week belongs to the month of its Thursday).
 */
export type WeekCheck = { 
/**
 * `2026-W49`.
 */
week: string, monday: string, incremental: BackupCheck, };

/**
 * The month's backups against the plan.
 */
export type BackupCompliance = { 
/**
 * `YYYY-MM`.
 */
month: string, full: BackupCheck, 
/**
 * A successful full of the month has its copy on another server.
 */
off_server: BackupCheck, weeks: Array<WeekCheck>, 
/**
 * A passing restore test in the month's quarter, up to the month's end.
 */
restore_test: BackupCheck, 
/**
 * Every requirement done (a pending one is not a failure yet).
 */
compliant: boolean, };

export type AssetKind = "server" | "database" | "network" | "application";

export type Asset = { id: string, kind: AssetKind, name: string, 
/**
 * The person responsible (a roster id).
 */
owner_id: string | null, location: string, 
/**
 * Days between routine maintenance; a work order is proposed when one falls due.
 */
maintenance_days: number | null, note: string, retired: boolean, created_at: string, updated_at: string, };

export type AssetForm = { kind: string, name: string, owner_id: string, location: string, 
/**
 * Whole days, or empty.
 */
maintenance_days: string, note: string, retired: boolean, };

/**
 * The plan's §8 kinds of maintenance.
 */
export type WorkKind = "application" | "data" | "code" | "hardware" | "organisation";

export type WorkState = "requested" | "approved" | "done" | "rejected" | "cancelled";

/**
 * A step on a work order.
 */
export type WorkStep = { "step": "approve", by: string, } | { "step": "reject", by: string, reason: string, } | { "step": "complete", by: string, result: string, rolled_back: boolean, } | { "step": "cancel", reason: string, };

export type WorkOrder = { id: string, 
/**
 * `WO-2026-0001`.
 */
number: string, kind: WorkKind, asset_id: string | null, title: string, reason: string, window_start: string, window_end: string, risk: string, rollback: string, state: WorkState, requested_by: string, approved_by: string, approved_at: string | null, done_by: string, done_at: string | null, result: string, rolled_back: boolean, 
/**
 * The routine maintenance date it was made for (from the asset's interval).
 */
routine_date: string | null, created_at: string, updated_at: string, };

export type WorkOrderForm = { kind: string, asset_id: string, title: string, reason: string, 
/**
 * RFC 3339.
 */
window_start: string, window_end: string, risk: string, rollback: string, requested_by: string, };

/**
 * What one generation pass made.
 */
export type Generated = { 
/**
 * Runs added (one per plan and due date not there before).
 */
added: number, 
/**
 * Open runs whose period closed, now missed.
 */
missed: number, 
/**
 * Routine work orders proposed from the assets' maintenance intervals.
 */
work_orders: number, };

/**
 * The incident an abnormal answer raised or was linked to.
 */
export type RaisedIncident = { incident_id: string, number: string, 
/**
 * Linked to an incident already open for the same asset, not a new one.
 */
linked: boolean, 
/**
 * Raised before: the answer already had its incident.
 */
existing: boolean, };

/**
 * The inspection answers that raised or were linked to incident `incident_id`.
 */
export type RaisedFrom = { run_id: string, plan_name: string, due_date: string, item: string, };

/**
 * One numeric item of a plan over time, with its normal range and control chart.
 */
export type InspectionTrend = { plan_id: string, key: string, title: string, unit: string, min: number | null, max: number | null, dates: Array<string>, values: Array<number>, 
/**
 * Outside the normal range (or marked abnormal).
 */
abnormal: Array<boolean>, 
/**
 * The XmR chart of the readings (two or more), flagging drifts by the control rules.
 */
chart: XmrChart | null, 
/**
 * Readings above the upper control limit: a burst (突发的大量写入 for write volume).
 */
bursts: Array<string>, };

/**
 * One event in an asset's history.
 */
export type HistoryEntry = { 
/**
 * `inspection`, `incident` or `maintenance`.
 */
kind: string, at: string, 
/**
 * The run's plan, the incident's number and title, the work order's number and title.
 */
title: string, 
/**
 * Where it stands, in words.
 */
state: string, 
/**
 * The run, incident or work order id.
 */
id: string, };

/**
 * One follow-up call.
 */
export type FollowUp = { id: string, incident_id: string, 
/**
 * 1 (very dissatisfied) to 5 (very satisfied).
 */
satisfaction: number, comment: string, 
/**
 * Who called.
 */
called_by: string, 
/**
 * Who was called (the reporter, by default).
 */
contact: string, called_at: string, created_at: string, };

/**
 * The follow-up form as filled in.
 */
export type FollowUpForm = { 
/**
 * `1`–`5`.
 */
satisfaction: string, comment: string, called_by: string, contact: string, 
/**
 * RFC 3339; not in the future, not before the incident was closed.
 */
called_at: string, };

/**
 * One entry of a list.
 */
export type Category = { kind: CategoryKind, 
/**
 * Short and stable (`DB`, `SW-BUG`): what reports store.
 */
code: string, name: string, 
/**
 * The English name; empty shows `name`.
 */
name_en: string, 
/**
 * The group a cause belongs to (top level only: the tree has two levels).
 */
parent: string | null, 
/**
 * No longer offered for new reports; what it already counts stays counted.
 */
retired: boolean, position: bigint, };

/**
 * The category form as filled in: a new entry, or an edit of `code` when `editing` is true.
 */
export type CategoryForm = { 
/**
 * `fault_type` or `cause`.
 */
kind: string, code: string, name: string, name_en: string, 
/**
 * A top-level code of the same list, or empty.
 */
parent: string, retired: boolean, 
/**
 * Whether `code` names an existing entry to change (its code cannot change).
 */
editing: boolean, };

/**
 * Which list a category belongs to.
 */
export type CategoryKind = "fault_type" | "cause";

/**
 * A spelling placed in a category.
 */
export type Mapping = { kind: CategoryKind, 
/**
 * The normalised text ([`normalise`]).
 */
key: string, code: string, };

/**
 * Text that no category holds yet, with how often it was written.
 */
export type Unmapped = { kind: CategoryKind, key: string, 
/**
 * The spellings of it as written, most used first.
 */
spellings: Array<string>, 
/**
 * Incidents whose latest report says it.
 */
count: number, 
/**
 * The closest category, if any is close enough.
 */
suggestion: string | null, };

/**
 * The lists, the mappings made, and what no category holds yet.
 */
export type CategoryOverview = { categories: Array<Category>, mappings: Array<Mapping>, 
/**
 * Both kinds, most frequent first within each.
 */
unmapped: Array<Unmapped>, };

/**
 * Where an action comes from.
 */
export type Source = "qa" | "drill" | "inspection" | "other";

export type ActionStatus = "open" | "closed";

/**
 * One corrective action.
 */
export type CorrectiveAction = { id: string, 
/**
 * `ZG-2026-0001`.
 */
number: string, source: Source, 
/**
 * What it came from, for a link: `sample/incident` ids, a drill's or a run's id.
 */
source_id: string, 
/**
 * What it came from, as a reader names it ("质量抽检 INC-2026-0012").
 */
source_label: string, title: string, 
/**
 * Who puts it right; empty until someone is named.
 */
owner: string, due: string, status: ActionStatus, 
/**
 * What was done, shown when closing (required then).
 */
evidence: string, closed_at: string | null, closed_by: string, 
/**
 * Why it was opened again, the latest time.
 */
reopened_because: string, created_at: string, created_by: string, };

/**
 * The form that raises or edits an action.
 */
export type ActionForm = { title: string, owner: string, 
/**
 * `YYYY-MM-DD`.
 */
due: string, };

/**
 * What a period's actions came to, for the monthly report and the Dashboard.
 */
export type ActionCounts = { 
/**
 * Raised in the period.
 */
raised: number, 
/**
 * Closed in the period.
 */
closed: number, 
/**
 * Open at the end of the period.
 */
open: number, 
/**
 * Of those, past their due date.
 */
overdue: number, };

/**
 * The actions and the service date they are judged overdue on.
 */
export type ActionList = { items: Array<CorrectiveAction>, 
/**
 * Today in service time: an open action due before it is overdue.
 */
today: string, };

/**
 * The three tiers of a plan system (GB/T 29639).
 */
export type ContingencyKind = "overall" | "special" | "on_site";

/**
 * One response step: what to do, by whom (a roster department), whom to call.
 */
export type Step = { title: string, 
/**
 * A [`Department`] code; empty when anyone on duty may do it.
 */
role: string, 
/**
 * Whom to call (a name and a number), free text.
 */
contact: string, };

/**
 * One plan, at one version.
 */
export type ContingencyPlan = { id: string, version: number, name: string, kind: ContingencyKind, 
/**
 * 类型 of the plan's table (应用软件, 数据库…).
 */
risk_type: string, 
/**
 * 事件: what happens.
 */
event: string, 
/**
 * 预防措施
 */
prevention: string, 
/**
 * 处理: the handling in a sentence, as the table says it.
 */
handling: string, 
/**
 * Incident levels that should activate it (empty: any).
 */
trigger_levels: Array<Level>, 
/**
 * Fault-type category codes that should activate it (empty: any).
 */
trigger_fault_types: Array<string>, steps: Array<Step>, 
/**
 * People, spares, software and documents to have at hand.
 */
resources: string, 
/**
 * Recovery time objective, minutes.
 */
rto_minutes: number | null, 
/**
 * Recovery point objective, minutes of data that may be lost.
 */
rpo_minutes: number | null, approved_by: string, approved_on: string | null, effective_on: string | null, review_due: string | null, 
/**
 * Withdrawn plans stay on file for the incidents that used them.
 */
active: boolean, 
/**
 * When this version was saved (the built-ins: never).
 */
saved_at: string | null, };

/**
 * Where a plan's review stands on a day.
 */
export type Review = "unset" | "current" | "due_soon" | "overdue";

/**
 * The plan form, as typed.
 */
export type ContingencyForm = { name: string, 
/**
 * A [`ContingencyKind`] code.
 */
kind: string, risk_type: string, event: string, prevention: string, handling: string, 
/**
 * Level codes (`I`…`IV`).
 */
trigger_levels: Array<string>, trigger_fault_types: Array<string>, steps: Array<Step>, resources: string, 
/**
 * Whole minutes; empty when not set.
 */
rto_minutes: string, rpo_minutes: string, approved_by: string, 
/**
 * `YYYY-MM-DD` or empty.
 */
approved_on: string, effective_on: string, review_due: string, active: boolean, };

/**
 * One plan of the catalogue, where its review stands, and the form that edits it.
 */
export type PlanEntry = { plan: ContingencyPlan, review: Review, form: ContingencyForm, };

/**
 * The catalogue on a day.
 */
export type Catalogue = { plans: Array<PlanEntry>, today: string, 
/**
 * Plans in force whose review is past its date.
 */
overdue: number, 
/**
 * Plans in force whose review falls due within 30 days.
 */
due_soon: number, };

/**
 * A plan offered to an incident.
 */
export type PlanChoice = { plan: ContingencyPlan, 
/**
 * "《name》第 N 版".
 */
title: string, 
/**
 * Its triggers match the incident.
 */
fits: boolean, };

/**
 * What the PM types to issue a colleague a signing certificate.
 */
export type ColleagueCertificateForm = { 
/**
 * The colleague's name and title, as their signature will show them.
 */
name: string, title: string, 
/**
 * Unlocks this copy's company CA.
 */
ca_passphrase: string, 
/**
 * Protects the `.p12` on its way to the colleague (they type it when importing).
 */
password: string, confirm: string, };

/**
 * What a sync moved, as `yunwei sync` prints it and the window shows it.
 */
export type SyncReport = { 
/**
 * Events sent that the server did not hold yet.
 */
pushed: bigint, 
/**
 * Events received from other copies.
 */
pulled: bigint, 
/**
 * Incidents created on other copies, now here.
 */
new_incidents: bigint, 
/**
 * Provisional numbers replaced by the server's (`TMP-2026-0001 → INC-2026-0007`).
 */
numbered: Array<[string, string]>, 
/**
 * Events left to send (0 after a full sync).
 */
unsent: bigint, 
/**
 * Incidents whose merged timeline holds a contradiction (their numbers).
 */
contradictions: Array<string>, 
/**
 * Records sent that the server took.
 */
records_sent: bigint, 
/**
 * Records changed by others, now here.
 */
records_received: bigint, 
/**
 * Records waiting for a person to choose between two values (or refused by the server).
 */
conflicts: bigint, };

/**
 * One field of a conflict: this copy's value and the server's (`None`: the record is removed
 * there, or has no such field).
 */
export type FieldValues = { field: string, mine: string | null, theirs: string | null, };

/**
 * A record changed here and on the server since they last agreed (or a change the server
 * refused), with both values, field by field, for a person to choose.
 */
export type RecordConflict = { entity: string, entity_id: string, 
/**
 * The record's name or title, to recognise it by.
 */
label: string, 
/**
 * The fields whose values differ.
 */
fields: Array<FieldValues>, their_author: string, 
/**
 * The server refused the change (not permitted), rather than holding another value.
 */
refused: boolean, found_at: string, };

/**
 * Which value of a conflict to keep.
 */
export type Keep = "mine" | "theirs";

/**
 * What the 团队服务器 card shows.
 */
export type TeamState = { 
/**
 * This copy has joined a team server.
 */
joined: boolean, 
/**
 * The server's address, without its password.
 */
server: string, login: string, last_sync_at: string | null, 
/**
 * How the last sync failed (offline, refused…), worded for the person; none when it went
 * through.
 */
last_error: string | null, 
/**
 * Events recorded here and not yet on the server.
 */
unsent: number, 
/**
 * Incidents still carrying a provisional number.
 */
provisional: number, 
/**
 * A password is at hand (the session's or the OS keyring's).
 */
password_kept: boolean, conflicts: Array<RecordConflict>, 
/**
 * What the last sync asked for from here moved, when it was asked for now.
 */
report: SyncReport | null, };

/**
 * How a drill is run.
 */
export type DrillKind = "tabletop" | "hands_on";

/**
 * What a drill covers.
 */
export type DrillScope = "overall" | "special";

/**
 * The evaluation's verdict: did the drill show the plan works.
 */
export type DrillVerdict = "achieved" | "partly" | "not_achieved";

/**
 * One person taking part, as when the drill was recorded.
 */
export type Participant = { person_id: string, name: string, department: string, 
/**
 * What they did in the drill (指挥, 数据库恢复, 观察员…).
 */
role: string, status: AttendanceStatus, };

/**
 * One line of the drill's log.
 */
export type LogEntry = { at: string, text: string, by: string, };

/**
 * A drill as stored.
 */
export type Drill = { id: string, 
/**
 * `DR-2026-01`.
 */
number: string, 
/**
 * The day it is planned for, or was held on (service time).
 */
date: string, kind: DrillKind, scope: DrillScope, 
/**
 * The emergency plan exercised, at the version the drill was recorded with.
 */
plan_id: string, plan_name: string, plan_version: number, scenario: string, 
/**
 * The recovery time to reach (the plan's RTO unless set otherwise), minutes.
 */
target_minutes: number | null, 
/**
 * The recovery time reached in the drill, minutes.
 */
achieved_minutes: number | null, participants: Array<Participant>, log: Array<LogEntry>, 
/**
 * Held: the drill took place (a planned one has only a date and a scenario).
 */
held: boolean, verdict: DrillVerdict | null, evaluation: string, };

/**
 * One participant's line of the drill form.
 */
export type ParticipantForm = { person_id: string, role: string, 
/**
 * An attendance state code (`invited`, `present`, `late`, `absent`, `excused`).
 */
status: string, };

/**
 * The form that plans a drill or records how it went.
 */
export type DrillForm = { 
/**
 * `YYYY-MM-DD`.
 */
date: string, kind: string, scope: string, plan_id: string, scenario: string, 
/**
 * Minutes, or empty for the plan's RTO.
 */
target_minutes: string, 
/**
 * Minutes, or empty.
 */
achieved_minutes: string, participants: Array<ParticipantForm>, held: boolean, 
/**
 * A verdict code, or empty.
 */
verdict: string, evaluation: string, };

/**
 * A log line as typed: when (`YYYY-MM-DD HH:MM` service time, or empty for now) and what.
 */
export type LogForm = { at: string, text: string, };

/**
 * How a plan stands in a year's drills.
 */
export type PlanCoverage = { plan_id: string, plan_name: string, 
/**
 * The latest day it was exercised in the year (a held drill, or a restore drill of the
 * backups for the data-recovery plan).
 */
last_drilled: string | null, 
/**
 * Drills of it planned and not yet held in the year.
 */
planned: number, };

/**
 * One drill in the year's list.
 */
export type DrillRow = { drill: Drill, 
/**
 * "《name》第 N 版".
 */
plan_title: string, actions: number, open_actions: number, };

/**
 * A year's drill plan (演练计划).
 */
export type DrillYear = { year: number, today: string, drills: Array<DrillRow>, 
/**
 * The backups' restore drills of the year, newest first: drills of the data-recovery plan.
 */
restores: Array<RestoreDrill>, 
/**
 * Each plan in force: when it was last drilled this year, and drills of it still planned.
 */
coverage: Array<PlanCoverage>, 
/**
 * The plans in force drilled this year.
 */
drilled: number, 
/**
 * The next drill still to hold, from today on.
 */
next: Drill | null, };

/**
 * Everything one drill's page shows.
 */
export type DrillDetail = { drill: Drill, plan_title: string, 
/**
 * Whether the recovery time reached its target; `None` while either is unknown.
 */
met_target: boolean | null, 
/**
 * The drill as its edit form.
 */
form: DrillForm, actions: Array<CorrectiveAction>, revisions: Array<StoredRevision>, today: string, };

/**
 * What kind of work an entry is.
 */
export type WorkType = "inspection" | "backup" | "maintenance" | "training";

/**
 * One piece of work on a day.
 */
export type CalendarEntry = { kind: WorkType, start: string, end: string, title: string, 
/**
 * Who does it, when known.
 */
who: string, 
/**
 * Where it stands (a run's or work order's state, in words), empty for what lies ahead.
 */
state: string, 
/**
 * The record it comes from (plan, work order, session id).
 */
source: string, };

/**
 * A day of the calendar.
 */
export type CalendarDay = { date: string, 
/**
 * Who holds the duty phone that day (the rota's nights and rest days).
 */
duty: Array<string>, entries: Array<CalendarEntry>, };

/**
 * A plan's month: planned, done, on time, missed, abnormal answers.
 */
export type InspectionPlanMonth = { plan_id: string, name: string, planned: number, done: number, on_time: number, missed: number, abnormal: number, };

/**
 * A count under a name (abnormal answers by category or asset).
 */
export type Counted = { name: string, count: number, };

/**
 * An incident raised from the month's inspections and where it stands.
 */
export type RaisedRow = { number: string, status: string, plan_name: string, item: string, due_date: string, };

/**
 * A missed run.
 */
export type MissedRow = { plan_name: string, due_date: string, assignee: string, };

/**
 * The month's routine service in figures: the 巡检月报 and the 运维月报's section.
 */
export type InspectionMonth = { 
/**
 * `YYYY-MM`.
 */
month: string, plans: Array<InspectionPlanMonth>, total: InspectionPlanMonth, by_category: Array<Counted>, by_asset: Array<Counted>, incidents: Array<RaisedRow>, missed: Array<MissedRow>, backups: BackupCompliance, };

/**
 * The form that creates a signing identity.
 */
export type NewSigningIdentity = { name: string, title: string, organisation: string, passphrase: string, confirm: string, };

/**
 * The departments of the service plan (人员组织架构).
 */
export type Department = "project_manager" | "implementation" | "customer_service" | "quality" | "training";

/**
 * Whether a person belongs to the service team or to the client.
 */
export type PersonKind = "team" | "client";

export type Skill = { name: string, years: number, };

export type Certificate = { name: string, number: string, issued: string | null, expires: string | null, };

/**
 * When a client person can be booked: every week on `weekday` (1 = Monday … 7 = Sunday), or
 * on one `date`, from `start` to `end` local time.
 */
export type Availability = { weekday: number | null, date: string | null, start: string, end: string, };

/**
 * What is known of a person, checked by [`PersonForm::validate`].
 */
export type PersonDetails = { kind: PersonKind, name: string, 
/**
 * Team members only.
 */
department: Department | null, job_title: string, phone: string, email: string, skills: Array<Skill>, certificates: Array<Certificate>, 
/**
 * Resident on site (驻场), and where.
 */
resident: boolean, resident_site: string, joined: string | null, 
/**
 * A person who left keeps their history and is hidden from pickers.
 */
left: string | null, notes: string, 
/**
 * Client people only.
 */
organisation: string, client_department: string, position: string, 
/**
 * A leader (领导): one-to-one training is fitted into their availability.
 */
leader: boolean, availability: Array<Availability>, };

/**
 * A person as stored: the checked details with identity and timestamps.
 */
export type Person = { id: string, created_at: string, updated_at: string, kind: PersonKind, name: string, 
/**
 * Team members only.
 */
department: Department | null, job_title: string, phone: string, email: string, skills: Array<Skill>, certificates: Array<Certificate>, 
/**
 * Resident on site (驻场), and where.
 */
resident: boolean, resident_site: string, joined: string | null, 
/**
 * A person who left keeps their history and is hidden from pickers.
 */
left: string | null, notes: string, 
/**
 * Client people only.
 */
organisation: string, client_department: string, position: string, 
/**
 * A leader (领导): one-to-one training is fitted into their availability.
 */
leader: boolean, availability: Array<Availability>, };

export type SkillForm = { name: string, years: string, };

export type CertificateForm = { name: string, number: string, issued: string, expires: string, };

export type AvailabilityForm = { 
/**
 * `1`–`7` (Monday–Sunday) for a weekly slot, empty for a one-off date.
 */
weekday: string, date: string, start: string, end: string, };

/**
 * The person form as filled in: raw text, checked by [`PersonForm::validate`].
 */
export type PersonForm = { 
/**
 * `team` or `client`.
 */
kind: string, name: string, department: string, job_title: string, phone: string, email: string, skills: Array<SkillForm>, certificates: Array<CertificateForm>, resident: boolean, resident_site: string, joined: string, left: string, notes: string, organisation: string, client_department: string, position: string, leader: boolean, availability: Array<AvailabilityForm>, 
/**
 * Save although a person with the same name and phone exists.
 */
confirm_duplicate: boolean, };

/**
 * What the people list asks for.
 */
export type PeopleQuery = { 
/**
 * Words in the name (or its pinyin), phone, e-mail, skills or organisation.
 */
search: string, 
/**
 * `team`, `client`, or empty for both.
 */
kind: string, 
/**
 * A department code, or empty.
 */
department: string, resident_only: boolean, leaders_only: boolean, 
/**
 * People who left are hidden unless asked for.
 */
include_left: boolean, };

export type StaffMember = { id: string, name: string, job_title: string, resident: boolean, };

/**
 * One department of the plan against its head-count target.
 */
export type DepartmentStaffing = { department: Department, people: Array<StaffMember>, min: number, max: number, 
/**
 * Fewer people than the plan promises.
 */
below: boolean, };

/**
 * The team by department, and the resident (驻场) head count against the plan's 5–6.
 */
export type TeamStructure = { departments: Array<DepartmentStaffing>, resident: number, resident_min: number, resident_max: number, };

/**
 * A certificate that expires within 90 days ([`CERTIFICATE_WARNING_DAYS`]), or has expired.
 */
export type CertificateAlert = { person_id: string, person: string, certificate: string, expires: string, 
/**
 * Negative once expired.
 */
days_left: number, };

/**
 * Which days a shift runs on, by the working calendar (holidays and 调休 included).
 */
export type DayKind = "workday" | "rest_day" | "every";

/**
 * One shift of a pattern: local `start` to `end`; an `end` at or before `start` is the next day.
 */
export type ShiftRule = { on: DayKind, start: string, end: string, };

/**
 * People taking the duty phone in turn, one duty day each.
 */
export type Rotation = { id: string, name: string, 
/**
 * Person ids in turn order.
 */
members: Array<string>, shifts: Array<ShiftRule>, 
/**
 * When the duty day changes hands (e.g. 08:30).
 */
handover: string, 
/**
 * The first duty day, taken by the first member.
 */
start_date: string, 
/**
 * The daytime hotline desk (5×8): its duties must cover the working day.
 */
desk: boolean, };

/**
 * A person taking an interval, whoever the rotations say.
 */
export type Override = { id: string, person_id: string, start: string, end: string, note: string, };

/**
 * Someone holding the duty phone from `start` to `end`.
 */
export type Duty = { person_id: string, start: string, end: string, 
/**
 * The rotation it comes from, or `None` for an override.
 */
rotation_id: string | null, };

/**
 * An interval outside working hours that no one covers.
 */
export type Gap = { start: string, end: string, };

/**
 * Two duties at once.
 */
export type DoubleBooking = { first: Duty, second: Duty, start: string, end: string, };

export type Coverage = { gaps: Array<Gap>, double_bookings: Array<DoubleBooking>, 
/**
 * Working hours no one holds the hotline desk (only checked once a desk rotation exists).
 */
desk_gaps: Array<Gap>, };

export type ShiftForm = { 
/**
 * `workday`, `rest_day` or `every`.
 */
on: string, start: string, end: string, };

/**
 * The rotation form as filled in.
 */
export type RotationForm = { name: string, members: Array<string>, shifts: Array<ShiftForm>, handover: string, start_date: string, 
/**
 * The daytime hotline desk (5×8) rather than the out-of-hours phone.
 */
desk: boolean, };

/**
 * An override as entered: a person takes an interval.
 */
export type OverrideForm = { person_id: string, 
/**
 * RFC 3339.
 */
start: string, end: string, note: string, };

/**
 * The rota of a period: every duty, the people's names, and the coverage check.
 */
export type Rota = { duties: Array<Duty>, names: { [key in string]: string }, coverage: Coverage, };

/**
 * Who holds the duty phone now, and when it next changes hands.
 */
export type OnDuty = { people: Array<string>, next_handover: string | null, 
/**
 * Nobody is on the rota but it is working time: the service desk (客服服务部) answers.
 */
office_hours: boolean, 
/**
 * The service desk's current members, who answer in working time.
 */
desk: Array<string>, };

/**
 * What a column of the file holds.
 */
export type Column = "name" | "kind" | "department" | "job_title" | "phone" | "email" | "skills" | "certificates" | "resident" | "resident_site" | "joined" | "left" | "notes" | "organisation" | "client_department" | "position" | "leader";

/**
 * One refused cell: the spreadsheet row (as numbered in the file), the column, and why.
 */
export type RowError = { row: number, field: string, message: string, };

/**
 * What an import would do: the columns as mapped, how many rows, and every problem.
 */
export type ImportPreview = { headers: Array<string>, mapping: Array<Column | null>, rows: number, 
/**
 * Rows that would be imported as they are.
 */
valid: number, 
/**
 * The first problems (at most 200), in row order.
 */
errors: Array<RowError>, error_count: number, };

/**
 * A file chosen for import and what importing it would do.
 */
export type ImportFileCheck = { path: string, preview: ImportPreview, };

/**
 * Progress of an import, sent while it runs.
 */
export type ImportProgress = { done: number, total: number, };

/**
 * An audience (培训对象): one of the five of the plan, or one added by the team.
 */
export type Audience = { 
/**
 * `hardware`, `system_admin`, `data_admin`, `operator`, `leadership`, or `custom-…`.
 */
code: string, name_zh: string, name_en: string, 
/**
 * What the audience is taught, as the plan's 培训内容 column says by default.
 */
default_content_zh: string, default_content_en: string, builtin: boolean, };

/**
 * An audience as added in the app: one name and its usual content.
 */
export type AudienceForm = { name: string, default_content: string, };

/**
 * One row of the plan table.
 */
export type PlanRow = { id: string, 
/**
 * 培训时期, as the contract words it (e.g. "系统上线前" or "2026 年 12 月").
 */
period: string, audience: string, content: string, 
/**
 * 培训人: the training group member(s) or the external trainer, as printed.
 */
trainer: string, };

/**
 * A training plan as stored.
 */
export type Plan = { id: string, 
/**
 * `TP-2026-01`.
 */
number: string, title: string, start: string, end: string, notes: string, rows: Array<PlanRow>, created_at: string, updated_at: string, };

export type PlanRowForm = { 
/**
 * Empty for a new row.
 */
id: string, period: string, audience: string, content: string, trainer: string, };

/**
 * The plan form as filled in.
 */
export type PlanForm = { title: string, 
/**
 * `YYYY-MM-DD`.
 */
start: string, end: string, notes: string, rows: Array<PlanRowForm>, };

/**
 * How a session is taught.
 */
export type Mode = "classroom" | "hands_on" | "one_to_one";

/**
 * Whether an attendee came.
 */
export type AttendanceStatus = "invited" | "present" | "late" | "absent" | "excused";

/**
 * An attendee of a session and how it went for them.
 */
export type Attendee = { person_id: string, 
/**
 * As when booked (the person record may change later).
 */
name: string, department: string, status: AttendanceStatus, 
/**
 * 0–100.
 */
score: number | null, passed: boolean | null, 
/**
 * The attendee's evaluation of the session, 1–5.
 */
rating: number | null, comment: string, };

/**
 * A training session as stored.
 */
export type Session = { id: string, plan_id: string, 
/**
 * The plan row it delivers, if any.
 */
row_id: string | null, title: string, audience: string, content: string, 
/**
 * A training-group member; `None` for an external trainer.
 */
trainer_id: string | null, trainer_name: string, room: string, start: string, end: string, capacity: number | null, mode: Mode, attendees: Array<Attendee>, materials: string, 
/**
 * A leader's session to be followed up until the leader has learned the topic.
 */
needs_follow_up: boolean, 
/**
 * The session this one follows up.
 */
follow_up_of: string | null, 
/**
 * The trainer's note on how it went.
 */
outcome: string, created_at: string, updated_at: string, };

/**
 * The session form as filled in.
 */
export type SessionForm = { plan_id: string, row_id: string, title: string, audience: string, content: string, 
/**
 * A training-group member's id, or empty for an external trainer named in `trainer_name`.
 */
trainer_id: string, trainer_name: string, room: string, 
/**
 * RFC 3339.
 */
start: string, end: string, 
/**
 * Empty for no limit.
 */
capacity: string, mode: string, 
/**
 * Client people's ids.
 */
attendee_ids: Array<string>, materials: string, needs_follow_up: boolean, follow_up_of: string, };

/**
 * Which sessions a calendar shows.
 */
export type SessionQuery = { 
/**
 * RFC 3339; sessions overlapping `[from, to)`. Empty for no bound.
 */
from: string, to: string, plan_id: string, 
/**
 * A trainer's person id, or `ext:` and an external trainer's name.
 */
trainer: string, room: string, audience: string, 
/**
 * A person booked on the session.
 */
attendee: string, };

/**
 * A session that may be held but deserves a second look.
 */
export type ScheduleWarning = "outside_working_hours" | "rest_day";

/**
 * A saved session and what deserves a second look.
 */
export type SavedSession = { session: Session, warnings: Array<ScheduleWarning>, };

/**
 * One attendee's line of the attendance form.
 */
export type AttendanceRowForm = { person_id: string, status: string, 
/**
 * 0–100, or empty.
 */
score: string, 
/**
 * `pass`, `fail`, or empty.
 */
result: string, 
/**
 * 1–5, or empty.
 */
rating: string, comment: string, };

/**
 * Attendance and outcome of a session.
 */
export type AttendanceForm = { attendees: Array<AttendanceRowForm>, outcome: string, needs_follow_up: boolean, };

export type PersonRef = { id: string, name: string, };

/**
 * How far one audience's training has come.
 */
export type AudienceProgress = { audience: string, planned: number, held: number, 
/**
 * Attendances recorded in held sessions (everything but "invited").
 */
recorded: number, 
/**
 * Present or late among those recorded.
 */
attended: number, 
/**
 * `attended ÷ recorded`, or `None` before anything is recorded.
 */
attendance_rate: number | null, 
/**
 * People expected in this audience's sessions who have not yet attended one.
 */
not_attended: Array<PersonRef>, 
/**
 * The attendees' mean rating (1–5) of the held sessions, if any rated them.
 */
evaluation: number | null, };

/**
 * A plan's progress by audience, and in total.
 */
export type PlanProgress = { audiences: Array<AudienceProgress>, planned: number, held: number, attendance_rate: number | null, };

/**
 * What the one-to-one slot finder is asked.
 */
export type SlotQuery = { leader_id: string, 
/**
 * A training-group member's id.
 */
trainer_id: string, duration_minutes: number, 
/**
 * RFC 3339; empty for now.
 */
from: string, weeks: number, count: number, 
/**
 * The rooms that may be used; empty for every room sessions have used.
 */
rooms: Array<string>, };

/**
 * A proposed slot for a one-to-one session.
 */
export type SlotSuggestion = { start: string, end: string, room: string, };

/**
 * The slot finder's answer: the slots, or why there are none.
 */
export type SlotAnswer = { slots: Array<SlotSuggestion>, weeks: number, 
/**
 * The leader has no availability windows at all.
 */
no_availability: boolean, };

/**
 * A suggested slot as booked: a one-to-one session of the leadership audience.
 */
export type SlotBooking = { plan_id: string, leader_id: string, trainer_id: string, 
/**
 * RFC 3339, as the slot finder gave them.
 */
start: string, end: string, room: string, 
/**
 * Empty: "领导一对一：<leader>".
 */
title: string, 
/**
 * The session this one follows up, or empty.
 */
follow_up_of: string, };

/**
 * SLA compliance of one milestone at one level: met ÷ due in the period.
 */
export type Compliance = { kind: MilestoneKind, level: Level, 
/**
 * Due within the period (and before now).
 */
due: number, 
/**
 * Of those, met on time.
 */
met: number, 
/**
 * `met ÷ due` × 100, or `None` when nothing was due.
 */
percent: number | null, };

/**
 * Mean and median of a duration per level, in seconds, paused time excluded.
 */
export type LevelTimes = { level: Level, count: number, mean_seconds: number | null, median_seconds: number | null, };

/**
 * Counts by a code (channel, fault type).
 */
export type Tally = { key: string, count: number, };

/**
 * The figures of a period.
 */
export type PeriodStats = { from: string, to: string, 
/**
 * Reported within the period, per level (as they stand now).
 */
opened: LevelCounts, 
/**
 * Resolved within the period, per level.
 */
resolved: LevelCounts, 
/**
 * Per milestone, then per level.
 */
compliance: Array<Compliance>, 
/**
 * Every milestone of every level together.
 */
overall_compliance: number | null, 
/**
 * Time to respond (MTTA) of incidents reported in the period.
 */
response: Array<LevelTimes>, 
/**
 * Time to resolve (MTTR) of incidents resolved in the period.
 */
resolution: Array<LevelTimes>, 
/**
 * Incidents open at the end of the period by age: < 1 day, 1–3, 3–7, > 7 days.
 */
backlog: [number, number, number, number], by_channel: Array<Tally>, 
/**
 * Resolved in the period with a report, by fault-type category code (`-`: the report
 * names no category).
 */
by_fault_type: Array<Tally>, training_planned: number, training_held: number, training_attendance: number | null, };

/**
 * What a Pareto chart counts.
 */
export type ParetoBy = "fault_type" | "cause";

/**
 * How the report lists the month's major incidents: the first [`MAJOR_NAMED`] in its body, or
 * those and an appendix with every one.
 */
export type MajorList = "named" | "full";

/**
 * One bar of a Pareto chart.
 */
export type ParetoBar = { 
/**
 * The category code counted.
 */
code: string, label: string, count: number, 
/**
 * Share of the total, 0–100.
 */
percent: number, 
/**
 * Running share up to and including this bar, 0–100.
 */
cumulative: number, 
/**
 * Among the "vital few": the bars that together first reach 80 %.
 */
vital: boolean, };

/**
 * A Pareto chart: bars sorted by count, largest first (ties by label), with the cumulative
 * line.
 */
export type Pareto = { bars: Array<ParetoBar>, total: number, 
/**
 * Reported incidents of the period whose report names no known category: not in a bar,
 * said beside the chart.
 */
uncategorised: number, };

/**
 * Why a point is out of statistical control.
 */
export type ControlRule = "beyond_limit" | "run_of_eight";

/**
 * One point of a control chart with its limits (a p-chart's limits vary with the sample).
 */
export type ControlPoint = { label: string, value: number, ucl: number, lcl: number, 
/**
 * The sample size (p-chart), or 1.
 */
n: number, rules: Array<ControlRule>, };

/**
 * An individuals chart with its moving-range chart (XmR).
 */
export type XmrChart = { centre: number, ucl: number, lcl: number, points: Array<ControlPoint>, 
/**
 * Mean moving range and the moving-range chart's upper limit (3.267 × MR̄).
 */
mean_moving_range: number, moving_range_ucl: number, moving_ranges: Array<number>, };

/**
 * A p-chart: the proportion of defective items per sample.
 */
export type PChart = { 
/**
 * p̄ = total defectives ÷ total items.
 */
centre: number, points: Array<ControlPoint>, };

/**
 * The quality-control charts of a period.
 */
export type QcCharts = { pareto: Pareto, resolution: XmrChart | null, breaches: PChart | null, };

export type QaItem = { incident: IncidentSummary, 
/**
 * `ok`, `finding`, or `None` before review.
 */
outcome: string | null, note: string, reviewed_by: string, };

/**
 * A QA sample: which closed incidents were drawn, with which seed, and their reviews.
 */
export type QaSample = { id: string, from: string, to: string, size: number, 
/**
 * Decimal, as typed to reproduce the draw.
 */
seed: string, 
/**
 * How many closed incidents the period held.
 */
population: number, drawn_by: string, created_at: string, items: Array<QaItem>, };

/**
 * The form that draws a sample.
 */
export type QaSampleForm = { 
/**
 * RFC 3339.
 */
from: string, to: string, size: string, 
/**
 * Empty: a fresh seed (recorded with the sample).
 */
seed: string, };

/** Every level, most urgent first. */
export const LEVELS: readonly Level[] = ["I", "II", "III", "IV"]

/** Every reporting channel. */
export const CHANNELS: readonly Channel[] = ["onsite", "hotline", "email", "inspection", "monitoring"]

/** Every status, in the order of an incident's life. */
export const STATUSES: readonly Status[] = ["new", "in_progress", "paused", "resolved", "closed"]

/** What "open" means: still being worked on. */
export const OPEN_STATUSES: readonly Status[] = ["new", "in_progress", "paused"]

/** Every milestone of the SLA. */
export const MILESTONE_KINDS: readonly MilestoneKind[] = ["respond", "handling_plan", "on_site", "resolve", "emergency_plan", "report"]

/** A milestone still to be met, its time counting or run out. */
export const OPEN_MILESTONE_STATES: readonly MilestoneState[] = ["running", "paused", "breached_open"]

/** When the incident report may be signed. */
export const REPORT_SIGNABLE_STATUSES: readonly Status[] = ["resolved", "closed"]

/** Every kind of event a person records, with what its form asks for. */
export const EVENT_INPUTS: Readonly<Record<EventInput['kind'], readonly string[]>> = {
  responded: [],
  plan_submitted: ["contingency", "plan", "text"],
  on_site_requested: [],
  engineer_on_site: [],
  workaround: ["summary"],
  paused: ["reason"],
  resumed: [],
  level_changed: ["level", "reason"],
  assigned: ["person", "person_id"],
  note: ["text"],
  resolved: ["summary"],
  reopened: ["reason"],
  report_submitted: ["report"],
  closed: [],
}

/** The share of milestones met in time the service aims for, in percent. */
export const COMPLIANCE_TARGET_PERCENT = 90

/** A trainer from outside the team is named by this prefix and the name. */
export const EXTERNAL_TRAINER_PREFIX = "ext:"
