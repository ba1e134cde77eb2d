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
 * What happened to an incident. The SLA issue adds `responded`, `paused`, `resolved`, …
 */
export type EventKind = "reported";

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
reported_at: string, reporter: string, description: string, };

/**
 * One line of the incident list.
 */
export type IncidentSummary = { id: string, number: string, title: string, level: Level, channel: Channel, reported_at: string, reporter: string, };

/**
 * One entry of an incident's append-only timeline.
 */
export type IncidentEvent = { id: string, kind: EventKind, 
/**
 * Who did it, when known.
 */
actor: string | null, 
/**
 * When it happened (may be earlier than when it was recorded, never later than now).
 */
occurred_at: string, 
/**
 * When it was typed into Yunwei.
 */
recorded_at: string, };

/**
 * One incident with its whole timeline: its list line plus the rest.
 */
export type Incident = { description: string, 
/**
 * When the incident was typed into Yunwei (may be later than `reported_at`).
 */
created_at: string, 
/**
 * Oldest first.
 */
events: Array<IncidentEvent>, id: string, number: string, title: string, level: Level, channel: Channel, reported_at: string, reporter: string, };

/**
 * A language of the interface and of everything the core says to a person.
 */
export type Lang = "zh-CN" | "en";

export type Settings = { language: Lang, };

/**
 * What the Settings screen shows about this installation.
 */
export type AppInfo = { version: string, database_path: string, schema_version: number, };

/**
 * An error as it crosses to the UI: `{ code, message, fields }`.
 */
export type ErrorReport = { code: string, message: string, 
/**
 * One entry per refused form field, empty for other errors.
 */
fields: Array<FieldReport>, };

export type FieldReport = { field: string, code: string, message: string, };
