//! The severity levels (故障级别) of the contract: a leaf the incident, its timeline and the SLA
//! engine all read.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Severity level (故障级别) as the contract defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum Level {
    /// 紧急: a crash stops the business, or data is lost.
    I,
    /// 严重: parts failed or performance degraded; the business still runs.
    II,
    /// 较严重: errors or warnings; business and performance unaffected.
    III,
    /// 普通: questions, installation, configuration, booked services.
    IV,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::I, Level::II, Level::III, Level::IV];

    pub fn code(self) -> &'static str {
        match self {
            Level::I => "I",
            Level::II => "II",
            Level::III => "III",
            Level::IV => "IV",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }
}
