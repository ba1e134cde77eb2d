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

/// A count per level, each named by its level (`{ "I": 2, "II": 0, "III": 5, "IV": 1 }` across
/// IPC), so no reader depends on the order of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[allow(non_snake_case, reason = "named exactly as the levels")]
pub struct LevelCounts {
    pub I: u32,
    pub II: u32,
    pub III: u32,
    pub IV: u32,
}

impl LevelCounts {
    pub fn get(&self, level: Level) -> u32 {
        match level {
            Level::I => self.I,
            Level::II => self.II,
            Level::III => self.III,
            Level::IV => self.IV,
        }
    }

    pub fn add(&mut self, level: Level, n: u32) {
        let slot = match level {
            Level::I => &mut self.I,
            Level::II => &mut self.II,
            Level::III => &mut self.III,
            Level::IV => &mut self.IV,
        };
        *slot = slot.saturating_add(n);
    }

    /// Every level with its count, most urgent first.
    pub fn iter(&self) -> impl Iterator<Item = (Level, u32)> + '_ {
        Level::ALL.into_iter().map(|l| (l, self.get(l)))
    }

    pub fn total(&self) -> u32 {
        self.iter().map(|(_, n)| n).sum()
    }
}
