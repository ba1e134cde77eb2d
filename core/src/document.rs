//! What a signed document is on record: its kind, its number and revision, and the name of its
//! convenience copy in the `reports` folder. A leaf: the store reads these values from rows, the
//! signing layer reports them in a verification, and the documents service issues them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

/// What kind of document a signed revision is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignedDocument {
    IncidentReport,
    TrainingPlan,
    MonthlyReport,
    /// The monthly inspection report (巡检月报), `IR-2026-11`.
    InspectionReport,
    /// A drill report (演练报告), numbered like its drill, `DR-2026-01`.
    DrillReport,
}

/// A signed document revision as stored: an incident report, a training plan or a monthly report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StoredRevision {
    /// `RPT-2026-0001`, the plan's `TP-2026-01`, or the month's `MR-2026-10`.
    pub report_number: String,
    pub revision: u32,
    /// The incident's number, the plan's title, or the month (`2026-10`).
    pub incident_number: String,
    pub signer: String,
    pub signed_at: DateTime<Utc>,
    pub lang: String,
    /// SHA-256 of the signed file, hex.
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    pub document: SignedDocument,
}

/// The SHA-256 of `bytes` in lower-case hex: how a signed file is recognised as a revision.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl StoredRevision {
    /// The name of its copy in the `reports` folder: `RPT-2026-0001-r1.pdf`, or
    /// `RPT-2026-0001-r2-en.pdf` for an English revision.
    pub fn file_name(&self) -> String {
        let suffix = if self.lang == "en" { "-en" } else { "" };
        format!("{}-r{}{suffix}.pdf", self.report_number, self.revision)
    }
}
